#include "core/workflow/recorded_training.h"

#include <chrono>
#include <filesystem>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/train/checkpoint.h"
#include "core/workflow/resume_check.h"
#include "core/workflow/test_split_required.h"

namespace tm2::workflow {

namespace {

namespace fs = std::filesystem;

nlohmann::json runParams(const TrainingOptions& o, const PreparedTraining& p) {
    return nlohmann::json{{"data", fs::absolute(o.dataset.path).string()},
                          {"only", o.only},
                          {"out", fs::absolute(o.out).string()},
                          {"train", p.config},
                          {"split",
                           {{"val", o.dataset.split.val_fraction},
                            {"test", o.dataset.split.test_fraction},
                            {"seed", o.dataset.split.seed},
                            {"mode", o.dataset.split_mode},
                            {"resplit", o.dataset.resplit}}},
                          {"warnings", p.warnings},
                          {"samples",
                           {{"train", p.data.train.size()}, {"val", p.data.val.size()}, {"test", p.data.test.size()}}}};
}

// The run this one continues: the newest of the same kind recorded for the same
// folder, when the folder holds a run that training will resume.
std::string previousRunOf(const experiment::ExperimentStore& store, const TrainingOptions& o,
                          const std::string& kind, const PreparedTraining& p) {
    if (!p.config.resume || !holdsRun(o.out)) return "";
    const std::string folder = fs::absolute(o.out).string();
    for (const auto& run : store.listRuns(kind))  // newest first
        if (run.params.is_object() && run.params.value("out", std::string()) == folder) return run.id;
    return "";
}

// Records each epoch as it completes (and a heartbeat at most once a minute in
// between), so a killed run keeps its finished epochs and is seen to be alive.
class EpochRecorder {
public:
    EpochRecorder(experiment::ExperimentStore& store, std::string run_id, train::TrainCallback forward)
        : store_(store), run_id_(std::move(run_id)), forward_(std::move(forward)) {}

    // A comparison trains several variants; its epoch rows are the multimodal one's.
    void setVariant(const std::string& variant) { recording_ = variant == "multimodal"; }

    train::TrainCallback callback() {
        return [this](const train::TrainEvent& e) {
            record(e);
            return !forward_ || forward_(e);
        };
    }

private:
    void record(const train::TrainEvent& e) {
        const auto now = std::chrono::steady_clock::now();
        try {
            if (e.kind == train::TrainEvent::Kind::Epoch && recording_)
                store_.appendEpoch(run_id_, e.record.epoch, nlohmann::json(e.record));
            else if (now - last_beat_ >= kHeartbeatEvery)
                store_.heartbeat(run_id_);
            else
                return;
            last_beat_ = now;
        } catch (const Error&) {
            // A busy or read-only store must not stop the training: the result is
            // recorded again (every epoch included) when the run ends.
        }
    }

    static constexpr std::chrono::seconds kHeartbeatEvery{60};
    experiment::ExperimentStore& store_;
    std::string run_id_;
    train::TrainCallback forward_;
    bool recording_ = true;
    std::chrono::steady_clock::time_point last_beat_ = std::chrono::steady_clock::now();
};

// Runs `work` as an experiment-store run; marks it failed/cancelled on error.
nlohmann::json recordedRun(const TrainingOptions& o, const std::string& kind, const PreparedTraining& p,
                           const std::function<nlohmann::json(EpochRecorder&)>& work,
                           const train::TrainCallback& callback) {
    experiment::ExperimentStore store(workspaceOrDefault(o.workspace));
    const std::string previous = previousRunOf(store, o, kind, p);
    const std::string run_id = store.createRun(kind, fs::path(o.out).filename().string(),
                                               nlohmann::json(p.spec), runParams(o, p), p.fingerprint);
    try {
        if (!previous.empty()) store.setResumedFrom(run_id, previous);
        EpochRecorder recorder(store, run_id, callback);
        nlohmann::json result = work(recorder);
        result["run_id"] = run_id;
        result["data_fingerprint"] = p.fingerprint;
        if (!previous.empty()) result["resumed_from"] = previous;
        result["warnings"] = p.warnings;  // leaks and kept protocols travel with every result
        result["feature_cache"] = {{"hits", p.cache_hits}, {"misses", p.cache_misses}};
        // Items per split as trained on (train counts noisy copies: train.augment.noise_copies).
        result["samples"] = runParams(o, p)["samples"];
        for (const auto& e : result.value("history", nlohmann::json::array()))
            store.appendEpoch(run_id, e.at("epoch").get<int>(), e);
        store.addArtifact(run_id, "run_folder", fs::absolute(o.out).string());
        store.addArtifact(run_id, "spec", fs::absolute(fs::path(o.out) / "spec.json").string());
        store.addArtifact(run_id, "checkpoints", fs::absolute(p.config.checkpoint_dir).string());
        store.finishRun(run_id, result);
        tm2::writeFileAtomically((fs::path(o.out) / "result.json").string(), result.dump(2));
        return result;
    } catch (const Cancelled&) {
        store.failRun(
            run_id, "cancelled",
            "cancelled; the run folder keeps the last completed epoch (train again into it to resume)");
        throw;
    } catch (const std::exception& e) {
        store.failRun(run_id, "failed", e.what());
        throw;
    }
}

}  // namespace

nlohmann::json trainAndRecord(const TrainingOptions& options, const PreparedTraining& prepared,
                              const train::TrainCallback& callback) {
    return recordedRun(
        options, "train", prepared,
        [&](EpochRecorder& recorder) {
            return nlohmann::json(
                train::trainModel(prepared.spec, prepared.data, prepared.config, recorder.callback()));
        },
        callback);
}

RecordedComparison compareAndRecord(const TrainingOptions& options, const PreparedTraining& prepared,
                                    const train::TrainCallback& callback,
                                    const std::function<void(const std::string&)>& on_variant) {
    if (prepared.spec.branches.size() < 2) throw Error("compare needs a spec with at least two branches");
    requireTestSplit(prepared.data, "compare", "dataset " + options.dataset.path);
    RecordedComparison out;
    out.result = recordedRun(
        options, "compare", prepared,
        [&](EpochRecorder& recorder) {
            out.comparison = train::compareModalities(prepared.spec, prepared.data, prepared.config,
                                                      recorder.callback(), [&](const std::string& v) {
                                                          recorder.setVariant(v);
                                                          if (on_variant) on_variant(v);
                                                      });
            return nlohmann::json(out.comparison);
        },
        callback);
    return out;
}

}  // namespace tm2::workflow
