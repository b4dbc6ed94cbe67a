// COVID-19 Sounds as released for ComParE 2021: ROOT/ComParE2021_CCS (cough)
// and ROOT/ComParE2021_CSS (speech), each wav/ + lab/{train,devel,test}.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

#include "core/base/error.h"
#include "core/data/csv_reader.h"
#include "core/data/dataset_layouts.h"
#include "core/data/dataset_paths.h"
#include "core/data/folder_scan.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

enum class Task { Cough, Speech };

const char* folderName(Task task) { return task == Task::Cough ? "ComParE2021_CCS" : "ComParE2021_CSS"; }

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string lowered(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

struct Recording {
    std::string filename;  // as in the label file, e.g. train_001.wav
    fs::path path;
    std::string raw_label;  // P or N, for messages
    std::string label;      // positive / negative
    std::string split;
};

struct CsvTable {
    CsvParseResult csv;
    std::map<std::string, std::size_t> columns;  // trimmed, lower-case header names
};

// Label files come as .csv or .tsv across releases; the header line tells which.
CsvTable readTable(const fs::path& path) {
    std::string first_line;
    {
        std::ifstream in(path, std::ios::binary);
        std::getline(in, first_line);
    }
    const char delimiter = first_line.find('\t') != std::string::npos ? '\t' : ',';
    CsvTable table{readCsvFile(path.string(), delimiter), {}};
    if (table.csv.records.empty()) throw Error(path.string() + ": empty file");
    const auto& header = table.csv.records.front().fields;
    for (std::size_t i = 0; i < header.size(); ++i) table.columns.emplace(lowered(trimmed(header[i])), i);
    return table;
}

std::size_t requireColumn(const CsvTable& table, const fs::path& path, const std::string& name) {
    const auto it = table.columns.find(name);
    if (it == table.columns.end()) throw Error(path.string() + ":1: header lacks column '" + name + "'");
    return it->second;
}

std::string labelFromChallenge(const std::string& raw) {
    const std::string l = lowered(raw);
    if (l == "p" || l == "positive") return "positive";
    if (l == "n" || l == "negative") return "negative";
    return {};
}

// filename -> recording, for one task; unusable rows go to `skipped`.
std::map<std::string, Recording> readTask(const fs::path& root, Task task, const DatasetFilePolicy& policy,
                                          std::vector<SkippedItem>& skipped) {
    const fs::path dir = root / folderName(task);
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(dir.string() +
                    ": missing (the ComParE layout needs ComParE2021_CCS and ComParE2021_CSS)");
    std::map<std::string, Recording> recordings;
    bool any_label_file = false;
    const std::pair<const char*, const char*> splits[] = {
        {"train", "train"}, {"devel", "val"}, {"test", "test"}};
    for (const auto& [file_split, split] : splits) {
        for (const char* ext : {".tsv", ".csv"}) {
            const fs::path lab = dir / "lab" / (std::string(file_split) + ext);
            if (!fs::is_regular_file(lab, ec)) continue;
            any_label_file = true;
            const CsvTable table = readTable(lab);
            const std::size_t file_col = requireColumn(table, lab, "filename");
            const std::size_t label_col = requireColumn(table, lab, "label");
            for (const auto& [line, reason] : table.csv.errors)
                skipped.push_back({lab.string(), line, reason});
            const std::size_t width = table.csv.records.front().fields.size();
            for (std::size_t r = 1; r < table.csv.records.size(); ++r) {
                const auto& rec = table.csv.records[r];
                if (rec.fields.size() != width) {
                    skipped.push_back({lab.string(), rec.line,
                                       "expected " + std::to_string(width) + " fields, found " +
                                           std::to_string(rec.fields.size())});
                    continue;
                }
                Recording recording;
                recording.filename = trimmed(rec.fields[file_col]);
                recording.raw_label = trimmed(rec.fields[label_col]);
                recording.label = labelFromChallenge(recording.raw_label);
                recording.split = split;
                recording.path = dir / "wav" / recording.filename;
                if (recording.raw_label == "?") {
                    skipped.push_back(
                        {lab.string(), rec.line,
                         "label '?' for " + recording.filename + " (test labels are not public)"});
                } else if (recording.label.empty()) {
                    skipped.push_back(
                        {lab.string(), rec.line, "label '" + recording.raw_label + "' is neither P nor N"});
                } else if (recording.filename.empty()) {
                    skipped.push_back({recording.path.string(), rec.line, "file not found"});
                } else if (const auto why = policy.refusal(recording.path)) {
                    // A name like ../../x.wav or /etc/x.wav in a label file lands outside wav/.
                    skipped.push_back({recording.path.string(), rec.line, *why});
                } else if (recordings.count(recording.filename)) {
                    skipped.push_back(
                        {lab.string(), rec.line, "duplicate filename '" + recording.filename + "'"});
                } else {
                    recordings.emplace(recording.filename, recording);
                }
            }
        }
    }
    if (!any_label_file)
        throw Error((dir / "lab").string() + ": no train/devel/test .csv or .tsv label files");
    return recordings;
}

// participants.csv rows say which task a file belongs to, because both tasks
// reuse the same names (train_001.wav): a 'task' column (CCS/CSS or
// cough/speech) or a path such as ComParE2021_CCS/wav/train_001.wav.
using ParticipantMap = std::map<std::pair<Task, std::string>, std::string>;

ParticipantMap readParticipants(const fs::path& root, std::vector<SkippedItem>& skipped) {
    const fs::path path = root / "participants.csv";
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(
            path.string() +
            " not found: the ComParE 2021 CCS/CSS files carry no participant ids, so pairing a cough "
            "with a speech recording needs this file (columns filename,participant[,task]; filename "
            "like ComParE2021_CCS/wav/train_001.wav). Use a manifest instead if you have your own pairing.");
    const CsvTable table = readTable(path);
    const std::size_t file_col = requireColumn(table, path, "filename");
    const std::size_t who_col = requireColumn(table, path, "participant");
    const auto task_it = table.columns.find("task");
    for (const auto& [line, reason] : table.csv.errors) skipped.push_back({path.string(), line, reason});
    const std::size_t width = table.csv.records.front().fields.size();
    ParticipantMap map;
    for (std::size_t r = 1; r < table.csv.records.size(); ++r) {
        const auto& rec = table.csv.records[r];
        auto skip = [&](const std::string& reason) { skipped.push_back({path.string(), rec.line, reason}); };
        if (rec.fields.size() != width) {
            skip("expected " + std::to_string(width) + " fields, found " + std::to_string(rec.fields.size()));
            continue;
        }
        const fs::path file(trimmed(rec.fields[file_col]));
        const std::string participant = trimmed(rec.fields[who_col]);
        if (file.empty() || participant.empty()) {
            skip("empty filename or participant");
            continue;
        }
        std::string task_text =
            task_it != table.columns.end() ? lowered(trimmed(rec.fields[task_it->second])) : "";
        if (task_text.empty())
            for (const auto& part : file) {
                const std::string p = lowered(part.string());
                if (p == "compare2021_ccs" || p == "ccs") task_text = "ccs";
                if (p == "compare2021_css" || p == "css") task_text = "css";
            }
        Task task;
        if (task_text == "ccs" || task_text == "cough")
            task = Task::Cough;
        else if (task_text == "css" || task_text == "speech")
            task = Task::Speech;
        else {
            skip("cannot tell whether '" + file.generic_string() +
                 "' is a cough (CCS) or speech (CSS) file: write it as ComParE2021_CCS/wav/<name> or add a "
                 "'task' column");
            continue;
        }
        map[{task, file.filename().string()}] = participant;
    }
    return map;
}

// Of two splits the later (train < val < test) wins, so no held-out recording
// is ever trained on when a participant's files sit in different challenge splits.
const std::string& heldOutSplit(const std::string& a, const std::string& b) {
    auto rank = [](const std::string& s) { return s == "test" ? 2 : s == "val" ? 1 : 0; };
    return rank(a) >= rank(b) ? a : b;
}

}  // namespace

DatasetIndex readCompare(const std::string& root_path, bool allow_outside_paths) {
    const fs::path root = absoluteNormal(root_path);
    DatasetIndex index;
    index.root = root.string();
    index.layout = "compare";
    for (const char* name : {"cough", "speech"}) {
        ModalitySpec m;
        m.name = name;
        m.kind = ModalityKind::Audio;
        index.spec.modalities.push_back(m);
    }
    index.spec.classes = {"negative", "positive"};

    const DatasetFilePolicy policy(root, allow_outside_paths);
    const auto coughs = readTask(root, Task::Cough, policy, index.skipped);
    const auto speeches = readTask(root, Task::Speech, policy, index.skipped);
    const ParticipantMap participants = readParticipants(root, index.skipped);

    // participant -> (coughs, speeches), each sorted by filename (std::map order).
    std::map<std::string, std::pair<std::vector<const Recording*>, std::vector<const Recording*>>>
        by_participant;
    for (const auto& [task, recordings] :
         {std::make_pair(Task::Cough, &coughs), std::make_pair(Task::Speech, &speeches)}) {
        for (const auto& [filename, recording] : *recordings) {
            const auto who = participants.find({task, filename});
            if (who == participants.end()) {
                index.skipped.push_back({recording.path.string(), 0, "not in participants.csv"});
                continue;
            }
            auto& lists = by_participant[who->second];
            (task == Task::Cough ? lists.first : lists.second).push_back(&recording);
        }
    }

    for (const auto& [participant, lists] : by_participant) {
        const auto& [cough_list, speech_list] = lists;
        const std::size_t pairs = std::min(cough_list.size(), speech_list.size());
        const std::string counts = "participant '" + participant + "' has " +
                                   std::to_string(cough_list.size()) + " cough and " +
                                   std::to_string(speech_list.size()) + " speech recordings";
        for (std::size_t i = pairs; i < cough_list.size(); ++i)
            index.skipped.push_back(
                {cough_list[i]->path.string(), 0, "no speech recording left to pair with (" + counts + ")"});
        for (std::size_t i = pairs; i < speech_list.size(); ++i)
            index.skipped.push_back(
                {speech_list[i]->path.string(), 0, "no cough recording left to pair with (" + counts + ")"});
        for (std::size_t i = 0; i < pairs; ++i) {
            const Recording& cough = *cough_list[i];
            const Recording& speech = *speech_list[i];
            if (cough.label != speech.label) {
                index.skipped.push_back({cough.path.string(), 0,
                                         "cough says " + cough.raw_label + ", speech says " +
                                             speech.raw_label + " (participant '" + participant +
                                             "', speech " + speech.filename + ")"});
                continue;
            }
            Sample sample;
            sample.id = participant + "/" + fs::path(cough.filename).stem().string() + "+" +
                        fs::path(speech.filename).stem().string();
            sample.group = participant;
            sample.label = cough.label;
            sample.split = heldOutSplit(cough.split, speech.split);
            sample.paths = {cough.path.string(), speech.path.string()};
            index.samples.push_back(std::move(sample));
        }
    }
    requireUsableSamples(index, root.string());
    return index;
}

}  // namespace tm2::data
