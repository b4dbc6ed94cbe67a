#include "widgets/quantize/sensitivity_chart.h"

#include <QFont>
#include <QPen>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QHorizontalStackedBarSeries>
#include <QtCharts/QLegend>
#include <algorithm>
#include <cmath>

#include "widgets/quantize/bit_colours.h"

namespace tm2::gui {

namespace {

// The legend groups: a layer's bar belongs to exactly one.
enum Group { Eight, Four, Two, Pinned, Other, Groups };

Group groupOf(int bits, bool pinned) {
    if (pinned) return Pinned;
    return bits >= 8 ? Eight : bits == 4 ? Four : bits == 2 ? Two : Other;
}

QString groupName(Group g) {
    switch (g) {
        case Eight:
            return QObject::tr("8-bit");
        case Four:
            return QObject::tr("4-bit");
        case Two:
            return QObject::tr("2-bit");
        case Pinned:
            return QObject::tr("pinned");
        default:
            return QObject::tr("other width");
    }
}

QColor groupColour(Group g) {
    return g == Pinned ? pinnedColour() : bitsColour(g == Eight ? 8 : g == Four ? 4 : g == Two ? 2 : 0);
}

}  // namespace

SensitivityChart::SensitivityChart(QWidget* parent) : QChartView(parent) {
    setObjectName("sensitivityChart");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 300);
    clear();
}

void SensitivityChart::clear() {
    layers_ = nlohmann::json::array();
    bits_.clear();
    pinned_.clear();
    plan_.clear();
    rebuild();
}

void SensitivityChart::setLayers(const nlohmann::json& layers, const std::map<std::string, int>& pinned) {
    layers_ = layers;
    pinned_ = pinned;
    bits_.clear();
    for (const auto& l : layers) bits_[l.value("name", "")] = l.value("bits", 0);
    plan_ = tr("MP plan");
    rebuild();
}

void SensitivityChart::setBits(const std::map<std::string, int>& bits, const QString& plan) {
    if (bits.empty()) return;
    for (const auto& [layer, b] : bits) bits_[layer] = b;
    plan_ = plan;
    rebuild();
}

void SensitivityChart::rebuild() {
    auto* chart = new QChart;
    chart->setTitle(tr("Hessian sensitivity per layer: Tr(H) (mixed precision run)"));
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    setChart(chart);  // the view owns and deletes the previous chart
    bars_ = 0;
    categories_.clear();
    category_layers_.clear();

    // Hutchinson estimates of a small or flat layer's trace can come out ≤ 0;
    // a log axis cannot show them, so they get a stub at the axis floor, marked "≤ 0".
    double lo = INFINITY, hi = 0;
    for (const auto& l : layers_)
        if (l.contains("hessian_trace") && l["hessian_trace"].get<double>() > 0) {
            lo = std::min(lo, l["hessian_trace"].get<double>());
            hi = std::max(hi, l["hessian_trace"].get<double>());
        }
    if (hi <= 0) lo = hi = 1;  // nothing positive: any decade will do
    // Bars of log10(Tr(H)) above a floor decade, on a linear axis labelled in powers of ten:
    // one stacked series with a set per colour, each layer's bar in its group's set and 0 in
    // the others, so every layer has one full-width bar in the colour of its bits.
    const int floor_decade = static_cast<int>(std::floor(std::log10(lo))) - 1;
    const int top_decade = std::max(floor_decade + 1, static_cast<int>(std::ceil(std::log10(hi))));
    QBarSet* sets[Groups];
    for (int g = 0; g < Groups; ++g) {
        sets[g] = new QBarSet(groupName(static_cast<Group>(g)));
        sets[g]->setColor(groupColour(static_cast<Group>(g)));
        sets[g]->setBorderColor(groupColour(static_cast<Group>(g)).darker(130));
    }
    bool used[Groups] = {false, false, false, false};
    // Bottom-up in a horizontal bar chart: reverse so the first layer is on top.
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
        const auto& l = *it;
        if (!l.contains("hessian_trace")) continue;
        const std::string name = l.value("name", "");
        const double trace = l["hessian_trace"].get<double>();
        const auto b = bits_.find(name);
        const int bits = b == bits_.end() ? 0 : b->second;
        const Group g = groupOf(bits, pinned_.count(name) > 0);
        used[g] = true;
        const double length = trace > 0 ? std::log10(trace) - floor_decade : 0.2;  // ≤ 0: a stub
        for (int s = 0; s < Groups; ++s) *sets[s] << (s == g ? length : 0.0);
        categories_ << QString("%1 · %2 b%3")
                           .arg(QString::fromStdString(name))
                           .arg(bits)
                           .arg(trace > 0 ? QString() : tr(" · Tr ≤ 0"));
        category_layers_.push_back(name);
    }
    if (categories_.isEmpty()) {
        for (auto* s : sets) delete s;
        chart->legend()->hide();
        return;
    }
    auto* y = new QBarCategoryAxis;
    y->append(categories_);
    y->setTruncateLabels(false);
    QFont small = y->labelsFont();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() - 2));  // one readable line per layer
    y->setLabelsFont(small);
    chart->addAxis(y, Qt::AlignLeft);
    auto* x = new QCategoryAxis;
    x->setTitleText(tr("Tr(H), log scale"));
    chart->setTitle(tr("Hessian sensitivity Tr(H) per layer · bits of the %1").arg(plan_));
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setStartValue(-1e-6);  // so the floor decade gets its label at 0
    for (int d = floor_decade; d <= top_decade; ++d) x->append(QString("1e%1").arg(d), d - floor_decade);
    x->setRange(0, top_decade - floor_decade);
    chart->addAxis(x, Qt::AlignBottom);
    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.75);
    for (int g = 0; g < Groups; ++g) {
        if (!used[g] && g == Other) {  // the legend names only the widths a plan can have
            delete sets[g];
            continue;
        }
        series->append(sets[g]);
    }
    chart->addSeries(series);
    series->attachAxis(y);
    series->attachAxis(x);
    bars_ = static_cast<int>(categories_.size());
    // A readable line per layer (Qt drops category labels that would overlap), title, axis and legend.
    setMinimumHeight(std::max(300, 130 + 17 * bars_));
}

QColor SensitivityChart::barColour(const QString& layer) const {
    const auto it = std::find(category_layers_.begin(), category_layers_.end(), layer.toStdString());
    if (it == category_layers_.end()) return {};
    const int index = static_cast<int>(it - category_layers_.begin());
    // The bar that has a length: the one set not 0 at this category.
    QColor colour;
    double longest = 0;
    for (auto* s : chart()->series()) {
        auto* bars = qobject_cast<QHorizontalStackedBarSeries*>(s);
        if (!bars) continue;
        for (auto* set : bars->barSets())
            if (set->at(index) > longest) {
                longest = set->at(index);
                colour = set->color();
            }
    }
    return colour;
}

int SensitivityChart::barBits(const std::string& layer) const {
    const auto it = bits_.find(layer);
    return it == bits_.end() ? 0 : it->second;
}

}  // namespace tm2::gui
