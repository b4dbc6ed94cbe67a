#include "core/runtime/kernels/simd_ops.h"

#if defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace tm2::runtime {

#if defined(__aarch64__)
namespace {
void accumulateRowNeon(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w, int n) {
    const int16x8_t zp = vdupq_n_s16(static_cast<std::int16_t>(zero_point));
    const int16x4_t weight = vdup_n_s16(static_cast<std::int16_t>(w));
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const int16x8_t x = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(in + i))), zp);
        vst1q_s32(acc + i, vmlal_s16(vld1q_s32(acc + i), vget_low_s16(x), weight));
        vst1q_s32(acc + i + 4, vmlal_s16(vld1q_s32(acc + i + 4), vget_high_s16(x), weight));
    }
    for (; i < n; ++i) acc[i] += w * (static_cast<std::int32_t>(in[i]) - zero_point);
}

std::int32_t dotNeon(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, int n) {
    const int16x8_t zp = vdupq_n_s16(static_cast<std::int16_t>(zero_point));
    int32x4_t sum = vdupq_n_s32(0);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const int16x8_t x = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(in + i))), zp);
        const int16x8_t y = vmovl_s8(vld1_s8(w + i));
        sum = vmlal_s16(sum, vget_low_s16(x), vget_low_s16(y));
        sum = vmlal_s16(sum, vget_high_s16(x), vget_high_s16(y));
    }
    std::int32_t total = vaddvq_s32(sum);
    for (; i < n; ++i) total += (static_cast<std::int32_t>(in[i]) - zero_point) * w[i];
    return total;
}
}  // namespace

const SimdOps* neonSimdOps() {
    static const SimdOps ops{"neon", accumulateRowNeon, dotNeon, nullptr, nullptr, nullptr, nullptr};
    return &ops;
}
#else
const SimdOps* neonSimdOps() { return nullptr; }
#endif

}  // namespace tm2::runtime
