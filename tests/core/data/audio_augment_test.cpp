#include "core/data/audio_augment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "core/base/error.h"

namespace tm2::data {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> tone(double hz, std::size_t length, int rate, double amplitude = 0.5) {
    std::vector<float> out(length);
    for (std::size_t i = 0; i < length; ++i)
        out[i] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * i / rate));
    return out;
}

double lag1Correlation(const std::vector<float>& x) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i) num += static_cast<double>(x[i]) * x[i + 1];
    for (float v : x) den += static_cast<double>(v) * v;
    return num / den;
}

int zeroCrossings(const std::vector<float>& x) {
    int n = 0;
    for (std::size_t i = 1; i < x.size(); ++i) n += (x[i - 1] < 0) != (x[i] < 0);
    return n;
}

TEST(SeededRandomTest, RawDrawsAreTheStandardMt19937_64) {
    // [rand.predef]: the 10000th draw of a default-seeded (5489) mt19937_64 is 9981545732273789042.
    SeededRandom rng(5489);
    for (int i = 0; i < 9999; ++i) rng.next();
    EXPECT_EQ(rng.next(), 9981545732273789042ull);
}

TEST(SeededRandomTest, UniformTakesTheTop53BitsOfOneDraw) {
    // 9981545732273789042 >> 11 = 4873801627086811, times 2^-53 = 0.541099...
    SeededRandom rng(5489);
    for (int i = 0; i < 9999; ++i) rng.next();
    EXPECT_DOUBLE_EQ(rng.uniform(), 4873801627086811.0 / 9007199254740992.0);
}

TEST(SeededRandomTest, UniformIntHitsEveryValueOfAnInclusiveRange) {
    SeededRandom rng(7);
    std::set<int> seen;
    for (int i = 0; i < 1000; ++i) {
        const int v = rng.uniformInt(-2, 3);
        ASSERT_GE(v, -2);
        ASSERT_LE(v, 3);
        seen.insert(v);
    }
    EXPECT_EQ(seen.size(), 6u);
    EXPECT_EQ(rng.uniformInt(4, 4), 4);
}

TEST(SeededRandomTest, NormalHasZeroMeanAndUnitVariance) {
    SeededRandom rng(11);
    const int n = 40000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
        const double x = rng.normal();
        sum += x;
        sum2 += x * x;
    }
    // Standard errors: mean 1/sqrt(n) = 0.005, variance sqrt(2/n) = 0.007; allow ~4 of them.
    EXPECT_NEAR(sum / n, 0.0, 0.02);
    EXPECT_NEAR(sum2 / n, 1.0, 0.03);
}

TEST(SeededRandomTest, SameSeedRepeatsAndDerivedStreamsDiffer) {
    SeededRandom a(42), b(42);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(a.normal(), b.normal());
    EXPECT_NE(deriveSeed(42, 0), deriveSeed(42, 1));
    EXPECT_NE(deriveSeed(42, 0), deriveSeed(43, 0));
    EXPECT_EQ(deriveSeed(42, 5), deriveSeed(42, 5));
}

TEST(MakeNoiseTest, EveryColourHasZeroMeanAndUnitRms) {
    for (auto color : {NoiseColor::White, NoiseColor::Pink, NoiseColor::Brown}) {
        SeededRandom rng(3);
        const auto noise = makeNoise(color, 16000, rng);
        double mean = 0;
        for (float v : noise) mean += v;
        EXPECT_NEAR(mean / noise.size(), 0.0, 1e-5);
        EXPECT_NEAR(rms(noise), 1.0, 1e-5);
    }
}

TEST(MakeNoiseTest, PinkAndBrownTiltTowardLowFrequencies) {
    // Lag-1 autocorrelation: ~0 for white, AR(1) coefficient 0.995 for the leaky
    // brown integrator (less a little for the finite, mean-removed clip), pink between.
    SeededRandom rng(5);
    const double white = lag1Correlation(makeNoise(NoiseColor::White, 16000, rng));
    const double pink = lag1Correlation(makeNoise(NoiseColor::Pink, 16000, rng));
    const double brown = lag1Correlation(makeNoise(NoiseColor::Brown, 16000, rng));
    EXPECT_NEAR(white, 0.0, 0.03);
    EXPECT_GT(pink, 0.3);
    EXPECT_LT(pink, 0.97);
    EXPECT_GT(brown, 0.98);
}

TEST(MixAtSnrTest, AddsNoiseAtTheRequestedRatio) {
    const auto clean = tone(440, 8000, 16000);
    auto mixed = clean;
    SeededRandom rng(9);
    mixAtSnr(mixed, makeNoise(NoiseColor::White, 8000, rng), 6.0);
    std::vector<float> added(clean.size());
    for (std::size_t i = 0; i < clean.size(); ++i) added[i] = mixed[i] - clean[i];
    EXPECT_NEAR(20 * std::log10(rms(clean) / rms(added)), 6.0, 1e-3);
}

TEST(MixAtSnrTest, RejectsNoiseOfAnotherLength) {
    std::vector<float> signal(10, 0.1f);
    EXPECT_THROW(mixAtSnr(signal, std::vector<float>(9, 0.1f), 0.0), Error);
}

TEST(PlaceInWindowTest, PadsWithZerosAndCutsAtTheEnd) {
    const std::vector<float> clip{1, 2, 3};
    EXPECT_EQ(placeInWindow(clip, 6, 2), (std::vector<float>{0, 0, 1, 2, 3, 0}));
    EXPECT_EQ(placeInWindow(clip, 4, 2), (std::vector<float>{0, 0, 1, 2}));
}

TEST(GainTest, GainAndPeakNormalisationScaleAsStated) {
    std::vector<float> x{0.5f, -0.25f};
    normalizePeak(x, 0.8);
    EXPECT_FLOAT_EQ(x[0], 0.8f);
    EXPECT_FLOAT_EQ(x[1], -0.4f);
    applyGainDb(x, -20.0);  // x0.1
    EXPECT_FLOAT_EQ(x[0], 0.08f);
    std::vector<float> silent(4, 0.0f);
    normalizePeak(silent, 1.0);
    EXPECT_EQ(silent, std::vector<float>(4, 0.0f));
}

TEST(TrimQuietEdgesTest, KeepsOnlyTheLoudFrames) {
    // 0.2 s silence, 0.5 s tone, 0.3 s silence at 16 kHz: the tone spans 10 ms
    // frames 20..69 exactly (3200..11200), so 8000 samples remain.
    std::vector<float> x(16000, 0.0f);
    const auto t = tone(500, 8000, 16000);
    std::copy(t.begin(), t.end(), x.begin() + 3200);
    const auto trimmed = trimQuietEdges(x, 16000, -40.0);
    ASSERT_EQ(trimmed.size(), 8000u);
    EXPECT_EQ(trimmed[100], t[100]);
    EXPECT_TRUE(trimQuietEdges(std::vector<float>(100, 0.0f), 16000, -40.0).empty());
}

TEST(ChangeSpeedTest, FasterIsShorterAndHigher) {
    // 1.25x faster: 16000 samples -> 12800, a 400 Hz tone -> 500 Hz (1000 crossings/s).
    const auto x = tone(400, 16000, 16000);
    const auto y = changeSpeed(x, 1.25, 16000);
    EXPECT_NEAR(static_cast<double>(y.size()), 12800.0, 2.0);
    const double seconds = y.size() / 16000.0;
    EXPECT_NEAR(zeroCrossings(y) / seconds, 1000.0, 10.0);
}

TEST(PhoneChannelTest, PassesSpeechBandAndCutsOutsideIt) {
    // Two 2nd-order Butterworth high-passes at 300 Hz: |H(100)|^2 = 1/(1+(300/100)^4)
    // each, so -19.1 dB each, -38 dB total; 6 kHz lies above the 8 kHz rate's Nyquist.
    const int rate = 16000;
    auto gainDb = [&](double hz) {
        const auto x = tone(hz, 16000, rate);
        const auto y = phoneChannel(x, rate);
        EXPECT_EQ(y.size(), x.size());
        // Skip the first 0.1 s where the filters settle.
        const std::vector<float> xs(x.begin() + 1600, x.end()), ys(y.begin() + 1600, y.end());
        return 20 * std::log10(rms(ys) / rms(xs));
    };
    EXPECT_NEAR(gainDb(1000), 0.0, 1.0);
    EXPECT_NEAR(gainDb(100), -38.2, 3.0);
    EXPECT_LT(gainDb(6000), -40.0);
}

}  // namespace
}  // namespace tm2::data
