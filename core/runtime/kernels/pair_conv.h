#pragma once
// The convolutions' fast path (conv2d, depthwise per channel, pointwise): the
// input is padded once with its zero point, packed into a matrix of int16 tap
// pairs (im2col, two taps per int32), and multiplied with the weight pairs
// by ops.gemm_pairs, which also requantizes. Stride 1 walks the padded plane
// as one flat run (its padded-width rows give a few junk columns, dropped on
// the copy out); other strides gather each output row.

#include <cstddef>
#include <cstdint>

#include "core/runtime/kernels/kernels.h"

namespace tm2::runtime::detail {

// The pair paths trade scratch memory (im2col) for speed; a layer that would need
// more than this keeps the one-weight-at-a-time kernels.
constexpr std::size_t kMaxPairScratchBytes = std::size_t{1} << 20;

// Bytes of scratch pairConv() needs for `planes` input planes of geometry g.
std::size_t pairConvScratchBytes(const ConvGeometry& g, int planes);
// Whether a conv over `planes` input planes takes this path: `ops` has the pair
// routines and the scratch stays within kMaxPairScratchBytes.
bool usesPairConv(const ConvGeometry& g, int planes, const SimdOps& ops);

// Output channels first_channel .. first_channel + rows − 1 of a conv over `planes`
// input planes (taps ordered plane, ky, kx as the weights); w_pairs is rows ×
// ceil(planes · taps / 2). Writes each channel's out_h × out_w codes to
// out + channel · out_h · out_w. Needs ops.pack_pairs and ops.gemm_pairs.
void pairConv(const ConvGeometry& g, const std::uint8_t* in, int planes, std::int32_t in_zero_point,
              const std::int32_t* w_pairs, int rows, int first_channel, const OutputStage& stage,
              std::uint8_t* out, void* scratch, const SimdOps& ops);

// Stride-1 depthwise conv through ops.direct_pairs: every plane padded once,
// then one flat run per channel read straight from its padded plane.
std::size_t depthwiseDirectScratchBytes(const ConvGeometry& g);
bool depthwiseDirectFits(const ConvGeometry& g);  // stride 1, few junk columns, within kMaxPairScratchBytes
void depthwiseDirect(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     const std::int32_t* w_pairs, const OutputStage& stage, std::uint8_t* out, void* scratch,
                     const SimdOps& ops);

// A conv over a single input plane (the networks' first layer), stride 1, through
// ops.direct_rows: the plane padded once, groups of output channels computed
// straight from it (no pairs matrix), their taps loaded once for the whole group;
// output lines at least 8 wide line by line, narrower ones as one flat run copied out.
std::size_t directConvScratchBytes(const ConvGeometry& g);
bool usesDirectConv(const ConvGeometry& g, const SimdOps& ops);  // in_c 1, stride 1, ops.direct_rows, fits
void directConv(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                const std::int32_t* w_pairs, const OutputStage& stage, std::uint8_t* out, void* scratch,
                const SimdOps& ops);

}  // namespace tm2::runtime::detail
