// recovery_secret.cpp — guests' recovery secrets and what they derive (recovery_secret.h).
#include "lifebuoy/crypto/recovery_secret.h"

#include <array>
#include <cstring>

#include <sodium.h>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {
namespace {

constexpr char kContext[crypto_kdf_CONTEXTBYTES + 1] = "lbrecovr";
constexpr std::uint64_t kWrapKeyId = 1, kLoginKeyId = 2, kRecoveryIdId = 3;
static_assert(crypto_kdf_KEYBYTES == 32);

}  // namespace

RecoverySecret new_recovery_secret(RandomSource& random) {
    RecoverySecret secret;
    random.fill(secret.bytes.data(), secret.bytes.size());
    return secret;
}

std::string recovery_secret_to_text(const RecoverySecret& secret) { return to_base64url(secret.bytes.bytes()); }

Result<RecoverySecret> recovery_secret_from_text(std::string_view text) {
    if (text.size() != kRecoverySecretTextChars)
        return crypto_error(CryptoError::recovery_link_malformed, "a recovery link ends in 43 characters after #recover=");
    auto bytes = from_base64url(text, 32);
    if (!bytes || bytes.value().size() != 32)
        return crypto_error(CryptoError::recovery_link_malformed, "this recovery link is not complete");
    RecoverySecret secret;
    std::memcpy(secret.bytes.data(), bytes.value().data(), 32);
    sodium_memzero(bytes.value().data(), bytes.value().size());
    return secret;
}

std::string recovery_id_hex(const RecoverySecret& secret) {
    std::array<std::uint8_t, 16> id{};
    crypto_kdf_derive_from_key(id.data(), id.size(), kRecoveryIdId, kContext, secret.bytes.data());
    char hex[2 * 16 + 1];
    sodium_bin2hex(hex, sizeof hex, id.data(), id.size());
    return std::string(hex, 2 * 16);
}

UnlockKeys recovery_unlock_keys(const RecoverySecret& secret) {
    UnlockKeys keys;
    crypto_kdf_derive_from_key(keys.wrap_key.data(), keys.wrap_key.size(), kWrapKeyId, kContext, secret.bytes.data());
    crypto_kdf_derive_from_key(keys.login_key.data(), keys.login_key.size(), kLoginKeyId, kContext,
                               secret.bytes.data());
    return keys;
}

PassphraseLogin recovery_login() {
    PassphraseLogin login;
    login.alg = kPassphraseAlgRecoverySecret;
    login.params = PassphraseParams{0, 0};
    return login;
}

}  // namespace lb::crypto
