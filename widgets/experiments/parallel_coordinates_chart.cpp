#include "widgets/experiments/parallel_coordinates_chart.h"

#include <QBrush>
#include <QCursor>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <QToolTip>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>

namespace tm2::gui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// Dark blue (0) through magenta to orange (1), as matplotlib's "plasma": every step differs in
// lightness too (a straight blue-to-orange blend turns grey in the middle), colour-blind safe.
QColor rampColor(double t) {
    t = std::clamp(t, 0.0, 1.0);
    const QColor stops[] = {QColor(33, 60, 160), QColor(190, 55, 130), QColor(240, 140, 20)};
    const int i = t < 0.5 ? 0 : 1;
    const double f = t < 0.5 ? 2 * t : 2 * t - 1;
    const QColor &lo = stops[i], &hi = stops[i + 1];
    return QColor::fromRgbF(lo.redF() + f * (hi.redF() - lo.redF()),
                            lo.greenF() + f * (hi.greenF() - lo.greenF()),
                            lo.blueF() + f * (hi.blueF() - lo.blueF()));
}

// Room right of the last axis for its tick labels ("100.0 %"), in axis units.
constexpr double kRightRoom = 0.45;

}  // namespace

ParallelCoordinatesChart::ParallelCoordinatesChart(QWidget* parent) : QChartView(parent) {
    setObjectName("sweepParallelChart");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
    setData({}, {}, {});
}

void ParallelCoordinatesChart::setData(const sweep::ParallelCoordinates& pc, const QString& metric_title,
                                       const std::vector<QString>& line_labels) {
    auto* chart = new QChart;
    if (pc.axes.empty())
        chart->setTitle(tr("Parallel coordinates: open a sweep"));
    else if (pc.lines.empty())
        chart->setTitle(tr("The sweep's axes: a line per trial appears as trials finish"));
    else
        chart->setTitle(
            tr("Axis values → %1 (one line per trial; blue low, magenta, orange high)").arg(metric_title));
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setVisible(false);
    ticks_.clear();
    anchor_ = nullptr;
    line_count_ = 0;
    axis_count_ = static_cast<int>(pc.axes.size());
    const int n = static_cast<int>(pc.axes.size());
    auto* x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setGridLineVisible(false);
    x->setTruncateLabels(false);  // "quantize.test_accuracy (%)" whole: the axes are far enough apart
    x->setRange(-0.15, std::max(0, n - 1) + kRightRoom);
    for (int i = 0; i < n; ++i) {
        const auto& a = pc.axes[static_cast<std::size_t>(i)];
        QString name = i == n - 1 ? metric_title : qs(a.name);
        if (a.log_scale) name += tr(" (log)");
        x->append(name, i);
    }
    auto* y = new QValueAxis;
    y->setRange(-0.06, 1.06);
    y->setVisible(false);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    const auto attach = [&](QLineSeries* s) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    };
    for (int i = 0; i < n; ++i) {
        auto* axis_line = new QLineSeries;
        axis_line->append(i, 0);
        axis_line->append(i, 1);
        axis_line->setPen(QPen(QColor(120, 120, 120), 2));
        attach(axis_line);
        if (!anchor_) anchor_ = axis_line;
    }
    for (std::size_t l = 0; l < pc.lines.size(); ++l) {
        const auto& line = pc.lines[l];
        auto* s = new QLineSeries;
        for (std::size_t i = 0; i < line.positions.size(); ++i)
            s->append(static_cast<double>(i), line.positions[i]);
        s->setPen(QPen(rampColor(line.positions.back()), 2));
        attach(s);
        const QString label = l < line_labels.size() ? line_labels[l] : QString();
        connect(s, &QLineSeries::hovered, this, [label](const QPointF&, bool state) {
            if (state) QToolTip::showText(QCursor::pos(), label);
        });
        ++line_count_;
    }
    for (int i = 0; i < n; ++i)
        for (const auto& t : pc.axes[static_cast<std::size_t>(i)].ticks) {
            // A pale box under each label keeps it readable where lines cross it.
            auto* box = new QGraphicsRectItem(chart);
            box->setBrush(QColor(255, 255, 255, 210));
            box->setPen(Qt::NoPen);
            box->setZValue(10);
            auto* text = new QGraphicsSimpleTextItem(qs(t.label), chart);
            text->setZValue(11);
            ticks_.push_back({i, t.position, box, text});
        }
    connect(chart, &QChart::plotAreaChanged, this, [this] { placeTicks(); });
    QChart* old = this->chart();
    setChart(chart);
    delete old;
    placeTicks();
}

void ParallelCoordinatesChart::placeTicks() {
    if (!anchor_) return;
    for (const Tick& t : ticks_) {
        const QPointF at = chart()->mapToPosition(QPointF(t.axis, t.position), anchor_);
        const QRectF r = t.text->boundingRect();
        t.text->setPos(at.x() + 5, at.y() - r.height() / 2);
        t.box->setRect(QRectF(at.x() + 3, at.y() - r.height() / 2, r.width() + 4, r.height()));
    }
}

}  // namespace tm2::gui
