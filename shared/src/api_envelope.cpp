// api_envelope.cpp — the sealed sync API's plaintext framing (api_envelope.h).
#include "lifebuoy/api_envelope.h"

#include "lifebuoy/wire.h"

namespace lb {

std::string api_request_plaintext(std::string_view path, const std::optional<std::string>& token,
                                  std::string_view body_json) {
    // Keys in sorted order, no spaces: the canonical form (wire.h's habit).
    std::string out = "{\"body\":";
    out += body_json;
    out += ",\"path\":";
    out += nlohmann::json(std::string(path)).dump();
    if (token) {
        out += ",\"token\":";
        out += nlohmann::json(*token).dump();
    }
    out += '}';
    return out;
}

Result<ApiRequestPlaintext> parse_api_request_plaintext(std::string_view plaintext, std::size_t max_bytes) {
    if (auto bounded = check_json_bounds(plaintext, max_bytes); !bounded) return bounded.error();
    nlohmann::json parsed = nlohmann::json::parse(plaintext, nullptr, false);
    if (parsed.is_discarded()) return make_error("malformed_json", "the sealed request is not JSON");
    if (!parsed.is_object()) return make_error("bad_request", "the sealed request must be a JSON object");
    auto path = parsed.find("path");
    auto body = parsed.find("body");
    if (path == parsed.end() || !path->is_string()) return make_error("bad_request", "the sealed request names no path");
    if (body == parsed.end() || !body->is_object()) return make_error("bad_request", "body: must be a JSON object");
    ApiRequestPlaintext out{path->get<std::string>(), std::nullopt, std::move(*body)};
    if (auto token = parsed.find("token"); token != parsed.end()) {
        if (!token->is_string()) return make_error("bad_request", "token: must be text");
        out.token = token->get<std::string>();
    }
    return out;
}

}  // namespace lb
