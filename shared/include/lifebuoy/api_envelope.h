// api_envelope.h — the sync API inside sealed envelopes (crypto/envelope.h): what a device seals
// for each request, and how a request or an answer travels over HTTP.
//
// Every sync API call is `POST <path>` with Content-Type kApiEnvelopeContentType and, as the body,
// base64url (no padding) of an envelope whose plaintext is the canonical JSON
//     {"body":<the request's JSON object>,"path":"/api/v1/push","token":"<device token>"}
// ("token" absent when enrolling). The path inside the authenticated plaintext binds a request to
// its endpoint; the token inside binds the device's enrolment to its key (the server also checks
// that the envelope's device key is the one the device enrolled with). An answer to a request
// that opened is the envelope of the answer's JSON text, sealed to that request's counter, with
// the HTTP status as usual (errors included). Only what fails before opening (not an envelope,
// another server key, tampered, replayed, clock skew) is answered in plain JSON
// {"error":{"code","message"},"server_time_ms"}: a device never trusts it for data.
// Not here: sealing (crypto/envelope.h), HTTP (the platforms, the server's routes).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lifebuoy/result.h"

namespace lb {

inline constexpr std::string_view kApiEnvelopeContentType = "application/vnd.lifebuoy.envelope";

// The plaintext a device seals: `body_json` must be a JSON object's text.
[[nodiscard]] std::string api_request_plaintext(std::string_view path, const std::optional<std::string>& token,
                                                std::string_view body_json);

struct ApiRequestPlaintext {
    std::string path;
    std::optional<std::string> token;
    nlohmann::json body;  // an object
};
// Bounded parse (size, depth) of an opened request. Codes: too_large, too_deep, malformed_json,
// bad_request (not an object, a member missing or of the wrong type).
[[nodiscard]] Result<ApiRequestPlaintext> parse_api_request_plaintext(std::string_view plaintext,
                                                                     std::size_t max_bytes);

}  // namespace lb
