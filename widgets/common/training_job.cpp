#include "widgets/train/training_job.h"

#include <QString>
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "widgets/common/json_variant.h"
#include "widgets/common/task_runner.h"
#include "widgets/train/hyper_parameter_form.h"
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
            nlohmann::json j = e.record;
            j["epochs"] = e.epochs;
            j["variant"] = variant ? *variant : std::string();
            c.post(toVariant(j));
            return !c.cancelRequested();
        }
        // The epoch's running mean so far, at most every kBatchPostInterval and at
        // each epoch's last batch: curves move within an epoch, the GUI is not flooded.
        const Clock::time_point now = Clock::now();
        if (e.batches > 0 && (now - *last_batch_post >= kBatchPostInterval || e.batch == e.batches)) {
            *last_batch_post = now;
            c.post(toVariant(nlohmann::json{{"kind", "batch"},
                                            {"x", e.epoch - 1 + static_cast<double>(e.batch) / e.batches},
                                            {"loss", e.loss},
                                            {"accuracy", e.accuracy},
                                            {"variant", variant ? *variant : std::string()}}));
        }
        char detail[96];
        std::snprintf(detail, sizeof detail, "epoch %d/%d · loss %.4f · acc %.1f%%", e.epoch, e.epochs, e.loss,
                      100.0 * e.accuracy);
        const auto batches = static_cast<std::size_t>(e.batches);
        return c.progress({prefix + "training", static_cast<std::size_t>(e.epoch - 1) * batches + static_cast<std::size_t>(e.batch),
                           static_cast<std::size_t>(e.epochs) * batches, detail});
    };
}

}  // namespace tm2::gui
