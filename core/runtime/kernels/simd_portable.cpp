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
}  // namespace

const SimdOps& portableSimdOps() {
    static const SimdOps ops{"portable", accumulateRowPortable, dotPortable};
    return ops;
}

const SimdOps& bestSimdOps() {
    if (const SimdOps* neon = neonSimdOps()) return *neon;
    if (const SimdOps* avx2 = avx2SimdOps()) return *avx2;
    return portableSimdOps();
}

}  // namespace tm2::runtime
