#pragma once
// Runs a .tmn model with integer kernels out of one arena planned at load
// time (allocated once, or the caller's memory); nothing is allocated while it infers. Usage: setInput() per branch
// (float features, quantized with the stored input parameters), invoke(),
// then logits()/argmax().

#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/kernels/kernels.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime {

struct InterpreterOptions {
    // Give every tensor its own bytes so all intermediate activations can be read
    // after invoke() (parity reports); costs arena memory.
    bool keep_all_tensors = false;
    const SimdOps* ops = nullptr;  // null: the best the CPU supports
    // The arena's memory from the caller (a static array on a microcontroller) instead
    // of one heap block: arena_size must cover arenaBytes() after aligning `arena` to
    // 64 bytes, or the constructor throws naming both sizes. Must outlive the interpreter.
    std::uint8_t* arena = nullptr;
    std::size_t arena_size = 0;
    // The most activation + scratch memory a model may ask for; checked before the
    // arena is allocated, so a small hostile file cannot claim gigabytes.
    std::size_t max_arena_bytes = std::size_t{256} << 20;
};

class Interpreter {
public:
    explicit Interpreter(Model model, InterpreterOptions options = {});
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    const Model& model() const { return model_; }
    std::size_t arenaBytes() const { return arena_bytes_; }   // peak activation + scratch bytes
    // The weights as the model holds them (int4 / int2 packed when read by readModel or in
    // place, int8 one byte each) + the int32 arrays (bias, requantization, output scales).
    std::size_t weightBytes() const;
    // The weight panels the pair-GEMM paths build at load (int8 / int2 convolutions, 2 B
    // per weight as int16 pairs) and keep on the heap; 0 on the one-weight-at-a-time kernels.
    std::size_t weightPanelBytes() const;
    // Packed int4 convolutions on the pair paths build their panel per call from the
    // nibbles, into the op's own arena bytes (part of arenaBytes()): the largest such panel.
    std::size_t callPanelBytes() const { return call_panel_bytes_; }
    const char* kernelPath() const { return ops_->name; }

    std::size_t inputCount() const { return model_.inputs.size(); }
    std::size_t inputElements(std::size_t input) const;
    // Quantizes `count` floats (C×H×W, as the network's input) into the input tensor.
    void setInput(std::size_t input, const float* values, std::size_t count);
    // The input tensor's inputElements(input) codes, to write directly: a front-end
    // that already produces the quantized codes (fixed_mfcc.h) skips setInput.
    std::uint8_t* inputCodes(std::size_t input);
    void invoke();
    // invoke() with a steady-clock reading around each op: per_op_us[i] is op i's
    // time in µs (resized to the op count once, so repeated calls do not allocate).
    void invokeProfiled(std::vector<double>& per_op_us);

    std::size_t classCount() const { return model_.tensors[model_.output].elements(); }
    const std::int32_t* rawLogits() const;  // accumulator + bias per class
    float logit(std::size_t c) const;        // rawLogits()[c] · output scale
    std::size_t argmax() const;

    // Codes / dequantized values of a tensor after invoke(); only trustworthy for
    // the inputs, the output and, with keep_all_tensors, every tensor.
    const std::uint8_t* tensorCodes(std::size_t tensor) const { return arena_ + offsets_[tensor]; }
    std::vector<float> dequantized(std::size_t tensor) const;

private:
    struct Prepared {
        ConvGeometry geometry;
        OutputStage stage;
        std::vector<FcSegment> segments;
        std::vector<std::int32_t> weight_pairs;  // convolutions: packWeightPairs() of the weights
        std::size_t scratch = 0;  // arena offset of the op's int32 accumulators
    };
    void prepare();
    void run(std::size_t index);

    Model model_;
    const SimdOps* ops_;
    bool keep_all_;
    std::uint8_t* external_arena_;
    std::size_t external_arena_size_;
    std::size_t max_arena_bytes_;
    std::vector<Prepared> prepared_;
    // Per op, the arena offset where run() builds a packed int4 conv's weight pairs, or
    // kNoPanel; empty when no op does (no heap for models without such layers).
    static constexpr std::size_t kNoPanel = ~std::size_t{0};
    std::vector<std::size_t> call_panels_;
    std::size_t call_panel_bytes_ = 0;
    std::vector<std::size_t> offsets_;
    std::size_t arena_bytes_ = 0;
    std::vector<std::uint8_t> storage_;
    std::uint8_t* arena_ = nullptr;  // 64-byte aligned inside storage_
};

}  // namespace tm2::runtime
