#include "core/train/batch_augment.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/error.h"
#include "core/dsp/mfcc.h"

namespace tm2::train {
namespace {

// 1 × rows × frames holding 1, 2, 3, … so every cell is recognisable.
torch::Tensor counting(std::int64_t planes, std::int64_t rows, std::int64_t frames) {
    return torch::arange(1, planes * rows * frames + 1, torch::kFloat32).reshape({planes, rows, frames});
}

TEST(BatchAugmentTest, TimeMaskZeroesExactlyTheAskedFramesOfEveryRowAndPlane) {
    torch::Tensor s = counting(2, 3, 10);
    const torch::Tensor before = s.clone();
    maskFrames(s, 3, 2);
    for (std::int64_t p = 0; p < 2; ++p)
        for (std::int64_t r = 0; r < 3; ++r)
            for (std::int64_t t = 0; t < 10; ++t) {
                const float expected = (t == 3 || t == 4) ? 0.0f : before[p][r][t].item<float>();
                EXPECT_EQ(s[p][r][t].item<float>(), expected) << p << "," << r << "," << t;
            }
}

TEST(BatchAugmentTest, FrequencyMaskZeroesExactlyTheAskedCoefficientRows) {
    torch::Tensor s = counting(1, 6, 4);
    const torch::Tensor before = s.clone();
    maskRows(s, 4, 2);
    EXPECT_TRUE(torch::equal(s.narrow(1, 0, 4), before.narrow(1, 0, 4)));
    EXPECT_EQ(s.narrow(1, 4, 2).abs().sum().item<float>(), 0.0f);
}

TEST(BatchAugmentTest, TimeShiftMovesEveryFrameByTheAskedAmountAndWrapsRound) {
    torch::Tensor s = counting(1, 2, 8);
    const torch::Tensor before = s.clone();
    shiftFrames(s, 3);
    for (std::int64_t r = 0; r < 2; ++r)
        for (std::int64_t t = 0; t < 8; ++t)
            EXPECT_EQ(s[0][r][(t + 3) % 8].item<float>(), before[0][r][t].item<float>());
    shiftFrames(s, -3);
    EXPECT_TRUE(torch::equal(s, before));
}

TEST(BatchAugmentTest, GainMovesOnlyC0OfTheStaticPlaneByTheDomainsStep) {
    torch::Tensor s = counting(2, 3, 4);
    const torch::Tensor before = s.clone();
    AugmentDomain domain;
    domain.audio = true;
    domain.row0_per_db = 0.5;
    addGain(s, 6.0, domain);  // 6 dB × 0.5 per dB = +3 on plane 0, row 0
    EXPECT_TRUE(torch::allclose(s[0][0], before[0][0] + 3.0));
    EXPECT_TRUE(torch::equal(s[0].narrow(0, 1, 2), before[0].narrow(0, 1, 2)));
    EXPECT_TRUE(torch::equal(s[1], before[1]));  // deltas of a constant offset are 0
}

data::DatasetSpec audioSpec(dsp::LogKind log) {
    data::ModalitySpec m;
    m.name = "cough";
    m.kind = data::ModalityKind::Audio;
    m.mfcc.n_mels = 40;
    m.mfcc.log = log;
    data::DatasetSpec spec;
    spec.modalities = {m};
    data::ModalitySpec image;
    image.name = "image";
    image.kind = data::ModalityKind::Image;
    spec.modalities.push_back(image);
    return spec;
}

TEST(BatchAugmentTest, TheGainStepIsRootMelsOverTheC0StandardDeviation) {
    data::NormalizationStats stats;
    stats.mean = {{0.0f, 0.0f}, {0.0f}};
    stats.std = {{4.0f, 1.0f}, {1.0f}};
    // dB log of the power spectrum: every band moves by g dB; the orthonormal DCT's
    // row 0 is 1/√40 everywhere, so c0 moves by 40·g/√40 = √40·g; normalised by 4.
    auto domains = augmentDomains(audioSpec(dsp::LogKind::Decibel), stats);
    ASSERT_EQ(domains.size(), 2u);
    EXPECT_TRUE(domains[0].audio);
    EXPECT_NEAR(domains[0].row0_per_db, std::sqrt(40.0) / 4.0, 1e-12);
    EXPECT_FALSE(domains[1].audio);
    // Natural log: g dB of power is g·ln(10)/10 nepers… of ln-power.
    domains = augmentDomains(audioSpec(dsp::LogKind::Natural), stats);
    EXPECT_NEAR(domains[0].row0_per_db, std::sqrt(40.0) * std::log(10.0) / 10.0 / 4.0, 1e-12);
}

TEST(BatchAugmentTest, TheFeatureDomainGainEqualsAWaveformGainThroughTheRealMfcc) {
    // A 440 Hz tone plus a quieter 2 kHz one, then the same 6 dB louder (×10^(6/20) in amplitude).
    dsp::MfccConfig config;
    config.n_mels = 40;
    std::vector<float> quiet(8000), loud(8000);
    for (std::size_t i = 0; i < quiet.size(); ++i) {
        const double t = static_cast<double>(i) / config.sample_rate;
        quiet[i] =
            static_cast<float>(0.1 * std::sin(2 * M_PI * 440 * t) + 0.03 * std::sin(2 * M_PI * 2000 * t));
        loud[i] = static_cast<float>(quiet[i] * std::pow(10.0, 6.0 / 20.0));
    }
    const Tensor a = dsp::computeMfcc(quiet, config), b = dsp::computeMfcc(loud, config);
    const double step = std::sqrt(40.0);  // c0 per dB (stats std 1)
    for (std::size_t t = 0; t < a.shape[0]; ++t) {
        EXPECT_NEAR(b.at(t, 0) - a.at(t, 0), 6.0 * step, 1e-2) << "frame " << t;
        for (std::size_t c = 1; c < a.shape[1]; ++c)
            EXPECT_NEAR(b.at(t, c), a.at(t, c), 1e-2) << t << "," << c;
    }
}

TEST(BatchAugmentTest, FlipsAreExactMirrorImages) {
    const torch::Tensor images = torch::arange(2 * 3 * 4 * 5, torch::kFloat32).reshape({2, 3, 4, 5});
    ImageMotion h, v;
    h.hflip = true;
    v.vflip = true;
    const torch::Tensor out = moveImages(images, {h, v});
    EXPECT_TRUE(torch::equal(out[0], images[0].flip({-1})));
    EXPECT_TRUE(torch::equal(out[1], images[1].flip({-2})));
}

TEST(BatchAugmentTest, AShiftMovesTheContentByWholePixelsAndFillsWithTheMean) {
    torch::Tensor image = torch::zeros({1, 1, 8, 8});
    image[0][0][2][3] = 5.0f;  // row 2, column 3
    ImageMotion m;
    m.dx = 2;  // right
    m.dy = 1;  // down
    const torch::Tensor out = moveImages(image, {m});
    torch::Tensor expected = torch::zeros({1, 1, 8, 8});
    expected[0][0][3][5] = 5.0f;
    EXPECT_TRUE(torch::allclose(out, expected, 1e-5, 1e-5)) << out;
}

TEST(BatchAugmentTest, ANinetyDegreeRotationTurnsTheImageCounterClockwise) {
    torch::Tensor image = torch::zeros({1, 1, 4, 4});
    image[0][0][0][3] = 1.0f;  // top right
    ImageMotion m;
    m.angle_deg = 90;
    const torch::Tensor out = moveImages(image, {m});
    torch::Tensor expected = torch::zeros({1, 1, 4, 4});
    expected[0][0][0][0] = 1.0f;  // top left, as rot90 would put it
    EXPECT_TRUE(torch::allclose(out, expected, 1e-5, 1e-5)) << out;
    EXPECT_TRUE(torch::allclose(out[0][0], torch::rot90(image[0][0], 1, {0, 1}), 1e-5, 1e-5));
}

TEST(BatchAugmentTest, AZoomOfTwoMagnifiesAboutTheCentre) {
    // Pixel value 4r + c (linear, so bilinear sampling is exact). Zoom 2 about the
    // centre (1.5, 1.5): output pixel k reads input coordinate 1.5 + (k − 1.5)/2 =
    // 0.75 + 0.5k along each axis.
    const torch::Tensor image = torch::arange(16, torch::kFloat32).reshape({1, 1, 4, 4});
    ImageMotion m;
    m.zoom = 2;
    const torch::Tensor out = moveImages(image, {m});
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            EXPECT_NEAR(out[0][0][r][c].item<float>(), 4 * (0.75 + 0.5 * r) + (0.75 + 0.5 * c), 1e-5)
                << r << "," << c;
}

std::vector<torch::Tensor> twoModalityBatch() {
    torch::manual_seed(3);
    return {torch::randn({6, 1, 8, 8}), torch::randn({6, 1, 5, 20})};
}

std::vector<AugmentDomain> imageThenAudio() {
    AugmentDomain image, audio;
    audio.audio = true;
    audio.row0_per_db = 0.2;
    return {image, audio};
}

TEST(BatchAugmentTest, TheSameSeedGivesTheSameBatchAndAnotherSeedAnother) {
    const auto inputs = twoModalityBatch();
    const AugmentConfig config = parseAugment("on,hflip");
    data::SeededRandom a(augmentSeed(7, 2, 1)), b(augmentSeed(7, 2, 1)), c(augmentSeed(7, 2, 2));
    const auto x = augmentBatch(inputs, imageThenAudio(), config, a);
    const auto y = augmentBatch(inputs, imageThenAudio(), config, b);
    const auto z = augmentBatch(inputs, imageThenAudio(), config, c);
    for (std::size_t m = 0; m < 2; ++m) {
        EXPECT_TRUE(torch::equal(x[m], y[m])) << m;
        EXPECT_FALSE(torch::equal(x[m], z[m])) << m;
        EXPECT_FALSE(torch::equal(x[m], inputs[m])) << m;
    }
}

TEST(BatchAugmentTest, AugmentationOffLeavesTheBatchBitIdenticalAndDrawsNothing) {
    const auto inputs = twoModalityBatch();
    data::SeededRandom rng(1), untouched(1);
    const auto out = augmentBatch(inputs, imageThenAudio(), AugmentConfig{}, rng);
    for (std::size_t m = 0; m < 2; ++m) EXPECT_TRUE(torch::equal(out[m], inputs[m]));
    EXPECT_EQ(rng.next(), untouched.next());
}

TEST(BatchAugmentTest, OnlyTheModalitiesWhoseAugmentationIsOnChangeAndInputsStayUntouched) {
    const auto inputs = twoModalityBatch();
    const auto copies = std::vector<torch::Tensor>{inputs[0].clone(), inputs[1].clone()};
    data::SeededRandom rng(4);
    const auto out = augmentBatch(inputs, imageThenAudio(), parseAugment("audio"), rng);
    EXPECT_TRUE(torch::equal(out[0], inputs[0]));
    EXPECT_FALSE(torch::equal(out[1], inputs[1]));
    for (std::size_t m = 0; m < 2; ++m) EXPECT_TRUE(torch::equal(inputs[m], copies[m]));
}

TEST(BatchAugmentTest, DrawnMasksStayWithinTheAskedFraction) {
    // 2 time masks of up to 10 % of 40 frames: at most 8 frames zeroed, and no rows masked.
    const torch::Tensor ones = torch::ones({16, 1, 5, 40});
    AugmentDomain audio;
    audio.audio = true;
    data::SeededRandom rng(9);
    const auto out = augmentBatch({ones}, {audio}, parseAugment("time-mask=2:0.1"), rng);
    std::int64_t masked_any = 0;
    for (std::int64_t i = 0; i < 16; ++i) {
        const torch::Tensor zero_columns = (out[0][i][0] == 0).all(0);  // a masked frame is zero in every row
        const std::int64_t masked = zero_columns.sum().item<std::int64_t>();
        EXPECT_LE(masked, 8) << i;
        EXPECT_EQ((out[0][i][0] == 0).sum().item<std::int64_t>(), masked * 5) << i;  // whole columns only
        masked_any += masked;
    }
    EXPECT_GT(masked_any, 0);
}

TEST(BatchAugmentTest, MissingDomainsAreAnErrorNotASilentGuess) {
    data::SeededRandom rng(1);
    EXPECT_THROW(augmentBatch(twoModalityBatch(), {}, parseAugment("audio"), rng), Error);
}

}  // namespace
}  // namespace tm2::train
