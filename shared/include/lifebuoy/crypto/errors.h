// crypto/errors.h — the stable error codes of lb::crypto (envelopes, content, sealed keys,
// passphrase wraps, key parsing).
//
// Each code maps to a snake_case string carried in lb::Error::code ("envelope_replayed",
// "server_key_changed", ...), so the UI and peers can rely on it. Messages say what failed, never
// echo key bytes or plaintext.
// Not here: the shared core's codes (lifebuoy/errors.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb::crypto {

enum class CryptoError : std::uint8_t {
    init_failed,                  // sodium_init() failed
    key_malformed,                // a key that does not parse, or a low-order / inconsistent key
    bad_encoding,                 // text that is not the expected base64url
    server_key_changed,           // the server presented a key other than the pinned one
    wrong_key,                    // bytes addressed to, or made with, another key
    envelope_truncated,           // shorter than its header + tag
    envelope_too_large,           // over kMaxEnvelopePlaintextBytes
    envelope_unsupported_version,
    envelope_misdirected,         // a response where a request was expected, or the reverse
    envelope_tampered,            // authentication failed: altered, or made for another session
    envelope_replayed,            // counter not greater than the last accepted (or not the awaited one)
    envelope_clock_skew,          // timestamp outside kEnvelopeMaxClockSkewMs of the receiver's clock
    content_truncated,
    content_too_large,            // over kMaxContentPlaintextBytes
    content_unsupported_version,
    content_tampered,             // authentication failed: altered, or moved to another ticket/field/op
    content_bad_context,          // zero ticket/op id or a field name that is not a token
    sealed_key_truncated,
    sealed_key_unsupported_version,
    sealed_key_tampered,
    passphrase_too_short,         // under kMinPassphraseBytes when wrapping
    passphrase_params_out_of_range,
    passphrase_kdf_failed,        // Argon2id could not run (usually: memory)
    passphrase_wrap_truncated,
    passphrase_wrap_unsupported_version,
    wrong_passphrase,             // the passphrase does not open this wrap (or the wrap was altered)
    replay_state_malformed,       // a persisted ReplayGuard that does not decode
    content_not_sealed,           // ticket text in the clear where it must be sealed (sealed_text.h)
    passphrase_too_long,          // over kMaxPassphraseBytes
    recovery_link_malformed,      // a recovery secret that is not 43 base64url characters
};

std::string_view error_code_name(CryptoError code);
Error crypto_error(CryptoError code, std::string message);

}  // namespace lb::crypto
