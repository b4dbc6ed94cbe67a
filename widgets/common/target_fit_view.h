#pragma once
// RAM, flash and latency of one model against the workbench's target device,
// as three bars that turn red when over, with how each figure was obtained in
// the tooltip. The pane gives the model's footprint; the view follows the
// target (Workbench::targetChanged) and asks device::fitOnTarget.

#include <QWidget>
#include <functional>
#include <optional>

#include "core/device/target_device.h"

class QLabel;
class QProgressBar;

namespace tm2::gui {

class Workbench;

class TargetFitView : public QWidget {
    Q_OBJECT
public:
    TargetFitView(Workbench& workbench, QWidget* parent = nullptr);

    void setFootprint(const device::ModelFootprint& footprint);
    // Footprints that depend on the target (an exported model's arena differs by
    // kernel path; a measurement belongs to one device): asked again on every change.
    using FootprintSource = std::function<device::ModelFootprint(const device::TargetDevice&)>;
    void setFootprintSource(FootprintSource source);
    // No model figures yet: the bars empty, `why` in their place.
    void clearFootprint(const QString& why);

    // What is shown, for tests: empty before a footprint.
    const std::optional<device::TargetFit>& fit() const { return fit_; }
    QString text() const;  // the three lines, as the user reads them

private:
    void refresh();

    Workbench& workbench_;
    FootprintSource source_;
    std::optional<device::TargetFit> fit_;
    QLabel* title_;
    QLabel* labels_[3];
    QProgressBar* bars_[3];
};

}  // namespace tm2::gui
