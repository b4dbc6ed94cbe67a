#include "core/base/tensor.h"

namespace tm2 {

std::size_t elementCount(const std::vector<std::size_t>& shape) {
    std::size_t n = 1;
    for (std::size_t d : shape) n *= d;
    return n;
}

Tensor::Tensor(std::vector<std::size_t> shape_, float fill)
    : shape(std::move(shape_)), values(elementCount(shape), fill) {}

}  // namespace tm2
