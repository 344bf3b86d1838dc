// crypto/recovery_secret.h — a guest's way back to their tickets from another device: 32 random
// bytes the guest keeps as a link (https://<portal>/#recover=<43 base64url characters>). The secret
// lives only in the URL fragment, which browsers never send to a server. From it come (BLAKE2b
// crypto_kdf, context "lbrecovr"): subkey 1 the wrap key and subkey 2 the login key of the guest's
// user-key wrap (passphrase.h, login alg 0: no Argon2id, the secret is already 256 random bits),
// and subkey 3 the recovery id — the 32-hex name the server files that wrap under.
// Not here: the wrap itself (passphrase.h), the server's lookup, the link's page handling.
#pragma once

#include <string>
#include <string_view>

#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/crypto/secret.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"

namespace lb::crypto {

inline constexpr std::size_t kRecoverySecretTextChars = 43;

struct RecoverySecret {
    SecretBytes<32> bytes;
};

[[nodiscard]] RecoverySecret new_recovery_secret(RandomSource& random);
[[nodiscard]] std::string recovery_secret_to_text(const RecoverySecret& secret);
// Errors: recovery_link_malformed.
[[nodiscard]] Result<RecoverySecret> recovery_secret_from_text(std::string_view text);
[[nodiscard]] std::string recovery_id_hex(const RecoverySecret& secret);
[[nodiscard]] UnlockKeys recovery_unlock_keys(const RecoverySecret& secret);
// The login a recovery wrap carries (alg 0, no parameters, no salt).
[[nodiscard]] PassphraseLogin recovery_login();

}  // namespace lb::crypto
