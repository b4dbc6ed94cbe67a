#include "core/workflow/sweep/sweep_plan.h"

#include <cmath>
#include <cstdio>
#include <random>

#include "core/workflow/sweep/sweep_params.h"

namespace tm2::sweep {

namespace {

using nlohmann::json;

// Uniform in [0, 1) from the top 53 bits: the same on every platform.
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

json drawValue(const SweepAxis& axis, std::mt19937_64& rng) {
    if (!axis.has_range) return axis.values[rng() % axis.values.size()];
    const double u = unit(rng);
    const double x = axis.log_scale
                         ? std::exp(std::log(axis.min) + u * (std::log(axis.max) - std::log(axis.min)))
                         : axis.min + u * (axis.max - axis.min);
    const double clamped = std::min(axis.max, std::max(axis.min, x));
    if (paramInfo(axis.param, "").integer) return json(static_cast<std::int64_t>(std::llround(clamped)));
    return json(clamped);
}

}  // namespace

std::vector<Trial> planTrials(const SweepFile& sweep) {
    std::vector<Trial> trials;
    if (sweep.random) {
        std::mt19937_64 rng(sweep.random_seed);
        for (int i = 0; i < sweep.samples; ++i) {
            Trial t{i, json::object()};
            for (const auto& axis : sweep.axes) t.values[axis.param] = drawValue(axis, rng);
            trials.push_back(std::move(t));
        }
        return trials;
    }
    std::size_t count = 1;
    for (const auto& axis : sweep.axes) count *= axis.values.size();
    for (std::size_t i = 0; i < count; ++i) {
        Trial t{static_cast<int>(i), json::object()};
        std::size_t rest = i;
        for (auto axis = sweep.axes.rbegin(); axis != sweep.axes.rend(); ++axis) {
            t.values[axis->param] = axis->values[rest % axis->values.size()];
            rest /= axis->values.size();
        }
        trials.push_back(std::move(t));
    }
    return trials;
}

TrialSettings resolveTrial(const SweepFile& sweep, const Trial& trial) {
    TrialSettings s;
    s.data = sweep.data;
    s.spec = sweep.spec;
    s.preset = sweep.preset;
    s.train = sweep.train;
    s.quantize = sweep.quantize;
    s.quantize_options = sweep.quantize_options;
    for (const auto& [param, value] : trial.values.items()) {
        const ParamInfo info = paramInfo(param, "trial " + std::to_string(trial.index));
        switch (info.group) {
            case ParamGroup::Train:
                s.train[info.key] = value;
                break;
            case ParamGroup::Quantize:
                s.quantize_options[info.key] = value;
                break;
            case ParamGroup::Fusion:
                s.fusion = value.get<std::string>();
                break;
            case ParamGroup::Channels:
                s.channels[info.key] = value.get<std::vector<int>>();
                break;
            case ParamGroup::Data:
                s.data = value.get<std::string>();
                break;
        }
    }
    return s;
}

std::string trialFolderName(int index) {
    char name[32];
    std::snprintf(name, sizeof name, "trial-%04d", index);
    return name;
}

std::string seedGroupKey(const json& values) {
    json rest = values;
    rest.erase("seed");
    return rest.dump();
}

std::string describeValues(const SweepFile& sweep, const json& values) {
    std::string text;
    for (const auto& axis : sweep.axes) {
        if (!values.contains(axis.param)) continue;
        const json& v = values.at(axis.param);
        text +=
            (text.empty() ? "" : " ") + axis.param + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    return text.empty() ? "(base)" : text;
}

}  // namespace tm2::sweep
