#include "core/device/power_log.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
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

// "current (ma)" → {"current", "ma"}; "time_s" → {"time", "s"}.
std::vector<std::string> tokens(const std::string& name) {
    std::vector<std::string> out;
    std::string t;
    for (char c : name) {
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

// Lower case, with the micro sign (U+00B5) and Greek mu (U+03BC) written as 'u':
// as UTF-8 bytes they are not alphanumeric, so "µs" used to read as "s".
std::string normalized(const std::string& header) {
    std::string out;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const auto c = static_cast<unsigned char>(header[i]);
        const auto next = i + 1 < header.size() ? static_cast<unsigned char>(header[i + 1]) : 0;
        if ((c == 0xC2 && next == 0xB5) || (c == 0xCE && next == 0xBC)) {
            out += 'u';
            ++i;
        } else {
            out += static_cast<char>(std::tolower(c));
        }
    }
    return out;
}

const char* quantityName(Quantity q) {
    switch (q) {
        case Quantity::Time:
            return "time";
        case Quantity::Power:
            return "power";
        case Quantity::Voltage:
            return "voltage";
        case Quantity::Current:
            return "current";
        case Quantity::None:
            break;
    }
    return "other";
}

const char* unitsOf(Quantity q) {
    switch (q) {
        case Quantity::Time:
            return "s, ms or us (µs)";
        case Quantity::Power:
            return "W, mW, uW (µW) or kW";
        case Quantity::Voltage:
            return "V, mV, uV (µV) or kV";
        case Quantity::Current:
            return "A, mA, uA (µA) or kA";
        case Quantity::None:
            break;
    }
    return "s, W, V or A with an SI prefix u (µ), m or k";
}

struct Unit {
    Quantity quantity = Quantity::None;
    double scale = 1.0;  // to s, W, V or A
};

// "mw" → power × 1e-3, "us" → time × 1e-6; nullopt for anything else.
std::optional<Unit> unitFromSymbol(const std::string& symbol) {
    static const std::map<std::string, Quantity> base{{"s", Quantity::Time},
                                                      {"sec", Quantity::Time},
                                                      {"w", Quantity::Power},
                                                      {"v", Quantity::Voltage},
                                                      {"a", Quantity::Current}};
    static const std::map<char, double> prefix{{'u', 1e-6}, {'m', 1e-3}, {'k', 1e3}};
    if (const auto b = base.find(symbol); b != base.end()) return Unit{b->second, 1.0};
    if (symbol.size() < 2) return std::nullopt;
    const auto p = prefix.find(symbol[0]);
    const auto b = base.find(symbol.substr(1));
    if (p == prefix.end() || b == base.end()) return std::nullopt;
    return Unit{b->second, p->second};
}

Quantity quantityOfWord(const std::string& word) {
    static const std::map<std::string, Quantity> words{
        {"time", Quantity::Time},       {"t", Quantity::Time},        {"timestamp", Quantity::Time},
        {"elapsed", Quantity::Time},    {"seconds", Quantity::Time},  {"power", Quantity::Power},
        {"watts", Quantity::Power},     {"watt", Quantity::Power},    {"p", Quantity::Power},
        {"voltage", Quantity::Voltage}, {"volts", Quantity::Voltage}, {"volt", Quantity::Voltage},
        {"vbus", Quantity::Voltage},    {"u", Quantity::Voltage},     {"current", Quantity::Current},
        {"amps", Quantity::Current},    {"amp", Quantity::Current},   {"ampere", Quantity::Current},
        {"i", Quantity::Current},       {"ibus", Quantity::Current}};
    const auto it = words.find(word);
    return it == words.end() ? Quantity::None : it->second;
}

// The quantity a header names and the factor to SI units its unit implies.
// The unit is written in brackets ("Power (mW)", "VBUS [V]"), as a short last
// word ("current_mA", "time ms") or alone ("µs", "W"). A column whose name
// says what it measures but whose unit is not understood is refused rather
// than read at the wrong scale; columns naming nothing we use are ignored.
Unit classify(const std::string& header, const std::string& at) {
    const std::string text = normalized(header);
    std::vector<std::string> words;
    std::optional<std::string> unit;
    if (const auto open = text.find_last_of("(["); open != std::string::npos) {
        const auto close = text.find_first_of(")]", open);
        const std::string inside =
            text.substr(open + 1, close == std::string::npos ? close : close - open - 1);
        const auto inner = tokens(inside);
        unit = inner.size() == 1 ? inner[0] : trim(inside);
        words = tokens(text.substr(0, open));
    } else {
        words = tokens(text);
        if (words.size() == 1 && quantityOfWord(words[0]) == Quantity::None) {
            const auto alone = unitFromSymbol(words[0]);
            return alone ? *alone : Unit{};
        }
        // Units are short; a longer last word ("time_stamp") is part of the name.
        if (words.size() >= 2 && quantityOfWord(words.back()) == Quantity::None && words.back().size() <= 3) {
            unit = words.back();
            words.pop_back();
        }
    }
    Quantity named = Quantity::None;
    for (const auto& w : words)
        if ((named = quantityOfWord(w)) != Quantity::None) break;
    if (!unit) return Unit{named, 1.0};
    const auto parsed = unitFromSymbol(*unit);
    if (!parsed) {
        if (named == Quantity::None) return Unit{};
        throw Error(at + "column '" + header + "': unknown unit '" + *unit + "' for " + quantityName(named) +
                    " (expected " + unitsOf(named) + ")");
    }
    if (named != Quantity::None && named != parsed->quantity)
        throw Error(at + "column '" + header + "': unit '" + *unit + "' is a " +
                    quantityName(parsed->quantity) + " unit, but the column names " + quantityName(named) +
                    " (expected " + unitsOf(named) + ")");
    return *parsed;
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
    const std::string at = source + ":" + std::to_string(line_no) + ": ";
    Column time, power, volts, amps;
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        const auto [q, scale] = classify(names[i], at);
        Column* target = q == Quantity::Time      ? &time
                         : q == Quantity::Power   ? &power
                         : q == Quantity::Voltage ? &volts
                         : q == Quantity::Current ? &amps
                                                  : nullptr;
        if (target && target->index < 0) *target = Column{i, scale, names[i]};
    }
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
