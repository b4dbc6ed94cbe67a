// `tinym2net export-mcu --model M.tmn --out DIR`: a folder that builds the
// model for a microcontroller (C array, runtime sources, example, Makefile /
// CMakeLists.txt, README, footprint.json); see core/export/mcu/mcu_export.h.

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/export/mcu/mcu_export.h"

namespace tm2::cli {

namespace {

struct ExportMcuArgs {
    std::string model, out;
    std::string frontend = "auto";
    std::vector<std::string> audio;
    bool json = false;
};

void runExportMcu(const ExportMcuArgs& a) {
    mcu::McuExportOptions options;
    options.frontend = mcu::parseMcuFrontend(a.frontend);
    options.audio = a.audio;
    const mcu::McuExportResult r = mcu::exportMcuProject(a.model, a.out, options);
    const mcu::McuFootprint& f = r.footprint;
    if (a.json) {
        nlohmann::json j = mcu::footprintToJson(f);
        j["out"] = r.out_dir;
        j["files"] = r.files;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "wrote " << r.files.size() << " files to " << r.out_dir << " (build: make -C " << r.out_dir
              << ")\n"
              << "flash: model " << f.model_bytes << " bytes + code (make size)\n"
              << "RAM:   arena " << f.arena_bytes << " bytes (static array) + copied at load " << f.load_copy_bytes
              << " = " << f.ram_estimate_bytes
              << " bytes, plus graph metadata; int8 weights read from flash; nothing allocated during inference\n";
    for (const mcu::McuFrontendInput& in : f.frontend_inputs)
        std::cout << "front-end: fixed-point MFCC for '" << in.modality << "': tables " << in.table_bytes
                  << " bytes (flash), scratch " << in.scratch_bytes << " bytes (static RAM), " << in.frames
                  << " frames; the example feeds " << in.example_audio << "\n";
    if (f.frontend != "fixed") std::cout << "front-end: none (" << f.frontend_note << ")\n";
}

}  // namespace

void registerMcuCommand(CLI::App& app) {
    auto args = std::make_shared<ExportMcuArgs>();
    CLI::App* c = app.add_subcommand(
        "export-mcu",
        "Write a microcontroller project for a .tmn model: C array, runtime sources, example, build files");
    c->add_option("--model", args->model, ".tmn integer model")->required()->check(CLI::ExistingFile);
    c->add_option("--out", args->out, "Output folder (created; files of the same name are replaced)")
        ->required();
    c->add_option("--frontend", args->frontend,
                  "Audio front-end: fixed (fixed-point MFCC, int16 PCM in), none (features in), auto (fixed "
                  "when the model's audio settings allow it)")
        ->check(CLI::IsMember({"auto", "fixed", "none"}))
        ->capture_default_str();
    c->add_option("--audio", args->audio, "WAV the example feeds (one per audio input, or one for all; default: a tone)")
        ->check(CLI::ExistingFile);
    c->add_flag("--json", args->json, "Print the footprint and file list as JSON");
    c->callback([args] { runExportMcu(*args); });
}

}  // namespace tm2::cli
