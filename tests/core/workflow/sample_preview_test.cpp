#include "core/workflow/sample_preview.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/data/modality_features.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

TEST(SamplePreview, EnvelopeTakesMinAndMaxPerBin) {
    const std::vector<float> samples{0.1f, -0.5f, 0.3f, 0.9f, -0.2f, 0.0f, 0.4f};
    const WaveformEnvelope env = waveformEnvelope(samples, 7, 3);  // bins [0,2) [2,4) [4,7)
    ASSERT_EQ(env.min.size(), 3u);
    EXPECT_FLOAT_EQ(env.min[0], -0.5f);
    EXPECT_FLOAT_EQ(env.max[0], 0.1f);
    EXPECT_FLOAT_EQ(env.min[1], 0.3f);
    EXPECT_FLOAT_EQ(env.max[1], 0.9f);
    EXPECT_FLOAT_EQ(env.min[2], -0.2f);
    EXPECT_FLOAT_EQ(env.max[2], 0.4f);
    EXPECT_DOUBLE_EQ(env.seconds, 1.0);
    EXPECT_EQ(waveformEnvelope(samples, 7, 100).min.size(), 7u);
    EXPECT_TRUE(waveformEnvelope({}, 16000, 10).min.empty());
}

TEST(SamplePreview, HeatmapScalesToUnitRange) {
    Tensor grid({2, 2});
    grid.values = {-2.0f, 0.0f, 2.0f, 6.0f};
    const Heatmap map = scaleToUnit(grid);
    EXPECT_EQ(map.rows, 2u);
    EXPECT_EQ(map.cols, 2u);
    EXPECT_FLOAT_EQ(map.min, -2.0f);
    EXPECT_FLOAT_EQ(map.max, 6.0f);
    EXPECT_FLOAT_EQ(map.values[1], 0.25f);
    EXPECT_FLOAT_EQ(map.values[3], 1.0f);
    const Heatmap rows = scaleToUnit(grid, /*per_row=*/true);  // rows {-2, 0} and {2, 6}
    EXPECT_FLOAT_EQ(rows.values[0], 0.0f);
    EXPECT_FLOAT_EQ(rows.values[1], 1.0f);
    EXPECT_FLOAT_EQ(rows.values[2], 0.0f);
    EXPECT_FLOAT_EQ(rows.values[3], 1.0f);
    EXPECT_FLOAT_EQ(rows.min, -2.0f);
    Tensor flat({1, 3}, 5.0f);
    EXPECT_FLOAT_EQ(scaleToUnit(flat).values[2], 0.0f);
}

// A 0.5 s 440 Hz tone and a 40×30 gradient picture in a temporary folder.
struct PreviewFiles {
    testing::TempDir dir;
    std::string wav = dir.file("tone.wav"), png = dir.file("g.png");
    PreviewFiles() {
        testing::writeToneWav(wav, 440, 0.5, 16000);
        testing::writeGradientPng(png, 40, 30, 3);
    }
};

TEST(SamplePreview, MfccAndImageFromFiles) {
    const PreviewFiles files;
    const std::string &wav = files.wav, &png = files.png;
    const testing::TempDir& dir = files.dir;
    data::ModalitySpec audio;
    audio.name = "audio";
    const Heatmap map = mfccHeatmap(audio, wav);
    const auto shape = data::featureItemShape(audio);
    EXPECT_EQ(map.rows, shape[1]);
    EXPECT_EQ(map.cols, shape[2]);
    const WaveformEnvelope env = audioEnvelope(wav, 100);
    EXPECT_EQ(env.min.size(), 100u);
    EXPECT_NEAR(env.max[50], 0.5f, 0.02f);

    data::ModalitySpec image;
    image.kind = data::ModalityKind::Image;
    const Tensor t = previewImage(image, png);
    EXPECT_EQ(t.shape, (std::vector<std::size_t>{1, 28, 28}));
    for (float v : t.values) ASSERT_TRUE(v >= 0.0f && v <= 1.0f);
    EXPECT_THROW(mfccHeatmap(audio, png), Error);
    EXPECT_THROW(previewImage(image, dir.file("missing.png")), Error);
}

TEST(SamplePreview, ASampleGivesEveryModalityAndABadFileOnlyItsOwnError) {
    const PreviewFiles files;
    const std::string &wav = files.wav, &png = files.png;
    const testing::TempDir& dir = files.dir;
    data::DatasetSpec spec;
    spec.modalities.resize(3);
    spec.modalities[0].name = "image";
    spec.modalities[0].kind = data::ModalityKind::Image;
    spec.modalities[1].name = "voice";
    spec.modalities[2].name = "cough";
    data::Sample sample;
    sample.paths = {png, wav, dir.file("missing.wav")};

    const std::vector<ModalityPreview> p = previewSample(spec, sample, 50);
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[0].modality, "image");
    EXPECT_EQ(p[0].image.shape, (std::vector<std::size_t>{1, 28, 28}));
    EXPECT_TRUE(p[0].error.empty());
    EXPECT_EQ(p[1].envelope.min.size(), 50u);
    EXPECT_EQ(p[1].mfcc.rows, data::featureItemShape(spec.modalities[1])[1]);
    // hop 160 at 16 kHz (the default MFCC): 10 ms per frame.
    EXPECT_DOUBLE_EQ(p[1].seconds_per_frame, 0.01);
    EXPECT_NE(p[2].error.find("missing.wav"), std::string::npos) << p[2].error;
    EXPECT_TRUE(p[2].envelope.min.empty());
    EXPECT_EQ(p[2].mfcc.rows, 0u);
}

}  // namespace
}  // namespace tm2::workflow
