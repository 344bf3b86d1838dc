// api_envelope.cpp — the sealed sync API's plaintext framing, and the two forms an envelope travels
// in as an HTTP body (api_envelope.h).
#include "lifebuoy/api_envelope.h"

#include <algorithm>
#include <string>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/envelope.h"
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

EnvelopeForm envelope_form_of_content_type(std::string_view content_type) {
    std::string_view type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    const std::string_view binary = kApiEnvelopeBinaryContentType;  // lower case
    const auto same_letter = [](char got, char want) {
        return (got >= 'A' && got <= 'Z' ? static_cast<char>(got - 'A' + 'a') : got) == want;
    };
    const bool is_binary = std::equal(type.begin(), type.end(), binary.begin(), binary.end(), same_letter);
    return is_binary ? EnvelopeForm::binary : EnvelopeForm::text;
}

EnvelopeForm envelope_form_of_answer(std::string_view body) {
    const bool binary = !body.empty() && static_cast<std::uint8_t>(body.front()) == crypto::kEnvelopeFormatVersion;
    return binary ? EnvelopeForm::binary : EnvelopeForm::text;
}

std::string_view envelope_content_type(EnvelopeForm form) {
    return form == EnvelopeForm::binary ? kApiEnvelopeBinaryContentType : kApiEnvelopeContentType;
}

Result<std::vector<std::uint8_t>> envelope_from_body(std::string_view body, EnvelopeForm form, std::size_t max_bytes) {
    if (form == EnvelopeForm::binary) {
        if (body.size() > max_bytes)
            return make_error("too_large", "the envelope is over " + std::to_string(max_bytes) + " bytes");
        return std::vector<std::uint8_t>(body.begin(), body.end());
    }
    auto bytes = crypto::from_base64url_public(body, max_bytes);  // a public ciphertext
    if (!bytes) return make_error("not_an_envelope", "an envelope as text is base64url: " + bytes.error().message);
    return bytes;
}

std::string envelope_to_body(std::span<const std::uint8_t> envelope, EnvelopeForm form) {
    if (form == EnvelopeForm::binary) return std::string(envelope.begin(), envelope.end());
    return crypto::to_base64url(envelope);
}

}  // namespace lb
