#include "core/data/splits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "core/base/error.h"

namespace tm2::data {
namespace {

using ::testing::HasSubstr;

// 200 samples in 40 groups of 5; groups 0-19 label "neg", 20-39 label "pos".
DatasetIndex syntheticIndex() {
    DatasetIndex index;
    for (int g = 0; g < 40; ++g)
        for (int k = 0; k < 5; ++k) {
            Sample s;
            s.id = "s" + std::to_string(g) + "_" + std::to_string(k);
            s.group = "g" + std::to_string(g);
            s.label = g < 20 ? "neg" : "pos";
            index.samples.push_back(s);
        }
    return index;
}

std::vector<std::string> splitsOf(const DatasetIndex& index) {
    std::vector<std::string> out;
    for (const auto& s : index.samples) out.push_back(s.split);
    return out;
}

SplitConfig seeded(std::uint64_t seed) {
    SplitConfig config;
    config.seed = seed;
    return config;
}

TEST(GroupSplitsTest, NoGroupIsInTwoSplitsForAnySeed) {
    for (std::uint64_t seed : {1u, 2u, 3u, 42u, 1234u, 99999u}) {
        DatasetIndex index = syntheticIndex();
        assignGroupSplits(index, seeded(seed));
        EXPECT_TRUE(leakingGroups(index).empty()) << "seed " << seed;
        for (const auto& s : index.samples) EXPECT_FALSE(s.split.empty());
    }
}

TEST(GroupSplitsTest, CountsPerLabelAreWithinOneGroupOfTheTargets) {
    // Per label: 100 samples, targets 15 val and 15 test = 3 groups of 5 each.
    for (std::uint64_t seed : {7u, 8u, 9u}) {
        DatasetIndex index = syntheticIndex();
        assignGroupSplits(index, seeded(seed));
        std::map<std::pair<std::string, std::string>, int> counts;
        for (const auto& s : index.samples) ++counts[{s.label, s.split}];
        for (const char* label : {"neg", "pos"}) {
            EXPECT_LE(std::abs(counts[{label, "val"}] - 15), 5) << label << " seed " << seed;
            EXPECT_LE(std::abs(counts[{label, "test"}] - 15), 5) << label << " seed " << seed;
            EXPECT_LE(std::abs(counts[{label, "train"}] - 70), 5) << label << " seed " << seed;
        }
    }
}

TEST(GroupSplitsTest, SameSeedGivesTheSameSplit) {
    DatasetIndex a = syntheticIndex(), b = syntheticIndex();
    assignGroupSplits(a, seeded(5));
    assignGroupSplits(b, seeded(5));
    EXPECT_EQ(splitsOf(a), splitsOf(b));
}

TEST(GroupSplitsTest, DifferentSeedsGiveDifferentSplits) {
    DatasetIndex a = syntheticIndex(), b = syntheticIndex();
    assignGroupSplits(a, seeded(5));
    assignGroupSplits(b, seeded(6));
    EXPECT_NE(splitsOf(a), splitsOf(b));
}

TEST(GroupSplitsTest, EverySplitHoldsEveryLabelWhenGroupsSuffice) {
    for (std::uint64_t seed : {11u, 12u, 13u}) {
        DatasetIndex index = syntheticIndex();
        assignGroupSplits(index, seeded(seed));
        std::set<std::pair<std::string, std::string>> seen;
        for (const auto& s : index.samples) seen.insert({s.split, s.label});
        for (const char* split : {"train", "val", "test"})
            for (const char* label : {"neg", "pos"})
                EXPECT_TRUE(seen.count({split, label})) << split << "/" << label;
    }
}

TEST(GroupSplitsTest, SmallLabelsStillGetATrainGroupAndNonEmptyHeldOutSplits) {
    // 3 groups of 10 for one label: targets of 4.5 samples fall below half a
    // group, so only the post-pass gives val and test a group each.
    DatasetIndex index;
    for (int g = 0; g < 3; ++g)
        for (int k = 0; k < 10; ++k)
            index.samples.push_back(
                {"s" + std::to_string(g * 10 + k), "g" + std::to_string(g), "x", "", {}, 0.0});
    assignGroupSplits(index, seeded(3));
    EXPECT_EQ(index.splitCounts(),
              (std::map<std::string, std::size_t>{{"test", 10}, {"train", 10}, {"val", 10}}));

    DatasetIndex single;
    single.samples.push_back({"only", "g", "x", "", {}, 0.0});
    assignGroupSplits(single, seeded(3));
    EXPECT_EQ(single.samples[0].split, "train");
}

TEST(GroupSplitsTest, KeepsPreassignedGroupsWholeAndUntouched) {
    DatasetIndex index = syntheticIndex();
    index.samples[0].split = "test";  // group g0: one sample preassigned -> whole group test
    index.samples[5].split = "val";   // group g1
    assignGroupSplits(index, seeded(1));
    for (int k = 0; k < 5; ++k) {
        EXPECT_EQ(index.samples[static_cast<std::size_t>(k)].split, "test");
        EXPECT_EQ(index.samples[static_cast<std::size_t>(5 + k)].split, "val");
    }
    EXPECT_TRUE(leakingGroups(index).empty());
}

TEST(GroupSplitsTest, KeepExistingOffReassignsEverything) {
    DatasetIndex a = syntheticIndex(), b = syntheticIndex();
    for (auto& s : a.samples) s.split = "test";
    SplitConfig config = seeded(4);
    config.keep_existing = false;
    assignGroupSplits(a, config);
    assignGroupSplits(b, config);
    EXPECT_EQ(splitsOf(a), splitsOf(b));
}

TEST(GroupSplitsTest, RejectsFractionsThatLeaveNoTraining) {
    DatasetIndex index = syntheticIndex();
    SplitConfig config;
    config.val_fraction = 0.5;
    config.test_fraction = 0.5;
    EXPECT_THROW(assignGroupSplits(index, config), Error);
}

TEST(RandomChunkSplitsTest, WarnsThatParticipantsLeakAndListsThem) {
    DatasetIndex index = syntheticIndex();
    const std::string warning = assignRandomChunkSplits(index, seeded(2));
    const auto leaks = leakingGroups(index);
    ASSERT_FALSE(leaks.empty());
    EXPECT_THAT(warning, HasSubstr("chunk-level random split: " + std::to_string(leaks.size()) +
                                   " participants appear in more than one split"));
    EXPECT_THAT(warning, HasSubstr("participants leak across splits"));
    // Stratified sample counts: round(0.15 * 100) = 15 per label in val and test.
    EXPECT_EQ(index.splitCounts(),
              (std::map<std::string, std::size_t>{{"test", 30}, {"train", 140}, {"val", 30}}));
}

TEST(RandomChunkSplitsTest, NoWarningWhenEveryGroupIsOneSample) {
    DatasetIndex index;
    for (int i = 0; i < 20; ++i) index.samples.push_back({"s" + std::to_string(i), "", "x", "", {}, 0.0});
    EXPECT_EQ(assignRandomChunkSplits(index, seeded(2)), "");
    EXPECT_TRUE(leakingGroups(index).empty());
}

TEST(LeakingGroupsTest, ListsGroupsFoundInTwoSplitsSorted) {
    DatasetIndex index;
    index.samples = {{"1", "b", "x", "train", {}, 0.0}, {"2", "b", "x", "test", {}, 0.0},
                     {"3", "a", "x", "val", {}, 0.0},   {"4", "a", "x", "train", {}, 0.0},
                     {"5", "c", "x", "train", {}, 0.0}, {"6", "c", "x", "", {}, 0.0}};
    EXPECT_EQ(leakingGroups(index), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace tm2::data
