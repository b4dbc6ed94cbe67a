#include "core/data/dataset_spec.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

std::string errorOf(const std::string& json_text) {
    try {
        nlohmann::json::parse(json_text).get<DatasetSpec>();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(DatasetSpecTest, RoundTripsThroughTheSidecarFile) {
    tm2::testing::TempDir dir;
    DatasetSpec spec;
    ModalitySpec audio;
    audio.name = "cough";
    audio.audio.window_s = 2.0;
    audio.mfcc.n_mfcc = 20;
    audio.mfcc.deltas = 1;
    ModalitySpec image;
    image.name = "image";
    image.kind = ModalityKind::Image;
    image.image.width = 32;
    spec.modalities = {audio, image};
    spec.classes = {"a", "b"};
    writeDatasetSpec(dir.file("dataset.json"), spec);
    const DatasetSpec back = readDatasetSpec(dir.file("dataset.json"));
    ASSERT_EQ(back.modalities.size(), 2u);
    EXPECT_EQ(back.modalities[0].mfcc.n_mfcc, 20);
    EXPECT_EQ(back.modalities[0].mfcc.deltas, 1);
    EXPECT_EQ(back.modalities[1].kind, ModalityKind::Image);
    EXPECT_EQ(back.modalities[1].image.width, 32);
    EXPECT_EQ(back.classes, spec.classes);
    EXPECT_NE(back.find("image"), nullptr);
    EXPECT_EQ(back.find("speech"), nullptr);
}

TEST(DatasetSpecTest, ErrorsNameTheFieldAtFault) {
    EXPECT_NE(errorOf(R"({"modalities":[{"name":"a","kind":"video"}]})").find("kind"), std::string::npos);
    EXPECT_NE(errorOf(R"({"modalities":[{"name":"a","kind":"audio","mfcc":{"window":"hamm"}}]})").find("mfcc.window"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"modalities":[{"name":"a","kind":"audio","mfcc":{"n_mels":"many"}}]})").find("mfcc.n_mels"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"modalities":[{"name":"a","kind":"audio","mfcc":{"n_mfcc":0}}]})").find("n_mfcc"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"modalities":{}})").find("modalities"), std::string::npos);
}

TEST(DatasetSpecTest, MfccRateFollowsTheAudioRateUnlessContradicted) {
    const auto spec = nlohmann::json::parse(R"({"modalities":[{"name":"a","kind":"audio","audio":{"sample_rate":8000}}]})")
                          .get<DatasetSpec>();
    EXPECT_EQ(spec.modalities[0].mfcc.sample_rate, 8000);
    EXPECT_NE(errorOf(R"({"modalities":[{"name":"a","kind":"audio","audio":{"sample_rate":8000},"mfcc":{"sample_rate":16000}}]})")
                  .find("sample_rate"),
              std::string::npos);
}

TEST(DatasetSpecTest, UnreadableSidecarNamesTheFile) {
    tm2::testing::TempDir dir;
    tm2::testing::writeTextFile(dir.file("dataset.json"), "{not json");
    try {
        readDatasetSpec(dir.file("dataset.json"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("dataset.json"), std::string::npos);
    }
}

}  // namespace
}  // namespace tm2::data
