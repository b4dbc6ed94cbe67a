#pragma once
// Helpers for the widget tests: waiting on the event loop, screenshots into
// the build folder, and one small demo dataset shared by the tests of a run.

#include <QString>
#include <QStringList>
#include <functional>
#include <string>

class QChartView;
class QWidget;

namespace tm2::testing {

// Processes events until `done()` or `timeout_ms` passed; returns done().
bool waitUntil(const std::function<bool()>& done, int timeout_ms = 60000);

// Saves `widget` as <build>/screenshots/<name>.png (not committed); returns the path.
QString saveScreenshot(QWidget& widget, const QString& name);

// The texts a chart view shows as laid out at its current size: title, axis
// titles and labels, legend, bar labels (hidden ones left out). Qt Charts hides
// a category label that would overlap and elides a long one with "...".
QStringList shownChartTexts(QChartView& view);
// Pairs of those texts whose boxes overlap ("0.503" over "0.521"), as "a / b".
QStringList overlappingChartTexts(QChartView& view);

// A small image-audio demo dataset (a few samples per class), made once per
// test process in a temp folder; returns its folder.
std::string tinyImageAudioDemo();

}  // namespace tm2::testing
