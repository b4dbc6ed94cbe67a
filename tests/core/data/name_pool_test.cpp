#include "core/data/name_pool.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/data/feature_set.h"

namespace tm2::data {
namespace {

TEST(NamePoolTest, NamesReadBackByNumberEmptyOnesToo) {
    NamePool pool;
    EXPECT_EQ(pool.add("s0"), 0u);
    EXPECT_EQ(pool.add(""), 1u);
    EXPECT_EQ(pool.add("a-participant-name-longer-than-sso"), 2u);
    EXPECT_EQ(pool.add("s0"), 3u);  // no deduplication: every add is a new name
    EXPECT_EQ(pool.at(0), "s0");
    EXPECT_EQ(pool.at(1), "");
    EXPECT_EQ(pool.at(2), "a-participant-name-longer-than-sso");
    EXPECT_EQ(pool.size(), 4u);
    EXPECT_EQ(pool.textBytes(), 2u + 0u + 34u + 2u);
    EXPECT_THROW((void)pool.at(4), Error);
}

TEST(SplitNameTest, HoldsTheThreeSplitsOrNoneAndRefusesOtherNames) {
    EXPECT_TRUE(SplitName().empty());
    EXPECT_EQ(SplitName("train"), "train");
    EXPECT_EQ(SplitName(std::string("val")).str(), "val");
    EXPECT_NE(SplitName("test"), SplitName("val"));
    EXPECT_EQ(sizeof(SplitName), 1u);
    try {
        SplitName("validation");
        FAIL() << "an unknown split was taken";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "split 'validation' is not train, val or test");
    }
}

TEST(FeatureItemTest, NamesComeFromTheSetAndTheIdSaysCopyAndWindow) {
    FeatureSet set;
    FeatureItem& whole = set.addItem("rec", "", 1, "val");
    EXPECT_EQ(set.id(whole), "rec");
    EXPECT_EQ(set.groupOrRecording(whole), "rec");
    FeatureItem& window = set.addItem("rec", "p7", 0, "train");
    window.noise_copy = 2;
    window.window = 3;
    EXPECT_EQ(set.id(window), "rec~noise2#3");  // as buildFeatures named them before names were pooled
    EXPECT_EQ(set.recording(window), "rec");
    EXPECT_EQ(set.group(window), "p7");
    EXPECT_EQ(set.groupOrRecording(window), "p7");
    // What makes 300 k streamed items cost megabytes, not a hundred (docs/large-datasets.md).
    EXPECT_LE(sizeof(FeatureItem), 56u);
}

}  // namespace
}  // namespace tm2::data
