// libFuzzer target for the .tmn reader. Arbitrary bytes must either parse or
// throw tm2::Error, never read out of bounds. Each input is tried twice: as
// given (header and checksum checks), and with the header's payload size and
// CRC repaired, so mutations get past the checksum into the section, tensor
// and op parsers and the validator. An accepted model must round-trip through
// the writer and must run: validation promises every kernel stays in bounds,
// also when its weights are read in place from the input bytes, and when the
// model owns a copy of them (parseOwnedModel, what readModel does: the input
// is gone before it runs).
// Seeds: tests/fuzz/tmn_corpus (written by tm2_tmn_corpus_writer).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/crc32.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/model_format.h"

namespace {

using namespace tm2::runtime;

constexpr std::size_t kHeaderBytes = 24;  // magic, version, section count, payload bytes, crc
// Bounds on what an accepted model may cost to run here, so one input cannot
// stall the fuzzer; the validator's own limits are far larger.
constexpr std::size_t kMaxArenaBytes = std::size_t{16} << 20;
constexpr std::size_t kMaxWork = std::size_t{1} << 24;

std::size_t estimatedWork(const Model& m) {
    std::size_t work = 0;
    for (const Op& op : m.ops) {
        const TensorInfo& out = m.tensors[op.output];
        const std::size_t plane = std::size_t{out.h} * out.w;
        work += out.elements() * op.kernel_h * op.kernel_w + plane * op.weightCount();
        for (const OpInput& in : op.inputs) work += m.tensors[in.tensor].elements();
    }
    return work;
}

void checkRoundTrip(const Model& model) {
    const std::vector<std::uint8_t> once = serializeModel(model);
    const std::vector<std::uint8_t> twice =
        serializeModel(parseModel(once.data(), once.size(), "round trip"));
    if (once != twice) std::abort();
}

void run(const Model& model) {
    if (estimatedWork(model) > kMaxWork) return;
    std::size_t tensor_bytes = 0;
    for (const TensorInfo& t : model.tensors) tensor_bytes += t.bytes();
    if (tensor_bytes > kMaxArenaBytes) return;
    Interpreter interpreter(model);
    if (interpreter.arenaBytes() > 2 * kMaxArenaBytes) std::abort();  // the plan never exceeds its requests
    for (std::size_t i = 0; i < interpreter.inputCount(); ++i) {
        const std::vector<float> values(interpreter.inputElements(i), 0.25f);
        interpreter.setInput(i, values.data(), values.size());
    }
    interpreter.invoke();
    if (interpreter.argmax() >= interpreter.classCount()) std::abort();
}

void tryModel(const std::uint8_t* data, std::size_t size) {
    Model model;
    try {
        model = parseModel(data, size, "fuzz.tmn");
    } catch (const tm2::Error&) {
        return;
    }
    checkRoundTrip(model);
    run(model);
    // Read again with the int8 weights left in `data` (the microcontroller path): the
    // same model, so it must write the same bytes, and it must run.
    const Model in_place = parseModel(data, size, "fuzz.tmn", {true});
    if (serializeModel(in_place) != serializeModel(model)) std::abort();
    run(in_place);
    // Owning its bytes (readModel's path), and copied before the original is dropped:
    // the copy's weights must still point into live bytes.
    Model owned;
    {
        const Model first = parseOwnedModel(std::vector<std::uint8_t>(data, data + size), "fuzz.tmn");
        owned = first;
    }
    if (serializeModel(owned) != serializeModel(model)) std::abort();
    run(owned);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tryModel(data, size);
    if (size < kHeaderBytes) return 0;
    std::vector<std::uint8_t> repaired(data, data + size);
    const std::uint64_t payload = size - kHeaderBytes;
    for (int i = 0; i < 8; ++i) repaired[12 + i] = static_cast<std::uint8_t>(payload >> (8 * i));
    const std::uint32_t crc = crc32(repaired.data() + kHeaderBytes, payload);
    for (int i = 0; i < 4; ++i) repaired[20 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    tryModel(repaired.data(), repaired.size());
    return 0;
}
