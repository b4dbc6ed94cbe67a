// Writes the runtime's golden files (tests/core/runtime/fusion_golden/): per fusion
// kind (concat, gated, FiLM, attention) and width (INT8, INT4, a mixed 2/4/8 plan) the
// exported toy model and, per test sample, its input codes and the integer-exact
// reference's raw logits. The reference is LibTorch's integer-exact evaluation of the
// network (setIntegerExact); this tool refuses to write a model whose runtime differs
// from it by one code anywhere, so the stored logits are the reference's. The runtime
// suite then checks every kernel path against them, on x86 and under qemu-aarch64
// (scripts/cross-aarch64.sh), where LibTorch is not available.
//   tm2_fusion_golden_writer OUT_DIR      (rerun after a change of the .tmn format)

#include <torch/torch.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/export/runtime_parity.h"
#include "core/export/tmn_exporter.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/kernels/simd_ops.h"
#include "core/train/trainer.h"
#include "tests/core/export/toy_quantized_net.h"
#include "tests/core/train/toy_data.h"

namespace {

using namespace tm2;

constexpr int kSamples = 16;

std::string hexCodes(const std::uint8_t* codes, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        s.push_back(digits[codes[i] >> 4]);
        s.push_back(digits[codes[i] & 15]);
    }
    return s;
}

// A mixed plan that uses every width: layers cycle through 8, 4 and 2 bits.
std::map<std::string, int> mixedPlan(train::MultimodalNet& net) {
    std::map<std::string, int> plan;
    const int widths[] = {8, 4, 2};
    int i = 0;
    for (auto& q : net->quantizableLayers()) plan[q.name] = widths[i++ % 3];
    return plan;
}

void writeGolden(const std::string& dir, const std::string& name, train::MultimodalNet& net,
                 const train::TrainingData& data) {
    const std::string tmn = dir + "/" + name + ".tmn";
    exporter::exportModel(net, {}, tmn);
    const runtime::Model model = runtime::readModel(tmn);
    const exporter::ParityReport parity = exporter::compareWithReference(net, model, data.test, {0, 1});
    bool exact = parity.integer.max_abs == 0.0;
    for (const auto& l : parity.layers) exact = exact && l.exact_mismatches == 0;
    if (!exact)
        throw Error(name + ": the runtime differs from the integer-exact reference; no golden file written");

    runtime::Interpreter interpreter(model, {false, &runtime::portableSimdOps()});
    std::ofstream out(dir + "/" + name + ".expected");
    out << "# " << name << ".tmn: input codes and the integer-exact reference's raw logits per sample\n";
    out << "# (tests/core/export/fusion_golden_writer.cpp wrote this; it checked the x86 runtime equals the "
           "reference)\n";
    out << "samples " << kSamples << "\n";
    for (int n = 0; n < kSamples; ++n) {
        for (std::size_t b = 0; b < model.inputs.size(); ++b) {
            const torch::Tensor x = data.test.inputs[b][n].contiguous();
            interpreter.setInput(b, x.data_ptr<float>(), static_cast<std::size_t>(x.numel()));
            out << "input " << b << " " << hexCodes(interpreter.inputCodes(b), interpreter.inputElements(b))
                << "\n";
        }
        interpreter.invoke();
        out << "logits";
        for (std::size_t c = 0; c < interpreter.classCount(); ++c) out << " " << interpreter.rawLogits()[c];
        out << "\n";
    }
    if (!out) throw Error(dir + "/" + name + ".expected: could not be written");
    std::cout << name << ": " << model.ops.size() << " ops, integer-exact on " << parity.samples
              << " samples\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: tm2_fusion_golden_writer OUT_DIR\n";
        return 2;
    }
    try {
        torch::set_num_threads(1);
        const train::TrainingData data = train::testing::toyData(3);
        const model::ModelSpec spec = train::bindSpecToData(train::testing::toySpec(), data);
        for (model::FusionType fusion : {model::FusionType::Concat, model::FusionType::Gated,
                                         model::FusionType::Film, model::FusionType::Attention}) {
            const std::string kind = model::toString(fusion);
            model::ModelSpec fused = spec;
            fused.fusion.type = fusion;
            for (const std::string width : {"int8", "int4", "mp248"}) {
                torch::manual_seed(2);
                train::MultimodalNet probe(fused, false);  // only for its layer names
                const std::map<std::string, int> plan =
                    width == "mp248" ? mixedPlan(probe) : std::map<std::string, int>{};
                const quant::QuantMode mode = width == "int4"   ? quant::QuantMode::Int4
                                              : width == "int8" ? quant::QuantMode::Int8
                                                                : quant::QuantMode::Mixed;
                torch::manual_seed(2);
                train::MultimodalNet net =
                    exporter::testing::toyQuantizedNet(data, fused, mode, fusion, plan);
                writeGolden(argv[1], kind + "_" + width, net, data);
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "tm2_fusion_golden_writer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
