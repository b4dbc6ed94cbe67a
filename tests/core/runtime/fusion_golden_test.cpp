// Exported fusion models (concat, gated, FiLM, attention at INT8, INT4 and a mixed
// 2/4/8 plan) give, on every kernel path this CPU has, exactly the raw logits of
// their integer-exact LibTorch reference, stored by
// tests/core/export/fusion_golden_writer.cpp. This suite also runs under
// qemu-aarch64 (scripts/cross-aarch64.sh), so the NEON and dot-product paths are
// held to the same reference without LibTorch on the target.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/runtime/interpreter.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime {
namespace {

const std::string kGoldenDir = std::string(TM2_SOURCE_DIR) + "/tests/core/runtime/fusion_golden";

struct GoldenSample {
    std::vector<std::vector<std::uint8_t>> inputs;
    std::vector<std::int32_t> logits;
};

std::vector<std::uint8_t> fromHex(const std::string& hex) {
    std::vector<std::uint8_t> codes(hex.size() / 2);
    for (std::size_t i = 0; i < codes.size(); ++i)
        codes[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return codes;
}

std::vector<GoldenSample> readExpected(const std::string& path) {
    std::ifstream in(path);
    std::vector<GoldenSample> samples;
    GoldenSample current;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string key;
        words >> key;
        if (key == "input") {
            std::size_t index = 0;
            std::string hex;
            words >> index >> hex;
            current.inputs.push_back(fromHex(hex));
        } else if (key == "logits") {
            for (std::int32_t v; words >> v;) current.logits.push_back(v);
            samples.push_back(current);
            current = {};
        }
    }
    return samples;
}

std::vector<const SimdOps*> kernelPaths() {
    std::vector<const SimdOps*> paths{&portableSimdOps(), &portablePairSimdOps()};
    for (const SimdOps* ops : {avx2SimdOps(), neonSimdOps(), neonDotprodSimdOps()})
        if (ops) paths.push_back(ops);
    return paths;
}

std::vector<std::string> goldenNames() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(kGoldenDir))
        if (entry.path().extension() == ".tmn") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

TEST(FusionGoldenTest, EveryFusionKindAndWidthHasAGoldenModel) {
    const std::vector<std::string> names = goldenNames();
    for (const char* kind : {"concat", "gated", "film", "attention"})
        for (const char* width : {"int8", "int4", "mp248"}) {
            const std::string name = std::string(kind) + "_" + width;
            EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
        }
}

TEST(FusionGoldenTest, TheMixedModelsHoldTwoFourAndEightBitWeights) {
    for (const std::string& name : goldenNames()) {
        if (name.find("_mp248") == std::string::npos) continue;
        std::set<int> widths;
        for (const Op& op : readModel(kGoldenDir + "/" + name + ".tmn").ops)
            if (op.weight_bits > 0) widths.insert(op.weight_bits);
        EXPECT_EQ(widths, (std::set<int>{2, 4, 8})) << name;
    }
}

TEST(FusionGoldenTest, EveryKernelPathGivesTheIntegerExactReferenceLogits) {
    for (const std::string& name : goldenNames()) {
        const Model model = readModel(kGoldenDir + "/" + name + ".tmn");
        const std::vector<GoldenSample> samples = readExpected(kGoldenDir + "/" + name + ".expected");
        ASSERT_EQ(samples.size(), 16U) << name;
        for (const SimdOps* ops : kernelPaths()) {
            Interpreter interpreter(model, {false, ops});
            int differing = 0;
            for (const GoldenSample& s : samples) {
                ASSERT_EQ(s.inputs.size(), interpreter.inputCount()) << name;
                for (std::size_t b = 0; b < s.inputs.size(); ++b) {
                    ASSERT_EQ(s.inputs[b].size(), interpreter.inputElements(b)) << name;
                    std::copy(s.inputs[b].begin(), s.inputs[b].end(), interpreter.inputCodes(b));
                }
                interpreter.invoke();
                ASSERT_EQ(s.logits.size(), interpreter.classCount()) << name;
                const std::vector<std::int32_t> got(interpreter.rawLogits(),
                                                    interpreter.rawLogits() + interpreter.classCount());
                differing += got != s.logits;
            }
            EXPECT_EQ(differing, 0) << name << " on the " << interpreter.kernelPath() << " path";
        }
    }
}

}  // namespace
}  // namespace tm2::runtime
