#pragma once
// int4 weight codes packed two per byte, low nibble first (the .tmn layout):
// the one decoder the reader (unpacking) and the packed kernels use.

#include <cstddef>
#include <cstdint>

namespace tm2::runtime {

// A 4-bit two's-complement nibble as −8..7 (branch-free: the nibble loops stay straight-line).
inline int int4Value(int nibble) { return (nibble ^ 8) - 8; }

// The first (low nibble) and second (high nibble) weight of one packed byte.
inline int int4Low(std::uint8_t byte) { return int4Value(byte & 0xF); }
inline int int4High(std::uint8_t byte) { return int4Value(byte >> 4); }

// Weight k of `packed`.
inline int int4At(const std::uint8_t* packed, std::size_t k) {
    return k % 2 == 0 ? int4Low(packed[k / 2]) : int4High(packed[k / 2]);
}

}  // namespace tm2::runtime
