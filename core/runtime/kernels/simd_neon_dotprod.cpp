// The Armv8.2 dot-product (SDOT) variant of the aarch64 inner loops, for cores that
// have it (Cortex-A76, the Raspberry Pi 5; not the Pi 4's A72). Chosen at run time
// from the kernel's HWCAP, never at build time: the same binary runs on both Pis.
// Only these functions are compiled for armv8.2-a+dotprod (a target attribute, so
// no build flag leaks into the rest of the runtime); the other loops are NEON's.
//
// So far the dot product (fully connected layers) uses SDOT; the convolutions keep
// the NEON pair GEMM, whose int16 pairs hold 9-bit (x − zp) values SDOT cannot take.
#include "core/runtime/kernels/simd_ops.h"

// GCC's arm_neon.h declares the SDOT intrinsics for functions targeting dotprod;
// Clang 14's only when the whole file is built with it (-march=armv8.2-a+dotprod).
#if defined(__aarch64__) && defined(__ARM_FEATURE_DOTPROD)
#define TM2_HAVE_DOTPROD_LOOPS 1
#define TM2_DOTPROD_TARGET
#elif defined(__aarch64__) && defined(__GNUC__) && !defined(__clang__)
#define TM2_HAVE_DOTPROD_LOOPS 1
#define TM2_DOTPROD_TARGET __attribute__((target("arch=armv8.2-a+dotprod")))
#endif

#if defined(TM2_HAVE_DOTPROD_LOOPS)
#include <arm_neon.h>
#include <sys/auxv.h>

#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)  // Linux arch/arm64 uapi hwcap.h
#endif
#endif

namespace tm2::runtime {

#if defined(TM2_HAVE_DOTPROD_LOOPS)
namespace {
// Σ (x − zp)·w = Σ (x − 128)·w + (128 − zp)·Σ w. x − 128 is the code with its top bit
// flipped, read as int8, so SDOT multiplies 4 int8 pairs per lane exactly; Σ w is an
// SDOT against ones. Sums in uint32: they wrap like the portable int32 sum, which they
// therefore equal whenever that one does not overflow.
TM2_DOTPROD_TARGET std::int32_t dotDotprod(const std::uint8_t* in, std::int32_t zero_point,
                                           const std::int8_t* w, int n) {
    const uint8x16_t flip = vdupq_n_u8(0x80);
    const int8x16_t ones = vdupq_n_s8(1);
    int32x4_t products0 = vdupq_n_s32(0), products1 = products0, weights = products0;
    int i = 0;
    for (; i + 32 <= n; i += 32) {
        const int8x16_t x0 = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(in + i), flip));
        const int8x16_t x1 = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(in + i + 16), flip));
        const int8x16_t w0 = vld1q_s8(w + i), w1 = vld1q_s8(w + i + 16);
        products0 = vdotq_s32(products0, x0, w0);
        products1 = vdotq_s32(products1, x1, w1);
        weights = vdotq_s32(weights, w0, ones);
        weights = vdotq_s32(weights, w1, ones);
    }
    for (; i + 16 <= n; i += 16) {
        const int8x16_t x = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(in + i), flip));
        const int8x16_t w0 = vld1q_s8(w + i);
        products0 = vdotq_s32(products0, x, w0);
        weights = vdotq_s32(weights, w0, ones);
    }
    std::uint32_t total = static_cast<std::uint32_t>(vaddvq_s32(vaddq_s32(products0, products1))) +
                          (std::uint32_t{128} - static_cast<std::uint32_t>(zero_point)) *
                              static_cast<std::uint32_t>(vaddvq_s32(weights));
    for (; i < n; ++i)
        total += static_cast<std::uint32_t>((static_cast<std::int32_t>(in[i]) - zero_point) * w[i]);
    return static_cast<std::int32_t>(total);
}
}  // namespace

const SimdOps* neonDotprodSimdOps() {
    static const bool supported = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
    if (!supported) return nullptr;
    static const SimdOps ops = [] {
        SimdOps o = *neonSimdOps();
        o.name = "neon-dotprod";
        o.dot = dotDotprod;
        o.dot4 = nullptr;  // SDOT row by row does fewer steps than four rows of SMLAL
        return o;
    }();
    return &ops;
}
#else
const SimdOps* neonDotprodSimdOps() { return nullptr; }
#endif

}  // namespace tm2::runtime
