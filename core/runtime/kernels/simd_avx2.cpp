// Compiled with -mavx2 when the compiler supports it (see CMakeLists.txt);
// used only after __builtin_cpu_supports("avx2") says the CPU has it.
#include <algorithm>
#include <cstring>

#include "core/runtime/kernels/int4.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/simd_ops.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace tm2::runtime {

#if defined(__AVX2__)
namespace {
// Eight codes at a time, widened to int32 (w · (in − zp) can exceed int16).
void accumulateRowAvx2(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w,
                       int n) {
    const __m256i zp = _mm256_set1_epi32(zero_point);
    const __m256i weight = _mm256_set1_epi32(w);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + i));
        const __m256i x = _mm256_sub_epi32(_mm256_cvtepu8_epi32(bytes), zp);
        __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + i));
        a = _mm256_add_epi32(a, _mm256_mullo_epi32(x, weight));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + i), a);
    }
    for (; i < n; ++i) acc[i] += w * (static_cast<std::int32_t>(in[i]) - zero_point);
}

// Sixteen pairs at a time: (in − zp) and w both fit int16, and madd's pair
// sums (≤ 2 · 255 · 128) fit int32, so nothing saturates.
std::int32_t dotAvx2(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, int n) {
    const __m256i zp = _mm256_set1_epi16(static_cast<short>(zero_point));
    __m256i sum = _mm256_setzero_si256();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256i x = _mm256_sub_epi16(
            _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))), zp);
        const __m256i y = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
        sum = _mm256_add_epi32(sum, _mm256_madd_epi16(x, y));
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    std::int32_t total = _mm_cvtsi128_si32(s);
    for (; i < n; ++i) total += (static_cast<std::int32_t>(in[i]) - zero_point) * w[i];
    return total;
}

void packPairsAvx2(std::int32_t* dst, const std::uint8_t* a, const std::uint8_t* b, std::int32_t zero_point,
                   int step, int n) {
    int i = 0;
    if (step == 1) {
        const __m256i zp = _mm256_set1_epi16(static_cast<short>(zero_point));
        for (; i + 16 <= n; i += 16) {
            const __m256i x = _mm256_sub_epi16(
                _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i))), zp);
            const __m256i y = _mm256_sub_epi16(
                _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i))), zp);
            const __m256i lo = _mm256_unpacklo_epi16(x, y);  // pairs 0..3 | 8..11
            const __m256i hi = _mm256_unpackhi_epi16(x, y);  // pairs 4..7 | 12..15
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), _mm256_permute2x128_si256(lo, hi, 0x20));
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i + 8),
                                _mm256_permute2x128_si256(lo, hi, 0x31));
        }
    }
    for (; i < n; ++i) {
        const auto x = static_cast<std::uint32_t>(a[static_cast<std::ptrdiff_t>(i) * step] - zero_point);
        const auto y = static_cast<std::uint32_t>(b[static_cast<std::ptrdiff_t>(i) * step] - zero_point);
        dst[i] = static_cast<std::int32_t>((x & 0xFFFFu) | (y << 16));
    }
}

// One channel's requantization constants. With shift ≥ 32 the dyadic rounding
// (v·m + 2^(s−1)) >> s is the high dword of the 64-bit sum shifted by s − 32,
// so vpmuldq + one 32-bit arithmetic shift give exactly applyDyadic(); bias
// and zero point ride in the 64-bit constant. `exact` is false when the sum
// could leave int64 (or shift < 32): that channel is requantized in scalar.
struct ChannelRequant {
    __m256i multiplier, constant;
    __m128i shift;
    __m128i lo, hi;
    bool exact;
};

ChannelRequant channelRequant(const OutputStage& s, int ch) {
    ChannelRequant q;  // not value-initialised: `{}` compiles to a slow rep stos per channel
    const std::int64_t m = s.multiplier[ch];
    const int shift = s.shift[ch];
    const std::int64_t bias = s.bias ? s.bias[ch] : 0;
    q.exact = shift >= 32 && shift <= 62 && m >= 0;
    if (q.exact) {
        // |acc| ≤ 2^31: need |(acc + bias)·m| + 2^(s−1) + |zp|·2^s < 2^63, summed without overflow.
        const std::uint64_t limit = std::uint64_t{1} << 63;
        const std::uint64_t span =
            static_cast<std::uint64_t>(bias < 0 ? -bias : bias) + (std::uint64_t{1} << 31);
        const std::uint64_t product = span * static_cast<std::uint64_t>(m);  // < 2^32 · 2^31
        const std::uint64_t round = std::uint64_t{1} << (shift - 1);
        const std::uint64_t zp =
            static_cast<std::uint64_t>(s.zero_point < 0 ? -std::int64_t{s.zero_point} : s.zero_point);
        q.exact = product < limit && round < limit - product && zp < (std::uint64_t{1} << (63 - shift)) &&
                  (zp << shift) < limit - product - round;
    }
    if (!q.exact) {
        q.multiplier = q.constant = _mm256_setzero_si256();
        q.shift = q.lo = q.hi = _mm_setzero_si128();
        return q;
    }
    q.multiplier = _mm256_set1_epi64x(m);
    q.constant = _mm256_set1_epi64x(bias * m + (std::int64_t{1} << (shift - 1)) +
                                    static_cast<std::int64_t>(s.zero_point) * (std::int64_t{1} << shift));
    q.shift = _mm_cvtsi32_si128(shift - 32);
    q.lo = _mm_set1_epi8(static_cast<char>(s.lo));
    q.hi = _mm_set1_epi8(static_cast<char>(s.hi));
    return q;
}

// Eight accumulators → eight codes − not yet clamped (int32, bias and zero point added).
inline __m256i requantize8(__m256i acc, const ChannelRequant& q) {
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(acc, q.multiplier), q.constant);
    const __m256i odd =
        _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(acc, 32), q.multiplier), q.constant);
    const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
    return _mm256_sra_epi32(high, q.shift);
}

// Sixteen accumulators of one channel → sixteen codes at dst (only `count` stored).
inline void storeCodes16(__m256i acc0, __m256i acc1, const ChannelRequant& q, const OutputStage& s, int ch,
                         std::uint8_t* dst, int count) {
    if (!q.exact) {
        alignas(32) std::int32_t tmp[16];
        _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), acc0);
        _mm256_store_si256(reinterpret_cast<__m256i*>(tmp + 8), acc1);
        const std::int64_t bias = s.bias ? s.bias[ch] : 0;
        for (int j = 0; j < count; ++j)
            dst[j] = requantizeToCode(tmp[j] + bias, s.multiplier[ch], s.shift[ch], s.zero_point, s.lo, s.hi);
        return;
    }
    // packs/packus saturate to 0..255 exactly as the clamp would; then [lo, hi].
    const __m256i words =
        _mm256_packs_epi32(requantize8(acc0, q), requantize8(acc1, q));  // a0-3 b0-3 | a4-7 b4-7
    const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(words, words),
                                                      _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    __m128i codes = _mm256_castsi256_si128(bytes);
    codes = _mm_min_epu8(_mm_max_epu8(codes, q.lo), q.hi);
    if (count == 16) {
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), codes);
    } else {
        alignas(16) std::uint8_t tmp[16];
        _mm_store_si128(reinterpret_cast<__m128i*>(tmp), codes);
        for (int j = 0; j < count; ++j) dst[j] = tmp[j];
    }
}

// kRows output channels × 16 columns per step: 2·kRows accumulators, the two
// pair vectors loaded once per k and shared by all rows.
template <int kRows>
void gemmRowsAvx2(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
                  const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    ChannelRequant q[kRows];
    for (int r = 0; r < kRows; ++r) q[r] = channelRequant(s, first_channel + r);
    for (int j = 0; j < n; j += 16) {
        __m256i acc[kRows][2];
        for (int r = 0; r < kRows; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
        const std::int32_t* col = pairs + j;
        for (int k = 0; k < pair_count; ++k, col += ld) {
            const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col));
            const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col + 8));
            for (int r = 0; r < kRows; ++r) {
                const __m256i w = _mm256_set1_epi32(w_pairs[static_cast<std::ptrdiff_t>(r) * pair_count + k]);
                acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(b0, w));
                acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(b1, w));
            }
        }
        // Through memory: keeps the requantization constants out of the k loop's registers.
        alignas(32) std::int32_t block[kRows][16];
        for (int r = 0; r < kRows; ++r) {
            _mm256_store_si256(reinterpret_cast<__m256i*>(block[r]), acc[r][0]);
            _mm256_store_si256(reinterpret_cast<__m256i*>(block[r] + 8), acc[r][1]);
        }
        const int count = n - j < 16 ? n - j : 16;
        for (int r = 0; r < kRows; ++r)
            storeCodes16(_mm256_load_si256(reinterpret_cast<const __m256i*>(block[r])),
                         _mm256_load_si256(reinterpret_cast<const __m256i*>(block[r] + 8)), q[r], s,
                         first_channel + r, out + static_cast<std::ptrdiff_t>(r) * out_stride + j, count);
    }
}

void gemmPairsAvx2(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
                   int rows, const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    int r = 0;
    for (; r + 6 <= rows && rows - r != 8; r += 6)
        gemmRowsAvx2<6>(pairs, pair_count, n, ld, w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, s,
                        first_channel + r, out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
    for (; r + 4 <= rows; r += 4)
        gemmRowsAvx2<4>(pairs, pair_count, n, ld, w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, s,
                        first_channel + r, out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
    for (; r < rows; ++r)
        gemmRowsAvx2<1>(pairs, pair_count, n, ld, w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, s,
                        first_channel + r, out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
}
// Sixteen outputs per step straight from the padded plane: each tap pair's two
// rows widened, interleaved (unpack lo/hi give outputs 0-3|8-11 and 4-7|12-15)
// and pmaddwd'ed; the last step overlaps the previous one instead of a scalar tail.
void directPairsAvx2(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
                     std::int32_t zero_point, const std::int32_t* w_pairs, const OutputStage& s, int ch,
                     std::uint8_t* out) {
    if (n < 16) {
        const std::int64_t bias = s.bias ? s.bias[ch] : 0;
        for (int j = 0; j < n; ++j) {
            std::int32_t acc = 0;
            for (int p = 0; p < pair_count; ++p) {
                const auto w = static_cast<std::uint32_t>(w_pairs[p]);
                acc += (plane[offsets[2 * p] + j] - zero_point) * static_cast<std::int16_t>(w & 0xFFFFu) +
                       (plane[offsets[2 * p + 1] + j] - zero_point) * static_cast<std::int16_t>(w >> 16);
            }
            out[j] = requantizeToCode(acc + bias, s.multiplier[ch], s.shift[ch], s.zero_point, s.lo, s.hi);
        }
        return;
    }
    const ChannelRequant q = channelRequant(s, ch);
    const __m256i zp = _mm256_set1_epi16(static_cast<short>(zero_point));
    for (int j = 0;; j += 16) {
        if (j > n - 16) j = n - 16;
        __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
        for (int p = 0; p < pair_count; ++p) {
            const __m256i x = _mm256_sub_epi16(
                _mm256_cvtepu8_epi16(
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(plane + offsets[2 * p] + j))),
                zp);
            const __m256i y = _mm256_sub_epi16(
                _mm256_cvtepu8_epi16(
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(plane + offsets[2 * p + 1] + j))),
                zp);
            const __m256i w = _mm256_set1_epi32(w_pairs[p]);
            lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(x, y), w));
            hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(x, y), w));
        }
        storeCodes16(_mm256_permute2x128_si256(lo, hi, 0x20), _mm256_permute2x128_si256(lo, hi, 0x31), q, s,
                     ch, out + j, 16);
        if (j == n - 16) break;
    }
}

// Vertical max of the two rows, then the max of each byte pair (the odd byte
// shifted onto the even one), packed back to bytes. Blocks of 16 / 8 / 4
// outputs; a row's last block overlaps the previous one instead of a scalar tail.
inline void pool16(const std::uint8_t* r0, const std::uint8_t* r1, std::uint8_t* out) {
    const __m256i v = _mm256_max_epu8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(r0)),
                                      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(r1)));
    const __m256i m =
        _mm256_and_si256(_mm256_max_epu8(v, _mm256_srli_epi16(v, 8)), _mm256_set1_epi16(0x00FF));
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(m, m), 0x08);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
}
inline __m128i poolPairs(__m128i v) {
    const __m128i m = _mm_and_si128(_mm_max_epu8(v, _mm_srli_epi16(v, 8)), _mm_set1_epi16(0x00FF));
    return _mm_packus_epi16(m, m);
}
inline void pool8(const std::uint8_t* r0, const std::uint8_t* r1, std::uint8_t* out) {
    const __m128i v = _mm_max_epu8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(r0)),
                                   _mm_loadu_si128(reinterpret_cast<const __m128i*>(r1)));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), poolPairs(v));
}
inline void pool4(const std::uint8_t* r0, const std::uint8_t* r1, std::uint8_t* out) {
    const __m128i v = _mm_max_epu8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(r0)),
                                   _mm_loadl_epi64(reinterpret_cast<const __m128i*>(r1)));
    const int codes = _mm_cvtsi128_si32(poolPairs(v));
    std::memcpy(out, &codes, 4);
}

// 64 weights (32 bytes) a step, then 32, then one byte at a time. With u = nibble ^ 8 =
// w + 8 in 0..15, vpmaddubsw (x unsigned, u signed) sums two products ≤ 2 · 255 · 15
// without saturating (two of them added in int16 stay ≤ 15,300), and
// Σ (x − zp) · w = Σ x·u − 8·Σ x − zp · (Σ u − 8·m) over the m weights so taken; the
// 8·Σ x term (vpsadbw, ≤ 8 · 255 · 8 a lane) is taken off the int32 sums as it goes.
// kZeroPoint0: the input's zero point is 0 (a ReLU's output, the usual fc input), so Σ u is not needed.
template <bool kZeroPoint0>
std::int32_t dotInt4Rows(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                         int bytes) {
    const __m256i mask = _mm256_set1_epi8(0x0F), flip = _mm256_set1_epi8(static_cast<char>(0x88));
    const __m256i ones = _mm256_set1_epi16(1), zero = _mm256_setzero_si256();
    __m256i sum = zero, sum_u = zero;  // int32 lanes: Σ x·u − 8·Σ x; int64 lanes: Σ u (< 2^32)
    int i = 0;
    for (; i + 32 <= bytes; i += 32) {
        const __m256i b =
            _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed + i)), flip);
        const __m256i lo = _mm256_and_si256(b, mask), hi = _mm256_and_si256(_mm256_srli_epi16(b, 4), mask);
        // Per 128-bit lane: unpacklo gives weights 0-15 | 32-47, unpackhi 16-31 | 48-63.
        const __m256i u0 = _mm256_unpacklo_epi8(lo, hi), u1 = _mm256_unpackhi_epi8(lo, hi);
        const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 2 * i));
        const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 2 * i + 32));
        const __m256i p = _mm256_add_epi16(_mm256_maddubs_epi16(_mm256_permute2x128_si256(x0, x1, 0x20), u0),
                                           _mm256_maddubs_epi16(_mm256_permute2x128_si256(x0, x1, 0x31), u1));
        const __m256i sx = _mm256_add_epi64(_mm256_sad_epu8(x0, zero), _mm256_sad_epu8(x1, zero));
        sum = _mm256_sub_epi32(_mm256_add_epi32(sum, _mm256_madd_epi16(p, ones)), _mm256_slli_epi32(sx, 3));
        if (!kZeroPoint0)
            sum_u = _mm256_add_epi64(sum_u,
                                     _mm256_add_epi64(_mm256_sad_epu8(lo, zero), _mm256_sad_epu8(hi, zero)));
    }
    for (; i + 16 <= bytes; i += 16) {
        const __m128i b = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(packed + i)),
                                        _mm256_castsi256_si128(flip));
        const __m128i lo = _mm_and_si128(b, _mm256_castsi256_si128(mask)),
                      hi = _mm_and_si128(_mm_srli_epi16(b, 4), _mm256_castsi256_si128(mask));
        const __m256i u = _mm256_set_m128i(_mm_unpackhi_epi8(lo, hi), _mm_unpacklo_epi8(lo, hi));
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 2 * i));
        sum = _mm256_sub_epi32(_mm256_add_epi32(sum, _mm256_madd_epi16(_mm256_maddubs_epi16(x, u), ones)),
                               _mm256_slli_epi32(_mm256_sad_epu8(x, zero), 3));
        if (!kZeroPoint0) sum_u = _mm256_add_epi64(sum_u, _mm256_sad_epu8(u, zero));
    }
    // One horizontal sum: zp · Σ u taken off lane by lane (Σ u's int64 lanes hold < 2^32, so
    // as int32 lanes their upper halves are 0). In uint32: the sum wraps as the int32 result would.
    if (!kZeroPoint0) sum = _mm256_sub_epi32(sum, _mm256_mullo_epi32(sum_u, _mm256_set1_epi32(zero_point)));
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    std::uint32_t total = static_cast<std::uint32_t>(_mm_cvtsi128_si32(s)) +
                          16u * static_cast<std::uint32_t>(i) * static_cast<std::uint32_t>(zero_point);
    for (; i < bytes; ++i)
        total += static_cast<std::uint32_t>(int4Low(packed[i]) * (in[2 * i] - zero_point) +
                                            int4High(packed[i]) * (in[2 * i + 1] - zero_point));
    return static_cast<std::int32_t>(total);
}

// dotInt4Rows over four rows: the input loaded, lane-permuted and its Σ x (vpsadbw) taken
// once per step for the four; each row's 8·Σ x taken off at the end.
template <bool kZeroPoint0>
void dot4Int4Rows(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                  std::ptrdiff_t row_stride, int bytes, std::int32_t* sums) {
    const __m256i mask = _mm256_set1_epi8(0x0F), flip = _mm256_set1_epi8(static_cast<char>(0x88));
    const __m256i ones = _mm256_set1_epi16(1), zero = _mm256_setzero_si256();
    __m256i sum[4], sum_u[4], sum_x = zero;  // int32 lanes Σ x·u; int64 lanes Σ u, Σ x (< 2^32)
    for (int r = 0; r < 4; ++r) sum[r] = sum_u[r] = zero;
    int i = 0;
    for (; i + 32 <= bytes; i += 32) {
        const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 2 * i));
        const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 2 * i + 32));
        const __m256i xa = _mm256_permute2x128_si256(x0, x1, 0x20),
                      xb = _mm256_permute2x128_si256(x0, x1, 0x31);
        sum_x =
            _mm256_add_epi64(sum_x, _mm256_add_epi64(_mm256_sad_epu8(x0, zero), _mm256_sad_epu8(x1, zero)));
        for (int r = 0; r < 4; ++r) {
            const __m256i b = _mm256_xor_si256(
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packed + r * row_stride + i)), flip);
            const __m256i lo = _mm256_and_si256(b, mask),
                          hi = _mm256_and_si256(_mm256_srli_epi16(b, 4), mask);
            const __m256i p = _mm256_add_epi16(_mm256_maddubs_epi16(xa, _mm256_unpacklo_epi8(lo, hi)),
                                               _mm256_maddubs_epi16(xb, _mm256_unpackhi_epi8(lo, hi)));
            sum[r] = _mm256_add_epi32(sum[r], _mm256_madd_epi16(p, ones));
            if (!kZeroPoint0)
                sum_u[r] = _mm256_add_epi64(
                    sum_u[r], _mm256_add_epi64(_mm256_sad_epu8(lo, zero), _mm256_sad_epu8(hi, zero)));
        }
    }
    for (; i + 16 <= bytes; i += 16) {
        const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + 2 * i));
        sum_x = _mm256_add_epi64(sum_x, _mm256_sad_epu8(x, zero));
        for (int r = 0; r < 4; ++r) {
            const __m128i b =
                _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(packed + r * row_stride + i)),
                              _mm256_castsi256_si128(flip));
            const __m128i lo = _mm_and_si128(b, _mm256_castsi256_si128(mask)),
                          hi = _mm_and_si128(_mm_srli_epi16(b, 4), _mm256_castsi256_si128(mask));
            const __m256i u = _mm256_set_m128i(_mm_unpackhi_epi8(lo, hi), _mm_unpacklo_epi8(lo, hi));
            sum[r] = _mm256_add_epi32(sum[r], _mm256_madd_epi16(_mm256_maddubs_epi16(x, u), ones));
            if (!kZeroPoint0) sum_u[r] = _mm256_add_epi64(sum_u[r], _mm256_sad_epu8(u, zero));
        }
    }
    // In uint32, as dotInt4Rows: the sums wrap as the int32 result would.
    const __m128i hx = _mm_add_epi64(_mm256_castsi256_si128(sum_x), _mm256_extracti128_si256(sum_x, 1));
    const auto sx = static_cast<std::uint32_t>(_mm_cvtsi128_si64(hx) + _mm_extract_epi64(hx, 1));
    for (int r = 0; r < 4; ++r) {
        __m256i v = sum[r];
        if (!kZeroPoint0)
            v = _mm256_sub_epi32(v, _mm256_mullo_epi32(sum_u[r], _mm256_set1_epi32(zero_point)));
        __m128i h = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
        h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xB1));
        std::uint32_t total = static_cast<std::uint32_t>(_mm_cvtsi128_si32(h)) - 8u * sx +
                              16u * static_cast<std::uint32_t>(i) * static_cast<std::uint32_t>(zero_point);
        const std::uint8_t* row = packed + r * row_stride;
        for (int j = i; j < bytes; ++j)
            total += static_cast<std::uint32_t>(int4Low(row[j]) * (in[2 * j] - zero_point) +
                                                int4High(row[j]) * (in[2 * j + 1] - zero_point));
        sums[r] = static_cast<std::int32_t>(total);
    }
}

void dot4Int4Avx2(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                  std::ptrdiff_t row_stride, int bytes, std::int32_t* sums) {
    if (zero_point == 0)
        dot4Int4Rows<true>(in, 0, packed, row_stride, bytes, sums);
    else
        dot4Int4Rows<false>(in, zero_point, packed, row_stride, bytes, sums);
}

std::int32_t dotInt4Avx2(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                         int bytes) {
    return zero_point == 0 ? dotInt4Rows<true>(in, 0, packed, bytes)
                           : dotInt4Rows<false>(in, zero_point, packed, bytes);
}

// Sixteen bytes of packed int4 → sixteen weight pairs: each nibble sign-extended as
// (n ^ 8) − 8 in its byte lane, low and high nibbles interleaved, widened to int16.
inline void int4Pairs16(std::int32_t* dst, __m128i bytes) {
    const __m128i mask = _mm_set1_epi8(0x0F), eight = _mm_set1_epi8(8);
    const __m128i lo = _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(bytes, mask), eight), eight);
    const __m128i hi =
        _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask), eight), eight);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(lo, hi)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 8), _mm256_cvtepi8_epi16(_mm_unpackhi_epi8(lo, hi)));
}

// A row's pairs for rows starting mid-byte come from (high nibble of byte i, low nibble of
// byte i + 1), merged into one byte first. Runs of 16 pairs or more go in blocks of 16, the
// last one overlapping the previous one; shorter runs one pair at a time. Odd k with short
// rows (≤ 16 pairs, the 3×3 kernels' 5): one 16-pair block per row, its pairs past the row
// rewritten by the rows after it, then the row's last pair set to (last weight, 0); the last
// rows, whose block would leave the panel or read past the weights, take the exact loop.
inline __m128i int4Bytes(const std::uint8_t* p, int odd) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (!odd) return a;
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    return _mm_or_si128(_mm_and_si128(_mm_srli_epi16(a, 4), _mm_set1_epi8(0x0F)),
                        _mm_and_si128(_mm_slli_epi16(b, 4), _mm_set1_epi8(static_cast<char>(0xF0))));
}

// The same for eight bytes → eight pairs (rows of 3×3 kernels: 5 pairs).
inline __m128i int4Bytes8(const std::uint8_t* p, int odd) {
    const __m128i a = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    if (!odd) return a;
    const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + 1));
    return _mm_or_si128(_mm_and_si128(_mm_srli_epi16(a, 4), _mm_set1_epi8(0x0F)),
                        _mm_and_si128(_mm_slli_epi16(b, 4), _mm_set1_epi8(static_cast<char>(0xF0))));
}
inline void int4Pairs8(std::int32_t* dst, __m128i bytes) {
    const __m128i mask = _mm_set1_epi8(0x0F), eight = _mm_set1_epi8(8);
    const __m128i lo = _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(bytes, mask), eight), eight);
    const __m128i hi =
        _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask), eight), eight);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), _mm256_cvtepi8_epi16(_mm_unpacklo_epi8(lo, hi)));
}

// n pairs of consecutive weights from p (starting at its high nibble when odd).
void int4Run(std::int32_t* dst, const std::uint8_t* p, int odd, int n) {
    if (n >= 16) {
        for (int i = 0;; i += 16) {
            if (i > n - 16) i = n - 16;
            int4Pairs16(dst + i, int4Bytes(p + i, odd));
            if (i == n - 16) return;
        }
    }
    for (int i = 0; i < n; ++i)
        dst[i] = odd ? int16Pair(int4High(p[i]), int4Low(p[i + 1])) : int16Pair(int4Low(p[i]), int4High(p[i]));
}

void int4PairsAvx2(std::int32_t* dst, const std::uint8_t* packed, int rows, int k) {
    const int count = (k + 1) / 2;
    if (k % 2 == 0) {
        int4Run(dst, packed, 0, rows * count);
        return;
    }
    const std::size_t bytes = (static_cast<std::size_t>(rows) * k + 1) / 2;
    const std::size_t total = static_cast<std::size_t>(rows) * count;
    for (int r = 0; r < rows; ++r, dst += count) {
        const std::size_t first = static_cast<std::size_t>(r) * k;
        const std::uint8_t* p = packed + first / 2;
        const int odd = static_cast<int>(first % 2);
        if (count <= 8 && static_cast<std::size_t>(r) * count + 8 <= total && first / 2 + 9 <= bytes)
            int4Pairs8(dst, int4Bytes8(p, odd));
        else if (count <= 16 && static_cast<std::size_t>(r) * count + 16 <= total && first / 2 + 17 <= bytes)
            int4Pairs16(dst, int4Bytes(p, odd));
        else
            int4Run(dst, p, odd, count - 1);
        dst[count - 1] = int16Pair(int4At(packed, first + static_cast<std::size_t>(k) - 1), 0);
    }
}

void maxPool2x2Avx2(const std::uint8_t* in, int planes, int in_h, int in_w, std::uint8_t* out, int out_h,
                    int out_w) {
    for (int c = 0; c < planes; ++c) {
        const std::uint8_t* plane = in + static_cast<std::ptrdiff_t>(c) * in_h * in_w;
        for (int oy = 0; oy < out_h; ++oy, out += out_w) {
            const std::uint8_t* r0 = plane + static_cast<std::ptrdiff_t>(2 * oy) * in_w;
            const std::uint8_t* r1 = r0 + in_w;
            if (out_w >= 16) {
                for (int ox = 0;; ox += 16) {
                    if (ox > out_w - 16) ox = out_w - 16;
                    pool16(r0 + 2 * ox, r1 + 2 * ox, out + ox);
                    if (ox == out_w - 16) break;
                }
            } else if (out_w >= 8) {
                pool8(r0, r1, out);
                pool8(r0 + 2 * (out_w - 8), r1 + 2 * (out_w - 8), out + out_w - 8);
            } else if (out_w >= 4) {
                pool4(r0, r1, out);
                pool4(r0 + 2 * (out_w - 4), r1 + 2 * (out_w - 4), out + out_w - 4);
            } else {
                for (int ox = 0; ox < out_w; ++ox)
                    out[ox] =
                        std::max(std::max(r0[2 * ox], r0[2 * ox + 1]), std::max(r1[2 * ox], r1[2 * ox + 1]));
            }
        }
    }
}
}  // namespace

const SimdOps* avx2SimdOps() {
    static const SimdOps ops{"avx2",        accumulateRowAvx2, dotAvx2,       packPairsAvx2,
                             gemmPairsAvx2, directPairsAvx2,   nullptr,       maxPool2x2Avx2,
                             dotInt4Avx2,   nullptr,           int4PairsAvx2, dot4Int4Avx2};
    static const bool supported = __builtin_cpu_supports("avx2");
    return supported ? &ops : nullptr;
}
#else
const SimdOps* avx2SimdOps() { return nullptr; }
#endif

}  // namespace tm2::runtime
