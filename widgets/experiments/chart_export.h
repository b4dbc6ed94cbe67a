#pragma once
// Saves a chart as <base>.png (raster, for slides) and <base>.svg (vector,
// for papers) at a fixed size, whether or not the view is on screen.

#include <QSize>
#include <QString>

class QChartView;

namespace tm2::gui {

// False (with `error` naming the file) when a file cannot be written.
bool saveChartImages(QChartView& view, const QString& base_path, const QSize& size, QString* error = nullptr);

}  // namespace tm2::gui
