// libFuzzer target: arbitrary bytes as CSV and as a manifest. The CSV parser
// must never throw and must round-trip what it accepts; the manifest parser
// may only throw tm2::Error. Run with tests/fuzz/corpus as the seed corpus.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/base/error.h"
#include "core/data/csv_reader.h"
#include "core/data/manifest.h"

namespace {

// A folder with a few real files so seeds can reach the accepted-sample path
// (the corpus manifests name a.wav, b.wav, c.png, d.png).
std::string mediaFolder() {
    static const std::string folder = [] {
        namespace fs = std::filesystem;
        const fs::path dir = fs::temp_directory_path() / ("tm2-manifest-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        for (const char* name : {"a.wav", "b.wav", "c.png", "d.png"}) std::ofstream(dir / name) << "RIFF";
        return dir.string();
    }();
    static const bool cleanup_registered = [] {
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(folder, ec);
        });
        return true;
    }();
    (void)cleanup_registered;
    return folder;
}

std::string joinEscaped(const std::vector<tm2::data::CsvRecord>& records) {
    std::string text;
    for (const auto& record : records) {
        for (std::size_t i = 0; i < record.fields.size(); ++i)
            text += (i ? "," : "") + tm2::data::csvEscape(record.fields[i]);
        text += '\n';
    }
    return text;
}

void checkCsvRoundTrip(const tm2::data::CsvParseResult& parsed) {
    std::vector<tm2::data::CsvRecord> kept;
    // A lone empty field writes as a blank line, which is not a record by design.
    for (const auto& r : parsed.records)
        if (!(r.fields.size() == 1 && r.fields[0].empty())) kept.push_back(r);
    const std::string text = joinEscaped(kept);
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) return;  // a leading BOM is dropped by design
    const auto again = tm2::data::parseCsv(text);
    if (!again.errors.empty() || again.records.size() != kept.size()) std::abort();
    for (std::size_t i = 0; i < kept.size(); ++i)
        if (again.records[i].fields != kept[i].fields) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    checkCsvRoundTrip(tm2::data::parseCsv(text));
    (void)tm2::data::parseCsv(text, '\t');
    try {
        const auto index = tm2::data::parseManifestText(text, mediaFolder(), "fuzz.csv");
        if (index.samples.empty()) std::abort();  // an empty index must have thrown
        for (const auto& s : index.samples)
            if (s.paths.size() != index.spec.modalities.size() || s.group.empty()) std::abort();
    } catch (const tm2::Error&) {
    }
    return 0;
}
