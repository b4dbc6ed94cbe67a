#include "widgets/common/task_panel.h"

#include <gtest/gtest.h>

#include <QProgressBar>

#include "core/base/error.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/task_runner.h"

namespace tm2::gui {
namespace {

// A job that completes one stage (the bar reaches its end) and then fails.
QVariant completeAStageThenFail(const TaskContext& c) {
    for (std::size_t i = 1; i <= 4; ++i) reportProgress(c.progress, {"features", i, 4, ""});
    throw Error("model.json: num_classes: must be >= 2");
}

TEST(TaskPanel, AFailedJobLeavesTheBarEmptyNotFull) {
    TaskRunner runner;
    TaskPanel panel(runner);
    auto* bar = panel.findChild<QProgressBar*>("taskProgress");
    ASSERT_NE(bar, nullptr);
    ASSERT_TRUE(runner.start("train", completeAStageThenFail));
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_EQ(bar->value(), bar->minimum()) << "a full bar after a failure reads as success";
    EXPECT_TRUE(panel.statusText().contains("failed")) << panel.statusText().toStdString();
}

TEST(TaskPanel, ACancelledJobLeavesTheBarEmpty) {
    TaskRunner runner;
    TaskPanel panel(runner);
    auto* bar = panel.findChild<QProgressBar*>("taskProgress");
    ASSERT_TRUE(runner.start("train", [](const TaskContext& c) -> QVariant {
        for (std::size_t i = 1;; ++i) {
            reportProgress(c.progress, {"epochs", i % 4 + 1, 4, ""});
            if (c.cancelRequested()) throw Cancelled();
        }
    }));
    runner.cancel();
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_EQ(bar->value(), bar->minimum());
}

TEST(TaskPanel, ASucceededJobFillsTheBar) {
    TaskRunner runner;
    TaskPanel panel(runner);
    auto* bar = panel.findChild<QProgressBar*>("taskProgress");
    ASSERT_TRUE(runner.start("sum", [](const TaskContext&) { return QVariant(1); }));
    ASSERT_TRUE(runner.wait(20000));
    EXPECT_EQ(bar->value(), bar->maximum());
}

}  // namespace
}  // namespace tm2::gui
