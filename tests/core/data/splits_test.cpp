#include "core/data/splits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
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

// Windows as buildFeatures makes them: `recordings` per group, `windows` each, label by group parity.
FeatureSet windowedFeatures(int groups, int recordings, int windows) {
    FeatureSet set;
    for (int g = 0; g < groups; ++g)
        for (int r = 0; r < recordings; ++r)
            for (int w = 0; w < windows; ++w) {
                FeatureItem& item = set.addItem("g" + std::to_string(g) + "r" + std::to_string(r),
                                                "g" + std::to_string(g), g % 2, SplitName());
                item.window = w;
            }
    return set;
}

TEST(RandomChunkSplitsTest, AssignsWindowsOneByOneAndCountsTheParticipantsThatLeak) {
    FeatureSet set = windowedFeatures(10, 2, 10);  // 200 windows, 100 per label
    const std::string warning = assignRandomChunkSplits(set, seeded(2));
    std::map<std::string, std::set<std::string>> splits_of_recording, splits_of_group;
    std::map<std::string, std::size_t> counts;
    for (const auto& item : set.items) {
        const std::string split(item.split.str());
        splits_of_recording[std::string(set.recording(item))].insert(split);
        splits_of_group[std::string(set.group(item))].insert(split);
        ++counts[split];
    }
    // Windows, not recordings: some recording has windows on both sides.
    EXPECT_TRUE(std::any_of(splits_of_recording.begin(), splits_of_recording.end(),
                            [](const auto& r) { return r.second.size() > 1; }));
    std::size_t leaking = 0;
    for (const auto& [group, seen] : splits_of_group) leaking += seen.size() > 1;
    ASSERT_GT(leaking, 0u);
    EXPECT_THAT(warning, HasSubstr("200 windows assigned to splits one by one; " + std::to_string(leaking) +
                                   " of 10 participants have windows in more than one split"));
    // Stratified window counts: round(0.15 * 100) = 15 per label in val and in test.
    EXPECT_EQ(counts, (std::map<std::string, std::size_t>{{"test", 30}, {"train", 140}, {"val", 30}}));
}

TEST(RandomChunkSplitsTest, WarnsEvenWhenNoParticipantLeaks) {
    FeatureSet set = windowedFeatures(20, 1, 1);  // one window per participant: nothing can leak
    EXPECT_THAT(assignRandomChunkSplits(set, seeded(2)),
                HasSubstr("0 of 20 participants have windows in more than one split"));
}

TEST(RandomChunkSplitsTest, SameSeedGivesTheSameWindows) {
    FeatureSet a = windowedFeatures(6, 2, 5), b = windowedFeatures(6, 2, 5);
    assignRandomChunkSplits(a, seeded(9));
    assignRandomChunkSplits(b, seeded(9));
    for (std::size_t i = 0; i < a.items.size(); ++i) EXPECT_EQ(a.items[i].split, b.items[i].split) << i;
}

// ---- the given split stands ------------------------------------------------

// A speaker-dependent protocol: 6 speakers × 4 recordings, 3 in train and 1 in
// test each; labels alternate by speaker.
DatasetIndex speakerDependentIndex() {
    DatasetIndex index;
    for (int g = 0; g < 6; ++g)
        for (int k = 0; k < 4; ++k)
            index.samples.push_back({"s" + std::to_string(g) + "_" + std::to_string(k),
                                     "g" + std::to_string(g),
                                     g % 2 ? "pos" : "neg",
                                     k == 3 ? "test" : "train",
                                     {},
                                     0.0});
    return index;
}

TEST(GivenSplitsTest, GroupAssignmentKeepsEverySamplesGivenSplitEvenWhenItsGroupStraddles) {
    DatasetIndex index = speakerDependentIndex();
    const std::vector<std::string> given = splitsOf(index);
    assignGroupSplits(index, seeded(1));
    EXPECT_EQ(splitsOf(index), given);  // the group's majority (train) no longer swallows the test rows
}

TEST(GivenSplitsTest, SpeakerDependentProtocolIsKeptAndReportedWithTheGroupCount) {
    DatasetIndex index = speakerDependentIndex();
    const std::vector<std::string> given = splitsOf(index);
    SplitConfig config = seeded(1);
    config.val_fraction = 0.0;  // no validation carved: the splits stay exactly as given
    const auto notes = assignSplits(index, config);
    EXPECT_EQ(splitsOf(index), given);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_THAT(notes[0], HasSubstr("speaker-dependent protocol: 6 groups in train and test"));
    EXPECT_THAT(notes[0], HasSubstr("--resplit group"));
}

TEST(GivenSplitsTest, MissingValidationIsCarvedFromTrainGroupAwareAndSaidSo) {
    // Given: 20 groups of 5, groups 0-15 train, 16-19 test; no val.
    DatasetIndex index = syntheticIndex();
    for (auto& s : index.samples) s.split = std::stoi(s.group.substr(1)) % 20 >= 16 ? "test" : "train";
    const std::vector<std::string> given = splitsOf(index);
    SplitConfig config = seeded(3);
    config.val_fraction = 0.25;
    const auto notes = assignSplits(index, config);

    std::map<std::string, std::set<std::string>> splits_of;
    std::size_t val = 0;
    for (std::size_t i = 0; i < index.samples.size(); ++i) {
        const Sample& s = index.samples[i];
        splits_of[s.group].insert(s.split);
        if (given[i] == "test") {
            EXPECT_EQ(s.split, "test") << s.id;  // test untouched
        }
        if (s.split == "val") {
            EXPECT_EQ(given[i], "train") << s.id;  // val only from train
        }
        val += s.split == "val";
    }
    for (const auto& [group, seen] : splits_of) EXPECT_EQ(seen.size(), 1u) << group;  // group-aware
    // Per label 80 train samples (16 groups), target 0.25 · 80 = 20: within one group of 5.
    EXPECT_GE(val, 30u);
    EXPECT_LE(val, 50u);
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_THAT(notes[0], HasSubstr("the given splits have no validation part: " + std::to_string(val) +
                                    " train samples of " + std::to_string(val / 5) +
                                    " groups became the validation split"));
    EXPECT_THAT(notes[0], HasSubstr("--val 0 keeps none"));

    DatasetIndex again = syntheticIndex();
    for (auto& s : again.samples) s.split = std::stoi(s.group.substr(1)) % 20 >= 16 ? "test" : "train";
    assignSplits(again, config);
    EXPECT_EQ(splitsOf(again), splitsOf(index));  // seeded
}

TEST(GivenSplitsTest, ValZeroKeepsNoValidation) {
    DatasetIndex index = syntheticIndex();
    for (auto& s : index.samples) s.split = std::stoi(s.group.substr(1)) % 20 >= 16 ? "test" : "train";
    SplitConfig config = seeded(3);
    config.val_fraction = 0.0;
    EXPECT_TRUE(assignSplits(index, config).empty());
    EXPECT_EQ(index.splitCounts().count("val"), 0u);
}

TEST(GivenSplitsTest, ResplitGroupAssignsWholeGroupsAnew) {
    DatasetIndex index = speakerDependentIndex();
    SplitConfig config = seeded(1);
    config.keep_existing = false;
    EXPECT_TRUE(assignSplits(index, config).empty());
    EXPECT_TRUE(leakingGroups(index).empty());
}

TEST(GivenSplitsTest, WithoutGivenSplitsTheAssignmentIsGroupAwareAndSilent) {
    DatasetIndex a = syntheticIndex(), b = syntheticIndex();
    EXPECT_TRUE(assignSplits(a, seeded(5)).empty());
    assignGroupSplits(b, seeded(5));
    EXPECT_EQ(splitsOf(a), splitsOf(b));
}

// ---- no empty split passes silently ----------------------------------------

TEST(HeldOutSplitsTest, AnEmptyTestSplitIsAnErrorNamingItAndTheRemedies) {
    FeatureSet set = windowedFeatures(4, 1, 1);
    set.items[0].split = "val";
    for (std::size_t i = 1; i < set.items.size(); ++i) set.items[i].split = "train";
    try {
        requireHeldOutSplits(set, seeded(1));
        FAIL() << "an empty test split passed";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("the test split is empty (4 samples in 4 groups, --test 0.15)"));
        EXPECT_THAT(e.what(), HasSubstr("more groups"));
        EXPECT_THAT(e.what(), HasSubstr("--test 0 trains without test metrics"));
    }
}

TEST(HeldOutSplitsTest, AnEmptyValidationSplitIsAnErrorUnlessItsFractionIsZero) {
    FeatureSet set = windowedFeatures(4, 1, 1);
    for (auto& item : set.items) item.split = "train";
    set.items[0].split = "test";
    EXPECT_THROW(requireHeldOutSplits(set, seeded(1)), Error);
    SplitConfig config = seeded(1);
    config.val_fraction = 0.0;
    EXPECT_NO_THROW(requireHeldOutSplits(set, config));
    for (auto& item : set.items) item.split = "train";
    config.test_fraction = 0.0;
    EXPECT_NO_THROW(requireHeldOutSplits(set, config));  // both fractions 0: asked for on purpose
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
