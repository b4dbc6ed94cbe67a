#include "core/workflow/sweep/seed_statistics.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace tm2::sweep {

double studentT975(int df) {
    // t(0.975, df) for df = 1..30 (standard tables, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    static const double table[] = {12.7062047, 4.30265273, 3.18244631, 2.77644511, 2.57058184, 2.44691185,
                                   2.36462425, 2.30600414, 2.26215716, 2.22813885, 2.20098516, 2.17881283,
                                   2.16036866, 2.14478669, 2.13144955, 2.11990530, 2.10981558, 2.10092204,
                                   2.09302405, 2.08596345, 2.07961384, 2.07387307, 2.06865761, 2.06389856,
                                   2.05953855, 2.05552944, 2.05183052, 2.04840714, 2.04522964, 2.04227246};
    if (df < 1) return NAN;
    if (df <= 30) return table[df - 1];
    // Cornish–Fisher expansion of t in powers of 1/ν around the normal quantile
    // (Abramowitz & Stegun 26.7.5); the ν⁻³ term keeps it within 1e-6 for ν > 30.
    const double z = 1.959963984540054, v = df;
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

MetricSummary summarize(const std::vector<double>& values) {
    MetricSummary s;
    s.n = static_cast<int>(values.size());
    if (s.n == 0) return s;
    double sum = 0;
    for (double x : values) sum += x;
    s.mean = sum / s.n;
    if (s.n < 2) return s;
    double squares = 0;
    for (double x : values) squares += (x - s.mean) * (x - s.mean);
    s.std = std::sqrt(squares / (s.n - 1));
    s.half_width = studentT975(s.n - 1) * s.std / std::sqrt(static_cast<double>(s.n));
    s.has_interval = true;
    return s;
}

std::map<std::string, MetricSummary> summarizeTrials(
    const std::vector<std::map<std::string, double>>& trials) {
    std::map<std::string, std::vector<double>> values;
    for (const auto& t : trials)
        for (const auto& [name, value] : t) values[name].push_back(value);
    std::map<std::string, MetricSummary> out;
    for (const auto& [name, v] : values) out[name] = summarize(v);
    return out;
}

namespace {
bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

bool isRateMetric(const std::string& metric) {
    return endsWith(metric, "accuracy") || endsWith(metric, "uar") || endsWith(metric, "f1");
}

std::string summaryText(const std::string& metric, const MetricSummary& s) {
    const bool rate = isRateMetric(metric);
    const double scale = rate ? 100 : 1;
    char text[128];
    if (s.has_interval)
        std::snprintf(text, sizeof text, rate ? "%.1f ± %.1f %% (n %d)" : "%.4g ± %.2g (n %d)",
                      s.mean * scale, s.half_width * scale, s.n);
    else
        std::snprintf(text, sizeof text, rate ? "%.1f %% (n %d)" : "%.4g (n %d)", s.mean * scale, s.n);
    return text;
}

nlohmann::json summariesToJson(const std::map<std::string, MetricSummary>& summaries) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, m] : summaries) {
        out[name] = {{"n", m.n}, {"mean", m.mean}};
        if (m.has_interval) out[name].update({{"std", m.std}, {"ci95_low", m.low()}, {"ci95_high", m.high()}});
    }
    return out;
}

}  // namespace tm2::sweep
