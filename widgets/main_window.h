#pragma once
// The workbench window: the workflow's panes as tabs from left to right
// (Dataset → Network → Train → Compare → Quantize → Benchmark → Experiments),
// menus and a toolbar with the panes' main actions and shortcuts, the
// workspace in the status bar; geometry and settings persist in QSettings.

#include <QMainWindow>
#include <QVector>

class QTabWidget;

namespace tm2::gui {

class Pane;
class Workbench;
class DatasetPane;
class DesignerPane;
class TrainPane;
class ComparePane;
class QuantizePane;
class BenchmarkPane;
class ExperimentsPane;
class TargetPicker;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // The window's size when no geometry was saved, for a screen's available size.
    static QSize firstSize(const QSize& available);

    Workbench& workbench() const { return *workbench_; }
    QTabWidget* tabs() const { return tabs_; }
    const QVector<Pane*>& panes() const { return panes_; }
    DatasetPane* datasetPane() const { return dataset_; }
    DesignerPane* designerPane() const { return designer_; }
    TrainPane* trainPane() const { return train_; }
    ComparePane* comparePane() const { return compare_; }
    QuantizePane* quantizePane() const { return quantize_; }
    BenchmarkPane* benchmarkPane() const { return benchmark_; }
    ExperimentsPane* experimentsPane() const { return experiments_; }
    TargetPicker* targetPicker() const { return target_picker_; }

    void showPane(Pane* pane);
    // Restores geometry, toolbar state, the workspace and each pane's settings;
    // the window is then shrunk and moved into the available screen if needed.
    void restoreSettings();
    // Writes the same, and the session (dataset, run, plans, model).
    void saveSettings() const;
    // Reopens the last session's dataset, run, quantization plans and exported model
    // (saved by saveSettings), each only if it still exists; returns what was reopened
    // ("dataset", "run", "plan int8", …, "model").
    QStringList reopenSession();

public Q_SLOTS:
    void chooseWorkspace();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    QRect availableScreen() const;
    // Shrinks the window to the available screen and moves it onto it.
    void fitIntoScreen();
    void updateStatus();

    Workbench* workbench_;
    QTabWidget* tabs_;
    QVector<Pane*> panes_;
    TargetPicker* target_picker_ = nullptr;
    DatasetPane* dataset_;
    DesignerPane* designer_;
    TrainPane* train_;
    ComparePane* compare_;
    QuantizePane* quantize_;
    BenchmarkPane* benchmark_;
    ExperimentsPane* experiments_;
};

}  // namespace tm2::gui
