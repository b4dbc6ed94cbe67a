// Folder-per-class paired layout: ROOT/<modality>/<class>/<id>.<ext>.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "core/base/error.h"
#include "core/data/dataset_layouts.h"
#include "core/data/dataset_paths.h"
#include "core/data/folder_scan.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

struct ModalityFiles {
    std::string name;
    std::map<std::string, fs::path> by_key;  // "<class>/<stem>" -> file
};

// Speaker-style stems (`<speaker>_<n>`, or Speech Commands' `<speaker>_nohash_<n>`)
// group by speaker so a split never separates one voice; anything else is its
// own group. Simple on purpose: ids that merely contain '_' and end in digits
// are taken as speaker ids too.
std::string groupForStem(const std::string& key, const std::string& stem) {
    const auto first = stem.find('_');
    const auto last = stem.rfind('_');
    if (first == std::string::npos || first == 0 || last + 1 >= stem.size()) return key;
    const bool digits = std::all_of(stem.begin() + static_cast<std::ptrdiff_t>(last + 1), stem.end(),
                                    [](unsigned char c) { return std::isdigit(c) != 0; });
    return digits ? stem.substr(0, first) : key;
}

std::string relativeName(const fs::path& root, const fs::path& file) {
    return file.lexically_relative(root).generic_string();
}

// First media file decides the kind when dataset.json does not.
ModalityKind guessKind(const fs::path& modality_dir) {
    for (const auto& cls : listSubfolders(modality_dir))
        for (const auto& file : listFiles(cls))
            if (const auto kind = mediaKindFromExtension(file.filename().string())) return *kind;
    return ModalityKind::Audio;
}

ModalityFiles scanModality(const fs::path& root, const ModalitySpec& modality,
                           const std::vector<std::string>& classes, const DatasetFilePolicy& policy,
                           std::vector<SkippedItem>& skipped) {
    ModalityFiles files{modality.name, {}};
    const fs::path dir = root / modality.name;
    for (const auto& loose : listFiles(dir))
        skipped.push_back({loose.string(), 0, "not inside a class folder"});
    for (const auto& cls_dir : listSubfolders(dir)) {
        const std::string cls = cls_dir.filename().string();
        if (!classes.empty() && std::find(classes.begin(), classes.end(), cls) == classes.end()) {
            skipped.push_back(
                {cls_dir.string(), 0, "unknown label '" + cls + "' (not in dataset.json classes)"});
            continue;
        }
        for (const auto& nested : listSubfolders(cls_dir))
            skipped.push_back({nested.string(), 0, "folder inside a class folder is not read"});
        for (const auto& file : listFiles(cls_dir)) {
            const auto kind = mediaKindFromExtension(file.filename().string());
            if (!kind) {
                skipped.push_back({file.string(), 0, "not an audio or image file"});
                continue;
            }
            if (*kind != modality.kind) {
                skipped.push_back({file.string(), 0,
                                   "wrong extension for " + std::string(toString(modality.kind)) +
                                       " modality '" + modality.name + "'"});
                continue;
            }
            if (const auto why = policy.refusal(file)) {
                skipped.push_back({file.string(), 0, *why});
                continue;
            }
            const std::string key = cls + "/" + file.stem().string();
            const auto [it, inserted] = files.by_key.emplace(key, file);
            if (!inserted)
                skipped.push_back(
                    {file.string(), 0,
                     "duplicate id '" + key + "' (also " + relativeName(root, it->second) + ")"});
        }
    }
    return files;
}

DatasetSpec folderSpec(const fs::path& root) {
    const fs::path sidecar = root / "dataset.json";
    std::error_code ec;
    if (fs::exists(sidecar, ec)) {
        DatasetSpec spec = readDatasetSpec(sidecar.string());
        for (const auto& m : spec.modalities)
            if (!fs::is_directory(root / m.name, ec))
                throw Error(sidecar.string() + ": modality '" + m.name + "' has no folder " +
                            (root / m.name).string());
        if (spec.modalities.empty()) throw Error(sidecar.string() + ": no modalities");
        return spec;
    }
    DatasetSpec spec;
    for (const auto& dir : listSubfolders(root)) {
        ModalitySpec m;
        m.name = dir.filename().string();
        m.kind = guessKind(dir);
        spec.modalities.push_back(m);
    }
    if (spec.modalities.empty())
        throw Error(root.string() + ": no modality folders (expected ROOT/<modality>/<class>/<id>.<ext>)");
    return spec;
}

}  // namespace

DatasetIndex readFolderPerClass(const std::string& root_path, bool allow_outside_paths) {
    const fs::path root = absoluteNormal(root_path);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw Error(root.string() + ": not a folder");
    DatasetIndex index;
    index.root = root.string();
    index.layout = "folder";
    index.spec = folderSpec(root);

    const DatasetFilePolicy policy(root, allow_outside_paths);
    std::vector<ModalityFiles> modalities;
    std::set<std::string> keys;
    for (const auto& m : index.spec.modalities) {
        modalities.push_back(scanModality(root, m, index.spec.classes, policy, index.skipped));
        for (const auto& entry : modalities.back().by_key) keys.insert(entry.first);
    }
    for (const auto& key : keys) {
        const auto missing = std::find_if(modalities.begin(), modalities.end(),
                                          [&](const ModalityFiles& m) { return !m.by_key.count(key); });
        if (missing != modalities.end()) {
            for (const auto& m : modalities)
                if (const auto it = m.by_key.find(key); it != m.by_key.end())
                    index.skipped.push_back(
                        {it->second.string(), 0,
                         "no matching '" + missing->name + "' file for " + relativeName(root, it->second)});
            continue;
        }
        Sample sample;
        sample.id = key;
        const auto slash = key.find('/');
        sample.label = key.substr(0, slash);
        sample.group = groupForStem(key, key.substr(slash + 1));
        for (const auto& m : modalities) sample.paths.push_back(m.by_key.at(key).string());
        index.samples.push_back(std::move(sample));
    }
    requireUsableSamples(index, root.string());
    return index;
}

}  // namespace tm2::data
