#include "core/base/thread_count.h"

#include <thread>

namespace tm2 {

int resolveThreadCount(int requested) {
    if (requested > 0) return requested;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : static_cast<int>(hw);
}

}  // namespace tm2
