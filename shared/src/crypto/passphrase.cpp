// passphrase.cpp — wrapped user secret keys and the login proof (formats and parameters:
// passphrase.h).
#include "lifebuoy/crypto/passphrase.h"

#include <cstring>

#include <sodium.h>

#include "bytes.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {

static_assert(kPassphraseAlgArgon2id13 == crypto_pwhash_ALG_ARGON2ID13);
static_assert(crypto_pwhash_argon2id_SALTBYTES == 16);

namespace {

constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kHeaderBytes = kPassphraseLoginBytes + kKeyIdBytes + kNonceBytes;
static_assert(kPassphraseWrapBytes == kHeaderBytes + kSecretKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES);
constexpr std::string_view kVerifierKey = "lifebuoy login verifier v1......";  // 32 bytes: a domain label
static_assert(kVerifierKey.size() == crypto_generichash_KEYBYTES);

Status check_login(const PassphraseLogin& login) {
    if (login.alg == kPassphraseAlgRecoverySecret) {
        static constexpr std::array<std::uint8_t, 16> kZeroSalt{};
        if (login.params.opslimit != 0 || login.params.memlimit_kib != 0 || login.salt != kZeroSalt)
            return crypto_error(CryptoError::passphrase_params_out_of_range, "a recovery login has no parameters");
        return Ok{};
    }
    if (login.alg != kPassphraseAlgArgon2id13)
        return crypto_error(CryptoError::passphrase_wrap_unsupported_version, "unsupported password hash");
    const PassphraseParams& p = login.params;
    if (p.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || p.opslimit > kMaxPassphraseOpslimit ||
        p.memlimit_kib < crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024 || p.memlimit_kib > kMaxPassphraseMemlimitKiB) {
        return crypto_error(CryptoError::passphrase_params_out_of_range, "Argon2id parameters out of range");
    }
    return Ok{};
}

void put_login(std::vector<std::uint8_t>& out, const PassphraseLogin& login) {
    detail::put_u8(out, kPassphraseWrapFormatVersion);
    detail::put_u8(out, login.alg);
    detail::put_u32(out, login.params.opslimit);
    detail::put_u32(out, login.params.memlimit_kib);
    detail::put_bytes(out, login.salt);
}

Result<PassphraseLogin> read_login(detail::ByteReader& in) {
    std::uint8_t version = 0;
    if (!in.u8(version)) return crypto_error(CryptoError::passphrase_wrap_truncated, "empty login");
    if (version != kPassphraseWrapFormatVersion)
        return crypto_error(CryptoError::passphrase_wrap_unsupported_version, "unsupported wrap version");
    PassphraseLogin login;
    if (!in.u8(login.alg) || !in.u32(login.params.opslimit) || !in.u32(login.params.memlimit_kib) ||
        !in.array(login.salt))
        return crypto_error(CryptoError::passphrase_wrap_truncated, "login cut short");
    if (auto ok = check_login(login); !ok) return ok.error();
    return login;
}

struct WrapHeader {
    PassphraseLogin login;
    KeyId key_id;
    std::array<std::uint8_t, kNonceBytes> nonce{};
};

Result<WrapHeader> parse_wrap(std::span<const std::uint8_t> wrapped) {
    if (wrapped.empty()) return crypto_error(CryptoError::passphrase_wrap_truncated, "empty wrap");
    if (wrapped[0] != kPassphraseWrapFormatVersion)
        return crypto_error(CryptoError::passphrase_wrap_unsupported_version, "unsupported wrap version");
    if (wrapped.size() != kPassphraseWrapBytes)
        return crypto_error(CryptoError::passphrase_wrap_truncated, "a key wrap is 114 bytes");
    detail::ByteReader in(wrapped);
    auto login = read_login(in);
    if (!login) return login.error();
    WrapHeader header{login.value(), {}, {}};
    if (!in.array(header.key_id.bytes) || !in.array(header.nonce))
        return crypto_error(CryptoError::passphrase_wrap_truncated, "wrap header cut short");
    return header;
}

}  // namespace

Result<PassphraseLogin> new_passphrase_login(RandomSource& random, PassphraseParams params) {
    PassphraseLogin login;
    login.params = params;
    if (auto ok = check_login(login); !ok) return ok.error();
    random.fill(login.salt.data(), login.salt.size());
    return login;
}

std::vector<std::uint8_t> encode_passphrase_login(const PassphraseLogin& login) {
    std::vector<std::uint8_t> out;
    out.reserve(kPassphraseLoginBytes);
    put_login(out, login);
    return out;
}

Result<PassphraseLogin> decode_passphrase_login(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > kPassphraseLoginBytes)
        return crypto_error(CryptoError::passphrase_wrap_truncated, "a login is 26 bytes");
    detail::ByteReader in(bytes);
    return read_login(in);
}

Result<UnlockKeys> derive_unlock_keys(std::string_view passphrase, const PassphraseLogin& login) {
    if (passphrase.size() < kMinPassphraseBytes)
        return crypto_error(CryptoError::passphrase_too_short,
                            "a passphrase has at least " + std::to_string(kMinPassphraseBytes) + " bytes");
    if (passphrase.size() > kMaxPassphraseBytes)
        return crypto_error(CryptoError::passphrase_too_long,
                            "a passphrase has at most " + std::to_string(kMaxPassphraseBytes) + " bytes");
    if (auto ok = check_login(login); !ok) return ok.error();
    if (login.alg != kPassphraseAlgArgon2id13)
        return crypto_error(CryptoError::passphrase_params_out_of_range, "this login is for a recovery secret");
    SecretBytes<64> both;
    if (crypto_pwhash(both.data(), both.size(), passphrase.data(), passphrase.size(), login.salt.data(),
                      login.params.opslimit, std::size_t{login.params.memlimit_kib} * 1024,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return crypto_error(CryptoError::passphrase_kdf_failed, "Argon2id failed (out of memory?)");
    }
    UnlockKeys keys;
    std::memcpy(keys.wrap_key.data(), both.data(), 32);
    std::memcpy(keys.login_key.data(), both.data() + 32, kLoginKeyBytes);
    return keys;
}

Result<std::vector<std::uint8_t>> wrap_secret_key(const KeyPair& user, const PassphraseLogin& login,
                                                  const UnlockKeys& keys, RandomSource& random) {
    if (auto ok = check_login(login); !ok) return ok.error();
    std::array<std::uint8_t, kNonceBytes> nonce{};
    random.fill(nonce.data(), nonce.size());
    std::vector<std::uint8_t> out;
    out.reserve(kPassphraseWrapBytes);
    put_login(out, login);
    detail::put_bytes(out, key_id_of(user.public_key).bytes);
    detail::put_bytes(out, nonce);
    out.resize(kPassphraseWrapBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kHeaderBytes, &written, user.secret_key.data(),
                                               kSecretKeyBytes, out.data(), kHeaderBytes, nullptr, nonce.data(),
                                               keys.wrap_key.data());
    return out;
}

Result<KeyPair> unwrap_secret_key(std::span<const std::uint8_t> wrapped, const UnlockKeys& keys) {
    auto header = parse_wrap(wrapped);
    if (!header) return header.error();
    SecretKey secret;
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret.data(), &length, nullptr, wrapped.data() + kHeaderBytes,
                                                   wrapped.size() - kHeaderBytes, wrapped.data(), kHeaderBytes,
                                                   header.value().nonce.data(), keys.wrap_key.data()) != 0) {
        return crypto_error(CryptoError::wrong_passphrase, "the passphrase does not open this key");
    }
    auto pair = key_pair_from_secret(std::move(secret));
    if (!pair) return pair.error();
    if (key_id_of(pair.value().public_key) != header.value().key_id)
        return crypto_error(CryptoError::key_malformed, "unwrapped key does not match its id");
    return pair;
}

Result<PassphraseLogin> login_of_wrap(std::span<const std::uint8_t> wrapped) {
    auto header = parse_wrap(wrapped);
    if (!header) return header.error();
    return header.value().login;
}

Result<KeyId> peek_wrapped_key_id(std::span<const std::uint8_t> wrapped) {
    auto header = parse_wrap(wrapped);
    if (!header) return header.error();
    return header.value().key_id;
}

std::string login_proof_text(const UnlockKeys& keys) { return to_base64url(keys.login_key.bytes()); }

std::string login_verifier_hex(std::span<const std::uint8_t> proof) {
    std::array<std::uint8_t, 32> hash{};
    crypto_generichash(hash.data(), hash.size(), proof.data(), proof.size(),
                       reinterpret_cast<const std::uint8_t*>(kVerifierKey.data()), kVerifierKey.size());
    char hex[2 * 32 + 1];
    sodium_bin2hex(hex, sizeof hex, hash.data(), hash.size());
    return std::string(hex, 2 * 32);
}

Result<std::vector<std::uint8_t>> wrap_secret_key(const KeyPair& user, std::string_view passphrase,
                                                  RandomSource& random, PassphraseParams params) {
    auto login = new_passphrase_login(random, params);
    if (!login) return login.error();
    auto keys = derive_unlock_keys(passphrase, login.value());
    if (!keys) return keys.error();
    return wrap_secret_key(user, login.value(), keys.value(), random);
}

Result<KeyPair> unwrap_secret_key(std::span<const std::uint8_t> wrapped, std::string_view passphrase) {
    auto login = login_of_wrap(wrapped);
    if (!login) return login.error();
    if (login.value().alg != kPassphraseAlgArgon2id13)
        return crypto_error(CryptoError::wrong_passphrase, "this wrap opens with a recovery secret");
    auto keys = derive_unlock_keys(passphrase, login.value());
    if (!keys) {
        if (keys.error().code == "passphrase_too_short" || keys.error().code == "passphrase_too_long")
            return crypto_error(CryptoError::wrong_passphrase, "the passphrase does not open this key");
        return keys.error();
    }
    return unwrap_secret_key(wrapped, keys.value());
}

}  // namespace lb::crypto
