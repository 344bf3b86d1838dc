// encoding.cpp — base64url (no padding) with libsodium's constant-time codec.
#include "lifebuoy/crypto/encoding.h"

#include <sodium.h>

#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {

namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// libsodium 1.0.18 maps some bytes >= 0x80 onto alphabet characters (its constant-time compare
// looks at the low bits only; found by tests/fuzz/envelope_fuzz.cpp), so the alphabet is checked
// first. Data-dependent timing is fine here: the texts are public keys and ciphertexts.
bool is_base64url_alphabet(std::string_view text) {
    for (char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::string to_base64url(std::span<const std::uint8_t> bytes) {
    const std::size_t with_nul = sodium_base64_ENCODED_LEN(bytes.size(), kVariant);
    std::string text(with_nul, '\0');
    sodium_bin2base64(text.data(), with_nul, bytes.data(), bytes.size(), kVariant);
    text.resize(with_nul - 1);
    return text;
}

Result<std::vector<std::uint8_t>> from_base64url(std::string_view text, std::size_t max_bytes) {
    // Checked before decoding: the longest text that can decode to max_bytes.
    if (text.size() > sodium_base64_ENCODED_LEN(max_bytes, kVariant) - 1) {
        return crypto_error(CryptoError::bad_encoding, "base64url text longer than its limit");
    }
    if (!is_base64url_alphabet(text)) {
        return crypto_error(CryptoError::bad_encoding, "not base64url (URL-safe alphabet, no padding)");
    }
    std::vector<std::uint8_t> bytes(text.size() / 4 * 3 + 3);
    std::size_t length = 0;
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length, nullptr,
                          kVariant) != 0 ||
        length > max_bytes) {
        return crypto_error(CryptoError::bad_encoding, "not base64url (URL-safe alphabet, no padding)");
    }
    bytes.resize(length);
    return bytes;
}

}  // namespace lb::crypto
