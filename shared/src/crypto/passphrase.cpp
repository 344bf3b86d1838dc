// passphrase.cpp — Argon2id-wrapped user secret keys (format and parameters: passphrase.h).
#include "lifebuoy/crypto/passphrase.h"

#include <cstring>

#include <sodium.h>

#include "bytes.h"
#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/secret.h"

namespace lb::crypto {

static_assert(kPassphraseAlgArgon2id13 == crypto_pwhash_ALG_ARGON2ID13);
static_assert(crypto_pwhash_argon2id_SALTBYTES == 16);

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kHeaderBytes = 1 + 1 + 4 + 4 + kSaltBytes + kKeyIdBytes + kNonceBytes;
static_assert(kPassphraseWrapBytes == kHeaderBytes + kSecretKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES);

struct Header {
    PassphraseParams params;
    std::array<std::uint8_t, kSaltBytes> salt{};
    KeyId key_id;
    std::array<std::uint8_t, kNonceBytes> nonce{};
};

Status check_params(const PassphraseParams& params) {
    if (params.opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || params.opslimit > kMaxPassphraseOpslimit ||
        params.memlimit_kib < crypto_pwhash_argon2id_MEMLIMIT_MIN / 1024 ||
        params.memlimit_kib > kMaxPassphraseMemlimitKiB) {
        return crypto_error(CryptoError::passphrase_params_out_of_range, "Argon2id parameters out of range");
    }
    return Ok{};
}

Status derive(SecretBytes<crypto_aead_xchacha20poly1305_ietf_KEYBYTES>& key, std::string_view passphrase,
              const Header& header) {
    if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), header.salt.data(),
                      header.params.opslimit, std::size_t{header.params.memlimit_kib} * 1024,
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return crypto_error(CryptoError::passphrase_kdf_failed, "Argon2id failed (out of memory?)");
    }
    return Ok{};
}

Result<Header> parse(std::span<const std::uint8_t> wrapped) {
    if (wrapped.empty()) return crypto_error(CryptoError::passphrase_wrap_truncated, "empty wrap");
    if (wrapped[0] != kPassphraseWrapFormatVersion) {
        return crypto_error(CryptoError::passphrase_wrap_unsupported_version, "unsupported wrap version");
    }
    if (wrapped.size() != kPassphraseWrapBytes) {
        return crypto_error(CryptoError::passphrase_wrap_truncated, "a passphrase wrap is 114 bytes");
    }
    detail::ByteReader in(wrapped.subspan(1));
    std::uint8_t alg = 0;
    Header header;
    if (!in.u8(alg) || !in.u32(header.params.opslimit) || !in.u32(header.params.memlimit_kib) ||
        !in.array(header.salt) || !in.array(header.key_id.bytes) || !in.array(header.nonce)) {
        return crypto_error(CryptoError::passphrase_wrap_truncated, "wrap header cut short");
    }
    if (alg != kPassphraseAlgArgon2id13) {
        return crypto_error(CryptoError::passphrase_wrap_unsupported_version, "unsupported password hash");
    }
    if (auto ok = check_params(header.params); !ok) return ok.error();
    return header;
}

}  // namespace

Result<std::vector<std::uint8_t>> wrap_secret_key(const KeyPair& user, std::string_view passphrase,
                                                  RandomSource& random, PassphraseParams params) {
    if (passphrase.size() < kMinPassphraseBytes) {
        return crypto_error(CryptoError::passphrase_too_short,
                            "a passphrase has at least " + std::to_string(kMinPassphraseBytes) + " bytes");
    }
    if (auto ok = check_params(params); !ok) return ok.error();
    Header header;
    header.params = params;
    header.key_id = key_id_of(user.public_key);
    random.fill(header.salt.data(), header.salt.size());
    random.fill(header.nonce.data(), header.nonce.size());

    std::vector<std::uint8_t> out;
    out.reserve(kPassphraseWrapBytes);
    detail::put_u8(out, kPassphraseWrapFormatVersion);
    detail::put_u8(out, kPassphraseAlgArgon2id13);
    detail::put_u32(out, params.opslimit);
    detail::put_u32(out, params.memlimit_kib);
    detail::put_bytes(out, header.salt);
    detail::put_bytes(out, header.key_id.bytes);
    detail::put_bytes(out, header.nonce);

    SecretBytes<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> key;
    if (auto ok = derive(key, passphrase, header); !ok) return ok.error();
    out.resize(kPassphraseWrapBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kHeaderBytes, &written, user.secret_key.data(),
                                               kSecretKeyBytes, out.data(), kHeaderBytes, nullptr,
                                               header.nonce.data(), key.data());
    return out;
}

Result<KeyPair> unwrap_secret_key(std::span<const std::uint8_t> wrapped, std::string_view passphrase) {
    auto header = parse(wrapped);
    if (!header) return header.error();
    SecretBytes<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> key;
    if (auto ok = derive(key, passphrase, header.value()); !ok) return ok.error();
    SecretKey secret;
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret.data(), &length, nullptr, wrapped.data() + kHeaderBytes,
                                                   wrapped.size() - kHeaderBytes, wrapped.data(), kHeaderBytes,
                                                   header.value().nonce.data(), key.data()) != 0) {
        return crypto_error(CryptoError::wrong_passphrase, "the passphrase does not open this key");
    }
    auto pair = key_pair_from_secret(std::move(secret));
    if (!pair) return pair.error();
    if (key_id_of(pair.value().public_key) != header.value().key_id) {
        return crypto_error(CryptoError::key_malformed, "unwrapped key does not match its id");
    }
    return pair;
}

Result<KeyId> peek_wrapped_key_id(std::span<const std::uint8_t> wrapped) {
    auto header = parse(wrapped);
    if (!header) return header.error();
    return header.value().key_id;
}

}  // namespace lb::crypto
