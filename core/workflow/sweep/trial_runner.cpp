#include "core/workflow/sweep/trial_runner.h"

#include <cstdlib>
#include <filesystem>

#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/experiment/process_identity.h"
#include "core/model/presets.h"
#include "core/workflow/quantize_session.h"
#include "core/workflow/recorded_training.h"
#include "core/workflow/run_report.h"
#include "core/workflow/sweep/run_record_json.h"
#include "core/workflow/sweep/trial_spec.h"

namespace tm2::sweep {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// The private store lives in the node's temp folder ($TMPDIR), never on the shared one.
class PrivateWorkspace {
public:
    PrivateWorkspace(const std::string& sweep, int index) {
        const std::string prefix = "tm2-trial-" + sweep + "-" + std::to_string(index) + "-";
        path_ = (fs::temp_directory_path() / (prefix + std::to_string(experiment::currentProcess().pid)))
                    .string();
        std::error_code ec;
        fs::remove_all(path_, ec);
        removeAbandoned(prefix);
    }
    ~PrivateWorkspace() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }

private:
    // Stores left by earlier attempts of this trial whose process was killed here (kill -9, OOM).
    static void removeAbandoned(const std::string& prefix) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(prefix, 0) != 0) continue;
            const std::string pid = name.substr(prefix.size());
            if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos)
                continue;
            const experiment::ProcessIdentity owner{std::stoll(pid), experiment::currentProcess().host, 0};
            if (experiment::processState(owner) == experiment::ProcessState::Dead)
                fs::remove_all(entry.path(), ec);
        }
    }
    std::string path_;
};

template <typename T>
void set(const json& j, const char* key, T& field) {
    if (j.contains(key)) field = j.at(key).get<T>();
}

workflow::TrainingOptions trainingOptions(const TrialSettings& s, const std::string& out,
                                          const std::string& ws) {
    workflow::TrainingOptions o;
    const json& t = s.train;
    o.dataset.path = s.data;
    set(t, "val", o.dataset.split.val_fraction);
    set(t, "test", o.dataset.split.test_fraction);
    set(t, "seed", o.dataset.split.seed);
    set(t, "split", o.dataset.split_mode);
    set(t, "layout", o.dataset.layout.layout);
    set(t, "chunks", o.dataset.chunks);
    set(t, "cache_dir", o.dataset.cache_dir);
    set(t, "stream_features", o.stream_features);
    set(t, "threads", o.dataset.threads);
    set(t, "epochs", o.train.epochs);
    set(t, "batch_size", o.train.batch_size);
    set(t, "lr", o.train.learning_rate);
    set(t, "weight_decay", o.train.weight_decay);
    set(t, "patience", o.train.early_stopping_patience);
    set(t, "modality_dropout", o.train.modality_dropout);
    set(t, "aux_loss", o.train.aux_loss_weight);
    set(t, "augment", o.augment);
    set(t, "memory_budget_mb", o.train.memory_budget_mb);
    set(t, "class_weights", o.class_weighting);
    set(t, "lr_schedule", o.lr_schedule);
    set(t, "select_by", o.select_by);
    o.out = out;
    o.workspace = ws;
    return o;
}

workflow::QuantSettings quantSettings(const TrialSettings& s, int threads, const std::string& ws) {
    workflow::QuantSettings q;
    const json& o = s.quantize_options;
    set(o, "mode", q.mode);
    set(o, "size_kb", q.size_kb);
    set(o, "bops_m", q.bops_m);
    set(o, "alpha", q.alpha);
    set(o, "bops_alpha", q.bops_alpha);
    set(o, "latency_us", q.latency_us);
    set(o, "latency_table", q.latency_table);
    set(o, "qat_epochs", q.qat_epochs);
    set(o, "calibration", q.calibration);
    set(o, "hessian_probes", q.hessian_probes);
    set(o, "hessian_samples", q.hessian_samples);
    set(o, "hessian_seed", q.hessian_seed);
    set(o, "pins", q.pins);
    q.threads = threads;
    q.workspace = ws;
    return q;
}

// The runs of the private store, tagged with the sweep; a training run continues
// the one of the trial's previous attempt (same folder, resumed from its checkpoint).
void exportRuns(const std::string& ws, const SweepFile& sweep, const TrialRecord& record,
                TrialAttempt& attempt) {
    std::string previous_train;
    for (const auto& a : record.attempts)
        for (const auto& r : a.runs)
            if (r.value("kind", "") == "train" && r.value("status", "") != "running")
                previous_train = r.value("id", "");
    experiment::ExperimentStore store(ws);
    for (ExportedRun run : exportStore(store)) {
        run.record.sweep = sweep.name;
        if (run.record.params.is_object())
            run.record.params["sweep"] = {
                {"name", sweep.name}, {"trial", record.trial}, {"values", record.values}};
        if (run.record.kind == "train" && run.record.resumed_from.empty())
            run.record.resumed_from = previous_train;
        const std::string prefix = run.record.kind == "train" ? "" : run.record.kind + ".";
        for (const auto& m : workflow::runMetrics(run.record)) attempt.metrics[prefix + m.name] = m.value;
        attempt.runs.push_back(runToJson(run));
    }
}

}  // namespace

TrialEnvironment TrialEnvironment::fromProcess() {
    TrialEnvironment e;
    e.slurm_job_id = env("SLURM_ARRAY_JOB_ID");
    if (e.slurm_job_id.empty()) e.slurm_job_id = env("SLURM_JOB_ID");
    e.slurm_array_task_id = env("SLURM_ARRAY_TASK_ID");
    return e;
}

TrialAttempt runTrial(const SweepFile& sweep, const Trial& trial, const std::string& sweep_dir,
                      const TrialEnvironment& environment, const train::TrainCallback& on_training,
                      const ProgressCallback& progress) {
    const std::string folder = (fs::path(sweep_dir) / trialFolderName(trial.index)).string();
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder + ": cannot create the trial folder: " + ec.message());
    const std::string record_path = trialRecordPath(sweep_dir, trial.index);
    TrialRecord record = readTrialRecord(record_path).value_or(TrialRecord{});
    record.sweep = sweep.name;
    record.trial = trial.index;
    record.values = trial.values;

    const experiment::ProcessIdentity self = experiment::currentProcess();
    TrialAttempt attempt;
    attempt.attempt = static_cast<int>(record.attempts.size()) + 1;
    attempt.started_at = utcNow();
    attempt.host = self.host;
    attempt.pid = self.pid;
    attempt.pid_start = self.start_ticks;
    attempt.slurm_job_id = environment.slurm_job_id;
    attempt.slurm_array_task_id = environment.slurm_array_task_id;
    TrialRecord running = record;
    running.attempts.push_back(attempt);
    writeTrialRecord(record_path, running);

    const PrivateWorkspace ws(sweep.name, trial.index);
    const TrialSettings settings = resolveTrial(sweep, trial);
    try {
        workflow::TrainingOptions options = trainingOptions(settings, folder, ws.path());
        options.spec = trialSpec(settings, options.dataset);
        const workflow::PreparedTraining prepared = workflow::prepareTraining(options, progress);
        workflow::trainAndRecord(options, prepared, on_training);
        if (settings.quantize)
            workflow::quantizeAndRecord(folder, quantSettings(settings, options.dataset.threads, ws.path()),
                                        "", progress);
        attempt.status = "finished";
    } catch (const Cancelled&) {
        attempt.status = "cancelled";
        attempt.error = "cancelled; the trial folder keeps its last checkpoint (sweep resume continues it)";
    } catch (const std::exception& e) {
        attempt.status = "failed";
        attempt.error = e.what();
    }
    try {
        exportRuns(ws.path(), sweep, record, attempt);
    } catch (const Error& e) {
        attempt.error +=
            (attempt.error.empty() ? "" : "; ") + std::string("its runs were not exported: ") + e.what();
    }
    attempt.finished_at = utcNow();
    record.attempts.push_back(attempt);
    writeTrialRecord(record_path, record);
    return attempt;
}

}  // namespace tm2::sweep
