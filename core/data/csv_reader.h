#pragma once
// RFC 4180 CSV parsing (quoted fields, doubled quotes, CRLF, embedded
// newlines) with the line number of each record, for located errors.

#include <functional>
#include <string>
#include <vector>

namespace tm2::data {

struct CsvRecord {
    int line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

struct CsvParseResult {
    std::vector<CsvRecord> records;                   // header included as records[0]
    std::vector<std::pair<int, std::string>> errors;  // (line, reason): e.g. unterminated quote
};

// Never throws on malformed text; bad records are reported in `errors`.
// Empty lines are not records; a leading UTF-8 BOM is dropped. `delimiter`
// is ',' for CSV and '\t' for TSV (quoting rules are the same).
CsvParseResult parseCsv(const std::string& text, char delimiter = ',');
// The same records and errors as parseCsv, handed over one at a time in file order, so a
// caller that keeps only what it needs of each record never holds the file's records.
void scanCsv(const std::string& text, char delimiter, const std::function<void(CsvRecord&)>& on_record,
             const std::function<void(int line, const std::string& reason)>& on_error);
// Reads the file then parses; throws tm2::Error if the file can't be read.
CsvParseResult readCsvFile(const std::string& path, char delimiter = ',');
// Quotes a field when needed (comma, quote, newline).
std::string csvEscape(const std::string& field);

}  // namespace tm2::data
