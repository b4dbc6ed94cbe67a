#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {
namespace {

// Identity-ish output stage: one channel list of multipliers m·2^-shift.
struct Stage {
    std::vector<std::int32_t> bias, multiplier, shift;
    OutputStage view(std::int32_t zp, std::int32_t lo = 0, std::int32_t hi = 255) const {
        return {bias.empty() ? nullptr : bias.data(), multiplier.data(), shift.data(), zp, lo, hi};
    }
};
Stage uniformStage(int channels, double real, std::int32_t bias = 0) {
    const Dyadic d = toDyadic(real);
    return {std::vector<std::int32_t>(channels, bias), std::vector<std::int32_t>(channels, d.multiplier),
            std::vector<std::int32_t>(channels, d.shift)};
}

// Straightforward 7-loop convolution used as the independent reference.
std::vector<std::int32_t> naiveConv(const ConvGeometry& g, const std::vector<std::uint8_t>& in, int zp,
                                    const std::vector<std::int8_t>& w, bool depthwise) {
    std::vector<std::int32_t> acc(static_cast<std::size_t>(g.out_c * g.out_h * g.out_w), 0);
    const int in_per_group = depthwise ? 1 : g.in_c;
    for (int oc = 0; oc < g.out_c; ++oc)
        for (int oy = 0; oy < g.out_h; ++oy)
            for (int ox = 0; ox < g.out_w; ++ox)
                for (int k = 0; k < in_per_group; ++k)
                    for (int ky = 0; ky < g.kernel_h; ++ky)
                        for (int kx = 0; kx < g.kernel_w; ++kx) {
                            const int ic = depthwise ? oc : k;
                            const int iy = oy * g.stride - g.padding + ky, ix = ox * g.stride - g.padding + kx;
                            if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
                            const int x = in[static_cast<std::size_t>((ic * g.in_h + iy) * g.in_w + ix)] - zp;
                            acc[static_cast<std::size_t>((oc * g.out_h + oy) * g.out_w + ox)] +=
                                x * w[static_cast<std::size_t>(((oc * in_per_group + k) * g.kernel_h + ky) * g.kernel_w + kx)];
                        }
    return acc;
}

std::vector<const SimdOps*> allOps() {
    std::vector<const SimdOps*> ops{&portableSimdOps()};
    if (avx2SimdOps()) ops.push_back(avx2SimdOps());
    if (neonSimdOps()) ops.push_back(neonSimdOps());
    return ops;
}

TEST(RequantizeTest, DyadicOfHalfIsTwoToThirtyOverTwoToThirtyOne) {
    const Dyadic d = toDyadic(0.5);
    EXPECT_EQ(d.multiplier, 1 << 30);
    EXPECT_EQ(d.shift, 31);
    // 3.0 = 0.75 · 2^2 → m = 0.75 · 2^31, shift 31 − 2.
    const Dyadic three = toDyadic(3.0);
    EXPECT_EQ(three.multiplier, 1610612736);
    EXPECT_EQ(three.shift, 29);
}

TEST(RequantizeTest, RoundsTiesUpwardAndSaturates) {
    const Dyadic half = toDyadic(0.5);
    EXPECT_EQ(applyDyadic(7, half.multiplier, half.shift), 4);    // 3.5 → 4
    EXPECT_EQ(applyDyadic(-7, half.multiplier, half.shift), -3);  // −3.5 → −3
    EXPECT_EQ(applyDyadic(5, half.multiplier, half.shift), 3);    // 2.5 → 3
    const Dyadic big = toDyadic(1000.0);
    EXPECT_EQ(applyDyadic(INT32_MAX, big.multiplier, big.shift), INT32_MAX);
    EXPECT_EQ(requantizeToCode(-100, half.multiplier, half.shift, 10, 10, 255), 10);  // fused ReLU clamp at zp
}

TEST(RequantizeTest, DyadicIsWithinTwoToMinusThirtyOneRelative) {
    for (double real : {1e-6, 0.00123, 0.37, 0.999999, 1.5, 77.0}) {
        const Dyadic d = toDyadic(real);
        const double back = d.multiplier * std::ldexp(1.0, -d.shift);
        EXPECT_NEAR(back / real, 1.0, 1e-9) << real;
    }
}

TEST(Conv2dTest, MatchesHandComputedValue) {
    // x = codes − zp = [3,5,7,9] − 1 = [2,4,6,8]; w = [1,−1,2,0]:
    // acc = 2 − 4 + 12 + 0 = 10; + bias 4 = 14; · 0.5 = 7; + zp_out 3 = 10.
    const ConvGeometry g{1, 2, 2, 1, 1, 1, 2, 2, 1, 0};
    const std::vector<std::uint8_t> in{3, 5, 7, 9};
    const std::vector<std::int8_t> w{1, -1, 2, 0};
    const Stage s = uniformStage(1, 0.5, 4);
    std::uint8_t out = 0;
    std::int32_t scratch[1];
    for (const SimdOps* ops : allOps()) {
        conv2d(g, in.data(), 1, w.data(), s.view(3), &out, scratch, *ops);
        EXPECT_EQ(out, 10) << ops->name;
    }
}

TEST(Conv2dTest, MatchesNaiveReferenceWithPaddingAndStride) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> code(0, 255), weight(-127, 127);
    for (int stride : {1, 2}) {
        ConvGeometry g{3, 9, 11, 4, 0, 0, 3, 3, stride, 1};
        g.out_h = convOutputSize(g.in_h, 3, stride, 1), g.out_w = convOutputSize(g.in_w, 3, stride, 1);
        std::vector<std::uint8_t> in(3 * 9 * 11);
        for (auto& v : in) v = static_cast<std::uint8_t>(code(rng));
        std::vector<std::int8_t> w(4 * 3 * 9);
        for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
        const auto acc = naiveConv(g, in, 17, w, false);
        const Stage s = uniformStage(4, 1.0 / 4096);
        const int plane = g.out_h * g.out_w;
        for (const SimdOps* ops : allOps()) {
            std::vector<std::uint8_t> out(static_cast<std::size_t>(4 * plane));
            std::vector<std::int32_t> scratch(static_cast<std::size_t>(plane));
            conv2d(g, in.data(), 17, w.data(), s.view(128), out.data(), scratch.data(), *ops);
            for (std::size_t i = 0; i < out.size(); ++i)
                ASSERT_EQ(out[i], requantizeToCode(acc[i], s.multiplier[0], s.shift[0], 128, 0, 255))
                    << ops->name << " stride " << stride << " at " << i;
        }
    }
}

TEST(DepthwiseConv2dTest, MatchesNaiveReference) {
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> code(0, 15), weight(-7, 7);  // 4-bit codes and weights
    const ConvGeometry g{5, 7, 13, 5, 7, 13, 3, 3, 1, 1};
    std::vector<std::uint8_t> in(5 * 7 * 13);
    for (auto& v : in) v = static_cast<std::uint8_t>(code(rng));
    std::vector<std::int8_t> w(5 * 9);
    for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
    const auto acc = naiveConv(g, in, 3, w, true);
    const Stage s = uniformStage(5, 0.25, -2);
    for (const SimdOps* ops : allOps()) {
        std::vector<std::uint8_t> out(in.size());
        std::vector<std::int32_t> scratch(7 * 13);
        depthwiseConv2d(g, in.data(), 3, w.data(), s.view(8, 8, 15), out.data(), scratch.data(), *ops);
        for (std::size_t i = 0; i < out.size(); ++i)
            ASSERT_EQ(out[i], requantizeToCode(acc[i] - 2, s.multiplier[0], s.shift[0], 8, 8, 15)) << ops->name;
    }
}

TEST(PointwiseConv2dTest, MatchesHandComputedValues) {
    // Two input channels of 3 pixels, zp 10: x0 = [1,2,3], x1 = [−1,0,5].
    // Output channel 0, w = [2, 3]: acc = [2−3, 4+0, 6+15] = [−1, 4, 21], · 1, zp 0, ReLU → [0, 4, 21].
    const ConvGeometry g{2, 1, 3, 1, 1, 3, 1, 1, 1, 0};
    const std::vector<std::uint8_t> in{11, 12, 13, 9, 10, 15};
    const std::vector<std::int8_t> w{2, 3};
    const Stage s = uniformStage(1, 1.0);
    for (const SimdOps* ops : allOps()) {
        std::uint8_t out[3];
        std::int32_t scratch[3];
        pointwiseConv2d(g, in.data(), 10, w.data(), s.view(0, 0, 255), out, scratch, *ops);
        EXPECT_EQ(out[0], 0);
        EXPECT_EQ(out[1], 4);
        EXPECT_EQ(out[2], 21);
    }
}

TEST(FullyConnectedTest, RescalesTheSecondSegmentToTheFirstScale) {
    // Segment A: codes [5, 7], zp 5 → [0, 2]; segment B: codes [1, 3], zp 0, scale ratio 0.5.
    // Row 0 w = [1, 2 | 4, 2]: acc_A = 4, acc_B = 4 + 6 = 10 → ·0.5 = 5; total 9 + bias 1 = 10 (logits).
    const std::vector<std::uint8_t> a{5, 7}, b{1, 3};
    const Dyadic half = toDyadic(0.5);
    const FcSegment segments[2] = {{a.data(), 5, 2, 0, 0}, {b.data(), 0, 2, half.multiplier, half.shift}};
    const std::vector<std::int8_t> w{1, 2, 4, 2};
    const Stage s = uniformStage(1, 1.0, 1);
    for (const SimdOps* ops : allOps()) {
        std::int32_t logit = 0;
        fullyConnected(segments, 2, 1, w.data(), s.view(0), nullptr, &logit, *ops);
        EXPECT_EQ(logit, 10) << ops->name;
        std::uint8_t code = 0;
        fullyConnected(segments, 2, 1, w.data(), s.view(100), &code, nullptr, *ops);
        EXPECT_EQ(code, 110) << ops->name;
    }
}

TEST(MaxPool2dTest, IgnoresPaddingCells) {
    // 1×3×3, kernel 2, stride 2, padding 1 → 2×2 windows {1}, {2,3}, {4,7}, {5,6,8,9}.
    const std::vector<std::uint8_t> in{1, 2, 3, 4, 5, 6, 7, 8, 9};
    const ConvGeometry g{1, 3, 3, 1, 2, 2, 2, 2, 2, 1};
    std::uint8_t out[4];
    maxPool2d(g, in.data(), out);
    EXPECT_EQ(out[0], 1);
    EXPECT_EQ(out[1], 3);
    EXPECT_EQ(out[2], 7);
    EXPECT_EQ(out[3], 9);
}

TEST(ConcatTest, RequantizesInputToTheOutputScale) {
    // scale_in / scale_out = 2, zp_in 4, zp_out 1: q = [4, 6, 200] → [1, 5, 255 (clamped from 393)].
    const std::vector<std::uint8_t> in{4, 6, 200};
    const Dyadic two = toDyadic(2.0);
    std::uint8_t out[3];
    requantizeCodes(in.data(), 3, 4, two.multiplier, two.shift, 1, 255, out);
    EXPECT_EQ(out[0], 1);
    EXPECT_EQ(out[1], 5);
    EXPECT_EQ(out[2], 255);
}

TEST(SimdOpsTest, OptimisedRowAndDotMatchPortableOnEveryLength) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> code(0, 255), weight(-128, 127);
    const SimdOps& portable = portableSimdOps();
    for (const SimdOps* ops : allOps())
        for (int n = 0; n <= 70; ++n)
            for (int zp : {0, 131, 255}) {
                std::vector<std::uint8_t> in(static_cast<std::size_t>(n));
                std::vector<std::int8_t> w(static_cast<std::size_t>(n));
                for (auto& v : in) v = static_cast<std::uint8_t>(code(rng));
                for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
                ASSERT_EQ(ops->dot(in.data(), zp, w.data(), n), portable.dot(in.data(), zp, w.data(), n))
                    << ops->name << " n=" << n;
                std::vector<std::int32_t> a(static_cast<std::size_t>(n), 5), b = a;
                ops->accumulate_row(a.data(), in.data(), zp, -128, n);
                portable.accumulate_row(b.data(), in.data(), zp, -128, n);
                ASSERT_EQ(a, b) << ops->name << " n=" << n;
            }
}

TEST(SimdOpsTest, ReportsWhichPathsThisMachineHas) {
    // Not a check of the hardware: the best path is one of the built ones.
    const std::string best = bestSimdOps().name;
    EXPECT_TRUE(best == "portable" || best == "avx2" || best == "neon");
#if defined(__x86_64__)
    EXPECT_EQ(neonSimdOps(), nullptr);
#endif
}

}  // namespace
}  // namespace tm2::runtime
