// The scalar reference kernel and the 128-bit one (SSE2 on x86-64, NEON on
// aarch64: both are baseline there, so no run-time check is needed).

#include <algorithm>
#include <cstddef>

#include "core/runtime/frontend/mfcc_batch.h"
#include "core/runtime/frontend/mfcc_batch_impl.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tm2::runtime {

namespace {
typedef float Float4 __attribute__((vector_size(16)));

// Four frames' windowed samples into lanes by 4 × 4 transposes instead of 16
// scalar stores per block: column j of block b is sample 4b + j, even ones the
// packed FFT's real parts, odd ones its imaginary. The same x·w products as the
// scalar gather, so the bits do not change.
struct Transpose4Gather {
    template <int L>
    static bool gather(const float* const* starts, const float* window, int half, float* re, float* im) {
        static_assert(L == 4);
#if defined(__aarch64__)
        for (int b = 0; b < half / 2; ++b) {
            const float32x4_t w = vld1q_f32(window + 4 * b);
            const float32x4_t r0 = vmulq_f32(vld1q_f32(starts[0] + 4 * b), w);
            const float32x4_t r1 = vmulq_f32(vld1q_f32(starts[1] + 4 * b), w);
            const float32x4_t r2 = vmulq_f32(vld1q_f32(starts[2] + 4 * b), w);
            const float32x4_t r3 = vmulq_f32(vld1q_f32(starts[3] + 4 * b), w);
            const float64x2_t t0 = vreinterpretq_f64_f32(vzip1q_f32(r0, r1));  // r0[0] r1[0] r0[1] r1[1]
            const float64x2_t t1 = vreinterpretq_f64_f32(vzip2q_f32(r0, r1));  // r0[2] r1[2] r0[3] r1[3]
            const float64x2_t t2 = vreinterpretq_f64_f32(vzip1q_f32(r2, r3));
            const float64x2_t t3 = vreinterpretq_f64_f32(vzip2q_f32(r2, r3));
            vst1q_f32(re + 8 * b, vreinterpretq_f32_f64(vzip1q_f64(t0, t2)));      // samples 4b
            vst1q_f32(im + 8 * b, vreinterpretq_f32_f64(vzip2q_f64(t0, t2)));      // 4b + 1
            vst1q_f32(re + 8 * b + 4, vreinterpretq_f32_f64(vzip1q_f64(t1, t3)));  // 4b + 2
            vst1q_f32(im + 8 * b + 4, vreinterpretq_f32_f64(vzip2q_f64(t1, t3)));  // 4b + 3
        }
        return true;
#elif defined(__SSE2__)
        for (int b = 0; b < half / 2; ++b) {
            const __m128 w = _mm_loadu_ps(window + 4 * b);
            const __m128 r0 = _mm_mul_ps(_mm_loadu_ps(starts[0] + 4 * b), w);
            const __m128 r1 = _mm_mul_ps(_mm_loadu_ps(starts[1] + 4 * b), w);
            const __m128 r2 = _mm_mul_ps(_mm_loadu_ps(starts[2] + 4 * b), w);
            const __m128 r3 = _mm_mul_ps(_mm_loadu_ps(starts[3] + 4 * b), w);
            const __m128 t0 = _mm_unpacklo_ps(r0, r1);  // r0[0] r1[0] r0[1] r1[1]
            const __m128 t1 = _mm_unpackhi_ps(r0, r1);  // r0[2] r1[2] r0[3] r1[3]
            const __m128 t2 = _mm_unpacklo_ps(r2, r3);
            const __m128 t3 = _mm_unpackhi_ps(r2, r3);
            _mm_store_ps(re + 8 * b, _mm_movelh_ps(t0, t2));      // samples 4b
            _mm_store_ps(im + 8 * b, _mm_movehl_ps(t2, t0));      // 4b + 1
            _mm_store_ps(re + 8 * b + 4, _mm_movelh_ps(t1, t3));  // 4b + 2
            _mm_store_ps(im + 8 * b + 4, _mm_movehl_ps(t3, t1));  // 4b + 3
        }
        return true;
#else
        return false;
#endif
    }
};
}  // namespace

std::size_t mfccBatchWorkFloats(const MfccPlan& plan, int lanes) {
    // Two complex half-length buffers (FFT ping-pong), then the half + 1 power bins;
    // the DCT reuses the space for its n_mels rows.
    const std::size_t vectors =
        std::max(static_cast<std::size_t>(plan.half) * 5 + 1, static_cast<std::size_t>(plan.n_mels));
    return vectors * static_cast<std::size_t>(lanes);
}

const MfccBatchKernel& scalarMfccKernel() {
    static const MfccBatchKernel kernel{"scalar", 1, batch::melEnergies<float, 1>, batch::dctLanes<float, 1>,
                                        batch::logInPlace<float>};
    return kernel;
}

const MfccBatchKernel& simd128MfccKernel() {
#if defined(__aarch64__)
    static const MfccBatchKernel kernel{"neon", 4, batch::melEnergies<Float4, 4, Transpose4Gather>,
                                        batch::dctLanes<Float4, 4>, batch::logInPlace<Float4>};
#elif defined(__x86_64__)
    static const MfccBatchKernel kernel{"sse2", 4, batch::melEnergies<Float4, 4, Transpose4Gather>,
                                        batch::dctLanes<Float4, 4>, batch::logInPlace<Float4>};
#else
    static const MfccBatchKernel kernel{"vector4", 4, batch::melEnergies<Float4, 4, Transpose4Gather>,
                                        batch::dctLanes<Float4, 4>, batch::logInPlace<Float4>};
#endif
    return kernel;
}

}  // namespace tm2::runtime
