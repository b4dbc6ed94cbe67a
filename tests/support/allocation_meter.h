#pragma once
// Counts every heap allocation of the test program that includes this header, so a
// test can measure the peak bytes a call allocates, exactly and without timing, and
// cap it: past the limit operator new throws std::bad_alloc, so a runaway reader fails
// the test instead of exhausting the machine.
// Include it in exactly ONE .cpp per test program: it replaces the global operator new.
// Under ASan/TSan (which own operator new) nothing is counted and
// TM2_ALLOCATION_METER is 0: tests then skip their byte checks.

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <new>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TM2_ALLOCATION_METER 0  // the sanitizers own operator new
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TM2_ALLOCATION_METER 0
#endif
#endif
#ifndef TM2_ALLOCATION_METER
#define TM2_ALLOCATION_METER 1
#endif

namespace testing::detail {
inline std::atomic<std::size_t> g_live{0}, g_peak{0}, g_limit{std::numeric_limits<std::size_t>::max()};
// Each block carries its size in a header this long (keeps malloc's 16-byte alignment).
constexpr std::size_t kBlockHeader = 16;
}  // namespace testing::detail

#if TM2_ALLOCATION_METER
void* operator new(std::size_t n) {
    using namespace testing::detail;
    const std::size_t live = g_live.fetch_add(n) + n;
    if (live > g_limit.load()) {
        g_live.fetch_sub(n);
        throw std::bad_alloc();
    }
    for (std::size_t peak = g_peak.load(); live > peak && !g_peak.compare_exchange_weak(peak, live);) {
    }
    auto* p = static_cast<unsigned char*>(std::malloc(n + kBlockHeader));
    if (!p) {
        g_live.fetch_sub(n);
        throw std::bad_alloc();
    }
    *reinterpret_cast<std::size_t*>(p) = n;
    return p + kBlockHeader;
}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // free() of the block malloc() gave
void operator delete(void* p) noexcept {
    if (!p) return;
    using namespace testing::detail;
    auto* block = static_cast<unsigned char*>(p) - kBlockHeader;
    g_live.fetch_sub(*reinterpret_cast<std::size_t*>(block));
    std::free(block);
}
#pragma GCC diagnostic pop
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return operator new(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { operator delete(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { operator delete(p); }
#endif

namespace testing {

// Bytes a call allocated at its peak, beyond what was live before it; allocations
// past `limit` fail with std::bad_alloc.
class AllocationMeter {
public:
    explicit AllocationMeter(std::size_t limit) : base_(detail::g_live.load()) {
        detail::g_peak.store(base_);
        detail::g_limit.store(base_ + limit);
    }
    ~AllocationMeter() { detail::g_limit.store(std::numeric_limits<std::size_t>::max()); }
    std::size_t peak() const { return detail::g_peak.load() - base_; }

private:
    std::size_t base_;
};

}  // namespace testing
