// readModel (the reader tinym2net-bench, the Benchmark pane and the workflows use)
// keeps int4 / int2 weights packed: the model owns its weights as the file stores
// them and its ops point into them, so an INT4, MP or 2-bit model's weight memory is its size, and
// its logits are those of the in-place parse and of the unpacked copy, bit for bit.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "core/runtime/interpreter.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/simd_ops.h"
#include "core/runtime/model_format.h"
#include "tests/support/temp_dir.h"

namespace tm2::runtime {
namespace {

// Weight widths of the four weight layers: conv, depthwise, pointwise, fully connected.
using Widths = std::array<int, 4>;

// Deterministic weights in the range a `bits`-wide layer stores (int8: −127..127).
std::vector<std::int8_t> weightsAt(int bits, std::size_t count, int salt) {
    const int lo = bits == 8 ? -127 : -(1 << (bits - 1)), hi = bits == 8 ? 127 : (1 << (bits - 1)) - 1;
    std::vector<std::int8_t> w(count);
    for (std::size_t i = 0; i < count; ++i)
        w[i] = static_cast<std::int8_t>(
            lo + static_cast<int>((i * 7919 + static_cast<std::size_t>(salt) * 104729) %
                                  static_cast<std::size_t>(hi - lo + 1)));
    return w;
}

// Requantization to about a quarter of the code range for `taps` terms of `bits`-wide
// weights times centred codes (so the outputs vary instead of saturating).
void requantize(Op& op, std::uint32_t channels, int taps) {
    const double w_max = op.weight_bits == 8 ? 127.0 : static_cast<double>(1 << (op.weight_bits - 1));
    const Dyadic d = toDyadic(4.0 / (w_max * taps));
    op.multiplier.assign(channels, d.multiplier);
    op.shift.assign(channels, d.shift);
    op.bias.assign(channels, 0);
    for (std::uint32_t c = 0; c < channels; ++c) op.bias[c] = static_cast<std::int32_t>(c * 37 % 11) - 5;
}

// input 1×12×12 → conv 3×3 pad 1 → 8×12×12 → depthwise 3×3 pad 1 → pointwise → 16×12×12
// → max-pool 2 → flatten 576 → fully connected → 10 int32 logits; each weight op at its width.
Model layeredModel(const Widths& bits) {
    Model m;
    m.tensors = {
        {"input", DataType::UInt8, 1, 12, 12, 0.25f, 128, 8},
        {"conv", DataType::UInt8, 8, 12, 12, 0.1f, 0, 8},
        {"dw", DataType::UInt8, 8, 12, 12, 0.1f, 0, 8},
        {"pw", DataType::UInt8, 16, 12, 12, 0.1f, 0, 8},
        {"pool", DataType::UInt8, 16, 6, 6, 0.1f, 0, 8},
        {"flat", DataType::UInt8, 576, 1, 1, 0.1f, 0, 8},
        {"logits", DataType::Int32, 10, 1, 1, 1.0f, 0, 32},
    };
    m.inputs = {{"image", 0}};
    m.output = 6;
    const auto weightOp = [&](OpType type, const char* name, std::uint32_t in, std::uint32_t out,
                              std::uint32_t k, int layer, std::size_t count, int taps) {
        Op op;
        op.type = type;
        op.name = name;
        op.inputs = {{in}};
        op.output = out;
        op.kernel_h = op.kernel_w = k;
        op.padding = k / 2;
        op.relu = type != OpType::FullyConnected;
        op.weight_bits = static_cast<std::uint8_t>(bits[static_cast<std::size_t>(layer)]);
        op.weights = weightsAt(op.weight_bits, count, layer);
        requantize(op, m.tensors[out].c, taps);
        return op;
    };
    Op pool;
    pool.type = OpType::MaxPool2d;
    pool.name = "image.3.maxpool2d";
    pool.inputs = {{3}};
    pool.output = 4;
    pool.kernel_h = pool.kernel_w = pool.stride = 2;
    Op flat;
    flat.type = OpType::Reshape;
    flat.name = "image.4.flatten";
    flat.inputs = {{4}};
    flat.output = 5;
    Op fc = weightOp(OpType::FullyConnected, "classifier", 5, 6, 1, 3, 10 * 576, 576);
    fc.output_scale.assign(10, 0.01f);
    m.ops = {weightOp(OpType::Conv2d, "image.0.conv2d", 0, 1, 3, 0, 8 * 9, 9),
             weightOp(OpType::DepthwiseConv2d, "image.1.depthwise", 1, 2, 3, 1, 8 * 9, 9),
             weightOp(OpType::PointwiseConv2d, "image.2.pointwise", 2, 3, 1, 2, 16 * 8, 8),
             pool,
             flat,
             fc};
    m.frontend.classes = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return m;
}

struct Variant {
    const char* name;
    Widths bits;
};
const Variant kVariants[] = {
    {"INT8", {8, 8, 8, 8}}, {"INT4", {4, 4, 4, 4}}, {"MP", {8, 4, 2, 4}}, {"INT2", {2, 2, 2, 2}}};

// Every kernel table this machine runs: portable, its pair-GEMM twin, AVX2 or NEON.
std::vector<const SimdOps*> kernelTables() {
    std::vector<const SimdOps*> tables{&portableSimdOps(), &portablePairSimdOps()};
    for (const SimdOps* ops : {avx2SimdOps(), neonSimdOps(), neonDotprodSimdOps()})
        if (ops) tables.push_back(ops);
    return tables;
}

std::vector<std::int32_t> logitsOf(const Model& m, const SimdOps* ops) {
    Interpreter interpreter(m, {false, ops});
    std::vector<float> x(interpreter.inputElements(0));
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>(static_cast<int>(i * 37 % 97) - 48) * 0.25f;
    interpreter.setInput(0, x.data(), x.size());
    interpreter.invoke();
    return {interpreter.rawLogits(), interpreter.rawLogits() + interpreter.classCount()};
}

TEST(ReadModelTest, KeepsInt4Int2AndMixedWeightsPackedInTheFilesBytes) {
    for (const Variant& v : kVariants) {
        tm2::testing::TempDir dir;
        const Model written = layeredModel(v.bits);
        writeModel(dir.file("m.tmn"), written);
        const Model m = readModel(dir.file("m.tmn"));
        ASSERT_NE(m.storage, nullptr) << v.name;
        const std::uint8_t* begin = m.storage->data();
        const std::uint8_t* end = begin + m.storage->size();
        std::size_t packed = 0, unpacked = 0;
        for (std::size_t i = 0; i < m.ops.size(); ++i) {
            const Op& op = m.ops[i];
            if (written.ops[i].weights.empty()) continue;
            // Each layer's bytes at its width: ceil(weights · bits / 8).
            const std::size_t bytes = (op.weightCount() * op.weight_bits + 7) / 8;
            EXPECT_TRUE(op.weights.empty()) << v.name << " " << op.name << ": unpacked on the heap";
            EXPECT_TRUE(op.weights_in_place >= begin && op.weights_in_place + bytes <= end)
                << v.name << " " << op.name;
            EXPECT_EQ(op.weightBytes(), bytes) << v.name << " " << op.name;
            EXPECT_EQ(op.weightCodes(), written.ops[i].weights) << v.name << " " << op.name;
            packed += bytes;
            unpacked += op.weightCount();
        }
        std::size_t arrays = 0;
        for (const Op& op : m.ops)
            arrays += 4 * (op.bias.size() + op.multiplier.size() + op.shift.size() + op.output_scale.size());
        EXPECT_EQ(Interpreter(m).weightBytes(), packed + arrays) << v.name;
        // 72 + 72 + 128 + 5,760 = 6,032 weights: 6,032 B at INT8, 3,016 at INT4, 1,508 at INT2;
        // MP (8, 4, 2, 4 bits): 72 + 36 + 32 + 2,880.
        const std::size_t expected = std::string(v.name) == "INT8"   ? unpacked
                                     : std::string(v.name) == "INT4" ? unpacked / 2
                                     : std::string(v.name) == "INT2" ? unpacked / 4
                                                                     : 72 + 36 + 32 + 2880;
        EXPECT_EQ(packed, expected) << v.name;
        // Only the weights are kept (each layer from a 4-byte boundary, as in the file).
        EXPECT_GE(m.storage->size(), packed) << v.name;
        EXPECT_LT(m.storage->size(), packed + 4 * 4) << v.name;
    }
}

TEST(ReadModelTest, GivesTheLogitsOfTheInPlaceParseAndOfTheUnpackedCopyOnEveryKernelPath) {
    for (const Variant& v : kVariants) {
        tm2::testing::TempDir dir;
        writeModel(dir.file("m.tmn"), layeredModel(v.bits));
        const Model read = readModel(dir.file("m.tmn"));
        const std::vector<std::uint8_t> bytes = serializeModel(layeredModel(v.bits));
        const Model copied = parseModel(bytes.data(), bytes.size());  // every weight unpacked to int8
        const Model in_place = parseModel(bytes.data(), bytes.size(), "m.tmn", {true});
        for (const SimdOps* ops : kernelTables()) {
            const std::vector<std::int32_t> want = logitsOf(copied, ops);
            EXPECT_GT(std::set<std::int32_t>(want.begin(), want.end()).size(), 3U) << "degenerate logits";
            EXPECT_EQ(logitsOf(read, ops), want) << v.name << " " << ops->name;
            EXPECT_EQ(logitsOf(in_place, ops), want) << v.name << " " << ops->name;
        }
        EXPECT_EQ(serializeModel(read), bytes) << v.name;  // writes back the same file
    }
}

TEST(ReadModelTest, ACopyOfTheModelStaysValidAfterTheOriginalIsGone) {
    tm2::testing::TempDir dir;
    writeModel(dir.file("m.tmn"), layeredModel({4, 4, 2, 4}));
    Model copy;
    {
        const Model original = readModel(dir.file("m.tmn"));
        copy = original;  // shares the bytes its weights point into
    }
    const std::vector<std::uint8_t> bytes = serializeModel(layeredModel({4, 4, 2, 4}));
    EXPECT_EQ(logitsOf(copy, &portableSimdOps()),
              logitsOf(parseModel(bytes.data(), bytes.size()), &portableSimdOps()));
}

}  // namespace
}  // namespace tm2::runtime
