#include "core/base/json_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2 {
namespace {

std::string messageOf(const std::string& text) {
    try {
        parseJsonText(text, "plan.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(JsonFileTest, ParsesValidText) { EXPECT_EQ(parseJsonText(R"({"a": 1})", "x")["a"], 1); }

TEST(JsonFileTest, NumberOverflowIsAnErrorNamingTheOrigin) {
    // nlohmann throws out_of_range (not parse_error) here; it used to escape as "internal error".
    const std::string message = messageOf(R"({"alpha": 1e999})");
    EXPECT_NE(message.find("plan.json: number out of range"), std::string::npos) << message;
}

TEST(JsonFileTest, SyntaxErrorNamesTheByte) {
    const std::string message = messageOf(R"({"alpha": })");
    EXPECT_NE(message.find("plan.json: invalid JSON at byte 11"), std::string::npos) << message;
}

TEST(JsonFileTest, MissingFileIsAnErrorNamingIt) {
    testing::TempDir dir;
    try {
        readJsonFile(dir.file("absent.json"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("absent.json: cannot open"), std::string::npos);
    }
}

TEST(JsonFileTest, RefusesDevicesAndFoldersInsteadOfReadingForever) {
    testing::TempDir dir;
    // /dev/zero never ends: reading it as JSON would fill the memory.
    std::filesystem::create_symlink("/dev/zero", dir.path() / "spec.json");
    for (const std::string& path : {dir.file("spec.json"), dir.path().string()}) {
        try {
            readJsonFile(path);
            FAIL() << path << ": expected an error";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(path + ": not a regular file"), std::string::npos)
                << e.what();
        }
    }
}

TEST(JsonFileTest, ReadsAFile) {
    testing::TempDir dir;
    std::ofstream(dir.file("a.json")) << R"([1, 2])";
    EXPECT_EQ(readJsonFile(dir.file("a.json")).size(), 2u);
}

}  // namespace
}  // namespace tm2
