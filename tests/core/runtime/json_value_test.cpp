#include "core/runtime/frontend/json_value.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/base/error.h"

namespace tm2::runtime {
namespace {

using ::testing::HasSubstr;

std::string parseError(const std::string& text) {
    try {
        JsonValue::parse(text, "n.json");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(JsonValueTest, ReadsNestedObjectsArraysAndScalars) {
    const JsonValue v = JsonValue::parse(
        R"({"mean": [[1.5, -2e-3], []], "ok": true, "no": false, "nothing": null,
            "name": "a\"b\\c\u00e9\n", "n": 160})",
        "n.json");
    ASSERT_TRUE(v.isObject());
    const auto& mean = v.find("mean")->array("mean");
    ASSERT_EQ(mean.size(), 2u);
    EXPECT_DOUBLE_EQ(mean[0].array("m")[0].number("m"), 1.5);
    EXPECT_DOUBLE_EQ(mean[0].array("m")[1].number("m"), -0.002);
    EXPECT_TRUE(mean[1].array("m").empty());
    EXPECT_TRUE(v.find("ok")->boolean("ok"));
    EXPECT_FALSE(v.find("no")->boolean("no"));
    EXPECT_EQ(v.find("nothing")->kind(), JsonValue::Kind::Null);
    EXPECT_EQ(v.find("name")->string("name"), "a\"b\\c\xC3\xA9\n");  // é as UTF-8
    EXPECT_EQ(v.find("n")->integer("n"), 160);
    EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(JsonValueTest, FloatsSurviveTheTextRoundTripExactly) {
    // nlohmann writes a float's double value with 17 significant digits; reading
    // it back and narrowing must give the same float.
    const float x = 0.1f;  // 0.100000001490116119384765625
    const JsonValue v = JsonValue::parse("[0.10000000149011612]", "n.json");
    EXPECT_EQ(static_cast<float>(v.array("a")[0].number("a")), x);
}

TEST(JsonValueTest, WrongKindsNameTheField) {
    const JsonValue v = JsonValue::parse(R"({"n_fft": "512", "hop": 1.5})", "n.json");
    try {
        v.find("n_fft")->integer("mfcc.n_fft");
        FAIL();
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("mfcc.n_fft: expected a number, got a string"));
    }
    EXPECT_THROW(v.find("hop")->integer("hop"), Error);  // not whole
}

TEST(JsonValueTest, MalformedTextIsAnErrorWithTheByteOffset) {
    EXPECT_THAT(parseError(R"({"a": 1,})"), HasSubstr("n.json: invalid JSON at byte 8"));
    EXPECT_THAT(parseError("[1, 2"), HasSubstr("expected ']'"));
    EXPECT_THAT(parseError(R"("abc)"), HasSubstr("unterminated string"));
    EXPECT_THAT(parseError("01"), HasSubstr("unexpected text after"));
    EXPECT_THAT(parseError("1e999"), HasSubstr("out of range"));
    EXPECT_THAT(parseError("tru"), HasSubstr("expected a value"));
    EXPECT_THAT(parseError(""), HasSubstr("unexpected end"));
    EXPECT_THAT(parseError(std::string(100, '[')), HasSubstr("nested too deeply"));
}

}  // namespace
}  // namespace tm2::runtime
