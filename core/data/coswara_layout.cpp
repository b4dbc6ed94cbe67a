// Coswara (iiscleap/Coswara-Data after extraction):
// ROOT/<date>/<participant>/<recording>.wav plus combined_data.csv.
#include <map>
#include <set>

#include "core/base/error.h"
#include "core/data/csv_reader.h"
#include "core/data/dataset_layouts.h"
#include "core/data/dataset_paths.h"
#include "core/data/folder_scan.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

const char* const kMetadataName = "combined_data.csv";

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The repository keeps the CSV at its top; extracted copies sometimes nest it
// one or two folders down, so look three levels deep and take the first by name.
fs::path findMetadata(const fs::path& root, const LayoutOptions& options) {
    std::error_code ec;
    if (!options.coswara_metadata.empty()) {
        if (!fs::is_regular_file(options.coswara_metadata, ec))
            throw Error(options.coswara_metadata + ": Coswara metadata file not found");
        return absoluteNormal(options.coswara_metadata);
    }
    std::vector<fs::path> level{root};
    for (int depth = 0; depth < 3 && !level.empty(); ++depth) {
        for (const auto& dir : level)
            if (fs::is_regular_file(dir / kMetadataName, ec)) return dir / kMetadataName;
        std::vector<fs::path> next;
        for (const auto& dir : level)
            for (auto& sub : listSubfolders(dir)) next.push_back(std::move(sub));
        level = std::move(next);
    }
    throw Error(root.string() + ": Coswara metadata " + kMetadataName +
                " not found within three folder levels; give its path (coswara metadata option)");
}

struct Status {
    std::string value;
    int line = 0;
};

std::map<std::string, Status> readStatuses(const fs::path& csv_path, std::vector<SkippedItem>& skipped) {
    const std::string where = csv_path.string();
    const CsvParseResult csv = readCsvFile(where);
    if (csv.records.empty()) throw Error(where + ": empty file");
    int id_col = -1, status_col = -1;
    const auto& header = csv.records.front().fields;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string name = trimmed(header[i]);
        if (name == "id") id_col = static_cast<int>(i);
        if (name == "covid_status") status_col = static_cast<int>(i);
    }
    if (id_col < 0 || status_col < 0)
        throw Error(where + ":" + std::to_string(csv.records.front().line) + ": header lacks column '" +
                    (id_col < 0 ? "id" : "covid_status") + "'");
    for (const auto& [line, reason] : csv.errors) skipped.push_back({where, line, reason});
    std::map<std::string, Status> statuses;
    for (std::size_t r = 1; r < csv.records.size(); ++r) {
        const auto& rec = csv.records[r];
        if (rec.fields.size() != header.size()) {
            skipped.push_back({where, rec.line,
                               "expected " + std::to_string(header.size()) + " fields, found " +
                                   std::to_string(rec.fields.size())});
            continue;
        }
        const std::string id = trimmed(rec.fields[static_cast<std::size_t>(id_col)]);
        if (!id.empty()) statuses[id] = {trimmed(rec.fields[static_cast<std::size_t>(status_col)]), rec.line};
    }
    return statuses;
}

bool holdsWav(const fs::path& dir) {
    for (const auto& file : listFiles(dir))
        if (file.extension() == ".wav") return true;
    return false;
}

// Participant folders sit at ROOT/<date>/<id>; ROOT/<id> is accepted too so a
// single extracted date folder can be opened directly.
std::vector<fs::path> participantFolders(const fs::path& root) {
    std::vector<fs::path> found;
    for (const auto& child : listSubfolders(root)) {
        if (holdsWav(child)) found.push_back(child);
        for (const auto& grandchild : listSubfolders(child))
            if (holdsWav(grandchild)) found.push_back(grandchild);
    }
    return found;
}

// positive_mild / _moderate / _asymp are COVID-positive; healthy is the negative
// class; exposure, other illness, recovered and pending results are neither.
std::string labelForStatus(const std::string& status) {
    if (status.rfind("positive", 0) == 0) return "positive";
    if (status == "healthy") return "negative";
    return {};
}

}  // namespace

DatasetIndex readCoswara(const std::string& root_path, const LayoutOptions& options) {
    const fs::path root = absoluteNormal(root_path);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) throw Error(root.string() + ": not a folder");
    if (options.coswara_first.empty() || options.coswara_second.empty() ||
        options.coswara_first == options.coswara_second)
        throw Error("coswara: the two recordings must be named and differ (got '" + options.coswara_first +
                    "' and '" + options.coswara_second + "')");

    DatasetIndex index;
    index.root = root.string();
    index.layout = "coswara";
    for (const auto& name : {options.coswara_first, options.coswara_second}) {
        ModalitySpec m;
        m.name = name;
        m.kind = ModalityKind::Audio;
        index.spec.modalities.push_back(m);
    }
    index.spec.classes = {"negative", "positive"};

    const DatasetFilePolicy policy(root, options.allow_outside_paths);
    const fs::path metadata = findMetadata(root, options);
    const auto statuses = readStatuses(metadata, index.skipped);
    std::set<std::string> seen;
    for (const auto& folder : participantFolders(root)) {
        const std::string id = folder.filename().string();
        auto skip = [&](const std::string& path, int line, const std::string& reason) {
            index.skipped.push_back({path, line, reason});
        };
        if (!seen.insert(id).second) {
            skip(folder.string(), 0, "participant '" + id + "' appears in two folders");
            continue;
        }
        const auto status = statuses.find(id);
        if (status == statuses.end()) {
            skip(folder.string(), 0, "participant '" + id + "' is not in " + metadata.filename().string());
            continue;
        }
        Sample sample;
        sample.label = labelForStatus(status->second.value);
        if (sample.label.empty()) {
            skip(metadata.string(), status->second.line,
                 "covid_status '" + status->second.value + "' is neither healthy nor positive");
            continue;
        }
        for (const auto& m : index.spec.modalities) {
            const fs::path file = folder / (m.name + ".wav");
            if (!fs::exists(fs::symlink_status(file, ec))) {
                skip(folder.string(), 0, "participant '" + id + "' has no " + m.name + ".wav");
                break;
            }
            if (const auto why = policy.refusal(file)) {
                skip(file.string(), 0, *why);
                break;
            }
            sample.paths.push_back(file.string());
        }
        if (sample.paths.size() != index.spec.modalities.size()) continue;
        sample.id = id;
        sample.group = id;
        index.samples.push_back(std::move(sample));
    }
    requireUsableSamples(index, root.string());
    return index;
}

}  // namespace tm2::data
