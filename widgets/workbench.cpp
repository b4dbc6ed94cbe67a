#include "widgets/workbench.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include "core/workflow/training_session.h"

namespace tm2::gui {

Workbench::Workbench(QObject* parent)
    : QObject(parent), workspace_(QString::fromStdString(workflow::defaultWorkspace())) {
    dataset_.threads = threads_;
}

void Workbench::setWorkspace(const QString& dir) {
    if (dir == workspace_) return;
    workspace_ = dir;
    Q_EMIT workspaceChanged(dir);
}

QString Workbench::newRunFolder(const QString& kind) const {
    const QString base = QDir(workspace_).filePath(
        "runs/" + kind + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-hhmmss"));
    QString dir = base;
    for (int n = 2; QFileInfo::exists(dir); ++n) dir = base + "-" + QString::number(n);
    return dir;
}

void Workbench::setDataset(const workflow::DatasetOptions& options) {
    dataset_ = options;
    Q_EMIT datasetChanged();
}

void Workbench::setTarget(const device::TargetDevice& target) {
    target_ = target;
    Q_EMIT targetChanged();
}

void Workbench::setSpec(const model::ModelSpec& spec) {
    spec_ = spec;
    Q_EMIT specChanged();
}

void Workbench::setRunDir(const QString& dir) {
    run_dir_ = dir;
    Q_EMIT runChanged(dir);
}

void Workbench::setPlan(const QString& mode, const QString& path) {
    plans_[mode] = path;
    Q_EMIT planChanged(mode, path);
}

void Workbench::setModelPath(const QString& path) {
    model_path_ = path;
    Q_EMIT modelChanged(path);
}

}  // namespace tm2::gui
