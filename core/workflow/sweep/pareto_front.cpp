#include "core/workflow/sweep/pareto_front.h"

#include <algorithm>
#include <cmath>

namespace tm2::sweep {

std::vector<std::size_t> paretoFront(const std::vector<FrontPoint>& points) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (std::isfinite(points[i].bytes) && std::isfinite(points[i].accuracy)) order.push_back(i);
    // Fewest bytes first, the most accurate first among equal sizes: then a point is on the
    // front exactly when it is more accurate than every point before it (or equals the last one kept).
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (points[a].bytes != points[b].bytes) return points[a].bytes < points[b].bytes;
        return points[a].accuracy > points[b].accuracy;
    });
    std::vector<std::size_t> front;
    for (std::size_t i : order) {
        if (front.empty() || points[i].accuracy > points[front.back()].accuracy) {
            front.push_back(i);
        } else {
            const FrontPoint& kept = points[front.back()];
            if (points[i].accuracy == kept.accuracy && points[i].bytes == kept.bytes) front.push_back(i);
        }
    }
    return front;
}

std::vector<int> paretoTrials(const SweepOverview& overview, const std::string& accuracy,
                              const std::string& bytes) {
    std::vector<FrontPoint> points;
    std::vector<int> trials;
    for (const TrialRow& r : overview.rows) {
        const auto a = r.metrics.find(accuracy), b = r.metrics.find(bytes);
        if (a == r.metrics.end() || b == r.metrics.end()) continue;
        points.push_back({b->second, a->second});
        trials.push_back(r.index);
    }
    std::vector<int> out;
    for (std::size_t i : paretoFront(points)) out.push_back(trials[i]);
    return out;
}

}  // namespace tm2::sweep
