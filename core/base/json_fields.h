#pragma once
// Reading config structs from JSON with errors that name the field
// ("mfcc.window: expected one of hann, hamming, got \"hamm\""); unknown enum
// strings are errors, never a silent default.

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2 {

// Sets `field` from j[key] when present; throws tm2::Error naming prefix.key on a type mismatch.
template <typename T>
void readField(const nlohmann::json& j, const std::string& prefix, const char* key, T& field) {
    if (!j.contains(key)) return;
    try {
        j.at(key).get_to(field);
    } catch (const nlohmann::json::exception&) {
        throw Error(prefix + "." + key + ": wrong type '" + j.at(key).dump() + "'");
    }
}

// Maps enum values to/from their JSON names.
template <typename E>
using EnumNames = std::vector<std::pair<E, const char*>>;

template <typename E>
const char* enumName(const EnumNames<E>& names, E value) {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return "?";
}

template <typename E>
E enumFromName(const EnumNames<E>& names, const std::string& text, const std::string& field) {
    std::string options;
    for (const auto& [v, n] : names) {
        if (text == n) return v;
        options += (options.empty() ? "" : ", ") + std::string(n);
    }
    throw Error(field + ": expected one of " + options + ", got \"" + text + "\"");
}

template <typename E>
void readEnumField(const nlohmann::json& j, const std::string& prefix, const char* key,
                   const EnumNames<E>& names, E& field) {
    if (!j.contains(key)) return;
    const std::string where = prefix + "." + key;
    if (!j.at(key).is_string()) throw Error(where + ": expected a string, got " + j.at(key).dump());
    field = enumFromName(names, j.at(key).get<std::string>(), where);
}

}  // namespace tm2
