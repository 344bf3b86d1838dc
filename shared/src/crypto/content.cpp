// content.cpp — per-ticket keys and sealed content fields (format: content.h).
#include "lifebuoy/crypto/content.h"

#include <sodium.h>

#include "bytes.h"
#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/schema.h"

namespace lb::crypto {

static_assert(kTicketKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kContentNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kContentTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);

namespace {

constexpr std::string_view kKeyIdLabel = "lifebuoy/ticket-key-id/v1";
constexpr std::string_view kAdLabel = "lifebuoy/content/v1";

std::size_t padded_size(std::size_t plaintext_bytes) {
    return (plaintext_bytes / kContentPadBlockBytes + 1) * kContentPadBlockBytes;  // sodium_pad adds ≥ 1
}

Status check_context(const ContentContext& context) {
    if (context.ticket_id.is_zero() || context.op_id.is_zero()) {
        return crypto_error(CryptoError::content_bad_context, "ticket id and op id must be set");
    }
    if (!is_token(context.field, kMaxNameBytes)) {
        return crypto_error(CryptoError::content_bad_context, "field must be a wire field name");
    }
    return Ok{};
}

std::vector<std::uint8_t> additional_data(const ContentContext& context, const KeyId& key_id) {
    std::vector<std::uint8_t> ad;
    ad.reserve(kAdLabel.size() + 1 + 16 + 16 + kKeyIdBytes + 1 + context.field.size());
    detail::put_text(ad, kAdLabel);
    detail::put_u8(ad, kContentFormatVersion);
    detail::put_id128(ad, context.ticket_id);
    detail::put_id128(ad, context.op_id);
    detail::put_bytes(ad, key_id.bytes);
    detail::put_u8(ad, static_cast<std::uint8_t>(context.field.size()));  // ≤ kMaxNameBytes (checked)
    detail::put_text(ad, context.field);
    return ad;
}

}  // namespace

TicketKey TicketKey::generate(RandomSource& random) {
    SecretBytes<kTicketKeyBytes> bytes;
    random.fill(bytes.data(), bytes.size());
    return from_bytes(std::move(bytes));
}

TicketKey TicketKey::from_bytes(SecretBytes<kTicketKeyBytes> bytes) {
    TicketKey key;
    key.bytes_ = std::move(bytes);
    crypto_generichash(key.id_.bytes.data(), key.id_.bytes.size(),
                       reinterpret_cast<const std::uint8_t*>(kKeyIdLabel.data()), kKeyIdLabel.size(),
                       key.bytes_.data(), key.bytes_.size());
    return key;
}

std::size_t sealed_field_size(std::size_t plaintext_bytes) {
    return kContentHeaderBytes + padded_size(plaintext_bytes) + kContentTagBytes;
}

Result<std::vector<std::uint8_t>> seal_field(const TicketKey& key, const ContentContext& context,
                                             std::string_view plaintext, RandomSource& random) {
    if (plaintext.size() > kMaxContentPlaintextBytes) {
        return crypto_error(CryptoError::content_too_large, "content over its size limit");
    }
    if (auto ok = check_context(context); !ok) return ok.error();

    SecretBuffer padded(padded_size(plaintext.size()));
    std::memcpy(padded.data(), plaintext.data(), plaintext.size());
    std::size_t padded_length = 0;
    if (sodium_pad(&padded_length, padded.data(), plaintext.size(), kContentPadBlockBytes, padded.size()) != 0 ||
        padded_length != padded.size()) {
        return crypto_error(CryptoError::content_too_large, "padding failed");  // unreachable: sized above
    }

    std::array<std::uint8_t, kContentNonceBytes> nonce{};
    random.fill(nonce.data(), nonce.size());
    std::vector<std::uint8_t> out;
    out.reserve(sealed_field_size(plaintext.size()));
    detail::put_u8(out, kContentFormatVersion);
    detail::put_bytes(out, key.id().bytes);
    detail::put_bytes(out, nonce);
    out.resize(sealed_field_size(plaintext.size()));
    const std::vector<std::uint8_t> ad = additional_data(context, key.id());
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + kContentHeaderBytes, &written, padded.data(),
                                               padded.size(), ad.data(), ad.size(), nullptr, nonce.data(),
                                               key.bytes().data());
    return out;
}

Result<KeyId> peek_field_key_id(std::span<const std::uint8_t> sealed) {
    if (sealed.empty()) return crypto_error(CryptoError::content_truncated, "empty sealed field");
    if (sealed[0] != kContentFormatVersion) {
        return crypto_error(CryptoError::content_unsupported_version, "unsupported content version");
    }
    if (sealed.size() < kContentHeaderBytes + kContentPadBlockBytes + kContentTagBytes) {
        return crypto_error(CryptoError::content_truncated, "sealed field shorter than its minimum");
    }
    if (sealed.size() > sealed_field_size(kMaxContentPlaintextBytes)) {
        return crypto_error(CryptoError::content_too_large, "sealed field over its size limit");
    }
    KeyId id;
    std::memcpy(id.bytes.data(), sealed.data() + 1, kKeyIdBytes);
    return id;
}

Result<std::string> open_field(const TicketKey& key, const ContentContext& context,
                               std::span<const std::uint8_t> sealed) {
    auto key_id = peek_field_key_id(sealed);
    if (!key_id) return key_id.error();
    if (key_id.value() != key.id()) {
        return crypto_error(CryptoError::wrong_key, "sealed under ticket key " + key_id_to_hex(key_id.value()));
    }
    if (auto ok = check_context(context); !ok) return ok.error();
    const std::size_t padded_length = sealed.size() - kContentHeaderBytes - kContentTagBytes;
    if (padded_length % kContentPadBlockBytes != 0) {
        return crypto_error(CryptoError::content_tampered, "sealed field length is not whole blocks");
    }

    SecretBuffer padded(padded_length);
    const std::vector<std::uint8_t> ad = additional_data(context, key.id());
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(padded.data(), &length, nullptr,
                                                   sealed.data() + kContentHeaderBytes,
                                                   sealed.size() - kContentHeaderBytes, ad.data(), ad.size(),
                                                   sealed.data() + 1 + kKeyIdBytes, key.bytes().data()) != 0) {
        return crypto_error(CryptoError::content_tampered,
                            "sealed field failed authentication (altered, or from another ticket, field or op)");
    }
    std::size_t unpadded = 0;
    if (sodium_unpad(&unpadded, padded.data(), padded.size(), kContentPadBlockBytes) != 0) {
        return crypto_error(CryptoError::content_tampered, "bad padding");
    }
    return std::string(reinterpret_cast<const char*>(padded.data()), unpadded);
}

}  // namespace lb::crypto
