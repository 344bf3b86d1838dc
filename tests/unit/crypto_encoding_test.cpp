// crypto_encoding_test.cpp — the two base64url decoders accept exactly the same texts and give the
// same bytes: every text of up to three characters over the alphabet and its neighbours, and
// random texts (valid encodings, valid encodings with one byte changed, noise) under random limits.
// Not here: the fixed examples of the codec (crypto_keys_test.cpp).
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/encoding.h"

namespace {

using lb::crypto::from_base64url;
using lb::crypto::from_base64url_public;
using lb::crypto::to_base64url;

// The alphabet, the standard variant's characters, padding, NUL, and bytes >= 0x80 (libsodium 1.0.18
// maps some of those onto alphabet characters unless they are refused first).
const std::string kCharacters = std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") +
                                std::string("+/= .\n", 6) + std::string(1, '\0') + "\x80\xad\xb7\xdf\xff";

// The number of texts on which the two decoders disagree (0 expected); the first is reported.
int disagreements(std::string_view text, std::size_t max_bytes, int& so_far) {
    const auto constant_time = from_base64url(text, max_bytes);
    const auto table = from_base64url_public(text, max_bytes);
    bool same = constant_time.ok() == table.ok();
    if (same && constant_time.ok()) same = constant_time.value() == table.value();
    if (same && !constant_time.ok()) same = constant_time.error().code == table.error().code;
    if (!same && so_far++ == 0) FAIL_CHECK("decoders disagree on \"" << std::string(text) << "\" (limit " << max_bytes << ")");
    return same ? 0 : 1;
}

}  // namespace

TEST_CASE("base64url: both decoders agree on every text of up to three characters") {
    lb::test::require_crypto();
    int so_far = 0;
    std::size_t valid = 0;
    std::string text;
    for (std::size_t length = 0; length <= 3; ++length) {
        std::vector<std::size_t> at(length, 0);
        while (true) {
            text.clear();
            for (std::size_t i : at) text += kCharacters[i];
            disagreements(text, 2, so_far);
            disagreements(text, 1, so_far);  // two or three characters are over a one-byte limit
            valid += from_base64url_public(text, 2).ok() ? 1 : 0;
            std::size_t k = 0;
            while (k < length && ++at[k] == kCharacters.size()) at[k++] = 0;
            if (k == length) break;
        }
    }
    CHECK(so_far == 0);
    // 1 empty + 64×4 two-character texts (low 4 bits zero) + 64×64×16 three-character texts
    CHECK(valid == 1 + 64 * 4 + 64 * 64 * 16);
}

TEST_CASE("base64url: both decoders agree on random texts under random limits") {
    lb::test::require_crypto();
    std::mt19937 random(20261204);
    auto below = [&random](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    int so_far = 0;
    std::size_t valid = 0;
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::uint8_t> bytes(below(200));
        for (auto& b : bytes) b = static_cast<std::uint8_t>(below(256));
        std::string text = to_base64url(bytes);
        switch (round % 3) {
            case 0:  // as encoded
                break;
            case 1:  // one character changed to any byte
                if (!text.empty()) text[below(text.size())] = static_cast<char>(below(256));
                break;
            default:  // characters from the set, any length
                text.resize(below(40));
                for (char& c : text) c = kCharacters[below(kCharacters.size())];
        }
        const std::size_t limit = below(3) == 0 ? below(220) : bytes.size();
        disagreements(text, limit, so_far);
        const auto decoded = from_base64url_public(text, limit);
        if (round % 3 == 0 && limit >= bytes.size()) {
            REQUIRE(decoded.ok());
            CHECK(decoded.value() == bytes);
        }
        valid += decoded.ok() ? 1 : 0;
    }
    CHECK(so_far == 0);
    CHECK(valid > 6000);  // the valid encodings at least
}
