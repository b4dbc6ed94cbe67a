#include "core/base/progress.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/base/thread_count.h"

namespace tm2 {
namespace {

TEST(ProgressTest, CallbackReturningFalseCancels) {
    int calls = 0;
    ProgressCallback keep_going = [&](const Progress&) { return ++calls < 2; };
    EXPECT_NO_THROW(reportProgress(keep_going, {"x", 1, 2, ""}));
    EXPECT_THROW(reportProgress(keep_going, {"x", 2, 2, ""}), Cancelled);
    EXPECT_EQ(calls, 2);
}

TEST(ProgressTest, MissingCallbackIsFine) { EXPECT_NO_THROW(reportProgress({}, {"x", 1, 1, ""})); }

TEST(ThreadCountTest, ZeroMeansAllCoresAndPositiveIsKept) {
    EXPECT_GE(resolveThreadCount(0), 1);
    EXPECT_EQ(resolveThreadCount(3), 3);
}

}  // namespace
}  // namespace tm2
