// desk_settings_document.cpp — triage.json minus dispatch, with a version digest (FNV-1a 64 of the
// settings text: a change detector, not a security measure — the answer is sealed anyway).
#include "desk_settings_document.h"

#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "api_codec.h"

namespace lb::server {

using nlohmann::json;

namespace {

std::string digest_hex(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
}

}  // namespace

Result<DeskSettingsDocument> desk_settings_document(const TriageConfigFile& file) {
    json triage = file.text.empty() ? json::object() : json::parse(file.text, nullptr, false);
    if (!triage.is_object()) return make_error("bad_triage_config", "desk settings: the triage text is not an object");
    triage.erase("dispatch");
    json settings{{"triage", std::move(triage)}};
    if (!file.config.dispatch.default_site.empty()) settings["default_site"] = file.config.dispatch.default_site;
    DeskSettingsDocument doc;
    doc.settings_json = settings.dump();
    doc.version = digest_hex(doc.settings_json);
    return doc;
}

std::string desk_answer_json(const DeskSettingsDocument& document, std::string_view held_version) {
    std::string text = "{\"v\":" + std::to_string(kApiVersion) + ",\"version\":\"" + document.version + "\",";
    if (held_version == document.version) return text + "\"unchanged\":true}";
    return text + "\"settings\":" + document.settings_json + "}";
}

}  // namespace lb::server
