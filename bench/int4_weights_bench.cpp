// INT4 vs INT8 on each kernel path of this machine: heap after load and latency.
//   int4_weights_bench [--runs N] [--warmup N] [--rounds R] [--kernel NAME] [--no-timing]
//                      [--no-repack] MODEL.tmn ...
// For every model and every kernel table the build and the CPU have (portable =
// the microcontroller's loops, portable-pairs, avx2 / neon / neon-dotprod), it loads
// the model three ways: in place (parseModel(..., {true}), the file's bytes standing for
// flash, as an exported MCU build does), read (parseOwnedModel, as readModel does on a
// host: the model holds its weights as the file stores them, packed) and copied (parseModel
// without options: every weight unpacked to int8, what readModel did before), and counts what operator new
// holds once the Interpreter is built (the arena is given as a static-like block, so the figure is the
// graph's tables, any unpacked weights and the pair paths' weight panels). Then p50 µs of invoke() (in
// place), and for the pair paths p50 µs of building every conv's weight pairs (packWeightPairs with the
// table's packer, from the codes the model holds): what the panels cost per inference when built per call
// (packed int4 convolutions do so and have it inside p50; int8 ones build them once at load). Latency is the
// lowest p50 of R rounds (a shared machine's bursts inflate single rounds).
// --kernel keeps one table; --no-timing (qemu, where time means nothing) prints the heap figures only;
// --no-repack skips the panel timing (instruction counts). arena_B is the arena the Interpreter plans
// (outside the heap figure; int4 convolutions' panels built per call live there).
//   int4_weights_bench --make-shape-models DIR
// writes DIR/{int8,int4,mp}.tmn without LibTorch: the tinym2net-image-audio preset's layers and shapes
// (28×28 image, 13×101 audio, concat, 10 classes) with deterministic made-up weights, for machines
// without the trained demo models (bench/make_demo_models.sh needs the CLI, i.e. LibTorch). mp: the
// first convs and the depthwise ones int8, the pointwise ones and the fully connected layers int4.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/bench_support.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/model_format.h"

namespace {

std::size_t g_heap_now = 0;
bool g_counting = false;

}  // namespace

// Every allocation carries its size in a 16-byte header, so delete can take it off.
// Not inlined: GCC would otherwise pair an inlined malloc with a delete and warn.
__attribute__((noinline)) void* operator new(std::size_t bytes) {
    void* block = std::malloc(bytes + 16);
    if (!block) throw std::bad_alloc();
    *static_cast<std::size_t*>(block) = bytes;
    if (g_counting) g_heap_now += bytes;
    return static_cast<char*>(block) + 16;
}
void* operator new[](std::size_t bytes) { return operator new(bytes); }
__attribute__((noinline)) void operator delete(void* p) noexcept {
    if (!p) return;
    char* block = static_cast<char*>(p) - 16;
    const std::size_t bytes = *reinterpret_cast<std::size_t*>(block);
    if (g_counting) g_heap_now -= std::min(bytes, g_heap_now);
    std::free(block);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

namespace {

using namespace tm2::runtime;

double p50(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

bool isConv(OpType t) {
    return t == OpType::Conv2d || t == OpType::DepthwiseConv2d || t == OpType::PointwiseConv2d;
}

WeightCodes codesOf(const Op& op) {
    return op.weights_in_place && op.weight_bits < 8 ? WeightCodes::packed(op.weights_in_place, op.weight_bits)
                                                     : WeightCodes(op.weightData());
}

enum class Load { InPlace, Read, Copied };

Model load(const std::vector<std::uint8_t>& bytes, Load how) {
    if (how == Load::Read) return parseOwnedModel(bytes, "model");  // the weights it keeps are counted
    return parseModel(bytes.data(), bytes.size(), "model", {how == Load::InPlace});
}

// Heap held after building an Interpreter over `bytes` (arena outside the count).
std::size_t heapAfterLoad(const std::vector<std::uint8_t>& bytes, Load how, const SimdOps& ops,
                          std::vector<std::uint8_t>& arena) {
    std::size_t heap = 0;
    {
        g_heap_now = 0;
        g_counting = true;
        Interpreter interpreter(load(bytes, how), {false, &ops, arena.data(), arena.size()});
        heap = g_heap_now;
        g_counting = false;
    }
    return heap;
}

// p50 µs of packing every conv's weight pairs from the codes the model holds, with the
// table's packer (ops.int4_pairs for packed int4: what the pair paths now do per call).
double repackMicros(const Model& model, int runs, const SimdOps& ops) {
    std::vector<std::int32_t> pairs;
    for (const Op& op : model.ops)
        if (isConv(op.type)) {
            const int rows = static_cast<int>(model.tensors[op.output].c);
            const int k = static_cast<int>(op.weightCount()) / rows;
            pairs.resize(std::max(pairs.size(), static_cast<std::size_t>(rows) * weightPairCount(k)));
        }
    std::vector<double> us;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        for (const Op& op : model.ops)
            if (isConv(op.type)) {
                const int rows = static_cast<int>(model.tensors[op.output].c);
                packWeightPairs(codesOf(op), rows, static_cast<int>(op.weightCount()) / rows, pairs.data(),
                                ops);
            }
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    return p50(us);
}

// The preset's network with made-up weights (--make-shape-models): codes spread like a
// trained layer's (a sum of three uniforms, most near 0), clamped to ±(2^(bits−1) − 1).
struct ShapeModelMaker {
    Model m;
    std::uint32_t seed = 12345;
    bool mixed = false;
    int conv_bits = 8;

    int next(int span) {
        seed = seed * 1664525u + 1013904223u;
        return static_cast<int>((seed >> 8) % static_cast<std::uint32_t>(2 * span + 1)) - span;
    }
    std::uint32_t tensor(const std::string& name, std::uint32_t c, std::uint32_t h, std::uint32_t w,
                         DataType type = DataType::UInt8) {
        m.tensors.push_back({name, type, c, h, w, type == DataType::Int32 ? 1.0f : 0.05f, 0, 8});
        return static_cast<std::uint32_t>(m.tensors.size() - 1);
    }
    void weighted(Op& op, std::size_t count, int bits, int rows, int k) {
        op.weight_bits = static_cast<std::uint8_t>(bits);
        const int limit = (1 << (bits - 1)) - 1, span = limit;
        for (std::size_t i = 0; i < count; ++i)
            op.weights.push_back(static_cast<std::int8_t>(
                std::clamp((next(span) + next(span) + next(span)) / 2, -limit, limit)));
        // Output ≈ Σ of k products of a few codes: scale back so the codes stay in range.
        const Dyadic d = toDyadic(4.0 / (static_cast<double>(k) * (limit + 1)));
        for (int r = 0; r < rows; ++r) {
            op.bias.push_back(next(64));
            op.multiplier.push_back(d.multiplier);
            op.shift.push_back(d.shift);
        }
    }
    std::uint32_t conv(OpType type, const std::string& name, std::uint32_t in, std::uint32_t out_c,
                       int bits) {
        const TensorInfo t = m.tensors[in];
        Op op;
        op.type = type;
        op.name = name;
        op.inputs = {{in}};
        op.relu = true;
        if (type != OpType::PointwiseConv2d) op.kernel_h = op.kernel_w = 3, op.padding = 1;
        const int k = type == OpType::Conv2d            ? static_cast<int>(t.c) * 9
                      : type == OpType::DepthwiseConv2d ? 9
                                                        : static_cast<int>(t.c);
        weighted(op, static_cast<std::size_t>(out_c) * k, bits, static_cast<int>(out_c), k);
        op.output = tensor(name, out_c, t.h, t.w);
        m.ops.push_back(op);
        return op.output;
    }
    std::uint32_t pool(const std::string& name, std::uint32_t in) {
        const TensorInfo t = m.tensors[in];
        Op op;
        op.type = OpType::MaxPool2d;
        op.name = name;
        op.inputs = {{in}};
        op.kernel_h = op.kernel_w = op.stride = 2;
        op.output = tensor(name, t.c, t.h / 2, t.w / 2);
        m.ops.push_back(op);
        return op.output;
    }
    std::uint32_t fc(const std::string& name, std::vector<std::uint32_t> in, std::uint32_t out, int bits,
                     bool logits) {
        Op op;
        op.type = OpType::FullyConnected;
        op.name = name;
        int k = 0;
        for (std::uint32_t t : in) op.inputs.push_back({t}), k += static_cast<int>(m.tensors[t].elements());
        op.relu = !logits;
        weighted(op, static_cast<std::size_t>(out) * k, bits, static_cast<int>(out), k);
        if (logits) op.output_scale.assign(out, 0.01f);
        op.output = tensor(name, out, 1, 1, logits ? DataType::Int32 : DataType::UInt8);
        m.ops.push_back(op);
        return op.output;
    }
    std::uint32_t branch(const std::string& modality, std::uint32_t h, std::uint32_t w, bool low) {
        const int first = mixed ? 8 : conv_bits, dw = mixed ? 8 : conv_bits, pw = mixed ? 4 : conv_bits;
        std::uint32_t t = tensor(modality, 1, h, w);
        m.inputs.push_back({modality, t});
        InputFrontEnd fe;
        fe.modality = modality;
        fe.mean = {0.0f};
        fe.std = {1.0f};
        m.frontend.inputs.push_back(fe);
        t = pool(modality + ".1.maxpool2d", conv(OpType::Conv2d, modality + ".0.conv2d", t, 16, first));
        t = conv(OpType::DepthwiseConv2d, modality + ".2.dw", t, 16, dw);
        t = pool(modality + ".3.maxpool2d", conv(OpType::PointwiseConv2d, modality + ".2.pw", t, 32, pw));
        t = conv(OpType::DepthwiseConv2d, modality + ".4.dw", t, 32, dw);
        t = pool(modality + ".5.maxpool2d", conv(OpType::PointwiseConv2d, modality + ".4.pw", t, 64, pw));
        Op flat;
        flat.type = OpType::Reshape;
        flat.name = modality + ".6.flatten";
        flat.inputs = {{t}};
        flat.output = tensor(flat.name, static_cast<std::uint32_t>(m.tensors[t].elements()), 1, 1);
        m.ops.push_back(flat);
        return fc(modality + ".7.fc", {flat.output}, 32, low ? 4 : conv_bits, false);
    }
};

void makeShapeModels(const std::string& dir) {
    for (const std::string mode : {"int8", "int4", "mp"}) {
        ShapeModelMaker maker;
        maker.mixed = mode == "mp";
        maker.conv_bits = mode == "int4" ? 4 : 8;
        const bool low = mode != "int8";
        const std::uint32_t image = maker.branch("image", 28, 28, low);
        const std::uint32_t audio = maker.branch("audio", 13, 101, low);
        const std::uint32_t head = maker.fc("head.0.fc", {image, audio}, 32, low ? 4 : 8, false);
        maker.m.output = maker.fc("classifier", {head}, 10, low ? 4 : 8, true);
        for (int c = 0; c < 10; ++c) maker.m.frontend.classes.push_back("class" + std::to_string(c));
        writeModel(dir + "/" + mode + ".tmn", maker.m);
        std::printf("%s/%s.tmn\n", dir.c_str(), mode.c_str());
    }
}

int run(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--make-shape-models") {
        makeShapeModels(argv[2]);
        return 0;
    }
    int runs = 2000, warmup = 200, rounds = 1;
    bool timing = true, repack = true;
    std::string only;
    std::vector<std::string> models;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (a == "--warmup" && i + 1 < argc)
            warmup = std::max(0, std::atoi(argv[++i]));
        else if (a == "--rounds" && i + 1 < argc)
            rounds = std::max(1, std::atoi(argv[++i]));
        else if (a == "--kernel" && i + 1 < argc)
            only = argv[++i];
        else if (a == "--no-timing")
            timing = false;
        else if (a == "--no-repack")
            repack = false;
        else
            models.push_back(a);
    }
    if (models.empty())
        throw tm2::Error("usage: int4_weights_bench [--runs N] [--warmup N] [--no-timing] MODEL.tmn ...");
    std::vector<const SimdOps*> tables{&portableSimdOps(), &portablePairSimdOps()};
    for (const SimdOps* t : {avx2SimdOps(), neonSimdOps(), neonDotprodSimdOps()})
        if (t) tables.push_back(t);
    if (!only.empty()) {
        tables.erase(
            std::remove_if(tables.begin(), tables.end(), [&](const SimdOps* t) { return only != t->name; }),
            tables.end());
        if (tables.empty()) throw tm2::Error("--kernel " + only + ": not in this build or on this CPU");
    }
    std::printf("%-28s %-15s %10s %12s %12s %12s %9s %9s %10s\n", "model", "kernels", "file_B",
                "heap_inplace", "heap_read", "heap_copied", "arena_B", "p50_us", "repack_us");
    for (const std::string& path : models) {
        std::ifstream f(path, std::ios::binary);
        if (!f) throw tm2::Error(path + ": cannot open");
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                              std::istreambuf_iterator<char>());
        std::string label = path.substr(path.find_last_of('/') + 1);
        for (const SimdOps* ops : tables) {
            // The arena comes from outside the count (a static array on an MCU).
            std::vector<std::uint8_t> arena(
                Interpreter(parseModel(bytes.data(), bytes.size(), path, {true}), {false, ops}).arenaBytes() +
                64);
            const std::size_t in_place = heapAfterLoad(bytes, Load::InPlace, *ops, arena);
            const std::size_t read = heapAfterLoad(bytes, Load::Read, *ops, arena);
            const std::size_t copied = heapAfterLoad(bytes, Load::Copied, *ops, arena);
            std::string p50_text = "-", repack_text = "-";
            if (timing) {
                Interpreter interpreter(parseModel(bytes.data(), bytes.size(), path, {true}), {false, ops});
                setRandomInputs(interpreter, 1);
                for (int r = 0; r < warmup; ++r) interpreter.invoke();
                double best = 0.0;
                for (int round = 0; round < rounds; ++round) {
                    std::vector<double> us;
                    for (int r = 0; r < runs; ++r) {
                        const auto start = std::chrono::steady_clock::now();
                        interpreter.invoke();
                        us.push_back(std::chrono::duration<double, std::micro>(
                                         std::chrono::steady_clock::now() - start)
                                         .count());
                    }
                    best = round == 0 ? p50(us) : std::min(best, p50(us));
                }
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.1f", best);
                p50_text = buf;
                if (ops->gemm_pairs && repack) {
                    std::snprintf(buf, sizeof buf, "%.2f", repackMicros(interpreter.model(), runs, *ops));
                    repack_text = buf;
                }
            }
            std::printf("%-28s %-15s %10zu %12zu %12zu %12zu %9zu %9s %10s\n", label.c_str(), ops->name,
                        bytes.size(), in_place, read, copied, arena.size() - 64, p50_text.c_str(),
                        repack_text.c_str());
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
