#pragma once
// The Compare pane: does fusion pay? Trains the multimodal network and each
// unimodal variant under one budget (workflow::compareAndRecord) and shows
// test accuracy and UAR per variant, the multimodal network's accuracy with
// one modality missing, the fusion gain, and each variant's confusion matrix.

#include <QStringList>
#include <nlohmann/json.hpp>

#include "widgets/common/pane.h"

class QAction;
class QBarSet;
class QChartView;
class QGridLayout;
class QLabel;
class QPushButton;

namespace tm2::gui {

class UseRunButton;

class CurveChart;
class ExplainView;
class HyperParameterForm;

class ComparePane : public Pane {
    Q_OBJECT
public:
    explicit ComparePane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Compare"); }
    QList<QAction*> mainActions() const override;
    void saveSettings(QSettings& settings) const override;
    void restoreSettings(QSettings& settings) override;

    HyperParameterForm* form() const { return form_; }
    // What the button does, with `epochs` put into the form first.
    void startComparison(int epochs);
    void startComparison();
    bool isComparing() const;
    nlohmann::json lastResult() const { return last_result_; }
    // The bar chart's categories ("multimodal", "only audio", …) and values.
    QStringList variants() const { return variants_; }
    double testAccuracy(const QString& variant) const;
    double testUar(const QString& variant) const;
    // Confusion matrices shown (one per variant).
    int confusionMatrixCount() const;
    QString fusionGainText() const;
    QChartView* metricsChart() const { return metrics_chart_; }
    QChartView* missingChart() const { return missing_chart_; }
    // Why the compared fused network decides (saliency maps, modality contributions per class).
    ExplainView* explainView() const { return explain_; }

private:
    void onEpoch(const QVariant& value);
    void showComparison(const nlohmann::json& result);  // compareAndRecord's result + classes, run_dir
    void clearResults();
    void updateEnabled();

    HyperParameterForm* form_;
    QPushButton* start_button_;
    QPushButton* cancel_button_;
    UseRunButton* use_run_;
    CurveChart* progress_chart_;
    QChartView* metrics_chart_;
    QChartView* missing_chart_;
    QLabel* gain_;
    QWidget* matrices_;
    QGridLayout* matrices_layout_;
    ExplainView* explain_;
    QAction* compare_action_;
    QStringList variants_;
    QList<double> accuracy_, uar_;
    QStringList curve_variants_;  // series of progress_chart_, in order
    nlohmann::json last_result_;
};

}  // namespace tm2::gui
