#include "widgets/common/target_picker.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QSettings>

#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

QDoubleSpinBox* spin(QWidget* parent, double max, double value, int decimals, const QString& suffix) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(0, max);
    s->setDecimals(decimals);
    s->setValue(value);
    s->setSuffix(suffix);
    return s;
}

}  // namespace

TargetPicker::TargetPicker(Workbench& workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    combo_ = new QComboBox(this);
    combo_->setObjectName("targetCombo");
    combo_->setToolTip(
        tr("The device the model is meant for: the Network, Quantize and Benchmark panes show RAM, "
           "flash and latency against it, red when over"));
    for (const auto& t : device::presetTargets())
        combo_->addItem(tr("target: %1").arg(QString::fromStdString(t.name)), QString::fromStdString(t.id));
    combo_->addItem(tr("target: Custom…"), QStringLiteral("custom"));
    layout->addWidget(combo_);
    connect(combo_, qOverload<int>(&QComboBox::activated), this, &TargetPicker::activated);
    showCurrent();
}

void TargetPicker::activated(int index) {
    const QString id = combo_->itemData(index).toString();
    if (id == "custom")
        askCustom();
    else
        choosePreset(id);
}

void TargetPicker::choosePreset(const QString& id) {
    try {
        workbench_.setTarget(device::presetTarget(id.toStdString()));
    } catch (const std::exception&) {
        // A saved id from another version: keep the current target.
    }
    showCurrent();
}

QString TargetPicker::setCustom(double ram_kib, double flash_kib, double mmacs, double per_op_us,
                                double budget_ms) {
    try {
        custom_ = device::customTarget(static_cast<std::int64_t>(ram_kib * 1024),
                                       static_cast<std::int64_t>(flash_kib * 1024), mmacs * 1e6, per_op_us,
                                       budget_ms * 1e3);
    } catch (const std::exception& e) {
        showCurrent();
        return QString::fromUtf8(e.what());
    }
    custom_.name = tr("Custom (%1 KiB RAM, %2 KiB flash, %3 MMAC/s)")
                       .arg(ram_kib, 0, 'f', 0)
                       .arg(flash_kib, 0, 'f', 0)
                       .arg(mmacs, 0, 'g', 4)
                       .toStdString();
    has_custom_ = true;
    workbench_.setTarget(custom_);
    showCurrent();
    return {};
}

void TargetPicker::askCustom() {
    const device::TargetDevice start = has_custom_ ? custom_ : workbench_.target();
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Custom target device"));
    auto* form = new QFormLayout(&dialog);
    auto* ram =
        spin(&dialog, 16 * 1024 * 1024, start.ram_bytes > 0 ? start.ram_bytes / 1024.0 : 256, 0, tr(" KiB"));
    auto* flash = spin(&dialog, 64 * 1024 * 1024, start.flash_bytes > 0 ? start.flash_bytes / 1024.0 : 1024,
                       0, tr(" KiB"));
    auto* mmacs = spin(&dialog, 1e6, start.throughput.macs_per_second / 1e6, 1, tr(" MMAC/s"));
    auto* per_op = spin(&dialog, 1e6, start.throughput.per_op_overhead_us, 1, tr(" µs per op"));
    auto* budget = spin(&dialog, 1e6, start.latency_budget_us / 1e3, 1, tr(" ms"));
    form->addRow(tr("RAM"), ram);
    form->addRow(tr("Flash"), flash);
    form->addRow(tr("Throughput (int8 MACs)"), mmacs);
    form->addRow(tr("Fixed cost per op"), per_op);
    form->addRow(tr("Latency budget per inference"), budget);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() != QDialog::Accepted) return showCurrent();
    const QString error =
        setCustom(ram->value(), flash->value(), mmacs->value(), per_op->value(), budget->value());
    if (!error.isEmpty()) QMessageBox::warning(this, tr("Custom target"), error);
}

void TargetPicker::showCurrent() {
    const QSignalBlocker block(combo_);
    const int index = combo_->findData(QString::fromStdString(workbench_.target().id));
    combo_->setCurrentIndex(std::max(0, index));
    if (workbench_.target().id == "custom")
        combo_->setItemText(index, tr("target: %1").arg(QString::fromStdString(workbench_.target().name)));
}

void TargetPicker::saveSettings(QSettings& settings) const {
    settings.setValue("target/id", QString::fromStdString(workbench_.target().id));
    if (!has_custom_) return;
    settings.setValue("target/custom/ram_kib", custom_.ram_bytes / 1024.0);
    settings.setValue("target/custom/flash_kib", custom_.flash_bytes / 1024.0);
    settings.setValue("target/custom/mmacs", custom_.throughput.macs_per_second / 1e6);
    settings.setValue("target/custom/per_op_us", custom_.throughput.per_op_overhead_us);
    settings.setValue("target/custom/budget_ms", custom_.latency_budget_us / 1e3);
}

void TargetPicker::restoreSettings(QSettings& settings) {
    const QString id = settings.value("target/id").toString();
    if (id == "custom" && settings.contains("target/custom/ram_kib")) {
        const auto v = [&](const char* key) {
            return settings.value(QString("target/custom/") + key).toDouble();
        };
        // Saved values that no longer pass keep the current target.
        setCustom(v("ram_kib"), v("flash_kib"), v("mmacs"), v("per_op_us"), v("budget_ms"));
    } else if (!id.isEmpty()) {
        choosePreset(id);
    }
}

}  // namespace tm2::gui
