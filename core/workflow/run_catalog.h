#pragma once
// The experiment store as `tinym2net runs` and the Experiments pane see it: runs
// listed with filters, one run with its epochs and artifacts, deleted, or
// exported as a folder from which another person can reproduce it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/experiment/experiment_store.h"
#include "core/workflow/run_report.h"

namespace tm2::workflow {

struct RunFilter {
    std::string kind;     // "train", "compare", "quantize", … (empty = any)
    std::string status;   // one of experiment::kRunStatuses (empty = any)
    std::string dataset;  // a dataset folder (path or last component) or a data fingerprint prefix
    std::string sweep;    // the sweep tag
};

// Throws tm2::Error when status is not a known status (names the valid ones).
void validateFilter(const RunFilter& filter);
bool matchesFilter(const experiment::RunRecord& run, const RunFilter& filter);
std::vector<experiment::RunRecord> listRuns(const experiment::ExperimentStore& store,
                                            const RunFilter& filter);

// The run with its epochs and artifacts; throws tm2::Error naming the id and the
// store when it is unknown.
ReportedRun reportedRun(const experiment::ExperimentStore& store, const std::string& run_id);

// The run folder a run reads or wrote: params.out (train, compare), else
// params.run (quantize), else its "run_folder" artifact; empty when none.
std::string runFolderOf(const ReportedRun& run);

// The runs recorded about the same folder (quantize runs of a trained folder, the
// training runs of a quantize run's folder, the runs a resume continues), oldest first.
std::vector<experiment::RunRecord> relatedRuns(const experiment::ExperimentStore& store,
                                               const ReportedRun& run);

// A run whose folder holds a trained network Quantize and Benchmark can use.
struct TrainedRun {
    experiment::RunRecord record;
    std::string folder;                // the run folder (params.out)
    std::optional<RunMetric> metric;   // keyMetric(record)
};

// Finished train and compare runs whose folder still holds a trained network
// (run.json and checkpoints/best.pt, or a comparison's checkpoints/multimodal/best.pt),
// newest first. A non-empty `dataset` keeps the runs trained on that folder
// (compared as absolute, normalised paths; not by name).
std::vector<TrainedRun> trainedRuns(const experiment::ExperimentStore& store, const std::string& dataset);

// The dataset folder a run folder was trained on (run.json's dataset.path, normalised),
// or empty when run.json is missing or names none.
std::string runDatasetFolder(const std::string& run_folder);

// True when both name the same folder once made absolute and normalised.
bool sameFolder(const std::string& a, const std::string& b);

struct RunExport {
    std::string dir;
    std::vector<std::string> files;    // written, relative to dir
    std::vector<std::string> missing;  // files the record names that no longer exist
};

// Writes into `out_dir` (created; must be empty) what reproducing the run takes:
//   export.json   what was exported: run id, kind, data fingerprint, seed, files, missing
//   record.json   the store's record of the run and its related runs (runsReport)
//   folder/       the run folder's JSON files: run.json (dataset options, training
//                 settings, seed, data fingerprint), spec.json, normalization.json,
//                 result.json, quant-*.json plans (bits, ILP inputs and answers), …
//   plans/        plans recorded for the run that live outside its folder
// Weights are not copied (checkpoints are large and retraining reproduces them).
RunExport exportRun(const experiment::ExperimentStore& store, const std::string& run_id,
                    const std::string& out_dir);

nlohmann::json toJson(const RunExport& e);

}  // namespace tm2::workflow
