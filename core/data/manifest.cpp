#include "core/data/manifest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/data/csv_reader.h"
#include "core/data/dataset_paths.h"
#include "core/data/name_pool.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kReservedColumns{"id", "group", "label", "split"};

// Spreadsheets pad cells with spaces; a path or label never needs them.
std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

struct ManifestColumns {
    int id = -1;
    int group = -1;
    int label = -1;
    int split = -1;
    std::vector<int> modalities;  // one per spec modality, same order
};

std::map<std::string, int> readHeader(const CsvRecord& header, const std::string& where) {
    std::map<std::string, int> columns;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = trimmed(header.fields[i]);
        if (name.empty()) throw Error(where + ": header column " + std::to_string(i + 1) + " has no name");
        if (!columns.emplace(name, static_cast<int>(i)).second)
            throw Error(where + ": header names column '" + name + "' twice");
    }
    for (const char* required : {"id", "label"})
        if (!columns.count(required))
            throw Error(where + ": header lacks the required column '" + required + "'");
    return columns;
}

// Per column (by index): the line and text of its first non-empty cell in a row with the
// header's field count, gathered while the manifest is scanned.
using FirstCells = std::map<int, std::pair<int, std::string>>;

// Without a sidecar, every non-reserved column is a modality whose kind the
// first non-empty cell's extension decides.
DatasetSpec guessSpec(const std::map<std::string, int>& columns, const FirstCells& first_cells,
                      const std::string& source) {
    std::vector<std::pair<int, std::string>> ordered;  // header order, not alphabetical
    for (const auto& [name, index] : columns)
        if (!kReservedColumns.count(name)) ordered.emplace_back(index, name);
    std::sort(ordered.begin(), ordered.end());
    DatasetSpec spec;
    for (const auto& [index, name] : ordered) {
        ModalitySpec modality;
        modality.name = name;
        if (const auto first = first_cells.find(index); first != first_cells.end()) {
            const auto& [line, cell] = first->second;
            const auto kind = mediaKindFromExtension(cell);
            if (!kind)
                throw Error(source + ":" + std::to_string(line) + ": column '" + name +
                            "': cannot tell audio from image by the extension of '" + cell +
                            "' (.wav .flac .ogg or .png .jpg .jpeg .bmp .pgm); add a dataset.json sidecar "
                            "naming the modality columns");
            modality.kind = *kind;
        }
        spec.modalities.push_back(modality);
    }
    return spec;
}

ManifestColumns locateColumns(const std::map<std::string, int>& columns, const DatasetSpec& spec,
                              const std::string& source) {
    ManifestColumns located;
    located.id = columns.at("id");
    located.label = columns.at("label");
    if (columns.count("group")) located.group = columns.at("group");
    if (columns.count("split")) located.split = columns.at("split");
    for (const auto& m : spec.modalities) {
        const auto it = columns.find(m.name);
        if (it == columns.end())
            throw Error(source + ": column '" + m.name +
                        "' named in dataset.json is missing from the header");
        located.modalities.push_back(it->second);
    }
    if (located.modalities.empty())
        throw Error(source +
                    ": no modality columns (the header needs id, label and at least one path column)");
    return located;
}

bool isKnownSplit(const std::string& split) { return split == "train" || split == "val" || split == "test"; }

// Every id met so far and the line it was first met on, in about 24 bytes an id (a
// std::map<std::string, int> took 72 with short ids, the largest block at a 300 k-row
// manifest's peak): the ids back to back in a NamePool, and an open-addressing table of
// their numbers, at most half full.
class FirstLineOfId {
public:
    // The line `id` was first met on; nullopt when it is new (it is then recorded on `line`).
    std::optional<int> firstLineOrAdd(const std::string& id, int line) {
        if ((ids_.size() + 1) * 2 > slots_.size()) grow();
        const std::size_t at = slotOf(id);
        if (slots_[at] != 0) return lines_[slots_[at] - 1];
        slots_[at] = ids_.add(id) + 1;
        lines_.push_back(line);
        return std::nullopt;
    }

private:
    // The slot holding `id`, or the empty one where it belongs (slots hold id number + 1, 0 = empty).
    std::size_t slotOf(std::string_view id) const {
        const std::size_t mask = slots_.size() - 1;
        std::size_t at = std::hash<std::string_view>{}(id) & mask;
        while (slots_[at] != 0 && ids_.at(slots_[at] - 1) != id) at = (at + 1) & mask;
        return at;
    }

    void grow() {
        std::vector<std::uint32_t> old(std::max<std::size_t>(64, slots_.size() * 2), 0);
        old.swap(slots_);
        for (const std::uint32_t number : old)
            if (number != 0) slots_[slotOf(ids_.at(number - 1))] = number;
    }

    NamePool ids_;
    std::vector<int> lines_;            // by id number
    std::vector<std::uint32_t> slots_;  // size a power of two
};

class ManifestRowReader {
public:
    ManifestRowReader(DatasetIndex& index, const ManifestColumns& columns, const fs::path& base,
                      const std::string& source, bool allow_outside_paths)
        : index_(index), columns_(columns), base_(base), source_(source), files_(base, allow_outside_paths) {}

    void read(const CsvRecord& record, std::size_t expected_fields) {
        if (record.fields.size() != expected_fields)
            return skip(source_, record.line,
                        "expected " + std::to_string(expected_fields) + " fields, found " +
                            std::to_string(record.fields.size()));
        Sample sample;
        sample.id = cell(record, columns_.id);
        sample.label = cell(record, columns_.label);
        sample.group = columns_.group >= 0 ? cell(record, columns_.group) : "";
        sample.split = columns_.split >= 0 ? cell(record, columns_.split) : "";
        if (sample.id.empty()) return skip(source_, record.line, "column 'id' is empty");
        if (const auto first = first_line_of_id_.firstLineOrAdd(sample.id, record.line))
            return skip(source_, record.line,
                        "duplicate id '" + sample.id + "' (first on line " + std::to_string(*first) + ")");
        if (sample.label.empty()) return skip(source_, record.line, "column 'label' is empty");
        const auto& classes = index_.spec.classes;
        if (!classes.empty() && std::find(classes.begin(), classes.end(), sample.label) == classes.end())
            return skip(source_, record.line, "unknown label '" + sample.label + "'");
        if (!sample.split.empty() && !isKnownSplit(sample.split))
            return skip(source_, record.line, "split '" + sample.split + "' is not train, val or test");
        if (sample.group.empty()) sample.group = sample.id;
        for (std::size_t m = 0; m < columns_.modalities.size(); ++m) {
            const ModalitySpec& modality = index_.spec.modalities[m];
            const std::string text = cell(record, columns_.modalities[m]);
            if (text.empty()) return skip(source_, record.line, "column '" + modality.name + "' is empty");
            std::string path;
            if (!resolve(text, path)) return skip(source_, record.line, "invalid path '" + text + "'");
            const auto kind = mediaKindFromExtension(path);
            if (kind != modality.kind)
                return skip(path, record.line,
                            "wrong extension for " + std::string(toString(modality.kind)) + " column '" +
                                modality.name + "'");
            if (const auto why = files_.refusal(path)) return skip(path, record.line, *why);
            sample.paths.push_back(path);
        }
        index_.samples.push_back(std::move(sample));
    }

private:
    static std::string cell(const CsvRecord& record, int column) {
        return trimmed(record.fields[static_cast<std::size_t>(column)]);
    }

    bool resolve(const std::string& text, std::string& out) const {
        if (text.find('\0') != std::string::npos) return false;
        fs::path path(text);
        if (path.is_relative()) path = base_ / path;
        out = path.lexically_normal().string();
        return true;
    }

    void skip(const std::string& path, int line, const std::string& reason) {
        index_.skipped.push_back({path, line, reason});
    }

    DatasetIndex& index_;
    const ManifestColumns& columns_;
    fs::path base_;
    std::string source_;
    DatasetFilePolicy files_;
    FirstLineOfId first_line_of_id_;
};

std::string readWholeFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string() + ": cannot open");
    std::string text;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (!ec) text.reserve(static_cast<std::size_t>(size));  // one copy of the text, not a stream's too
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw Error(path.string() + ": cannot read");
    return text;
}

}  // namespace

DatasetIndex parseManifestText(const std::string& text, const std::string& base_dir,
                               const std::string& source_name, const std::optional<DatasetSpec>& sidecar,
                               bool allow_outside_paths) {
    // Two scans, one record at a time (a manifest's rows are never held as CSV fields): the
    // header, the rows' count and each column's first cell, then the samples.
    std::optional<CsvRecord> header;
    std::size_t rows_seen = 0;
    FirstCells first_cells;
    scanCsv(
        text, ',',
        [&](CsvRecord& record) {
            if (!header) {
                header = std::move(record);
                return;
            }
            ++rows_seen;
            if (sidecar || record.fields.size() != header->fields.size()) return;
            for (std::size_t c = 0; c < record.fields.size(); ++c)
                if (!first_cells.count(static_cast<int>(c))) {
                    std::string cell = trimmed(record.fields[c]);
                    if (!cell.empty())
                        first_cells.emplace(static_cast<int>(c), std::pair{record.line, std::move(cell)});
                }
        },
        [](int, const std::string&) {});
    if (!header) throw Error(source_name + ": empty manifest (no header line)");
    const auto names = readHeader(*header, source_name + ":" + std::to_string(header->line));

    DatasetIndex index;
    std::error_code ec;
    fs::path base = fs::absolute(base_dir.empty() ? fs::path(".") : fs::path(base_dir), ec);
    if (ec) base = base_dir;
    base = base.lexically_normal();
    index.root = base.string();
    index.layout = "manifest";
    index.spec = sidecar ? *sidecar : guessSpec(names, first_cells, source_name);
    const ManifestColumns columns = locateColumns(names, index.spec, source_name);

    std::vector<SkippedItem> csv_errors;  // listed before the rows' own skips
    ManifestRowReader rows(index, columns, base, source_name, allow_outside_paths);
    index.samples.reserve(rows_seen);
    bool at_header = true;
    scanCsv(
        text, ',',
        [&](CsvRecord& record) {
            if (!at_header) rows.read(record, header->fields.size());
            at_header = false;
        },
        [&](int line, const std::string& reason) { csv_errors.push_back({source_name, line, reason}); });
    index.skipped.insert(index.skipped.begin(), csv_errors.begin(), csv_errors.end());
    requireUsableSamples(index, source_name);
    return index;
}

DatasetIndex readManifest(const std::string& path, bool allow_outside_paths) {
    fs::path file(path);
    std::error_code ec;
    if (fs::is_directory(file, ec)) file /= "manifest.csv";
    if (!fs::is_regular_file(file, ec)) throw Error(file.string() + ": manifest not found");
    fs::path folder = fs::absolute(file, ec).parent_path();
    if (ec) folder = file.parent_path();
    std::optional<DatasetSpec> sidecar;
    const fs::path sidecar_path = folder / "dataset.json";
    if (fs::exists(sidecar_path, ec)) sidecar = readDatasetSpec(sidecar_path.string());
    return parseManifestText(readWholeFile(file), folder.string(), file.string(), sidecar,
                             allow_outside_paths);
}

void writeManifest(const std::string& folder, const DatasetIndex& index) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder + ": cannot create folder (" + ec.message() + ")");
    const fs::path dir = fs::absolute(folder).lexically_normal();

    std::ostringstream out;
    out << "id,group,label,split";
    for (const auto& m : index.spec.modalities) out << ',' << csvEscape(m.name);
    out << '\n';
    for (const auto& s : index.samples) {
        if (s.paths.size() != index.spec.modalities.size())
            throw Error("writeManifest: sample '" + s.id + "' has " + std::to_string(s.paths.size()) +
                        " paths for " + std::to_string(index.spec.modalities.size()) + " modalities");
        out << csvEscape(s.id) << ',' << csvEscape(s.group) << ',' << csvEscape(s.label) << ','
            << csvEscape(s.split);
        for (const auto& p : s.paths) {
            fs::path relative = fs::relative(p, dir, ec);
            if (ec || relative.empty()) relative = p;
            out << ',' << csvEscape(relative.generic_string());
        }
        out << '\n';
    }
    writeFileAtomically((dir / "manifest.csv").string(), out.str());
    writeDatasetSpec((dir / "dataset.json").string(), index.spec);
}

}  // namespace tm2::data
