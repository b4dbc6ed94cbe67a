#include "widgets/experiments/chart_export.h"

#include <QChartView>
#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>

namespace tm2::gui {

bool saveChartImages(QChartView& view, const QString& base_path, const QSize& size, QString* error) {
    const QSize old_size = view.size();
    view.resize(size);
    const QString png = base_path + ".png";
    const QString svg = base_path + ".svg";
    bool ok = view.grab().save(png, "PNG");
    if (!ok && error) *error = png + QObject::tr(": cannot write the image");
    if (ok) {
        QSvgGenerator generator;
        generator.setFileName(svg);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(QFileInfo(base_path).fileName());
        QPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            view.render(&painter);
            painter.end();
        }
        ok = ok && QFileInfo(svg).size() > 0;
        if (!ok && error) *error = svg + QObject::tr(": cannot write the image");
    }
    view.resize(old_size);
    return ok;
}

}  // namespace tm2::gui
