#pragma once
// USB power-meter logs (CSV of time with watts, or time with volts and amps)
// and the paper's power figures: idle power, inference power above idle
// (mean and peak; the paper reports peak minus idle) and energy per inference.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tm2::device {

struct PowerSample {
    double time_s = 0.0;
    double watts = 0.0;
};

struct SkippedLine {
    int line = 0;        // 1-based line of the CSV
    std::string reason;  // names the column at fault when there is one
};

struct PowerLog {
    std::string source;                // file name (or label) for messages
    std::string power_from;            // "watts" or "volts*amps": which columns were used
    std::vector<PowerSample> samples;  // time strictly increasing
    std::vector<SkippedLine> skipped;
};

// Header columns are matched case-insensitively by name and unit: time
// ("time", "t", "timestamp", "elapsed"), power ("power", "watts", "P"),
// voltage ("voltage", "volts", "VBUS", "U") and current ("current", "amps",
// "I"). Units are s, W, V and A with an optional SI prefix µ (or u), m or k
// ("µs", "mW", "uA", "kW"), written as "Power (mW)", "VBUS [V]", "current_mA"
// or alone ("ms", "W"); values are converted to s, W, V and A. A column naming
// a quantity with an unknown unit ("power (nW)", "current (mV)") is refused
// naming the column. Power wins over volts × amps when both are present.
// Delimiter: ',', ';' or tab, chosen from the header.
// Bad rows are skipped with "column 'X': …" reasons; throws tm2::Error
// naming `source` when the header is unusable or no row is.
PowerLog parsePowerLog(const std::string& text, const std::string& source);
PowerLog readPowerLog(const std::string& path);  // throws tm2::Error when unreadable

// Segmentation: the idle level L is a low percentile of the power and the
// busy level H a high one, which ignores a few spikes either way. A sample
// enters "busy" at L + enter·(H−L) and leaves it below L + leave·(H−L)
// (hysteresis, so noise near one threshold cannot flicker). Idle gaps shorter
// than min_segment_s between two busy runs are then merged into busy (a
// dip inside a run), and busy runs shorter than min_segment_s become idle (a
// spike). Each sample stands for the time until the next one; the last one
// for the median spacing.
struct SegmentationConfig {
    double idle_percentile = 10.0;
    double busy_percentile = 90.0;
    double enter_fraction = 0.6;
    double leave_fraction = 0.4;
    double min_segment_s = 1.0;
    double min_contrast_w = 0.005;  // H − L below this: no inference visible in the log
};

struct PowerSegment {
    bool busy = false;
    std::size_t first = 0;  // sample indices, inclusive
    std::size_t last = 0;
    double start_s = 0.0;  // time of `first`
    double end_s = 0.0;    // time of `first` + covered duration
    double mean_w = 0.0;   // time-weighted
    double peak_w = 0.0;
};

struct PowerReport {
    std::string source;
    std::string power_from;
    std::size_t samples = 0;
    std::size_t skipped_lines = 0;
    double idle_w = 0.0;           // time-weighted mean over idle segments
    double busy_mean_w = 0.0;      // time-weighted mean over busy segments
    double busy_peak_w = 0.0;      // highest busy sample
    double busy_duration_s = 0.0;  // summed over busy segments
    double mean_above_idle_mw = 0.0;
    double peak_above_idle_mw = 0.0;    // the paper's "inference power" (peak minus idle)
    double energy_above_idle_mj = 0.0;  // ∫ (P − idle) dt over busy segments
    std::optional<double> inferences;   // given, or rate × busy duration
    std::optional<double> energy_per_inference_mj;
    std::vector<PowerSegment> segments;  // alternating idle/busy, in time order
};

// Throws tm2::Error naming the source when the log has fewer than two samples,
// no visible busy level, or no idle segment to measure idle power from.
std::vector<PowerSegment> segmentPowerLog(const PowerLog& log, const SegmentationConfig& config = {});
// `inferences` (count over all busy segments) or `inference_rate_hz` (while
// busy) gives energy per inference; at most one may be set.
PowerReport analyzePowerLog(const PowerLog& log, const SegmentationConfig& config = {},
                            std::optional<double> inferences = std::nullopt,
                            std::optional<double> inference_rate_hz = std::nullopt);

nlohmann::json powerReportToJson(const PowerReport& report);

}  // namespace tm2::device
