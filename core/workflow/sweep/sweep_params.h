#pragma once
// What a sweep may set and vary, with the rule each value must follow:
//  - training keys (base.train and axes): epochs, batch_size, lr, weight_decay,
//    class_weights, lr_schedule, select_by, patience, modality_dropout, aux_loss,
//    augment (the `--augment` text),
//    seed, val, test, split, threads, memory_budget_mb, layout, chunks, cache_dir;
//  - quantization keys (base.quantize, axes as "quantize.KEY"): mode, size_kb,
//    bops_m, alpha, bops_alpha, latency_us, latency_table, qat_epochs,
//    calibration, hessian_probes, hessian_samples, hessian_seed, pins;
//  - spec variants (axes only): "fusion" (concat|sum|late|gated|film|attention), "channels.BRANCH"
//    (the out_channels of that branch's conv layers, in order);
//  - "data" (axes only): another dataset.

#include <nlohmann/json.hpp>
#include <string>

namespace tm2::sweep {

enum class ParamGroup { Train, Quantize, Fusion, Channels, Data };

struct ParamInfo {
    ParamGroup group;
    std::string key;  // the key inside its group ("alpha" of "quantize.alpha", "audio" of "channels.audio")
    bool numeric = false;  // a number (ranges allowed in random search)
    bool integer = false;
    bool path = false;  // a path, resolved against the sweep file's folder
};

// Throws tm2::Error "WHERE: unknown parameter …" listing the known ones.
ParamInfo paramInfo(const std::string& param, const std::string& where);
// Throws tm2::Error "WHERE: …" when `value` breaks the parameter's rule.
void checkParamValue(const ParamInfo& info, const nlohmann::json& value, const std::string& where);
// Checks every key of a base.train / base.quantize object.
void checkSettingsObject(const nlohmann::json& object, ParamGroup group, const std::string& where);

}  // namespace tm2::sweep
