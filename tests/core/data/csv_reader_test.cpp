#include "core/data/csv_reader.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvReaderTest, SplitsPlainRecordsWithLineNumbers) {
    const auto result = parseCsv("a,b,c\n1,2,3\n");
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(result.records[1].fields, (Fields{"1", "2", "3"}));
    EXPECT_EQ(result.records[0].line, 1);
    EXPECT_EQ(result.records[1].line, 2);
    EXPECT_TRUE(result.errors.empty());
}

TEST(CsvReaderTest, ReadsQuotedFieldsWithCommasDoubledQuotesAndNewlines) {
    const auto result = parseCsv("id,note\r\n1,\"a, \"\"b\"\"\r\nc\"\r\n2,x\r\n");
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_EQ(result.records[1].fields, (Fields{"1", "a, \"b\"\r\nc"}));
    // The quoted newline makes the next record start on line 4.
    EXPECT_EQ(result.records[2].line, 4);
    EXPECT_EQ(result.records[2].fields, (Fields{"2", "x"}));
}

TEST(CsvReaderTest, KeepsEmptyFieldsAndSkipsBlankLines) {
    const auto result = parseCsv("a,,c\n\n,\n\"\"\n");
    ASSERT_EQ(result.records.size(), 3u);
    EXPECT_EQ(result.records[0].fields, (Fields{"a", "", "c"}));
    EXPECT_EQ(result.records[1].fields, (Fields{"", ""}));
    EXPECT_EQ(result.records[1].line, 3);
    EXPECT_EQ(result.records[2].fields, (Fields{""}));
}

TEST(CsvReaderTest, LastRecordNeedsNoTrailingNewline) {
    const auto result = parseCsv("a,b\n1,2");
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].fields, (Fields{"1", "2"}));
}

TEST(CsvReaderTest, DropsUtf8ByteOrderMark) {
    const auto result = parseCsv("\xEF\xBB\xBFid,label\n");
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0].fields[0], "id");
}

TEST(CsvReaderTest, ReportsUnterminatedQuoteAtItsLineWithoutThrowing) {
    const auto result = parseCsv("a,b\n1,2\n3,\"open\n4,5\n");
    ASSERT_EQ(result.records.size(), 2u);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].first, 3);
    EXPECT_NE(result.errors[0].second.find("unterminated"), std::string::npos);
}

TEST(CsvReaderTest, RejectsRecordsWithStrayQuotesButKeepsTheRest) {
    const auto result = parseCsv("a,b\nx\"y,1\n\"ok\"z,2\n3,4\n");
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].fields, (Fields{"3", "4"}));
    ASSERT_EQ(result.errors.size(), 2u);
    EXPECT_EQ(result.errors[0].first, 2);
    EXPECT_EQ(result.errors[1].first, 3);
}

TEST(CsvReaderTest, ScanningHandsOverParsesRecordsAndErrorsOneAtATimeInFileOrder) {
    const std::string text = "a,b\nx\"y,1\n\"q,\"\"r\"\"\n\",2\n\n3,4\n5,\"open\n";
    const auto parsed = parseCsv(text);
    std::vector<std::string> seen;  // "record LINE" or "error LINE", as they come
    std::vector<CsvRecord> records;
    scanCsv(
        text, ',',
        [&](CsvRecord& r) {
            seen.push_back("record " + std::to_string(r.line));
            records.push_back(r);
        },
        [&](int line, const std::string&) { seen.push_back("error " + std::to_string(line)); });
    EXPECT_EQ(seen, (std::vector<std::string>{"record 1", "error 2", "record 3", "record 6", "error 7"}));
    ASSERT_EQ(records.size(), parsed.records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(records[i].line, parsed.records[i].line);
        EXPECT_EQ(records[i].fields, parsed.records[i].fields);
    }
    EXPECT_EQ(parsed.records[1].fields, (Fields{"q,\"r\"\n", "2"}));
    EXPECT_EQ(parsed.errors.size(), 2u);
}

TEST(CsvReaderTest, ParsesTabSeparatedText) {
    const auto result = parseCsv("filename\tlabel\ntrain_001.wav\tP\n", '\t');
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].fields, (Fields{"train_001.wav", "P"}));
}

TEST(CsvReaderTest, EscapeRoundTripsThroughTheParser) {
    const Fields fields{"plain", "with,comma", "with \"quote\"", "two\nlines", ""};
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : ",") + csvEscape(f);
    EXPECT_EQ(csvEscape("plain"), "plain");
    EXPECT_EQ(csvEscape("a\"b"), "\"a\"\"b\"");
    const auto result = parseCsv("x\n" + line + "\n");
    ASSERT_EQ(result.records.size(), 2u);
    EXPECT_EQ(result.records[1].fields, fields);
}

TEST(CsvReaderTest, ReadingAMissingFileThrowsNamingIt) {
    try {
        readCsvFile("/nonexistent/tm2/missing.csv");
        FAIL() << "expected tm2::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("missing.csv"), std::string::npos);
    }
}

TEST(CsvReaderTest, ReadsAFileFromDisk) {
    testing::TempDir dir;
    testing::writeTextFile(dir.path() / "t.csv", "a,b\n1,2\n");
    EXPECT_EQ(readCsvFile(dir.file("t.csv")).records.size(), 2u);
}

}  // namespace
}  // namespace tm2::data
