#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/runtime/arena_planner.h"
#include "core/runtime/interpreter.h"
#include "tests/core/runtime/tiny_model.h"

namespace tm2::runtime {
namespace {

TEST(ArenaPlannerTest, ReusesBytesOfBuffersThatAreNoLongerAlive) {
    // A chain a → b → c: a and c never live together, so c takes a's place.
    const ArenaPlan plan = planArena({{100, -1, 0}, {64, 0, 1}, {100, 1, 2}}, 16);
    EXPECT_EQ(plan.offsets[0], plan.offsets[2]);
    EXPECT_EQ(plan.peak_bytes, 112U + 64U);  // 100 aligned to 112, plus 64
}

TEST(ArenaPlannerTest, NeverOverlapsBuffersAliveTogether) {
    const std::vector<BufferRequest> r{{40, 0, 3}, {30, 1, 2}, {50, 2, 4}, {10, 0, 0}, {70, 3, 5}};
    const ArenaPlan plan = planArena(r, 16);
    for (std::size_t i = 0; i < r.size(); ++i)
        for (std::size_t j = i + 1; j < r.size(); ++j) {
            const bool together = !(r[i].last_use < r[j].first_use || r[j].last_use < r[i].first_use);
            const bool apart = plan.offsets[i] + r[i].bytes <= plan.offsets[j] || plan.offsets[j] + r[j].bytes <= plan.offsets[i];
            if (together) {
                EXPECT_TRUE(apart) << i << " and " << j;
            }
        }
}

// Float reference of tinyModel computed step by step from its definition.
std::vector<float> referenceLogits(const Model& m, const std::vector<float>& x) {
    const Op& conv = m.ops[0];
    // Input codes: round(x / 0.5) + 2, clamped.
    std::vector<int> q(16);
    for (int i = 0; i < 16; ++i) q[i] = std::min(255, std::max(0, static_cast<int>(std::nearbyint(x[i] / 0.5f)) + 2));
    std::vector<int> conv_codes(32);
    for (int oc = 0; oc < 2; ++oc)
        for (int y = 0; y < 4; ++y)
            for (int xx = 0; xx < 4; ++xx) {
                long acc = conv.bias[oc];
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx) {
                        const int iy = y + ky - 1, ix = xx + kx - 1;
                        if (iy < 0 || iy > 3 || ix < 0 || ix > 3) continue;
                        acc += (q[iy * 4 + ix] - 2) * conv.weights[oc * 9 + ky * 3 + kx];
                    }
                // · 0.2 (= 0.5 · 0.1 / 0.25), round half up, ReLU at zp 0.
                const long v = static_cast<long>(std::floor(acc * 0.2 + 0.5));
                conv_codes[oc * 16 + y * 4 + xx] = static_cast<int>(std::min(255L, std::max(0L, v)));
            }
    std::vector<int> pooled;
    for (int c = 0; c < 2; ++c)
        for (int y = 0; y < 2; ++y)
            for (int xx = 0; xx < 2; ++xx) {
                int best = 0;
                for (int dy = 0; dy < 2; ++dy)
                    for (int dx = 0; dx < 2; ++dx) best = std::max(best, conv_codes[c * 16 + (2 * y + dy) * 4 + 2 * xx + dx]);
                pooled.push_back(best);
            }
    std::vector<float> logits;
    for (int o = 0; o < 3; ++o) {
        long acc = m.ops[3].bias[o];
        for (int i = 0; i < 8; ++i) acc += pooled[i] * m.ops[3].weights[o * 8 + i];
        logits.push_back(static_cast<float>(acc) * m.ops[3].output_scale[o]);
    }
    return logits;
}

TEST(InterpreterTest, MatchesAStepByStepReferenceOnEveryKernelPath) {
    const Model m = fixtures::tinyModel();
    std::vector<float> x(16);
    for (int i = 0; i < 16; ++i) x[i] = std::sin(1.7f * i) * 20.0f;
    const std::vector<float> want = referenceLogits(m, x);
    std::vector<const SimdOps*> paths{&portableSimdOps(), &portablePairSimdOps(), &bestSimdOps()};
    for (const SimdOps* ops : paths)
        for (bool keep_all : {false, true}) {  // both arena layouts: scratch must not overlap a live tensor
            Interpreter interpreter(m, {keep_all, ops});
            interpreter.setInput(0, x.data(), x.size());
            interpreter.invoke();
            ASSERT_EQ(interpreter.classCount(), 3U);
            for (std::size_t c = 0; c < 3; ++c) EXPECT_FLOAT_EQ(interpreter.logit(c), want[c]) << ops->name << keep_all;
            std::size_t best = 0;
            for (std::size_t c = 1; c < 3; ++c)
                if (want[c] > want[best]) best = c;
            EXPECT_EQ(interpreter.argmax(), best);
        }
}

TEST(InterpreterTest, PlansLessArenaThanKeepingEveryTensor) {
    const Model m = fixtures::tinyModel();
    Interpreter reused(m, {false, &portableSimdOps()});
    Interpreter kept(m, {true, &portableSimdOps()});
    // Tensors: 16 + 32 + 8 + 8 + 12 bytes, conv scratch 64 (16 int32): each aligned to 16 when kept.
    EXPECT_EQ(kept.arenaBytes(), 16U + 32U + 16U + 16U + 16U + 64U);
    // A conv over one input plane takes the direct path (kernels/pair_conv.cpp, no pairs
    // matrix): padded 6×6 plane 36 → 64 B, 5 tap pairs' 10 offsets 40 → 64 B, copy-out
    // buffer for 12 channels' flat runs of 3·6 + 4 = 22: 264 → 288 B; 416 in all.
    Interpreter kept_pairs(m, {true, &portablePairSimdOps()});
    EXPECT_EQ(kept_pairs.arenaBytes(), 16U + 32U + 16U + 16U + 16U + 416U);
    EXPECT_LT(Interpreter(m, {false, &portablePairSimdOps()}).arenaBytes(), kept_pairs.arenaBytes());
    EXPECT_LT(reused.arenaBytes(), kept.arenaBytes());
    EXPECT_GT(reused.arenaBytes(), 0U);
}

TEST(InterpreterTest, RunsTheSameTwiceWithoutState) {
    Interpreter interpreter(fixtures::tinyModel());
    std::vector<float> x(16, 3.0f), y(16, -1.0f);
    interpreter.setInput(0, x.data(), 16);
    interpreter.invoke();
    const float first = interpreter.logit(0);
    interpreter.setInput(0, y.data(), 16);
    interpreter.invoke();
    interpreter.setInput(0, x.data(), 16);
    interpreter.invoke();
    EXPECT_EQ(interpreter.logit(0), first);
}

// Logits of `interpreter` on a fixed input.
std::vector<std::int32_t> logitsOf(Interpreter& interpreter) {
    std::vector<float> x(16);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 5) - 2.0f;
    interpreter.setInput(0, x.data(), x.size());
    interpreter.invoke();
    return {interpreter.rawLogits(), interpreter.rawLogits() + interpreter.classCount()};
}

// A model of int4 convolutions with 4-bit activations, big enough for the NEON loops that
// accumulate in int16 when the op's load-time bound allows (OutputStage::acc_bound): a 3×3
// first layer on an 8-bit input (zp 100) into 8 channels, then a pointwise 8 → 8, both
// ReLU into 4-bit codes, then a fully connected layer to 3 logits. With `wide_input`, the
// input is instead 32 channels declared 4-bit (zp 8) read by a pointwise layer whose rows'
// Σ |w| is 256: bounded by the tensor's bits its sums would fit int16, but a model input's
// codes are whatever the caller writes (inputCodes), so they must not be assumed to.
Model int4ActivationsModel(bool wide_input) {
    Model m;
    const std::uint32_t h = 6, w = 20;
    const std::uint32_t in_c = wide_input ? 32 : 1;
    m.tensors = {
        {"input", DataType::UInt8, in_c, h, w, 0.05f, wide_input ? 8 : 100,
         wide_input ? std::uint8_t{4} : std::uint8_t{8}},
        {"a", DataType::UInt8, 8, h, w, 0.5f, 0, 4},
        {"b", DataType::UInt8, 8, h, w, 0.5f, 0, 4},
        {"flat", DataType::UInt8, 8 * h * w, 1, 1, 0.5f, 0, 4},
        {"logits", DataType::Int32, 3, 1, 1, 1.0f, 0, 32},
    };
    m.inputs = {{"image", 0}};
    m.output = 4;
    auto conv = [](OpType type, std::uint32_t in, std::uint32_t out, int kernel, int k, int channels,
                   double scale, int seed) {
        Op op;
        op.type = type;
        op.name = "image." + std::to_string(out) + ".conv";
        op.inputs = {{in}};
        op.output = out;
        op.kernel_h = op.kernel_w = static_cast<std::uint32_t>(kernel);
        op.padding = kernel / 2;
        op.relu = true;
        op.weight_bits = 4;
        for (int i = 0; i < k * channels; ++i)
            op.weights.push_back(static_cast<std::int8_t>((i * seed + i / 7) % 16 - 8));
        const Dyadic d = toDyadic(scale);
        for (int c = 0; c < channels; ++c) {
            op.bias.push_back(c * 37 - 100);
            op.multiplier.push_back(d.multiplier);
            op.shift.push_back(d.shift);
        }
        return op;
    };
    Op first = wide_input ? conv(OpType::PointwiseConv2d, 0, 1, 1, 32, 8, 1.0 / 2048, 5)
                          : conv(OpType::Conv2d, 0, 1, 3, 9, 8, 1.0 / 128, 5);
    if (wide_input)  // rows of −8 and of 7: Σ |w| 256 and 224, times 247 far past int16
        for (std::size_t i = 0; i < first.weights.size(); ++i) first.weights[i] = (i / 32) % 2 ? 7 : -8;
    Op second = conv(OpType::PointwiseConv2d, 1, 2, 1, 8, 8, 1.0 / 8, 3);
    m.ops = {first, second};
    for (Op& op : fixtures::flattenAndClassifier(2, 8 * h * w, "image.flatten"))
        m.ops.push_back(std::move(op));
    m.frontend.classes = {"a", "b", "c"};
    m.frontend.inputs = {
        fixtures::imageInput(std::vector<float>(in_c, 0.0f), std::vector<float>(in_c, 1.0f))};
    return m;
}

TEST(InterpreterTest, Int4ActivationModelsGiveThePortableLogitsOnEveryTableForAnyInputCodes) {
    for (bool wide_input : {false, true}) {
        const std::vector<std::uint8_t> bytes = serializeModel(int4ActivationsModel(wide_input));
        const Model model = parseModel(bytes.data(), bytes.size(), "model", {true});
        Interpreter reference(model, {false, &portableSimdOps()});
        const std::size_t n = reference.inputElements(0);
        // Every code 0, every code 255 (past a 4-bit input's range: the caller's bytes), a spread.
        for (int fill : {0, 255, -1}) {
            std::vector<std::uint8_t> codes(n);
            for (std::size_t i = 0; i < n; ++i)
                codes[i] = static_cast<std::uint8_t>(fill >= 0 ? fill : (i * 97 + i / 13) % 256);
            std::copy(codes.begin(), codes.end(), reference.inputCodes(0));
            reference.invoke();
            const std::vector<std::int32_t> want(reference.rawLogits(), reference.rawLogits() + 3);
            for (const SimdOps* ops : {&portablePairSimdOps(), &bestSimdOps()}) {
                Interpreter interpreter(model, {false, ops});
                std::copy(codes.begin(), codes.end(), interpreter.inputCodes(0));
                interpreter.invoke();
                EXPECT_EQ(std::vector<std::int32_t>(interpreter.rawLogits(), interpreter.rawLogits() + 3),
                          want)
                    << ops->name << (wide_input ? " wide input" : " 3x3 first layer") << " fill " << fill;
            }
        }
    }
}

TEST(InterpreterTest, RunsOutOfAnArenaTheCallerProvides) {
    const Model m = fixtures::tinyModel();
    Interpreter own(m);
    alignas(64) static std::uint8_t arena[4096];
    Interpreter given(m, {false, nullptr, arena, sizeof arena});
    EXPECT_EQ(given.arenaBytes(), own.arenaBytes());
    EXPECT_EQ(logitsOf(given), logitsOf(own));
    const std::uint8_t* out = given.tensorCodes(m.output);
    EXPECT_TRUE(out >= arena && out < arena + sizeof arena);  // the tensors live in the given memory
    try {
        Interpreter small(m, {false, nullptr, arena, own.arenaBytes() - 1});
        FAIL() << "a too small arena was accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("needs " + std::to_string(own.arenaBytes())), std::string::npos) << e.what();
    }
    // Misaligned by one byte: the usable part shrinks by the 63 bytes skipped to align.
    EXPECT_THROW(Interpreter(m, {false, nullptr, arena + 1, own.arenaBytes() + 1}), Error);
    EXPECT_NO_THROW(Interpreter(m, {false, nullptr, arena + 1, own.arenaBytes() + 63}));
}

TEST(InterpreterTest, RunsInt8WeightsInPlaceInTheModelBytes) {
    Model m = fixtures::tinyModel();
    for (auto& op : m.ops)
        if (op.weight_bits == 4) op.weight_bits = 8;  // every layer int8: all can stay in place
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model copied = parseModel(bytes.data(), bytes.size());
    const Model in_place = parseModel(bytes.data(), bytes.size(), "model", {true});
    std::size_t with_weights = 0;
    for (std::size_t i = 0; i < in_place.ops.size(); ++i) {
        const Op& op = in_place.ops[i];
        if (op.weightCount() == 0) continue;
        ++with_weights;
        EXPECT_TRUE(op.weights.empty()) << op.name;
        const auto* p = reinterpret_cast<const std::uint8_t*>(op.weightData());
        EXPECT_TRUE(p >= bytes.data() && p + op.weightCount() <= bytes.data() + bytes.size()) << op.name;
        EXPECT_EQ(std::vector<std::int8_t>(op.weightData(), op.weightData() + op.weightCount()), copied.ops[i].weights);
    }
    EXPECT_GT(with_weights, 0U);
    Interpreter a(copied), b(in_place);
    EXPECT_EQ(logitsOf(a), logitsOf(b));
    EXPECT_EQ(serializeModel(in_place), bytes);  // writes back the same file
}

TEST(InterpreterTest, KeepsInt4WeightsPackedInPlaceInConvolutionsAndFullyConnectedLayers) {
    Model m = fixtures::tinyModel();  // conv int4, fc int8
    for (auto& op : m.ops)
        if (op.type == OpType::FullyConnected) {
            op.weight_bits = 4;
            for (auto& w : op.weights) w = static_cast<std::int8_t>(std::clamp<int>(w, -8, 7));
        }
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model copied = parseModel(bytes.data(), bytes.size());
    const Model in_place = parseModel(bytes.data(), bytes.size(), "model", {true});
    bool saw_conv = false, saw_fc = false;
    for (std::size_t i = 0; i < in_place.ops.size(); ++i) {
        const Op& op = in_place.ops[i];
        if (op.weight_bits != 4) continue;
        (op.type == OpType::FullyConnected ? saw_fc : saw_conv) = true;
        // Nothing unpacked on the heap: the kernels read the file's nibbles.
        EXPECT_TRUE(op.packedInt4InPlace()) << op.name;
        EXPECT_TRUE(op.weights.empty()) << op.name;
        EXPECT_EQ(op.weightData(), nullptr) << op.name;
        EXPECT_TRUE(op.weights_in_place >= bytes.data() &&
                    op.weights_in_place + (op.weightCount() + 1) / 2 <= bytes.data() + bytes.size())
            << op.name;
        EXPECT_EQ(op.weightCodes(), copied.ops[i].weights) << op.name;
    }
    EXPECT_TRUE(saw_conv);
    EXPECT_TRUE(saw_fc);
    // Same logits as the unpacked copy through every kernel table (the pair paths
    // build their weight pairs from the packed nibbles).
    std::vector<const SimdOps*> tables{&portableSimdOps(), &portablePairSimdOps(), &bestSimdOps()};
    for (const SimdOps* ops : tables) {
        Interpreter a(copied, {false, ops}), b(in_place, {false, ops});
        EXPECT_EQ(logitsOf(a), logitsOf(b)) << ops->name;
    }
    EXPECT_EQ(serializeModel(in_place), bytes);
}

TEST(InterpreterTest, CountsThePairPathsWeightPanelsApartFromTheWeights) {
    const Model m = fixtures::tinyModel();  // conv 2 × 9 int4 weights, fc 3 × 8 int8
    // Weights as held: the conv's 18 int4 weights in 9 bytes in place (18 int8 in the
    // model built in memory), the fc's 24 int8. The portable loops build no panels; the
    // pair GEMM packs each conv row of 9 taps into (9 + 1) / 2 = 5 int32: 2 × 5 × 4 = 40 B.
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model in_place = parseModel(bytes.data(), bytes.size(), "model", {true});
    const std::size_t arrays = 4 * (2 + 2 + 2 + 0) + 4 * (3 + 3 + 3 + 3);
    EXPECT_EQ(Interpreter(in_place, {false, &portableSimdOps()}).weightBytes(), 9 + 24 + arrays);
    EXPECT_EQ(Interpreter(m, {false, &portableSimdOps()}).weightBytes(), 18 + 24 + arrays);
    EXPECT_EQ(Interpreter(in_place, {false, &portableSimdOps()}).weightPanelBytes(), 0U);
    // The packed int4 conv's pairs are built per call from the nibbles, in the arena: none
    // on the heap. The int8 copy of the model keeps its 40 B panel from load.
    EXPECT_EQ(Interpreter(in_place, {false, &portablePairSimdOps()}).weightPanelBytes(), 0U);
    EXPECT_EQ(Interpreter(in_place, {false, &portablePairSimdOps()}).callPanelBytes(), 40U);
    EXPECT_EQ(Interpreter(in_place, {false, &portableSimdOps()}).callPanelBytes(), 0U);
    EXPECT_EQ(Interpreter(m, {false, &portablePairSimdOps()}).weightPanelBytes(), 40U);
    EXPECT_EQ(Interpreter(m, {false, &portablePairSimdOps()}).callPanelBytes(), 0U);
}

TEST(InterpreterTest, AnInt4ModelHoldsLessThanItsInt8TwinOnEveryPairPath) {
    // The same network at int8 and at int4 (tinyModel's conv plus a wider conv stack), read
    // in place: on the pair paths the int8 model keeps its conv panels (2 B a weight) on the
    // heap, the int4 one builds them per call, so what it holds (weights as stored + panels)
    // is below int8's by at least the panels and half the weights. Logits as the copied model's.
    Model int4 = fixtures::tinyModel();
    Op& conv = int4.ops[0];
    conv.weights.clear();
    int4.tensors[1].c = 24;  // 24 channels: rows of 9 taps, half of them starting mid-byte
    int4.tensors[2].c = 24;
    int4.tensors[3].c = 96;
    for (int i = 0; i < 24 * 9; ++i) conv.weights.push_back(static_cast<std::int8_t>((i * 7) % 16 - 8));
    conv.bias.assign(24, 5);
    conv.multiplier.assign(24, conv.multiplier[0]);
    conv.shift.assign(24, conv.shift[0]);
    Op& fc = int4.ops[3];
    fc.weights.clear();
    for (int i = 0; i < 3 * 96; ++i) fc.weights.push_back(static_cast<std::int8_t>((i * 37) % 255 - 127));
    Model int8 = int4;
    int8.ops[0].weight_bits = 8;
    const std::vector<std::uint8_t> bytes4 = serializeModel(int4), bytes8 = serializeModel(int8);
    const Model in_place4 = parseModel(bytes4.data(), bytes4.size(), "int4", {true});
    const Model in_place8 = parseModel(bytes8.data(), bytes8.size(), "int8", {true});
    const Model copied4 = parseModel(bytes4.data(), bytes4.size(), "int4");
    const std::size_t conv_panel = 24 * 5 * 4;  // 24 rows × (9 + 1) / 2 pairs × 4 B
    for (const SimdOps* ops : {&portablePairSimdOps(), &bestSimdOps()}) {
        if (!ops->gemm_pairs) continue;
        const Interpreter a(in_place4, {false, ops}), b(in_place8, {false, ops});
        const std::size_t held4 = a.weightBytes() + a.weightPanelBytes();
        const std::size_t held8 = b.weightBytes() + b.weightPanelBytes();
        EXPECT_EQ(b.weightPanelBytes(), conv_panel) << ops->name;
        EXPECT_EQ(a.weightPanelBytes(), 0U) << ops->name;
        EXPECT_EQ(a.callPanelBytes(), conv_panel) << ops->name;
        EXPECT_LE(held4 + conv_panel + 24 * 9 / 2, held8) << ops->name;
        Interpreter run4(in_place4, {false, ops}), want(copied4, {false, ops});
        EXPECT_EQ(logitsOf(run4), logitsOf(want)) << ops->name;
    }
}

TEST(InterpreterTest, RunsGatedFusionsLookupAndMulAsComputedByHand) {
    Interpreter interpreter(fixtures::gatedModel());
    // Input codes x / 0.5 = [4, 8, 12, 16]. Gate fc (diag 1, −1, 2, −2; factor 0.5·0.5/0.25 = 1)
    // + zp 128 = [132, 120, 152, 96]; the identity table keeps them. Mul: q · z / 255 =
    // 2.07, 3.76, 7.15, 6.02 → [2, 4, 7, 6]. Logits: (2+4+7+6)·0.25 = 4.75, (2−4+7−6)·0.25 = −0.25.
    const std::vector<float> x{2, 4, 6, 8};
    interpreter.setInput(0, x.data(), x.size());
    interpreter.invoke();
    EXPECT_FLOAT_EQ(interpreter.logit(0), 4.75f);
    EXPECT_FLOAT_EQ(interpreter.logit(1), -0.25f);
}

TEST(InterpreterTest, RunsFilmsAddAsComputedByHand) {
    Interpreter interpreter(fixtures::filmModel());
    // As gatedModel up to the mul ([2, 4, 7, 6], zp 0), input codes [4, 8, 12, 16]; add at
    // 0.5 each + zp 3: 1+2+3 = 6, 2+4+3 = 9, 3.5+6+3 → round(3.5) = 4 (ties up): 4+6+3 = 13,
    // 3+8+3 = 14. The classifier reads them less zp 3, [3, 6, 10, 11]: logits
    // (3+6+10+11)·0.25 = 7.5, (3−6+10−11)·0.25 = −1.
    const std::vector<float> x{2, 4, 6, 8};
    interpreter.setInput(0, x.data(), x.size());
    interpreter.invoke();
    EXPECT_FLOAT_EQ(interpreter.logit(0), 7.5f);
    EXPECT_FLOAT_EQ(interpreter.logit(1), -1.0f);
}

TEST(InterpreterTest, RunsAttentionsSoftmaxAndBroadcastMulAsComputedByHand) {
    Interpreter interpreter(fixtures::attentionModel());
    // Audio [1, 2] → codes [2, 4], image [0.5, 1] → [1, 2]. Scores (factor 0.5, zp 128):
    // 6 · 0.5 = 3 → 131, 3 · 0.5 = 1.5 → 2 (ties up) → 130. Softmax (scale 0.5): α = [159, 96]
    // (kernels_test). Muls: 2·159/255 = 1.25 → 1, 4·159/255 = 2.49 → 2; 1·96/255 = 0.38 → 0,
    // 2·96/255 = 0.75 → 1. Logits: (1+2+0+1)·0.25 = 1, (1−2+0−1)·0.25 = −0.5.
    const std::vector<float> audio{1, 2}, image{0.5f, 1};
    interpreter.setInput(0, audio.data(), audio.size());
    interpreter.setInput(1, image.data(), image.size());
    interpreter.invoke();
    EXPECT_FLOAT_EQ(interpreter.logit(0), 1.0f);
    EXPECT_FLOAT_EQ(interpreter.logit(1), -0.5f);
}

TEST(InterpreterTest, RunsInt2WeightsPackedInPlaceAsTheSameCodesAtInt8) {
    // Every weight layer at 2 bits (codes −1..1); the same codes stored as int8 are the
    // reference: the packed file, copied or read in place, must give its logits exactly.
    Model as_int8 = fixtures::tinyModel();
    for (auto& op : as_int8.ops) {
        if (op.weights.empty()) continue;
        op.weight_bits = 8;
        for (auto& w : op.weights) w = static_cast<std::int8_t>(std::clamp<int>(w, -1, 1));
    }
    Model m = as_int8;
    for (auto& op : m.ops)
        if (!op.weights.empty()) op.weight_bits = 2;
    const std::vector<std::uint8_t> bytes = serializeModel(m);
    const Model copied = parseModel(bytes.data(), bytes.size());
    const Model in_place = parseModel(bytes.data(), bytes.size(), "model", {true});
    bool saw_conv = false, saw_fc = false;
    for (std::size_t i = 0; i < in_place.ops.size(); ++i) {
        const Op& op = in_place.ops[i];
        if (op.weight_bits != 2) continue;
        (op.type == OpType::FullyConnected ? saw_fc : saw_conv) = true;
        EXPECT_NE(op.weights_in_place, nullptr) << op.name;
        EXPECT_EQ(op.weightData(), nullptr) << op.name;
        EXPECT_TRUE(op.weights_in_place >= bytes.data() &&
                    op.weights_in_place + (op.weightCount() + 3) / 4 <= bytes.data() + bytes.size())
            << op.name;
        EXPECT_EQ(op.weightCodes(), as_int8.ops[i].weights) << op.name;
        EXPECT_EQ(copied.ops[i].weights, as_int8.ops[i].weights) << op.name;
    }
    EXPECT_TRUE(saw_conv);
    EXPECT_TRUE(saw_fc);
    std::vector<const SimdOps*> tables{&portableSimdOps(), &portablePairSimdOps(), &bestSimdOps()};
    for (const SimdOps* ops : tables) {
        Interpreter want(as_int8, {false, ops}), a(copied, {false, ops}), b(in_place, {false, ops});
        const std::vector<std::int32_t> logits = logitsOf(want);
        EXPECT_EQ(logitsOf(a), logits) << ops->name;
        EXPECT_EQ(logitsOf(b), logits) << ops->name;
    }
    EXPECT_EQ(serializeModel(in_place), bytes);
    // Four weights a byte: the 2-bit file is smaller than the int8 one.
    EXPECT_LT(bytes.size(), serializeModel(as_int8).size());
}

TEST(InterpreterTest, RejectsAWrongInputSize) {
    Interpreter interpreter(fixtures::tinyModel());
    std::vector<float> x(15);
    EXPECT_THROW(interpreter.setInput(0, x.data(), x.size()), Error);
}

}  // namespace
}  // namespace tm2::runtime
