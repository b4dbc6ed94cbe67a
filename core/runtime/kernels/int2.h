#pragma once
// int2 weight codes packed four per byte, lowest two bits first (the .tmn layout
// of a 2-bit layer): the one decoder the reader (unpacking) and the packed kernels use.
// A 2-bit symmetric layer's codes are −1, 0, 1 (clamp(round(w / s), ±(2^(b−1) − 1)));
// the field holds two's complement −2..1.

#include <cstddef>
#include <cstdint>

namespace tm2::runtime {

// A 2-bit two's-complement field as −2..1.
inline int int2Value(int field) { return field >= 2 ? field - 4 : field; }

// Weight j (0..3) of one packed byte.
inline int int2In(std::uint8_t byte, int j) { return int2Value((byte >> (2 * j)) & 0x3); }

// Weight k of `packed`.
inline int int2At(const std::uint8_t* packed, std::size_t k) {
    return int2In(packed[k / 4], static_cast<int>(k % 4));
}

}  // namespace tm2::runtime
