// Layout auto-detection; the readers live in folder_layout.cpp,
// coswara_layout.cpp and compare_layout.cpp.
#include "core/data/dataset_layouts.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/data/folder_scan.h"
#include "core/data/manifest.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> listEntries(const fs::path& dir, bool folders) {
    std::vector<fs::path> entries;
    std::error_code ec;
    for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.filename().string().rfind('.', 0) == 0) continue;
        // Files are everything but folders (devices and dangling links included), so
        // the readers can report why they skip them instead of leaving them out unseen.
        std::error_code type_ec;
        if (it->is_directory(type_ec) == folders) entries.push_back(p);
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

bool looksLikeCoswara(const fs::path& root, const LayoutOptions& options) {
    std::error_code ec;
    const std::string recording = options.coswara_first + ".wav";
    if (fs::is_regular_file(root / "combined_data.csv", ec)) return true;
    for (const auto& child : listSubfolders(root)) {
        if (fs::is_regular_file(child / "combined_data.csv", ec) ||
            fs::is_regular_file(child / recording, ec))
            return true;
        for (const auto& grandchild : listSubfolders(child))
            if (fs::is_regular_file(grandchild / recording, ec)) return true;
    }
    return false;
}

bool looksLikeFolderPerClass(const fs::path& root) {
    for (const auto& modality : listSubfolders(root))
        for (const auto& cls : listSubfolders(modality))
            for (const auto& file : listFiles(cls))
                if (mediaKindFromExtension(file.filename().string())) return true;
    return false;
}

DatasetIndex openLayout(const std::string& layout, const std::string& path, const LayoutOptions& options) {
    if (layout == "manifest") return readManifest(path, options.allow_outside_paths);
    if (layout == "folder") return readFolderPerClass(path, options.allow_outside_paths);
    if (layout == "coswara") return readCoswara(path, options);
    if (layout == "compare") return readCompare(path, options.allow_outside_paths);
    throw Error("layout: expected one of auto, manifest, folder, coswara, compare, got \"" + layout + "\"");
}

}  // namespace

std::vector<fs::path> listSubfolders(const fs::path& dir) { return listEntries(dir, true); }
std::vector<fs::path> listFiles(const fs::path& dir) { return listEntries(dir, false); }

fs::path absoluteNormal(const std::string& path) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    if (ec) absolute = path;
    return absolute.lexically_normal();
}

DatasetIndex openDataset(const std::string& path, const LayoutOptions& options) {
    if (options.layout != "auto") return openLayout(options.layout, path, options);
    const fs::path root = absoluteNormal(path);
    std::error_code ec;
    if (!fs::exists(root, ec)) throw Error(root.string() + ": no such file or folder");
    if (fs::is_regular_file(root, ec) || fs::is_regular_file(root / "manifest.csv", ec))
        return readManifest(root.string(), options.allow_outside_paths);
    if (fs::is_directory(root / "ComParE2021_CCS", ec))
        return readCompare(root.string(), options.allow_outside_paths);
    if (looksLikeCoswara(root, options)) return readCoswara(root.string(), options);
    if (looksLikeFolderPerClass(root)) return readFolderPerClass(root.string(), options.allow_outside_paths);
    throw Error(root.string() +
                ": no dataset layout recognised; tried manifest (manifest.csv), compare (ComParE2021_CCS/), "
                "coswara (combined_data.csv or <participant>/" +
                options.coswara_first + ".wav) and folder (<modality>/<class>/<file>.wav|.png|…)");
}

}  // namespace tm2::data
