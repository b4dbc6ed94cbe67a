#include "core/data/name_pool.h"

#include <limits>
#include <ostream>

#include "core/base/error.h"

namespace tm2::data {

namespace {
constexpr std::string_view kSplits[] = {"", "train", "val", "test"};
}  // namespace

SplitName::SplitName(std::string_view name) {
    for (std::uint8_t k = 0; k < std::size(kSplits); ++k)
        if (kSplits[k] == name) {
            code_ = k;
            return;
        }
    throw Error("split '" + std::string(name) + "' is not train, val or test");
}

std::string_view SplitName::str() const { return kSplits[code_]; }

std::ostream& operator<<(std::ostream& out, const SplitName& split) { return out << split.str(); }

NamePool::NamePool() : ends_{0} {}

std::uint32_t NamePool::add(std::string_view name) {
    const std::size_t count = size();
    if (text_.size() + name.size() > std::numeric_limits<std::uint32_t>::max() ||
        count >= std::numeric_limits<std::uint32_t>::max())
        throw Error("more than 4 GiB of sample names (ids, recordings, groups) in one table");
    text_.append(name);
    ends_.push_back(static_cast<std::uint32_t>(text_.size()));
    return static_cast<std::uint32_t>(count);
}

std::string_view NamePool::at(std::uint32_t number) const {
    if (number >= size()) throw Error("name table: no name number " + std::to_string(number) + " (internal)");
    return std::string_view(text_).substr(ends_[number], ends_[number + 1] - ends_[number]);
}

}  // namespace tm2::data
