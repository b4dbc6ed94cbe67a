#include "widgets/common/training_job.h"

#include <QString>
#include <chrono>
#include <cstdio>

#include "widgets/common/task_runner.h"
#include "widgets/common/hyper_parameter_form.h"
#include "widgets/workbench.h"

namespace tm2::gui {

workflow::TrainingOptions trainingOptions(const Workbench& workbench, const HyperParameterForm& form,
                                          const QString& run_dir) {
    workflow::TrainingOptions o;
    o.dataset = workbench.dataset();
    o.dataset.threads = workbench.threads();
    if (!workbench.spec().branches.empty()) o.spec = workbench.spec();
    form.applyTo(o);
    o.out = run_dir.toStdString();
    o.workspace = workbench.workspace().toStdString();
    return o;
}

train::TrainCallback postingTrainCallback(const TaskContext& c, std::shared_ptr<std::string> variant) {
    using Clock = std::chrono::steady_clock;
    auto last_batch_post = std::make_shared<Clock::time_point>();
    return [c, variant, last_batch_post](const train::TrainEvent& e) {
        const std::string prefix = variant && !variant->empty() ? *variant + " · " : std::string();
        if (e.kind == train::TrainEvent::Kind::Epoch) {
            CurvePoint point;
            point.epoch_end = true;
            point.x = e.record.epoch;
            point.record = e.record;
            point.epochs = e.epochs;
            point.variant = variant ? *variant : std::string();
            c.post(QVariant::fromValue(point));
            return !c.cancelRequested();
        }
        // The epoch's running mean so far, at most every kBatchPostInterval and at
        // each epoch's last batch: curves move within an epoch, the GUI is not flooded.
        const Clock::time_point now = Clock::now();
        if (e.batches > 0 && (now - *last_batch_post >= kBatchPostInterval || e.batch == e.batches)) {
            *last_batch_post = now;
            CurvePoint point;
            point.x = e.epoch - 1 + static_cast<double>(e.batch) / e.batches;
            point.loss = e.loss;
            point.accuracy = e.accuracy;
            point.epochs = e.epochs;
            point.variant = variant ? *variant : std::string();
            c.post(QVariant::fromValue(point));
        }
        char detail[96];
        std::snprintf(detail, sizeof detail, "epoch %d/%d · loss %.4f · acc %.1f%%", e.epoch, e.epochs, e.loss,
                      100.0 * e.accuracy);
        const auto batches = static_cast<std::size_t>(e.batches);
        return c.progress({prefix + "training", static_cast<std::size_t>(e.epoch - 1) * batches + static_cast<std::size_t>(e.batch),
                           static_cast<std::size_t>(e.epochs) * batches, detail});
    };
}

std::optional<CurvePoint> curvePoint(const QVariant& posted) {
    if (!posted.canConvert<CurvePoint>()) return std::nullopt;
    return posted.value<CurvePoint>();
}

}  // namespace tm2::gui
