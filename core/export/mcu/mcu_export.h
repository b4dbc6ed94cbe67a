#pragma once
// Microcontroller export: a .tmn model → a folder that builds on its own with
// any C++17 toolchain — the model as a const, aligned C array (model_data.c/.h),
// the runtime's sources (format reader, validation, interpreter, arena planner,
// kernels; the portable inner loops unless the target is AVX2/NEON), an example
// main.cpp, a Makefile and a CMakeLists.txt, a README.md and footprint.json.
//
// The memory figures come from the runtime itself: the arena is the one the
// Interpreter plans for this model (the example gives it a static array), and
// the load-time copies are what parseModel() keeps when the weights stay in
// the array (int32 bias and requantization; int8, int4 and int2 weights are read
// from the array where they are, packed).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace tm2::mcu {

// The audio front-end the project carries: Fixed = the fixed-point MFCC
// (core/runtime/mcu_frontend) for every audio input, the example feeding it PCM;
// None = the example feeds ready features; Auto = Fixed when the model carries
// audio front-end settings the fixed-point MFCC supports, else None.
enum class McuFrontend { Auto, Fixed, None };
McuFrontend parseMcuFrontend(const std::string& name);  // "auto" | "fixed" | "none"; throws tm2::Error

struct McuExportOptions {
    McuFrontend frontend = McuFrontend::Auto;
    // WAV files (PCM16 or float, the model's sample rate) the example feeds its audio
    // inputs, one per audio input in input order, or one for all; none: a 1 kHz tone.
    std::vector<std::string> audio;
};

struct McuFrontendInput {
    std::string modality;
    std::size_t table_bytes = 0;    // flash: the plan's const tables
    std::size_t scratch_bytes = 0;  // RAM: FFT buffer + the window's log-mel values (static array)
    int frames = 0;
    std::string example_audio;  // the WAV the example feeds, or "1 kHz tone"
};

struct McuFootprint {
    std::size_t model_bytes = 0;      // flash: the .tmn bytes as a const array; int8 weights are read there
    std::size_t arena_bytes = 0;      // RAM, static: activations + scratch (ArenaPlan::peak_bytes)
    std::size_t load_copy_bytes = 0;  // RAM, heap at load: bias, multipliers, shifts, logit scales
    std::size_t ram_estimate_bytes = 0;  // arena_bytes + load_copy_bytes (graph metadata extra)
    std::size_t ops = 0, tensors = 0;
    std::size_t classes = 0;
    std::vector<std::pair<std::string, std::size_t>> inputs;  // modality → elements
    std::string frontend = "none";  // "fixed" or "none"
    std::string frontend_note;      // why none, when the model has audio inputs
    std::vector<McuFrontendInput> frontend_inputs;
};

struct McuExportResult {
    std::string out_dir;
    std::vector<std::string> files;  // relative to out_dir, in writing order
    McuFootprint footprint;
};

// Writes the project into `out_dir` (created; files of the same name are
// replaced). Throws tm2::Error naming `origin` on a model the runtime rejects.
McuExportResult exportMcuProject(const std::vector<std::uint8_t>& tmn, const std::string& origin,
                                 const std::string& out_dir, const McuExportOptions& options = {});
McuExportResult exportMcuProject(const std::string& model_path, const std::string& out_dir,
                                 const McuExportOptions& options = {});

// The figures computed without writing anything.
McuFootprint mcuFootprint(const std::vector<std::uint8_t>& tmn, const std::string& origin);

// `const unsigned char tm2_model_data[]` (16-byte aligned) and its size, as C.
std::string modelArraySource(const std::vector<std::uint8_t>& tmn);

nlohmann::json footprintToJson(const McuFootprint& f);

}  // namespace tm2::mcu
