#include "core/dsp/resample.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/error.h"

namespace tm2::dsp {
namespace {

std::vector<float> sine(double hz, int rate, int samples) {
    const double pi = std::acos(-1.0);
    std::vector<float> x(static_cast<std::size_t>(samples));
    for (int i = 0; i < samples; ++i) x[i] = static_cast<float>(0.5 * std::sin(2 * pi * hz * i / rate));
    return x;
}

// Sign changes between consecutive samples, skipping `margin` samples at each end
// (the converter's ramp-in and flush).
int zeroCrossings(const std::vector<float>& x, std::size_t margin) {
    int n = 0;
    for (std::size_t i = margin + 1; i + margin < x.size(); ++i)
        if ((x[i - 1] < 0.0f) != (x[i] < 0.0f)) ++n;
    return n;
}

TEST(ResampleTest, DownsampledSineKeepsItsFrequencyAndLengthRatio) {
    // 1 s of 1 kHz at 44.1 kHz -> 16 kHz: 16000 samples, 2 crossings per period,
    // ~1900 crossings in the 0.95 s left after trimming 400 samples each end.
    for (ResampleQuality q : {ResampleQuality::Best, ResampleQuality::Medium, ResampleQuality::Fastest}) {
        const std::vector<float> y = resample(sine(1000.0, 44100, 44100), 44100, 16000, q);
        ASSERT_EQ(y.size(), 16000u);
        EXPECT_NEAR(zeroCrossings(y, 400), 2000.0 * 15200 / 16000, 3.0);
        // Amplitude survives too: RMS of a 0.5 sine is 0.5/sqrt(2).
        double energy = 0.0;
        for (std::size_t i = 400; i < 15600; ++i) energy += static_cast<double>(y[i]) * y[i];
        EXPECT_NEAR(std::sqrt(energy / 15200), 0.5 / std::sqrt(2.0), 0.01);
    }
}

TEST(ResampleTest, UpsamplingScalesTheLength) {
    EXPECT_EQ(resample(sine(440.0, 8000, 8001), 8000, 22050).size(), 22053u);  // round(8001·2.75625)
}

TEST(ResampleTest, SameRateIsIdentity) {
    const std::vector<float> x = sine(1000.0, 16000, 1234);
    EXPECT_EQ(resample(x, 16000, 16000), x);
}

TEST(ResampleTest, EmptyInputGivesEmptyOutput) { EXPECT_TRUE(resample({}, 44100, 16000).empty()); }

TEST(ResampleTest, BadRatesThrowNamingTheRate) {
    const std::vector<float> x(100, 0.0f);
    try {
        resample(x, 0, 16000);
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("from_rate"), std::string::npos) << e.what();
    }
    try {
        resample(x, 16000, -1);
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("to_rate"), std::string::npos) << e.what();
    }
    EXPECT_THROW(resample(x, 1000, 1000 * 300), Error);  // beyond libsamplerate's 256x
}

}  // namespace
}  // namespace tm2::dsp
