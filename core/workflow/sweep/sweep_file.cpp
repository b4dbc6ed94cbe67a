#include "core/workflow/sweep/sweep_file.h"

#include <cmath>
#include <filesystem>
#include <set>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/workflow/sweep/sweep_params.h"

namespace tm2::sweep {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Errors read "ORIGIN: field: what".
struct Reader {
    std::string origin;
    std::string base_dir;

    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw Error(origin + ": " + field + ": " + what);
    }

    void onlyKeys(const json& object, const std::string& field, const std::set<std::string>& known) const {
        if (!object.is_object())
            fail(field.empty() ? "(top level)" : field, "expected an object, got " + object.dump());
        for (const auto& [key, value] : object.items())
            if (!known.count(key)) {
                std::string names;
                for (const auto& k : known) names += (names.empty() ? "" : ", ") + k;
                fail(field.empty() ? key : field + "." + key, "unknown key (known: " + names + ")");
            }
    }

    std::string string(const json& object, const char* key, const std::string& field, bool required) const {
        if (!object.contains(key)) {
            if (required) fail(field + key, "missing (a string is required)");
            return "";
        }
        const json& v = object.at(key);
        if (!v.is_string() || v.get<std::string>().empty())
            fail(field + key, "expected a non-empty string, got " + v.dump());
        return v.get<std::string>();
    }

    std::string path(const std::string& p) const {
        return fs::path(p).is_absolute() ? p : (fs::path(base_dir) / p).lexically_normal().string();
    }

    // Integers only; `what` is the rule shown in the error.
    std::int64_t integer(const json& v, const std::string& field, std::int64_t min, std::int64_t max) const {
        const std::string want = "expected an integer in " + std::to_string(min) + ".." + std::to_string(max);
        if (!v.is_number_integer()) fail(field, want + ", got " + v.dump());
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
            fail(field, want + ", got " + v.dump());
        const std::int64_t x = v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>())
                                                      : v.get<std::int64_t>();
        if (x < min || x > max) fail(field, want + ", got " + v.dump());
        return x;
    }

    // Resolves path-valued settings ("cache_dir", "latency_table") against the sweep's folder.
    json withPaths(json settings, ParamGroup group) const {
        for (auto& [key, value] : settings.items())
            if (paramInfo(group == ParamGroup::Quantize ? "quantize." + key : key, "").path)
                value = path(value.get<std::string>());
        return settings;
    }
};

void readBase(const Reader& r, const json& base, SweepFile& s) {
    r.onlyKeys(base, "base", {"data", "spec", "preset", "train", "quantize"});
    s.data = r.path(r.string(base, "data", "base.", true));
    if (base.contains("spec") && base.contains("preset"))
        r.fail("base", "give \"spec\" or \"preset\", not both");
    if (base.contains("spec")) s.spec = r.path(r.string(base, "spec", "base.", true));
    s.preset = r.string(base, "preset", "base.", false);
    if (base.contains("train")) {
        checkSettingsObject(base.at("train"), ParamGroup::Train, r.origin + ": base.train");
        s.train = r.withPaths(base.at("train"), ParamGroup::Train);
    }
    if (base.contains("quantize")) {
        checkSettingsObject(base.at("quantize"), ParamGroup::Quantize, r.origin + ": base.quantize");
        s.quantize = true;
        s.quantize_options = r.withPaths(base.at("quantize"), ParamGroup::Quantize);
    }
}

void readRange(const Reader& r, const json& a, const ParamInfo& info, const std::string& field,
               SweepAxis& axis) {
    if (!info.numeric) r.fail(field + ".range", "only numeric parameters take a range; give \"values\"");
    const json& range = a.at("range");
    if (!range.is_array() || range.size() != 2 || !range[0].is_number() || !range[1].is_number())
        r.fail(field + ".range", "expected [min, max], got " + range.dump());
    axis.has_range = true;
    axis.min = range[0].get<double>();
    axis.max = range[1].get<double>();
    if (!(axis.min <= axis.max)) r.fail(field + ".range", "min must not exceed max, got " + range.dump());
    const std::string scale = a.contains("scale") ? r.string(a, "scale", field + ".", true) : "linear";
    if (scale != "linear" && scale != "log")
        r.fail(field + ".scale", "expected linear or log, got \"" + scale + "\"");
    axis.log_scale = scale == "log";
    if (axis.log_scale && !(axis.min > 0)) r.fail(field + ".range", "a log scale needs min > 0");
    // Both ends must be values the parameter accepts (every draw then is).
    const std::string where = r.origin + ": " + field + ".range";
    for (double end : {axis.min, axis.max}) {
        const json v = info.integer ? json(static_cast<std::int64_t>(std::llround(end))) : json(end);
        if (info.integer && std::fabs(end) > 9e15) r.fail(field + ".range", "integer bounds out of range");
        checkParamValue(info, v, where);
    }
}

SweepAxis readAxis(const Reader& r, const json& a, const std::string& field, bool random) {
    r.onlyKeys(a, field, {"param", "values", "range", "scale"});
    SweepAxis axis;
    axis.param = r.string(a, "param", field + ".", true);
    const ParamInfo info = paramInfo(axis.param, r.origin + ": " + field + ".param");
    if (a.contains("values") == a.contains("range"))
        r.fail(field, "give \"values\" (a list) or \"range\", one of them");
    if (a.contains("scale") && !a.contains("range")) r.fail(field + ".scale", "only with \"range\"");
    if (a.contains("range")) {
        if (!random)
            r.fail(field + ".range",
                   "a grid needs \"values\"; ranges are for \"search\": {\"kind\": \"random\"}");
        readRange(r, a, info, field, axis);
        return axis;
    }
    const json& values = a.at("values");
    if (!values.is_array() || values.empty())
        r.fail(field + ".values", "expected a non-empty list, got " + values.dump());
    for (std::size_t i = 0; i < values.size(); ++i) {
        checkParamValue(info, values[i], r.origin + ": " + field + ".values[" + std::to_string(i) + "]");
        axis.values.push_back(info.path ? json(r.path(values[i].get<std::string>())) : values[i]);
    }
    return axis;
}

void readSearch(const Reader& r, const json& search, SweepFile& s) {
    r.onlyKeys(search, "search", {"kind", "samples", "seed"});
    const std::string kind = r.string(search, "kind", "search.", true);
    if (kind != "grid" && kind != "random")
        r.fail("search.kind", "expected grid or random, got \"" + kind + "\"");
    s.random = kind == "random";
    if (!s.random && (search.contains("samples") || search.contains("seed")))
        r.fail("search", "\"samples\" and \"seed\" are for \"kind\": \"random\"");
    if (s.random) {
        if (!search.contains("samples")) r.fail("search.samples", "missing (how many trials to draw)");
        s.samples = static_cast<int>(r.integer(search.at("samples"), "search.samples", 1, kMaxTrials));
        if (search.contains("seed"))
            s.random_seed =
                static_cast<std::uint64_t>(r.integer(search.at("seed"), "search.seed", 0, INT64_MAX));
    }
}

void readSlurm(const Reader& r, const json& slurm, SlurmOptions& o) {
    r.onlyKeys(slurm, "slurm",
               {"partition", "account", "time", "mem", "cpus_per_task", "max_parallel", "extra"});
    o.partition = r.string(slurm, "partition", "slurm.", false);
    o.account = r.string(slurm, "account", "slurm.", false);
    o.time = r.string(slurm, "time", "slurm.", false);
    o.mem = r.string(slurm, "mem", "slurm.", false);
    if (slurm.contains("cpus_per_task"))
        o.cpus_per_task =
            static_cast<int>(r.integer(slurm.at("cpus_per_task"), "slurm.cpus_per_task", 1, 4096));
    if (slurm.contains("max_parallel"))
        o.max_parallel =
            static_cast<int>(r.integer(slurm.at("max_parallel"), "slurm.max_parallel", 1, 100000));
    if (slurm.contains("extra")) {
        const json& extra = slurm.at("extra");
        if (!extra.is_array())
            r.fail("slurm.extra", "expected a list of sbatch options, got " + extra.dump());
        for (std::size_t i = 0; i < extra.size(); ++i) {
            const std::string field = "slurm.extra[" + std::to_string(i) + "]";
            if (!extra[i].is_string() || extra[i].get<std::string>().rfind("--", 0) != 0)
                r.fail(field, "expected an sbatch option such as \"--qos=short\", got " + extra[i].dump());
            if (extra[i].get<std::string>().find('\n') != std::string::npos)
                r.fail(field, "must be one line");
            o.extra.push_back(extra[i].get<std::string>());
        }
    }
    // The script writes these into #SBATCH lines: one line each.
    for (const auto* v : {&o.partition, &o.account, &o.time, &o.mem})
        if (v->find_first_of("\n\r") != std::string::npos) r.fail("slurm", "values must be one line");
}

}  // namespace

SweepFile parseSweep(const json& j, const std::string& origin, const std::string& base_dir) {
    const Reader r{origin, base_dir};
    r.onlyKeys(j, "", {"name", "base", "axes", "search", "slurm"});
    SweepFile s;
    s.path = origin;
    s.name = r.string(j, "name", "", true);
    for (char c : s.name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            r.fail("name",
                   "use letters, digits, '-', '_' or '.' (it names Slurm jobs and store tags), got \"" +
                       s.name + "\"");
    if (!j.contains("base")) r.fail("base", "missing (the dataset and the settings every trial starts from)");
    readBase(r, j.at("base"), s);
    if (j.contains("search")) readSearch(r, j.at("search"), s);
    if (j.contains("axes")) {
        const json& axes = j.at("axes");
        if (!axes.is_array()) r.fail("axes", "expected a list, got " + axes.dump());
        std::set<std::string> seen;
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const std::string field = "axes[" + std::to_string(i) + "]";
            s.axes.push_back(readAxis(r, axes[i], field, s.random));
            if (!seen.insert(s.axes.back().param).second)
                r.fail(field + ".param", "\"" + s.axes.back().param + "\" is already an axis");
            if (s.axes.back().param.rfind("quantize.", 0) == 0) s.quantize = true;
        }
    }
    if (!s.random) {
        std::size_t trials = 1;
        for (const auto& a : s.axes) {
            trials *= a.values.size();
            if (trials > kMaxTrials)
                r.fail("axes", "the grid has more than " + std::to_string(kMaxTrials) +
                                   " trials; use \"search\": {\"kind\": \"random\", \"samples\": N}");
        }
    }
    if (j.contains("slurm")) readSlurm(r, j.at("slurm"), s.slurm);
    return s;
}

SweepFile readSweepFile(const std::string& path) {
    const json j = readJsonFile(path);
    const fs::path absolute = fs::absolute(path).lexically_normal();
    SweepFile s = parseSweep(j, path, absolute.parent_path().string());
    s.path = absolute.string();
    return s;
}

}  // namespace tm2::sweep
