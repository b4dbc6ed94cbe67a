#pragma once
// A parallel-coordinates view of a sweep: one vertical axis per sweep axis (in
// the file's order) and a last one for the chosen metric, each normalised to
// 0..1, and one line per trial that reports the metric. A numeric axis runs
// from its smallest to its largest value (logarithmic when all are positive
// and span two decades or more, as learning rates do); an axis with any
// non-number (fusion kinds, channel lists) places its values evenly, in plan
// order. Each axis carries a few labelled ticks, spaced so none overlap.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_overview.h"

namespace tm2::sweep {

struct AxisTick {
    double position = 0;  // 0..1
    std::string label;    // "concat", "0.001", "83.3 %"
};

struct ParallelAxis {
    std::string name;
    bool categorical = false;
    std::vector<nlohmann::json> categories;  // categorical: in plan order
    double min = 0, max = 0;                 // numeric
    bool log_scale = false;
    bool rate = false;  // a metric in % (values are fractions)
    std::vector<AxisTick> ticks;
};

struct ParallelLine {
    int trial = 0;
    std::vector<double> positions;  // one per axis, 0..1
    double metric = 0;              // the last axis's value
};

struct ParallelCoordinates {
    std::vector<ParallelAxis> axes;  // the sweep's axes, then the metric
    std::vector<ParallelLine> lines;
};

// Axes from every planned trial's values; the metric axis and the lines from the rows reporting `metric`.
ParallelCoordinates parallelCoordinates(const SweepOverview& overview, const std::string& metric);

// Where `value` sits on `axis` (0..1; 0.5 when the axis holds one value); NaN when it is not on it.
double axisPosition(const ParallelAxis& axis, const nlohmann::json& value);

// The axis for `values` (any JSON; numbers make a numeric axis unless one is not a number).
ParallelAxis makeAxis(const std::string& name, const std::vector<nlohmann::json>& values, bool rate);

}  // namespace tm2::sweep
