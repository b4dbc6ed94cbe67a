// The scalar reference kernel and the 128-bit one (SSE2 on x86-64, NEON on
// aarch64: both are baseline there, so no run-time check is needed).

#include <algorithm>
#include <cstddef>

#include "core/runtime/frontend/mfcc_batch.h"
#include "core/runtime/frontend/mfcc_batch_impl.h"

namespace tm2::runtime {

namespace {
typedef float Float4 __attribute__((vector_size(16)));
}  // namespace

std::size_t mfccBatchWorkFloats(const MfccPlan& plan, int lanes) {
    // Two complex half-length buffers (FFT ping-pong), then the half + 1 power bins;
    // the DCT reuses the space for its n_mels rows.
    const std::size_t vectors =
        std::max(static_cast<std::size_t>(plan.half) * 5 + 1, static_cast<std::size_t>(plan.n_mels));
    return vectors * static_cast<std::size_t>(lanes);
}

const MfccBatchKernel& scalarMfccKernel() {
    static const MfccBatchKernel kernel{"scalar", 1, batch::melEnergies<float, 1>, batch::dctRows<float, 1>};
    return kernel;
}

const MfccBatchKernel& simd128MfccKernel() {
#if defined(__aarch64__)
    static const MfccBatchKernel kernel{"neon", 4, batch::melEnergies<Float4, 4>, batch::dctRows<Float4, 4>};
#elif defined(__x86_64__)
    static const MfccBatchKernel kernel{"sse2", 4, batch::melEnergies<Float4, 4>, batch::dctRows<Float4, 4>};
#else
    static const MfccBatchKernel kernel{"vector4", 4, batch::melEnergies<Float4, 4>,
                                        batch::dctRows<Float4, 4>};
#endif
    return kernel;
}

}  // namespace tm2::runtime
