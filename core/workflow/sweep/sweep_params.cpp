#include "core/workflow/sweep/sweep_params.h"

#include <cmath>
#include <vector>

#include "core/base/error.h"
#include "core/train/augment_config.h"

namespace tm2::sweep {

namespace {

enum class Kind { Int, Number, Enum, Bool, Path, PinList, Channels, Augment };

struct Rule {
    const char* key;
    Kind kind;
    double min = 0, max = 0;     // Int, Number: inclusive bounds
    bool min_exclusive = false;  // Number: > min
    std::vector<std::string> choices = {};
};

constexpr double kBig = 1e12;

const std::vector<Rule>& trainRules() {
    static const std::vector<Rule> rules{
        {"epochs", Kind::Int, 1, 100000},
        {"batch_size", Kind::Int, 1, 1 << 20},
        {"lr", Kind::Number, 0, 10, true},
        {"weight_decay", Kind::Number, 0, 10},
        {"class_weights", Kind::Enum, 0, 0, false, {"none", "balanced"}},
        {"lr_schedule", Kind::Enum, 0, 0, false, {"constant", "cosine", "step"}},
        {"select_by", Kind::Enum, 0, 0, false, {"accuracy", "uar", "loss"}},
        {"patience", Kind::Int, 0, 100000},
        {"modality_dropout", Kind::Number, 0, 0.99},
        {"aux_loss", Kind::Number, 0, 100},
        {"augment", Kind::Augment},  // the `--augment` text: "off", "audio", "time-mask=2:0.1,gain=6", …
        {"seed", Kind::Int, 0, 9007199254740991.0},  // 2^53 - 1: exact in any JSON reader
        {"val", Kind::Number, 0, 0.9},
        {"test", Kind::Number, 0, 0.9},
        {"split", Kind::Enum, 0, 0, false, {"group", "random-chunks"}},
        {"layout", Kind::Enum, 0, 0, false, {"auto", "manifest", "folder", "coswara", "compare"}},
        {"chunks", Kind::Bool},
        {"threads", Kind::Int, 0, 1024},
        {"memory_budget_mb", Kind::Int, 1, 1 << 30},
        {"cache_dir", Kind::Path},
        {"stream_features", Kind::Bool},
    };
    return rules;
}

const std::vector<Rule>& quantizeRules() {
    static const std::vector<Rule> rules{
        {"mode", Kind::Enum, 0, 0, false, {"int8", "int4", "mp"}},
        {"size_kb", Kind::Number, 0, kBig, true},
        {"bops_m", Kind::Number, 0, kBig, true},
        {"latency_us", Kind::Number, 0, kBig, true},
        {"alpha", Kind::Number, 0, 1},
        {"bops_alpha", Kind::Number, 0, 1},
        {"latency_table", Kind::Path},
        {"qat_epochs", Kind::Int, 0, 100000},
        {"calibration", Kind::Enum, 0, 0, false, {"minmax", "percentile"}},
        {"hessian_probes", Kind::Int, 1, 100000},
        {"hessian_samples", Kind::Int, 1, 1 << 24},
        {"hessian_seed", Kind::Int, 0, 9007199254740991.0},
        {"pins", Kind::PinList, 0, 0, false, {"first", "head", "classifier"}},
    };
    return rules;
}

const Rule kFusionRule{"fusion", Kind::Enum, 0,
                       0,        false,      {"concat", "sum", "late", "gated", "film", "attention"}};
const Rule kChannelsRule{"channels", Kind::Channels, 1, 4096};
const Rule kDataRule{"data", Kind::Path};

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& i : items) text += (text.empty() ? "" : ", ") + i;
    return text;
}

std::string keysOf(const std::vector<Rule>& rules, const std::string& prefix) {
    std::vector<std::string> keys;
    for (const auto& r : rules) keys.push_back(prefix + r.key);
    return joined(keys);
}

const Rule* findRule(const std::vector<Rule>& rules, const std::string& key) {
    for (const auto& r : rules)
        if (key == r.key) return &r;
    return nullptr;
}

const Rule& ruleOf(const ParamInfo& info) {
    switch (info.group) {
        case ParamGroup::Train:
            return *findRule(trainRules(), info.key);
        case ParamGroup::Quantize:
            return *findRule(quantizeRules(), info.key);
        case ParamGroup::Fusion:
            return kFusionRule;
        case ParamGroup::Channels:
            return kChannelsRule;
        case ParamGroup::Data:
            return kDataRule;
    }
    return kDataRule;
}

std::string bound(double x) {
    if (x == std::floor(x) && std::fabs(x) < 1e16) return std::to_string(static_cast<long long>(x));
    std::string s = std::to_string(x);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    return s;
}

// A JSON integer within [min, max] (a float like 2.0 is not an integer here: it would hide a typo'd 2.5).
void checkInt(const Rule& r, const nlohmann::json& v, const std::string& where) {
    const std::string want = "expected an integer in " + bound(r.min) + ".." + bound(r.max);
    if (!v.is_number_integer()) throw Error(where + ": " + want + ", got " + v.dump());
    const double x = v.is_number_unsigned() ? static_cast<double>(v.get<std::uint64_t>())
                                            : static_cast<double>(v.get<std::int64_t>());
    if (x < r.min || x > r.max) throw Error(where + ": " + want + ", got " + v.dump());
}

void checkNumber(const Rule& r, const nlohmann::json& v, const std::string& where) {
    const std::string want =
        "expected a number " + (r.min_exclusive ? "> " + bound(r.min) + " and <= " + bound(r.max)
                                                : "in " + bound(r.min) + ".." + bound(r.max));
    if (!v.is_number()) throw Error(where + ": " + want + ", got " + v.dump());
    const double x = v.get<double>();
    const bool low = r.min_exclusive ? !(x > r.min) : !(x >= r.min);
    if (!std::isfinite(x) || low || x > r.max) throw Error(where + ": " + want + ", got " + v.dump());
}

void checkChoice(const Rule& r, const nlohmann::json& v, const std::string& where) {
    if (v.is_string())
        for (const auto& c : r.choices)
            if (v.get<std::string>() == c) return;
    throw Error(where + ": expected one of " + joined(r.choices) + ", got " + v.dump());
}

void checkRule(const Rule& r, const nlohmann::json& v, const std::string& where) {
    switch (r.kind) {
        case Kind::Int:
            checkInt(r, v, where);
            return;
        case Kind::Number:
            checkNumber(r, v, where);
            return;
        case Kind::Enum:
            checkChoice(r, v, where);
            return;
        case Kind::Bool:
            if (!v.is_boolean()) throw Error(where + ": expected true or false, got " + v.dump());
            return;
        case Kind::Path:
            if (!v.is_string() || v.get<std::string>().empty())
                throw Error(where + ": expected a path (a non-empty string), got " + v.dump());
            return;
        case Kind::PinList:
            if (!v.is_array())
                throw Error(where + ": expected a list such as [\"first\", \"head\"], got " + v.dump());
            for (std::size_t i = 0; i < v.size(); ++i)
                checkChoice(r, v[i], where + "[" + std::to_string(i) + "]");
            return;
        case Kind::Augment:
            if (!v.is_string()) throw Error(where + ": expected augmentation text such as \"audio\", got " + v.dump());
            try {
                train::parseAugment(v.get<std::string>());
            } catch (const Error& e) {
                throw Error(where + ": " + e.what());
            }
            return;
        case Kind::Channels:
            if (!v.is_array() || v.empty())
                throw Error(where + ": expected a non-empty list of channel counts such as [8, 16], got " +
                            v.dump());
            for (std::size_t i = 0; i < v.size(); ++i)
                checkInt(r, v[i], where + "[" + std::to_string(i) + "]");
            return;
    }
}

}  // namespace

ParamInfo paramInfo(const std::string& param, const std::string& where) {
    ParamInfo info{ParamGroup::Train, param};
    const std::string quantize = "quantize.", channels = "channels.";
    if (param == "fusion") {
        info.group = ParamGroup::Fusion;
    } else if (param == "data") {
        info.group = ParamGroup::Data;
        info.path = true;
    } else if (param.rfind(channels, 0) == 0 && param.size() > channels.size()) {
        info.group = ParamGroup::Channels;
        info.key = param.substr(channels.size());
    } else if (param.rfind(quantize, 0) == 0) {
        info.group = ParamGroup::Quantize;
        info.key = param.substr(quantize.size());
        if (!findRule(quantizeRules(), info.key))
            throw Error(where + ": unknown quantization parameter \"" + param +
                        "\" (known: " + keysOf(quantizeRules(), quantize) + ")");
    } else if (!findRule(trainRules(), param)) {
        throw Error(where + ": unknown parameter \"" + param + "\" (known: " + keysOf(trainRules(), "") +
                    ", fusion, channels.BRANCH, data, " + keysOf(quantizeRules(), quantize) + ")");
    }
    const Rule& r = ruleOf(info);
    info.numeric = r.kind == Kind::Int || r.kind == Kind::Number;
    info.integer = r.kind == Kind::Int;
    info.path = r.kind == Kind::Path;
    return info;
}

void checkParamValue(const ParamInfo& info, const nlohmann::json& value, const std::string& where) {
    checkRule(ruleOf(info), value, where);
}

void checkSettingsObject(const nlohmann::json& object, ParamGroup group, const std::string& where) {
    if (!object.is_object()) throw Error(where + ": expected an object, got " + object.dump());
    const bool train = group == ParamGroup::Train;
    const auto& rules = train ? trainRules() : quantizeRules();
    for (const auto& [key, value] : object.items()) {
        const Rule* r = findRule(rules, key);
        if (!r)
            throw Error(where + "." + key + ": unknown " + (train ? "training" : "quantization") +
                        " key (known: " + keysOf(rules, "") + ")");
        checkRule(*r, value, where + "." + key);
    }
}

}  // namespace tm2::sweep
