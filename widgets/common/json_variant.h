#pragma once
// nlohmann::json travels through QVariant (task results, queued signals).

#include <QMetaType>
#include <QVariant>
#include <nlohmann/json.hpp>

Q_DECLARE_METATYPE(nlohmann::json)

namespace tm2::gui {

inline QVariant toVariant(nlohmann::json j) { return QVariant::fromValue(std::move(j)); }
inline nlohmann::json fromVariant(const QVariant& v) {
    return v.canConvert<nlohmann::json>() ? v.value<nlohmann::json>() : nlohmann::json();
}

}  // namespace tm2::gui
