#include "app/cli/ablate_seeds.h"

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <utility>

#include "core/workflow/sweep/seed_statistics.h"

namespace tm2::cli {

namespace {

using nlohmann::json;

// The matrix's columns in order, as keys and labels: FP32 first, then what the ablation
// quantized ("columns" of ablation.json; INT8, INT4, MP and, with --mp-2bit, MP 2/4/8).
std::vector<std::pair<std::string, std::string>> columnsOf(const json& ablation) {
    std::vector<std::pair<std::string, std::string>> columns{{"fp32", "FP32"}};
    if (ablation.contains("columns"))
        for (const json& c : ablation.at("columns"))
            columns.emplace_back(c.at("key").get<std::string>(), c.at("label").get<std::string>());
    else
        columns.insert(columns.end(), {{"int8", "INT8"}, {"int4", "INT4"}, {"mp", "MP"}});
    return columns;
}

// "86.6 ± 1.2 %" from a summary entry of a rate; "86.6 %" with one seed.
std::string percentText(const json& s, bool sign) {
    const double mean = 100 * s.at("mean").get<double>();
    char text[64];
    if (s.contains("ci95_high"))
        std::snprintf(text, sizeof text, sign ? "%+.1f ± %.1f" : "%.1f ± %.1f", mean,
                      100 * s.at("ci95_high").get<double>() - mean);
    else
        std::snprintf(text, sizeof text, sign ? "%+.1f" : "%.1f", mean);
    return text;
}

}  // namespace

std::map<std::string, double> ablationFigures(const json& ablation) {
    std::map<std::string, double> f;
    for (const json& row : ablation.at("matrix")) {
        const std::string variant = row.at("variant").get<std::string>();
        for (const auto& [mode, label] : columnsOf(ablation)) {
            if (!row.contains(mode)) continue;
            const json& cell = row.at(mode);
            for (const char* key : {"accuracy", "delta", "model_bytes"})
                if (cell.contains(key) && cell.at(key).is_number())
                    f[variant + "." + mode + "." + key] = cell.at(key).get<double>();
        }
    }
    if (ablation.contains("comparison") && ablation.at("comparison").contains("fusion_gain"))
        f["fusion_gain"] = ablation.at("comparison").at("fusion_gain").get<double>();
    return f;
}

json summarizeSeededAblations(const std::vector<json>& ablations, const std::vector<std::string>& outs,
                              std::uint64_t first_seed) {
    std::vector<std::map<std::string, double>> per_seed;
    json runs = json::array();
    for (std::size_t i = 0; i < ablations.size(); ++i) {
        per_seed.push_back(ablationFigures(ablations[i]));
        runs.push_back({{"seed", first_seed + i},
                        {"out", i < outs.size() ? outs[i] : ""},
                        {"run_id", ablations[i].value("run_id", "")},
                        {"figures", per_seed.back()}});
    }
    json variants = json::array(), columns = json::array();
    if (!ablations.empty()) {
        for (const json& row : ablations.front().at("matrix")) variants.push_back(row.at("variant"));
        for (const auto& [key, label] : columnsOf(ablations.front())) columns.push_back({{"key", key}, {"label", label}});
    }
    return {{"seeds", ablations.size()},
            {"first_seed", first_seed},
            {"runs", runs},
            {"variants", variants},
            {"columns", columns},
            {"summary", sweep::summariesToJson(sweep::summarizeTrials(per_seed))}};
}

void printSeededAblation(const json& summary) {
    const json& s = summary.at("summary");
    const std::uint64_t first = summary.at("first_seed"), seeds = summary.at("seeds");
    std::cout << "\n"
              << seeds << " seeds (" << first << " … " << first + seeds - 1
              << "); test accuracy %, (change from FP32 in points), model KiB; mean ± 95 % CI (Student t):\n";
    std::cout << std::left << std::setw(18) << "variant";
    for (const json& c : summary.at("columns")) std::cout << std::setw(37) << c.at("label").get<std::string>();
    std::cout << "\n";
    for (const json& v : summary.at("variants")) {
        const std::string variant = v.get<std::string>();
        std::cout << std::setw(18) << variant;
        for (const json& c : summary.at("columns")) {
            const std::string key = variant + "." + c.at("key").get<std::string>() + ".";
            std::string cell =
                s.contains(key + "accuracy") ? percentText(s.at(key + "accuracy"), false) + " %" : "—";
            if (s.contains(key + "delta")) cell += " (" + percentText(s.at(key + "delta"), true) + ")";
            if (s.contains(key + "model_bytes")) {
                char kib[32];
                std::snprintf(kib, sizeof kib, " %.1f KiB",
                              s.at(key + "model_bytes").at("mean").get<double>() / 1024);
                cell += kib;
            }
            // setw counts bytes; "±", "—" and "−" are multi-byte, so pad by hand.
            std::size_t glyphs = 0;
            for (unsigned char ch : cell) glyphs += (ch & 0xC0) != 0x80;
            std::cout << cell << std::string(glyphs < 37 ? 37 - glyphs : 1, ' ');
        }
        std::cout << "\n";
    }
    if (s.contains("fusion_gain"))
        std::cout << "fusion gain (test, over the best unimodal on validation): "
                  << percentText(s.at("fusion_gain"), true) << " points\n";
}

}  // namespace tm2::cli
