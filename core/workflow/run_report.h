#pragma once
// What the experiment browser shows and exports about recorded runs: their
// headline metrics (flattened to named numbers), their per-epoch curves, and
// a report as CSV (one row per run) and JSON (everything the store holds).
// Shared by the GUI's Experiments pane and anything else that reports runs.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/experiment/experiment_store.h"

namespace tm2::workflow {

// One number of a run, e.g. {"test_accuracy", 0.83} or {"only-audio.test_accuracy", 0.6}.
struct RunMetric {
    std::string name;
    double value = 0;
};

// The run's metrics in a stable order, only those present in its result:
// test_* and val_accuracy from "test"/"val" metrics, then every top-level number
// (best_epoch, parameters, fusion_gain, model_bytes …); a comparison adds the
// same for "multimodal" and each "unimodal" variant, prefixed "multimodal." /
// "only-<modality>.". One vocabulary for every kind: a quantize run's accuracy,
// fp32_accuracy, integer_accuracy and accuracy_delta (all on the test split) are
// named test_accuracy, fp32_test_accuracy, integer_test_accuracy and
// test_accuracy_delta. Empty while the run has no result.
std::vector<RunMetric> runMetrics(const experiment::RunRecord& run);

// A metric as people read it: rates (accuracy, UAR, F1) in % with one decimal
// ("67.0 %"), differences of rates in points ("+1.5 pts"), whole numbers without
// decimals ("52426"), anything else with 4 significant digits ("0.0123").
std::string metricText(const RunMetric& metric);

// The number the runs table shows: test accuracy (the multimodal one for a
// comparison), else a top-level "accuracy"; nullopt when the run has none.
std::optional<RunMetric> keyMetric(const experiment::RunRecord& run);

struct EpochPoint {
    int epoch = 0;
    double train_loss = 0, train_accuracy = 0;
    double val_loss = 0, val_accuracy = 0;
};

// The run's per-epoch curve: the store's epoch rows, else result.history, else
// result.multimodal.history (a comparison); sorted by epoch.
std::vector<EpochPoint> runHistory(const experiment::RunRecord& run, const std::vector<experiment::EpochRow>& rows);

// One CSV row per run: id,kind,name,status,created_at,finished_at,data_fingerprint
// then the union of the runs' metric names in first-seen order (empty cell when
// a run lacks one). RFC 4180 quoting; numbers with up to 10 significant digits.
std::string runsCsv(const std::vector<experiment::RunRecord>& runs);

struct ReportedRun {
    experiment::RunRecord run;
    std::vector<experiment::EpochRow> epochs;
    std::vector<experiment::ArtifactRow> artifacts;
};

// {"runs": [{id, kind, name, status, created_at, finished_at, data_fingerprint,
// parent_id, resumed_from, sweep, pid, host, heartbeat_at, error, params, spec, result,
// metrics{name: value}, epochs[], artifacts{name: path}}]}.
nlohmann::json runsReport(const std::vector<ReportedRun>& runs);

}  // namespace tm2::workflow
