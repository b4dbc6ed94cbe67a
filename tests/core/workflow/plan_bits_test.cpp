// readPlanBits: the plan a user hands to `quantize --plan` / `export --plan`.

#include <gtest/gtest.h>

#include <string>

#include "core/base/error.h"
#include "core/workflow/training_session.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

using tm2::testing::TempDir;
using tm2::testing::writeTextFile;

std::string errorReading(const std::string& plan_text, const std::vector<int>& widths = kSimulatedBitWidths) {
    TempDir dir;
    writeTextFile(dir.path() / "plan.json", plan_text);
    try {
        readPlanBits(dir.file("plan.json"), widths);
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(dir.file("plan.json")), std::string::npos) << message;
        return message;
    }
    return "(accepted)";
}

TEST(PlanBitsTest, ReadsEveryLayersWidth) {
    TempDir dir;
    writeTextFile(dir.path() / "plan.json", R"({"bits": {"audio.conv1": 4, "head.fc": 8}, "source": "ilp"})");
    EXPECT_EQ(readPlanBits(dir.file("plan.json"), kRuntimeBitWidths),
              (std::map<std::string, int>{{"audio.conv1", 4}, {"head.fc", 8}}));
}

TEST(PlanBitsTest, AWidthPastTheIntRangeIsRefusedInsteadOfWrappingToFour) {
    // 4294967300 = 2^32 + 4: stored in an int it used to read as 4.
    const std::string message = errorReading(R"({"bits": {"head.fc": 4294967300}})");
    EXPECT_NE(message.find("bits.head.fc is 4294967300"), std::string::npos) << message;
    EXPECT_NE(errorReading(R"({"bits": {"head.fc": 18446744073709551615}})").find("bits.head.fc"),
              std::string::npos);
    EXPECT_NE(errorReading(R"({"bits": {"head.fc": -4}})").find("bits.head.fc"), std::string::npos);
    EXPECT_NE(errorReading(R"({"bits": {"head.fc": 4.5}})").find("bits.head.fc"), std::string::npos);
    EXPECT_NE(errorReading(R"({"bits": {"head.fc": "4"}})").find("bits.head.fc"), std::string::npos);
}

TEST(PlanBitsTest, WidthsTheRuntimeDoesNotRunAreRefusedNamingTheLayer) {
    const std::string message =
        errorReading(R"({"bits": {"audio.conv1": 4, "head.fc": 6}})", kRuntimeBitWidths);
    EXPECT_NE(message.find("layer 'head.fc' must be at 2, 4 or 8 bits (the widths the runtime executes)"),
              std::string::npos)
        << message;
    // The simulation takes 6 bits.
    EXPECT_EQ(errorReading(R"({"bits": {"head.fc": 6}})"), "(accepted)");
}

TEST(PlanBitsTest, AnEmptyPlanIsAnErrorNamingTheField) {
    const std::string message = errorReading(R"({"bits": {}})");
    EXPECT_NE(message.find("field 'bits' is empty"), std::string::npos) << message;
    EXPECT_NE(errorReading(R"({"source": "ilp"})").find("field 'bits'"), std::string::npos);
    EXPECT_NE(errorReading(R"([1, 2])").find("field 'bits'"), std::string::npos);
}

TEST(PlanBitsTest, NumberOverflowIsAnErrorNamingTheFile) {
    const std::string message = errorReading(R"({"bits": {"head.fc": 1e999}})");
    EXPECT_NE(message.find("number out of range"), std::string::npos) << message;
}

}  // namespace
}  // namespace tm2::workflow
