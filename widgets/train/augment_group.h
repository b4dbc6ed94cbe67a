#pragma once
// The Train pane's "Augmentation" box: off unless checked; a preset menu
// fills the settings line with the `--augment` text (audio, image, both),
// which the user may edit (flips only by hand: mirror-symmetric classes only).
// Below it, noise mixing (noisy copies of each training recording at extraction):
// copies, SNR range, colour or a noise folder, appended to the text as core's
// noise items. Core (train::parseAugment) checks the whole text; a bad one is
// shown in red with core's message and training refuses it with the same message.

#include <QGroupBox>
#include <QString>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace tm2::gui {

class AugmentGroup : public QGroupBox {
    Q_OBJECT
public:
    explicit AugmentGroup(QWidget* parent = nullptr);

    // The `--augment` text to train with: "off" when the box is unchecked.
    QString augmentText() const;
    void setAugmentText(const QString& text);  // "off" unchecks the box; noise items fill the noise fields
    // Core's complaint about the current text, or empty when it is valid.
    QString problem() const { return problem_; }

    void save(QSettings& settings) const;
    void restore(QSettings& settings);

private:
    void buildNoiseRows(QFormLayout* form);
    void applyPreset(int index);
    void check();
    QString helpText() const;
    QString noiseText() const;          // core's noise items for the noise fields; empty when no copies
    QString augmentTextWhenOn() const;  // the line and the noise items, whether or not the box is checked

    QComboBox* preset_;
    QLineEdit* text_;
    QSpinBox* noise_copies_;
    QDoubleSpinBox* snr_low_;
    QDoubleSpinBox* snr_high_;
    QComboBox* noise_color_;
    QLineEdit* noise_dir_;
    QString problem_;
};

}  // namespace tm2::gui
