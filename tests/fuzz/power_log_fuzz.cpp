// libFuzzer target for USB power-meter logs (core/device/power_log.*):
// arbitrary text is parsed (bad rows skipped, unusable logs refused with
// tm2::Error), and an accepted log, whose times must strictly increase and be
// finite, is segmented and analysed as `tinym2net power` does: report or
// tm2::Error, never a crash. Seeds: tests/fuzz/power_log_corpus.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/base/error.h"
#include "core/device/power_log.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    tm2::device::PowerLog log;
    try {
        log = tm2::device::parsePowerLog(text, "fuzz.csv");
    } catch (const tm2::Error&) {
        return 0;
    }
    if (log.samples.empty()) std::abort();  // a log without samples must have been refused
    for (std::size_t i = 0; i < log.samples.size(); ++i) {
        const auto& s = log.samples[i];
        if (!std::isfinite(s.time_s) || !std::isfinite(s.watts)) std::abort();
        if (i > 0 && !(s.time_s > log.samples[i - 1].time_s)) std::abort();
    }
    try {
        const tm2::device::PowerReport report = tm2::device::analyzePowerLog(log, {}, 10.0);
        (void)tm2::device::powerReportToJson(report).dump();
    } catch (const tm2::Error&) {
    }
    return 0;
}
