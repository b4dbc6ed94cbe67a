#include "core/base/error.h"
#include "core/quant/pareto_reuse.h"

namespace tm2::quant {

HessianTraces tracesFromResult(const nlohmann::json& result, const std::string& origin) {
    HessianTraces traces;
    try {
        const auto& layers = result.at("layers");
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const auto& l = layers.at(i);
            if (!l.contains("hessian_trace"))
                throw Error(origin + ": layers[" + std::to_string(i) +
                            "] has no hessian_trace (not an MP result)");
            LayerTrace t;
            t.name = l.at("name").get<std::string>();
            t.params = l.at("params").get<std::int64_t>();
            t.trace = l.at("hessian_trace").get<double>();
            t.trace_sem = l.value("hessian_trace_sem", 0.0);
            t.relative_sem = l.value("hessian_trace_relative_sem", 0.0);
            t.probe_std = l.value("hessian_trace_probe_std", 0.0);
            t.running = l.value("hessian_trace_running", std::vector<double>{});
            traces.layers.push_back(std::move(t));
        }
        const auto hessian = result.value("hessian", nlohmann::json::object());
        traces.probes = hessian.value("probes", 0);
        traces.seconds = hessian.value("seconds", 0.0);
        traces.converged = hessian.value("converged", false);
        traces.worst_relative_sem = hessian.value("worst_relative_sem", 0.0);
    } catch (const nlohmann::json::exception& e) {
        throw Error(origin + ": cannot read the saved Hessian traces (" + e.what() + ")");
    }
    if (traces.layers.empty()) throw Error(origin + ": no layers, so no Hessian traces to reuse");
    return traces;
}

}  // namespace tm2::quant
