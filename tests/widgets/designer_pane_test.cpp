#include "widgets/designer/designer_pane.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QComboBox>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QListWidget>
#include <QSignalSpy>
#include <QSpinBox>
#include <nlohmann/json.hpp>

#include "tests/support/temp_dir.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_runner.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

int markedBlocks(const DesignerPane& pane) {
    int marked = 0;
    for (int b = 0; b <= pane.branchCount(); ++b)
        for (int i = 0; i < pane.layerCount(b); ++i) marked += !pane.blockError(b, i).isEmpty();
    return marked;
}

TEST(DesignerPane, PresetLoadsWithItsLayersAndPublishesTheSpec) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-cough-speech");
    ASSERT_EQ(pane.branchCount(), 2);
    EXPECT_EQ(pane.spec().branches[0].modality, "cough");
    EXPECT_EQ(pane.layerCount(0), 11);
    EXPECT_EQ(pane.layerCount(1), 11);
    EXPECT_EQ(pane.layerCount(2), 2);  // head: fc + dropout
    EXPECT_TRUE(pane.summary().valid) << pane.specError().toStdString();
    EXPECT_EQ(markedBlocks(pane), 0);
    EXPECT_EQ(nlohmann::json(workbench.spec()), nlohmann::json(pane.spec()));
    auto* list = pane.findChild<QListWidget*>("branchBlocks0");
    ASSERT_NE(list, nullptr);
    EXPECT_EQ(list->count(), 11);
    EXPECT_TRUE(list->item(0)->text().contains("conv2d"));

    pane.loadPreset("image-audio");
    EXPECT_EQ(pane.spec().name, "tinym2net-image-audio");
    EXPECT_EQ(pane.spec().branches[0].modality, "image");
    // image 1×28×28: conv 16@3×3 pad 1 → 16×28×28, 3·3·1·16 = 144 weights, 144·784 MACs.
    EXPECT_EQ(pane.summary().rows[0].out, (std::vector<std::size_t>{16, 28, 28}));
    EXPECT_EQ(pane.summary().rows[0].macs, 144 * 784);
}

TEST(DesignerPane, AddingRemovingAndMovingLayersUpdatesTotals) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    const auto before = pane.summary().totals;
    QSignalSpy published(&workbench, &Workbench::specChanged);
    pane.addLayer(2, "fc");  // head: fc 32 → fc 32 (default 32 units)
    EXPECT_EQ(published.count(), 1);
    EXPECT_EQ(workbench.spec().head.size(), 3u);
    ASSERT_TRUE(pane.summary().valid) << pane.specError().toStdString();
    // A 32 → 32 fc: 32·32 = 1024 weights and MACs, 32 biases.
    EXPECT_EQ(pane.summary().totals.macs - before.macs, 1024);
    EXPECT_EQ(pane.summary().totals.params - before.params, 1024 + 32);
    EXPECT_TRUE(pane.findChild<QLabel*>("designerTotals")
                    ->text()
                    .contains(QLocale().toString(static_cast<qlonglong>(pane.summary().totals.macs))));

    pane.removeLayer(2, 2);
    EXPECT_EQ(pane.summary().totals.macs, before.macs);

    // conv, batchnorm, maxpool → conv, maxpool, batchnorm: same cost, new order.
    pane.moveLayer(0, 1, 2);
    EXPECT_EQ(pane.spec().branches[0].layers[1].type, model::LayerType::MaxPool2d);
    EXPECT_EQ(pane.spec().branches[0].layers[2].type, model::LayerType::BatchNorm);
    EXPECT_EQ(workbench.spec().branches[0].layers[1].type, model::LayerType::MaxPool2d);
    EXPECT_TRUE(pane.summary().valid);
    EXPECT_EQ(pane.summary().totals.macs, before.macs);
}

TEST(DesignerPane, DragAndDropInAColumnReordersTheSpec) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    auto* list = pane.findChild<QListWidget*>("headBlocks");
    ASSERT_NE(list, nullptr);
    ASSERT_EQ(list->count(), 2);
    // What an internal-move drop does to the list: fc (row 0) dropped below dropout.
    ASSERT_TRUE(list->model()->moveRows(QModelIndex(), 0, 1, QModelIndex(), 2));
    ASSERT_TRUE(
        testing::waitUntil([&] { return workbench.spec().head[0].type == model::LayerType::Dropout; }, 5000));
    EXPECT_EQ(pane.spec().head[1].type, model::LayerType::Fc);
    EXPECT_TRUE(pane.findChild<QListWidget*>("headBlocks")->item(0)->text().contains("dropout"));
}

TEST(DesignerPane, TheFormEditsTheSelectedBlock) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    pane.findChild<QListWidget*>("branchBlocks0")->setCurrentRow(0);
    auto* filters = pane.findChild<QSpinBox*>("editFilters");
    ASSERT_NE(filters, nullptr);
    EXPECT_EQ(filters->value(), 16);
    filters->setValue(8);
    EXPECT_EQ(pane.spec().branches[0].layers[0].out_channels, 8);
    EXPECT_EQ(workbench.spec().branches[0].layers[0].out_channels, 8);
    // conv 8@3×3 on 1×28×28: 72 weights; its output now 8×28×28.
    EXPECT_EQ(pane.summary().rows[0].params, 72);
    EXPECT_EQ(pane.summary().rows[0].out, (std::vector<std::size_t>{8, 28, 28}));
    pane.findChild<QSpinBox*>("editKernel")->setValue(31);  // larger than 28 + 2·1 padding
    EXPECT_FALSE(pane.blockError(0, 0).isEmpty());
    EXPECT_EQ(markedBlocks(pane), 1);
}

TEST(DesignerPane, ABadEditMarksExactlyThatBlock) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    model::LayerSpec pool = pane.spec().branches[0].layers[5];  // second maxpool: 16×14×14... input 32×14×14
    ASSERT_EQ(pool.type, model::LayerType::MaxPool2d);
    pool.kernel = 20;  // larger than its 14×14 input
    pane.editLayer(0, 5, pool);
    EXPECT_FALSE(pane.summary().valid);
    EXPECT_TRUE(pane.blockError(0, 5).contains("smaller than kernel 20×20"))
        << pane.blockError(0, 5).toStdString();
    EXPECT_EQ(markedBlocks(pane), 1);
    EXPECT_TRUE(pane.banner()->isError());
    EXPECT_TRUE(pane.banner()->text().contains("layer 5 (maxpool2d)"));
    auto* list = pane.findChild<QListWidget*>("branchBlocks0");
    EXPECT_TRUE(list->item(5)->text().contains("smaller than kernel"));
    EXPECT_FALSE(list->item(4)->text().contains("⚠"));
    pane.resize(1500, 900);
    list->setCurrentRow(5);
    testing::saveScreenshot(pane, "designer-error");

    pool.kernel = 2;
    pane.editLayer(0, 5, pool);
    EXPECT_TRUE(pane.summary().valid);
    EXPECT_EQ(markedBlocks(pane), 0);
    EXPECT_FALSE(pane.banner()->isError());
}

TEST(DesignerPane, SaveThenLoadRoundTrips) {
    testing::TempDir dir;
    const QString path = QString::fromStdString(dir.file("net.json"));
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    pane.addLayer(0, "dropout", 3);
    pane.setFusion("sum");
    pane.setClassCount(5);
    const nlohmann::json saved = pane.spec();
    ASSERT_TRUE(pane.saveSpec(path));
    pane.loadPreset("tinym2net-cough-speech");
    ASSERT_NE(nlohmann::json(pane.spec()), saved);
    ASSERT_TRUE(pane.loadSpec(path));
    EXPECT_EQ(nlohmann::json(pane.spec()), saved);
    EXPECT_EQ(nlohmann::json(workbench.spec()), saved);
    EXPECT_FALSE(pane.loadSpec(QString::fromStdString(dir.file("missing.json"))));
    EXPECT_TRUE(pane.banner()->isError());
}

TEST(DesignerPane, OffersGatedFilmAndAttentionFusions) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    auto* combo = pane.findChild<QComboBox*>("designerFusion");
    ASSERT_NE(combo, nullptr);
    EXPECT_GE(combo->findText("gated"), 0);
    EXPECT_GE(combo->findText("film"), 0);
    pane.setFusion("film");
    EXPECT_EQ(pane.spec().fusion.type, model::FusionType::Film);
    pane.setFusion("gated");
    EXPECT_EQ(pane.spec().fusion.type, model::FusionType::Gated);
    EXPECT_GE(combo->findText("attention"), 0);
    pane.setFusion("attention");
    EXPECT_EQ(pane.spec().fusion.type, model::FusionType::Attention);
    EXPECT_FALSE(pane.banner()->isError());
}

TEST(DesignerPane, TakesInputShapesAndClassesFromTheDataset) {
    const std::string demo = testing::tinyImageAudioDemo();
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.resize(1500, 900);
    pane.loadPreset("tinym2net-cough-speech");  // does not fit image + audio
    workflow::DatasetOptions options;
    options.path = demo;
    workbench.setDataset(options);
    ASSERT_TRUE(testing::waitUntil([&] { return !pane.runner().isRunning(); }, 60000));
    EXPECT_EQ(pane.spec().name, "tinym2net-image-audio");  // switched to the preset for its modalities
    EXPECT_TRUE(pane.summary().valid) << pane.specError().toStdString();
    EXPECT_TRUE(pane.findChild<QLabel*>("designerInputs")->text().contains("from the dataset"));
    const auto& rows = pane.summary().rows;
    EXPECT_EQ(rows.back().out, (std::vector<std::size_t>{10}));  // classifier: the demo's 10 classes
    pane.findChild<QListWidget*>("branchBlocks1")->setCurrentRow(3);
    testing::saveScreenshot(pane, "designer");
}

}  // namespace
}  // namespace tm2::gui

namespace tm2::gui {
namespace {

QAction* actionNamed(const DesignerPane& pane, const QString& name) { return pane.findChild<QAction*>(name); }

TEST(DesignerPaneUndo, UndoAndRedoStepThroughEditsBackToTheLoadedDesign) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    const nlohmann::json preset = pane.spec();
    QAction* undo = actionNamed(pane, "designerUndoAction");
    QAction* redo = actionNamed(pane, "designerRedoAction");
    ASSERT_NE(undo, nullptr);
    ASSERT_NE(redo, nullptr);
    EXPECT_EQ(undo->shortcut(), QKeySequence(QKeySequence::Undo));
    EXPECT_EQ(undo->shortcutContext(), Qt::WidgetWithChildrenShortcut);  // Ctrl+Z in the Network pane only
    EXPECT_TRUE(pane.actions().contains(undo));

    pane.addLayer(2, "fc");
    const nlohmann::json added = pane.spec();
    pane.setFusion("gated");
    pane.removeLayer(0, 0);
    EXPECT_TRUE(undo->isEnabled());
    EXPECT_FALSE(redo->isEnabled());

    undo->trigger();  // the removal
    EXPECT_EQ(pane.spec().branches[0].layers.size(), nlohmann::json(preset)["branches"][0]["layers"].size());
    EXPECT_EQ(pane.spec().fusion.type, model::FusionType::Gated);
    undo->trigger();  // the fusion
    EXPECT_EQ(nlohmann::json(pane.spec()), added);
    undo->trigger();  // the added layer
    EXPECT_EQ(nlohmann::json(pane.spec()), preset);
    EXPECT_EQ(nlohmann::json(workbench.spec()), preset);  // what the other panes use follows
    EXPECT_EQ(pane.layerCount(2), static_cast<int>(preset["head"].size()));  // and the blocks

    redo->trigger();
    EXPECT_EQ(nlohmann::json(pane.spec()), added);
    EXPECT_TRUE(redo->isEnabled());
    pane.setClassCount(7);  // a new edit drops the undone ones
    EXPECT_FALSE(redo->isEnabled());
}

TEST(DesignerPaneUndo, SuccessiveFormEditsOfOneLayerAreOneUndoStep) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    const nlohmann::json preset = pane.spec();
    model::LayerSpec layer = pane.spec().branches[0].layers[0];
    for (int channels : {17, 18, 19}) {  // what spinning the channel box does
        layer.out_channels = channels;
        pane.editLayer(0, 0, layer);
    }
    actionNamed(pane, "designerUndoAction")->trigger();
    EXPECT_EQ(nlohmann::json(pane.spec()), preset);
}

TEST(DesignerPaneUndo, ADesignReplacedByAPresetComesBackWithUndo) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    pane.addLayer(0, "fc", 3);
    const nlohmann::json edited = pane.spec();
    pane.loadPreset("tinym2net-cough-speech");
    EXPECT_EQ(pane.spec().branches[0].modality, "cough");
    actionNamed(pane, "designerUndoAction")->trigger();
    EXPECT_EQ(nlohmann::json(pane.spec()), edited);
}

TEST(DesignerPaneUndo, TheOpeningDesignIsNotAnUndoStep) {
    Workbench workbench;
    DesignerPane pane(workbench);
    EXPECT_FALSE(actionNamed(pane, "designerUndoAction")->isEnabled());
    auto* button = pane.findChild<QPushButton*>("designerUndo");
    ASSERT_NE(button, nullptr);
    EXPECT_FALSE(button->isEnabled());
    pane.setFusion("gated");
    EXPECT_TRUE(button->isEnabled());
    EXPECT_EQ(button->text(), "Undo");  // short; the step is in the tooltip
    EXPECT_TRUE(button->toolTip().contains("fusion gated")) << button->toolTip().toStdString();
    // Not among the window's toolbar actions: Ctrl+Z belongs to this pane.
    EXPECT_FALSE(pane.mainActions().contains(actionNamed(pane, "designerUndoAction")));
}

TEST(DesignerPane, TheHeadOffersOnlyLayersThatApplyAfterFusion) {
    Workbench workbench;
    DesignerPane pane(workbench);
    pane.loadPreset("tinym2net-image-audio");
    auto* head = pane.findChild<QGroupBox*>("designerHead");
    ASSERT_NE(head, nullptr);
    auto* type = head->findChild<QComboBox*>("blockTypeCombo");
    ASSERT_NE(type, nullptr);
    EXPECT_EQ(type->itemText(0), "fc");
    EXPECT_EQ(type->findText("conv2d"), -1);
    EXPECT_EQ(type->findText("maxpool2d"), -1);
}

}  // namespace
}  // namespace tm2::gui
