// JSON of the stand-alone ILP problem and answer.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/quant/bit_allocation.h"

namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using tm2::quant::problemFromJson;

json issueExample() {
    return json::parse(R"({
      "layers": [
        {"name": "conv1", "params": 1000, "macs": 50000, "omega": {"4": 3.0, "8": 0.5}, "group": "image"},
        {"name": "conv2", "params": 2000, "macs": 80000, "omega": {"4": 2.0, "8": 0.1}, "group": "audio"},
        {"name": "fc", "params": 4000, "macs": 4000, "omega": {"4": 1.0, "8": 0.2}, "pinned": 8,
         "latency_us": {"8": 12.5}}
      ],
      "size_bytes_max": 5000, "bops_max": 1e7, "latency_us_max": 100,
      "group_size_bytes_max": {"image": 1000}
    })");
}

TEST(BitAllocationJsonTest, ReadsTheIssueFormatAndRoundTrips) {
    json j = issueExample();
    j["layers"][0]["latency_us"] = {{"4", 1.0}, {"8", 2.0}};
    j["layers"][1]["latency_us"] = {{"4", 1.0}, {"8", 2.0}};
    const auto p = problemFromJson(j);
    ASSERT_EQ(p.layers.size(), 3u);
    EXPECT_EQ(p.layers[1].name, "conv2");
    EXPECT_EQ(p.layers[1].group, "audio");
    EXPECT_EQ(p.layers[1].params, 2000);
    EXPECT_EQ(p.layers[1].macs, 80000);
    EXPECT_DOUBLE_EQ(p.layers[1].omega.at(8), 0.1);
    EXPECT_EQ(p.layers[2].pinned_bits, 8);
    EXPECT_EQ(p.candidate_bits, (std::vector<int>{4, 8}));
    EXPECT_EQ(p.size_bytes_max, 5000);
    EXPECT_EQ(p.bops_max, 1e7);
    EXPECT_EQ(p.group_size_bytes_max.at("image"), 1000);
    EXPECT_EQ(tm2::quant::problemToJson(problemFromJson(tm2::quant::problemToJson(p))),
              tm2::quant::problemToJson(p));
}

TEST(BitAllocationJsonTest, MissingOmegaWidthNamesTheJsonPath) {
    json j = issueExample();
    j.erase("latency_us_max");
    j["layers"][1]["omega"].erase("8");
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("layers[1].omega: missing width 8")));
}

TEST(BitAllocationJsonTest, WrongTypesAndUnknownFieldsNameThemselves) {
    json j = issueExample();
    j["layers"][0]["params"] = "many";
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("layers[0].params: expected a number")));
    j = issueExample();
    j["layers"][2]["omgea"] = json::object();
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("layers[2]: unknown field 'omgea'")));
    j = issueExample();
    j["size_max"] = 3;
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("unknown field 'size_max'")));
    j = issueExample();
    j["layers"][0]["omega"]["four"] = 1.0;
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("layers[0].omega: key 'four' is not a bit width")));
    j = issueExample();
    j["bops_max"] = -5;
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("bops_max: must be a positive")));
    j = issueExample();
    j["layers"][1].erase("macs");
    EXPECT_THAT([&] { problemFromJson(j); }, ThrowsMessage<tm2::Error>(HasSubstr("layers[1].macs: missing")));
}

TEST(BitAllocationJsonTest, WidthsPastTheIntRangeAreRefusedInsteadOfWrapping) {
    // 4294967300 = 2^32 + 4 used to become 4 through an int cast.
    json j = issueExample();
    j["bits"] = json::array({4294967300ULL, 8});
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(
                    HasSubstr("bits[0]: expected a bit width between 2 and 8, got 4294967300")));
    j = issueExample();
    j["layers"][2]["pinned"] = 4294967304ULL;
    EXPECT_THAT([&] { problemFromJson(j); }, ThrowsMessage<tm2::Error>(HasSubstr("layers[2].pinned")));
}

TEST(BitAllocationJsonTest, AlphaBudgetsInterpolateBetweenAllLowAndAllHigh) {
    json j = issueExample();
    for (const char* key : {"size_bytes_max", "bops_max", "latency_us_max", "group_size_bytes_max"})
        j.erase(key);
    j["size_alpha"] = 0.25;
    j["bops_alpha"] = 1.0;
    const auto p = problemFromJson(j);
    // fc pinned at 8: all-low = 500 + 1000 + 4000 = 5500, all-high = 1000 + 2000 + 4000 = 7000.
    EXPECT_DOUBLE_EQ(*p.size_bytes_max, 5500 + 0.25 * 1500);
    // all-high BOPS = 64 · (50000 + 80000 + 4000)
    EXPECT_DOUBLE_EQ(*p.bops_max, 64.0 * 134000);
    j["size_bytes_max"] = 100;
    EXPECT_THAT([&] { problemFromJson(j); },
                ThrowsMessage<tm2::Error>(HasSubstr("give either size_bytes_max or size_alpha")));
}

TEST(BitAllocationJsonTest, AnswersCarryStatusBitsAndTotals) {
    json j = issueExample();
    j.erase("latency_us_max");
    j.erase("group_size_bytes_max");
    j["size_bytes_max"] = 6000;
    const auto problem = problemFromJson(j);
    const json optimal = tm2::quant::allocationToJson(tm2::quant::solveBitAllocation(problem));
    EXPECT_EQ(optimal["status"], "optimal");
    // 6000 bytes with fc pinned at 8 (4000): conv1 at 8 (1000) + conv2 at 4 (1000) fits, Ω 0.5 + 2.0;
    // conv2 at 8 (2000) does not fit beside conv1 at 4 (500). The pinned fc adds its Ω 0.2.
    EXPECT_EQ(optimal["bits"], json({{"conv1", 8}, {"conv2", 4}, {"fc", 8}}));
    EXPECT_DOUBLE_EQ(optimal["objective"].get<double>(), 0.5 + 2.0 + 0.2);
    EXPECT_DOUBLE_EQ(optimal["size_bytes"].get<double>(), 6000);
    for (const char* key : {"solve_ms", "bops"}) EXPECT_TRUE(optimal.contains(key)) << key;
    EXPECT_FALSE(optimal.contains("message"));

    j["size_bytes_max"] = 5000;  // below the all-4 size (fc pinned at 8): 5500
    const json infeasible = tm2::quant::allocationToJson(tm2::quant::solveBitAllocation(problemFromJson(j)));
    EXPECT_EQ(infeasible["status"], "infeasible");
    EXPECT_TRUE(infeasible["bits"].empty());
    EXPECT_FALSE(infeasible.contains("objective"));
    EXPECT_DOUBLE_EQ(infeasible["min_size_bytes"].get<double>(), 5500);
    EXPECT_DOUBLE_EQ(infeasible["min_bops"].get<double>(), 16.0 * 130000 + 64.0 * 4000);
    EXPECT_THAT(infeasible["message"].get<std::string>(), HasSubstr("5500 bytes"));
}

}  // namespace
