// One LibTorch job at a time: runners of an ExclusiveJobs group, and the
// window's Train / Compare / Quantize / Benchmark panes that form one.

#include "widgets/common/exclusive_jobs.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QThread>
#include <atomic>
#include <memory>

#include "widgets/common/message_banner.h"
#include "widgets/common/task_runner.h"
#include "widgets/compare/compare_pane.h"
#include "widgets/main_window.h"
#include "widgets/quantize/quantize_pane.h"
#include "widgets/train/train_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

// A job that runs until `release` is set or it is cancelled. The window's panes
// are stopped by cancelling, so their result handlers never see this fake job's
// empty result.
TaskRunner::Job heldUntil(std::shared_ptr<std::atomic<bool>> release) {
    return [release](const TaskContext& c) {
        while (!*release && !c.cancelRequested()) QThread::msleep(2);
        return QVariant();
    };
}

QVariant nothing(const TaskContext&) { return {}; }

TEST(ExclusiveJobs, ASecondMemberIsRefusedWithAMessageNamingTheRunningJobAndItsPane) {
    auto group = std::make_shared<ExclusiveJobs>();
    TaskRunner compare, train, outsider;
    group->add(compare, "Compare");
    group->add(train, "Train");
    auto release = std::make_shared<std::atomic<bool>>(false);
    ASSERT_TRUE(compare.start("Comparison", heldUntil(release)));

    QSignalSpy refused(&train, &TaskRunner::refused);
    EXPECT_FALSE(train.start("Training", nothing));
    EXPECT_FALSE(train.isRunning());
    ASSERT_EQ(refused.size(), 1);
    EXPECT_TRUE(
        refused.at(0).at(0).toString().startsWith("Another job is running: Comparison (Compare pane)"))
        << refused.at(0).at(0).toString().toStdString();

    // A runner outside the group (e.g. opening a dataset) is not held back.
    EXPECT_TRUE(outsider.start("Opening", nothing));
    EXPECT_TRUE(outsider.wait(20000));

    release->store(true);
    ASSERT_TRUE(compare.wait(20000));
    EXPECT_TRUE(train.start("Training", nothing));  // free again
    EXPECT_TRUE(train.wait(20000));
}

TEST(ExclusiveJobs, TrainAndCompareInTheWindowRefuseToRunAtOnceInTheirBanners) {
    MainWindow window;
    auto release = std::make_shared<std::atomic<bool>>(false);
    ASSERT_TRUE(window.comparePane()->runner().start("Comparison", heldUntil(release)));
    window.trainPane()->startTraining();
    EXPECT_FALSE(window.trainPane()->isTraining());
    EXPECT_TRUE(window.trainPane()->banner()->isError());
    EXPECT_TRUE(
        window.trainPane()->banner()->text().startsWith("Another job is running: Comparison (Compare pane)"))
        << window.trainPane()->banner()->text().toStdString();
    window.comparePane()->runner().cancel();
    ASSERT_TRUE(window.comparePane()->runner().wait(20000));

    // The other way round: a training holds back a comparison.
    ASSERT_TRUE(window.trainPane()->runner().start("Training", heldUntil(release)));
    window.comparePane()->startComparison();
    EXPECT_FALSE(window.comparePane()->isComparing());
    EXPECT_TRUE(
        window.comparePane()->banner()->text().startsWith("Another job is running: Training (Train pane)"))
        << window.comparePane()->banner()->text().toStdString();
    // Quantize and Benchmark are members too.
    QSignalSpy quantize_refused(&window.quantizePane()->runner(), &TaskRunner::refused);
    EXPECT_FALSE(window.quantizePane()->runner().start("Quantizing INT8", nothing));
    EXPECT_EQ(quantize_refused.size(), 1);
    window.trainPane()->runner().cancel();
    ASSERT_TRUE(window.trainPane()->runner().wait(20000));
}

}  // namespace
}  // namespace tm2::gui
