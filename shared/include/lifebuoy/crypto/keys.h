// crypto/keys.h — X25519 key pairs (device, server, user and team identities), key ids, their
// text and binary forms, and the pinning check of the server's key.
//
// Features: one KeyPair type for every identity (crypto_box_seed_keypair from 32 bytes of the
// injected RandomSource, usable with crypto_kx and crypto_box_seal alike); KeyId, a 16-byte
// fingerprint of a public key (BLAKE2b, domain-separated); public keys as 43-char base64url text
// (app shell, JSON fields); key pairs as a versioned 65-byte secret blob (server key file, device
// store) whose decoder checks that the public half matches the secret half.
//   key pair blob v1: [0]=0x01 | [1..33) secret key | [33..65) public key
// Not here: storing keys (the caller writes the blob; the server's key file is `lifebuoy-server
// init`'s job), what each identity is used for (envelope.h, key_wrap.h, passphrase.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "lifebuoy/crypto/secret.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::size_t kPublicKeyBytes = 32;   // crypto_box_PUBLICKEYBYTES
inline constexpr std::size_t kSecretKeyBytes = 32;   // crypto_box_SECRETKEYBYTES
inline constexpr std::size_t kKeyIdBytes = 16;
inline constexpr std::size_t kPublicKeyTextChars = 43;  // base64url, no padding
inline constexpr std::uint8_t kKeyPairFormatVersion = 1;
inline constexpr std::size_t kKeyPairBlobBytes = 1 + kSecretKeyBytes + kPublicKeyBytes;

struct PublicKey {
    std::array<std::uint8_t, kPublicKeyBytes> bytes{};
    friend bool operator==(const PublicKey& a, const PublicKey& b) {
        return equal_constant_time(a.bytes.data(), b.bytes.data(), kPublicKeyBytes);
    }
    // Public data: an ordinary order, for maps.
    friend bool operator<(const PublicKey& a, const PublicKey& b) { return a.bytes < b.bytes; }
};

struct KeyId {
    std::array<std::uint8_t, kKeyIdBytes> bytes{};
    friend bool operator==(const KeyId&, const KeyId&) = default;
    friend bool operator<(const KeyId& a, const KeyId& b) { return a.bytes < b.bytes; }
};

using SecretKey = SecretBytes<kSecretKeyBytes>;

struct KeyPair {
    PublicKey public_key;
    SecretKey secret_key;

    [[nodiscard]] KeyPair duplicate() const { return KeyPair{public_key, secret_key.duplicate()}; }
};

// A fresh key pair from 32 bytes of `random`.
[[nodiscard]] KeyPair generate_key_pair(RandomSource& random);
// The key pair of a secret key (its public half recomputed). Error key_malformed for a secret key
// whose public key is of low order (never produced by generate_key_pair).
[[nodiscard]] Result<KeyPair> key_pair_from_secret(SecretKey secret);

// BLAKE2b-128("lifebuoy/key-id/v1" ‖ public key): names a key in headers and lookups.
[[nodiscard]] KeyId key_id_of(const PublicKey& key);
[[nodiscard]] std::string key_id_to_hex(const KeyId& id);  // 32 lowercase hex digits; not secret

[[nodiscard]] std::string public_key_to_text(const PublicKey& key);
// Exactly kPublicKeyTextChars of base64url (no padding). Errors: bad_encoding, key_malformed (the
// all-zero or a low-order point).
[[nodiscard]] Result<PublicKey> public_key_from_text(std::string_view text);

[[nodiscard]] SecretBuffer encode_key_pair(const KeyPair& pair);
// Errors: key_malformed (length, version, or halves that do not match).
[[nodiscard]] Result<KeyPair> decode_key_pair(std::span<const std::uint8_t> blob);

// The pin: the key delivered with the app shell (`presented`) must be the key the device enrolled
// with (`pinned`). Error server_key_changed otherwise — never silently re-pinned; re-enrolment is a
// decision for a person.
[[nodiscard]] Status check_pinned_server_key(const PublicKey& pinned, const PublicKey& presented);

}  // namespace lb::crypto
