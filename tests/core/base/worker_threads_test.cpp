#include "core/base/worker_threads.h"

#include <gtest/gtest.h>

#include <atomic>
#include <system_error>

namespace tm2 {
namespace {

TEST(WorkerThreadsTest, RunsTheWorkOnEveryThreadAndJoinsThem) {
    std::atomic<int> runs{0};
    {
        WorkerThreads threads(3, [&] { ++runs; });
        EXPECT_EQ(threads.started(), 3);
    }
    EXPECT_EQ(runs, 3);
}

TEST(WorkerThreadsTest, AFailingThreadCreationLeavesTheStartedOnesRunningInsteadOfTerminating) {
    std::atomic<int> runs{0};
    int attempts = 0;
    const ThreadFactory fails_on_third = [&](std::function<void()> work) {
        if (++attempts == 3)
            throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
        return std::thread(std::move(work));
    };
    {
        WorkerThreads threads(
            5, [&] { ++runs; }, fails_on_third);
        EXPECT_EQ(threads.started(), 2);
    }
    EXPECT_EQ(attempts, 3);  // stops at the first failure
    EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace tm2
