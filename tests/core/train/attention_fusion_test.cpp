#include "core/train/attention_fusion.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/softmax_table.h"

namespace tm2::train {
namespace {

TEST(AttentionFusionTest, IntegerSoftmaxGivesTheHandComputedWeights) {
    // Scores 131 and 130 on scale 0.5 (runtime kernels_test): e = 32768 and 19875,
    // 255 · e / 52643 = 158.73 → 159 and 96.27 → 96. A tie of three: 85 each.
    const torch::Tensor codes = torch::tensor({131, 130, 0, 7, 7, 7}, torch::kInt64).reshape({2, 3});
    // Row 0 has a third score far below (d = 131: e^−65.5 · 2^15 → 0), so it weighs 0.
    const torch::Tensor alpha = integerSoftmaxCodes(codes, 0.5, 255);
    EXPECT_EQ(alpha[0][0].item<std::int64_t>(), 159);
    EXPECT_EQ(alpha[0][1].item<std::int64_t>(), 96);
    EXPECT_EQ(alpha[0][2].item<std::int64_t>(), 0);
    EXPECT_EQ(alpha[1][0].item<std::int64_t>(), 85);
    EXPECT_EQ(alpha[1][2].item<std::int64_t>(), 85);
}

TEST(AttentionFusionTest, IntegerSoftmaxIsTheRuntimeKernelCodeForCode) {
    // The reference and the runtime share the table and the rounding: any scores, any
    // grid (4- and 8-bit, coarse and fine scales) give the same weights.
    std::mt19937 rng(11);
    for (const int bits : {4, 8}) {
        const int levels = (1 << bits) - 1;
        std::uniform_int_distribution<int> code(0, levels);
        for (const double scale : {0.01, 0.1, 0.7}) {
            const std::vector<std::int32_t> table = runtime::softmaxTable(scale, levels);
            for (int trial = 0; trial < 50; ++trial) {
                std::vector<std::uint8_t> q(3);
                for (auto& v : q) v = static_cast<std::uint8_t>(code(rng));
                std::uint8_t want[3];
                runtime::softmaxCodes(q.data(), 3, table.data(), want);
                const torch::Tensor got = integerSoftmaxCodes(
                    torch::tensor({int{q[0]}, int{q[1]}, int{q[2]}}, torch::kInt64).reshape({1, 3}), scale,
                    levels);
                for (int b = 0; b < 3; ++b)
                    ASSERT_EQ(got[0][b].item<std::int64_t>(), want[b])
                        << "bits " << bits << " scale " << scale << " codes " << int{q[0]} << "," << int{q[1]}
                        << "," << int{q[2]};
            }
        }
    }
}

TEST(AttentionFusionTest, FloatWeightsAreTheSoftmaxAndScaleEachBranch) {
    // Without quantizers: α = softmax([0, ln 3]) = [1/4, 3/4]; each branch scaled by its weight.
    const torch::Tensor scores = torch::tensor({0.0f, std::log(3.0f)}).reshape({1, 2});
    const std::vector<torch::Tensor> h{torch::tensor({4.0f, 8.0f}).reshape({1, 2}),
                                       torch::tensor({4.0f}).reshape({1, 1})};
    torch::Tensor alpha;
    const std::vector<torch::Tensor> out =
        attendFeatures(scores, h, nullptr, {nullptr, nullptr}, false, &alpha);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_NEAR(alpha[0][0].item<float>(), 0.25f, 1e-6);
    EXPECT_NEAR(out[0][0][1].item<float>(), 2.0f, 1e-5);
    EXPECT_NEAR(out[1][0][0].item<float>(), 3.0f, 1e-5);
}

}  // namespace
}  // namespace tm2::train
