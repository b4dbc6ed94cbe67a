#include "core/train/checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::train {
namespace {

namespace fs = std::filesystem;
using tm2::testing::readFileBytes;
using tm2::testing::TempDir;
using tm2::testing::writeTextFile;

// The smallest model + optimizer a checkpoint can hold.
struct TinyModel {
    torch::nn::Linear net{2, 1};
    torch::optim::SGD optimizer{net->parameters(), torch::optim::SGDOptions(0.1)};
};

// A run folder whose checkpoints/state.json names `file`, and a victim file beside the run.
struct CraftedRun {
    TempDir dir;
    fs::path checkpoints = dir.path() / "run" / "checkpoints";
    fs::path victim = dir.path() / "victim";

    explicit CraftedRun(const std::string& file) {
        writeTextFile(victim, "precious");
        writeTextFile(checkpoints / "state.json", nlohmann::json{{"epoch", 1}, {"file", file}}.dump());
    }
};

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// Names that escape the folder: absolute, `..`, and a valid-looking prefix that climbs out.
std::vector<std::string> hostileNames(const CraftedRun& run) {
    return {run.victim.string(), "../../victim", "epoch-0001.pt/../../../victim", "",
            "best.pt",           "epoch-1x.pt"};
}

TEST(CheckpointTest, SavingKeepsOnlyTheNewestEpochFile) {
    TempDir dir;
    TinyModel m;
    CheckpointFolder folder(dir.file("ckpt"));
    folder.save(1, *m.net, m.optimizer, nlohmann::json::object());
    folder.save(2, *m.net, m.optimizer, nlohmann::json::object());
    EXPECT_FALSE(fs::exists(dir.path() / "ckpt" / "epoch-0001.pt"));
    EXPECT_TRUE(fs::exists(dir.path() / "ckpt" / "epoch-0002.pt"));
    const auto state = folder.load(*m.net, m.optimizer);
    ASSERT_TRUE(state.has_value());
    EXPECT_EQ(state->at("file"), "epoch-0002.pt");
}

TEST(CheckpointTest, SaveRefusesAStateFileNamingAFileOutsideTheFolderAndRemovesNothing) {
    for (int i = 0; i < 6; ++i) {
        CraftedRun run("placeholder");
        const std::string name = hostileNames(run)[static_cast<std::size_t>(i)];
        writeTextFile(run.checkpoints / "state.json", nlohmann::json{{"epoch", 1}, {"file", name}}.dump());
        TinyModel m;
        CheckpointFolder folder(run.checkpoints.string());
        const std::string error =
            errorOf([&] { folder.save(2, *m.net, m.optimizer, nlohmann::json::object()); });
        EXPECT_NE(error.find("state.json"), std::string::npos) << name << ": " << error;
        EXPECT_NE(error.find("'file'"), std::string::npos) << name << ": " << error;
        EXPECT_EQ(readFileBytes(run.victim), "precious") << name;
        EXPECT_FALSE(fs::exists(run.checkpoints / "epoch-0002.pt")) << name << ": refused before writing";
    }
}

TEST(CheckpointTest, LoadRefusesAStateFileNamingAnotherRunsCheckpoint) {
    TempDir dir;
    TinyModel other;
    CheckpointFolder(dir.file("other")).save(1, *other.net, other.optimizer, nlohmann::json::object());
    const fs::path ckpt = dir.path() / "run" / "checkpoints";
    for (const std::string& name :
         {(dir.path() / "other" / "epoch-0001.pt").string(), std::string("../../other/epoch-0001.pt"),
          std::string("epoch-0001.pt/../../../other/epoch-0001.pt")}) {
        writeTextFile(ckpt / "state.json", nlohmann::json{{"epoch", 1}, {"file", name}}.dump());
        TinyModel m;
        CheckpointFolder folder(ckpt.string());
        const std::string error = errorOf([&] { folder.load(*m.net, m.optimizer); });
        EXPECT_NE(error.find("state.json"), std::string::npos) << name << ": " << error;
        EXPECT_NE(error.find("'file'"), std::string::npos) << name << ": " << error;
        EXPECT_TRUE(fs::exists(dir.path() / "other" / "epoch-0001.pt"));
    }
}

TEST(CheckpointTest, LoadRefusesACheckpointThatIsASymlinkOutOfTheFolder) {
    TempDir dir;
    TinyModel other;
    CheckpointFolder(dir.file("other")).save(1, *other.net, other.optimizer, nlohmann::json::object());
    const fs::path ckpt = dir.path() / "run" / "checkpoints";
    fs::create_directories(ckpt);
    fs::create_symlink(dir.path() / "other" / "epoch-0001.pt", ckpt / "epoch-0001.pt");
    writeTextFile(ckpt / "state.json", nlohmann::json{{"epoch", 1}, {"file", "epoch-0001.pt"}}.dump());
    TinyModel m;
    CheckpointFolder folder(ckpt.string());
    EXPECT_NE(errorOf([&] { folder.load(*m.net, m.optimizer); }).find("not a regular file"),
              std::string::npos);
}

TEST(CheckpointTest, DamagedStateFileIsAnErrorNamingIt) {
    TempDir dir;
    const fs::path ckpt = dir.path() / "checkpoints";
    for (const std::string& text : {std::string("{\"epoch\": 1e999, \"file\": \"epoch-0001.pt\"}"),
                                    std::string("[1, 2]"), std::string("{\"epoch\": 1, \"file\": 7}")}) {
        writeTextFile(ckpt / "state.json", text);
        TinyModel m;
        CheckpointFolder folder(ckpt.string());
        EXPECT_NE(errorOf([&] { folder.load(*m.net, m.optimizer); }).find("state.json"), std::string::npos)
            << text;
        EXPECT_NE(errorOf([&] {
                      folder.save(2, *m.net, m.optimizer, nlohmann::json::object());
                  }).find("state.json"),
                  std::string::npos)
            << text;
    }
}

}  // namespace
}  // namespace tm2::train
