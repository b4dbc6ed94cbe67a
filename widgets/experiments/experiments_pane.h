#pragma once
// The Experiments pane: every run of the workspace's experiment store in a
// table (id, kind, name, status, created, key metric). One selected run shows
// its details (parameters, result JSON, artifacts, per-epoch curves); two or
// more are compared side by side (metrics table, overlaid accuracy curves).
// Runs can be deleted (their store rows, not their files) and exported as a
// report folder: report.json, runs.csv and the charts as PNG and SVG. A second
// tab, Sweeps (widgets/experiments/sweeps_view), plans, runs and charts sweeps.

#include <QStringList>

#include "widgets/common/pane.h"

class QAction;
class QChartView;
class QLabel;
class QLineEdit;
class QTableWidget;
class QTabWidget;
class QTreeWidget;

namespace tm2::gui {

class CurveChart;
class SweepsView;

class ExperimentsPane : public Pane {
    Q_OBJECT
public:
    explicit ExperimentsPane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Experiments"); }
    QList<QAction*> mainActions() const override;

    // Re-reads the runs from the workspace's store (keeps the selection).
    void refresh();
    int runCount() const;
    // Rows the filter leaves visible; setFilter types into the filter box.
    int shownRunCount() const;
    void setFilter(const QString& text);
    QStringList runIds() const;  // in table order (newest first)
    QString statusOf(const QString& id) const;
    void selectRuns(const QStringList& ids);
    QStringList selectedRunIds() const;
    // Makes the run's folder the one Quantize and Benchmark use; false (and the
    // banner says why) when it holds no trained network.
    bool makeActive(const QString& id);
    // Removes the run's rows from the store (no confirmation; the UI action asks first).
    bool deleteRun(const QString& id);
    // Writes report.json, runs.csv, accuracy_curves.{png,svg} and key_metric.{png,svg}
    // for the selected runs (all runs when none is selected) into `dir`.
    bool exportReport(const QString& dir);

    QTableWidget* runsTable() const { return table_; }
    QTreeWidget* detailsTree() const { return tree_; }
    QTableWidget* sideBySideTable() const { return side_by_side_; }
    CurveChart* epochChart() const { return epoch_chart_; }
    CurveChart* overlayChart() const { return overlay_chart_; }
    QTabWidget* viewTabs() const { return views_; }  // Runs | Sweeps
    SweepsView* sweepsView() const { return sweeps_; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onSelectionChanged();
    void applyFilter();
    void showDetails(const QString& id);
    void showSideBySide(const QStringList& ids);
    void deleteSelectedWithConfirmation();
    void exportWithDialog();

    QTabWidget* views_;
    SweepsView* sweeps_;
    QTableWidget* table_;
    QTabWidget* tabs_;
    QLabel* details_title_;
    QTreeWidget* tree_;
    CurveChart* epoch_chart_;
    QTableWidget* side_by_side_;
    CurveChart* overlay_chart_;
    QAction* refresh_action_;
    QLineEdit* filter_;
    QAction* activate_action_;
    QAction* delete_action_;
    QAction* export_action_;
};

}  // namespace tm2::gui
