#pragma once
// Helpers for the widget tests: waiting on the event loop, screenshots into
// the build folder, and one small demo dataset shared by the tests of a run.

#include <QString>
#include <functional>
#include <string>

class QWidget;

namespace tm2::testing {

// Processes events until `done()` or `timeout_ms` passed; returns done().
bool waitUntil(const std::function<bool()>& done, int timeout_ms = 60000);

// Saves `widget` as <build>/screenshots/<name>.png (not committed); returns the path.
QString saveScreenshot(QWidget& widget, const QString& name);

// A small image-audio demo dataset (a few samples per class), made once per
// test process in a temp folder; returns its folder.
std::string tinyImageAudioDemo();

}  // namespace tm2::testing
