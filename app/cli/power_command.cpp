// `tinym2net power LOG.csv`: idle and inference power from a USB power-meter
// log, as the paper measures it on the Raspberry Pi 4 (peak minus idle).

#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

#include "app/cli/commands.h"
#include "core/base/error.h"
#include "core/device/power_log.h"

namespace tm2::cli {

namespace {

struct PowerArgs {
    std::string log;
    std::optional<double> inferences;
    std::optional<double> rate_hz;
    device::SegmentationConfig segmentation;
    bool json = false;
};

void printReport(const device::PowerReport& r, const device::PowerLog& log) {
    std::cout << std::fixed << std::setprecision(1);
    std::cout << r.source << ": " << r.samples << " samples (power from " << r.power_from << "), "
              << r.skipped_lines << " lines skipped\n";
    for (const auto& s : log.skipped) std::cout << "  skipped line " << s.line << ": " << s.reason << "\n";
    std::cout << std::setprecision(3);
    for (const auto& seg : r.segments)
        std::cout << "  " << (seg.busy ? "busy" : "idle") << "  " << seg.start_s << " – " << seg.end_s
                  << " s  mean " << seg.mean_w << " W  peak " << seg.peak_w << " W\n";
    std::cout << std::setprecision(1) << "idle " << r.idle_w * 1e3 << " mW; inference above idle: mean "
              << r.mean_above_idle_mw << " mW, peak " << r.peak_above_idle_mw << " mW over "
              << std::setprecision(3) << r.busy_duration_s << " s\n";
    if (r.energy_per_inference_mj)
        std::cout << "energy per inference " << std::setprecision(4) << *r.energy_per_inference_mj << " mJ ("
                  << *r.inferences << " inferences)\n";
}

void runPower(const PowerArgs& args) {
    const device::PowerLog log = device::readPowerLog(args.log);
    const device::PowerReport r =
        device::analyzePowerLog(log, args.segmentation, args.inferences, args.rate_hz);
    if (args.json) {
        auto j = device::powerReportToJson(r);
        nlohmann::json skipped = nlohmann::json::array();
        for (const auto& s : log.skipped) skipped.push_back({{"line", s.line}, {"reason", s.reason}});
        j["skipped"] = skipped;
        std::cout << j.dump(2) << "\n";
    } else {
        printReport(r, log);
    }
}

}  // namespace

void registerPowerCommand(CLI::App& app) {
    auto args = std::make_shared<PowerArgs>();
    CLI::App* c = app.add_subcommand(
        "power",
        "Idle and inference power from a USB power-meter log (CSV: time with watts, or time with volts and "
        "amps).\n"
        "Idle/busy levels are low/high percentiles of the power; a hysteresis threshold between them and a\n"
        "minimum segment duration split the log into idle and inference segments.");
    c->add_option("LOG", args->log, "Power-meter CSV log")->required();
    c->add_option("--inferences", args->inferences,
                  "Inferences run during the busy segments (for mJ/inference)");
    c->add_option("--rate", args->rate_hz, "Inference rate while busy, Hz (instead of --inferences)")
        ->excludes("--inferences");
    c->add_option("--min-segment", args->segmentation.min_segment_s, "Shortest idle or busy segment, s")
        ->capture_default_str();
    c->add_flag("--json", args->json, "Print the report as JSON");
    c->callback([args] { runPower(*args); });
}

}  // namespace tm2::cli
