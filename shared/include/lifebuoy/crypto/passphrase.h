// crypto/passphrase.h — a user's secret key wrapped with a key derived from their passphrase
// (Argon2id), so it can be stored on the server and a second device can sign in.
//
// Parameters: opslimit 3, memlimit 64 MiB, 1 lane (libsodium's Argon2id). This is RFC 9106's
// second recommended setting (t=3, m=64 MiB) and above the OWASP minimums (m=19 MiB t=2, or m=46
// MiB t=1); libsodium's MODERATE (256 MiB) would fail to allocate on many phones in a wasm heap.
// The parameters travel in the blob so they can be raised later; the decoder bounds them (a
// hostile blob cannot make a device allocate more than kMaxPassphraseMemlimitBytes).
//   wrap v1: [0] 0x01 | [1] 0x02 (Argon2id v1.3) | [2..6) opslimit u32 BE | [6..10) memlimit KiB
//            u32 BE | [10..26) salt | [26..42) key id of the user's public key | [42..66) nonce
//            | [66..114) XChaCha20-Poly1305 IETF(secret key), additional data = bytes [0..66)
// Not here: Unicode normalisation of the passphrase (the UI passes the bytes it got), rate
// limiting of guesses (the server's job: it hands out the blob).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::uint8_t kPassphraseWrapFormatVersion = 1;
inline constexpr std::uint8_t kPassphraseAlgArgon2id13 = 2;  // crypto_pwhash_ALG_ARGON2ID13
inline constexpr std::uint32_t kPassphraseOpslimit = 3;
inline constexpr std::uint32_t kPassphraseMemlimitKiB = 64 * 1024;  // 64 MiB
inline constexpr std::uint32_t kMaxPassphraseOpslimit = 16;
inline constexpr std::uint32_t kMaxPassphraseMemlimitKiB = 256 * 1024;
inline constexpr std::size_t kMinPassphraseBytes = 8;
inline constexpr std::size_t kPassphraseWrapBytes = 114;

struct PassphraseParams {
    std::uint32_t opslimit = kPassphraseOpslimit;
    std::uint32_t memlimit_kib = kPassphraseMemlimitKiB;
};

// Errors: passphrase_too_short, passphrase_params_out_of_range, passphrase_kdf_failed.
// (Tests pass small params; production uses the defaults.)
[[nodiscard]] Result<std::vector<std::uint8_t>> wrap_secret_key(const KeyPair& user, std::string_view passphrase,
                                                                 RandomSource& random, PassphraseParams params = {});
// Errors: passphrase_wrap_truncated, passphrase_wrap_unsupported_version,
// passphrase_params_out_of_range, passphrase_kdf_failed, wrong_passphrase, key_malformed.
[[nodiscard]] Result<KeyPair> unwrap_secret_key(std::span<const std::uint8_t> wrapped, std::string_view passphrase);
// The key id the wrap is for (unauthenticated), without running Argon2id.
[[nodiscard]] Result<KeyId> peek_wrapped_key_id(std::span<const std::uint8_t> wrapped);

}  // namespace lb::crypto
