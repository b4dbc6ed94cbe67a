#pragma once
// Integer reference kernels, one file per operator (TFLite Micro's layout).
// Tensors are CHW, activations unsigned codes with a zero point; weights int8, or
// int4 left packed two per byte as the .tmn stores them (WeightCodes for the
// convolutions, fullyConnectedPackedInt4). Every kernel accumulates
// Σ w · (x − zp_in) in int32, adds the int32 bias, requantizes per output
// channel with a dyadic multiplier and clamps to the output's code range.
// `ops` picks the inner loops (portable / AVX2 / NEON); the result is the same.

#include <cstddef>
#include <cstdint>

#include "core/runtime/kernels/int2.h"
#include "core/runtime/kernels/int4.h"
#include "core/runtime/kernels/output_stage.h"
#include "core/runtime/kernels/simd_ops.h"

namespace tm2::runtime {

struct ConvGeometry {
    int in_c = 1, in_h = 1, in_w = 1;
    int out_c = 1, out_h = 1, out_w = 1;
    int kernel_h = 1, kernel_w = 1, stride = 1, padding = 0;
};

// A layer's weight codes as the convolutions read them: int8, or int4 left packed
// (two per byte, low nibble first; a row may start mid-byte), so a model read in
// place keeps its int4 weights in flash instead of an unpacked int8 copy on the heap.
// One nibble decode per weight: the loops reading it run a whole row or plane per weight.
// int2 (four per byte, lowest bits first) is read the same way.
struct WeightCodes {
    const std::int8_t* int8 = nullptr;
    const std::uint8_t* int4 = nullptr;
    const std::uint8_t* int2 = nullptr;
    // Implicit: int8 pointers, the usual case, pass as they are.
    WeightCodes(const std::int8_t* codes) : int8(codes) {}  // NOLINT(google-explicit-constructor)
    static WeightCodes packedInt4(const std::uint8_t* nibbles) {
        WeightCodes w(nullptr);
        w.int4 = nibbles;
        return w;
    }
    static WeightCodes packedInt2(const std::uint8_t* crumbs) {
        WeightCodes w(nullptr);
        w.int2 = crumbs;
        return w;
    }
    // `bits` 2 or 4: packed codes of that width; 8: int8 codes.
    static WeightCodes packed(const std::uint8_t* codes, int bits) {
        return bits == 2   ? packedInt2(codes)
               : bits == 4 ? packedInt4(codes)
                           : WeightCodes(reinterpret_cast<const std::int8_t*>(codes));
    }
    std::int32_t operator[](std::size_t k) const {
        return int8 ? int8[k] : int4 ? int4At(int4, k) : int2At(int2, k);
    }
};

// Output spatial size of a conv / pool; 0 when the window does not fit.
int convOutputSize(int in, int kernel, int stride, int padding);

// Weights re-laid out for ops.gemm_pairs (at load for int8, per call for packed int4):
// `rows` rows of k weights (int8, or packed int4 / int2) become rows × weightPairCount(k)
// int32, each holding two weights as int16 (low half first; an odd k's last high half is
// 0). Packed int4 goes through ops.int4_pairs where the table has it; the result is the same.
int weightPairCount(int k);
void packWeightPairs(WeightCodes weights, int rows, int k, std::int32_t* pairs,
                     const SimdOps& ops = portablePairSimdOps());

// max over the rows of Σ_k |w| · reach (capped at 2^31 − 1): a bound on |Σ (x − zp) · w| of every row
// when |x − zp| ≤ reach, for OutputStage::acc_bound.
std::int32_t accumulatorBound(WeightCodes weights, int rows, int k, int reach);

// `scratch` holds conv2dScratchBytes(g, ops) bytes (likewise for the other two),
// 4-byte aligned. `weight_pairs` (packWeightPairs of the weights, rows = out_c)
// selects the pair-GEMM path when ops has one; without it the kernels add one
// weight at a time into out_h × out_w int32.
std::size_t conv2dScratchBytes(const ConvGeometry& g, const SimdOps& ops);
void conv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point, WeightCodes weights,
            const OutputStage& out_stage, std::uint8_t* out, std::int32_t* scratch, const SimdOps& ops,
            const std::int32_t* weight_pairs = nullptr);
// Whether each kernel takes a pair path on `ops` for geometry g (and so reads weight_pairs).
bool conv2dUsesPairs(const ConvGeometry& g, const SimdOps& ops);
bool depthwiseConv2dUsesPairs(const ConvGeometry& g, const SimdOps& ops);
bool pointwiseConv2dUsesPairs(const ConvGeometry& g, const SimdOps& ops);
// in_c == out_c, weights out_c × kh × kw.
std::size_t depthwiseConv2dScratchBytes(const ConvGeometry& g, const SimdOps& ops);
void depthwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     WeightCodes weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops, const std::int32_t* weight_pairs = nullptr);
// 1×1, stride 1, no padding; weights out_c × in_c.
std::size_t pointwiseConv2dScratchBytes(const ConvGeometry& g, const SimdOps& ops);
void pointwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     WeightCodes weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops, const std::int32_t* weight_pairs = nullptr);

// One input segment of a fully connected layer (a fused concat): its codes, zero
// point, length, and the dyadic factor taking its accumulator to the first segment's scale.
struct FcSegment {
    const std::uint8_t* data = nullptr;
    std::int32_t zero_point = 0;
    int length = 0;
    std::int32_t multiplier = 1 << 30, shift = 30;
};
// weights out × Σ lengths (row-major). Writes codes to `out` or, when `out_int32`
// is given, the raw accumulator + bias (logits) there instead.
void fullyConnected(const FcSegment* segments, int segment_count, int out_features,
                    const std::int8_t* weights, const OutputStage& out_stage, std::uint8_t* out,
                    std::int32_t* out_int32, const SimdOps& ops);
// The same with int4 weights left packed (two per byte, low nibble first; a row may
// start mid-byte), as a microcontroller reads them from flash, through ops.dot_int4
// where the table has it (AVX2, NEON), else the portable nibble loop.
void fullyConnectedPackedInt4(const FcSegment* segments, int segment_count, int out_features,
                              const std::uint8_t* packed, const OutputStage& out_stage, std::uint8_t* out,
                              std::int32_t* out_int32, const SimdOps& ops = portableSimdOps());
// Σ_i w[first + i] · (x[i] − zero_point) over n packed int4 weights.
std::int32_t dotPackedInt4(const std::uint8_t* x, std::int32_t zero_point, const std::uint8_t* packed,
                           std::size_t first, int n);
// The same with int2 weights left packed (four per byte, lowest bits first; a row may
// start anywhere in a byte), on every table through the portable loop below: a 2-bit
// fully connected layer is a few hundred bytes, its dot a small part of an inference.
void fullyConnectedPackedInt2(const FcSegment* segments, int segment_count, int out_features,
                              const std::uint8_t* packed, const OutputStage& out_stage, std::uint8_t* out,
                              std::int32_t* out_int32);
// Σ_i w[first + i] · (x[i] − zero_point) over n packed int2 weights.
std::int32_t dotPackedInt2(const std::uint8_t* x, std::int32_t zero_point, const std::uint8_t* packed,
                           std::size_t first, int n);

// Padding cells never win (as PyTorch pads max-pooling with −∞).
void maxPool2d(const ConvGeometry& g, const std::uint8_t* in, std::uint8_t* out,
               const SimdOps& ops = portableSimdOps());

// Requantizes `count` codes to another scale: q' = round((q − zp_in) · m · 2^-shift) + zp_out, clamped.
void requantizeCodes(const std::uint8_t* in, int count, std::int32_t in_zero_point, std::int32_t multiplier,
                     std::int32_t shift, std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out);

// Elementwise ops of gated, attention and FiLM fusion (tiny: one per feature, so portable only).
// out[i] = table[in[i]]; the table has an entry for every code the input can hold.
void lookupCodes(const std::uint8_t* in, int count, const std::int32_t* table, std::uint8_t* out);
// out = clamp(round((a − zp_a) · (b − zp_b) · m · 2^-shift) + zp_out, 0, hi).
void multiplyCodes(const std::uint8_t* a, std::int32_t a_zero_point, const std::uint8_t* b,
                   std::int32_t b_zero_point, int count, std::int32_t multiplier, std::int32_t shift,
                   std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out);
// out = clamp(round((a − zp_a) · m_a · 2^-shift_a) + round((b − zp_b) · m_b · 2^-shift_b) + zp_out, 0, hi)
// over a.length elements (FiLM's γ ⊙ h + β: each input brought to the output's scale).
void addCodes(const FcSegment& a, const FcSegment& b, std::int32_t out_zero_point, std::int32_t hi,
              std::uint8_t* out);
// Attention fusion's α_b ⊙ h_b: every element of `a` times the one code `b`, requantized as multiplyCodes.
void multiplyByCode(const std::uint8_t* a, std::int32_t a_zero_point, std::uint8_t b,
                    std::int32_t b_zero_point, int count, std::int32_t multiplier, std::int32_t shift,
                    std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out);
// Attention fusion's softmax over `count` score codes (softmax_table.h): `table` has an
// entry for every code distance and table[0] > 0; out holds weights on the grid 1/255.
void softmaxCodes(const std::uint8_t* in, int count, const std::int32_t* table, std::uint8_t* out);

}  // namespace tm2::runtime
