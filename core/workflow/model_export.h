#pragma once
// A trained run → its quantized network (uniform or a plan's bits) → `.tmn`
// integer model, and the runtime's parity against that network.

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/export/runtime_parity.h"
#include "core/export/tmn_exporter.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

// Every quantizable layer at `bits`.
std::map<std::string, int> uniformBits(train::MultimodalNet& net, int bits);

// Re-runs quantizeModel with the given bits (a replayed plan, no Hessian or
// ILP) so the network is exactly what `quantize` evaluated.
void quantizeWithBits(train::MultimodalNet& net, const LoadedRun& run, const std::map<std::string, int>& bits);

// What a device needs besides the network: input shapes and how the run made its features.
exporter::FrontEndSettings frontEndSettings(const LoadedRun& run);

struct ExportRequest {
    std::string run_dir;
    std::string plan;        // a plan JSON's bits, or…
    std::string mode = "int8";  // …uniform int8 | int4 when `plan` is empty
    std::string out;         // .tmn path
    int threads = 1;
};

// Exports and reads the file back through the runtime; returns
// {model, file_bytes, weight_bytes, ops, arena_bytes, bits}.
nlohmann::json exportRun(const ExportRequest& request, const ProgressCallback& progress = {});

// The runtime on RUN's test split against the run quantized with the model's own bits.
// A non-empty `expected_dataset` must be the run's dataset folder.
struct RuntimeEvaluation {
    exporter::ParityReport parity;
    nlohmann::json result;  // the `eval-runtime --json` document
};
RuntimeEvaluation evaluateRuntime(const std::string& model_path, const std::string& run_dir, int threads,
                                  bool per_layer = true, const std::string& expected_dataset = "",
                                  const ProgressCallback& progress = {});

}  // namespace tm2::workflow
