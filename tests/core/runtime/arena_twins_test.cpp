// The workbench plans a Raspberry Pi's arena on the host with the portable
// pair-GEMM kernels (workflow::exportedFootprint): that holds only while the NEON
// kernels ask for the same scratch. Runs where NEON exists (qemu-aarch64 in CI).
#include <gtest/gtest.h>

#include "core/runtime/interpreter.h"
#include "core/runtime/kernels/simd_ops.h"
#include "tests/core/runtime/tiny_model.h"

namespace tm2::runtime {
namespace {

TEST(ArenaTwins, TheNeonKernelsPlanTheArenaOfTheirPortablePairTwin) {
    const SimdOps* neon[] = {neonSimdOps(), neonDotprodSimdOps()};
    if (!neon[0]) GTEST_SKIP() << "no NEON kernels on this machine (the aarch64 run checks this)";
    const Model m = fixtures::tinyModel();
    for (const bool keep_all : {false, true}) {
        const std::size_t twin = Interpreter(m, {keep_all, &portablePairSimdOps()}).arenaBytes();
        for (const SimdOps* ops : neon) {
            if (ops) {
                EXPECT_EQ(Interpreter(m, {keep_all, ops}).arenaBytes(), twin) << ops->name;
            }
        }
    }
}

}  // namespace
}  // namespace tm2::runtime
