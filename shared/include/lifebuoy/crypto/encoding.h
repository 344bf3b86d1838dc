// crypto/encoding.h — base64url text for binary crypto outputs (sealed fields in op values, sealed
// keys and wraps in JSON).
//
// Features: URL-safe alphabet without padding (sodium_bin2base64 variant
// URLSAFE_NO_PADDING); strict decoders with a byte limit checked before decoding, both accepting
// exactly the same texts (tests/unit/crypto_encoding_test.cpp compares them):
//  - from_base64url: libsodium's constant-time decoder, for anything that may be secret (key pair
//    blobs, wrap keys, recovery secrets, sign-in proofs);
//  - from_base64url_public: a table decoder ~10x faster whose timing depends on the text, for
//    bytes anyone on the wire sees anyway — sealed envelopes, ciphertexts, public keys. The server
//    decodes every request's envelope with it.
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
// The same answers as from_base64url; for public bytes only (see above).
[[nodiscard]] Result<std::vector<std::uint8_t>> from_base64url_public(std::string_view text, std::size_t max_bytes);

}  // namespace lb::crypto
