// api_envelope.h — the sync API inside sealed envelopes (crypto/envelope.h): what a device seals
// for each request, and how a request or an answer travels over HTTP.
//
// Every sync API call is `POST <path>` whose body is an envelope whose plaintext is the canonical JSON
//     {"body":<the request's JSON object>,"path":"/api/v1/push","token":"<device token>"}
// ("token" absent when enrolling). The envelope travels in one of two forms (EnvelopeForm): its raw
// bytes, Content-Type kApiEnvelopeBinaryContentType — what devices send, a quarter fewer bytes than
// text — or base64url text (no padding), kApiEnvelopeContentType — what shells cached in browsers
// before the binary form send, and what a person can paste. The answer takes its request's form.
// The path inside the authenticated plaintext binds a request to
// its endpoint; the token inside binds the device's enrolment to its key (the server also checks
// that the envelope's device key is the one the device enrolled with). An answer to a request
// that opened is the envelope of the answer's JSON text, sealed to that request's counter, with
// the HTTP status as usual (errors included). Only what fails before opening (not an envelope,
// another server key, tampered, replayed, clock skew) is answered in plain JSON
// {"error":{"code","message"},"server_time_ms"}: a device never trusts it for data.
// Not here: sealing (crypto/envelope.h), HTTP (the platforms, the server's routes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifebuoy/result.h"

namespace lb {

inline constexpr std::string_view kApiEnvelopeContentType = "application/vnd.lifebuoy.envelope";  // base64url text
inline constexpr std::string_view kApiEnvelopeBinaryContentType = "application/vnd.lifebuoy.envelope-binary";

enum class EnvelopeForm { text, binary };

// The form a request's Content-Type names: binary for kApiEnvelopeBinaryContentType (case and any
// parameters ignored), text for anything else (the form older devices send, with or without a type).
[[nodiscard]] EnvelopeForm envelope_form_of_content_type(std::string_view content_type);
// The form of an answer's body, from its first byte (a device sees no Content-Type through every
// platform): binary when it is the envelope's version byte (0x01: neither base64url nor JSON text).
[[nodiscard]] EnvelopeForm envelope_form_of_answer(std::string_view body);
[[nodiscard]] std::string_view envelope_content_type(EnvelopeForm form);

// The envelope's bytes from a body in `form`. Codes: too_large (binary over `max_bytes`),
// not_an_envelope (text that is not base64url, or that would decode to over `max_bytes`).
[[nodiscard]] Result<std::vector<std::uint8_t>> envelope_from_body(std::string_view body, EnvelopeForm form,
                                                                   std::size_t max_bytes);
// The body that carries `envelope` in `form`.
[[nodiscard]] std::string envelope_to_body(std::span<const std::uint8_t> envelope, EnvelopeForm form);

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
