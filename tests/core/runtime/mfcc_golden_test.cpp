// The device computes the same features as the machine that trained the model:
// one 1 s window's MFCC, hashed to the bit, against a checksum recorded on
// x86-64. The same test runs under qemu-aarch64 (scripts/cross-aarch64.sh), so a
// libm difference in the window, twiddle or mel tables, or a fused multiply-add
// the compiler slipped in on aarch64, fails it there.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/runtime/frontend/mfcc.h"

namespace tm2::runtime {
namespace {

// Integer-only signal (so the input itself cannot differ between machines): a
// triangle wave plus LCG noise, 16 kHz, 1 s, in [-0.5, 0.5].
std::vector<float> integerSignal() {
    std::vector<float> x(16000);
    std::uint32_t seed = 12345;
    for (std::size_t i = 0; i < x.size(); ++i) {
        seed = seed * 1664525u + 1013904223u;
        const int triangle =
            static_cast<int>(i % 64) < 32 ? static_cast<int>(i % 64) : 64 - static_cast<int>(i % 64);
        const int noise = static_cast<int>(seed >> 24) - 128;  // [-128, 127]
        x[i] = static_cast<float>(triangle * 256 + noise * 16) / 16384.0f - 0.25f;
    }
    return x;
}

// FNV-1a over the features' bit patterns.
std::uint64_t fnv1a(const std::vector<float>& values) {
    std::uint64_t h = 1469598103934665603ull;
    for (const float v : values) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        for (int b = 0; b < 4; ++b) {
            h ^= (bits >> (8 * b)) & 0xffu;
            h *= 1099511628211ull;
        }
    }
    return h;
}

TEST(MfccGolden, OneSecondWindowHasTheSameBitsOnEveryMachine) {
    MfccConfig config;  // n_fft 512, hop 160, 40 mels, 13 coefficients, Slaney, dB
    const std::vector<float> signal = integerSignal();
    const MfccExtractor mfcc(config);
    const std::vector<float> features = mfcc.compute(signal.data(), signal.size());
    ASSERT_EQ(features.size(), 101u * 13u);
    // Recorded on x86-64 (AVX2 kernel; the scalar and 128-bit kernels give the same bits).
    EXPECT_EQ(fnv1a(features), 0x92add33d772d3f9eull)
        << std::hex << fnv1a(features) << " with the " << mfcc.kernelName() << " kernel";
}

}  // namespace
}  // namespace tm2::runtime
