// libFuzzer target for SWEEP.json (core/workflow/sweep/sweep_file.cpp): the
// text goes through tm2::parseJsonText, then parseSweep either accepts it or
// throws tm2::Error naming the field. What it accepts must plan: every trial
// resolves to settings (small plans only, so one input stays fast).
// Seeds: tests/fuzz/sweep_corpus.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/workflow/sweep/sweep_file.h"
#include "core/workflow/sweep/sweep_plan.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    tm2::sweep::SweepFile sweep;
    try {
        sweep = tm2::sweep::parseSweep(tm2::parseJsonText(text, "SWEEP.json"), "SWEEP.json", "/sweeps");
    } catch (const tm2::Error&) {
        return 0;
    }
    std::size_t trials = sweep.random ? static_cast<std::size_t>(sweep.samples) : 1;
    if (!sweep.random)
        for (const auto& axis : sweep.axes) trials *= axis.values.size();
    if (trials > tm2::sweep::kMaxTrials) std::abort();  // the reader promised a bound
    if (trials > 2000) return 0;
    const auto plan = tm2::sweep::planTrials(sweep);
    if (plan.size() != trials) std::abort();
    for (const auto& t : plan) {
        const auto settings = tm2::sweep::resolveTrial(sweep, t);
        if (settings.data.empty()) std::abort();
    }
    return 0;
}
