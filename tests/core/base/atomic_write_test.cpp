#include "core/base/atomic_write.h"

#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2 {
namespace {

namespace fs = std::filesystem;

std::size_t filesIn(const fs::path& dir) {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
    return n;
}

TEST(AtomicWriteTest, WritesAndReplacesWholeFiles) {
    testing::TempDir dir;
    const std::string path = dir.file("plan.json");
    writeFileAtomically(path, "first");
    EXPECT_EQ(testing::readFileBytes(path), "first");
    writeFileAtomically(path, std::string("sec\0nd", 6));
    EXPECT_EQ(testing::readFileBytes(path), std::string("sec\0nd", 6));
    EXPECT_EQ(filesIn(dir.path()), 1u) << "no temp file is left behind";
}

TEST(AtomicWriteTest, AFailingWriterLeavesTheOldFileAndNoTemp) {
    testing::TempDir dir;
    const std::string path = dir.file("state.json");
    writeFileAtomically(path, "old");
    EXPECT_THROW(replaceFileAtomically(path,
                                       [](const std::string& tmp) {
                                           testing::writeTextFile(tmp, "half");
                                           throw Error("disk full");
                                       }),
                 Error);
    EXPECT_EQ(testing::readFileBytes(path), "old");
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

TEST(AtomicWriteTest, AWriterThatWritesNothingIsAnError) {
    testing::TempDir dir;
    EXPECT_THROW(replaceFileAtomically(dir.file("x.pt"), [](const std::string&) {}), Error);
    EXPECT_FALSE(fs::exists(dir.file("x.pt")));
}

TEST(AtomicWriteTest, AnUnwritableFolderIsAnErrorNamingTheFile) {
    testing::TempDir dir;
    try {
        writeFileAtomically(dir.file("missing/sub/x.json"), "x");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos) << e.what();
    }
}

TEST(AtomicWriteTest, ConcurrentWritersOfOneTargetNeverShareATempFile) {
    testing::TempDir dir;
    const std::string path = dir.file("entry.npy");
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t)
        writers.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) writeFileAtomically(path, std::string(1000, static_cast<char>('a' + t)),
                                                             FileSync::RenameOnly);
        });
    for (auto& w : writers) w.join();
    const std::string bytes = testing::readFileBytes(path);
    ASSERT_EQ(bytes.size(), 1000u);
    EXPECT_EQ(bytes.find_first_not_of(bytes[0]), std::string::npos) << "one writer's bytes, whole";
    EXPECT_EQ(filesIn(dir.path()), 1u);
}

}  // namespace
}  // namespace tm2
