#pragma once
// Per-layer cost: parameters, MACs, output activation bytes, weight bytes and
// BOPS at a bit width. Conv and depthwise-separable formulas are exactly the
// paper's Table 1 (K×K kernel, F_h×F_w output, M in, N out channels):
//   conv   params K·K·M·N,          MACs K·K·M·N·F_h·F_w
//   dsconv params K·K·M + M·N,      MACs K·K·M·F_h·F_w + M·N·F_h·F_w
//   fc     params In·Out,           MACs In·Out
// Biases are counted apart (they stay int32 after quantization).
// BOPS = MACs · b_w · b_a (HAWQ-V3), with b_w = b_a = b for the layer.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/model/shape_inference.h"

namespace tm2::model {

struct LayerCost {
    std::string name;
    std::string branch;
    std::string kind;         // conv2d, depthwise, pointwise, fc, maxpool2d, batchnorm, …
    std::int64_t params = 0;  // weights only (Table 1)
    std::int64_t bias = 0;    // bias terms
    std::int64_t macs = 0;
    std::int64_t output_elements = 0;
    bool quantizable = false;  // has weights the quantizer assigns bits to

    // bytes, not bits: ceil(params · bits / 8), exact where params · bits would not fit
    std::int64_t weightBytes(int bits) const;
    std::int64_t outputBytes(int bits) const;  // ceil(output_elements · bits / 8)
    std::int64_t bops(int bits) const;         // throws tm2::Error naming the layer beyond 64 bits
};

struct CostTable {
    std::vector<LayerCost> layers;  // dsconv2d appears as two rows: "<name>.depthwise", "<name>.pointwise"
    std::int64_t totalParams() const;
    std::int64_t totalBias() const;
    std::int64_t totalMacs() const;
    std::int64_t totalWeightBytes(int bits) const;
    std::int64_t totalBops(int bits) const;
    std::int64_t peakOutputBytes(int bits) const;  // largest single activation
};

CostTable computeCostTable(const ShapeReport& shapes, const ModelSpec& spec);
nlohmann::json costTableJson(const CostTable& table, int bits);

}  // namespace tm2::model
