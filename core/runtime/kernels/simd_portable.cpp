#include "core/runtime/kernels/int4.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/simd_ops.h"

namespace tm2::runtime {

namespace {
void accumulateRowPortable(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w,
                           int n) {
    for (int i = 0; i < n; ++i) acc[i] += w * (static_cast<std::int32_t>(in[i]) - zero_point);
}

std::int32_t dotPortable(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, int n) {
    std::int32_t sum = 0;
    for (int i = 0; i < n; ++i) sum += (static_cast<std::int32_t>(in[i]) - zero_point) * w[i];
    return sum;
}

void dot4Portable(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w,
                  std::ptrdiff_t w_stride, int n, std::int32_t* sums) {
    for (int r = 0; r < 4; ++r) sums[r] = dotPortable(in, zero_point, w + r * w_stride, n);
}

std::int32_t dotInt4Portable(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                             int bytes) {
    std::int32_t sum = 0;
    for (int i = 0; i < bytes; ++i)
        sum += int4Low(packed[i]) * (in[2 * i] - zero_point) +
               int4High(packed[i]) * (in[2 * i + 1] - zero_point);
    return sum;
}

void dot4Int4Portable(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                      std::ptrdiff_t row_stride, int bytes, std::int32_t* sums) {
    for (int r = 0; r < 4; ++r) sums[r] = dotInt4Portable(in, zero_point, packed + r * row_stride, bytes);
}

std::int32_t lowOf(std::int32_t pair) {
    return static_cast<std::int16_t>(static_cast<std::uint32_t>(pair) & 0xFFFFu);
}
std::int32_t highOf(std::int32_t pair) {
    return static_cast<std::int16_t>(static_cast<std::uint32_t>(pair) >> 16);
}

// Even k: every row starts on a byte, one pair per byte; odd k: weight by weight.
void int4PairsPortable(std::int32_t* dst, const std::uint8_t* packed, int rows, int k) {
    const int count = (k + 1) / 2;
    if (k % 2 == 0) {
        for (std::size_t i = 0; i < static_cast<std::size_t>(rows) * count; ++i)
            dst[i] = int16Pair(int4Low(packed[i]), int4High(packed[i]));
        return;
    }
    for (int r = 0; r < rows; ++r) {
        const std::size_t first = static_cast<std::size_t>(r) * k;
        for (int p = 0; p < count; ++p) {
            const std::size_t w = first + 2 * static_cast<std::size_t>(p);
            *dst++ = int16Pair(int4At(packed, w), 2 * p + 1 < k ? int4At(packed, w + 1) : 0);
        }
    }
}

void packPairsPortable(std::int32_t* dst, const std::uint8_t* a, const std::uint8_t* b,
                       std::int32_t zero_point, int step, int n) {
    for (int i = 0; i < n; ++i)
        dst[i] = int16Pair(a[static_cast<std::ptrdiff_t>(i) * step] - zero_point,
                        b[static_cast<std::ptrdiff_t>(i) * step] - zero_point);
}

void gemmPairsPortable(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
                       int rows, const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    constexpr int kBlock = 64;
    std::int32_t acc[kBlock];
    for (int r = 0; r < rows; ++r) {
        const int ch = first_channel + r;
        const std::int32_t* w = w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count;
        std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(r) * out_stride;
        for (int j0 = 0; j0 < n; j0 += kBlock) {
            const int m = n - j0 < kBlock ? n - j0 : kBlock;
            for (int j = 0; j < m; ++j) acc[j] = 0;
            for (int k = 0; k < pair_count; ++k) {
                const std::int32_t w_lo = lowOf(w[k]), w_hi = highOf(w[k]);
                const std::int32_t* row = pairs + static_cast<std::ptrdiff_t>(k) * ld + j0;
                for (int j = 0; j < m; ++j) acc[j] += lowOf(row[j]) * w_lo + highOf(row[j]) * w_hi;
            }
            const std::int64_t bias = s.bias ? s.bias[ch] : 0;
            for (int j = 0; j < m; ++j)
                dst[j0 + j] =
                    requantizeToCode(acc[j] + bias, s.multiplier[ch], s.shift[ch], s.zero_point, s.lo, s.hi);
        }
    }
}
void directPairsPortable(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
                         std::int32_t zero_point, const std::int32_t* w_pairs, const OutputStage& s, int ch,
                         std::uint8_t* out) {
    const std::int64_t bias = s.bias ? s.bias[ch] : 0;
    for (int j = 0; j < n; ++j) {
        std::int32_t acc = 0;
        for (int p = 0; p < pair_count; ++p)
            acc += (plane[offsets[2 * p] + j] - zero_point) * lowOf(w_pairs[p]) +
                   (plane[offsets[2 * p + 1] + j] - zero_point) * highOf(w_pairs[p]);
        out[j] = requantizeToCode(acc + bias, s.multiplier[ch], s.shift[ch], s.zero_point, s.lo, s.hi);
    }
}
void directRowsPortable(const std::uint8_t* plane, const int* offsets, int pair_count, int width, int height,
                        int in_pitch, std::int32_t zero_point, const std::int32_t* w_pairs, int rows,
                        const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    for (int r = 0; r < rows; ++r)
        for (int y = 0; y < height; ++y)
            directPairsPortable(
                plane + static_cast<std::ptrdiff_t>(y) * in_pitch, offsets, pair_count, width, zero_point,
                w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, s, first_channel + r,
                out + static_cast<std::ptrdiff_t>(r) * out_stride + static_cast<std::ptrdiff_t>(y) * width);
}
}  // namespace

// The portable path keeps the one-weight-at-a-time kernels (no pair buffers:
// the smallest arena, for microcontrollers); the pair loops' portable twins are a
// table of their own, the reference the AVX2 versions are tested against.
const SimdOps& portableSimdOps() {
    static const SimdOps ops{
        "portable", accumulateRowPortable, dotPortable, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    return ops;
}

const SimdOps& portablePairSimdOps() {
    static const SimdOps ops{"portable-pairs",  accumulateRowPortable, dotPortable,        packPairsPortable,
                             gemmPairsPortable, directPairsPortable,   directRowsPortable, nullptr,
                             dotInt4Portable,   dot4Portable,          int4PairsPortable,  dot4Int4Portable};
    return ops;
}

const SimdOps& bestSimdOps() {
    if (const SimdOps* dotprod = neonDotprodSimdOps()) return *dotprod;
    if (const SimdOps* neon = neonSimdOps()) return *neon;
    if (const SimdOps* avx2 = avx2SimdOps()) return *avx2;
    return portableSimdOps();
}

}  // namespace tm2::runtime
