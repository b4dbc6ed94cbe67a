#include "core/data/dataset_index.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/base/error.h"

namespace tm2::data {

std::vector<std::string> DatasetIndex::classNames() const {
    if (!spec.classes.empty()) return spec.classes;
    std::set<std::string> seen;
    for (const auto& s : samples) seen.insert(s.label);
    return {seen.begin(), seen.end()};
}

std::map<std::string, std::size_t> DatasetIndex::classCounts() const {
    std::map<std::string, std::size_t> counts;
    for (const auto& s : samples) ++counts[s.label];
    return counts;
}

std::map<std::string, std::size_t> DatasetIndex::splitCounts() const {
    std::map<std::string, std::size_t> counts;
    for (const auto& s : samples) ++counts[s.split.empty() ? "unassigned" : s.split];
    return counts;
}

std::optional<ModalityKind> mediaKindFromExtension(const std::string& path) {
    const auto dot = path.find_last_of('.');
    const auto slash = path.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
    std::string ext = path.substr(dot + 1);
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == "wav" || ext == "flac" || ext == "ogg") return ModalityKind::Audio;
    if (ext == "png" || ext == "jpg" || ext == "jpeg" || ext == "bmp" || ext == "pgm")
        return ModalityKind::Image;
    return std::nullopt;
}

std::string describeSkipped(const SkippedItem& item) {
    std::string text = item.path;
    if (item.line > 0) text += ":" + std::to_string(item.line);
    return text + ": " + item.reason;
}

void requireUsableSamples(const DatasetIndex& index, const std::string& source) {
    if (!index.samples.empty()) return;
    std::string message =
        source + ": no usable samples; " + std::to_string(index.skipped.size()) + " skipped";
    if (!index.skipped.empty()) message += ": first reason: " + describeSkipped(index.skipped.front());
    throw Error(message);
}

}  // namespace tm2::data
