#pragma once
// The toolbar's target-device choice: the presets (Cortex-M4, Pi 4, this
// machine) and "Custom…", which asks for RAM, flash, throughput, per-op cost
// and latency budget. It sets Workbench::setTarget; the choice is saved with
// the window's settings.

#include <QWidget>

#include "core/device/target_device.h"

class QComboBox;
class QSettings;

namespace tm2::gui {

class Workbench;

class TargetPicker : public QWidget {
    Q_OBJECT
public:
    TargetPicker(Workbench& workbench, QWidget* parent = nullptr);

    // As accepting the custom dialog with these values (KiB, KiB, MMAC/s, µs, ms);
    // the reason when they are refused (the target is then unchanged), else empty.
    QString setCustom(double ram_kib, double flash_kib, double mmacs, double per_op_us, double budget_ms);
    // A preset by id ("cortex-m4", "pi4", "host").
    void choosePreset(const QString& id);
    QComboBox* combo() const { return combo_; }

    void saveSettings(QSettings& settings) const;
    void restoreSettings(QSettings& settings);

private:
    void activated(int index);
    void askCustom();
    void showCurrent();

    Workbench& workbench_;
    QComboBox* combo_;
    device::TargetDevice custom_;
    bool has_custom_ = false;
};

}  // namespace tm2::gui
