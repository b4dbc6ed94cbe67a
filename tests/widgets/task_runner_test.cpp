#include "widgets/common/task_runner.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QThread>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "tests/widgets/widget_test_support.h"

namespace tm2::gui {
namespace {

TEST(TaskRunner, DeliversProgressPostsAndResultOnTheGuiThread) {
    TaskRunner runner;
    QSignalSpy progress(&runner, &TaskRunner::progress);
    QSignalSpy posted(&runner, &TaskRunner::posted);
    QSignalSpy succeeded(&runner, &TaskRunner::succeeded);
    QSignalSpy finished(&runner, &TaskRunner::finished);
    ASSERT_TRUE(runner.start("sum", [](const TaskContext& c) {
        int sum = 0;
        for (int i = 1; i <= 4; ++i) {
            sum += i;
            reportProgress(c.progress, {"adding", static_cast<std::size_t>(i), 4, ""});
            c.post(QVariant(i));
        }
        return QVariant(sum);
    }));
    EXPECT_TRUE(runner.isRunning());
    EXPECT_FALSE(runner.start("second", [](const TaskContext&) { return QVariant(); }));  // one at a time
    ASSERT_TRUE(runner.wait(20000));
    ASSERT_EQ(succeeded.size(), 1);
    EXPECT_EQ(succeeded.at(0).at(0).toInt(), 10);
    EXPECT_EQ(posted.size(), 4);
    EXPECT_EQ(posted.at(3).at(0).toInt(), 4);
    ASSERT_GE(progress.size(), 1);  // throttled, but the last item of a stage always arrives
    EXPECT_EQ(progress.last().at(1).toULongLong(), 4u);
    EXPECT_EQ(finished.size(), 1);
    EXPECT_FALSE(runner.isRunning());
}

struct Shapes {  // a core-like result struct: no QVariant, no JSON
    std::vector<int> sizes;
    std::string name;
};

TEST(TaskRunner, RunHandsTheJobsTypedResultToDoneOnTheGuiThreadBeforeSucceeded) {
    TaskRunner runner;
    QSignalSpy succeeded(&runner, &TaskRunner::succeeded);
    std::vector<std::string> order;
    Shapes got;
    QThread* done_thread = nullptr;
    ASSERT_TRUE(runner.run(
        "shapes", [](const TaskContext&) { return Shapes{{28, 28, 13}, "image"}; },
        [&](const Shapes& s) {
            got = s;
            done_thread = QThread::currentThread();
            order.push_back("done");
        }));
    QObject::connect(&runner, &TaskRunner::succeeded, [&] { order.push_back("succeeded"); });
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_EQ(got.sizes, (std::vector<int>{28, 28, 13}));
    EXPECT_EQ(got.name, "image");
    EXPECT_EQ(done_thread, QThread::currentThread());
    EXPECT_EQ(order, (std::vector<std::string>{"done", "succeeded"}));
    EXPECT_EQ(succeeded.size(), 1);
}

TEST(TaskRunner, ATypedJobThatFailsNeverCallsDone) {
    TaskRunner runner;
    QSignalSpy failed(&runner, &TaskRunner::failed);
    bool called = false;
    runner.run(
        "bad", [](const TaskContext&) -> Shapes { throw Error("spec.json: field 'branches' is empty"); },
        [&](const Shapes&) { called = true; });
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_EQ(failed.size(), 1);
    EXPECT_FALSE(called);
    // A later untyped job does not inherit the typed one's callback.
    runner.start("plain", [](const TaskContext&) { return QVariant(3); });
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_FALSE(called);
}

TEST(TaskRunner, CoreErrorsBecomeFailedWithTheMessage) {
    TaskRunner runner;
    QSignalSpy failed(&runner, &TaskRunner::failed);
    QSignalSpy succeeded(&runner, &TaskRunner::succeeded);
    runner.start("bad", [](const TaskContext&) -> QVariant { throw Error("data.csv:3: field 'label' is empty"); });
    ASSERT_TRUE(runner.wait(20000));
    ASSERT_EQ(failed.size(), 1);
    EXPECT_EQ(failed.at(0).at(0).toString(), "data.csv:3: field 'label' is empty");
    EXPECT_EQ(succeeded.size(), 0);
}

TEST(TaskRunner, CancelStopsAJobThroughItsProgressCallback) {
    TaskRunner runner;
    QSignalSpy cancelled(&runner, &TaskRunner::cancelled);
    QSignalSpy succeeded(&runner, &TaskRunner::succeeded);
    std::atomic<int> steps{0};
    runner.start("endless", [&steps](const TaskContext& c) -> QVariant {
        for (std::size_t i = 0;; ++i) {
            reportProgress(c.progress, {"spinning", i, 0, ""});  // throws Cancelled once asked
            ++steps;
            QThread::msleep(1);
        }
    });
    ASSERT_TRUE(tm2::testing::waitUntil([&] { return steps.load() > 3; }, 20000));
    runner.cancel();
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_EQ(cancelled.size(), 1);
    EXPECT_EQ(succeeded.size(), 0);
}

TEST(TaskRunner, DestroyingARunnerWithAJobCancelsAndJoinsIt) {
    std::atomic<bool> stopped{false};
    {
        TaskRunner runner;
        runner.start("endless", [&stopped](const TaskContext& c) -> QVariant {
            while (!c.cancelRequested()) QThread::msleep(1);
            stopped = true;
            throw Cancelled();
        });
    }
    EXPECT_TRUE(stopped.load());
}

}  // namespace
}  // namespace tm2::gui
