#include "core/data/feature_shard.h"

#include <gtest/gtest.h>

#include <set>

#include "core/base/error.h"

namespace tm2::data {
namespace {

DatasetIndex indexOf(std::size_t n) {
    DatasetIndex index;
    index.root = "/data";
    index.skipped.push_back({"/data/bad.wav", 3, "unreadable"});
    for (std::size_t i = 0; i < n; ++i) {
        Sample s;
        s.id = "s" + std::to_string(i);
        index.samples.push_back(s);
    }
    return index;
}

std::string messageOf(const std::string& text) {
    try {
        parseFeatureShard(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(FeatureShardTest, ParsesIOfN) {
    const FeatureShard shard = parseFeatureShard("3/8");
    EXPECT_EQ(shard.index, 3u);
    EXPECT_EQ(shard.count, 8u);
}

TEST(FeatureShardTest, MalformedShardsAreErrorsNamingTheOption) {
    for (const std::string bad : {"", "3", "/8", "3/", "a/8", "3/8/1", "-1/8", "3/-8", " 3/8", "8/8", "9/8",
                                  "0/0", "1/99999999999999999999"}) {
        const std::string message = messageOf(bad);
        EXPECT_NE(message.find("--shard '" + bad + "'"), std::string::npos) << bad << ": " << message;
    }
    EXPECT_NE(messageOf("8/8").find("below N"), std::string::npos);
}

TEST(FeatureShardTest, ShardsAreDisjointAndCoverTheDatasetInOrder) {
    for (std::size_t n : {0u, 1u, 7u, 10u, 101u})
        for (std::size_t count : {1u, 2u, 3u, 8u, 200u}) {
            std::vector<std::string> seen;
            std::size_t smallest = n, largest = 0;
            for (std::size_t i = 0; i < count; ++i) {
                const DatasetIndex shard = shardOf(indexOf(n), {i, count});
                for (const auto& s : shard.samples) seen.push_back(s.id);
                smallest = std::min(smallest, shard.samples.size());
                largest = std::max(largest, shard.samples.size());
                EXPECT_EQ(shard.skipped.size(), i == 0 ? 1u : 0u);  // reported once
            }
            // Every sample exactly once, in the index's order: the concatenation is the index.
            std::vector<std::string> expected;
            for (const auto& s : indexOf(n).samples) expected.push_back(s.id);
            EXPECT_EQ(seen, expected) << n << " samples, " << count << " shards";
            EXPECT_LE(largest - std::min(smallest, largest), 1u) << n << " samples, " << count << " shards";
        }
}

}  // namespace
}  // namespace tm2::data
