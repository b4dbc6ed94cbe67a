#include "core/runtime/op_cost.h"

#include <gtest/gtest.h>

#include "tests/core/runtime/tiny_model.h"

namespace tm2::runtime {
namespace {

TEST(OpCost, CountsConvolutionAndFullyConnectedMacsOnly) {
    // conv 3×3, 1 → 2 channels on 4×4: 2·4·4 outputs × 1 · 9 = 288; pool and reshape 0; fc 3 × 8 = 24.
    const Model m = fixtures::tinyModel();
    EXPECT_EQ(modelMacs(m), 312u);
    std::uint64_t sum = 0;
    for (const Op& op : m.ops) sum += opMacs(m, op);
    EXPECT_EQ(sum, modelMacs(m));
}

}  // namespace
}  // namespace tm2::runtime
