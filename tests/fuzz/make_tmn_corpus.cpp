// Writes the seed corpus for tm2_tmn_fuzz into the folder given as argument:
// the tests' tiny model, a second model that uses the remaining op types
// (depthwise, pointwise, concat, a two-segment fully connected layer), that
// model again with 2-bit weights, gated fusion's lookup and mul, FiLM's add and
// attention's softmax and broadcast mul (tests/core/runtime/tiny_model.h), and
// truncations of the first at the header, inside the section table and
// inside the payload, a hostile shape that once got through, and a chain of
// fully connected layers whose ops all point at the same weight bytes (blob
// sharing is what lets a small file ask for much memory; scripts/fuzz.sh gives
// this target a -max_len large enough to grow it).
// Usage: tm2_tmn_corpus_writer tests/fuzz/tmn_corpus
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/crc32.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/model_format.h"
#include "tests/core/runtime/tiny_model.h"

namespace {

using namespace tm2::runtime;

void setStage(Op& op, std::size_t channels, double scale) {
    const Dyadic d = toDyadic(scale);
    op.multiplier.assign(channels, d.multiplier);
    op.shift.assign(channels, d.shift);
    op.bias.assign(channels, 1);
}

// image 2×4×4 → depthwise 3×3 → pointwise to 3 → concat with audio 8 → fc (two
// segments: the concat and the audio again) → 2 logits.
Model everyOpModel() {
    Model m;
    m.tensors = {
        {"image", DataType::UInt8, 2, 4, 4, 0.5f, 3, 8}, {"dw", DataType::UInt8, 2, 4, 4, 0.25f, 0, 8},
        {"pw", DataType::UInt8, 3, 4, 4, 0.25f, 0, 4},   {"audio", DataType::UInt8, 8, 1, 1, 0.1f, 7, 4},
        {"cat", DataType::UInt8, 56, 1, 1, 0.25f, 1, 8}, {"logits", DataType::Int32, 2, 1, 1, 1.0f, 0, 32},
    };
    m.inputs = {{"image", 0}, {"audio", 3}};
    m.output = 5;
    Op dw;
    dw.type = OpType::DepthwiseConv2d;
    dw.name = "image.0.dw";
    dw.inputs = {{0}};
    dw.output = 1;
    dw.kernel_h = dw.kernel_w = 3;
    dw.padding = 1;
    dw.relu = true;
    for (int i = 0; i < 18; ++i) dw.weights.push_back(static_cast<std::int8_t>(i % 7 - 3));
    setStage(dw, 2, 0.05);
    Op pw;
    pw.type = OpType::PointwiseConv2d;
    pw.name = "image.1.pw";
    pw.inputs = {{1}};
    pw.output = 2;
    pw.weight_bits = 4;
    for (int i = 0; i < 6; ++i) pw.weights.push_back(static_cast<std::int8_t>(i - 3));
    setStage(pw, 3, 0.1);
    Op cat;
    cat.type = OpType::Concat;
    cat.name = "concat";
    const Dyadic same = toDyadic(1.0), audio = toDyadic(0.1 / 0.25);
    cat.inputs = {{2, same.multiplier, same.shift}, {3, audio.multiplier, audio.shift}};
    cat.output = 4;
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{4}, {3, audio.multiplier, audio.shift}};
    fc.output = 5;
    for (int i = 0; i < 2 * 64; ++i) fc.weights.push_back(static_cast<std::int8_t>((i * 29) % 255 - 127));
    setStage(fc, 2, 0.01);
    fc.output_scale = {0.01f, 0.02f};
    m.ops = {dw, pw, cat, fc};
    m.frontend.classes = {"a", "b"};
    InputFrontEnd audio_in;
    audio_in.modality = "audio";
    audio_in.kind = InputKind::Audio;
    audio_in.mean.assign(13, 0.0f);
    audio_in.std.assign(13, 1.0f);
    m.frontend.inputs = {audio_in};
    return m;
}

// The every-op model with its weight layers at 2 bits (codes −1..1, four per byte,
// rows starting inside a byte), so the fuzzer reaches the int2 reader and kernels.
Model int2Model() {
    Model m = everyOpModel();
    for (Op& op : m.ops) {
        if (op.weights.empty()) continue;
        op.weight_bits = 2;
        for (auto& w : op.weights) w = static_cast<std::int8_t>(std::clamp<int>(w, -1, 1));
    }
    return m;
}

// Each side within the validator's limit, but 2^26 · 2^26 · 2^12 wraps to 0
// elements in 64 bits; the reader once accepted it and max-pool wrote past the
// arena. The writer refuses such a model, so a valid 1×1×1 one is patched.
std::vector<std::uint8_t> wrappingShapeFile() {
    Model m;
    m.tensors = {{"in", DataType::UInt8, 1, 1, 1, 1.0f, 0, 8},
                 {"pool", DataType::UInt8, 1, 1, 1, 1.0f, 0, 8},
                 {"logits", DataType::Int32, 2, 1, 1, 1.0f, 0, 32}};
    m.inputs = {{"image", 0}};
    m.output = 2;
    Op pool;
    pool.type = OpType::MaxPool2d;
    pool.name = "pool";
    pool.inputs = {{0}};
    pool.output = 1;
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{1}};
    fc.output = 2;
    fc.weights = {1, -1};
    setStage(fc, 2, 1.0);
    fc.output_scale = {1.0f, 1.0f};
    m.ops = {pool, fc};
    std::vector<std::uint8_t> bytes = serializeModel(m);
    auto put32 = [&](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
    };
    // A tensor record: u32 name length, name, u8 type, u32 c, h, w.
    for (const std::string name : {"in", "pool"}) {
        const std::string record =
            std::string(1, static_cast<char>(name.size())) + std::string(3, '\0') + name + '\1';
        const auto at = std::search(bytes.begin(), bytes.end(), record.begin(), record.end()) - bytes.begin();
        const auto dims = static_cast<std::size_t>(at) + record.size();
        put32(dims, 1u << 26), put32(dims + 4, 1u << 26), put32(dims + 8, 1u << 12);
    }
    put32(20, crc32(bytes.data() + 24, bytes.size() - 24));  // header: magic, version, count, u64 size, crc
    return bytes;
}

// input 64 → 4 fully connected layers 64 → 64 (ReLU) → 2 logits. The hidden
// layers' weights are equal, and after serializing their weight references are
// patched to the first layer's bytes, so one 4 KiB range serves four ops.
std::vector<std::uint8_t> sharedBlobFile() {
    constexpr std::uint32_t kWidth = 64, kHidden = 4;
    Model m;
    m.tensors.push_back({"in", DataType::UInt8, kWidth, 1, 1, 0.5f, 0, 8});
    for (std::uint32_t i = 0; i < kHidden; ++i)
        m.tensors.push_back({"fc" + std::to_string(i), DataType::UInt8, kWidth, 1, 1, 0.5f, 0, 8});
    m.tensors.push_back({"logits", DataType::Int32, 2, 1, 1, 1.0f, 0, 32});
    m.inputs = {{"audio", 0}};
    m.output = kHidden + 1;
    for (std::uint32_t i = 0; i <= kHidden; ++i) {
        const bool last = i == kHidden;
        const std::size_t out = last ? 2 : kWidth;
        Op fc;
        fc.type = OpType::FullyConnected;
        fc.name = last ? "classifier" : "fc" + std::to_string(i);
        fc.inputs = {{i}};
        fc.output = i + 1;
        fc.relu = !last;
        for (std::size_t k = 0; k < out * kWidth; ++k)
            fc.weights.push_back(static_cast<std::int8_t>(k % 7 - 3));
        setStage(fc, out, 0.02);
        if (last) fc.output_scale = {0.01f, 0.01f};
        m.ops.push_back(fc);
    }
    std::vector<std::uint8_t> bytes = serializeModel(m);
    auto get64 = [&](std::size_t at) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v |= std::uint64_t{bytes[at + i]} << (8 * i);
        return v;
    };
    // The ops section (kind 3) from the section table after the 24-byte header:
    // u32 kind, u64 offset (from the end of the header), u64 size.
    std::size_t ops_begin = 0, ops_end = 0;
    for (std::size_t entry = 24; entry + 20 <= bytes.size() && ops_end == 0; entry += 20)
        if (bytes[entry] == 3) ops_begin = 24 + get64(entry + 4), ops_end = ops_begin + get64(entry + 12);
    // A weight reference: u64 offset, u64 count (kWidth² for a hidden layer).
    std::vector<std::size_t> refs;
    for (std::size_t at = ops_begin; at + 16 <= ops_end; ++at)
        if (get64(at + 8) == kWidth * kWidth && get64(at) % 4 == 0 && get64(at) < bytes.size())
            refs.push_back(at), at += 15;  // the next reference (bias) may start with the same value
    if (refs.size() != kHidden)
        throw tm2::Error("shared-blob seed: found " + std::to_string(refs.size()) + " refs");
    for (std::size_t at : refs)
        for (int i = 0; i < 8; ++i) bytes[at + i] = bytes[refs[0] + i];
    const std::uint32_t crc = crc32(bytes.data() + 24, bytes.size() - 24);
    for (int i = 0; i < 4; ++i) bytes[20 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    return bytes;
}

void write(const std::string& path, const std::vector<std::uint8_t>& bytes, std::size_t size) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!out) throw tm2::Error(path + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_FOLDER\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    try {
        const std::vector<std::uint8_t> tiny = serializeModel(fixtures::tinyModel());
        const std::vector<std::uint8_t> every = serializeModel(everyOpModel());
        parseModel(every.data(), every.size(), "every-op model");  // the seed must be valid
        write(dir + "/tiny.tmn", tiny, tiny.size());
        write(dir + "/every_op.tmn", every, every.size());
        // Gated fusion's ops: a gate fc, a sigmoid Lookup (256-entry table) and a two-input Mul.
        const std::vector<std::uint8_t> gated = serializeModel(fixtures::gatedModel());
        parseModel(gated.data(), gated.size(), "gated model");
        write(dir + "/gated_fusion.tmn", gated, gated.size());
        const std::vector<std::uint8_t> film = serializeModel(fixtures::filmModel());  // FiLM's Add
        parseModel(film.data(), film.size(), "film model");
        write(dir + "/film_fusion.tmn", film, film.size());
        // Attention fusion's Softmax (exp table per code distance) and broadcast Muls.
        const std::vector<std::uint8_t> attention = serializeModel(fixtures::attentionModel());
        parseModel(attention.data(), attention.size(), "attention model");
        write(dir + "/attention_fusion.tmn", attention, attention.size());
        const std::vector<std::uint8_t> int2 = serializeModel(int2Model());
        parseModel(int2.data(), int2.size(), "int2 model");
        write(dir + "/int2_weights.tmn", int2, int2.size());
        const std::vector<std::uint8_t> shared = sharedBlobFile();
        parseModel(shared.data(), shared.size(), "shared-blob model");  // valid, only shared
        write(dir + "/shared_blob_fc_chain.tmn", shared, shared.size());
        const std::vector<std::uint8_t> hostile = wrappingShapeFile();
        write(dir + "/hostile_wrapping_shape.tmn", hostile, hostile.size());
        for (std::size_t cut :
             {std::size_t{3}, std::size_t{20}, std::size_t{50}, tiny.size() / 2, tiny.size() - 1})
            write(dir + "/tiny_truncated_" + std::to_string(cut) + ".tmn", tiny, cut);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
