// Every optimised inner loop (AVX2 on x86-64; NEON, and NEON dot product where the
// CPU has it, on aarch64 — run under qemu-aarch64 by scripts/cross-aarch64.sh)
// against its portable twin, bit for bit, on randomised tensors: ragged column
// tails, every row-block remainder, odd pair counts, int8 and int4 weights, and
// output stages that take each requantization path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {
namespace {

std::vector<const SimdOps*> optimisedOps() {
    std::vector<const SimdOps*> ops;
    if (avx2SimdOps()) ops.push_back(avx2SimdOps());
    if (neonSimdOps()) ops.push_back(neonSimdOps());
    if (neonDotprodSimdOps()) ops.push_back(neonDotprodSimdOps());
    return ops;
}

struct RandomStage {
    std::vector<std::int32_t> bias, multiplier, shift;
    OutputStage view(std::int32_t zp, std::int32_t lo, std::int32_t hi) const {
        return {bias.data(), multiplier.data(), shift.data(), zp, lo, hi};
    }
};

// Multipliers 2^-24 .. 0.9 (shift 31 for those ≥ 0.5: the 64-bit requantization
// path), biases of both signs, and one channel whose bias is so large that
// accumulator + bias may leave int32 (the 64-bit path again).
RandomStage randomStage(int channels, std::mt19937& rng) {
    std::uniform_real_distribution<double> exponent(-24.0, -0.15);
    std::uniform_int_distribution<int> bias(-40000, 40000);
    RandomStage s;
    for (int c = 0; c < channels; ++c) {
        const Dyadic d = toDyadic(std::exp2(exponent(rng)));
        s.bias.push_back(c == 1 ? 2147000000 : bias(rng));
        s.multiplier.push_back(d.multiplier);
        s.shift.push_back(d.shift);
    }
    return s;
}

std::vector<std::uint8_t> randomCodes(std::size_t n, std::mt19937& rng) {
    std::uniform_int_distribution<int> code(0, 255);
    std::vector<std::uint8_t> v(n);
    for (auto& x : v) x = static_cast<std::uint8_t>(code(rng));
    return v;
}

std::vector<std::int32_t> randomWeightPairs(int rows, int k, int bits, std::mt19937& rng) {
    const int lo = bits == 4 ? -8 : -128, hi = bits == 4 ? 7 : 127;
    std::uniform_int_distribution<int> weight(lo, hi);
    std::vector<std::int8_t> w(static_cast<std::size_t>(rows) * k);
    for (auto& x : w) x = static_cast<std::int8_t>(weight(rng));
    std::vector<std::int32_t> pairs(static_cast<std::size_t>(rows) * weightPairCount(k));
    packWeightPairs(w.data(), rows, k, pairs.data());
    if (bits ==
        4) {  // the same pairs from the nibbles a model read in place keeps (odd k: rows start mid-byte)
        std::vector<std::uint8_t> nibbles((w.size() + 1) / 2, 0);
        for (std::size_t i = 0; i < w.size(); ++i)
            nibbles[i / 2] |= static_cast<std::uint8_t>((w[i] & 0xF) << (i % 2 == 0 ? 0 : 4));
        std::vector<std::int32_t> from_nibbles(pairs.size());
        packWeightPairs(WeightCodes::packedInt4(nibbles.data()), rows, k, from_nibbles.data());
        EXPECT_EQ(from_nibbles, pairs) << rows << " rows of " << k;
    }
    return pairs;
}

// OutputStage::acc_bound of weight pairs for inputs with |x − zp| ≤ reach (as accumulatorBound
// gives it for the weights): with it the NEON loops take int16 lanes where the bound allows.
std::int32_t pairsBound(const std::vector<std::int32_t>& pairs, int rows, int reach) {
    const std::size_t count = pairs.size() / static_cast<std::size_t>(rows);
    std::int64_t best = 0;
    for (int r = 0; r < rows; ++r) {
        std::int64_t sum = 0;
        for (std::size_t p = 0; p < count; ++p) {
            const auto w = static_cast<std::uint32_t>(pairs[static_cast<std::size_t>(r) * count + p]);
            sum += std::abs(static_cast<std::int16_t>(w & 0xFFFFu)) +
                   std::abs(static_cast<std::int16_t>(w >> 16));
        }
        best = std::max(best, sum * reach);
    }
    return static_cast<std::int32_t>(std::min<std::int64_t>(best, 0x7FFFFFFF));
}

TEST(SimdTwinsTest, AccumulatorBoundIsTheLargestRowsAbsoluteSumTimesTheReach) {
    const std::int8_t w[] = {3, -4, 0, 7, -8, -8, 1, 1};  // two rows of four: Σ|w| 14 and 18
    EXPECT_EQ(accumulatorBound(w, 2, 4, 131), 18 * 131);
    std::vector<std::uint8_t> nibbles(4);
    for (int i = 0; i < 8; ++i) nibbles[i / 2] |= static_cast<std::uint8_t>((w[i] & 0xF) << (i % 2 ? 4 : 0));
    EXPECT_EQ(accumulatorBound(WeightCodes::packedInt4(nibbles.data()), 2, 4, 8), 18 * 8);
    const std::int8_t big[] = {-128, -128, -128, -128};
    EXPECT_EQ(accumulatorBound(big, 1, 4, 255), 512 * 255);
    EXPECT_EQ(accumulatorBound(big, 0, 4, 255), 0);
}

TEST(SimdTwinsTest, PackPairsMatchesPortableForEveryStepLengthAndZeroPoint) {
    std::mt19937 rng(101);
    const SimdOps& portable = portablePairSimdOps();
    for (const SimdOps* ops : optimisedOps())
        for (int step : {1, 2, 3})
            for (int n = 0; n <= 70; ++n)
                for (int zp : {0, 77, 255}) {
                    // Exactly as many codes as the last element needs, so no loop may rely on more.
                    const std::size_t span = n == 0 ? 1 : static_cast<std::size_t>((n - 1) * step + 1);
                    const auto a = randomCodes(span, rng), b = randomCodes(span, rng);
                    std::vector<std::int32_t> got(static_cast<std::size_t>(n) + 1, 7), want(got);
                    ops->pack_pairs(got.data(), a.data(), b.data(), zp, step, n);
                    portable.pack_pairs(want.data(), a.data(), b.data(), zp, step, n);
                    ASSERT_EQ(got, want) << ops->name << " step=" << step << " n=" << n << " zp=" << zp;
                }
}

TEST(SimdTwinsTest, PairGemmMatchesPortableOnRandomShapesWithInt8AndInt4Weights) {
    std::mt19937 rng(202);
    const SimdOps& portable = portablePairSimdOps();
    int case_index = 0;
    for (const SimdOps* ops : optimisedOps())
        for (int bits : {8, 4})
            for (int n : {1, 5, 8, 9, 16, 23, 40, 64})
                for (int k : {1, 2, 7, 8, 9, 16, 31, 144})
                    for (int rows : {1, 2, 3, 4, 5, 7, 12, 13}) {
                        const int pair_count = weightPairCount(k), ld = (n + 15) / 16 * 16;
                        std::vector<std::int32_t> pairs(static_cast<std::size_t>(pair_count) * ld);
                        for (int p = 0; p < pair_count; ++p) {
                            const auto a = randomCodes(static_cast<std::size_t>(ld), rng);
                            const auto b = randomCodes(static_cast<std::size_t>(ld), rng);
                            portable.pack_pairs(pairs.data() + static_cast<std::ptrdiff_t>(p) * ld, a.data(),
                                                b.data(), p % 2 ? 255 : 0, 1, ld);
                        }
                        const auto w = randomWeightPairs(rows, k, bits, rng);
                        const RandomStage s = randomStage(rows, rng);
                        // In turn: a ReLU clamp above the zero point, none (lo 0, hi 255) with and
                        // without a zero point, and a 4-bit output's upper clamp with and without one.
                        const int stage_zp[] = {131, 131, 0, 3, 0}, stage_lo[] = {131, 0, 0, 0, 0},
                                  stage_hi[] = {255, 255, 255, 15, 15};
                        const int v = case_index++ % 5;
                        OutputStage view = s.view(stage_zp[v], stage_lo[v], stage_hi[v]);
                        // The pairs' codes − zp (zp 0 or 255) reach 255: with the bound the
                        // NEON GEMM runs int16 lanes where it allows (int4 weights, short k).
                        if (case_index % 2 == 0) view.acc_bound = pairsBound(w, rows, 255);
                        const int stride = n + 3;  // rows of the output further apart than n
                        std::vector<std::uint8_t> got(static_cast<std::size_t>(rows) * stride, 0xEE),
                            want(got);
                        ops->gemm_pairs(pairs.data(), pair_count, n, ld, w.data(), rows, view, 0, got.data(),
                                        stride);
                        portable.gemm_pairs(pairs.data(), pair_count, n, ld, w.data(), rows, view, 0,
                                            want.data(), stride);
                        ASSERT_EQ(got, want)
                            << ops->name << " int" << bits << " n=" << n << " k=" << k << " rows=" << rows;
                    }
}

TEST(SimdTwinsTest, DirectPairsMatchesPortableOnKernelShapesAndRaggedRuns) {
    std::mt19937 rng(303);
    const SimdOps& portable = portablePairSimdOps();
    struct Kernel {
        int h, w;
    };
    for (const SimdOps* ops : optimisedOps()) {
        if (!ops->direct_pairs) continue;
        for (const Kernel kernel : {Kernel{3, 3}, Kernel{5, 3}, Kernel{1, 9}, Kernel{1, 1}})
            for (int pitch : {9, 16, 30})
                for (int n : {1, 15, 16, 17, 40, 101})
                    for (int zp : {0, 200, 300}) {  // 300: no uint8 fits, the loops' scalar fallback
                        for (int bits : {8, 4}) {
                            const int taps = kernel.h * kernel.w, pair_count = weightPairCount(taps);
                            std::vector<int> offsets(static_cast<std::size_t>(2 * pair_count));
                            for (int t = 0; t < 2 * pair_count; ++t) {
                                const int tap = t < taps ? t : taps - 1;
                                offsets[static_cast<std::size_t>(t)] =
                                    (tap / kernel.w) * pitch + tap % kernel.w;
                            }
                            const auto plane = randomCodes(static_cast<std::size_t>(offsets.back() + n), rng);
                            const auto w = randomWeightPairs(1, taps, bits, rng);
                            const RandomStage s = randomStage(2, rng);
                            for (int ch : {0, 1}) {
                                // Channel 0 unclamped (lo 0, hi 255), channel 1 clamped.
                                OutputStage view =
                                    ch == 0 ? s.view(zp % 256, 0, 255) : s.view(zp % 256, 9, 200);
                                view.acc_bound = pairsBound(w, 1, std::max(zp % 256, 255 - zp % 256));
                                std::vector<std::uint8_t> got(static_cast<std::size_t>(n)), want(got);
                                ops->direct_pairs(plane.data(), offsets.data(), pair_count, n, zp, w.data(),
                                                  view, ch, got.data());
                                portable.direct_pairs(plane.data(), offsets.data(), pair_count, n, zp,
                                                      w.data(), view, ch, want.data());
                                ASSERT_EQ(got, want) << ops->name << " kernel " << kernel.h << "x" << kernel.w
                                                     << " pitch=" << pitch << " n=" << n << " zp=" << zp
                                                     << " int" << bits << " channel " << ch;
                            }
                        }
                    }
    }
}

TEST(SimdTwinsTest, DirectRowsMatchesPortableForEveryRowCountKernelAndLineShape) {
    // A conv over one input plane: `rows` channels sharing each tap's load, as one flat
    // run (height 1) or line by line (a padded plane's lines, junk columns skipped):
    // widths that end on a 16- or 8-wide step, on an overlapping one, or below 8 (the
    // scalar lines); output stages with a clamp, without one (lo 0, hi 255), with a
    // zero point but no clamp, and a 4-bit ReLU's upper clamp alone.
    std::mt19937 rng(505);
    const SimdOps& portable = portablePairSimdOps();
    struct Lines {
        int width, height;
    };
    struct Stage {
        int zp, lo, hi;
    };
    for (const SimdOps* ops : optimisedOps()) {
        if (!ops->direct_rows) continue;
        for (int taps : {9, 8, 1, 15, 16, 25})  // 3×3, even and odd counts, and more than 8 pairs
            for (int rows : {1, 2, 3, 5, 12})
                for (const Lines lines :
                     {Lines{5, 1}, Lines{16, 1}, Lines{37, 1}, Lines{838, 1}, Lines{7, 3}, Lines{8, 2},
                      Lines{12, 2}, Lines{16, 3}, Lines{24, 2}, Lines{28, 4}, Lines{101, 2}})
                    for (const Stage stage :
                         {Stage{7, 7, 250}, Stage{0, 0, 255}, Stage{131, 0, 255}, Stage{0, 0, 15}})
                        for (int bits : {8, 4}) {
                            const int pair_count = weightPairCount(taps), pitch = lines.width + 2;
                            std::vector<int> offsets(static_cast<std::size_t>(2 * pair_count));
                            for (int t = 0; t < 2 * pair_count; ++t) {
                                const int tap = t < taps ? t : taps - 1;
                                offsets[static_cast<std::size_t>(t)] = (tap / 3) * pitch + tap % 3;
                            }
                            // Exactly the bytes the last line's last output reads.
                            const auto plane =
                                randomCodes(static_cast<std::size_t>((lines.height - 1) * pitch +
                                                                     offsets.back() + lines.width),
                                            rng);
                            const auto w = randomWeightPairs(rows, taps, bits, rng);
                            const RandomStage s = randomStage(rows + 2, rng);
                            OutputStage view = s.view(stage.zp, stage.lo, stage.hi);
                            view.acc_bound = pairsBound(w, rows, 131);  // the input's zp 131
                            const int stride = lines.width * lines.height + 1;
                            std::vector<std::uint8_t> got(static_cast<std::size_t>(rows) * stride, 0xEE),
                                want(got);
                            ops->direct_rows(plane.data(), offsets.data(), pair_count, lines.width,
                                             lines.height, pitch, 131, w.data(), rows, view, 1, got.data(),
                                             stride);
                            portable.direct_rows(plane.data(), offsets.data(), pair_count, lines.width,
                                                 lines.height, pitch, 131, w.data(), rows, view, 1,
                                                 want.data(), stride);
                            ASSERT_EQ(got, want) << ops->name << " taps=" << taps << " rows=" << rows
                                                 << " width=" << lines.width << " height=" << lines.height
                                                 << " stage zp=" << stage.zp << " lo=" << stage.lo
                                                 << " hi=" << stage.hi << " int" << bits;
                        }
    }
}

// Rows whose Σ |w| · max |x − zp| is exactly 32767 (the int16 lanes' largest sum: the NEON
// loops may accumulate in int16) or 32768 (they must not), at inputs that reach the sum:
// every code 0 against all-negative weights (+sum) or all-positive ones (−sum). Weight
// rows of 9 taps (3×3) as int8 pairs; reach = max(zp, 255 − zp).
struct NarrowBoundCase {
    int zp, sum;  // zp · sum = 32767 (zp 151, Σ|w| 217) or 32768 (zp 128, Σ|w| 256)
    int sign;
};
std::vector<NarrowBoundCase> narrowBoundCases() {
    std::vector<NarrowBoundCase> cases;
    for (int sign : {-1, 1}) {
        cases.push_back({151, 217, sign});
        cases.push_back({128, 256, sign});
    }
    return cases;
}
std::vector<std::int32_t> narrowBoundWeights(int rows, int taps, const NarrowBoundCase& c) {
    std::vector<std::int8_t> w(static_cast<std::size_t>(rows) * taps);
    for (int r = 0; r < rows; ++r) {
        int left = c.sum;
        for (int t = 0; t < taps; ++t) {
            const int magnitude = t + 1 < taps ? std::min(left, c.sum / taps) : left;
            left -= magnitude;
            w[static_cast<std::size_t>(r) * taps + t] = static_cast<std::int8_t>(c.sign * magnitude);
        }
    }
    std::vector<std::int32_t> pairs(static_cast<std::size_t>(rows) * weightPairCount(taps));
    packWeightPairs(w.data(), rows, taps, pairs.data());
    return pairs;
}
// Codes round(acc / 512) + 64: ±32767 and ±32768 stay apart from a wrapped int16 sum.
struct NarrowBoundStage {
    std::vector<std::int32_t> bias, multiplier, shift;
    explicit NarrowBoundStage(int channels) {
        const Dyadic d = toDyadic(1.0 / 512);
        bias.assign(static_cast<std::size_t>(channels), 0);
        multiplier.assign(static_cast<std::size_t>(channels), d.multiplier);
        shift.assign(static_cast<std::size_t>(channels), d.shift);
    }
    OutputStage view(std::int32_t acc_bound, std::int32_t zp = 64) const {
        OutputStage s{bias.data(), multiplier.data(), shift.data(), zp, 0, 255};
        s.acc_bound = acc_bound;
        return s;
    }
};

TEST(SimdTwinsTest, DirectLoopsAccumulateExactlyAtTheInt16Bound) {
    const SimdOps& portable = portablePairSimdOps();
    const int taps = 9, pair_count = weightPairCount(taps), width = 16, pitch = width + 2, rows = 8;
    std::vector<int> offsets(static_cast<std::size_t>(2 * pair_count));
    for (int t = 0; t < 2 * pair_count; ++t) {
        const int tap = t < taps ? t : taps - 1;
        offsets[static_cast<std::size_t>(t)] = (tap / 3) * pitch + tap % 3;
    }
    const NarrowBoundStage stage(rows);
    for (const SimdOps* ops : optimisedOps())
        for (const NarrowBoundCase& c : narrowBoundCases()) {
            // Codes 0 (x − zp = −zp, the far end for zp ≥ 128) and, for the sign check, the sum.
            const std::vector<std::uint8_t> plane(static_cast<std::size_t>(2 * pitch + 2 + width), 0);
            const auto w = narrowBoundWeights(rows, taps, c);
            const std::int32_t bound = pairsBound(w, rows, c.zp);
            EXPECT_EQ(bound, c.zp * c.sum);
            const int expected = 64 - c.sign * ((c.zp * c.sum + 256) / 512);
            if (ops->direct_rows) {
                std::vector<std::uint8_t> got(static_cast<std::size_t>(rows) * width), want(got);
                ops->direct_rows(plane.data(), offsets.data(), pair_count, width, 1, pitch, c.zp, w.data(),
                                 rows, stage.view(bound), 0, got.data(), width);
                portable.direct_rows(plane.data(), offsets.data(), pair_count, width, 1, pitch, c.zp,
                                     w.data(), rows, stage.view(bound), 0, want.data(), width);
                EXPECT_EQ(want[0], expected);
                ASSERT_EQ(got, want) << ops->name << " direct_rows zp=" << c.zp << " sum=" << c.sum
                                     << " sign=" << c.sign;
            }
            if (ops->direct_pairs) {
                std::vector<std::uint8_t> got(static_cast<std::size_t>(width)), want(got);
                ops->direct_pairs(plane.data(), offsets.data(), pair_count, width, c.zp, w.data(),
                                  stage.view(bound), 0, got.data());
                portable.direct_pairs(plane.data(), offsets.data(), pair_count, width, c.zp, w.data(),
                                      stage.view(bound), 0, want.data());
                ASSERT_EQ(got, want) << ops->name << " direct_pairs zp=" << c.zp << " sum=" << c.sum
                                     << " sign=" << c.sign;
            }
            // The GEMM over the same sums, k = 8 (one quad of pairs: all in the int16 loop) and
            // k = 9 (then a tail pair), pairs of codes 0 − zp, 16 columns; output zero point 0 (a
            // ReLU's: the GEMM's int16 modes).
            for (int k : {8, 9}) {
                const int ld = 16, count = weightPairCount(k);
                const auto wk = narrowBoundWeights(rows, k, c);
                std::vector<std::int32_t> pairs(static_cast<std::size_t>(count) * ld);
                const std::vector<std::uint8_t> zeros(pairs.size(), 0);
                portable.pack_pairs(pairs.data(), zeros.data(), zeros.data(), c.zp, 1,
                                    static_cast<int>(pairs.size()));
                std::vector<std::uint8_t> got(static_cast<std::size_t>(rows) * ld), want(got);
                ops->gemm_pairs(pairs.data(), count, ld, ld, wk.data(), rows, stage.view(bound, 0), 0,
                                got.data(), ld);
                portable.gemm_pairs(pairs.data(), count, ld, ld, wk.data(), rows, stage.view(bound, 0), 0,
                                    want.data(), ld);
                EXPECT_EQ(want[0], std::max(0, expected - 64));
                ASSERT_EQ(got, want) << ops->name << " gemm_pairs k=" << k << " zp=" << c.zp
                                     << " sum=" << c.sum << " sign=" << c.sign;
            }
        }
}

TEST(SimdTwinsTest, DotMatchesPortableOnLongRowsWithInt4AndInt8Weights) {
    // The fully connected layers' rows (576, 768 inputs and ragged lengths) at the extremes.
    std::mt19937 rng(404);
    for (const SimdOps* ops : optimisedOps())
        for (int n : {31, 32, 33, 63, 576, 768, 1001})
            for (int bits : {8, 4})
                for (int zp : {0, 128, 255}) {
                    const auto x = randomCodes(static_cast<std::size_t>(n), rng);
                    std::uniform_int_distribution<int> weight(bits == 4 ? -8 : -128, bits == 4 ? 7 : 127);
                    std::vector<std::int8_t> w(static_cast<std::size_t>(n));
                    for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
                    ASSERT_EQ(ops->dot(x.data(), zp, w.data(), n),
                              portableSimdOps().dot(x.data(), zp, w.data(), n))
                        << ops->name << " n=" << n << " int" << bits << " zp=" << zp;
                }
}

TEST(SimdTwinsTest, FourRowDotMatchesPortableOnRaggedLengthsZeroPointsAndExtremes) {
    // Four weight rows over one input, as the fully connected layers take them: lengths
    // around the 16-input step (and 576, 768), zero points inside and outside 0..255
    // (the one-at-a-time loop), rows further apart than their length, weights at
    // -128 and 127 with codes at 0 and 255 in the last case.
    std::mt19937 rng(606);
    const SimdOps& portable = portablePairSimdOps();
    for (const SimdOps* ops : optimisedOps()) {
        if (!ops->dot4) continue;
        for (int n : {0, 1, 15, 16, 17, 31, 33, 576, 768})
            for (int zp : {0, 77, 255, 300, -3})
                for (bool extremes : {false, true}) {
                    const std::ptrdiff_t stride = n + 5;
                    auto x = randomCodes(static_cast<std::size_t>(n), rng);
                    std::uniform_int_distribution<int> weight(-128, 127);
                    std::vector<std::int8_t> w(static_cast<std::size_t>(4 * stride));
                    for (auto& v : w) v = static_cast<std::int8_t>(weight(rng));
                    if (extremes) {
                        for (std::size_t i = 0; i < x.size(); ++i) x[i] = i % 2 ? 255 : 0;
                        for (std::size_t i = 0; i < w.size(); ++i) w[i] = i % 3 ? -128 : 127;
                    }
                    std::int32_t got[4] = {1, 1, 1, 1}, want[4] = {2, 2, 2, 2};
                    ops->dot4(x.data(), zp, w.data(), stride, n, got);
                    portable.dot4(x.data(), zp, w.data(), stride, n, want);
                    for (int r = 0; r < 4; ++r)
                        ASSERT_EQ(got[r], want[r]) << ops->name << " n=" << n << " zp=" << zp << " row " << r
                                                   << (extremes ? " extremes" : "");
                }
    }
}

TEST(SimdTwinsTest, PackedInt4DotMatchesPortableOnEveryByteCountAndExtremes) {
    // Every byte value (both nibbles over −8..7), every length of the 16-byte loop and its
    // tail, past the 64-step (1,024-byte) blocks the NEON loop sums in 16 bits, and the
    // extremes: codes 255 against weights −8 and 7, zero points 0 and 255.
    std::mt19937 rng(606);
    const SimdOps& portable = portablePairSimdOps();
    for (const SimdOps* ops : optimisedOps())
        for (int bytes :
             {0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 70, 288, 384, 500, 1024, 1100, 2100})
            for (int zp : {0, 131, 255})
                for (int fill : {0, 1, 2}) {
                    std::vector<std::uint8_t> x(static_cast<std::size_t>(2 * bytes) + 1), packed(bytes + 1);
                    for (std::size_t k = 0; k < packed.size(); ++k)
                        packed[k] = fill == 0   ? static_cast<std::uint8_t>(k * 7 + k / 256)
                                    : fill == 1 ? 0x88
                                                : 0x77;
                    x = fill == 0 ? randomCodes(x.size(), rng)
                                  : std::vector<std::uint8_t>(x.size(), fill == 1 ? 255 : 0);
                    ASSERT_EQ(ops->dot_int4(x.data(), zp, packed.data(), bytes),
                              portable.dot_int4(x.data(), zp, packed.data(), bytes))
                        << ops->name << " bytes=" << bytes << " zp=" << zp << " fill=" << fill;
                }
}

TEST(SimdTwinsTest, Int4WeightPairsMatchTheInt8PairsOnEveryRowShape) {
    // The pair paths' per-call panels from packed nibbles (ops.int4_pairs) against the pairs
    // packWeightPairs makes from the same codes as int8: even k (one run of bytes), odd k
    // (rows starting mid-byte; NEON: rows ≤ 15 weights two at a time by table lookup, every
    // odd k up to 15 here; short rows one block each, their spill rewritten by the
    // next row), rows longer than a 16-pair block, the last rows near the end of the
    // weights. The nibbles take exactly (rows·k + 1) / 2 bytes and the panel is followed
    // by a guard that must stay untouched.
    std::mt19937 rng(707);
    std::vector<const SimdOps*> tables = optimisedOps();
    tables.push_back(&portablePairSimdOps());
    std::uniform_int_distribution<int> weight(-8, 7);
    for (const SimdOps* ops : tables) {
        ASSERT_NE(ops->int4_pairs, nullptr) << ops->name;
        for (int k : {1, 2, 3, 5, 7, 8, 9, 11, 13, 15, 16, 17, 25, 27, 31, 32, 33, 34, 63, 64, 65, 144, 145})
            for (int rows : {1, 2, 3, 4, 5, 7, 8, 16, 17, 33}) {
                std::vector<std::int8_t> w(static_cast<std::size_t>(rows) * k);
                for (auto& x : w) x = static_cast<std::int8_t>(weight(rng));
                if (rows == 3) w.assign(w.size(), k % 2 ? -8 : 7);  // the extremes
                std::vector<std::uint8_t> nibbles((w.size() + 1) / 2, 0);
                for (std::size_t i = 0; i < w.size(); ++i)
                    nibbles[i / 2] |= static_cast<std::uint8_t>((w[i] & 0xF) << (i % 2 == 0 ? 0 : 4));
                const std::size_t panel = static_cast<std::size_t>(rows) * weightPairCount(k);
                std::vector<std::int32_t> want(panel), got(panel + 24, 0x7E7E7E7E);
                packWeightPairs(w.data(), rows, k, want.data());
                packWeightPairs(WeightCodes::packedInt4(nibbles.data()), rows, k, got.data(), *ops);
                ASSERT_EQ(
                    std::vector<std::int32_t>(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(panel)),
                    want)
                    << ops->name << " " << rows << " rows of " << k;
                for (std::size_t i = panel; i < got.size(); ++i)
                    ASSERT_EQ(got[i], 0x7E7E7E7E)
                        << ops->name << " wrote past the panel: " << rows << " × " << k;
            }
    }
}

TEST(SimdTwinsTest, FourRowPackedInt4DotMatchesOneRowAtATime) {
    // dot4_int4 (NEON, and the portable twin) against the portable dot_int4 of each row:
    // every length around the 16-byte step, rows apart by more than their length, zero
    // points 0 (the path without Σ u) and others, and the extremes.
    std::mt19937 rng(808);
    const SimdOps& portable = portablePairSimdOps();
    std::vector<const SimdOps*> tables = optimisedOps();
    tables.push_back(&portable);
    for (const SimdOps* ops : tables) {
        if (!ops->dot4_int4) continue;
        for (int bytes : {0, 1, 15, 16, 17, 31, 32, 33, 288, 384, 1100})
            for (int zp : {0, 131, 255})
                for (int fill : {0, 1, 2}) {
                    const std::ptrdiff_t stride = bytes + 3;
                    auto x = randomCodes(static_cast<std::size_t>(2 * bytes) + 1, rng);
                    auto packed = randomCodes(static_cast<std::size_t>(4 * stride), rng);
                    if (fill != 0) {
                        x.assign(x.size(), fill == 1 ? 255 : 0);
                        packed.assign(packed.size(), fill == 1 ? 0x88 : 0x77);
                    }
                    std::int32_t got[4];
                    ops->dot4_int4(x.data(), zp, packed.data(), stride, bytes, got);
                    for (int r = 0; r < 4; ++r)
                        ASSERT_EQ(got[r], portable.dot_int4(x.data(), zp, packed.data() + r * stride, bytes))
                            << ops->name << " bytes=" << bytes << " zp=" << zp << " fill=" << fill << " row "
                            << r;
                }
    }
}

TEST(SimdTwinsTest, PackedInt4FullyConnectedMatchesPortableOnOddStartsAndLongRows) {
    // Two fused segments (the second starting mid-byte when the first is odd), rows longer
    // than the 256-weight block, logits and codes; the nibbles are read straight as in flash.
    std::mt19937 rng(505);
    std::vector<const SimdOps*> tables = optimisedOps();
    tables.push_back(&portablePairSimdOps());  // its dot4_int4 twin: the four-row path on x86 too
    for (const SimdOps* ops : tables)
        for (int first_len : {1, 31, 255, 576, 1001})
            for (int second_len : {0, 1, 64, 257}) {
                const int in = first_len + second_len, outs = 5;
                const auto x0 = randomCodes(static_cast<std::size_t>(first_len), rng);
                const auto x1 = randomCodes(static_cast<std::size_t>(second_len) + 1, rng);
                const auto packed = randomCodes(static_cast<std::size_t>(in * outs + 1) / 2, rng);
                FcSegment segments[2] = {{x0.data(), 131, first_len},
                                         {x1.data(), 7, second_len, 1518500250, 31}};
                const RandomStage s = randomStage(outs, rng);
                std::vector<std::int32_t> got(outs), want(outs);
                fullyConnectedPackedInt4(segments, 2, outs, packed.data(), s.view(0, 0, 0), nullptr,
                                         got.data(), *ops);
                fullyConnectedPackedInt4(segments, 2, outs, packed.data(), s.view(0, 0, 0), nullptr,
                                         want.data());
                ASSERT_EQ(got, want) << ops->name << " " << first_len << "+" << second_len;
                std::vector<std::uint8_t> got_codes(outs), want_codes(outs);
                fullyConnectedPackedInt4(segments, 2, outs, packed.data(), s.view(128, 128, 255),
                                         got_codes.data(), nullptr, *ops);
                fullyConnectedPackedInt4(segments, 2, outs, packed.data(), s.view(128, 128, 255),
                                         want_codes.data(), nullptr);
                ASSERT_EQ(got_codes, want_codes) << ops->name << " " << first_len << "+" << second_len;
            }
}

}  // namespace
}  // namespace tm2::runtime
