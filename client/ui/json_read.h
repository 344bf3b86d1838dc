// json_read.h — safe reads of engine replies: a missing or mistyped member reads as the default,
// so a reply from a newer or broken engine can never throw inside a frame.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace lb::ui {

inline const nlohmann::json& field(const nlohmann::json& object, const char* key) {
    static const nlohmann::json null_value;
    if (!object.is_object()) return null_value;
    auto it = object.find(key);
    return it == object.end() ? null_value : *it;
}

inline bool flag(const nlohmann::json& object, const char* key) {
    const auto& v = field(object, key);
    return v.is_boolean() && v.get<bool>();
}

inline std::string text_of(const nlohmann::json& object, const char* key, const char* fallback) {
    const auto& v = field(object, key);
    return v.is_string() ? v.get<std::string>() : std::string(fallback);
}

}  // namespace lb::ui
