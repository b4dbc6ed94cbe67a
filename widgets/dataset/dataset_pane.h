#pragma once
// The Dataset pane: open a manifest or a public layout (layout, split
// fractions, seed), or make a demo dataset; then the class × split balance
// chart, the sample list with a per-sample preview (image, waveform, MFCC heat
// map) and the skipped files with reasons. Opening (and probing every file)
// runs on the pane's TaskRunner; on success the dataset becomes the
// workbench's. A dataset set on the workbench elsewhere (--dataset) is shown too.
// A sample's preview is decoded on a worker thread (QtConcurrent); only the
// last selected sample's arrives.

#include <QImage>
#include <QStringList>
#include <memory>
#include <optional>

#include "core/workflow/dataset_options.h"
#include "core/workflow/dataset_summary.h"
#include "core/workflow/sample_preview.h"
#include "widgets/common/pane.h"

class QAction;
class QCheckBox;
class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace tm2::gui {

class DatasetPane : public Pane {
    Q_OBJECT
public:
    explicit DatasetPane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Dataset"); }
    QList<QAction*> mainActions() const override;
    void saveSettings(QSettings& settings) const override;
    void restoreSettings(QSettings& settings) override;

    // What the buttons do (also for tests): open `path` with the pane's layout,
    // split and probe settings; make a demo ("image-audio" | "audio-audio") in
    // `out_dir`, then open it.
    void openDataset(const QString& path);
    void makeDemo(const QString& kind, const QString& out_dir, int samples_per_class);
    void selectSample(int row);

    // The dataset shown (from the last successful open).
    bool hasDataset() const { return summary_ != nullptr; }
    QString datasetPath() const;
    int sampleCount() const;
    QStringList classNames() const;
    int skippedCount() const;
    // Balance chart bar sets ("train", "val", "test") and per-class counts of one set.
    QStringList barSetLabels() const;
    QList<int> barSetCounts(const QString& split) const;
    // The preview of the selected sample: first image modality, first audio
    // modality's waveform points and MFCC heat map (null/0 when absent).
    QImage previewImage() const { return preview_image_; }
    int waveformPointCount() const { return waveform_points_; }
    QImage mfccImage() const { return mfcc_image_; }
    // True from a selection until its preview is shown.
    bool previewPending() const { return preview_pending_; }

Q_SIGNALS:
    void previewShown();

private:
    QGroupBox* makeOpenBox();  // open a folder (layout, split, probe) or make a demo dataset
    void browse();
    void openClicked();
    void makeDemoClicked();
    workflow::DatasetOptions optionsFromControls(const QString& path) const;
    void showOptionsInControls(const workflow::DatasetOptions& options);
    void startOpen(const workflow::DatasetOptions& options);
    void onOpened(const workflow::DatasetOptions& options, const workflow::DatasetSummary& summary);
    void onWorkbenchDataset();
    void showSummary();
    void updateChart();
    void updatePreview();  // starts computing the selected sample's preview
    void showPreview(const std::vector<workflow::ModalityPreview>& previews);
    void clearPreview();

    QLineEdit* path_edit_;
    QComboBox* layout_combo_;
    QDoubleSpinBox* val_spin_;
    QDoubleSpinBox* test_spin_;
    QSpinBox* seed_spin_;
    QComboBox* resplit_combo_;  // given splits stand | whole groups anew
    QCheckBox* probe_check_;
    QCheckBox* outside_check_;
    QComboBox* demo_kind_combo_;
    QSpinBox* demo_samples_spin_;
    QLabel* summary_label_;
    QChart* chart_;
    QChartView* chart_view_;
    QTableWidget* samples_table_;
    QTableWidget* skipped_table_;
    QLabel* warnings_label_;
    QGroupBox* preview_box_;
    QGridLayout* preview_layout_;
    QAction* open_action_;
    QAction* demo_action_;

    std::unique_ptr<workflow::DatasetSummary> summary_;
    workflow::DatasetOptions shown_options_;
    bool publishing_ = false;  // true while this pane sets the workbench dataset

    QImage preview_image_;
    QImage mfcc_image_;
    int waveform_points_ = 0;
    int preview_generation_ = 0;  // bumped per selection; older results are dropped
    bool preview_pending_ = false;
};

}  // namespace tm2::gui
