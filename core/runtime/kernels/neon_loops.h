#pragma once
// The aarch64 convolution loops that live in their own files (simd_neon_gemm.cpp,
// simd_neon_direct.cpp), for the NEON table in simd_neon.cpp. Each follows the
// contract of the SimdOps member of the same name (simd_ops.h). aarch64 only.

#include <cstdint>

#include "core/runtime/kernels/output_stage.h"

namespace tm2::runtime::neon {

void gemmPairs(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
               int rows, const OutputStage& stage, int first_channel, std::uint8_t* out, int out_stride);
void directPairs(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
                 std::int32_t zero_point, const std::int32_t* w_pairs, const OutputStage& stage, int channel,
                 std::uint8_t* out);
void directRows(const std::uint8_t* plane, const int* offsets, int pair_count, int width, int height,
                int in_pitch, std::int32_t zero_point, const std::int32_t* w_pairs, int rows,
                const OutputStage& stage, int first_channel, std::uint8_t* out, int out_stride);

}  // namespace tm2::runtime::neon
