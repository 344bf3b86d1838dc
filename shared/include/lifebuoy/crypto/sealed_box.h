// crypto/sealed_box.h — anonymous public-key encryption (libsodium's crypto_box_seal construction)
// with the ephemeral key drawn from the injected RandomSource.
//
// seal_box output is byte-for-byte what crypto_box_seal produces for the same ephemeral key, so
// crypto_box_seal_open opens it (tested): epk ‖ crypto_box_easy(m, nonce = BLAKE2b-192(epk ‖ pk),
// pk, esk). libsodium's own crypto_box_seal draws the ephemeral key from its global generator,
// which would make known-answer tests impossible; this is why the construction is spelled out.
// Not here: what is sealed and its framing (key_wrap.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/random_source.h"

namespace lb::crypto {

inline constexpr std::size_t kSealedBoxOverheadBytes = 48;  // crypto_box_SEALBYTES

[[nodiscard]] std::vector<std::uint8_t> seal_box(std::span<const std::uint8_t> message,
                                                 const PublicKey& recipient, RandomSource& random);
// Writes message.size() - kSealedBoxOverheadBytes bytes to `out` (sized by the caller). False when
// too short, not for this key, or altered.
[[nodiscard]] bool open_box(std::span<const std::uint8_t> sealed, const KeyPair& recipient,
                            std::span<std::uint8_t> out);

}  // namespace lb::crypto
