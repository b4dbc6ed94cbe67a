#pragma once
// Per-layer Hessian sensitivity: Tr(H) of each layer as a horizontal bar on a
// log axis (traces span orders of magnitude), coloured by the bits the layer
// has in the shown plan (4-bit, 8-bit, pinned; legend below), the bits in its
// label too. The traces come from the MP run; the bits follow the plan shown
// (the run's, an applied plan's, or the live sliders').

#include <QColor>
#include <QString>
#include <QtCharts/QChartView>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace tm2::gui {

class SensitivityChart : public QChartView {
    Q_OBJECT
public:
    explicit SensitivityChart(QWidget* parent = nullptr);
    // `layers`: the quantize result's "layers" (name, hessian_trace, bits); rows without a trace are
    // skipped. `pinned`: the result's "pinned" (layer → bits), drawn in the pinned colour.
    void setLayers(const nlohmann::json& layers, const std::map<std::string, int>& pinned = {});
    // Recolours the bars with another plan's bits (layer → bits); `plan` names it in the axis title.
    // An empty map keeps the bits shown (an infeasible live budget has none).
    void setBits(const std::map<std::string, int>& bits, const QString& plan);
    void clear();
    int barCount() const { return bars_; }
    // The colour the chart draws `layer`'s bar in (invalid when it has no bar): read back from the chart.
    QColor barColour(const QString& layer) const;
    // The bits a layer's bar stands for (0 when it has none).
    int barBits(const std::string& layer) const;
    // The plan whose bits the bars show ("MP plan", "live sliders' plan", "applied plan …").
    QString planShown() const { return plan_; }

private:
    void rebuild();

    nlohmann::json layers_ = nlohmann::json::array();
    std::map<std::string, int> bits_, pinned_;
    QString plan_;
    QStringList categories_;  // axis labels, bottom-up, as the chart holds them
    std::vector<std::string> category_layers_;
    int bars_ = 0;
};

}  // namespace tm2::gui
