#pragma once
// The manifest layout: manifest.csv with header `id,group,label,split,<modality>…`
// (modality cells are paths relative to the manifest) and the sidecar
// dataset.json beside it naming each modality's kind and preprocessing.

#include <optional>
#include <string>

#include "core/data/dataset_index.h"

namespace tm2::data {

// `path` is the manifest file or a folder holding manifest.csv. Bad lines,
// missing cells, missing files and unknown labels are skipped with reasons;
// so are paths that are not regular files and, unless `allow_outside_paths`,
// paths resolving (symlinks followed) outside the manifest's folder.
// A missing manifest or a header without modality columns throws tm2::Error.
// Without a sidecar, kinds are guessed from file extensions.
DatasetIndex readManifest(const std::string& path, bool allow_outside_paths = false);

// The parsing half of readManifest, on text already read: `base_dir` resolves
// relative paths, `source_name` names the manifest in messages, `sidecar` is
// dataset.json when there is one. Throws only tm2::Error, whatever the text.
DatasetIndex parseManifestText(const std::string& text, const std::string& base_dir,
                               const std::string& source_name,
                               const std::optional<DatasetSpec>& sidecar = std::nullopt,
                               bool allow_outside_paths = false);

// Writes manifest.csv and dataset.json into `folder` (paths stored relative).
void writeManifest(const std::string& folder, const DatasetIndex& index);

}  // namespace tm2::data
