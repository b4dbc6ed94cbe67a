#pragma once
// What the panes share: the workspace (experiment store + run folders), the
// open dataset, the network spec being designed, the trained run, the
// quantization plans, the exported model. Plain state with change signals;
// the work itself is done by core/workflow, run by the panes on a TaskRunner.

#include <QObject>
#include <QString>
#include <map>
#include <memory>

#include "core/device/target_device.h"
#include "core/model/model_spec.h"
#include "core/workflow/dataset_options.h"
#include "widgets/common/exclusive_jobs.h"

namespace tm2::gui {

class Workbench : public QObject {
    Q_OBJECT
public:
    explicit Workbench(QObject* parent = nullptr);

    // Experiment store folder; run folders go to <workspace>/runs/.
    QString workspace() const { return workspace_; }
    void setWorkspace(const QString& dir);
    // A fresh, not yet existing folder <workspace>/runs/<kind>-<yyyyMMdd-hhmmss>[-n].
    QString newRunFolder(const QString& kind) const;

    // LibTorch / worker threads for every job (1 is fastest on a busy 2-core machine).
    int threads() const { return threads_; }
    void setThreads(int threads) { threads_ = threads; }

    const workflow::DatasetOptions& dataset() const { return dataset_; }
    bool hasDataset() const { return !dataset_.path.empty(); }
    void setDataset(const workflow::DatasetOptions& options);

    // The spec from the designer (bound to the dataset's shapes once trained).
    const model::ModelSpec& spec() const { return spec_; }
    void setSpec(const model::ModelSpec& spec);

    // The trained run folder (run.json, checkpoints/best.pt) that Quantize and Benchmark use.
    QString runDir() const { return run_dir_; }
    void setRunDir(const QString& dir);

    // Plan JSON per mode ("int8", "int4", "mp") written by the Quantize pane.
    const std::map<QString, QString>& plans() const { return plans_; }
    void setPlan(const QString& mode, const QString& path);

    // The runners of the panes whose jobs use LibTorch: one of them runs at a time.
    ExclusiveJobs& libTorchJobs() { return *lib_torch_jobs_; }

    // The device the model is meant for: the designer, the quantize budgets and the
    // benchmark show RAM, flash and latency against it (default: the Cortex-M4).
    const device::TargetDevice& target() const { return target_; }
    void setTarget(const device::TargetDevice& target);

    // The exported .tmn model that Benchmark runs.
    QString modelPath() const { return model_path_; }
    void setModelPath(const QString& path);

Q_SIGNALS:
    void workspaceChanged(const QString& dir);
    void datasetChanged();
    void specChanged();
    void runChanged(const QString& dir);
    void planChanged(const QString& mode, const QString& path);
    void modelChanged(const QString& path);
    void targetChanged();

private:
    QString workspace_;
    int threads_ = 1;
    workflow::DatasetOptions dataset_;
    model::ModelSpec spec_;
    QString run_dir_;
    std::map<QString, QString> plans_;
    QString model_path_;
    device::TargetDevice target_ = device::presetTargets().front();
    std::shared_ptr<ExclusiveJobs> lib_torch_jobs_ = std::make_shared<ExclusiveJobs>();
};

}  // namespace tm2::gui
