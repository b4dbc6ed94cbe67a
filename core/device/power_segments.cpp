// Idle/inference segmentation of a power log and the figures derived from it
// (method documented at SegmentationConfig in power_log.h).

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/device/power_log.h"

namespace tm2::device {

namespace {

// Linear interpolation between order statistics (numpy's default percentile).
double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const double pos = p / 100.0 * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// Seconds each sample stands for: until the next sample; the last, the median spacing.
std::vector<double> sampleDurations(const std::vector<PowerSample>& s) {
    std::vector<double> d(s.size());
    for (std::size_t i = 0; i + 1 < s.size(); ++i) d[i] = s[i + 1].time_s - s[i].time_s;
    std::vector<double> spacing(d.begin(), d.end() - 1);
    std::nth_element(spacing.begin(), spacing.begin() + static_cast<long>(spacing.size() / 2), spacing.end());
    d.back() = spacing[spacing.size() / 2];
    return d;
}

struct Run {
    bool busy;
    std::size_t first, last;
};

double runDuration(const Run& r, const std::vector<double>& dur) {
    double s = 0.0;
    for (std::size_t i = r.first; i <= r.last; ++i) s += dur[i];
    return s;
}

// Merges neighbours with the same state after relabelling.
std::vector<Run> coalesce(const std::vector<Run>& runs) {
    std::vector<Run> out;
    for (const auto& r : runs) {
        if (!out.empty() && out.back().busy == r.busy)
            out.back().last = r.last;
        else
            out.push_back(r);
    }
    return out;
}

}  // namespace

std::vector<PowerSegment> segmentPowerLog(const PowerLog& log, const SegmentationConfig& config) {
    const auto& s = log.samples;
    if (s.size() < 2) throw Error(log.source + ": fewer than two samples to segment");
    std::vector<double> w;
    for (const auto& x : s) w.push_back(x.watts);
    const double idle_level = percentile(w, config.idle_percentile);
    const double busy_level = percentile(w, config.busy_percentile);
    const double contrast = busy_level - idle_level;
    if (contrast < config.min_contrast_w)
        throw Error(log.source + ": no inference visible: busy level " + std::to_string(busy_level) +
                    " W is within " + std::to_string(config.min_contrast_w) + " W of idle level " +
                    std::to_string(idle_level) + " W");
    const double enter = idle_level + config.enter_fraction * contrast;
    const double leave = idle_level + config.leave_fraction * contrast;

    std::vector<Run> runs;
    bool busy = w[0] >= enter;
    for (std::size_t i = 0; i < s.size(); ++i) {
        busy = busy ? w[i] >= leave : w[i] >= enter;
        if (!runs.empty() && runs.back().busy == busy)
            runs.back().last = i;
        else
            runs.push_back({busy, i, i});
    }
    const auto dur = sampleDurations(s);
    // Dips inside a run first, then spikes: a short dip must not split one
    // run into two that each look too short to survive.
    for (const bool state : {false, true}) {
        for (std::size_t k = 0; k < runs.size(); ++k) {
            const bool inner = k > 0 && k + 1 < runs.size();
            const bool eligible = state ? true : inner;  // leading/trailing idle is real idle
            if (runs[k].busy == state && eligible && runDuration(runs[k], dur) < config.min_segment_s)
                runs[k].busy = !state;
        }
        runs = coalesce(runs);
    }

    std::vector<PowerSegment> segments;
    for (const auto& r : runs) {
        PowerSegment seg;
        seg.busy = r.busy;
        seg.first = r.first;
        seg.last = r.last;
        seg.start_s = s[r.first].time_s;
        double energy = 0.0, time = 0.0;
        for (std::size_t i = r.first; i <= r.last; ++i) {
            energy += s[i].watts * dur[i];
            time += dur[i];
            seg.peak_w = std::max(seg.peak_w, s[i].watts);
        }
        seg.end_s = seg.start_s + time;
        seg.mean_w = energy / time;
        segments.push_back(seg);
    }
    return segments;
}

PowerReport analyzePowerLog(const PowerLog& log, const SegmentationConfig& config,
                            std::optional<double> inferences, std::optional<double> inference_rate_hz) {
    if (inferences && inference_rate_hz)
        throw Error("give the inference count or the inference rate, not both");
    if (inferences && !(*inferences > 0.0)) throw Error("inferences: must be positive");
    if (inference_rate_hz && !(*inference_rate_hz > 0.0)) throw Error("inference rate: must be positive");
    PowerReport r;
    r.source = log.source;
    r.power_from = log.power_from;
    r.samples = log.samples.size();
    r.skipped_lines = log.skipped.size();
    r.segments = segmentPowerLog(log, config);

    double idle_energy = 0.0, idle_time = 0.0, busy_energy = 0.0;
    for (const auto& seg : r.segments) {
        const double t = seg.end_s - seg.start_s;
        if (seg.busy) {
            busy_energy += seg.mean_w * t;
            r.busy_duration_s += t;
            r.busy_peak_w = std::max(r.busy_peak_w, seg.peak_w);
        } else {
            idle_energy += seg.mean_w * t;
            idle_time += t;
        }
    }
    if (r.busy_duration_s <= 0.0)
        throw Error(log.source + ": no inference segment of at least " +
                    std::to_string(config.min_segment_s) + " s");
    if (idle_time <= 0.0)
        throw Error(log.source + ": no idle segment of at least " + std::to_string(config.min_segment_s) +
                    " s to measure idle power from");
    r.idle_w = idle_energy / idle_time;
    r.busy_mean_w = busy_energy / r.busy_duration_s;
    r.mean_above_idle_mw = (r.busy_mean_w - r.idle_w) * 1e3;
    r.peak_above_idle_mw = (r.busy_peak_w - r.idle_w) * 1e3;
    r.energy_above_idle_mj = r.mean_above_idle_mw * r.busy_duration_s;  // mW·s = mJ
    if (inferences) r.inferences = inferences;
    if (inference_rate_hz) r.inferences = *inference_rate_hz * r.busy_duration_s;
    if (r.inferences) r.energy_per_inference_mj = r.energy_above_idle_mj / *r.inferences;
    return r;
}

nlohmann::json powerReportToJson(const PowerReport& r) {
    nlohmann::json segments = nlohmann::json::array();
    for (const auto& s : r.segments)
        segments.push_back({{"state", s.busy ? "busy" : "idle"},
                            {"first_sample", s.first},
                            {"last_sample", s.last},
                            {"start_s", s.start_s},
                            {"end_s", s.end_s},
                            {"mean_w", s.mean_w},
                            {"peak_w", s.peak_w}});
    nlohmann::json j{
        {"source", r.source},
        {"power_from", r.power_from},
        {"samples", r.samples},
        {"skipped_lines", r.skipped_lines},
        {"idle_w", r.idle_w},
        {"busy_mean_w", r.busy_mean_w},
        {"busy_peak_w", r.busy_peak_w},
        {"busy_duration_s", r.busy_duration_s},
        {"mean_above_idle_mw", r.mean_above_idle_mw},
        {"peak_above_idle_mw", r.peak_above_idle_mw},
        {"energy_above_idle_mj", r.energy_above_idle_mj},
        {"inferences", r.inferences ? nlohmann::json(*r.inferences) : nlohmann::json()},
        {"energy_per_inference_mj",
         r.energy_per_inference_mj ? nlohmann::json(*r.energy_per_inference_mj) : nlohmann::json()},
        {"segments", segments}};
    return j;
}

}  // namespace tm2::device
