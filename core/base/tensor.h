#pragma once
// A dense float tensor in row-major (C) order: the currency between the data
// pipeline, the CLI's .npy output and (later) LibTorch. Deliberately tiny.

#include <cstddef>
#include <vector>

namespace tm2 {

struct Tensor {
    std::vector<std::size_t> shape;  // e.g. {channels, height, width}
    std::vector<float> values;       // product(shape) elements

    Tensor() = default;
    explicit Tensor(std::vector<std::size_t> shape_, float fill = 0.0f);

    std::size_t size() const { return values.size(); }
    std::size_t rank() const { return shape.size(); }
    // 2-D access (rows × cols); valid only when rank() == 2.
    float& at(std::size_t row, std::size_t col) { return values[row * shape[1] + col]; }
    float at(std::size_t row, std::size_t col) const { return values[row * shape[1] + col]; }
};

std::size_t elementCount(const std::vector<std::size_t>& shape);

}  // namespace tm2
