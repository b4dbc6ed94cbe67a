#include "core/device/power_log.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/base/error.h"

namespace tm2::device {

namespace {

enum class Quantity { None, Time, Power, Voltage, Current };

struct Column {
    int index = -1;
    double scale = 1.0;  // to s, W, V or A
    std::string name;
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n\"'");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r\n\"'");
    return s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& line, char delimiter) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, delimiter)) fields.push_back(trim(field));
    if (!line.empty() && line.back() == delimiter) fields.emplace_back();
    return fields;
}

// "Current (mA)" → {"current", "ma"}; "time_s" → {"time", "s"}.
std::vector<std::string> tokens(const std::string& name) {
    std::vector<std::string> out;
    std::string t;
    for (char c : lower(name)) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            t += c;
        } else if (!t.empty()) {
            out.push_back(t);
            t.clear();
        }
    }
    if (!t.empty()) out.push_back(t);
    return out;
}

// The quantity a header names, and the factor to SI units its unit implies.
std::pair<Quantity, double> classify(const std::string& name) {
    static const std::set<std::string> time{"time", "t", "timestamp", "elapsed", "seconds", "sec", "s", "ms"};
    static const std::set<std::string> power{"power", "watts", "watt", "p", "w", "mw"};
    static const std::set<std::string> voltage{"voltage", "volts", "volt", "v", "mv", "vbus", "u"};
    static const std::set<std::string> current{"current", "amps", "amp", "ampere", "a", "ma", "i", "ibus"};
    const auto t = tokens(name);
    auto any = [&](const std::set<std::string>& words) {
        return std::any_of(t.begin(), t.end(), [&](const std::string& w) { return words.count(w) > 0; });
    };
    auto has = [&](const char* w) { return std::find(t.begin(), t.end(), w) != t.end(); };
    if (any(time)) return {Quantity::Time, has("ms") ? 1e-3 : 1.0};
    if (any(power)) return {Quantity::Power, has("mw") ? 1e-3 : 1.0};
    if (any(voltage)) return {Quantity::Voltage, has("mv") ? 1e-3 : 1.0};
    if (any(current)) return {Quantity::Current, has("ma") ? 1e-3 : 1.0};
    return {Quantity::None, 1.0};
}

char chooseDelimiter(const std::string& header) {
    const auto count = [&](char c) { return std::count(header.begin(), header.end(), c); };
    if (count('\t') > count(',') && count('\t') >= count(';')) return '\t';
    if (count(';') > count(',')) return ';';
    return ',';
}

// Whole field must be a finite number; nullopt otherwise.
std::optional<double> number(const std::string& field) {
    if (field.empty()) return std::nullopt;
    try {
        std::size_t used = 0;
        const double v = std::stod(field, &used);
        if (used != field.size() || !std::isfinite(v)) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

PowerLog parsePowerLog(const std::string& text, const std::string& source) {
    std::istringstream in(text);
    std::string line;
    int line_no = 0;
    std::string header;
    while (header.empty() && std::getline(in, line)) {
        ++line_no;
        if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
        header = trim(line);
    }
    if (header.empty()) throw Error(source + ": empty power log");
    const char delimiter = chooseDelimiter(header);
    const auto names = split(header, delimiter);
    Column time, power, volts, amps;
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        const auto [q, scale] = classify(names[i]);
        Column* target = q == Quantity::Time      ? &time
                         : q == Quantity::Power   ? &power
                         : q == Quantity::Voltage ? &volts
                         : q == Quantity::Current ? &amps
                                                  : nullptr;
        if (target && target->index < 0) *target = Column{i, scale, names[i]};
    }
    const std::string at = source + ":" + std::to_string(line_no) + ": ";
    if (time.index < 0) throw Error(at + "no time column in header '" + header + "'");
    const bool use_power = power.index >= 0;
    if (!use_power && (volts.index < 0 || amps.index < 0))
        throw Error(at + "header '" + header +
                    "' has neither a power column nor both voltage and current columns");

    PowerLog log;
    log.source = source;
    log.power_from = use_power ? "watts" : "volts*amps";
    while (std::getline(in, line)) {
        ++line_no;
        if (trim(line).empty()) continue;
        const auto fields = split(trim(line), delimiter);
        auto skip = [&](const std::string& reason) { log.skipped.push_back({line_no, reason}); };
        if (fields.size() != names.size()) {
            skip("expected " + std::to_string(names.size()) + " fields, got " +
                 std::to_string(fields.size()));
            continue;
        }
        auto read = [&](const Column& c) -> std::optional<double> {
            const auto v = number(fields[static_cast<std::size_t>(c.index)]);
            if (!v)
                skip("column '" + c.name + "': not a number '" + fields[static_cast<std::size_t>(c.index)] +
                     "'");
            return v ? std::optional<double>(*v * c.scale) : std::nullopt;
        };
        const auto t = read(time);
        if (!t) continue;
        std::optional<double> w;
        if (use_power) {
            w = read(power);
        } else {
            const auto v = read(volts);
            const auto a = v ? read(amps) : std::nullopt;
            if (v && a) w = *v * *a;
        }
        if (!w) continue;
        if (*w < 0.0) {
            skip("column '" + (use_power ? power.name : amps.name) + "': negative power " +
                 std::to_string(*w) + " W");
            continue;
        }
        if (!log.samples.empty() && *t <= log.samples.back().time_s) {
            skip("column '" + time.name + "': time " + fields[static_cast<std::size_t>(time.index)] +
                 " does not increase");
            continue;
        }
        log.samples.push_back({*t, *w});
    }
    if (log.samples.size() < 2) {
        std::string msg = source + ": fewer than two usable samples";
        if (!log.skipped.empty())
            msg += "; " + std::to_string(log.skipped.size()) + " lines skipped, first: line " +
                   std::to_string(log.skipped.front().line) + ": " + log.skipped.front().reason;
        throw Error(msg);
    }
    return log;
}

PowerLog readPowerLog(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open power log");
    std::stringstream text;
    text << in.rdbuf();
    return parsePowerLog(text.str(), path);
}

}  // namespace tm2::device
