// What reading a .tmn costs in memory: bounded by the file's size whatever its ops
// claim, measured with tests/support/allocation_meter.h.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/model_format.h"
#include "tests/core/runtime/hostile_model.h"
#include "tests/support/allocation_meter.h"  // this program's operator new

namespace tm2::runtime {
namespace {

using ::testing::AllocationMeter;
using ::testing::HasSubstr;

std::string parseError(const std::vector<std::uint8_t>& bytes, std::size_t& peak) {
    AllocationMeter meter(64 * bytes.size());
    std::string message;
    try {
        parseModel(bytes.data(), bytes.size(), "shared.tmn");
    } catch (const Error& e) {
        message = e.what();
    } catch (const std::bad_alloc&) {
        message = "std::bad_alloc";
    }
    peak = meter.peak();
    return message;
}

TEST(ModelMemoryTest, RefusesFiveHundredOpsThatAllCopyTheSameMegabyte) {
    // 600 ops × 5 arrays × 1 MB: the old reader asked for 3 GB out of a 1 MB file
    // (here it hits the meter's 64 MB limit instead).
    const std::vector<std::uint8_t> bytes = fixtures::everyArrayTheWholeBlob(600, 1 << 20);
    ASSERT_LT(bytes.size(), 2u << 20);
    std::size_t peak = 0;
    const std::string error = parseError(bytes, peak);
    EXPECT_THAT(error, HasSubstr("shared.tmn: op 0 ('fc0'): bias"));
    EXPECT_THAT(error, HasSubstr("arrays overlap"));
    if (TM2_ALLOCATION_METER) {
        EXPECT_LE(peak, 2 * bytes.size());
    }
}

TEST(ModelMemoryTest, RefusesAValidGraphWhoseLayersShareOneWeightMatrix) {
    // Each layer alone is a well-formed 64×64 layer; together they reference the one
    // matrix 3 times, which the exporter never writes.
    const std::vector<std::uint8_t> bytes = fixtures::sharedWeightsChain(3, 64);
    std::size_t peak = 0;
    EXPECT_THAT(parseError(bytes, peak), HasSubstr("op 1 ('fc1'): weights (4096 bytes) would bring"));
    // Weights left in place (a microcontroller's flash) are counted alike.
    EXPECT_THROW(parseModel(bytes.data(), bytes.size(), "shared.tmn", {true}), Error);
}

TEST(ModelMemoryTest, RefusesMoreFrontEndClassesThanAnyModelHas) {
    // 65537 empty class names: 4 bytes each in the file, a 32-byte string each in memory.
    Model m = fixtures::fcChain(1, 4);
    m.ops[0].weights.assign(16, 1);
    m.ops[0].multiplier.assign(4, 1 << 30);
    m.ops[0].shift.assign(4, 30);
    m.ops[0].output_scale.assign(4, 1.0f);
    m.frontend.classes.assign(65536, "");
    std::vector<std::uint8_t> bytes = serializeModel(m);
    EXPECT_EQ(parseModel(bytes.data(), bytes.size()).frontend.classes.size(), 65536u);
    m.frontend.classes.emplace_back("one_more");
    bytes = serializeModel(m);
    std::size_t peak = 0;
    EXPECT_THAT(parseError(bytes, peak), HasSubstr("65537 classes, more than the limit of 65536"));
}

TEST(ModelMemoryTest, ReadsAnExportedModelInAboutItsOwnSize) {
    // Three distinct 256×256 layers (≈ 200 kB of weights): the model keeps one copy of
    // the arrays plus a few hundred bytes per op and tensor.
    Model m = fixtures::fcChain(3, 256);
    for (std::size_t i = 0; i < m.ops.size(); ++i) {
        Op& op = m.ops[i];
        op.weights.assign(256 * 256, static_cast<std::int8_t>(i));
        op.multiplier.assign(256, 1 << 30);
        op.shift.assign(256, 30);
        if (i + 1 == m.ops.size()) op.output_scale.assign(256, 1.0f);
    }
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    std::size_t peak = 0;
    {
        AllocationMeter meter(64 * bytes.size());
        const Model back = parseModel(bytes.data(), bytes.size(), "exported.tmn");
        EXPECT_EQ(back.ops[2].weights, m.ops[2].weights);
        peak = meter.peak();
    }
    if (!TM2_ALLOCATION_METER) GTEST_SKIP() << "allocations are not metered under a sanitizer";
    EXPECT_GT(peak, bytes.size() * 9 / 10);  // the meter sees the copies
    EXPECT_LE(peak, bytes.size() + 16 * 1024);
}

// 40 unused 8192×8192 inputs beside a 4 → 1 layer: every input is live when the first
// op runs, so the arena would be 40 · 2^26 B ≈ 2.7 GB, asked for by a 2 kB file.
Model hugeActivationsModel() {
    Model m;
    for (std::uint32_t i = 0; i < 40; ++i) {
        m.tensors.push_back({"in" + std::to_string(i), DataType::UInt8, 1, 8192, 8192, 0.5f, 0, 8});
        m.inputs.push_back({"in" + std::to_string(i), i});
    }
    m.tensors.push_back({"x", DataType::UInt8, 4, 1, 1, 0.5f, 0, 8});
    m.tensors.push_back({"logits", DataType::Int32, 1, 1, 1, 1.0f, 0, 32});
    m.inputs.push_back({"x", 40});
    m.output = 41;
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "fc";
    fc.inputs = {{40}};
    fc.output = 41;
    fc.weights = {1, 2, 3, 4};
    fc.multiplier = {1 << 30};
    fc.shift = {30};
    fc.output_scale = {1.0f};
    m.ops = {fc};
    return m;
}

TEST(ModelMemoryTest, InterpreterRefusesAnArenaBeyondItsLimitBeforeAllocatingIt) {
    const std::vector<std::uint8_t> bytes = serializeModel(hugeActivationsModel());
    ASSERT_LT(bytes.size(), 4096u);
    std::string error;
    std::size_t peak = 0;
    {
        AllocationMeter meter(std::size_t{64} << 20);
        try {
            Interpreter interpreter(parseModel(bytes.data(), bytes.size(), "wide.tmn"));
        } catch (const Error& e) {
            error = e.what();
        } catch (const std::bad_alloc&) {
            error = "std::bad_alloc";
        }
        peak = meter.peak();
    }
    EXPECT_THAT(error, HasSubstr("2684354"));  // 40 · 2^26 = 2 684 354 560 bytes (plus the layer's few)
    EXPECT_THAT(error, HasSubstr("InterpreterOptions::max_arena_bytes"));
    EXPECT_THAT(error, HasSubstr("wide.tmn"));  // the file at fault, not just "interpreter"
    if (TM2_ALLOCATION_METER) {
        EXPECT_LE(peak, std::size_t{1} << 20);
    }
}

TEST(ModelMemoryTest, InterpreterTakesALargerArenaWhenTheCallerRaisesTheLimit) {
    // The same graph with 8192×64 inputs: 40 · 2^19 B = 20 MiB of activations.
    Model m = hugeActivationsModel();
    for (std::uint32_t i = 0; i < 40; ++i) m.tensors[i].h = 64;
    InterpreterOptions options;
    options.max_arena_bytes = std::size_t{10} << 20;
    EXPECT_THROW(Interpreter(m, options), Error);
    options.max_arena_bytes = std::size_t{32} << 20;
    const Interpreter interpreter(m, options);
    EXPECT_GE(interpreter.arenaBytes(), std::size_t{40} << 19);
}

}  // namespace
}  // namespace tm2::runtime
