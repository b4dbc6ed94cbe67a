// The target device chosen in the window: the designer's figures against it,
// red when over; the custom device; the choice kept across a restart.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QLabel>
#include <QSettings>

#include "tests/support/temp_dir.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/common/target_picker.h"
#include "widgets/designer/designer_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

TEST(TargetView, TheDesignersNetworkIsCheckedAgainstTheChosenDevice) {
    Workbench workbench;
    TargetPicker picker(workbench);
    DesignerPane pane(workbench);
    pane.loadPreset("image-audio");
    auto* view = pane.findChild<TargetFitView*>("designerTargetFit");
    ASSERT_NE(view, nullptr);
    ASSERT_TRUE(view->fit().has_value()) << view->text().toStdString();
    // The default target is the Cortex-M4: the paper's network at INT8 fits it.
    EXPECT_EQ(workbench.target().id, "cortex-m4");
    EXPECT_TRUE(view->fit()->fits()) << view->text().toStdString();
    EXPECT_TRUE(view->text().contains("Cortex-M4"));
    EXPECT_TRUE(view->text().contains("Latency (estimate)"));
    EXPECT_FALSE(view->text().contains("over"));

    // A custom device with 16 KiB of RAM: the same network is over, and says so in red.
    EXPECT_TRUE(picker.setCustom(16, 1024, 100, 5, 100).isEmpty());
    EXPECT_EQ(workbench.target().id, "custom");
    ASSERT_TRUE(view->fit().has_value());
    EXPECT_TRUE(view->fit()->ram.over);
    EXPECT_TRUE(view->text().contains("does not fit"));
    EXPECT_TRUE(view->findChild<QLabel*>("targetRamLabel")->text().contains("over"));
    EXPECT_TRUE(picker.combo()->currentText().contains("16 KiB RAM"))
        << picker.combo()->currentText().toStdString();

    // Values the device model refuses leave the target as it was and say why.
    EXPECT_FALSE(picker.setCustom(0, 1024, 100, 5, 100).isEmpty());
    EXPECT_EQ(workbench.target().ram_bytes, 16 * 1024);

    // A Raspberry Pi 4: the network fits again; its flash is not limited.
    picker.choosePreset("pi4");
    EXPECT_TRUE(view->fit()->fits());
    EXPECT_FALSE(view->fit()->flash.hasLimit());
    EXPECT_TRUE(picker.combo()->currentText().contains("Raspberry Pi 4"));

    // Editing the network updates the figures: a spec error clears them.
    model::ModelSpec broken = pane.spec();
    broken.branches[0].layers[0].kernel = 99;  // larger than the 28×28 image
    pane.setSpec(broken);
    EXPECT_FALSE(view->fit().has_value());
}

TEST(TargetView, TheChosenDeviceIsKeptAcrossARestart) {
    testing::TempDir dir;
    QSettings settings(QString::fromStdString(dir.file("settings.ini")), QSettings::IniFormat);
    {
        Workbench workbench;
        TargetPicker picker(workbench);
        ASSERT_TRUE(picker.setCustom(64, 512, 50, 10, 250).isEmpty());
        picker.saveSettings(settings);
    }
    Workbench workbench;
    TargetPicker picker(workbench);
    picker.restoreSettings(settings);
    EXPECT_EQ(workbench.target().id, "custom");
    EXPECT_EQ(workbench.target().ram_bytes, 64 * 1024);
    EXPECT_EQ(workbench.target().flash_bytes, 512 * 1024);
    EXPECT_DOUBLE_EQ(workbench.target().throughput.macs_per_second, 50e6);
    EXPECT_DOUBLE_EQ(workbench.target().latency_budget_us, 250e3);

    settings.setValue("target/id", "pi4");
    picker.restoreSettings(settings);
    EXPECT_EQ(workbench.target().id, "pi4");
    settings.setValue("target/id", "a-device-from-another-version");
    picker.restoreSettings(settings);
    EXPECT_EQ(workbench.target().id, "pi4");  // unknown ids keep the current target
}

}  // namespace
}  // namespace tm2::gui
