#include "widgets/train/augment_group.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <algorithm>

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
    buildNoiseRows(form);
    applyPreset(0);
    connect(preset_, qOverload<int>(&QComboBox::activated), this, &AugmentGroup::applyPreset);
    connect(text_, &QLineEdit::textEdited, this, [this] {
        preset_->setCurrentIndex(preset_->count() - 1);  // edited by hand: Custom
        check();
    });
}

void AugmentGroup::buildNoiseRows(QFormLayout* form) {
    noise_copies_ = new QSpinBox(this);
    noise_copies_->setObjectName("augmentNoiseCopies");
    noise_copies_->setRange(0, 16);
    noise_copies_->setSpecialValueText(tr("off"));
    noise_copies_->setToolTip(
        tr("Noisy copies of each training recording, mixed into the waveform before the MFCC "
           "(validation and test stay clean)"));
    snr_low_ = new QDoubleSpinBox(this);
    snr_low_->setObjectName("augmentNoiseSnrLow");
    snr_high_ = new QDoubleSpinBox(this);
    snr_high_->setObjectName("augmentNoiseSnrHigh");
    for (auto* box : {snr_low_, snr_high_}) {
        box->setRange(-30, 80);
        box->setDecimals(1);
        box->setSuffix(tr(" dB"));
    }
    const train::AugmentConfig defaults;
    snr_low_->setValue(defaults.noise_snr_low_db);
    snr_high_->setValue(defaults.noise_snr_high_db);
    auto* snr = new QHBoxLayout();
    snr->addWidget(snr_low_);
    snr->addWidget(snr_high_);
    noise_color_ = new QComboBox(this);
    noise_color_->setObjectName("augmentNoiseColor");
    noise_color_->addItem(tr("Any (drawn per copy)"), "any");
    noise_color_->addItem(tr("White"), "white");
    noise_color_->addItem(tr("Pink"), "pink");
    noise_color_->addItem(tr("Brown"), "brown");
    noise_dir_ = new QLineEdit(this);
    noise_dir_->setObjectName("augmentNoiseDir");
    noise_dir_->setPlaceholderText(tr("generated noise"));
    noise_dir_->setToolTip(
        tr("A folder of .wav/.flac/.ogg noise recordings to mix in instead of generated noise"));
    auto* browse = new QToolButton(this);
    browse->setText("…");
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Noise folder"), noise_dir_->text());
        if (dir.isEmpty()) return;
        noise_dir_->setText(dir);
        check();
    });
    auto* dir = new QHBoxLayout();
    dir->addWidget(noise_dir_);
    dir->addWidget(browse);
    form->addRow(tr("Noise copies"), noise_copies_);
    form->addRow(tr("SNR range"), snr);
    form->addRow(tr("Noise colour"), noise_color_);
    form->addRow(tr("Noise folder"), dir);

    auto follow = [this] {
        const bool on = noise_copies_->value() > 0;
        for (QWidget* w : {static_cast<QWidget*>(snr_low_), static_cast<QWidget*>(snr_high_),
                           static_cast<QWidget*>(noise_color_), static_cast<QWidget*>(noise_dir_)})
            w->setEnabled(on);
        check();
    };
    connect(noise_copies_, qOverload<int>(&QSpinBox::valueChanged), this, follow);
    connect(snr_low_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this] { check(); });
    connect(snr_high_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this] { check(); });
    connect(noise_color_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { check(); });
    connect(noise_dir_, &QLineEdit::textEdited, this, [this] { check(); });
    follow();
}

QString AugmentGroup::noiseText() const {
    if (noise_copies_->value() == 0) return {};
    train::AugmentConfig noise;  // only the noise fields: core writes them as its items
    noise.noise_copies = noise_copies_->value();
    noise.noise_snr_low_db = snr_low_->value();
    noise.noise_snr_high_db = snr_high_->value();
    noise.noise_color = noise_color_->currentData().toString().toStdString();
    noise.noise_dir = noise_dir_->text().trimmed().toStdString();
    return QString::fromStdString(train::toText(noise));
}

QString AugmentGroup::helpText() const {
    return tr(
        "The train --augment text: time-mask=N:F, freq-mask=N:F, shift=F, gain=DB, image-shift=F, "
        "rotate=DEG, "
        "scale=F, hflip, vflip (flips only where the classes allow); noise mixing from the fields below");
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
        train::parseAugment(augmentTextWhenOn().toStdString());
    } catch (const Error& e) {
        problem_ = QString::fromStdString(e.what());
    }
    text_->setStyleSheet(problem_.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
    text_->setToolTip(problem_.isEmpty() ? helpText() : problem_);
}

QString AugmentGroup::augmentTextWhenOn() const {
    const QString text = text_->text().trimmed();
    const QString noise = noiseText();
    if (noise.isEmpty()) return text;
    return text.isEmpty() || text == "off" ? noise : text + "," + noise;
}

QString AugmentGroup::augmentText() const {
    const QString text = augmentTextWhenOn();
    return isChecked() && !text.isEmpty() ? text : QStringLiteral("off");
}

void AugmentGroup::setAugmentText(const QString& text) {
    const bool off = text.trimmed().isEmpty() || text.trimmed() == "off";
    setChecked(!off);
    if (off) return;
    QString rest = text.trimmed();
    train::AugmentConfig noise;
    try {
        const train::AugmentConfig c = train::parseAugment(rest.toStdString());
        if (c.noiseEnabled()) {
            // The noise items go to their fields; the line keeps the per-batch part.
            noise = c;
            train::AugmentConfig batch = c;
            batch.noise_copies = 0;
            batch.noise_color = "any";
            batch.noise_dir.clear();
            rest = batch.batchEnabled() ? QString::fromStdString(train::toText(batch)) : QString();
        }
    } catch (const Error&) {
        // Kept as typed: check() shows core's message.
    }
    text_->setText(rest);
    snr_low_->setValue(noise.noise_snr_low_db);
    snr_high_->setValue(noise.noise_snr_high_db);
    noise_color_->setCurrentIndex(
        std::max(0, noise_color_->findData(QString::fromStdString(noise.noise_color))));
    noise_dir_->setText(QString::fromStdString(noise.noise_dir));
    noise_copies_->setValue(noise.noise_copies);
    preset_->setCurrentIndex(preset_->count() - 1);
    check();
}

void AugmentGroup::save(QSettings& settings) const {
    settings.setValue("augment_on", isChecked());
    settings.setValue("augment", text_->text());
    settings.setValue("augment_noise", noiseText());
}

void AugmentGroup::restore(QSettings& settings) {
    if (settings.contains("augment")) {
        const QString noise = settings.value("augment_noise").toString();
        const QString text = settings.value("augment").toString();
        setAugmentText(noise.isEmpty() ? text : text.trimmed().isEmpty() ? noise : text + "," + noise);
        if (noise.isEmpty()) text_->setText(text);  // kept exactly as typed
        check();
    }
    setChecked(settings.value("augment_on", false).toBool());
}

}  // namespace tm2::gui
