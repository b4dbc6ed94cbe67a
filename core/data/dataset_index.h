#pragma once
// A dataset as a list of samples (paths per modality, label, group, split),
// before any decoding. Every reader (manifest, folder-per-class, Coswara,
// ComParE) produces this; items it could not use land in `skipped`.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/data/dataset_spec.h"

namespace tm2::data {

struct Sample {
    std::string id;
    std::string group;  // participant / speaker; splits never separate a group
    std::string label;
    std::string split;               // "train", "val", "test" or empty (assigned later)
    std::vector<std::string> paths;  // absolute paths, one per DatasetSpec modality, same order
    double offset_s = 0.0;           // start of the window inside the recording (chunk sampling)
};

struct SkippedItem {
    std::string path;    // file (or manifest) at fault
    int line = 0;        // manifest line (1-based) when known, else 0
    std::string reason;  // human-readable
};

struct DatasetIndex {
    std::string root;    // folder the dataset was read from
    std::string layout;  // "manifest", "folder", "coswara", "compare"
    DatasetSpec spec;
    std::vector<Sample> samples;
    std::vector<SkippedItem> skipped;

    std::vector<std::string> classNames() const;  // spec.classes, or sorted labels seen
    std::map<std::string, std::size_t> classCounts() const;
    std::map<std::string, std::size_t> splitCounts() const;  // "" counted as "unassigned"
};

// Audio (.wav .flac .ogg) or image (.png .jpg .jpeg .bmp .pgm) by the file's
// extension, case-insensitive; nullopt for anything else.
std::optional<ModalityKind> mediaKindFromExtension(const std::string& path);

// Throws tm2::Error "<source>: no usable samples; N skipped: first reason: …"
// when `index` holds no sample; every reader ends with this.
void requireUsableSamples(const DatasetIndex& index, const std::string& source);

// "path:line: reason" (line left out when 0), for messages and logs.
std::string describeSkipped(const SkippedItem& item);

}  // namespace tm2::data
