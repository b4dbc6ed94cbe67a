#include "core/data/manifest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using tm2::testing::TempDir;
using tm2::testing::writeTextFile;

// Files are never decoded here; a few bytes make them exist.
void touch(const TempDir& dir, const std::string& name) { writeTextFile(dir.path() / name, "RIFF"); }

std::string readText(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const SkippedItem* findSkipped(const DatasetIndex& index, int line) {
    for (const auto& item : index.skipped)
        if (item.line == line) return &item;
    return nullptr;
}

TEST(ManifestTest, ReadsSamplesWithAbsolutePathsAndKindsGuessedFromExtensions) {
    TempDir dir;
    touch(dir, "img/a.png");
    touch(dir, "snd/a.wav");
    touch(dir, "img/b.png");
    touch(dir, "snd/b.wav");
    // Columns in an unusual order; no group or split column.
    writeTextFile(dir.path() / "manifest.csv",
                  "image,label,id,audio\nimg/a.png,cat,a,snd/a.wav\nimg/b.png,dog,b,snd/b.wav\n");
    const DatasetIndex index = readManifest(dir.file("manifest.csv"));
    EXPECT_EQ(index.layout, "manifest");
    ASSERT_EQ(index.spec.modalities.size(), 2u);
    EXPECT_EQ(index.spec.modalities[0].name, "image");
    EXPECT_EQ(index.spec.modalities[0].kind, ModalityKind::Image);
    EXPECT_EQ(index.spec.modalities[1].name, "audio");
    EXPECT_EQ(index.spec.modalities[1].kind, ModalityKind::Audio);
    ASSERT_EQ(index.samples.size(), 2u);
    const Sample& a = index.samples[0];
    EXPECT_EQ(a.id, "a");
    EXPECT_EQ(a.label, "cat");
    EXPECT_EQ(a.group, "a");  // defaults to the id
    EXPECT_EQ(a.split, "");
    ASSERT_EQ(a.paths.size(), 2u);
    EXPECT_TRUE(fs::path(a.paths[0]).is_absolute());
    EXPECT_TRUE(fs::equivalent(a.paths[0], dir.path() / "img/a.png"));
    EXPECT_TRUE(fs::equivalent(a.paths[1], dir.path() / "snd/a.wav"));
    EXPECT_TRUE(index.skipped.empty());
    EXPECT_EQ(index.classNames(), (std::vector<std::string>{"cat", "dog"}));
}

TEST(ManifestTest, AcceptsTheFolderHoldingManifestCsv) {
    TempDir dir;
    touch(dir, "x.wav");
    writeTextFile(dir.path() / "manifest.csv", "id,group,label,split,audio\nx,spk1,yes,train,x.wav\n");
    const DatasetIndex index = readManifest(dir.path().string());
    ASSERT_EQ(index.samples.size(), 1u);
    EXPECT_EQ(index.samples[0].group, "spk1");
    EXPECT_EQ(index.samples[0].split, "train");
    EXPECT_EQ(index.splitCounts().at("train"), 1u);
}

TEST(ManifestTest, SkipsEachBadLineWithItsLineAndReason) {
    TempDir dir;
    touch(dir, "ok.wav");
    touch(dir, "ok2.wav");
    touch(dir, "pic.png");
    const std::string text =
        "id,group,label,split,audio\n"  // 1
        "a,,yes,,ok.wav\n"              // 2 good
        "b,,yes,ok.wav\n"               // 3 field count
        ",,yes,,ok.wav\n"               // 4 empty id
        "c,,,,ok.wav\n"                 // 5 empty label
        "a,,no,,ok2.wav\n"              // 6 duplicate id
        "d,,yes,,\n"                    // 7 empty modality cell
        "e,,yes,,gone.wav\n"            // 8 missing file
        "f,,yes,,pic.png\n"             // 9 wrong extension
        "g,,yes,holdout,ok.wav\n"       // 10 bad split
        "h,,no,val,ok2.wav\n";          // 11 good
    writeTextFile(dir.path() / "manifest.csv", text);
    const DatasetIndex index = readManifest(dir.file("manifest.csv"));
    ASSERT_EQ(index.samples.size(), 2u);
    EXPECT_EQ(index.samples[1].id, "h");
    ASSERT_EQ(index.skipped.size(), 8u);
    const std::string manifest = dir.file("manifest.csv");
    const std::vector<std::pair<int, std::string>> expected{{3, "expected 5 fields, found 4"},
                                                            {4, "column 'id' is empty"},
                                                            {5, "column 'label' is empty"},
                                                            {6, "duplicate id 'a'"},
                                                            {7, "column 'audio' is empty"},
                                                            {8, "file not found"},
                                                            {9, "wrong extension"},
                                                            {10, "split 'holdout'"}};
    for (const auto& [line, reason] : expected) {
        const SkippedItem* item = findSkipped(index, line);
        ASSERT_NE(item, nullptr) << "line " << line;
        EXPECT_THAT(item->reason, HasSubstr(reason)) << "line " << line;
    }
    EXPECT_EQ(findSkipped(index, 3)->path, manifest);
    // File problems name the file at fault, not the manifest.
    EXPECT_TRUE(fs::path(findSkipped(index, 8)->path).filename() == "gone.wav");
    EXPECT_TRUE(fs::path(findSkipped(index, 9)->path).filename() == "pic.png");
}

// Thousands of ids, each met again later (the id table grows and probes past its collisions):
// every repeat is skipped naming the line its id was first met on, every first kept in order.
TEST(ManifestTest, EveryRepeatedIdAmongThousandsNamesTheLineItWasFirstMetOn) {
    TempDir dir;
    touch(dir, "ok.wav");
    constexpr int kIds = 5000;
    std::string text = "id,label,audio\n";
    for (int pass = 0; pass < 2; ++pass)
        for (int i = 0; i < kIds; ++i) text += "id" + std::to_string(i * 7919 % kIds) + ",x,ok.wav\n";
    const DatasetIndex index = parseManifestText(text, dir.path().string(), "m.csv");
    ASSERT_EQ(index.samples.size(), static_cast<std::size_t>(kIds));
    for (int i = 0; i < kIds; ++i) ASSERT_EQ(index.samples[i].id, "id" + std::to_string(i * 7919 % kIds));
    ASSERT_EQ(index.skipped.size(), static_cast<std::size_t>(kIds));
    for (int i = 0; i < kIds; ++i) {
        const SkippedItem& repeat = index.skipped[static_cast<std::size_t>(i)];
        ASSERT_EQ(repeat.line, kIds + i + 2);
        ASSERT_EQ(repeat.reason, "duplicate id 'id" + std::to_string(i * 7919 % kIds) + "' (first on line " +
                                     std::to_string(i + 2) + ")");
    }
}

TEST(ManifestTest, SidecarDecidesModalitiesAndFixesTheClasses) {
    TempDir dir;
    touch(dir, "1.wav");
    touch(dir, "2.wav");
    touch(dir, "3.wav");
    DatasetSpec spec;
    ModalitySpec cough;
    cough.name = "cough";
    spec.modalities = {cough};
    spec.classes = {"negative", "positive"};
    writeDatasetSpec(dir.file("dataset.json"), spec);
    // 'notes' is neither reserved nor in the sidecar, so it is ignored.
    writeTextFile(dir.path() / "manifest.csv",
                  "id,label,cough,notes\n1,positive,1.wav,free text\n2,maybe,2.wav,\n3,negative,3.wav,x\n");
    const DatasetIndex index = readManifest(dir.file("manifest.csv"));
    ASSERT_EQ(index.spec.modalities.size(), 1u);
    EXPECT_EQ(index.spec.modalities[0].name, "cough");
    ASSERT_EQ(index.samples.size(), 2u);
    ASSERT_EQ(index.skipped.size(), 1u);
    EXPECT_EQ(index.skipped[0].line, 3);
    EXPECT_EQ(index.skipped[0].reason, "unknown label 'maybe'");
    EXPECT_EQ(index.classNames(), (std::vector<std::string>{"negative", "positive"}));
}

TEST(ManifestTest, SidecarModalityMissingFromHeaderThrows) {
    TempDir dir;
    DatasetSpec spec;
    ModalitySpec speech;
    speech.name = "speech";
    spec.modalities = {speech};
    writeDatasetSpec(dir.file("dataset.json"), spec);
    writeTextFile(dir.path() / "manifest.csv", "id,label,cough\n1,p,1.wav\n");
    EXPECT_THROW(readManifest(dir.file("manifest.csv")), Error);
}

TEST(ManifestTest, MissingManifestThrowsNamingIt) {
    TempDir dir;
    try {
        readManifest(dir.file("nope.csv"));
        FAIL() << "expected tm2::Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("nope.csv"));
    }
}

TEST(ManifestTest, HeaderWithoutModalityColumnsThrows) {
    TempDir dir;
    writeTextFile(dir.path() / "manifest.csv", "id,group,label,split\n1,,a,\n");
    EXPECT_THROW(readManifest(dir.file("manifest.csv")), Error);
}

TEST(ManifestTest, HeaderWithoutIdColumnThrows) {
    EXPECT_THROW(parseManifestText("label,audio\nx,a.wav\n", "/tmp", "m.csv"), Error);
}

TEST(ManifestTest, ZeroUsableSamplesThrowsWithTheFirstReason) {
    TempDir dir;
    writeTextFile(dir.path() / "manifest.csv", "id,label,audio\n1,a,missing.wav\n2,a,\n");
    try {
        readManifest(dir.file("manifest.csv"));
        FAIL() << "expected tm2::Error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("no usable samples; 2 skipped: first reason"));
        EXPECT_THAT(e.what(), HasSubstr("file not found"));
    }
}

TEST(ManifestTest, UnrecognisedExtensionWithoutSidecarThrowsNamingTheColumn) {
    EXPECT_THROW(
        {
            try {
                parseManifestText("id,label,notes\n1,a,hello.txt\n", "/tmp", "m.csv");
            } catch (const Error& e) {
                EXPECT_THAT(e.what(), HasSubstr("column 'notes'"));
                throw;
            }
        },
        Error);
}

TEST(ManifestTest, MalformedCsvRecordIsSkippedWithItsLine) {
    TempDir dir;
    touch(dir, "a.wav");
    const DatasetIndex index =
        parseManifestText("id,label,audio\n1,x,a.wav\n2,x,\"a.wav\n", dir.path().string(), "m.csv");
    ASSERT_EQ(index.samples.size(), 1u);
    ASSERT_EQ(index.skipped.size(), 1u);
    EXPECT_EQ(index.skipped[0].line, 3);
    EXPECT_THAT(index.skipped[0].reason, HasSubstr("unterminated"));
}

TEST(ManifestTest, MalformedCsvRecordsAreListedBeforeTheRowsSkippedForTheirContent) {
    TempDir dir;
    touch(dir, "a.wav");
    touch(dir, "b.wav");
    const DatasetIndex index = parseManifestText(
        "id,label,audio\n1,x,a.wav\n2,,a.wav\n3,y,b.wav\n4,x,\"a.wav\n", dir.path().string(), "m.csv");
    ASSERT_EQ(index.samples.size(), 2u);
    EXPECT_EQ(index.samples[1].id, "3");
    ASSERT_EQ(index.skipped.size(), 2u);
    EXPECT_EQ(index.skipped[0].line, 5);
    EXPECT_THAT(index.skipped[0].reason, HasSubstr("unterminated"));
    EXPECT_EQ(index.skipped[1].line, 3);
    EXPECT_EQ(index.skipped[1].reason, "column 'label' is empty");
}

// DIR/sets/data/manifest.csv beside data/a.png, with DIR/x.png outside the dataset
// reached four ways; line 2 is the one sample inside.
struct HostileManifest {
    TempDir dir;
    fs::path data = dir.path() / "sets" / "data";
    fs::path outside = dir.path() / "x.png";

    HostileManifest() {
        writeTextFile(data / "a.png", "PNG");
        writeTextFile(outside, "PNG");
        fs::create_symlink(outside, data / "link.png");
        fs::create_symlink("/dev/zero", data / "zero.png");
        writeTextFile(data / "manifest.csv",
                      "id,label,image\n"
                      "a,cat,a.png\n"        // line 2: inside
                      "b,cat,../../x.png\n"  // line 3: climbs out
                      "c,cat," +
                          outside.string() + "\n" +  // line 4: absolute
                          "d,cat,link.png\n"         // line 5: symlink to a file outside
                          "e,cat,zero.png\n");       // line 6: symlink to a device
    }
};

TEST(ManifestTest, RowsResolvingOutsideTheDatasetFolderAreSkippedWithTheReason) {
    HostileManifest m;
    const DatasetIndex index = readManifest(m.data.string());
    ASSERT_EQ(index.samples.size(), 1u);
    EXPECT_EQ(index.samples[0].id, "a");
    for (int line : {3, 4, 5}) {
        const SkippedItem* item = findSkipped(index, line);
        ASSERT_NE(item, nullptr) << "line " << line;
        EXPECT_THAT(item->reason, HasSubstr("outside the dataset folder")) << "line " << line;
        EXPECT_THAT(item->reason, HasSubstr("--allow-outside-paths")) << "line " << line;
    }
    const SkippedItem* zero = findSkipped(index, 6);
    ASSERT_NE(zero, nullptr);
    EXPECT_THAT(zero->reason, HasSubstr("not a regular file"));
}

TEST(ManifestTest, AllowingOutsidePathsReadsASharedCorpusButNeverADevice) {
    HostileManifest m;
    const DatasetIndex index = readManifest(m.data.string(), /*allow_outside_paths=*/true);
    ASSERT_EQ(index.samples.size(), 4u);  // a, b, c, d
    EXPECT_TRUE(fs::equivalent(index.samples[1].paths[0], m.outside));
    ASSERT_EQ(index.skipped.size(), 1u);
    EXPECT_EQ(index.skipped[0].line, 6);
    EXPECT_THAT(index.skipped[0].reason, HasSubstr("not a regular file"));
}

TEST(ManifestTest, APathThatOnlySharesAPrefixWithTheFolderIsOutside) {
    TempDir dir;
    writeTextFile(dir.path() / "data" / "a.png", "PNG");
    writeTextFile(dir.path() / "data2" / "b.png", "PNG");  // "/…/data2" starts with "/…/data"
    writeTextFile(dir.path() / "data" / "manifest.csv",
                  "id,label,image\na,cat,a.png\nb,cat,../data2/b.png\n");
    const DatasetIndex index = readManifest((dir.path() / "data").string());
    ASSERT_EQ(index.samples.size(), 1u);
    ASSERT_NE(findSkipped(index, 3), nullptr);
    EXPECT_THAT(findSkipped(index, 3)->reason, HasSubstr("outside the dataset folder"));
}

TEST(ManifestTest, WriteThenReadGivesTheSameIndexWithRelativePathsOnDisk) {
    TempDir data;
    touch(data, "media/a b.png");  // space and comma-free; the comma case is below
    touch(data, "media/x,1.wav");
    touch(data, "media/c.png");
    touch(data, "media/c.wav");
    DatasetIndex index = readManifest([&] {
        writeTextFile(data.path() / "in.csv",
                      "id,group,label,split,image,audio\n"
                      "a,g1,cat,train,media/a b.png,\"media/x,1.wav\"\n"
                      "c,g2,dog,test,media/c.png,media/c.wav\n");
        return data.file("in.csv");
    }());

    const fs::path out = data.path() / "out";
    writeManifest(out.string(), index);
    EXPECT_TRUE(fs::exists(out / "dataset.json"));
    EXPECT_FALSE(fs::exists(out / "manifest.csv.tmp"));
    const std::string written = readText(out / "manifest.csv");
    EXPECT_THAT(written, HasSubstr("../media/c.png"));
    EXPECT_THAT(written, HasSubstr("\"../media/x,1.wav\""));

    // The media stay beside the new manifest's folder, not in it: a shared corpus.
    const DatasetIndex back = readManifest(out.string(), /*allow_outside_paths=*/true);
    ASSERT_EQ(back.samples.size(), index.samples.size());
    ASSERT_EQ(back.spec.modalities.size(), 2u);
    EXPECT_EQ(back.spec.modalities[0].kind, ModalityKind::Image);
    for (std::size_t i = 0; i < index.samples.size(); ++i) {
        EXPECT_EQ(back.samples[i].id, index.samples[i].id);
        EXPECT_EQ(back.samples[i].group, index.samples[i].group);
        EXPECT_EQ(back.samples[i].label, index.samples[i].label);
        EXPECT_EQ(back.samples[i].split, index.samples[i].split);
        for (std::size_t m = 0; m < 2; ++m)
            EXPECT_TRUE(fs::equivalent(back.samples[i].paths[m], index.samples[i].paths[m]));
    }
}

}  // namespace
}  // namespace tm2::data
