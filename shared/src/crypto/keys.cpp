// keys.cpp — key pair generation, key ids, text and blob forms, the server-key pin.
#include "lifebuoy/crypto/keys.h"

#include <algorithm>
#include <cstring>

#include <sodium.h>

#include "bytes.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {

static_assert(kPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kPublicKeyBytes == crypto_kx_PUBLICKEYBYTES && kSecretKeyBytes == crypto_kx_SECRETKEYBYTES);
static_assert(crypto_box_SEEDBYTES == 32);

namespace {

constexpr std::string_view kKeyIdLabel = "lifebuoy/key-id/v1";

// A low-order (or otherwise unusable) point gives an all-zero shared secret, which libsodium
// refuses: try one multiplication by a fixed scalar.
bool is_usable_public_key(const PublicKey& key) {
    std::uint8_t scalar[crypto_scalarmult_SCALARBYTES];
    for (std::size_t i = 0; i < sizeof scalar; ++i) scalar[i] = static_cast<std::uint8_t>(i + 1);
    std::uint8_t shared[crypto_scalarmult_BYTES];
    const bool ok = crypto_scalarmult(shared, scalar, key.bytes.data()) == 0;
    wipe(shared, sizeof shared);
    return ok;
}

}  // namespace

KeyPair generate_key_pair(RandomSource& random) {
    SecretBytes<crypto_box_SEEDBYTES> seed;
    random.fill(seed.data(), seed.size());
    KeyPair pair;
    crypto_box_seed_keypair(pair.public_key.bytes.data(), pair.secret_key.data(), seed.data());
    return pair;
}

Result<KeyPair> key_pair_from_secret(SecretKey secret) {
    KeyPair pair;
    pair.secret_key = std::move(secret);
    if (crypto_scalarmult_base(pair.public_key.bytes.data(), pair.secret_key.data()) != 0 ||
        !is_usable_public_key(pair.public_key)) {
        return crypto_error(CryptoError::key_malformed, "secret key gives an unusable public key");
    }
    return pair;
}

KeyId key_id_of(const PublicKey& key) {
    KeyId id;
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, kKeyIdBytes);
    crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(kKeyIdLabel.data()),
                              kKeyIdLabel.size());
    crypto_generichash_update(&state, key.bytes.data(), key.bytes.size());
    crypto_generichash_final(&state, id.bytes.data(), id.bytes.size());
    return id;
}

std::string key_id_to_hex(const KeyId& id) {
    char hex[kKeyIdBytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, id.bytes.data(), id.bytes.size());
    return std::string(hex, kKeyIdBytes * 2);
}

std::string public_key_to_text(const PublicKey& key) { return to_base64url(key.bytes); }

Result<PublicKey> public_key_from_text(std::string_view text) {
    if (text.size() != kPublicKeyTextChars) {
        return crypto_error(CryptoError::bad_encoding, "a public key is 43 base64url characters");
    }
    auto bytes = from_base64url_public(text, kPublicKeyBytes);
    if (!bytes) return bytes.error();
    if (bytes.value().size() != kPublicKeyBytes) {
        return crypto_error(CryptoError::bad_encoding, "a public key is 32 bytes");
    }
    PublicKey key;
    std::copy(bytes.value().begin(), bytes.value().end(), key.bytes.begin());
    if (!is_usable_public_key(key)) return crypto_error(CryptoError::key_malformed, "unusable public key");
    return key;
}

SecretBuffer encode_key_pair(const KeyPair& pair) {
    SecretBuffer blob(kKeyPairBlobBytes);
    blob.data()[0] = kKeyPairFormatVersion;
    std::memcpy(blob.data() + 1, pair.secret_key.data(), kSecretKeyBytes);
    std::memcpy(blob.data() + 1 + kSecretKeyBytes, pair.public_key.bytes.data(), kPublicKeyBytes);
    return blob;
}

Result<KeyPair> decode_key_pair(std::span<const std::uint8_t> blob) {
    if (blob.size() != kKeyPairBlobBytes) {
        return crypto_error(CryptoError::key_malformed, "a key pair blob is 65 bytes");
    }
    if (blob[0] != kKeyPairFormatVersion) {
        return crypto_error(CryptoError::key_malformed, "unsupported key pair format version");
    }
    SecretKey secret;
    std::memcpy(secret.data(), blob.data() + 1, kSecretKeyBytes);
    auto pair = key_pair_from_secret(std::move(secret));
    if (!pair) return pair.error();
    if (!equal_constant_time(pair.value().public_key.bytes.data(), blob.data() + 1 + kSecretKeyBytes,
                             kPublicKeyBytes)) {
        return crypto_error(CryptoError::key_malformed, "the public key does not match the secret key");
    }
    return pair;
}

Status check_pinned_server_key(const PublicKey& pinned, const PublicKey& presented) {
    if (pinned == presented) return Ok{};
    return crypto_error(CryptoError::server_key_changed,
                        "the server presented key " + key_id_to_hex(key_id_of(presented)) +
                            " but this device is pinned to " + key_id_to_hex(key_id_of(pinned)));
}

}  // namespace lb::crypto
