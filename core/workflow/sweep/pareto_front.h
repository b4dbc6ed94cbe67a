#pragma once
// The Pareto front of accuracy (higher is better) against model bytes (fewer
// is better): the trials no other trial beats on both — none is as small and
// as accurate with one of the two strictly better. What the Sweeps view draws
// as a line over the accuracy-vs-bytes scatter.

#include <cstddef>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_overview.h"

namespace tm2::sweep {

struct FrontPoint {
    double bytes = 0;
    double accuracy = 0;
};

// Indices into `points` of the non-dominated ones, fewest bytes first. Equal points are
// all kept (neither beats the other); points with a non-finite coordinate are left out.
std::vector<std::size_t> paretoFront(const std::vector<FrontPoint>& points);

// The trials (indices) on the front of `accuracy` against `bytes`, over the rows reporting both.
std::vector<int> paretoTrials(const SweepOverview& overview, const std::string& accuracy,
                              const std::string& bytes);

}  // namespace tm2::sweep
