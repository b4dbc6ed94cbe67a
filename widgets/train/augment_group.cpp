#include "widgets/train/augment_group.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSettings>

#include "core/base/error.h"
#include "core/train/augment_config.h"

namespace tm2::gui {

AugmentGroup::AugmentGroup(QWidget* parent) : QGroupBox(tr("Augmentation"), parent) {
    setObjectName("augmentGroup");
    setCheckable(true);
    setChecked(false);  // off by default, as the CLI
    setToolTip(tr("Seeded training-time augmentation, recorded with the run (docs/augmentation.md)"));
    auto* form = new QFormLayout(this);
    preset_ = new QComboBox(this);
    preset_->setObjectName("augmentPreset");
    // The data is the preset's `--augment` word; Custom keeps what is typed.
    preset_->addItem(tr("Audio: masks, shift, gain"), "audio");
    preset_->addItem(tr("Image: shift, rotate, zoom"), "image");
    preset_->addItem(tr("Audio and image"), "on");
    preset_->addItem(tr("Custom"), QString());
    text_ = new QLineEdit(this);
    text_->setObjectName("augmentText");
    text_->setPlaceholderText("time-mask=2:0.1,gain=6,hflip");
    text_->setToolTip(
        tr("The train --augment text: time-mask=N:F, freq-mask=N:F, shift=F, gain=DB, "
           "image-shift=F, rotate=DEG, scale=F, hflip, vflip (flips only where the classes allow)"));
    form->addRow(tr("Preset"), preset_);
    form->addRow(tr("Settings"), text_);
    applyPreset(0);
    connect(preset_, qOverload<int>(&QComboBox::activated), this, &AugmentGroup::applyPreset);
    connect(text_, &QLineEdit::textEdited, this, [this] {
        preset_->setCurrentIndex(preset_->count() - 1);  // edited by hand: Custom
        check();
    });
}

QString AugmentGroup::helpText() const {
    return tr(
        "The train --augment text: time-mask=N:F, freq-mask=N:F, shift=F, gain=DB, image-shift=F, "
        "rotate=DEG, "
        "scale=F, hflip, vflip (flips only where the classes allow)");
}

void AugmentGroup::applyPreset(int index) {
    const QString word = preset_->itemData(index).toString();
    if (word.isEmpty()) return;
    text_->setText(QString::fromStdString(train::toText(train::parseAugment(word.toStdString()))));
    check();
}

void AugmentGroup::check() {
    problem_.clear();
    try {
        train::parseAugment(text_->text().trimmed().toStdString());
    } catch (const Error& e) {
        problem_ = QString::fromStdString(e.what());
    }
    text_->setStyleSheet(problem_.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
    text_->setToolTip(problem_.isEmpty() ? helpText() : problem_);
}

QString AugmentGroup::augmentText() const {
    const QString text = text_->text().trimmed();
    return isChecked() && !text.isEmpty() ? text : QStringLiteral("off");
}

void AugmentGroup::setAugmentText(const QString& text) {
    const bool off = text.trimmed().isEmpty() || text.trimmed() == "off";
    setChecked(!off);
    if (!off) {
        text_->setText(text.trimmed());
        preset_->setCurrentIndex(preset_->count() - 1);
        check();
    }
}

void AugmentGroup::save(QSettings& settings) const {
    settings.setValue("augment_on", isChecked());
    settings.setValue("augment", text_->text());
}

void AugmentGroup::restore(QSettings& settings) {
    if (settings.contains("augment")) {
        text_->setText(settings.value("augment").toString());
        preset_->setCurrentIndex(preset_->count() - 1);
        check();
    }
    setChecked(settings.value("augment_on", false).toBool());
}

}  // namespace tm2::gui
