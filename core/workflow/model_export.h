#pragma once
// A plan's saved quantized network → `.tmn` integer model, and the runtime's
// parity against that network.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/export/runtime_parity.h"
#include "core/export/tmn_exporter.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

// What a device needs besides the network: input shapes (from `spec`), how the run
// made its features (its normalization.json and run.json) and the class names.
exporter::FrontEndSettings frontEndSettings(const std::string& run_dir, const model::ModelSpec& spec,
                                           const std::vector<std::string>& classes);

struct ExportRequest {
    std::string run_dir;
    std::string plan;           // a plan JSON (its saved quantized network), or…
    std::string mode = "int8";  // …int8 | int4: RUN/quant-MODE.json, made with the defaults when missing
    std::string out;            // .tmn path
    int threads = 1;            // LibTorch threads, used only to quantize a bits-only plan
};

// Exports the plan's saved quantized network (quantizing a bits-only plan once and
// recording it in the plan) and reads the file back through the runtime; returns
// {model, file_bytes, weight_bytes, ops, arena_bytes, bits, plan, quantized_model,
// quantized_now, warnings}. Nothing is evaluated or recalibrated.
nlohmann::json exportRun(const ExportRequest& request, const ProgressCallback& progress = {});

struct RuntimeEvaluationRequest {
    std::string model;    // .tmn
    std::string run_dir;  // the run it was exported from
    std::string plan;     // its plan; empty: the run's plan whose saved network the model is the export of
    std::string data;     // non-empty: must be the run's dataset folder
    int threads = 1;
    bool per_layer = true;
};
// The runtime on RUN's test split against the saved quantized network the model was
// exported from (found by content; a model matching none is an error naming what was tried).
struct RuntimeEvaluation {
    exporter::ParityReport parity;
    nlohmann::json result;  // the `eval-runtime --json` document
};
RuntimeEvaluation evaluateRuntime(const RuntimeEvaluationRequest& request, const ProgressCallback& progress = {});

}  // namespace tm2::workflow
