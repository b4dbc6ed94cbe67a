#include "core/quant/quantize_options_json.h"

#include "core/base/json_fields.h"

namespace tm2::quant {

namespace {
using Calibration = train::ActivationQuantizerImpl::Calibration;
const EnumNames<Calibration> kCalibrationNames{{Calibration::MinMax, "minmax"},
                                               {Calibration::Percentile, "percentile"}};

template <typename T>
nlohmann::json optional(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json quantizeOptionsToJson(const QuantizeOptions& o) {
    return nlohmann::json{{"mode", toString(o.mode)},
                          {"candidate_bits", o.candidate_bits},
                          {"size_bytes_max", optional(o.size_bytes_max)},
                          {"bops_max", optional(o.bops_max)},
                          {"size_alpha", optional(o.size_alpha)},
                          {"bops_alpha", optional(o.bops_alpha)},
                          {"pinned_bits", o.pinned_bits},
                          {"pin_head", o.pin_head},
                          {"branch_size_bytes_max", o.branch_size_bytes_max},
                          {"latency_us_max", optional(o.latency_us_max)},
                          {"calibration", enumName(kCalibrationNames, o.calibration)},
                          {"percentile", o.percentile},
                          {"calibration_samples", o.calibration_samples},
                          {"qat_epochs", o.qat_epochs},
                          {"qat_learning_rate", o.qat_learning_rate},
                          {"batch_size", o.batch_size},
                          {"seed", o.seed},
                          {"hessian",
                           {{"max_probes", o.hessian.max_probes},
                            {"min_probes", o.hessian.min_probes},
                            {"tolerance", o.hessian.tolerance},
                            {"calibration_samples", o.hessian.calibration_samples},
                            {"batch_size", o.hessian.batch_size},
                            {"seed", o.hessian.seed},
                            {"calibration_seed", o.hessian.calibration_seed},
                            {"isolate_layers", o.hessian.isolate_layers}}}};
}

void readReplayOptions(const nlohmann::json& j, const std::string& origin, QuantizeOptions& o) {
    const std::string prefix = origin + ": options";
    if (!j.is_object()) throw Error(prefix + ": expected an object, got " + j.dump());
    readEnumField(j, prefix, "calibration", kCalibrationNames, o.calibration);
    readField(j, prefix, "percentile", o.percentile);
    readField(j, prefix, "calibration_samples", o.calibration_samples);
    readField(j, prefix, "qat_epochs", o.qat_epochs);
    readField(j, prefix, "qat_learning_rate", o.qat_learning_rate);
    readField(j, prefix, "batch_size", o.batch_size);
    readField(j, prefix, "seed", o.seed);
    if (o.calibration_samples < 1 || o.batch_size < 1 || o.qat_epochs < 0 ||
        !(o.percentile > 50 && o.percentile <= 100))
        throw Error(
            prefix +
            ": calibration_samples and batch_size must be ≥ 1, qat_epochs ≥ 0, percentile in (50, 100]");
}

}  // namespace tm2::quant
