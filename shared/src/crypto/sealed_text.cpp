// sealed_text.cpp — sealed ticket text in its op-value form (sealed_text.h).
#include "lifebuoy/crypto/sealed_text.h"

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/key_wrap.h"

namespace lb::crypto {
namespace {

std::size_t base64url_chars(std::size_t bytes) { return (bytes * 4 + 2) / 3; }

Result<std::vector<std::uint8_t>> sealed_bytes(std::string_view text) {
    if (text.substr(0, kSealedTextPrefix.size()) != kSealedTextPrefix)
        return crypto_error(CryptoError::content_not_sealed, "ticket text must be sealed on the device");
    auto bytes = from_base64url_public(text.substr(kSealedTextPrefix.size()),
                                       sealed_field_size(kMaxContentPlaintextBytes));
    if (!bytes) return bytes.error();
    return bytes;
}

}  // namespace

bool is_sealed_content_field(EntityKind entity, Field field) {
    switch (field) {
        case Field::ticket_title:
        case Field::ticket_description:
        case Field::ticket_resolution_note:
        case Field::ticket_satisfaction_comment:
        case Field::ticket_contact_detail: return entity == EntityKind::ticket;
        case Field::comment_body: return entity == EntityKind::comment;
        default: return false;
    }
}

std::size_t sealed_text_size(std::size_t plaintext_bytes) {
    return kSealedTextPrefix.size() + base64url_chars(sealed_field_size(plaintext_bytes));
}

std::size_t max_plaintext_for_sealed_text(std::size_t limit) {
    if (sealed_text_size(0) > limit) return 0;
    // sealed_text_size grows in steps of one pad block: find the last block that fits.
    std::size_t blocks = 1;
    while (sealed_text_size(blocks * kContentPadBlockBytes) <= limit) ++blocks;
    return blocks * kContentPadBlockBytes - 1;  // sodium_pad adds at least one byte
}

Result<std::string> seal_text(const TicketKey& key, const ContentContext& context, std::string_view plaintext,
                              RandomSource& random) {
    auto sealed = seal_field(key, context, plaintext, random);
    if (!sealed) return sealed.error();
    return std::string(kSealedTextPrefix) + to_base64url(sealed.value());
}

Result<std::string> open_text(const TicketKey& key, const ContentContext& context, std::string_view sealed_text) {
    auto bytes = sealed_bytes(sealed_text);
    if (!bytes) return bytes.error();
    return open_field(key, context, bytes.value());
}

Result<KeyId> sealed_text_key_id(std::string_view sealed_text) {
    auto bytes = sealed_bytes(sealed_text);
    if (!bytes) return bytes.error();
    return peek_field_key_id(bytes.value());
}

Status check_sealed_text(std::string_view value) {
    auto bytes = sealed_bytes(value);
    if (!bytes) return bytes.error();
    if (bytes.value().size() < kContentHeaderBytes + kContentPadBlockBytes + kContentTagBytes)
        return crypto_error(CryptoError::content_truncated, "sealed text shorter than one padded block");
    if (auto id = peek_field_key_id(bytes.value()); !id) return id.error();
    return Ok{};
}

std::string sealed_key_to_text(std::span<const std::uint8_t> sealed) { return to_base64url(sealed); }

Result<SealedKeyHeader> peek_sealed_key_text(std::string_view text) {
    auto bytes = from_base64url_public(text, kSealedKeyBytes);
    if (!bytes) return bytes.error();
    return peek_sealed_key(bytes.value());
}

Result<std::vector<std::uint8_t>> sealed_key_from_text(std::string_view text) {
    auto bytes = from_base64url_public(text, kSealedKeyBytes);
    if (!bytes) return bytes.error();
    if (auto header = peek_sealed_key(bytes.value()); !header) return header.error();
    return bytes;
}

}  // namespace lb::crypto
