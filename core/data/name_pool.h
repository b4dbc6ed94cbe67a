#pragma once
// Compact per-item names for large feature sets: a split in one byte, and strings
// kept back to back in one buffer with one offset each, instead of a std::string
// per field (32 bytes, plus a heap block past 15 characters).

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace tm2::data {

// "train", "val", "test", or "" (not assigned yet: random-chunks assigns it after extraction).
class SplitName {
public:
    SplitName() = default;
    // Throws tm2::Error on any other name.
    SplitName(std::string_view name);  // NOLINT(google-explicit-constructor): reads as the string it holds
    SplitName(const std::string& name) : SplitName(std::string_view(name)) {}  // NOLINT
    SplitName(const char* name) : SplitName(std::string_view(name)) {}         // NOLINT

    std::string_view str() const;
    bool empty() const { return code_ == 0; }
    bool operator==(std::string_view name) const { return str() == name; }
    bool operator!=(std::string_view name) const { return str() != name; }
    bool operator==(const char* name) const { return str() == name; }
    bool operator!=(const char* name) const { return str() != name; }
    bool operator==(const std::string& name) const { return str() == name; }
    bool operator!=(const std::string& name) const { return str() != name; }
    bool operator==(const SplitName& other) const { return code_ == other.code_; }
    bool operator!=(const SplitName& other) const { return code_ != other.code_; }
    bool operator<(const SplitName& other) const { return str() < other.str(); }

private:
    std::uint8_t code_ = 0;
};

std::ostream& operator<<(std::ostream& out, const SplitName& split);

// Strings appended and read back by their number; never removed.
class NamePool {
public:
    NamePool();
    std::uint32_t add(std::string_view name);         // throws tm2::Error past 4 GiB of text or 2^32 names
    std::string_view at(std::uint32_t number) const;  // throws tm2::Error when out of range
    std::size_t size() const { return ends_.size() - 1; }
    std::size_t textBytes() const { return text_.size(); }

private:
    std::string text_;
    std::vector<std::uint32_t> ends_;  // name k is text_[ends_[k], ends_[k + 1])
};

}  // namespace tm2::data
