// errors.cpp — stable names of lb::crypto's error codes.
#include "lifebuoy/crypto/errors.h"

#include <array>

namespace lb::crypto {
namespace {

constexpr std::array<std::string_view, 30> kNames{
    "crypto_init_failed", "key_malformed", "bad_encoding", "server_key_changed", "wrong_key",
    "envelope_truncated", "envelope_too_large", "envelope_unsupported_version",
    "envelope_misdirected", "envelope_tampered", "envelope_replayed", "envelope_clock_skew",
    "content_truncated", "content_too_large", "content_unsupported_version", "content_tampered",
    "content_bad_context", "sealed_key_truncated", "sealed_key_unsupported_version",
    "sealed_key_tampered", "passphrase_too_short", "passphrase_params_out_of_range",
    "passphrase_kdf_failed", "passphrase_wrap_truncated", "passphrase_wrap_unsupported_version",
    "wrong_passphrase", "replay_state_malformed", "content_not_sealed", "passphrase_too_long",
    "recovery_link_malformed",
};
static_assert(kNames.size() == static_cast<std::size_t>(CryptoError::recovery_link_malformed) + 1);

}  // namespace

std::string_view error_code_name(CryptoError code) { return kNames[static_cast<std::size_t>(code)]; }

Error crypto_error(CryptoError code, std::string message) {
    return Error{std::string(error_code_name(code)), std::move(message)};
}

}  // namespace lb::crypto
