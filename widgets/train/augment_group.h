#pragma once
// The Train pane's "Augmentation" box: off unless checked; a preset menu
// fills the settings line with the `--augment` text (audio, image, both),
// which the user may edit (flips only by hand: mirror-symmetric classes only).
// Core (train::parseAugment) checks the text; a bad one is shown in red with
// core's message and training refuses it with the same message.

#include <QGroupBox>
#include <QString>

class QComboBox;
class QLineEdit;
class QSettings;

namespace tm2::gui {

class AugmentGroup : public QGroupBox {
    Q_OBJECT
public:
    explicit AugmentGroup(QWidget* parent = nullptr);

    // The `--augment` text to train with: "off" when the box is unchecked.
    QString augmentText() const;
    void setAugmentText(const QString& text);  // "off" unchecks the box
    // Core's complaint about the current text, or empty when it is valid.
    QString problem() const { return problem_; }

    void save(QSettings& settings) const;
    void restore(QSettings& settings);

private:
    void applyPreset(int index);
    void check();
    QString helpText() const;

    QComboBox* preset_;
    QLineEdit* text_;
    QString problem_;
};

}  // namespace tm2::gui
