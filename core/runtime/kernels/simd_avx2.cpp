// Compiled with -mavx2 when the compiler supports it (see CMakeLists.txt);
// used only after __builtin_cpu_supports("avx2") says the CPU has it.
#include "core/runtime/kernels/simd_ops.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace tm2::runtime {

#if defined(__AVX2__)
namespace {
// Eight codes at a time, widened to int32 (w · (in − zp) can exceed int16).
void accumulateRowAvx2(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w, int n) {
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
}  // namespace

const SimdOps* avx2SimdOps() {
    static const SimdOps ops{"avx2", accumulateRowAvx2, dotAvx2};
    static const bool supported = __builtin_cpu_supports("avx2");
    return supported ? &ops : nullptr;
}
#else
const SimdOps* avx2SimdOps() { return nullptr; }
#endif

}  // namespace tm2::runtime
