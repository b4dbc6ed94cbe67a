// GoogleTest main for the widget tests: one QApplication for all tests, the
// offscreen platform unless another was asked for (the screenshot test runs
// under Xvfb with QT_QPA_PLATFORM=xcb), and settings in a throw-away folder.

#include <gtest/gtest.h>

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <cstdlib>

#include "tests/support/temp_dir.h"

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    tm2::testing::TempDir home;
    // QSettings and the default workspace must not touch the user's files.
    setenv("XDG_CONFIG_HOME", (home.path() / "config").c_str(), 1);
    setenv("XDG_DATA_HOME", (home.path() / "data").c_str(), 1);
    setenv("XDG_CACHE_HOME", (home.path() / "cache").c_str(), 1);
    QApplication app(argc, argv);
    QApplication::setOrganizationName("tinym2net-tests");
    QApplication::setApplicationName("widgets-tests");
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
