#pragma once
// A plan's saved quantized network → an ONNX file (docs/onnx-export.md): the same
// network, codes and grids the `.tmn` export ships, for Netron and other runtimes.
// Shared by `tinym2net export --format onnx` and the Benchmark pane.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/export/onnx/onnx_writer.h"
#include "core/workflow/model_export.h"

namespace tm2::workflow {

struct OnnxExportRequest {
    ExportRequest source;  // run, plan or mode, out (.onnx), threads — as for the .tmn
    onnx::QuantForm form = onnx::QuantForm::Qdq;
};

struct OnnxExportResult {
    std::string model;  // absolute path of the .onnx written
    onnx::QuantForm form = onnx::QuantForm::Qdq;
    onnx::OnnxSummary summary;        // bytes, nodes, initializers
    std::vector<std::string> inputs;  // graph input names (the modalities), in order
    std::vector<std::string> classes;
    std::map<std::string, int> bits;  // layer → bits
    std::string plan, quantized_model;
    bool quantized_now = false;
    std::vector<std::string> warnings;
};

// Loads the plan's saved network (quantizing a bits-only plan once, as exportRun does),
// builds the runtime model from it and writes it as ONNX. Throws tm2::Error naming the
// plan, layer or file at fault.
OnnxExportResult exportRunOnnx(const OnnxExportRequest& request, const ProgressCallback& progress = {});

nlohmann::json toJson(const OnnxExportResult& result);

}  // namespace tm2::workflow
