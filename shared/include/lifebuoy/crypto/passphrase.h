// crypto/passphrase.h — a user's secret key wrapped so it can rest on the server and a second
// device can sign in: with a key derived from their passphrase (Argon2id), or from a guest's
// recovery secret (recovery_secret.h). One derivation gives two keys: the WRAP key, which opens
// the wrap, and the LOGIN key, which the device shows the server as proof that it knows the
// passphrase (the server keeps only login_verifier_hex of it). The server hands out a wrap only to
// a proof that matches, so guessing passphrases needs either the server's help (rate-limited) or a
// copy of its database (then every guess costs one Argon2id run).
//
// Parameters: opslimit 3, memlimit 64 MiB, 1 lane (libsodium's Argon2id). This is RFC 9106's
// second recommended setting (t=3, m=64 MiB) and above the OWASP minimums (m=19 MiB t=2, or m=46
// MiB t=1); libsodium's MODERATE (256 MiB) would fail to allocate on many phones in a wasm heap.
// The parameters travel in the login so they can be raised later; the decoder bounds them (a
// hostile server cannot make a device allocate more than kMaxPassphraseMemlimitKiB).
//   login (26 bytes, public: the server gives it to whoever asks, with a decoy for unknown names):
//            [0] 0x01 | [1] alg: 0x02 Argon2id v1.3, 0x00 recovery secret (no KDF, all else zero)
//            | [2..6) opslimit u32 BE | [6..10) memlimit KiB u32 BE | [10..26) salt
//   wrap v1 (114 bytes): login | [26..42) key id of the user's public key | [42..66) nonce
//            | [66..114) XChaCha20-Poly1305 IETF(secret key), additional data = bytes [0..66)
//   Argon2id(passphrase, salt) → 64 bytes: wrap key = [0..32), login key = [32..64).
// Not here: Unicode normalisation of the passphrase (the UI passes the bytes it got), rate
// limiting of guesses (the server's), where wraps are stored.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/secret.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::uint8_t kPassphraseWrapFormatVersion = 1;
inline constexpr std::uint8_t kPassphraseAlgArgon2id13 = 2;  // crypto_pwhash_ALG_ARGON2ID13
inline constexpr std::uint8_t kPassphraseAlgRecoverySecret = 0;
inline constexpr std::uint32_t kPassphraseOpslimit = 3;
inline constexpr std::uint32_t kPassphraseMemlimitKiB = 64 * 1024;  // 64 MiB
inline constexpr std::uint32_t kMaxPassphraseOpslimit = 16;
inline constexpr std::uint32_t kMaxPassphraseMemlimitKiB = 256 * 1024;
inline constexpr std::size_t kMinPassphraseBytes = 8;
inline constexpr std::size_t kMaxPassphraseBytes = 1024;
inline constexpr std::size_t kPassphraseLoginBytes = 26;
inline constexpr std::size_t kPassphraseWrapBytes = 114;
inline constexpr std::size_t kLoginKeyBytes = 32;

struct PassphraseParams {
    std::uint32_t opslimit = kPassphraseOpslimit;
    std::uint32_t memlimit_kib = kPassphraseMemlimitKiB;
};

// How to turn a passphrase (or recovery secret) into its keys: public.
struct PassphraseLogin {
    std::uint8_t alg = kPassphraseAlgArgon2id13;
    PassphraseParams params;
    std::array<std::uint8_t, 16> salt{};
};

// The two keys one derivation gives (wiped on destruction).
struct UnlockKeys {
    SecretBytes<32> wrap_key;
    SecretBytes<kLoginKeyBytes> login_key;
};

// A fresh login with a random salt. Errors: passphrase_params_out_of_range.
[[nodiscard]] Result<PassphraseLogin> new_passphrase_login(RandomSource& random, PassphraseParams params = {});
[[nodiscard]] std::vector<std::uint8_t> encode_passphrase_login(const PassphraseLogin& login);
// Errors: passphrase_wrap_truncated, passphrase_wrap_unsupported_version, passphrase_params_out_of_range.
[[nodiscard]] Result<PassphraseLogin> decode_passphrase_login(std::span<const std::uint8_t> bytes);

// Argon2id of the passphrase with the login's parameters (the slow step: ~0.5 s in a browser).
// Errors: passphrase_too_short / passphrase_too_long (outside kMin/kMaxPassphraseBytes),
// passphrase_params_out_of_range (or a recovery login), passphrase_kdf_failed.
[[nodiscard]] Result<UnlockKeys> derive_unlock_keys(std::string_view passphrase, const PassphraseLogin& login);

// The user's secret key under keys.wrap_key; the login is copied into the wrap. Errors:
// passphrase_params_out_of_range.
[[nodiscard]] Result<std::vector<std::uint8_t>> wrap_secret_key(const KeyPair& user, const PassphraseLogin& login,
                                                                 const UnlockKeys& keys, RandomSource& random);
// Errors: passphrase_wrap_truncated, passphrase_wrap_unsupported_version,
// passphrase_params_out_of_range, wrong_passphrase (other keys, or the wrap was altered), key_malformed.
[[nodiscard]] Result<KeyPair> unwrap_secret_key(std::span<const std::uint8_t> wrapped, const UnlockKeys& keys);
// The login inside a wrap (unauthenticated until unwrapped) and the key id it is for.
[[nodiscard]] Result<PassphraseLogin> login_of_wrap(std::span<const std::uint8_t> wrapped);
[[nodiscard]] Result<KeyId> peek_wrapped_key_id(std::span<const std::uint8_t> wrapped);

// What the device sends as proof (base64url of the login key), and what the server stores and
// compares (hex of a keyed BLAKE2b of the proof's bytes; compare with sodium_memcmp semantics).
[[nodiscard]] std::string login_proof_text(const UnlockKeys& keys);
[[nodiscard]] std::string login_verifier_hex(std::span<const std::uint8_t> proof);

// One call each way with a passphrase: new login + derive + wrap; derive with the wrap's login + unwrap.
[[nodiscard]] Result<std::vector<std::uint8_t>> wrap_secret_key(const KeyPair& user, std::string_view passphrase,
                                                                 RandomSource& random, PassphraseParams params = {});
[[nodiscard]] Result<KeyPair> unwrap_secret_key(std::span<const std::uint8_t> wrapped, std::string_view passphrase);

}  // namespace lb::crypto
