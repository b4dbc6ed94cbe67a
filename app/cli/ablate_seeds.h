#pragma once
// `tinym2net ablate --seeds N`: the ablation repeated under seeds S … S+N−1
// (splits, weights, shuffling), each its own run folder OUT/seed-K, and every
// cell of the matrix (accuracy, its change from FP32, model bytes) reported as
// mean ± 95 % confidence interval, so "MP costs y points" comes with its
// uncertainty. The summary is also written to OUT/ablation-seeds.json.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tm2::cli {

// One ablation.json's figures by name: "multimodal.mp.accuracy",
// "only audio.int4.delta", "only image.fp32.model_bytes", "fusion_gain".
std::map<std::string, double> ablationFigures(const nlohmann::json& ablation);

// {"seeds", "first_seed", "runs": [{seed, out, run_id, figures}], "variants",
//  "summary": {figure: {n, mean, std, ci95_low, ci95_high}}} over one ablation per seed.
nlohmann::json summarizeSeededAblations(const std::vector<nlohmann::json>& ablations,
                                        const std::vector<std::string>& outs, std::uint64_t first_seed);

// The matrix as a table: one row per variant, "86.6 ± 1.2 % (−0.9 ± 0.4)" per mode.
void printSeededAblation(const nlohmann::json& summary);

}  // namespace tm2::cli
