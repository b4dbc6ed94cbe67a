#pragma once
// Mean, standard deviation and 95 % confidence interval of one metric over
// the seeds of a sweep (trials that differ only in seed): the interval is
// mean ± t(0.975, n−1) · s/√n (Student t, two-sided), s the sample standard
// deviation (n−1 in the denominator). With one value there is no spread: std
// and the interval are left out (has_interval false), never reported as 0.

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace tm2::sweep {

struct MetricSummary {
    int n = 0;
    double mean = 0;
    double std = 0;             // sample standard deviation (n−1)
    double half_width = 0;      // of the 95 % interval
    bool has_interval = false;  // n ≥ 2
    double low() const { return mean - half_width; }
    double high() const { return mean + half_width; }
};

// The 0.975 quantile of Student's t with `df` ≥ 1 degrees of freedom (a table to
// df 30, then the Cornish–Fisher expansion, within 1e-5 of the exact value).
double studentT975(int df);

MetricSummary summarize(const std::vector<double>& values);

// Per metric name, over the trials of one seed group (each map: one trial's metrics);
// a metric counts the trials that report it.
std::map<std::string, MetricSummary> summarizeTrials(
    const std::vector<std::map<std::string, double>>& trials);

// Rates: names ending in accuracy, uar or f1 (fractions, shown in %).
bool isRateMetric(const std::string& metric);

// "83.3 ± 4.1 % (n 3)" for rates named *accuracy, *uar, *f1 (in %) and "1234 ± 12 (n 3)" otherwise.
std::string summaryText(const std::string& metric, const MetricSummary& s);

// {"name": {"n", "mean"[, "std", "ci95_low", "ci95_high"]}}: the JSON every seeded
// report (compare --seeds, ablate --seeds, sweep collect) writes.
nlohmann::json summariesToJson(const std::map<std::string, MetricSummary>& summaries);

}  // namespace tm2::sweep
