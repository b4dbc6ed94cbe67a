#include "core/workflow/recorded_training.h"

#include <filesystem>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/train/checkpoint.h"
#include "core/workflow/test_split_required.h"

namespace tm2::workflow {

namespace {

namespace fs = std::filesystem;

nlohmann::json runParams(const TrainingOptions& o, const PreparedTraining& p) {
    return nlohmann::json{{"data", o.dataset.path},
                          {"only", o.only},
                          {"out", fs::absolute(o.out).string()},
                          {"train", p.config},
                          {"split", {{"val", o.dataset.split.val_fraction},
                                     {"test", o.dataset.split.test_fraction},
                                     {"seed", o.dataset.split.seed},
                                     {"mode", o.dataset.split_mode},
                                     {"resplit", o.dataset.resplit}}},
                          {"warnings", p.warnings},
                          {"samples", {{"train", p.data.train.size()}, {"val", p.data.val.size()}, {"test", p.data.test.size()}}}};
}

// Runs `work` as an experiment-store run; marks it failed/cancelled on error.
nlohmann::json recordedRun(const TrainingOptions& o, const std::string& kind, const PreparedTraining& p,
                           const std::function<nlohmann::json()>& work) {
    experiment::ExperimentStore store(workspaceOrDefault(o.workspace));
    const std::string run_id = store.createRun(kind, fs::path(o.out).filename().string(), nlohmann::json(p.spec),
                                               runParams(o, p), p.fingerprint);
    try {
        nlohmann::json result = work();
        result["run_id"] = run_id;
        result["data_fingerprint"] = p.fingerprint;
        result["warnings"] = p.warnings;  // leaks and kept protocols travel with every result
        for (const auto& e : result.value("history", nlohmann::json::array()))
            store.appendEpoch(run_id, e.at("epoch").get<int>(), e);
        store.addArtifact(run_id, "run_folder", fs::absolute(o.out).string());
        store.addArtifact(run_id, "spec", fs::absolute(fs::path(o.out) / "spec.json").string());
        store.addArtifact(run_id, "checkpoints", fs::absolute(p.config.checkpoint_dir).string());
        store.finishRun(run_id, result);
        tm2::writeFileAtomically((fs::path(o.out) / "result.json").string(), result.dump(2));
        return result;
    } catch (const Cancelled&) {
        store.failRun(run_id, "cancelled", "cancelled by the user");
        throw;
    } catch (const std::exception& e) {
        store.failRun(run_id, "failed", e.what());
        throw;
    }
}

}  // namespace

nlohmann::json trainAndRecord(const TrainingOptions& options, const PreparedTraining& prepared,
                              const train::TrainCallback& callback) {
    return recordedRun(options, "train", prepared, [&] {
        return nlohmann::json(train::trainModel(prepared.spec, prepared.data, prepared.config, callback));
    });
}

RecordedComparison compareAndRecord(const TrainingOptions& options, const PreparedTraining& prepared,
                                    const train::TrainCallback& callback,
                                    const std::function<void(const std::string&)>& on_variant) {
    if (prepared.spec.branches.size() < 2) throw Error("compare needs a spec with at least two branches");
    requireTestSplit(prepared.data, "compare", "dataset " + options.dataset.path);
    RecordedComparison out;
    out.result = recordedRun(options, "compare", prepared, [&] {
        out.comparison = train::compareModalities(prepared.spec, prepared.data, prepared.config, callback, on_variant);
        return nlohmann::json(out.comparison);
    });
    return out;
}

}  // namespace tm2::workflow
