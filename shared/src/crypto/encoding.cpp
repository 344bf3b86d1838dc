// encoding.cpp — base64url (no padding): libsodium's constant-time codec, and a table decoder for
// public bytes.
#include "lifebuoy/crypto/encoding.h"

#include <array>

#include <sodium.h>

#include "lifebuoy/crypto/errors.h"

namespace lb::crypto {

namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// Each character's 6 bits; kNotInAlphabet (high bit set) for every other byte.
constexpr std::uint8_t kNotInAlphabet = 0x80;
constexpr std::array<std::uint8_t, 256> kSextets = [] {
    std::array<std::uint8_t, 256> table{};
    table.fill(kNotInAlphabet);
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < alphabet.size(); ++i) table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    return table;
}();

std::uint32_t sextet(char c) { return kSextets[static_cast<unsigned char>(c)]; }

// libsodium 1.0.18 maps some bytes >= 0x80 onto alphabet characters (its constant-time compare
// looks at the low bits only; found by tests/fuzz/envelope_fuzz.cpp), so the alphabet is checked
// first (with data-dependent timing, like the length checks: they leak only that a text is malformed).
bool is_base64url_alphabet(std::string_view text) {
    for (char c : text) {
        if (sextet(c) == kNotInAlphabet) return false;
    }
    return true;
}

// The longest text that can decode to max_bytes (sodium_base64_ENCODED_LEN counts a NUL).
std::size_t max_text_length(std::size_t max_bytes) { return sodium_base64_ENCODED_LEN(max_bytes, kVariant) - 1; }

Result<std::vector<std::uint8_t>> not_base64url() {
    return crypto_error(CryptoError::bad_encoding, "not base64url (URL-safe alphabet, no padding)");
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
    if (text.size() > max_text_length(max_bytes)) {
        return crypto_error(CryptoError::bad_encoding, "base64url text longer than its limit");
    }
    if (!is_base64url_alphabet(text)) return not_base64url();
    std::vector<std::uint8_t> bytes(text.size() / 4 * 3 + 3);
    std::size_t length = 0;
    if (sodium_base642bin(bytes.data(), bytes.size(), text.data(), text.size(), nullptr, &length, nullptr,
                          kVariant) != 0 ||
        length > max_bytes) {
        return not_base64url();
    }
    bytes.resize(length);
    return bytes;
}

// Four characters → three bytes; a tail of two or three characters → one or two bytes whose unused
// low bits must be zero (libsodium's rule: one text per byte string); a tail of one is impossible.
Result<std::vector<std::uint8_t>> from_base64url_public(std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_text_length(max_bytes)) {
        return crypto_error(CryptoError::bad_encoding, "base64url text longer than its limit");
    }
    const std::size_t tail = text.size() % 4;
    if (tail == 1) return not_base64url();
    const std::size_t whole = text.size() - tail;
    std::vector<std::uint8_t> bytes(whole / 4 * 3 + (tail == 0 ? 0 : tail - 1));
    std::uint8_t* out = bytes.data();
    std::uint32_t seen = 0;  // the OR of every sextet: kNotInAlphabet set iff a character was not
    for (std::size_t i = 0; i < whole; i += 4) {
        const std::uint32_t a = sextet(text[i]), b = sextet(text[i + 1]), c = sextet(text[i + 2]), d = sextet(text[i + 3]);
        seen |= a | b | c | d;
        const std::uint32_t v = a << 18 | b << 12 | c << 6 | d;
        *out++ = static_cast<std::uint8_t>(v >> 16);
        *out++ = static_cast<std::uint8_t>(v >> 8);
        *out++ = static_cast<std::uint8_t>(v);
    }
    if (tail == 2) {
        const std::uint32_t a = sextet(text[whole]), b = sextet(text[whole + 1]);
        seen |= a | b;
        if ((b & 0x0F) != 0) return not_base64url();
        *out = static_cast<std::uint8_t>(a << 2 | b >> 4);
    } else if (tail == 3) {
        const std::uint32_t a = sextet(text[whole]), b = sextet(text[whole + 1]), c = sextet(text[whole + 2]);
        seen |= a | b | c;
        if ((c & 0x03) != 0) return not_base64url();
        const std::uint32_t v = a << 10 | b << 4 | c >> 2;
        out[0] = static_cast<std::uint8_t>(v >> 8);
        out[1] = static_cast<std::uint8_t>(v);
    }
    if ((seen & kNotInAlphabet) != 0) return not_base64url();
    return bytes;
}

}  // namespace lb::crypto
