#include "core/runtime/kernels/kernels.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/sigmoid_table.h"
#include "core/runtime/kernels/softmax_table.h"

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
    std::vector<const SimdOps*> ops{&portableSimdOps(), &portablePairSimdOps()};
    if (avx2SimdOps()) ops.push_back(avx2SimdOps());
    if (neonSimdOps()) ops.push_back(neonSimdOps());
    if (neonDotprodSimdOps()) ops.push_back(neonDotprodSimdOps());
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

// Packs int4 codes two per byte, low nibble first (the .tmn layout).
std::vector<std::uint8_t> packInt4(const std::vector<std::int8_t>& w) {
    std::vector<std::uint8_t> out((w.size() + 1) / 2, 0);
    for (std::size_t k = 0; k < w.size(); ++k)
        out[k / 2] |= static_cast<std::uint8_t>((w[k] & 0xF) << (k % 2 == 0 ? 0 : 4));
    return out;
}

// Packs int2 codes four per byte, lowest two bits first (the .tmn layout).
std::vector<std::uint8_t> packInt2(const std::vector<std::int8_t>& w) {
    std::vector<std::uint8_t> out((w.size() + 3) / 4, 0);
    for (std::size_t k = 0; k < w.size(); ++k)
        out[k / 4] |= static_cast<std::uint8_t>((w[k] & 0x3) << (2 * (k % 4)));
    return out;
}

TEST(FullyConnectedTest, PackedInt2DotMatchesAHandComputedValueFromEveryStart) {
    // Weights [1, −1, 0, −2, 1, 1] packed: fields 01 11 00 10 → 0b10'00'11'01 = 0x8D,
    // then 01 01 → 0x05. x − zp = [1, 2, 3, 4]:
    //   from 1: −1·1 + 0·2 − 2·3 + 1·4 = −3;  from 3: −2·1 + 1·2 + 1·3 = 3 (three weights).
    const std::vector<std::uint8_t> packed = packInt2({1, -1, 0, -2, 1, 1});
    EXPECT_EQ(packed, (std::vector<std::uint8_t>{0x8D, 0x05}));
    const std::vector<std::uint8_t> x{11, 12, 13, 14};
    EXPECT_EQ(dotPackedInt2(x.data(), 10, packed.data(), 1, 4), -3);
    EXPECT_EQ(dotPackedInt2(x.data(), 10, packed.data(), 3, 3), 3);
    EXPECT_EQ(dotPackedInt2(x.data(), 10, packed.data(), 0, 4), 1 - 2 + 0 - 8);
    EXPECT_EQ(dotPackedInt2(x.data(), 10, packed.data(), 2, 0), 0);
}

TEST(FullyConnectedTest, PackedInt2MatchesTheInt8KernelOnSegmentsStartingAnywhereInAByte) {
    // Two segments of 5 and 6 features, 7 outputs: rows start at every offset within a byte.
    std::mt19937 rng(9);
    std::uniform_int_distribution<int> code(0, 255), weight(-2, 1);
    std::vector<std::uint8_t> a(5), b(6);
    for (auto& v : a) v = static_cast<std::uint8_t>(code(rng));
    for (auto& v : b) v = static_cast<std::uint8_t>(code(rng));
    const Dyadic ratio = toDyadic(0.37);
    const FcSegment segments[2] = {{a.data(), 9, 5, 0, 0}, {b.data(), 130, 6, ratio.multiplier, ratio.shift}};
    std::vector<std::int8_t> w(7 * 11);
    for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
    const std::vector<std::uint8_t> packed = packInt2(w);
    const Stage s = uniformStage(7, 0.01, -40);
    std::vector<std::int32_t> want(7), got(7);
    fullyConnected(segments, 2, 7, w.data(), s.view(0), nullptr, want.data(), portableSimdOps());
    fullyConnectedPackedInt2(segments, 2, 7, packed.data(), s.view(0), nullptr, got.data());
    EXPECT_EQ(got, want);
    std::vector<std::uint8_t> want_codes(7), got_codes(7);
    fullyConnected(segments, 2, 7, w.data(), s.view(128), want_codes.data(), nullptr, portableSimdOps());
    fullyConnectedPackedInt2(segments, 2, 7, packed.data(), s.view(128), got_codes.data(), nullptr);
    EXPECT_EQ(got_codes, want_codes);
}

TEST(FullyConnectedTest, PackedInt4DotMatchesAHandComputedValueFromAnOddStart) {
    // Weights [3, −8, 7, −1, 2] packed: bytes 0x83, 0xF7, 0x02. From index 1, three
    // weights −8, 7, −1 on x − zp = [1, 2, 3]: −8 + 14 − 3 = 3.
    const std::vector<std::uint8_t> packed = packInt4({3, -8, 7, -1, 2});
    EXPECT_EQ(packed, (std::vector<std::uint8_t>{0x83, 0xF7, 0x02}));
    const std::vector<std::uint8_t> x{11, 12, 13};
    EXPECT_EQ(dotPackedInt4(x.data(), 10, packed.data(), 1, 3), 3);
    EXPECT_EQ(dotPackedInt4(x.data(), 10, packed.data(), 2, 3), 7 - 2 + 6);
    EXPECT_EQ(dotPackedInt4(x.data(), 10, packed.data(), 0, 0), 0);
}

TEST(FullyConnectedTest, PackedInt4MatchesTheInt8KernelOnOddSegmentsAndRows) {
    // Two segments of 5 and 6 features (rows start mid-byte), 7 outputs.
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> code(0, 255), weight(-8, 7);
    std::vector<std::uint8_t> a(5), b(6);
    for (auto& v : a) v = static_cast<std::uint8_t>(code(rng));
    for (auto& v : b) v = static_cast<std::uint8_t>(code(rng));
    const Dyadic ratio = toDyadic(0.37);
    const FcSegment segments[2] = {{a.data(), 9, 5, 0, 0}, {b.data(), 130, 6, ratio.multiplier, ratio.shift}};
    std::vector<std::int8_t> w(7 * 11);
    for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
    const std::vector<std::uint8_t> packed = packInt4(w);
    const Stage s = uniformStage(7, 0.01, -40);
    std::vector<std::int32_t> want(7), got(7);
    fullyConnected(segments, 2, 7, w.data(), s.view(0), nullptr, want.data(), portableSimdOps());
    fullyConnectedPackedInt4(segments, 2, 7, packed.data(), s.view(0), nullptr, got.data());
    EXPECT_EQ(got, want);
    std::vector<std::uint8_t> want_codes(7), got_codes(7);
    fullyConnected(segments, 2, 7, w.data(), s.view(128), want_codes.data(), nullptr, portableSimdOps());
    fullyConnectedPackedInt4(segments, 2, 7, packed.data(), s.view(128), got_codes.data(), nullptr);
    EXPECT_EQ(got_codes, want_codes);
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

TEST(LookupTest, ReplacesEachCodeByItsTableEntry) {
    std::vector<std::int32_t> table(256);
    for (int q = 0; q < 256; ++q) table[static_cast<std::size_t>(q)] = 255 - q;  // a reversal
    const std::vector<std::uint8_t> in{0, 7, 255};
    std::uint8_t out[3];
    lookupCodes(in.data(), 3, table.data(), out);
    EXPECT_EQ(out[0], 255);
    EXPECT_EQ(out[1], 248);
    EXPECT_EQ(out[2], 0);
}

TEST(MultiplyTest, RequantizesTheProductOfCentredCodes) {
    // a zp 10, b zp 0, factor 1/255 (a gate on [0, 1]), zp_out 10:
    //   (30 − 10) · 255 / 255 = 20 → 30;  (30 − 10) · 128 / 255 = 10.04 → 20;
    //   (0 − 10) · 51 / 255 = −2 → 8;  (255 − 10) · 255 / 255 = 245 → 255 (clamped from 255).
    const std::vector<std::uint8_t> a{30, 30, 0, 255}, b{255, 128, 51, 255};
    const Dyadic d = toDyadic(1.0 / 255.0);
    std::uint8_t out[4];
    multiplyCodes(a.data(), 10, b.data(), 0, 4, d.multiplier, d.shift, 10, 255, out);
    EXPECT_EQ(out[0], 30);
    EXPECT_EQ(out[1], 20);
    EXPECT_EQ(out[2], 8);
    EXPECT_EQ(out[3], 255);
}

TEST(AddTest, BringsEachInputToTheOutputScaleThenAddsTheZeroPoint) {
    // a: zp 5, factor 0.5; b: zp 100, factor 2; zp_out 20, hi 255:
    //   (9 − 5)·0.5 + (101 − 100)·2 + 20 = 2 + 2 + 20 = 24;  (5 − 5)·0.5 + (90 − 100)·2 + 20 = 0;
    //   (255 − 5)·0.5 + (255 − 100)·2 + 20 = 125 + 310 + 20 = 455 → 255 (clamped).
    const std::vector<std::uint8_t> a{9, 5, 255}, b{101, 90, 255};
    const Dyadic half = toDyadic(0.5), two = toDyadic(2.0);
    std::uint8_t out[3];
    addCodes({a.data(), 5, 3, half.multiplier, half.shift}, {b.data(), 100, 3, two.multiplier, two.shift}, 20,
             255, out);
    EXPECT_EQ(out[0], 24);
    EXPECT_EQ(out[1], 0);
    EXPECT_EQ(out[2], 255);
}

TEST(SigmoidTableTest, MapsZeroToTheMiddleAndSaturatesAtTheEnds) {
    // scale 0.1, zp 128: q = 128 is x = 0, σ = 0.5 → round(127.5) = 128; q = 0 is x = −12.8,
    // 255 · σ = 7e-4 → 0; q = 255 is x = 12.7, 255 · σ = 254.9992 → 255; q = 138 is x = 1,
    // 255 · 0.7310586 = 186.42 → 186.
    const std::vector<std::int32_t> t = sigmoidTable(0.1, 128, 255);
    ASSERT_EQ(t.size(), 256U);
    EXPECT_EQ(t[128], 128);
    EXPECT_EQ(t[0], 0);
    EXPECT_EQ(t[255], 255);
    EXPECT_EQ(t[138], 186);
    EXPECT_EQ(sigmoidTable(0.5, 8, 15).size(), 16U);  // a 4-bit gate
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

// Per-channel multipliers from 2^-20 to 0.75 (shift < 32 for 0.75: the scalar
// requantization inside the AVX2 GEMM) and biases of both signs.
Stage variedStage(int channels, std::mt19937& rng) {
    std::uniform_real_distribution<double> exponent(-20.0, -0.4);
    std::uniform_int_distribution<int> bias(-5000, 5000);
    Stage s;
    for (int c = 0; c < channels; ++c) {
        const Dyadic d = toDyadic(std::exp2(exponent(rng)));
        s.bias.push_back(bias(rng));
        s.multiplier.push_back(d.multiplier);
        s.shift.push_back(d.shift);
    }
    return s;
}

std::vector<std::int32_t> weightPairs(const std::vector<std::int8_t>& w, int rows) {
    const int k = static_cast<int>(w.size()) / rows;
    std::vector<std::int32_t> pairs(static_cast<std::size_t>(rows * weightPairCount(k)));
    packWeightPairs(w.data(), rows, k, pairs.data());
    return pairs;
}

enum class ConvKind { Full, Depthwise, Pointwise };

// Runs one conv kind through every ops table, with and without packed weight
// pairs (int4 weights also left packed in nibbles, int2 in crumbs), and compares each
// code with the naive accumulator requantized; int8 shapes then run again with int4
// weights, int4 shapes with int2 weights.
void expectConvMatchesNaive(ConvKind kind, ConvGeometry g, int code_max, int weight_lo, int weight_hi,
                            std::uint32_t seed, int out_zero_point = -1) {
    std::mt19937 rng(seed);
    g.out_h = convOutputSize(g.in_h, g.kernel_h, g.stride, g.padding);
    g.out_w = convOutputSize(g.in_w, g.kernel_w, g.stride, g.padding);
    std::uniform_int_distribution<int> code(0, code_max), weight(weight_lo, weight_hi);
    std::vector<std::uint8_t> in(static_cast<std::size_t>(g.in_c * g.in_h * g.in_w));
    for (auto& v : in) v = static_cast<std::uint8_t>(code(rng));
    const int k = kind == ConvKind::Depthwise ? g.kernel_h * g.kernel_w : g.in_c * g.kernel_h * g.kernel_w;
    std::vector<std::int8_t> w(static_cast<std::size_t>(g.out_c * k));
    for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
    const int zp = code_max / 3;
    const auto acc = naiveConv(g, in, zp, w, kind == ConvKind::Depthwise);
    const Stage s = variedStage(g.out_c, rng);
    const int out_zp = out_zero_point >= 0 ? out_zero_point : code_max / 2;
    const int lo = kind == ConvKind::Full ? out_zp : 0;  // a fused ReLU on full convs
    const std::vector<std::int32_t> pairs = weightPairs(w, g.out_c);
    // int4 weights also run left packed (two per byte, a row may start mid-byte), as a
    // microcontroller reads them from flash, with pairs built from the nibbles.
    // int2 weights likewise, four per byte (a row may start at any of the four).
    const bool int2 = weight_lo >= -2 && weight_hi <= 1;
    const bool int4 = weight_lo >= -8 && weight_hi <= 7;
    const std::vector<std::uint8_t> nibbles = int2 ? packInt2(w) : packInt4(w);
    const WeightCodes packed_codes =
        int2 ? WeightCodes::packedInt2(nibbles.data()) : WeightCodes::packedInt4(nibbles.data());
    const char* packed_name = int2 ? " packed int2" : " packed int4";
    std::vector<std::int32_t> nibble_pairs(pairs.size());
    if (int4) {
        packWeightPairs(packed_codes, g.out_c, k, nibble_pairs.data());
        EXPECT_EQ(nibble_pairs, pairs);
    }
    const int plane = g.out_h * g.out_w;
    for (const SimdOps* ops : allOps()) {
        // The table's own packer too (ops.int4_pairs, what the pair paths run per call).
        std::vector<std::int32_t> ops_pairs(pairs.size());
        if (int4) {
            packWeightPairs(packed_codes, g.out_c, k, ops_pairs.data(), *ops);
            ASSERT_EQ(ops_pairs, pairs) << ops->name;
        }
        for (int variant = 0; variant < (int4 ? 4 : 2); ++variant) {
            const std::int32_t* wp = variant % 2 == 0 ? nullptr
                                     : variant == 1   ? pairs.data()
                                                      : ops_pairs.data();
            const WeightCodes codes = variant < 2 ? WeightCodes(w.data()) : packed_codes;
            const std::size_t scratch_bytes = kind == ConvKind::Full        ? conv2dScratchBytes(g, *ops)
                                              : kind == ConvKind::Depthwise ? depthwiseConv2dScratchBytes(g, *ops)
                                                                            : pointwiseConv2dScratchBytes(g, *ops);
            std::vector<std::uint8_t> out(static_cast<std::size_t>(g.out_c * plane), 0xEE);
            std::vector<std::int32_t> scratch(scratch_bytes / 4, 0x5A5A5A5A);
            const OutputStage view = s.view(out_zp, lo, code_max);
            if (kind == ConvKind::Full)
                conv2d(g, in.data(), zp, codes, view, out.data(), scratch.data(), *ops, wp);
            else if (kind == ConvKind::Depthwise)
                depthwiseConv2d(g, in.data(), zp, codes, view, out.data(), scratch.data(), *ops, wp);
            else
                pointwiseConv2d(g, in.data(), zp, codes, view, out.data(), scratch.data(), *ops, wp);
            for (std::size_t i = 0; i < out.size(); ++i) {
                const std::size_t ch = i / static_cast<std::size_t>(plane);
                ASSERT_EQ(out[i], requantizeToCode(std::int64_t{acc[i]} + s.bias[ch], s.multiplier[ch],
                                                   s.shift[ch], out_zp, lo, code_max))
                    << ops->name << (wp ? " pairs" : " taps") << (variant >= 2 ? packed_name : "")
                    << " at " << i;
            }
        }
    }
    // Every shape again with int4 and int2 weights, so the packed reads see each geometry.
    if (!int4)
        expectConvMatchesNaive(kind, g, code_max, -8, 7, seed + 1000, out_zero_point);
    else if (!int2)
        expectConvMatchesNaive(kind, g, code_max, -2, 1, seed + 2000, out_zero_point);
}

TEST(Conv2dTest, OneInputChannelMatchesNaiveOnOddWidths) {
    // The networks' first layer: 1 → 16 channels, 3×3, padding 1, on 28-wide and odd-width planes.
    expectConvMatchesNaive(ConvKind::Full, {1, 28, 28, 16, 0, 0, 3, 3, 1, 1}, 255, -128, 127, 21);
    expectConvMatchesNaive(ConvKind::Full, {1, 13, 101, 6, 0, 0, 3, 3, 1, 1}, 255, -127, 127, 22);
    expectConvMatchesNaive(ConvKind::Full, {1, 5, 3, 5, 0, 0, 3, 3, 1, 1}, 255, -128, 127, 23);
}

TEST(Conv2dTest, OneInputChannelWithAReluAtZeroMatchesNaiveLineByLine) {
    // Output zero point 0 with a ReLU: lo 0 and hi 255, where the optimised loops drop
    // the clamp; padded planes 28, 101, 9 and 12 wide go line by line.
    expectConvMatchesNaive(ConvKind::Full, {1, 28, 28, 16, 0, 0, 3, 3, 1, 1}, 255, -128, 127, 24, 0);
    expectConvMatchesNaive(ConvKind::Full, {1, 13, 101, 8, 0, 0, 3, 3, 1, 1}, 255, -127, 127, 25, 0);
    expectConvMatchesNaive(ConvKind::Full, {1, 4, 9, 4, 0, 0, 3, 3, 1, 1}, 255, -128, 127, 26, 0);
    expectConvMatchesNaive(ConvKind::Full, {1, 3, 12, 5, 0, 0, 5, 5, 1, 2}, 255, -128, 127, 27, 0);
}

TEST(Conv2dTest, PairPathMatchesNaiveOnStridesKernelsAndInt4Weights) {
    expectConvMatchesNaive(ConvKind::Full, {3, 9, 17, 7, 0, 0, 3, 3, 2, 1}, 255, -128, 127, 31);  // stride 2
    expectConvMatchesNaive(ConvKind::Full, {2, 11, 19, 5, 0, 0, 5, 3, 1, 2}, 255, -128, 127, 32);  // 5×3, pad 2
    expectConvMatchesNaive(ConvKind::Full, {4, 8, 8, 9, 0, 0, 3, 3, 1, 0}, 255, -128, 127, 33);    // no padding
    expectConvMatchesNaive(ConvKind::Full, {3, 10, 21, 8, 0, 0, 3, 3, 1, 1}, 15, -8, 7, 34);       // int4 w, 4-bit codes
    expectConvMatchesNaive(ConvKind::Full, {2, 6, 9, 3, 0, 0, 3, 9, 1, 0}, 255, -128, 127, 35);    // rows gathered
    // 64 × 66 × 66 padded planes and 288 pairs × 4224 columns: over kMaxPairScratchBytes,
    // so the pair path is declined and the scratch stays out_h × out_w int32.
    const ConvGeometry big{64, 64, 64, 1, 64, 64, 3, 3, 1, 1};
    EXPECT_EQ(conv2dScratchBytes(big, portablePairSimdOps()), 64u * 64u * 4u);
    expectConvMatchesNaive(ConvKind::Full, big, 255, -128, 127, 36);
}

TEST(DepthwiseConv2dTest, PairPathMatchesNaiveOnTheNetworksShapes) {
    expectConvMatchesNaive(ConvKind::Depthwise, {16, 14, 14, 16, 0, 0, 3, 3, 1, 1}, 255, -128, 127, 41);
    expectConvMatchesNaive(ConvKind::Depthwise, {32, 7, 7, 32, 0, 0, 3, 3, 1, 1}, 255, -128, 127, 42);
    expectConvMatchesNaive(ConvKind::Depthwise, {5, 3, 25, 5, 0, 0, 3, 3, 1, 1}, 15, -8, 7, 43);
    expectConvMatchesNaive(ConvKind::Depthwise, {3, 9, 12, 3, 0, 0, 3, 3, 2, 1}, 255, -128, 127, 44);
    expectConvMatchesNaive(ConvKind::Depthwise, {3, 5, 9, 3, 0, 0, 3, 9, 1, 0}, 255, -128, 127, 45);  // 1 wide
}

TEST(PointwiseConv2dTest, PairPathMatchesNaiveOnOddChannelCounts) {
    expectConvMatchesNaive(ConvKind::Pointwise, {16, 6, 50, 32, 0, 0, 1, 1, 1, 0}, 255, -128, 127, 51);
    expectConvMatchesNaive(ConvKind::Pointwise, {5, 7, 7, 9, 0, 0, 1, 1, 1, 0}, 255, -128, 127, 52);
    expectConvMatchesNaive(ConvKind::Pointwise, {1, 1, 3, 2, 0, 0, 1, 1, 1, 0}, 15, -8, 7, 53);
}

TEST(SimdOpsTest, OptimisedPairGemmMatchesPortable) {
    // Extreme codes and weights (±255 · −128 pairs), every row-block remainder and
    // column tail, channels whose requantization the AVX2 path leaves to scalar code.
    std::mt19937 rng(12);
    std::uniform_int_distribution<int> code(0, 255), weight(-128, 127);
    const SimdOps& portable = portablePairSimdOps();
    for (const SimdOps* ops : allOps()) {
        if (!ops->gemm_pairs) continue;
        for (int n : {1, 15, 16, 17, 40})
            for (int pair_count : {1, 2, 5})
                for (int rows : {1, 3, 4, 6, 8, 9, 10, 16}) {
                    const int ld = (n + 15) / 16 * 16;
                    std::vector<std::uint8_t> a(static_cast<std::size_t>(n)), b(a.size());
                    std::vector<std::int32_t> packed(static_cast<std::size_t>(pair_count * ld)), reference(packed);
                    for (int k = 0; k < pair_count; ++k) {
                        for (auto& v : a) v = static_cast<std::uint8_t>(k == 0 ? 255 : code(rng));
                        for (auto& v : b) v = static_cast<std::uint8_t>(code(rng));
                        ops->pack_pairs(packed.data() + k * ld, a.data(), b.data(), k == 0 ? 0 : 77, 1, n);
                        portable.pack_pairs(reference.data() + k * ld, a.data(), b.data(), k == 0 ? 0 : 77, 1, n);
                    }
                    for (int j = 0; j < pair_count * ld; ++j) {
                        if (j % ld >= n) continue;  // padding columns are left as they were
                        ASSERT_EQ(packed[static_cast<std::size_t>(j)], reference[static_cast<std::size_t>(j)]) << j;
                    }
                    std::vector<std::int8_t> w(static_cast<std::size_t>(rows * 2 * pair_count));
                    for (auto& v : w) v = static_cast<std::int8_t>(rows % 2 ? -128 : weight(rng));
                    const auto w_pairs = weightPairs(w, rows);
                    Stage s = variedStage(rows + 1, rng);
                    s.multiplier[0] = toDyadic(0.5).multiplier, s.shift[0] = 31;  // scalar fallback channel
                    const OutputStage view = s.view(100, 3, 250);
                    std::vector<std::uint8_t> got(static_cast<std::size_t>(rows * n)), want(got);
                    ops->gemm_pairs(packed.data(), pair_count, n, ld, w_pairs.data(), rows, view, 0, got.data(), n);
                    portable.gemm_pairs(packed.data(), pair_count, n, ld, w_pairs.data(), rows, view, 0, want.data(), n);
                    ASSERT_EQ(got, want) << ops->name << " n=" << n << " pairs=" << pair_count << " rows=" << rows;
                }
    }
}

TEST(SimdOpsTest, PairGemmComputesAHandCheckedCode) {
    // Pairs (x0, x1) = (3 − 1, 5 − 1) = (2, 4), weights (−3, 2): acc = −6 + 8 = 2;
    // + bias 10 = 12; · 0.25 = 3; + zp 7 = 10.
    const std::uint8_t a[1] = {3}, b[1] = {5};
    const std::int8_t w[2] = {-3, 2};
    const Stage s = uniformStage(1, 0.25, 10);
    for (const SimdOps* ops : allOps()) {
        if (!ops->gemm_pairs) continue;
        std::int32_t packed[16] = {}, w_pairs[1];
        ops->pack_pairs(packed, a, b, 1, 1, 1);
        packWeightPairs(w, 1, 2, w_pairs);
        std::uint8_t out = 0;
        ops->gemm_pairs(packed, 1, 1, 16, w_pairs, 1, s.view(7), 0, &out, 1);
        EXPECT_EQ(out, 10) << ops->name;
    }
}

TEST(MaxPool2dTest, TwoByTwoPoolDropsTheOddLastRowAndColumn) {
    // 1×3×5 → 1×1×2: windows {1,2,6,7} and {3,4,8,9}; row 3 and column 5 are dropped (floor).
    const std::vector<std::uint8_t> in{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    const ConvGeometry g{1, 3, 5, 1, 1, 2, 2, 2, 2, 0};
    std::uint8_t out[2];
    maxPool2d(g, in.data(), out);
    EXPECT_EQ(out[0], 7);
    EXPECT_EQ(out[1], 9);
}

TEST(MaxPool2dTest, OptimisedTwoByTwoPoolMatchesGenericLoopOnEveryWidth) {
    // Widths 2..70 hit every block size (16 / 8 / 4 outputs, overlapping last block) and the scalar rows.
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> code(0, 255);
    for (const SimdOps* ops : allOps())
        for (int in_h : {2, 3, 7})
            for (int in_w = 2; in_w <= 70; ++in_w) {
                const ConvGeometry g{3, in_h, in_w, 3, in_h / 2, in_w / 2, 2, 2, 2, 0};
                std::vector<std::uint8_t> in(static_cast<std::size_t>(3 * in_h * in_w));
                for (auto& v : in) v = static_cast<std::uint8_t>(code(rng));
                std::vector<std::uint8_t> out(static_cast<std::size_t>(3 * g.out_h * g.out_w));
                maxPool2d(g, in.data(), out.data(), *ops);
                std::size_t i = 0;
                for (int c = 0; c < 3; ++c)
                    for (int oy = 0; oy < g.out_h; ++oy)
                        for (int ox = 0; ox < g.out_w; ++ox, ++i) {
                            const std::uint8_t* p = in.data() + (c * in_h + 2 * oy) * in_w + 2 * ox;
                            const int want = std::max(std::max(p[0], p[1]), std::max(p[in_w], p[in_w + 1]));
                            ASSERT_EQ(out[i], want) << ops->name << " w=" << in_w << " h=" << in_h << " at " << i;
                        }
            }
}

TEST(SimdOpsTest, ReportsWhichPathsThisMachineHas) {
    // Not a check of the hardware: the best path is one of the built ones.
    const std::string best = bestSimdOps().name;
    EXPECT_TRUE(best == "portable" || best == "avx2" || best == "neon" || best == "neon-dotprod");
#if defined(__x86_64__)
    EXPECT_EQ(neonSimdOps(), nullptr);
    EXPECT_EQ(neonDotprodSimdOps(), nullptr);
#endif
}

}  // namespace

TEST(MultiplyTest, ByOneCodeScalesEveryElementAlike) {
    // a zp 10, the code 159 (zp 0), factor 1/255, zp_out 10:
    //   (30 − 10) · 159 / 255 = 12.47 → 22;  (0 − 10) · 159 / 255 = −6.24 → 4;  (255 − 10) · 159 / 255 =
    //   152.8 → 163.
    const std::vector<std::uint8_t> a{30, 0, 255};
    const Dyadic d = toDyadic(1.0 / 255.0);
    std::uint8_t out[3];
    multiplyByCode(a.data(), 10, 159, 0, 3, d.multiplier, d.shift, 10, 255, out);
    EXPECT_EQ(out[0], 22);
    EXPECT_EQ(out[1], 4);
    EXPECT_EQ(out[2], 163);
}

TEST(SoftmaxTableTest, HoldsTwoToTheFifteenTimesExpOfMinusTheScaledDistance) {
    // scale 0.5: 32768 · e^0 = 32768; · e^−0.5 = 19874.79 → 19875; · e^−1 = 12054.81 → 12055;
    // · e^−1.5 = 7311.52 → 7312; d = 255 is e^−127.5 ≈ 4e-56 → 0.
    const std::vector<std::int32_t> t = softmaxTable(0.5, 255);
    ASSERT_EQ(t.size(), 256U);
    EXPECT_EQ(t[0], 32768);
    EXPECT_EQ(t[1], 19875);
    EXPECT_EQ(t[2], 12055);
    EXPECT_EQ(t[3], 7312);
    EXPECT_EQ(t[255], 0);
    EXPECT_EQ(softmaxTable(0.1, 15).size(), 16U);  // 4-bit scores
}

TEST(SoftmaxTest, WeighsScoresByTheTableAndRoundsHalfUp) {
    // Scores 131 and 130 on scale 0.5: e = 32768 and 19875, Σ = 52643;
    //   255 · 32768 / 52643 = 158.73 → 159,  255 · 19875 / 52643 = 96.27 → 96.
    const std::vector<std::int32_t> table = softmaxTable(0.5, 255);
    const std::vector<std::uint8_t> two{131, 130};
    std::uint8_t out[3];
    softmaxCodes(two.data(), 2, table.data(), out);
    EXPECT_EQ(out[0], 159);
    EXPECT_EQ(out[1], 96);
    // Three equal scores: 255 / 3 = 85 exactly, whatever the codes.
    const std::vector<std::uint8_t> equal{7, 7, 7};
    softmaxCodes(equal.data(), 3, table.data(), out);
    EXPECT_EQ(out[0], 85);
    EXPECT_EQ(out[2], 85);
    // A tie: a table of ones gives 255 / 2 = 127.5 → 128 for both (half up).
    const std::vector<std::int32_t> ones(256, 1);
    softmaxCodes(two.data(), 2, ones.data(), out);
    EXPECT_EQ(out[0], 128);
    EXPECT_EQ(out[1], 128);
    // One score alone weighs 1 (255); far apart, the smaller one gets 0.
    softmaxCodes(two.data(), 1, table.data(), out);
    EXPECT_EQ(out[0], 255);
    const std::vector<std::uint8_t> apart{0, 255};
    softmaxCodes(apart.data(), 2, table.data(), out);
    EXPECT_EQ(out[0], 0);
    EXPECT_EQ(out[1], 255);
}

}  // namespace tm2::runtime
