#include "widgets/designer/designer_pane.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/model/presets.h"
#include "core/workflow/design_footprint.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane_help.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/common/task_runner.h"
#include "widgets/designer/block_delegate.h"
#include "widgets/designer/layer_editor.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

using model::LayerSpec;
using model::LayerType;

const QStringList kLayerTypes{"conv2d", "dsconv2d", "maxpool2d", "batchnorm", "dropout", "flatten", "fc"};
const QStringList kFusions{"concat", "sum", "late", "gated", "film", "attention"};  // FusionType order

LayerType layerTypeFromString(const QString& type) {
    const int i = kLayerTypes.indexOf(type);
    if (i < 0)
        throw Error("unknown layer type '" + type.toStdString() + "' (use " +
                    kLayerTypes.join(", ").toStdString() + ")");
    return static_cast<LayerType>(i);  // same order as model::LayerType
}

// A new block of `type` with the settings the presets use.
LayerSpec defaultLayer(LayerType type) {
    LayerSpec l;
    l.type = type;
    switch (type) {
        case LayerType::Conv2d:
            l.out_channels = 16;
            l.kernel = 3;
            l.padding = 1;
            break;
        case LayerType::DsConv2d:
            l.out_channels = 32;
            l.kernel = 3;
            l.padding = 1;
            break;
        case LayerType::MaxPool2d:
            l.kernel = 2;
            l.stride = 2;
            break;
        case LayerType::Dropout:
            l.p = 0.2;
            break;
        case LayerType::Fc:
            l.out_features = 32;
            break;
        case LayerType::BatchNorm:
        case LayerType::Flatten:
            break;
    }
    return l;
}

QString count(std::int64_t n) {
    if (n >= 10'000'000) return QString::number(static_cast<double>(n) / 1e6, 'f', 1) + "M";
    if (n >= 10'000) return QString::number(static_cast<double>(n) / 1e3, 'f', 1) + "k";
    return QString::number(n);
}

QString bytes(std::int64_t n) {
    if (n >= 1024 * 1024) return QString::number(static_cast<double>(n) / (1024.0 * 1024.0), 'f', 2) + " MiB";
    if (n >= 1024) return QString::number(static_cast<double>(n) / 1024.0, 'f', 1) + " KiB";
    return QString::number(n) + " B";
}

QString rowText(const workflow::SpecRow& r) {
    QString text = QString("%1  %2").arg(QString::fromStdString(r.type), QString::fromStdString(r.settings));
    if (!r.out.empty())
        text += QString("\n→ %1 · %2 params · %3 MACs · %4")
                    .arg(QString::fromStdString(workflow::shapeText(r.out)), count(r.params + r.bias),
                         count(r.macs), bytes(r.bytes_fp32));
    if (!r.error.empty()) text += "\n⚠ " + QString::fromStdString(r.error);
    return text;
}

// One change of the design: the spec before and after. The first redo() is the
// change itself, already applied when it is pushed.
class SpecChange : public QUndoCommand {
public:
    SpecChange(DesignerPane* pane, model::ModelSpec before, model::ModelSpec after, const QString& text,
               int merge_key)
        : QUndoCommand(text),
          pane_(pane),
          before_(std::move(before)),
          after_(std::move(after)),
          merge_key_(merge_key) {}
    void undo() override { pane_->restoreFromHistory(before_); }
    void redo() override {
        if (applied_) {
            applied_ = false;
            return;
        }
        pane_->restoreFromHistory(after_);
    }
    int id() const override { return merge_key_ >= 0 ? 1 : -1; }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* next = static_cast<const SpecChange*>(other);
        if (next->merge_key_ != merge_key_) return false;
        after_ = next->after_;
        return true;
    }

private:
    DesignerPane* pane_;
    model::ModelSpec before_, after_;
    int merge_key_;
    bool applied_ = true;
};

}  // namespace

DesignerPane::DesignerPane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("designerPane");
    setHelp(help::network());

    // ---- top bar: presets, files, fusion, classes -------------------------------
    auto* bar = new QHBoxLayout;
    preset_combo_ = new QComboBox(this);
    preset_combo_->setObjectName("designerPreset");
    for (const auto& name : model::presetNames()) preset_combo_->addItem(QString::fromStdString(name));
    auto* load_preset = new QPushButton(tr("Load preset"), this);
    load_preset->setObjectName("designerLoadPreset");
    auto* open = new QPushButton(tr("Open spec…"), this);
    auto* save = new QPushButton(tr("Save spec…"), this);
    fusion_combo_ = new QComboBox(this);
    fusion_combo_->setObjectName("designerFusion");
    fusion_combo_->addItems(kFusions);
    fusion_combo_->setToolTip(
        tr("concat: join branch features; sum: add them (equal widths); late: average per-branch "
           "logits; gated: scale each branch's features by a learned sigmoid gate, then join; film: "
           "the first branch scales and shifts the others' features (γ ⊙ h + β), then join; attention: "
           "weigh each branch's features by a per-sample softmax over learned scores, then join"));
    classes_spin_ = new QSpinBox(this);
    classes_spin_->setObjectName("designerClasses");
    classes_spin_->setRange(0, 100000);
    classes_spin_->setSpecialValueText(tr("from dataset"));
    bar->addWidget(new QLabel(tr("Preset:"), this));
    bar->addWidget(preset_combo_);
    bar->addWidget(load_preset);
    bar->addSpacing(12);
    bar->addWidget(open);
    bar->addWidget(save);
    bar->addSpacing(12);
    undo_stack_ = new QUndoStack(this);
    undo_action_ = undo_stack_->createUndoAction(this, tr("Undo"));
    undo_action_->setObjectName("designerUndoAction");
    undo_action_->setShortcut(QKeySequence::Undo);
    redo_action_ = undo_stack_->createRedoAction(this, tr("Redo"));
    redo_action_->setObjectName("designerRedoAction");
    redo_action_->setShortcut(QKeySequence("Ctrl+Shift+Z"));
    for (QAction* action : {undo_action_, redo_action_}) {
        // The pane's own shortcut: Ctrl+Z in another pane leaves the design alone.
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
        // A short fixed label; the step it undoes or redoes ("Undo add fc") is the tooltip.
        auto* button = new QPushButton(action == undo_action_ ? tr("Undo") : tr("Redo"), this);
        button->setObjectName(action == undo_action_ ? "designerUndo" : "designerRedo");
        const auto sync = [button, action] {
            button->setEnabled(action->isEnabled());
            button->setToolTip(action->text() + " (" + action->shortcut().toString(QKeySequence::NativeText) + ")");
        };
        sync();
        connect(action, &QAction::changed, button, sync);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        bar->addWidget(button);
    }
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("Fusion:"), this));
    bar->addWidget(fusion_combo_);
    bar->addWidget(new QLabel(tr("Classes:"), this));
    bar->addWidget(classes_spin_);
    bar->addStretch(1);
    contentLayout()->addLayout(bar);
    inputs_label_ = new QLabel(this);
    inputs_label_->setObjectName("designerInputs");
    inputs_label_->setWordWrap(true);
    contentLayout()->addWidget(inputs_label_);

    // ---- columns (scrollable) + editor ------------------------------------------
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    columns_host_ = new QWidget(scroll);
    columns_layout_ = new QHBoxLayout(columns_host_);
    scroll->setWidget(columns_host_);

    editor_ = new LayerEditor(split);
    split->addWidget(scroll);
    split->addWidget(editor_);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 0);
    split->setSizes({1200, 300});
    contentLayout()->addWidget(split, 1);

    totals_label_ = new QLabel(this);
    totals_label_->setObjectName("designerTotals");
    totals_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = totals_label_->font();
    bold.setBold(true);
    totals_label_->setFont(bold);
    contentLayout()->addWidget(totals_label_);
    target_fit_ = new TargetFitView(workbench, this);
    target_fit_->setObjectName("designerTargetFit");
    contentLayout()->addWidget(target_fit_);

    // ---- actions and connections --------------------------------------------------
    load_action_ = new QAction(tr("Open network spec…"), this);
    load_action_->setObjectName("openSpecAction");
    load_action_->setShortcut(QKeySequence("Ctrl+Shift+O"));
    save_action_ = new QAction(tr("Save network spec…"), this);
    save_action_->setObjectName("saveSpecAction");
    save_action_->setShortcut(QKeySequence("Ctrl+Shift+S"));
    connect(load_action_, &QAction::triggered, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open network spec"), QString(), tr("JSON (*.json)"));
        if (!path.isEmpty()) loadSpec(path);
    });
    connect(save_action_, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save network spec"), QString::fromStdString(spec_.name) + ".json", tr("JSON (*.json)"));
        if (!path.isEmpty()) saveSpec(path);
    });
    connect(open, &QPushButton::clicked, load_action_, &QAction::trigger);
    connect(save, &QPushButton::clicked, save_action_, &QAction::trigger);
    connect(load_preset, &QPushButton::clicked, this, [this] { loadPreset(preset_combo_->currentText()); });
    connect(fusion_combo_, &QComboBox::currentTextChanged, this, [this](const QString& text) {
        if (!rebuilding_) setFusion(text);
    });
    connect(classes_spin_, &QSpinBox::valueChanged, this, [this](int value) {
        if (!rebuilding_) setClassCount(value);
    });
    connect(editor_, &LayerEditor::edited, this, [this](const LayerSpec& layer) {
        if (rebuilding_) return;
        const auto* list = layers(selected_branch_);
        if (list && selected_index_ >= 0 && selected_index_ < static_cast<int>(list->size()))
            editLayer(selected_branch_, selected_index_, layer);
    });
    connect(&runner(), &TaskRunner::finished, this, [this] {
        if (dataset_pending_)
            QMetaObject::invokeMethod(this, &DesignerPane::onWorkbenchDataset, Qt::QueuedConnection);
    });
    connect(&workbench, &Workbench::datasetChanged, this, &DesignerPane::onWorkbenchDataset);
    connect(&workbench, &Workbench::specChanged, this, &DesignerPane::onWorkbenchSpec);

    if (!workbench.spec().branches.empty()) {
        spec_ = workbench.spec();
        recompute();
        rebuildColumns();
    } else {
        loadPreset(preset_combo_->currentText());
    }
    if (workbench.hasDataset()) onWorkbenchDataset();
    undo_stack_->clear();  // the opening design is where the history starts
    recorded_ = spec_;
}

QList<QAction*> DesignerPane::mainActions() const { return {load_action_, save_action_}; }

void DesignerPane::saveSettings(QSettings& settings) const {
    settings.setValue("preset", preset_combo_->currentText());
    settings.setValue("spec", QString::fromStdString(nlohmann::json(spec_).dump()));
}

void DesignerPane::restoreSettings(QSettings& settings) {
    const int preset = preset_combo_->findText(settings.value("preset").toString());
    if (preset >= 0) preset_combo_->setCurrentIndex(preset);
    const QString text = settings.value("spec").toString();
    if (text.isEmpty()) return;
    try {
        setSpec(nlohmann::json::parse(text.toStdString()).get<model::ModelSpec>());
        undo_stack_->clear();  // the restored design is where this session's history starts
        recorded_ = spec_;
    } catch (const std::exception& e) {
        showError(tr("Saved network spec ignored: %1").arg(QString::fromStdString(e.what())));
    }
}

// ---- spec editing ------------------------------------------------------------------

std::vector<LayerSpec>* DesignerPane::layers(int branch) {
    if (branch >= 0 && branch < branchCount())
        return &spec_.branches[static_cast<std::size_t>(branch)].layers;
    if (branch == branchCount()) return &spec_.head;
    return nullptr;
}

const std::vector<LayerSpec>* DesignerPane::layers(int branch) const {
    return const_cast<DesignerPane*>(this)->layers(branch);
}

int DesignerPane::layerCount(int branch) const {
    const auto* list = layers(branch);
    return list ? static_cast<int>(list->size()) : 0;
}

void DesignerPane::loadPreset(const QString& name) {
    QString preset = name;
    if (preset == "image-audio") preset = "tinym2net-image-audio";
    if (preset == "audio-audio") preset = "tinym2net-cough-speech";
    try {
        model::ModelSpec spec = model::loadPreset(preset.toStdString());
        // With a dataset whose modalities fit this preset's kinds, its branches take the dataset's names.
        if (!dataset_modalities_.empty()) {
            try {
                const model::ModelSpec fitted = model::presetForModalities(dataset_modalities_);
                if (fitted.name == spec.name) spec = fitted;
            } catch (const Error&) {
            }
        }
        const int index = preset_combo_->findText(preset);
        if (index >= 0) preset_combo_->setCurrentIndex(index);
        setSpec(spec);
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
    }
}

bool DesignerPane::loadSpec(const QString& path) {
    try {
        setSpec(model::readModelSpec(path.toStdString()));
        banner()->showInfo(tr("Loaded %1").arg(path));
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return false;
    }
}

bool DesignerPane::saveSpec(const QString& path) {
    try {
        model::writeModelSpec(path.toStdString(), spec_);
        banner()->showInfo(tr("Saved %1").arg(path));
        return true;
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return false;
    }
}

void DesignerPane::setSpec(const model::ModelSpec& spec) {
    spec_ = spec;
    selected_branch_ = selected_index_ = -1;
    recompute();
    rebuildColumns();
    publish();
    recordChange(tr("load %1").arg(QString::fromStdString(spec_.name)));
}

void DesignerPane::restoreFromHistory(const model::ModelSpec& spec) {
    spec_ = spec;
    recorded_ = spec;
    selected_branch_ = selected_index_ = -1;
    recompute();
    rebuildColumns();
    publish();
}

void DesignerPane::recordChange(const QString& label, int merge_key) {
    if (nlohmann::json(spec_) == nlohmann::json(recorded_)) return;
    undo_stack_->push(new SpecChange(this, recorded_, spec_, label, merge_key));
    recorded_ = spec_;
}

void DesignerPane::publish() {
    publishing_ = true;
    workbench().setSpec(spec_);
    publishing_ = false;
}

void DesignerPane::specEdited(const QString& label, int merge_key) {
    recompute();
    refreshBlocks();
    publish();
    recordChange(label, merge_key);
}

void DesignerPane::addLayer(int branch, const QString& type, int position) {
    auto* list = layers(branch);
    if (!list) return;
    try {
        const LayerSpec layer = defaultLayer(layerTypeFromString(type));
        const int at = position < 0 || position > static_cast<int>(list->size())
                           ? static_cast<int>(list->size())
                           : position;
        list->insert(list->begin() + at, layer);
        selected_branch_ = branch;
        selected_index_ = at;
        specEdited(tr("add %1").arg(type));
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
    }
}

void DesignerPane::removeLayer(int branch, int index) {
    auto* list = layers(branch);
    if (!list || index < 0 || index >= static_cast<int>(list->size())) return;
    list->erase(list->begin() + index);
    if (selected_branch_ == branch)
        selected_index_ = list->empty() ? -1 : std::min(index, static_cast<int>(list->size()) - 1);
    specEdited(tr("remove a layer"));
}

void DesignerPane::moveLayer(int branch, int from, int to) {
    auto* list = layers(branch);
    if (!list) return;
    const int n = static_cast<int>(list->size());
    if (from < 0 || from >= n || to < 0 || to >= n || from == to) {
        refreshBlocks();  // a drop that changes nothing: redraw the spec's order
        return;
    }
    const LayerSpec layer = (*list)[static_cast<std::size_t>(from)];
    list->erase(list->begin() + from);
    list->insert(list->begin() + to, layer);
    selected_branch_ = branch;
    selected_index_ = to;
    specEdited(tr("move a layer"));
}

void DesignerPane::editLayer(int branch, int index, const LayerSpec& layer) {
    auto* list = layers(branch);
    if (!list || index < 0 || index >= static_cast<int>(list->size())) return;
    (*list)[static_cast<std::size_t>(index)] = layer;
    specEdited(tr("edit %1").arg(QString::fromStdString(model::toString(layer.type))),
               branch * 100000 + index);
}

void DesignerPane::setFusion(const QString& type) {
    const int i = kFusions.indexOf(type);
    if (i < 0) {
        showError(tr("Unknown fusion '%1' (use concat, sum, late, gated, film or attention)").arg(type));
        return;
    }
    spec_.fusion.type = static_cast<model::FusionType>(i);
    recompute();
    rebuildColumns();
    publish();
    recordChange(tr("fusion %1").arg(type));
}

void DesignerPane::setClassCount(int classes) {
    spec_.num_classes = std::max(0, classes);
    recompute();
    rebuildColumns();
    publish();
    recordChange(tr("classes %1").arg(classes));
}

QString DesignerPane::blockError(int branch, int index) const {
    const std::string name = branch == branchCount() ? "head"
                             : branch >= 0 && branch < branchCount()
                                 ? spec_.branches[static_cast<std::size_t>(branch)].modality
                                 : std::string();
    // Modality names are unique in a valid spec (inferShapes rejects duplicates).
    for (const auto& r : summary_.rows)
        if (!name.empty() && r.branch == name && r.index == index) return QString::fromStdString(r.error);
    return {};
}

QString DesignerPane::totalsText() const {
    const auto& t = summary_.totals;
    return tr("Total: %1 parameters · %2 MACs · model %3 at FP32, %4 at INT8%5")
        .arg(QLocale().toString(static_cast<qlonglong>(t.params)),
             QLocale().toString(static_cast<qlonglong>(t.macs)), bytes(t.bytes_fp32), bytes(t.bytes_int8),
             summary_.valid ? QString() : tr("  (incomplete: the spec has an error)"));
}

// ---- computing and drawing ------------------------------------------------------------

void DesignerPane::recompute() {
    const workflow::DesignInputs inputs =
        inputs_from_dataset_ ? inputs_ : workflow::defaultDesignInputs(spec_);
    summary_ = workflow::summarizeSpec(workflow::bindDesignInputs(spec_, inputs));
    if (summary_.valid)
        banner()->clearMessage();
    else
        showError(QString::fromStdString(summary_.error));
    totals_label_->setText(totalsText());
    if (summary_.valid) {
        try {
            target_fit_->setFootprint(workflow::designFootprint(workflow::bindDesignInputs(spec_, inputs)));
        } catch (const std::exception& e) {
            target_fit_->clearFootprint(QString::fromUtf8(e.what()));
        }
    } else {
        target_fit_->clearFootprint(tr("the spec has an error"));
    }
    QStringList shapes;
    for (const auto& b : spec_.branches) {
        const auto it = inputs.shapes.find(b.modality);
        const std::vector<std::size_t> shape = !b.input.empty()            ? b.input
                                               : it != inputs.shapes.end() ? it->second
                                                                           : std::vector<std::size_t>{};
        shapes << QString("%1 %2").arg(QString::fromStdString(b.modality),
                                       QString::fromStdString(workflow::shapeText(shape)));
    }
    inputs_label_->setText(
        tr("Inputs (%1): %2; %3 classes")
            .arg(inputs_from_dataset_ ? tr("from the dataset") : tr("defaults, no dataset open"))
            .arg(shapes.join(", "))
            .arg(spec_.num_classes > 0 ? spec_.num_classes : inputs.classes));
}

void DesignerPane::rebuildColumns() {
    rebuilding_ = true;
    fusion_combo_->setCurrentIndex(static_cast<int>(spec_.fusion.type));
    classes_spin_->setValue(spec_.num_classes);
    for (QListWidget* list : lists_) {
        list->disconnect(this);
        list->model()->disconnect(this);
    }
    for (QGroupBox* box : column_boxes_) {  // out of the tree now (a button of it may be mid-signal)
        box->hide();
        box->setParent(nullptr);
        box->deleteLater();
    }
    column_boxes_.clear();
    lists_.clear();
    for (int b = 0; b <= branchCount(); ++b) {
        const bool head = b == branchCount();
        auto* box = new QGroupBox(columns_host_);
        box->setObjectName(head ? QString("designerHead") : QString("designerBranch%1").arg(b));
        auto* v = new QVBoxLayout(box);
        auto* list = new QListWidget(box);
        list->setObjectName(head ? QString("headBlocks") : QString("branchBlocks%1").arg(b));
        list->setDragDropMode(QAbstractItemView::InternalMove);
        list->setDefaultDropAction(Qt::MoveAction);
        list->setSelectionMode(QAbstractItemView::SingleSelection);
        list->setWordWrap(true);
        list->setSpacing(2);
        list->setItemDelegate(new BlockDelegate(list));
        list->setMinimumWidth(290);
        v->addWidget(list, 1);
        auto* footer = new QLabel(box);
        footer->setObjectName("footer");
        footer->setWordWrap(true);
        v->addWidget(footer);
        auto* buttons = new QHBoxLayout;
        auto* type = new QComboBox(box);
        type->setObjectName("blockTypeCombo");
        // After fusion the features are a vector: only these layers apply there.
        type->addItems(head ? QStringList{"fc", "dropout", "batchnorm"} : kLayerTypes);
        auto* add = new QPushButton(tr("Add"), box);
        add->setToolTip(tr("Insert a block of this type after the selected one"));
        auto* remove = new QPushButton(tr("Remove"), box);
        auto* up = new QPushButton(tr("▲"), box);
        up->setToolTip(tr("Move up"));
        auto* down = new QPushButton(tr("▼"), box);
        down->setToolTip(tr("Move down"));
        for (QPushButton* arrow : {up, down}) arrow->setMaximumWidth(36);
        buttons->addWidget(type);
        buttons->addWidget(add);
        buttons->addWidget(remove);
        buttons->addWidget(up);
        buttons->addWidget(down);
        v->addLayout(buttons);
        columns_layout_->addWidget(box, 1);
        column_boxes_ << box;
        lists_ << list;

        connect(add, &QPushButton::clicked, this, [this, b, list, type] {
            const int row = list->currentRow();
            addLayer(b, type->currentText(), row < 0 ? -1 : row + 1);
        });
        connect(remove, &QPushButton::clicked, this, [this, b, list] { removeLayer(b, list->currentRow()); });
        connect(up, &QPushButton::clicked, this, [this, b, list] {
            const int row = list->currentRow();
            if (row > 0) moveLayer(b, row, row - 1);
        });
        connect(down, &QPushButton::clicked, this, [this, b, list] {
            const int row = list->currentRow();
            if (row >= 0 && row + 1 < list->count()) moveLayer(b, row, row + 1);
        });
        connect(list, &QListWidget::currentRowChanged, this, [this, b](int row) {
            if (rebuilding_) return;
            selected_branch_ = b;
            selected_index_ = row;
            showEditor();
        });
        // Drag and drop: the list moved the item already; redo it on the spec once the drop finished.
        connect(list->model(), &QAbstractItemModel::rowsMoved, this,
                [this, b](const QModelIndex&, int start, int, const QModelIndex&, int row) {
                    if (rebuilding_) return;
                    const int to = row > start ? row - 1 : row;
                    QMetaObject::invokeMethod(
                        this, [this, b, start, to] { moveLayer(b, start, to); }, Qt::QueuedConnection);
                });
    }
    rebuilding_ = false;
    refreshBlocks();
}

void DesignerPane::refreshBlocks() {
    rebuilding_ = true;
    const workflow::DesignInputs inputs =
        inputs_from_dataset_ ? inputs_ : workflow::defaultDesignInputs(spec_);
    for (int b = 0; b < lists_.size(); ++b) {
        const bool head = b == branchCount();
        const std::string name = head ? "head" : spec_.branches[static_cast<std::size_t>(b)].modality;
        QListWidget* list = lists_[b];
        list->clear();
        QStringList footer;
        for (const auto& r : summary_.rows) {
            if (r.branch != name) continue;
            if (r.fusion_gate) {  // an fc of the fusion (gate, FiLM scale or shift), before the head
                footer << tr("→ %1: fc %2 · %3 params · %4 MACs")
                              .arg(QString::fromStdString(r.settings),
                                   QString::fromStdString(workflow::shapeText(r.out)),
                                   count(r.params + r.bias), count(r.macs));
                continue;
            }
            if (r.index < 0) {  // implicit classifier
                footer << tr("→ classifier fc %1 · %2 params · %3 MACs")
                              .arg(QString::fromStdString(workflow::shapeText(r.out)),
                                   count(r.params + r.bias), count(r.macs));
                continue;
            }
            auto* item = new QListWidgetItem(QString("%1 · %2").arg(r.index).arg(rowText(r)), list);
            item->setData(kBlockErrorRole, QString::fromStdString(r.error));
            item->setToolTip(r.error.empty() ? tr("in %1 → out %2 · %3 weights + %4 bias · INT8 %5")
                                                   .arg(QString::fromStdString(workflow::shapeText(r.in)),
                                                        QString::fromStdString(workflow::shapeText(r.out)))
                                                   .arg(r.params)
                                                   .arg(r.bias)
                                                   .arg(bytes(r.bytes_int8))
                                             : QString::fromStdString(r.error));
            if (!r.error.empty()) {
                item->setBackground(QColor("#fdecea"));
                item->setForeground(QColor("#8b0000"));
            }
        }
        QGroupBox* box = column_boxes_[b];
        if (head) {
            box->setTitle(tr("Fusion (%1) + head").arg(fusion_combo_->currentText()));
        } else {
            const auto& branch = spec_.branches[static_cast<std::size_t>(b)];
            const auto it = inputs.shapes.find(branch.modality);
            const std::vector<std::size_t> shape = !branch.input.empty()       ? branch.input
                                                   : it != inputs.shapes.end() ? it->second
                                                                               : std::vector<std::size_t>{};
            box->setTitle(tr("%1 — input %2")
                              .arg(QString::fromStdString(branch.modality),
                                   QString::fromStdString(workflow::shapeText(shape))));
        }
        box->findChild<QLabel*>("footer")->setText(footer.join("\n"));
        box->findChild<QLabel*>("footer")->setVisible(!footer.isEmpty());
    }
    if (selected_branch_ >= 0 && selected_branch_ < lists_.size() && selected_index_ >= 0 &&
        selected_index_ < lists_[selected_branch_]->count())
        lists_[selected_branch_]->setCurrentRow(selected_index_);
    rebuilding_ = false;
    showEditor();
}

void DesignerPane::showEditor() {
    const auto* list = layers(selected_branch_);
    if (!list || selected_index_ < 0 || selected_index_ >= static_cast<int>(list->size())) {
        editor_->clearLayer();
        return;
    }
    const QString where =
        selected_branch_ == branchCount()
            ? QString("head")
            : QString::fromStdString(spec_.branches[static_cast<std::size_t>(selected_branch_)].modality);
    editor_->showLayer((*list)[static_cast<std::size_t>(selected_index_)],
                       tr("%1, layer %2").arg(where).arg(selected_index_),
                       blockError(selected_branch_, selected_index_));
}

// ---- the workbench's dataset and spec ------------------------------------------------------

void DesignerPane::onWorkbenchDataset() {
    if (!workbench().hasDataset()) return;
    const workflow::DatasetOptions options = workbench().dataset();
    if (runner().isRunning()) {
        dataset_pending_ = true;
        return;
    }
    dataset_pending_ = false;
    // Reading the index (no decoding) gives the modality settings and classes.
    runner().run(
        tr("Reading dataset shapes"),
        [options](const TaskContext&) {
            std::vector<std::string> warnings;
            const data::DatasetIndex index = options.open(warnings);
            DatasetDesignFacts facts;
            facts.inputs =
                workflow::designInputsFromDataset(index.spec, static_cast<int>(index.classNames().size()));
            for (const auto& m : index.spec.modalities) facts.modalities.emplace_back(m.name, data::toString(m.kind));
            return facts;
        },
        [this](const DatasetDesignFacts& facts) { onDatasetInputs(facts); });
}

void DesignerPane::onDatasetInputs(const DatasetDesignFacts& facts) {
    inputs_ = facts.inputs;
    inputs_from_dataset_ = true;
    dataset_modalities_ = facts.modalities;
    // A design whose branches the dataset does not have: switch to the preset for its modalities.
    bool fits = !spec_.branches.empty();
    for (const auto& b : spec_.branches) fits = fits && inputs_.shapes.count(b.modality);
    if (!fits) {
        try {
            const model::ModelSpec preset = model::presetForModalities(dataset_modalities_);
            const int index = preset_combo_->findText(QString::fromStdString(preset.name));
            if (index >= 0) preset_combo_->setCurrentIndex(index);
            setSpec(preset);
            banner()->showInfo(tr("The design did not match the dataset's modalities; loaded preset %1 "
                                  "(Undo brings the previous design back).")
                                   .arg(QString::fromStdString(preset.name)));
            return;
        } catch (const Error&) {
        }
    }
    recompute();
    rebuildColumns();
}

void DesignerPane::onWorkbenchSpec() {
    if (publishing_) return;
    if (nlohmann::json(workbench().spec()) == nlohmann::json(spec_)) return;
    spec_ = workbench().spec();
    selected_branch_ = selected_index_ = -1;
    recompute();
    rebuildColumns();
    recordChange(tr("network from another pane"));
}

}  // namespace tm2::gui
