// GoogleTest main for the ThreadSanitizer build of the TaskRunner tests: a
// QCoreApplication (no widgets needed) and the one helper they use from
// tests/widgets/widget_test_support.cpp, which itself pulls in the widgets.

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include "tests/widgets/widget_test_support.h"

namespace tm2::testing {

bool waitUntil(const std::function<bool()>& done, int timeout_ms) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeout_ms) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return true;
}

}  // namespace tm2::testing

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
