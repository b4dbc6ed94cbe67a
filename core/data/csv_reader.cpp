#include "core/data/csv_reader.h"

#include <fstream>
#include <sstream>

#include "core/base/error.h"

namespace tm2::data {

namespace {

// One pass over the text; a record with a syntax error is dropped as a whole
// (reported with the line it started on) so callers never see half a row.
class CsvScanner {
public:
    CsvScanner(const std::string& text, char delimiter, const std::function<void(CsvRecord&)>& on_record,
               const std::function<void(int, const std::string&)>& on_error)
        : text_(text), delimiter_(delimiter), on_record_(on_record), on_error_(on_error) {}

    void run() {
        if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
        while (pos_ < text_.size()) readRecord();
    }

private:
    bool atNewline() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

    // Consumes "\n", "\r\n" or a lone "\r" (old Mac files) as one line break.
    void consumeNewline() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    void readRecord() {
        const int start_line = line_;
        if (atNewline()) {  // blank line: not a record
            consumeNewline();
            return;
        }
        std::vector<std::string> fields;
        std::string error;
        for (;;) {
            fields.push_back(readField(fields.size() + 1, error));
            if (pos_ >= text_.size()) break;
            if (text_[pos_] == delimiter_) {
                ++pos_;
                continue;
            }
            consumeNewline();  // readField stops only at a delimiter, a newline or the end
            break;
        }
        if (error.empty()) {
            CsvRecord record{start_line, std::move(fields)};
            on_record_(record);
        } else {
            on_error_(start_line, error);
        }
    }

    // Leaves pos_ on the delimiter, the newline or the end of the text.
    std::string readField(std::size_t field_number, std::string& error) {
        std::string field;
        if (pos_ < text_.size() && text_[pos_] == '"') {
            const int quote_line = line_;
            ++pos_;
            for (;;) {
                if (pos_ >= text_.size()) {
                    if (error.empty())
                        error =
                            "unterminated quoted field (opened on line " + std::to_string(quote_line) + ")";
                    return field;
                }
                const char c = text_[pos_];
                if (c == '"') {
                    if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                        field += '"';
                        pos_ += 2;
                        continue;
                    }
                    ++pos_;
                    break;
                }
                if (c == '\n' || (c == '\r' && !(pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')))
                    ++line_;
                field += c;
                ++pos_;
            }
            if (pos_ < text_.size() && text_[pos_] != delimiter_ && !atNewline() && error.empty())
                error = "text after the closing quote of field " + std::to_string(field_number);
        }
        while (pos_ < text_.size() && text_[pos_] != delimiter_ && !atNewline()) {
            if (text_[pos_] == '"' && error.empty()) error = "quote inside an unquoted field";
            field += text_[pos_++];
        }
        return field;
    }

    const std::string& text_;
    char delimiter_;
    std::size_t pos_ = 0;
    int line_ = 1;
    const std::function<void(CsvRecord&)>& on_record_;
    const std::function<void(int, const std::string&)>& on_error_;
};

}  // namespace

void scanCsv(const std::string& text, char delimiter, const std::function<void(CsvRecord&)>& on_record,
             const std::function<void(int line, const std::string& reason)>& on_error) {
    CsvScanner(text, delimiter, on_record, on_error).run();
}

CsvParseResult parseCsv(const std::string& text, char delimiter) {
    CsvParseResult result;
    scanCsv(
        text, delimiter, [&](CsvRecord& record) { result.records.push_back(std::move(record)); },
        [&](int line, const std::string& reason) { result.errors.emplace_back(line, reason); });
    return result;
}

CsvParseResult readCsvFile(const std::string& path, char delimiter) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw Error(path + ": cannot read");
    return parseCsv(buffer.str(), delimiter);
}

std::string csvEscape(const std::string& field) {
    if (field.find_first_of(",\"\r\n\t") == std::string::npos) return field;
    std::string quoted = "\"";
    for (char c : field) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

}  // namespace tm2::data
