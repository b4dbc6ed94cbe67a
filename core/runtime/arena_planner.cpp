#include "core/runtime/arena_planner.h"

#include <algorithm>
#include <numeric>

namespace tm2::runtime {

ArenaPlan planArena(const std::vector<BufferRequest>& requests, std::size_t alignment) {
    auto aligned = [alignment](std::size_t n) { return (n + alignment - 1) / alignment * alignment; };
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return requests[a].bytes > requests[b].bytes; });
    ArenaPlan plan;
    plan.offsets.assign(requests.size(), 0);
    std::vector<std::size_t> placed;
    for (std::size_t i : order) {
        const BufferRequest& r = requests[i];
        // Intervals already taken by buffers alive at the same time, by offset.
        std::vector<std::pair<std::size_t, std::size_t>> busy;
        for (std::size_t j : placed) {
            const BufferRequest& o = requests[j];
            if (o.last_use < r.first_use || r.last_use < o.first_use) continue;
            busy.emplace_back(plan.offsets[j], plan.offsets[j] + aligned(o.bytes));
        }
        std::sort(busy.begin(), busy.end());
        std::size_t offset = 0;
        for (const auto& [begin, end] : busy) {
            if (offset + aligned(r.bytes) <= begin) break;
            offset = std::max(offset, end);
        }
        plan.offsets[i] = offset;
        plan.peak_bytes = std::max(plan.peak_bytes, offset + aligned(r.bytes));
        placed.push_back(i);
    }
    return plan;
}

}  // namespace tm2::runtime
