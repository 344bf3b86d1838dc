// crypto/encoding.h — base64url text for binary crypto outputs (sealed fields in op values, sealed
// keys and wraps in JSON).
//
// Features: URL-safe alphabet without padding (sodium_bin2base64 variant
// URLSAFE_NO_PADDING); a strict decoder with a byte limit checked before decoding.
// Not here: hex (id128.h has it for ids).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/result.h"

namespace lb::crypto {

[[nodiscard]] std::string to_base64url(std::span<const std::uint8_t> bytes);
// Errors: bad_encoding (wrong alphabet, padding, whitespace, impossible length, or more than
// max_bytes once decoded).
[[nodiscard]] Result<std::vector<std::uint8_t>> from_base64url(std::string_view text, std::size_t max_bytes);

}  // namespace lb::crypto
