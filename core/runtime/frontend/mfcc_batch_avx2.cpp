// The 8-frame kernel in AVX2 registers. Only this file is compiled with -mavx2
// (not -mfma: lanes must round like the scalar reference), and it is used only
// after __builtin_cpu_supports("avx2") says the CPU has it.

#include "core/runtime/frontend/mfcc_batch.h"

#if defined(__AVX2__)
#include <immintrin.h>

#include "core/runtime/frontend/mfcc_batch_impl.h"
#endif

namespace tm2::runtime {

#if defined(__AVX2__)
namespace {
typedef float Float8 __attribute__((vector_size(32)));

// Eight frames' windowed samples into lanes by 8 × 8 transposes (eight loads and
// products, 24 shuffles, eight stores per block) instead of 64 scalar stores;
// column j of a block is sample 8b + j, even ones the packed FFT's real parts,
// odd ones its imaginary.
struct TransposeGather {
    template <int L>
    static bool gather(const float* const* starts, const float* window, int half, float* re, float* im) {
        static_assert(L == 8);
        for (int b = 0; b < half / 4; ++b) {
            const __m256 w = _mm256_loadu_ps(window + 8 * b);
            __m256 r[8];
            for (int l = 0; l < 8; ++l) r[l] = _mm256_mul_ps(_mm256_loadu_ps(starts[l] + 8 * b), w);
            __m256 t[8], u[8];
            for (int i = 0; i < 4; ++i) {
                t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
                t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
            }
            for (int i = 0; i < 2; ++i) {
                u[4 * i + 0] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
                u[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
                u[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
                u[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
            }
            for (int j = 0; j < 4; ++j) {  // columns j (low halves) and j + 4 (high halves)
                const __m256 lo = _mm256_permute2f128_ps(u[j], u[j + 4], 0x20);
                const __m256 hi = _mm256_permute2f128_ps(u[j], u[j + 4], 0x31);
                float* dst_lo = (j % 2 == 0 ? re : im) + (4 * b + j / 2) * 8;
                float* dst_hi = (j % 2 == 0 ? re : im) + (4 * b + 2 + j / 2) * 8;
                _mm256_store_ps(dst_lo, lo);
                _mm256_store_ps(dst_hi, hi);
            }
        }
        return true;
    }
};
}  // namespace

const MfccBatchKernel* avx2MfccKernel() {
    static const MfccBatchKernel kernel{"avx2", 8, batch::melEnergies<Float8, 8, TransposeGather>,
                                        batch::dctLanes<Float8, 8>, batch::logInPlace<Float8>};
    static const bool supported = __builtin_cpu_supports("avx2");
    return supported ? &kernel : nullptr;
}
#else
const MfccBatchKernel* avx2MfccKernel() { return nullptr; }
#endif

}  // namespace tm2::runtime
