#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as zlib and PNG compute
// it; our own because the runtime links nothing beyond the standard library.

#include <cstddef>
#include <cstdint>

namespace tm2::runtime {

// Continues `crc` (0 to start) over `size` bytes; crc32("123456789") == 0xCBF43926.
std::uint32_t crc32(const void* data, std::size_t size, std::uint32_t crc = 0);

}  // namespace tm2::runtime
