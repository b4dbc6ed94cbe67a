#pragma once
// The Network designer pane: one column of layer blocks per branch of the
// ModelSpec plus a fusion + head column; each block shows its type, settings,
// output shape, parameters, MACs and bytes (core/workflow/spec_rows), a bad
// block gets a red border and the message. Blocks are added (type chooser),
// removed, reordered (drag and drop, Move up/down) and edited in a form.
// Presets for the two case studies, JSON save/load, class count and fusion.
// Input shapes come from the workbench dataset (default shapes without one);
// every edit is published with workbench().setSpec. Every change of the design
// (edits, presets, files, a dataset's preset, a spec from another pane) is a step
// of a QUndoStack: Undo/Redo (Ctrl+Z, Ctrl+Shift+Z) walk back and forth.

#include <QStringList>

#include "core/model/model_spec.h"
#include "core/workflow/spec_rows.h"
#include "widgets/common/pane.h"

class QAction;
class QComboBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QListWidget;
class QSpinBox;
class QUndoStack;

namespace tm2::gui {

class LayerEditor;
class TargetFitView;

class DesignerPane : public Pane {
    Q_OBJECT
public:
    explicit DesignerPane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Network"); }
    QList<QAction*> mainActions() const override;
    void saveSettings(QSettings& settings) const override;
    void restoreSettings(QSettings& settings) override;

    // What the controls do (also for tests). Branch index == branchCount() means the head.
    void loadPreset(const QString& name);  // "tinym2net-image-audio" | "tinym2net-cough-speech" (or
                                           // image-audio / audio-audio)
    bool loadSpec(const QString& path);    // errors go to the banner
    bool saveSpec(const QString& path);
    model::ModelSpec spec() const { return spec_; }
    void setSpec(const model::ModelSpec& spec);  // replaces the design (and publishes it)
    void addLayer(int branch, const QString& type, int position = -1);  // -1 = at the end
    void removeLayer(int branch, int index);
    void moveLayer(int branch, int from, int to);
    // Edits one layer in place (what the form does).
    void editLayer(int branch, int index, const model::LayerSpec& layer);
    void setFusion(const QString& type);  // concat | sum | late | gated | film | attention
    void setClassCount(int classes);      // 0 = from the dataset

    int branchCount() const { return static_cast<int>(spec_.branches.size()); }
    int layerCount(int branch) const;
    // The message on a block ("" when it is fine), and the whole-spec error.
    QString blockError(int branch, int index) const;
    QString specError() const { return QString::fromStdString(summary_.error); }
    // The rows and totals shown (spec bound to the dataset's / default shapes).
    const workflow::SpecSummary& summary() const { return summary_; }
    QString totalsText() const;

    // Applies a design from the undo history (no new history step).
    void restoreFromHistory(const model::ModelSpec& spec);

private:
    // Makes the change from the last recorded design to spec_ one undo step named
    // `label`; successive steps with the same merge_key (>= 0: one layer's form) merge.
    void recordChange(const QString& label, int merge_key = -1);
    void publish();  // workbench().setSpec(spec_), ignoring the echo
    std::vector<model::LayerSpec>* layers(int branch);
    const std::vector<model::LayerSpec>* layers(int branch) const;
    void specEdited(const QString& label, int merge_key = -1);  // recompute, redraw, publish, record
    void recompute();
    void rebuildColumns();
    void refreshBlocks();
    void selectBlock(int branch, int index);
    void showEditor();  // the selected block in the editor
    void onWorkbenchDataset();
    void onWorkbenchSpec();
    // What reading the dataset's index gives the designer: input shapes, classes,
    // each modality's (name, kind).
    struct DatasetDesignFacts {
        workflow::DesignInputs inputs;
        std::vector<std::pair<std::string, std::string>> modalities;
    };
    void onDatasetInputs(const DatasetDesignFacts& facts);

    QComboBox* preset_combo_;
    QComboBox* fusion_combo_;
    QSpinBox* classes_spin_;
    QLabel* inputs_label_;
    QHBoxLayout* columns_layout_;
    QWidget* columns_host_;
    QList<QListWidget*> lists_;  // one per branch, then the head
    QList<QGroupBox*> column_boxes_;
    QLabel* totals_label_;
    TargetFitView* target_fit_;

    LayerEditor* editor_;

    QAction* load_action_;
    QAction* save_action_;
    QUndoStack* undo_stack_;
    QAction* undo_action_;
    QAction* redo_action_;
    model::ModelSpec recorded_;  // the design the top of the undo stack leaves

    model::ModelSpec spec_;
    workflow::DesignInputs inputs_;
    bool inputs_from_dataset_ = false;
    std::vector<std::pair<std::string, std::string>> dataset_modalities_;  // (name, kind)
    workflow::SpecSummary summary_;
    int selected_branch_ = -1, selected_index_ = -1;
    bool publishing_ = false;
    bool rebuilding_ = false;
    bool dataset_pending_ = false;  // a dataset change arrived while a job ran
};

}  // namespace tm2::gui
