// The batched MFCC kernels (core/runtime/frontend/mfcc_batch*.{h,cpp}): every
// SIMD kernel this build and CPU have must give the scalar reference's features
// to the bit, on every MFCC setting that changes their loops and on signal
// lengths that leave partial batches, edge frames and silence. Runs under
// qemu-aarch64 too (scripts/cross-aarch64.sh), where the 128-bit kernel is NEON.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/frontend/mfcc.h"
#include "core/runtime/frontend/mfcc_batch.h"

namespace tm2::runtime {
namespace {

// Two tones plus LCG noise: every bin and mel band sees energy.
std::vector<float> noisyTones(std::size_t n, std::uint32_t seed) {
    std::vector<float> x(n);
    const double pi = std::acos(-1.0);
    for (std::size_t i = 0; i < n; ++i) {
        seed = seed * 1664525u + 1013904223u;
        const double noise = (static_cast<double>(seed >> 8) / 16777216.0 - 0.5) * 0.2;
        const double t = static_cast<double>(i) / 16000.0;
        x[i] = static_cast<float>(0.4 * std::sin(2 * pi * 440.0 * t) + 0.2 * std::sin(2 * pi * 3100.0 * t) +
                                  noise);
    }
    return x;
}

struct NamedConfig {
    std::string name;
    MfccConfig config;
};

// Each setting that changes what the kernels do: FFT sizes with and without the
// radix-2 stage, a window shorter than the frame, uncentred frames, magnitude
// and other powers, the natural log, deltas, more mels than the default.
std::vector<NamedConfig> kernelConfigs() {
    std::vector<NamedConfig> out;
    out.push_back({"default 512/160/40/13", MfccConfig{}});
    MfccConfig c;
    c.n_fft = 1024;  // half 512 = 4^4 · 2: the radix-2 stage
    c.hop_length = 256;
    c.n_mels = 64;
    c.n_mfcc = 20;
    out.push_back({"n_fft 1024", c});
    c = MfccConfig{};
    c.n_fft = 256;
    c.win_length = 200;  // zeros around the window inside the frame
    c.hop_length = 80;
    c.window = WindowKind::Hamming;
    c.n_mels = 26;
    out.push_back({"n_fft 256, win 200, hamming", c});
    c = MfccConfig{};
    c.n_fft = 16;  // the smallest the settings allow: half 8 = one radix-4 and the radix-2 stage
    c.hop_length = 3;
    c.n_mels = 3;
    c.n_mfcc = 3;
    c.fmin = 100.0;
    out.push_back({"n_fft 16", c});
    c = MfccConfig{};
    c.n_fft = 32;  // half 16: two radix-4 stages, no radix-2
    c.hop_length = 7;
    c.n_mels = 8;
    c.n_mfcc = 5;
    c.center = false;
    out.push_back({"n_fft 32 uncentred", c});
    c = MfccConfig{};
    c.power = 1.0;
    c.mel_scale = MelScale::Htk;
    c.slaney_norm = false;
    c.deltas = 2;
    out.push_back({"magnitude, htk, deltas", c});
    c = MfccConfig{};
    c.power = 3.0;
    c.log = LogKind::Natural;
    out.push_back({"power 3, natural log", c});
    c = MfccConfig{};
    c.n_fft = 2048;  // half 1024: five radix-4 stages
    c.hop_length = 512;
    c.n_mels = 128;
    c.n_mfcc = 20;
    out.push_back({"n_fft 2048", c});
    return out;
}

std::vector<float> computeWith(const MfccExtractor& mfcc, const std::vector<float>& x, MfccPath path) {
    const MfccConfig& c = mfcc.config();
    std::vector<float> out(static_cast<std::size_t>(c.frameCount(static_cast<long long>(x.size()))) *
                           static_cast<std::size_t>(c.featureCount()));
    MfccWorkspace workspace;
    workspace.setPath(path);
    mfcc.compute(x.data(), x.size(), workspace, out.data());
    return out;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    // memcmp of two empty vectors would get null pointers (undefined, UBSan says so).
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// Lengths: 1 s and 0.5 s; odd ones leaving a partial last batch of frames; shorter
// than one frame; one sample; silence.
struct Signal {
    std::string name;
    std::vector<float> samples;
};

std::vector<Signal> testSignals() {
    return {{"1 s", noisyTones(16000, 1)},
            {"0.5 s + 1 (odd)", noisyTones(8001, 2)},
            {"16001 (odd)", noisyTones(16001, 3)},
            {"777 (odd)", noisyTones(777, 4)},
            {"100", noisyTones(100, 5)},
            {"1 sample", noisyTones(1, 6)},
            {"1 s silence", std::vector<float>(16000, 0.0f)}};
}

std::vector<MfccPath> simdPaths() {
    std::vector<MfccPath> paths{MfccPath::Simd128, MfccPath::Auto};
    if (avx2MfccKernel()) paths.push_back(MfccPath::Avx2);
    return paths;
}

TEST(MfccKernelsTest, EverySimdKernelGivesTheScalarReferenceFeaturesToTheBit) {
    for (const NamedConfig& nc : kernelConfigs()) {
        const MfccExtractor mfcc(nc.config);
        for (const Signal& s : testSignals()) {
            const std::vector<float> reference = computeWith(mfcc, s.samples, MfccPath::Scalar);
            for (MfccPath path : simdPaths())
                EXPECT_TRUE(sameBits(computeWith(mfcc, s.samples, path), reference))
                    << nc.name << ", " << s.name << ", kernel " << mfcc.kernelName(path);
        }
    }
}

TEST(MfccKernelsTest, OneWorkspaceReusedAcrossLengthsAndSettingsKeepsTheBits) {
    MfccWorkspace shared;
    for (const NamedConfig& nc : kernelConfigs()) {
        const MfccExtractor mfcc(nc.config);
        for (const Signal& s : testSignals()) {
            std::vector<float> out(computeWith(mfcc, s.samples, MfccPath::Scalar).size());
            mfcc.compute(s.samples.data(), s.samples.size(), shared, out.data());
            EXPECT_TRUE(sameBits(out, computeWith(mfcc, s.samples, MfccPath::Scalar)))
                << nc.name << ", " << s.name;
        }
    }
}

// The batched real FFT is a different algorithm from KissFFT's, so the two agree
// to float rounding: |Δ| well under 1e-3 of the coefficient's scale, while a
// wrong bin, twiddle or sign moves coefficients by whole units.
TEST(MfccKernelsTest, BatchedFeaturesAgreeWithTheKissFftPathToFloatRounding) {
    for (const NamedConfig& nc : kernelConfigs()) {
        const MfccExtractor mfcc(nc.config);
        for (const Signal& s : testSignals()) {
            const std::vector<float> batched = computeWith(mfcc, s.samples, MfccPath::Auto);
            const std::vector<float> kiss = computeWith(mfcc, s.samples, MfccPath::KissFft);
            ASSERT_EQ(batched.size(), kiss.size()) << nc.name << ", " << s.name;
            for (std::size_t i = 0; i < kiss.size(); ++i)
                ASSERT_NEAR(batched[i], kiss[i], 1e-3 * std::max(1.0f, std::abs(kiss[i])))
                    << nc.name << ", " << s.name << ", value " << i;
        }
    }
}

TEST(MfccKernelsTest, AutoPicksTheWidestKernelAndOddFftSizesTakeKissFft) {
    const MfccExtractor mfcc(MfccConfig{});
    EXPECT_STREQ(mfcc.kernelName(MfccPath::Auto), avx2MfccKernel() ? "avx2" : simd128MfccKernel().name);
    EXPECT_STREQ(mfcc.kernelName(MfccPath::Scalar), "scalar");
    EXPECT_STREQ(mfcc.kernelName(MfccPath::KissFft), "kissfft");
    MfccConfig odd;
    odd.n_fft = 400;  // not a power of two
    EXPECT_STREQ(MfccExtractor(odd).kernelName(MfccPath::Auto), "kissfft");
}

TEST(MfccKernelsTest, NonFiniteSamplesAreRejectedOnEveryKernel) {
    std::vector<float> x = noisyTones(4000, 9);
    x[1234] = std::nanf("");
    const MfccExtractor mfcc(MfccConfig{});
    for (MfccPath path : {MfccPath::Scalar, MfccPath::Simd128, MfccPath::Auto})
        EXPECT_THROW(computeWith(mfcc, x, path), Error) << mfcc.kernelName(path);
}

}  // namespace
}  // namespace tm2::runtime
