#include "widgets/train/augment_group.h"

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>

namespace tm2::gui {
namespace {

struct NoiseFields {
    explicit NoiseFields(AugmentGroup& box)
        : copies(box.findChild<QSpinBox*>("augmentNoiseCopies")),
          low(box.findChild<QDoubleSpinBox*>("augmentNoiseSnrLow")),
          high(box.findChild<QDoubleSpinBox*>("augmentNoiseSnrHigh")),
          color(box.findChild<QComboBox*>("augmentNoiseColor")),
          dir(box.findChild<QLineEdit*>("augmentNoiseDir")) {}
    bool found() const { return copies && low && high && color && dir; }

    QSpinBox* copies;
    QDoubleSpinBox* low;
    QDoubleSpinBox* high;
    QComboBox* color;
    QLineEdit* dir;
};

TEST(AugmentGroup, NoiseIsOffByDefaultAndItsFieldsWaitForACopyCount) {
    AugmentGroup box;
    NoiseFields noise(box);
    ASSERT_TRUE(noise.found());
    EXPECT_EQ(noise.copies->value(), 0);
    EXPECT_FALSE(noise.low->isEnabled());
    box.setChecked(true);
    EXPECT_EQ(box.augmentText(),
              "time-mask=2:0.1,freq-mask=2:0.15,shift=0.1,gain=6");  // the audio preset alone
    noise.copies->setValue(1);
    EXPECT_TRUE(noise.low->isEnabled());
    EXPECT_TRUE(noise.dir->isEnabled());
}

TEST(AugmentGroup, TheNoiseFieldsAddCoresNoiseItemsToTheText) {
    AugmentGroup box;
    NoiseFields noise(box);
    ASSERT_TRUE(noise.found());
    box.setAugmentText("time-mask=1:0.2");
    noise.copies->setValue(2);
    noise.low->setValue(5);
    noise.high->setValue(15);
    noise.color->setCurrentIndex(noise.color->findData("pink"));
    EXPECT_EQ(box.augmentText(), "time-mask=1:0.2,noise=5:15,noise-copies=2,noise-color=pink");
    EXPECT_TRUE(box.problem().isEmpty()) << box.problem().toStdString();

    // A colour with a noise folder is core's complaint, shown in the box.
    noise.dir->setText("/data/noise");
    Q_EMIT noise.dir->textEdited(noise.dir->text());
    EXPECT_TRUE(box.problem().contains("noise_color")) << box.problem().toStdString();

    // Noise alone, with the line emptied.
    noise.color->setCurrentIndex(0);
    noise.dir->clear();
    box.setAugmentText("noise=0:10");
    EXPECT_EQ(box.augmentText(), "noise=0:10");
    box.setChecked(false);
    EXPECT_EQ(box.augmentText(), "off");
}

TEST(AugmentGroup, TextWithNoiseItemsFillsTheFieldsAndTheLineKeepsTheRest) {
    AugmentGroup box;
    NoiseFields noise(box);
    ASSERT_TRUE(noise.found());
    // As a sweep's or a saved run's text arrives.
    box.setAugmentText("gain=3,noise=0:20,noise-copies=3,noise-dir=/n");
    EXPECT_TRUE(box.isChecked());
    EXPECT_TRUE(box.problem().isEmpty()) << box.problem().toStdString();
    EXPECT_EQ(noise.copies->value(), 3);
    EXPECT_EQ(noise.low->value(), 0.0);
    EXPECT_EQ(noise.high->value(), 20.0);
    EXPECT_EQ(noise.color->currentData().toString(), "any");
    EXPECT_EQ(noise.dir->text(), "/n");
    EXPECT_EQ(box.augmentText(), "gain=3,noise=0:20,noise-copies=3,noise-dir=/n");
    // Text without noise clears the fields.
    box.setAugmentText("gain=3");
    EXPECT_EQ(noise.copies->value(), 0);
    EXPECT_EQ(box.augmentText(), "gain=3");
}

TEST(AugmentGroup, TheNoiseFieldsAreSavedAndRestored) {
    QSettings settings("tm2-tests", "augment-group-noise");
    {
        AugmentGroup box;
        box.setAugmentText("hflip,noise=-5:5,noise-color=brown");
        box.save(settings);
    }
    AugmentGroup again;
    again.restore(settings);
    EXPECT_TRUE(again.isChecked());
    EXPECT_EQ(again.augmentText(), "hflip,noise=-5:5,noise-color=brown");
    settings.clear();
}

}  // namespace
}  // namespace tm2::gui
