#include "core/workflow/sweep/parallel_axes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/workflow/sweep/seed_statistics.h"

namespace tm2::sweep {

namespace {

using nlohmann::json;

// Closest two ticks may come on an axis, as a fraction of its length (a label is one text line
// high; at the 200-pixel plot of a laptop screen this leaves 24 pixels between their centres).
constexpr double kMinTickGap = 0.12;
constexpr int kMaxTicks = 6;

std::string numberLabel(double v, bool rate) {
    char text[64];
    if (rate)
        std::snprintf(text, sizeof text, "%.1f %%", 100.0 * v);
    else
        std::snprintf(text, sizeof text, "%.4g", v);
    return text;
}

std::string categoryLabel(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

double valueAt(const ParallelAxis& a, double position) {
    if (a.log_scale) return std::exp(std::log(a.min) + position * (std::log(a.max) - std::log(a.min)));
    return a.min + position * (a.max - a.min);
}

void addCategoryTicks(ParallelAxis& a) {
    const std::size_t n = a.categories.size();
    // Every category while they fit; else every k-th (the first and the last always).
    const std::size_t step = std::max<std::size_t>(1, (n + kMaxTicks - 1) / kMaxTicks);
    for (std::size_t i = 0; i < n; i += step)
        a.ticks.push_back({axisPosition(a, a.categories[i]), categoryLabel(a.categories[i])});
    if (n > 1 && (n - 1) % step != 0) {
        if (!a.ticks.empty() && 1.0 - a.ticks.back().position < kMinTickGap) a.ticks.pop_back();
        a.ticks.push_back({1.0, categoryLabel(a.categories[n - 1])});
    }
}

void addNumberTicks(ParallelAxis& a, std::vector<double> distinct) {
    if (a.min == a.max) {
        a.ticks.push_back({0.5, numberLabel(a.min, a.rate)});
        return;
    }
    // The values themselves when a few, far enough apart (a grid's choices); else even steps.
    bool spaced = distinct.size() <= static_cast<std::size_t>(kMaxTicks);
    std::vector<AxisTick> ticks;
    for (double v : distinct) {
        const double p = axisPosition(a, v);
        if (!ticks.empty() && p - ticks.back().position < kMinTickGap) spaced = false;
        ticks.push_back({p, numberLabel(v, a.rate)});
    }
    if (spaced) {
        a.ticks = ticks;
        return;
    }
    for (double p : {0.0, 0.25, 0.5, 0.75, 1.0}) a.ticks.push_back({p, numberLabel(valueAt(a, p), a.rate)});
}

}  // namespace

ParallelAxis makeAxis(const std::string& name, const std::vector<json>& values, bool rate) {
    ParallelAxis a;
    a.name = name;
    a.rate = rate;
    a.categorical = std::any_of(values.begin(), values.end(), [](const json& v) { return !v.is_number(); });
    if (a.categorical) {
        for (const json& v : values)
            if (std::find(a.categories.begin(), a.categories.end(), v) == a.categories.end())
                a.categories.push_back(v);
        addCategoryTicks(a);
        return a;
    }
    std::vector<double> numbers;
    for (const json& v : values)
        if (std::isfinite(v.get<double>())) numbers.push_back(v.get<double>());
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    if (numbers.empty()) return a;
    a.min = numbers.front();
    a.max = numbers.back();
    a.log_scale = a.min > 0 && a.max / a.min >= 100;
    addNumberTicks(a, numbers);
    return a;
}

double axisPosition(const ParallelAxis& a, const json& value) {
    if (a.categorical) {
        const auto it = std::find(a.categories.begin(), a.categories.end(), value);
        if (it == a.categories.end()) return NAN;
        if (a.categories.size() == 1) return 0.5;
        return static_cast<double>(it - a.categories.begin()) / static_cast<double>(a.categories.size() - 1);
    }
    if (!value.is_number()) return NAN;
    const double v = value.get<double>();
    if (!std::isfinite(v) || v < a.min || v > a.max) return NAN;
    if (a.min == a.max) return 0.5;
    if (a.log_scale) return (std::log(v) - std::log(a.min)) / (std::log(a.max) - std::log(a.min));
    return (v - a.min) / (a.max - a.min);
}

ParallelCoordinates parallelCoordinates(const SweepOverview& overview, const std::string& metric) {
    ParallelCoordinates pc;
    for (const std::string& axis : overview.axes) {
        std::vector<json> values;
        for (const TrialRow& r : overview.rows)
            if (r.values.contains(axis)) values.push_back(r.values[axis]);
        pc.axes.push_back(makeAxis(axis, values, false));
    }
    std::vector<json> metric_values;
    for (const TrialRow& r : overview.rows)
        if (const auto m = r.metrics.find(metric); m != r.metrics.end()) metric_values.push_back(m->second);
    pc.axes.push_back(makeAxis(metric, metric_values, isRateMetric(metric)));
    for (const TrialRow& r : overview.rows) {
        const auto m = r.metrics.find(metric);
        if (m == r.metrics.end()) continue;
        ParallelLine line;
        line.trial = r.index;
        line.metric = m->second;
        bool complete = true;
        for (std::size_t i = 0; i + 1 < pc.axes.size(); ++i) {
            const std::string& axis = overview.axes[i];
            const double p = r.values.contains(axis) ? axisPosition(pc.axes[i], r.values[axis]) : NAN;
            complete = complete && std::isfinite(p);
            line.positions.push_back(p);
        }
        line.positions.push_back(axisPosition(pc.axes.back(), json(m->second)));
        if (complete && std::isfinite(line.positions.back())) pc.lines.push_back(std::move(line));
    }
    return pc;
}

}  // namespace tm2::sweep
