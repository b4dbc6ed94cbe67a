#include "widgets/common/target_fit_view.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <algorithm>

#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

QString bytesText(double bytes) {
    if (bytes >= 1024.0 * 1024 * 1024)
        return QObject::tr("%1 GiB").arg(bytes / (1024.0 * 1024 * 1024), 0, 'f', 1);
    if (bytes >= 1024.0 * 1024) return QObject::tr("%1 MiB").arg(bytes / (1024.0 * 1024), 0, 'f', 2);
    return QObject::tr("%1 KiB").arg(bytes / 1024, 0, 'f', 1);
}

QString microsText(double us) {
    if (us >= 1e6) return QObject::tr("%1 s").arg(us / 1e6, 0, 'f', 2);
    if (us >= 1e3) return QObject::tr("%1 ms").arg(us / 1e3, 0, 'f', 1);
    return QObject::tr("%1 µs").arg(us, 0, 'f', 1);
}

const char* kOverStyle = "QProgressBar::chunk { background: #c62828; }";
const char* kFitStyle = "QProgressBar::chunk { background: #2e7d32; }";

}  // namespace

TargetFitView::TargetFitView(Workbench& workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    title_ = new QLabel(this);
    title_->setObjectName("targetTitle");
    title_->setWordWrap(true);
    grid->addWidget(title_, 0, 0, 1, 2);
    const char* names[3] = {"targetRam", "targetFlash", "targetLatency"};
    for (int i = 0; i < 3; ++i) {
        labels_[i] = new QLabel(this);
        labels_[i]->setObjectName(QString(names[i]) + "Label");
        bars_[i] = new QProgressBar(this);
        bars_[i]->setObjectName(QString(names[i]) + "Bar");
        bars_[i]->setRange(0, 100);
        bars_[i]->setTextVisible(false);
        bars_[i]->setMaximumHeight(10);
        bars_[i]->setMinimumWidth(80);
        grid->addWidget(labels_[i], i + 1, 0);
        grid->addWidget(bars_[i], i + 1, 1);
    }
    grid->setColumnStretch(0, 3);
    grid->setColumnStretch(1, 1);
    connect(&workbench_, &Workbench::targetChanged, this, &TargetFitView::refresh);
    clearFootprint(tr("no model yet"));
}

void TargetFitView::setFootprint(const device::ModelFootprint& footprint) {
    setFootprintSource([footprint](const device::TargetDevice&) { return footprint; });
}

void TargetFitView::setFootprintSource(FootprintSource source) {
    source_ = std::move(source);
    refresh();
}

void TargetFitView::clearFootprint(const QString& why) {
    source_ = nullptr;
    refresh();
    for (int i = 0; i < 3; ++i) labels_[i]->setText(i == 0 ? why : QString());
}

QString TargetFitView::text() const {
    QStringList lines{title_->text()};
    for (const QLabel* l : labels_)
        if (!l->text().isEmpty()) lines << l->text();
    return lines.join('\n');
}

void TargetFitView::refresh() {
    const device::TargetDevice& target = workbench_.target();
    fit_.reset();
    if (source_) {
        try {
            fit_ = device::fitOnTarget(source_(target), target);
        } catch (
            const std::exception& e) {  // a model that no longer reads, a throughput the estimate refuses
            title_->setText(tr("<b>Target</b> %1: %2").arg(QString::fromStdString(target.name), e.what()));
        }
    }
    if (!fit_) {
        if (!source_) title_->setText(tr("<b>Target</b> %1").arg(QString::fromStdString(target.name)));
        for (auto* bar : bars_) bar->setValue(0), bar->setStyleSheet(kFitStyle), bar->setToolTip({});
        return;
    }
    title_->setText(
        tr("<b>Target</b> %1: %2")
            .arg(QString::fromStdString(target.name),
                 fit_->fits() ? tr("fits") : tr("<span style='color:#c62828'><b>does not fit</b></span>")));
    const device::FitLine* lines[3] = {&fit_->ram, &fit_->flash, &fit_->latency};
    for (int i = 0; i < 3; ++i) {
        const device::FitLine& l = *lines[i];
        const bool latency = i == 2;
        const QString used = latency ? microsText(l.used) : bytesText(l.used);
        const QString what = i == 0                              ? tr("RAM")
                             : i == 1                            ? tr("Flash")
                             : latency && fit_->latency_measured ? tr("Latency (measured)")
                                                                 : tr("Latency (estimate)");
        QString text = l.hasLimit() ? tr("%1 %2 of %3 (%4 %)")
                                          .arg(what, used, latency ? microsText(l.limit) : bytesText(l.limit))
                                          .arg(100.0 * l.used / l.limit, 0, 'f', 0)
                                    : tr("%1 %2 (no limit)").arg(what, used);
        if (l.over) text = "<span style='color:#c62828'><b>" + text + tr(" — over") + "</b></span>";
        labels_[i]->setText(text);
        labels_[i]->setToolTip(QString::fromStdString(l.basis));
        bars_[i]->setToolTip(QString::fromStdString(l.basis));
        bars_[i]->setValue(l.hasLimit() ? static_cast<int>(std::clamp(100.0 * l.used / l.limit, 0.0, 100.0))
                                        : 0);
        bars_[i]->setStyleSheet(l.over ? kOverStyle : kFitStyle);
    }
}

}  // namespace tm2::gui
