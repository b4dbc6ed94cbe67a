#pragma once
// Static memory plan, made once at load time: every tensor (and each op's
// scratch) gets an offset in one arena, and buffers whose lifetimes do not
// overlap share bytes. Greedy by size, first fit (TFLite Micro's
// GreedyMemoryPlanner does the same); peak_bytes is the arena size.

#include <cstddef>
#include <vector>

namespace tm2::runtime {

struct BufferRequest {
    std::size_t bytes = 0;
    int first_use = 0, last_use = 0;  // op indices, inclusive (−1 = before the first op)
};

struct ArenaPlan {
    std::vector<std::size_t> offsets;  // per request
    std::size_t peak_bytes = 0;
};

ArenaPlan planArena(const std::vector<BufferRequest>& requests, std::size_t alignment = 16);

}  // namespace tm2::runtime
