#pragma once
// A plan JSON and the quantized network it names: RUN/quant-MODE.json carries
// "model": {"file": "quant-MODE.pt", "id", "format", …} and the archive beside it
// is the network `quantize` evaluated. Everything downstream (export, the parity
// check, the panes) loads that archive; a bits-only plan (from `ilp`, the
// workbench's live re-solve or written by hand) is quantized once, with the
// options it records or today's defaults, and the archive is recorded in it.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/quant/quantized_model.h"
#include "core/quant/quantizer.h"
#include "core/runtime/model_format.h"

namespace tm2::workflow {

// Version of a plan that names its quantized network (top-level "format_version").
constexpr int kPlanFormatVersion = 1;

// The archive that belongs to a plan: same folder and stem, ".pt".
std::string quantizedModelPathFor(const std::string& plan_path);

// Saves `net` as the plan's archive and returns the plan's "model" object
// (file relative to the plan, id, format, the activation quantizers).
nlohmann::json saveQuantizedModelFor(train::MultimodalNet& net, const quant::QuantizedModelInfo& info,
                                     const std::string& plan_path);

struct PlanModel {
    std::string plan_path, model_path;
    quant::LoadedQuantizedModel model;
    bool applied_now = false;  // a bits-only plan, quantized by this call and recorded in it
    std::vector<std::string> warnings;
};

// The quantized network of `plan_path` for the run in `run_dir`; a bits-only plan is
// quantized (LibTorch on `threads`) and recorded first. Throws tm2::Error when the plan
// belongs to another network than the run's, or its archive to another plan.
PlanModel loadPlanModel(const std::string& plan_path, const std::string& run_dir, int threads,
                        const ProgressCallback& progress = {});

// RUN/quant-MODE.json (MODE int8 | int4): the plan `quantize --mode MODE` wrote, or
// when there is none a uniform bits-only plan with the default options, written there.
std::string uniformPlanFor(const std::string& run_dir, const std::string& mode);

// The plan in `run_dir` (or `plan_path` when given) whose quantized network `model`
// is the export of. Throws tm2::Error naming what was tried when none is.
PlanModel findPlanModelOf(const runtime::Model& model, const std::string& model_path,
                          const std::string& run_dir, const std::string& plan_path = "");

}  // namespace tm2::workflow
