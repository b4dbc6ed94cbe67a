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
// place), and for the pair paths p50 µs of building every conv's weight pairs (packWeightPairs, from the
// codes the model holds): what making the panels per inference, instead of once at load, would add to each
// inference. Latency is the lowest p50 of R rounds (a shared machine's bursts inflate single rounds).
// --kernel keeps one table; --no-timing (qemu, where time means nothing) prints the heap figures only;
// --no-repack skips the panel timing (instruction counts).
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
#include "core/runtime/model_format.h"

namespace {

std::size_t g_heap_now = 0;
bool g_counting = false;

}  // namespace

// Every allocation carries its size in a 16-byte header, so delete can take it off.
void* operator new(std::size_t bytes) {
    void* block = std::malloc(bytes + 16);
    if (!block) throw std::bad_alloc();
    *static_cast<std::size_t*>(block) = bytes;
    if (g_counting) g_heap_now += bytes;
    return static_cast<char*>(block) + 16;
}
void* operator new[](std::size_t bytes) { return operator new(bytes); }
void operator delete(void* p) noexcept {
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

// p50 µs of packing every conv's weight pairs from the codes the model holds.
double repackMicros(const Model& model, int runs) {
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
                packWeightPairs(codesOf(op), rows, static_cast<int>(op.weightCount()) / rows, pairs.data());
            }
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    return p50(us);
}

int run(int argc, char** argv) {
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
    std::printf("%-28s %-15s %10s %12s %12s %12s %9s %10s\n", "model", "kernels", "file_B", "heap_inplace",
                "heap_read", "heap_copied", "p50_us", "repack_us");
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
                    std::snprintf(buf, sizeof buf, "%.2f", repackMicros(interpreter.model(), runs));
                    repack_text = buf;
                }
            }
            std::printf("%-28s %-15s %10zu %12zu %12zu %12zu %9s %10s\n", label.c_str(), ops->name,
                        bytes.size(), in_place, read, copied, p50_text.c_str(), repack_text.c_str());
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
