#include "core/data/dataset_layouts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using tm2::testing::TempDir;
using tm2::testing::writeTextFile;

// Layout readers never decode, so a few bytes stand in for a recording or image.
void touch(const fs::path& path) { writeTextFile(path, "RIFF"); }

bool anySkippedSays(const DatasetIndex& index, const std::string& text) {
    return std::any_of(index.skipped.begin(), index.skipped.end(),
                       [&](const SkippedItem& s) { return s.reason.find(text) != std::string::npos; });
}

const Sample* findSample(const DatasetIndex& index, const std::string& id) {
    for (const auto& s : index.samples)
        if (s.id == id) return &s;
    return nullptr;
}

// ---- (a) folder per class ----

void makeFolderFixture(const fs::path& root) {
    for (const char* stem : {"coat/17", "coat/spk3_2", "bag/4"}) {
        touch(root / "image" / (std::string(stem) + ".png"));
        touch(root / "audio" / (std::string(stem) + ".wav"));
    }
    touch(root / "image/coat/18.png");  // no audio partner
    touch(root / "audio/bag/readme.txt");
}

TEST(FolderLayoutTest, PairsFilesByClassAndStemAcrossModalities) {
    TempDir dir;
    makeFolderFixture(dir.path());
    const DatasetIndex index = readFolderPerClass(dir.path().string());
    EXPECT_EQ(index.layout, "folder");
    ASSERT_EQ(index.spec.modalities.size(), 2u);  // sorted folder names
    EXPECT_EQ(index.spec.modalities[0].name, "audio");
    EXPECT_EQ(index.spec.modalities[0].kind, ModalityKind::Audio);
    EXPECT_EQ(index.spec.modalities[1].name, "image");
    EXPECT_EQ(index.spec.modalities[1].kind, ModalityKind::Image);
    ASSERT_EQ(index.samples.size(), 3u);
    const Sample* coat = findSample(index, "coat/17");
    ASSERT_NE(coat, nullptr);
    EXPECT_EQ(coat->label, "coat");
    EXPECT_EQ(coat->group, "coat/17");
    EXPECT_TRUE(fs::equivalent(coat->paths[0], dir.path() / "audio/coat/17.wav"));
    EXPECT_TRUE(fs::equivalent(coat->paths[1], dir.path() / "image/coat/17.png"));
    EXPECT_EQ(index.classCounts().at("coat"), 2u);
}

TEST(FolderLayoutTest, SpeakerStyleIdsGroupBySpeaker) {
    TempDir dir;
    makeFolderFixture(dir.path());
    const DatasetIndex index = readFolderPerClass(dir.path().string());
    const Sample* s = findSample(index, "coat/spk3_2");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->group, "spk3");
}

TEST(FolderLayoutTest, SkipsUnpairedAndNonMediaFilesWithReasons) {
    TempDir dir;
    makeFolderFixture(dir.path());
    const DatasetIndex index = readFolderPerClass(dir.path().string());
    EXPECT_TRUE(anySkippedSays(index, "no matching 'audio' file for image/coat/18.png"));
    EXPECT_TRUE(anySkippedSays(index, "not an audio or image file"));
    EXPECT_EQ(index.skipped.size(), 2u);
}

TEST(FolderLayoutTest, DatasetJsonFixesModalitiesAndClasses) {
    TempDir dir;
    makeFolderFixture(dir.path());
    DatasetSpec spec;
    ModalitySpec image;
    image.name = "image";
    image.kind = ModalityKind::Image;
    image.image.width = 32;
    image.image.height = 32;
    spec.modalities = {image};
    spec.classes = {"coat"};
    writeDatasetSpec((dir.path() / "dataset.json").string(), spec);
    const DatasetIndex index = readFolderPerClass(dir.path().string());
    ASSERT_EQ(index.spec.modalities.size(), 1u);
    EXPECT_EQ(index.spec.modalities[0].image.width, 32);
    EXPECT_EQ(index.samples.size(), 3u);  // coat/17, coat/18, coat/spk3_2; bag is not a class
    EXPECT_TRUE(anySkippedSays(index, "unknown label 'bag'"));
}

TEST(FolderLayoutTest, SymlinksOutOfTheFolderAndDevicesAreSkippedWithTheReason) {
    TempDir dir;
    const fs::path root = dir.path() / "data";
    makeFolderFixture(root);
    touch(dir.path() / "elsewhere.wav");
    fs::create_symlink(dir.path() / "elsewhere.wav",
                       root / "audio/coat/18.wav");  // pairs with image/coat/18.png
    fs::create_symlink("/dev/zero", root / "audio/bag/5.wav");
    touch(root / "image/bag/5.png");
    const DatasetIndex index = readFolderPerClass(root.string());
    EXPECT_EQ(index.samples.size(), 3u);  // coat/18 and bag/5 are not among them
    EXPECT_EQ(findSample(index, "coat/18"), nullptr);
    EXPECT_TRUE(anySkippedSays(index, "outside the dataset folder"));
    EXPECT_TRUE(anySkippedSays(index, "not a regular file"));

    const DatasetIndex shared = readFolderPerClass(root.string(), /*allow_outside_paths=*/true);
    EXPECT_NE(findSample(shared, "coat/18"), nullptr);
    EXPECT_EQ(findSample(shared, "bag/5"), nullptr);
    EXPECT_TRUE(anySkippedSays(shared, "not a regular file"));
}

TEST(FolderLayoutTest, EmptyFolderThrows) {
    TempDir dir;
    EXPECT_THROW(readFolderPerClass(dir.path().string()), Error);
}

// ---- (b) Coswara ----

void makeCoswaraFixture(const fs::path& root) {
    writeTextFile(root / "combined_data.csv",
                  "id,a,covid_status,g\n"
                  "P1,30,healthy,male\n"
                  "P2,41,positive_mild,female\n"
                  "P3,25,no_resp_illness_exposed,male\n"
                  "P4,52,positive_asymp,female\n"
                  "P5,33,healthy,male\n");
    for (const char* id : {"P1", "P2", "P3"}) {
        touch(root / "20200413" / id / "cough-heavy.wav");
        touch(root / "20200413" / id / "counting-normal.wav");
        touch(root / "20200413" / id / "vowel-a.wav");
    }
    touch(root / "20200502/P4/cough-heavy.wav");  // no counting-normal
    touch(root / "20200502/P5/cough-heavy.wav");
    touch(root / "20200502/P5/counting-normal.wav");
    touch(root / "20200502/P9/cough-heavy.wav");  // not in the metadata
}

TEST(CoswaraLayoutTest, ReadsParticipantsWithBothRecordingsAndMapsStatuses) {
    TempDir dir;
    makeCoswaraFixture(dir.path());
    const DatasetIndex index = readCoswara(dir.path().string(), LayoutOptions{});
    EXPECT_EQ(index.layout, "coswara");
    ASSERT_EQ(index.spec.modalities.size(), 2u);
    EXPECT_EQ(index.spec.modalities[0].name, "cough-heavy");
    EXPECT_EQ(index.spec.modalities[1].name, "counting-normal");
    EXPECT_DOUBLE_EQ(index.spec.modalities[0].audio.window_s, 2.0);
    ASSERT_EQ(index.samples.size(), 3u);
    const Sample* p2 = findSample(index, "P2");
    ASSERT_NE(p2, nullptr);
    EXPECT_EQ(p2->label, "positive");
    EXPECT_EQ(p2->group, "P2");
    EXPECT_TRUE(fs::equivalent(p2->paths[1], dir.path() / "20200413/P2/counting-normal.wav"));
    EXPECT_EQ(findSample(index, "P1")->label, "negative");
    EXPECT_EQ(findSample(index, "P5")->label, "negative");
}

TEST(CoswaraLayoutTest, SkipsOtherStatusesMissingRecordingsAndUnknownParticipants) {
    TempDir dir;
    makeCoswaraFixture(dir.path());
    const DatasetIndex index = readCoswara(dir.path().string(), LayoutOptions{});
    EXPECT_TRUE(
        anySkippedSays(index, "covid_status 'no_resp_illness_exposed' is neither healthy nor positive"));
    EXPECT_TRUE(anySkippedSays(index, "'P4' has no counting-normal.wav"));
    EXPECT_TRUE(anySkippedSays(index, "'P9' is not in combined_data.csv"));
    EXPECT_EQ(index.skipped.size(), 3u);
}

TEST(CoswaraLayoutTest, OptionsChooseTheRecordingsAndTheMetadataFile) {
    TempDir dir;
    makeCoswaraFixture(dir.path());
    fs::rename(dir.path() / "combined_data.csv", dir.path() / "meta.csv");
    LayoutOptions options;
    options.coswara_second = "vowel-a";
    options.coswara_metadata = (dir.path() / "meta.csv").string();
    const DatasetIndex index = readCoswara(dir.path().string(), options);
    EXPECT_EQ(index.spec.modalities[1].name, "vowel-a");
    EXPECT_EQ(index.samples.size(), 2u);  // P1, P2 (P3's status and P5's vowel rule them out)
}

TEST(CoswaraLayoutTest, MissingMetadataThrows) {
    TempDir dir;
    touch(dir.path() / "20200413/P1/cough-heavy.wav");
    EXPECT_THROW(readCoswara(dir.path().string(), LayoutOptions{}), Error);
}

// ---- (c) ComParE CCS + CSS ----

void makeCompareFixture(const fs::path& root, bool with_participants = true) {
    const fs::path ccs = root / "ComParE2021_CCS", css = root / "ComParE2021_CSS";
    for (const char* f : {"train_001.wav", "train_002.wav", "train_003.wav", "devel_001.wav", "test_001.wav"})
        touch(ccs / "wav" / f);
    for (const char* f : {"train_001.wav", "train_002.wav", "devel_001.wav", "test_001.wav"})
        touch(css / "wav" / f);
    writeTextFile(ccs / "lab/train.csv",
                  "filename,label\ntrain_001.wav,P\ntrain_002.wav,N\ntrain_003.wav,N\n");
    writeTextFile(ccs / "lab/devel.csv", "filename,label\ndevel_001.wav,N\n");
    writeTextFile(ccs / "lab/test.csv", "filename,label\ntest_001.wav,?\n");
    writeTextFile(css / "lab/train.tsv", "filename\tlabel\ntrain_001.wav\tP\ntrain_002.wav\tP\n");
    writeTextFile(css / "lab/devel.tsv", "filename\tlabel\ndevel_001.wav\tN\n");
    if (with_participants)
        writeTextFile(root / "participants.csv",
                      "filename,participant\n"
                      "ComParE2021_CCS/wav/train_001.wav,alice\n"
                      "ComParE2021_CSS/wav/train_001.wav,alice\n"
                      "ComParE2021_CCS/wav/train_002.wav,bob\n"
                      "ComParE2021_CSS/wav/train_002.wav,bob\n"
                      "ComParE2021_CCS/wav/train_003.wav,bob\n"
                      "ComParE2021_CCS/wav/devel_001.wav,carol\n"
                      "ComParE2021_CSS/wav/devel_001.wav,carol\n"
                      "train_009.wav,dave\n");
}

TEST(CompareLayoutTest, PairsCoughAndSpeechOfTheSameParticipant) {
    TempDir dir;
    makeCompareFixture(dir.path());
    const DatasetIndex index = readCompare(dir.path().string());
    EXPECT_EQ(index.layout, "compare");
    ASSERT_EQ(index.spec.modalities.size(), 2u);
    EXPECT_EQ(index.spec.modalities[0].name, "cough");
    EXPECT_EQ(index.spec.modalities[1].name, "speech");
    ASSERT_EQ(index.samples.size(), 2u);  // alice (train, P) and carol (devel, N)
    const Sample& alice = index.samples[0];
    EXPECT_EQ(alice.group, "alice");
    EXPECT_EQ(alice.label, "positive");
    EXPECT_EQ(alice.split, "train");
    EXPECT_TRUE(fs::equivalent(alice.paths[0], dir.path() / "ComParE2021_CCS/wav/train_001.wav"));
    EXPECT_TRUE(fs::equivalent(alice.paths[1], dir.path() / "ComParE2021_CSS/wav/train_001.wav"));
    EXPECT_EQ(index.samples[1].group, "carol");
    EXPECT_EQ(index.samples[1].split, "val");  // devel -> val
}

TEST(CompareLayoutTest, SkipsHiddenTestLabelsDisagreementsAndLeftovers) {
    TempDir dir;
    makeCompareFixture(dir.path());
    const DatasetIndex index = readCompare(dir.path().string());
    EXPECT_TRUE(anySkippedSays(index, "label '?'"));
    EXPECT_TRUE(anySkippedSays(index, "cough says N, speech says P"));            // bob's first pair
    EXPECT_TRUE(anySkippedSays(index, "no speech recording left to pair with"));  // bob's second cough
    EXPECT_TRUE(anySkippedSays(index, "cannot tell whether 'train_009.wav' is a cough"));
}

TEST(CompareLayoutTest, LabelFileNamesLeadingOutOfTheWavFolderAreSkipped) {
    TempDir dir;
    const fs::path root = dir.path() / "data";
    makeCompareFixture(root);
    touch(dir.path() / "victim.wav");
    // A label file naming ../../../victim.wav or an absolute path reaches files outside the dataset.
    writeTextFile(root / "ComParE2021_CCS/lab/devel.csv",
                  "filename,label\ndevel_001.wav,N\n../../../victim.wav,N\n" +
                      (dir.path() / "victim.wav").string() + ",N\n");
    const DatasetIndex index = readCompare(root.string());
    const auto outside =
        std::count_if(index.skipped.begin(), index.skipped.end(), [](const SkippedItem& item) {
            return item.reason.find("outside the dataset folder") != std::string::npos;
        });
    EXPECT_EQ(outside, 2);
}

TEST(CompareLayoutTest, WithoutParticipantsCsvExplainsWhyPairingNeedsIt) {
    TempDir dir;
    makeCompareFixture(dir.path(), false);
    try {
        readCompare(dir.path().string());
        FAIL() << "expected tm2::Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("participants.csv"));
        EXPECT_THAT(e.what(), HasSubstr("no participant ids"));
    }
}

// ---- auto-detection ----

TEST(OpenDatasetTest, DetectsEachLayout) {
    TempDir folder, coswara, compare, manifest;
    makeFolderFixture(folder.path());
    makeCoswaraFixture(coswara.path());
    makeCompareFixture(compare.path());
    touch(manifest.path() / "a.wav");
    writeTextFile(manifest.path() / "manifest.csv", "id,label,audio\na,x,a.wav\n");
    EXPECT_EQ(openDataset(folder.path().string()).layout, "folder");
    EXPECT_EQ(openDataset(coswara.path().string()).layout, "coswara");
    EXPECT_EQ(openDataset(compare.path().string()).layout, "compare");
    EXPECT_EQ(openDataset(manifest.path().string()).layout, "manifest");
    EXPECT_EQ(openDataset((manifest.path() / "manifest.csv").string()).layout, "manifest");
}

TEST(OpenDatasetTest, DetectsCoswaraWithoutMetadataAtTheTopByItsRecordings) {
    TempDir dir;
    makeCoswaraFixture(dir.path() / "extracted");
    fs::rename(dir.path() / "extracted/combined_data.csv",
               dir.path() / "extracted/20200413/combined_data.csv");
    EXPECT_EQ(openDataset((dir.path() / "extracted").string()).layout, "coswara");
}

TEST(OpenDatasetTest, ExplicitLayoutSkipsDetection) {
    TempDir dir;
    makeFolderFixture(dir.path());
    LayoutOptions options;
    options.layout = "coswara";
    EXPECT_THROW(openDataset(dir.path().string(), options), Error);  // no combined_data.csv
    options.layout = "bogus";
    EXPECT_THROW(openDataset(dir.path().string(), options), Error);
}

TEST(OpenDatasetTest, UnrecognisedFolderThrowsNamingPathAndLayoutsTried) {
    TempDir dir;
    writeTextFile(dir.path() / "notes/readme.txt", "hi");
    try {
        openDataset(dir.path().string());
        FAIL() << "expected tm2::Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr(dir.path().filename().string()));
        EXPECT_THAT(e.what(), HasSubstr("manifest"));
        EXPECT_THAT(e.what(), HasSubstr("coswara"));
        EXPECT_THAT(e.what(), HasSubstr("folder"));
    }
}

}  // namespace
}  // namespace tm2::data
