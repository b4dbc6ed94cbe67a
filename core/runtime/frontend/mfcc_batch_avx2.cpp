// The 8-frame kernel in AVX2 registers. Only this file is compiled with -mavx2
// (not -mfma: lanes must round like the scalar reference), and it is used only
// after __builtin_cpu_supports("avx2") says the CPU has it.

#include "core/runtime/frontend/mfcc_batch.h"

#if defined(__AVX2__)
#include "core/runtime/frontend/mfcc_batch_impl.h"
#endif

namespace tm2::runtime {

#if defined(__AVX2__)
namespace {
typedef float Float8 __attribute__((vector_size(32)));
}  // namespace

const MfccBatchKernel* avx2MfccKernel() {
    static const MfccBatchKernel kernel{"avx2", 8, batch::melEnergies<Float8, 8>, batch::dctRows<Float8, 8>};
    static const bool supported = __builtin_cpu_supports("avx2");
    return supported ? &kernel : nullptr;
}
#else
const MfccBatchKernel* avx2MfccKernel() { return nullptr; }
#endif

}  // namespace tm2::runtime
