// crypto_keys_test.cpp — key pairs and their text/blob forms, key ids, the server-key pin,
// base64url, the self-wiping containers, and the production random source.
// Not here: frozen answers (crypto_kat_test.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <vector>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/errors.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/secret.h"

using namespace lb::crypto;
using lb::test::code_in;
using lb::test::cut;
using lb::test::DeterministicRandom;
using lb::test::flipped;

TEST_CASE("crypto keys: generation is deterministic under a seeded source, and distinct") {
    lb::test::require_crypto();
    DeterministicRandom a(1), b(1);
    const KeyPair x = generate_key_pair(a);
    const KeyPair y = generate_key_pair(b);
    CHECK(x.public_key == y.public_key);
    CHECK(x.secret_key.equals(y.secret_key));
    const KeyPair z = generate_key_pair(a);
    CHECK_FALSE(z.public_key == x.public_key);
    CHECK(key_id_of(z.public_key) != key_id_of(x.public_key));
    CHECK(key_id_to_hex(key_id_of(x.public_key)).size() == 32);

    SystemRandom system;
    CHECK_FALSE(generate_key_pair(system).public_key == generate_key_pair(system).public_key);
}

TEST_CASE("SystemRandom: small draws never repeat across its blocks, two sources differ, large draws") {
    lb::test::require_crypto();
    SystemRandom a, b;
    std::set<std::array<std::uint8_t, 16>> seen;
    std::size_t repeats = 0, total_bits = 0;
    for (int i = 0; i < 5000; ++i) {  // 80 KB: ~170 of its 512-byte blocks, draws straddling them
        std::array<std::uint8_t, 16> x{};
        a.fill(x.data(), i % 7 == 0 ? 5 : x.size());  // odd sizes move the draws off the block grid
        if (!seen.insert(x).second) ++repeats;
        for (std::uint8_t byte : x) total_bits += static_cast<std::size_t>(__builtin_popcount(byte));
    }
    CHECK(repeats == 0);
    std::array<std::uint8_t, 16> other{};
    b.fill(other.data(), other.size());
    CHECK(seen.count(other) == 0);
    // About half the bits set (a stuck or zeroed block would show): 5000 draws, ~70,000 bytes drawn.
    const double set_fraction = static_cast<double>(total_bits) / (8.0 * (5000 * 16 - 715 * 11));
    CHECK(set_fraction > 0.49);
    CHECK(set_fraction < 0.51);
    std::vector<std::uint8_t> large(4096, 0);  // over 256 bytes: straight from libsodium
    a.fill(large.data(), large.size());
    CHECK(std::count(large.begin(), large.end(), std::uint8_t{0}) < 64);
}

TEST_CASE("crypto keys: public key text round trip and strict parsing") {
    lb::test::require_crypto();
    DeterministicRandom random(2);
    const KeyPair pair = generate_key_pair(random);
    const std::string text = public_key_to_text(pair.public_key);
    CHECK(text.size() == kPublicKeyTextChars);
    CHECK(text.find_first_of("+/=") == std::string::npos);
    CHECK(public_key_from_text(text).value() == pair.public_key);

    CHECK(public_key_from_text("").error().code == "bad_encoding");
    CHECK(public_key_from_text(text + "A").error().code == "bad_encoding");
    CHECK(public_key_from_text(text.substr(0, 42)).error().code == "bad_encoding");
    std::string bad = text;
    bad[5] = '+';
    CHECK(public_key_from_text(bad).error().code == "bad_encoding");
    bad = text;
    bad[10] = ' ';
    CHECK(public_key_from_text(bad).error().code == "bad_encoding");
    // All zero: a low-order point.
    CHECK(public_key_from_text(std::string(43, 'A')).error().code == "key_malformed");
}

TEST_CASE("crypto keys: key pair blob round trip, every malformed blob refused") {
    lb::test::require_crypto();
    DeterministicRandom random(3);
    const KeyPair pair = generate_key_pair(random);
    const SecretBuffer blob = encode_key_pair(pair);
    REQUIRE(blob.size() == kKeyPairBlobBytes);
    auto decoded = decode_key_pair(blob.bytes());
    REQUIRE(decoded.ok());
    CHECK(decoded.value().public_key == pair.public_key);
    CHECK(decoded.value().secret_key.equals(pair.secret_key));

    const std::vector<std::uint8_t> bytes(blob.bytes().begin(), blob.bytes().end());
    for (std::size_t length = 0; length < bytes.size(); ++length) {
        CHECK(code_in(decode_key_pair(cut(bytes, length)), {"key_malformed"}));
    }
    // Bit 4 of every byte: X25519 ignores the low 3 bits of the first secret byte and the top bit
    // of the last (clamping), so flipping those gives the same key pair.
    for (std::size_t at = 0; at < bytes.size(); ++at) {
        CAPTURE(at);
        CHECK(code_in(decode_key_pair(flipped(bytes, at, 0x10)), {"key_malformed"}));
    }
}

TEST_CASE("crypto keys: pinning refuses a changed server key") {
    lb::test::require_crypto();
    DeterministicRandom random(4);
    const KeyPair server = generate_key_pair(random);
    const KeyPair impostor = generate_key_pair(random);
    CHECK(check_pinned_server_key(server.public_key, server.public_key).ok());
    auto changed = check_pinned_server_key(server.public_key, impostor.public_key);
    REQUIRE_FALSE(changed.ok());
    CHECK(changed.error().code == "server_key_changed");
    CHECK(changed.error().message.find(key_id_to_hex(key_id_of(impostor.public_key))) != std::string::npos);
    // A key differing in one bit is a different key.
    PublicKey near = server.public_key;
    near.bytes[31] ^= 0x01;
    CHECK(check_pinned_server_key(server.public_key, near).error().code == "server_key_changed");
}

TEST_CASE("crypto keys: base64url codec") {
    lb::test::require_crypto();
    const std::vector<std::uint8_t> bytes{0xFB, 0xFF, 0x00, 0x10};
    CHECK(to_base64url(bytes) == "-_8AEA");
    CHECK(from_base64url("-_8AEA", 4).value() == bytes);
    CHECK(from_base64url("-_8AEA", 3).error().code == "bad_encoding");
    CHECK(from_base64url("-_8AEA==", 4).error().code == "bad_encoding");
    CHECK(from_base64url("+/8AEA", 4).error().code == "bad_encoding");
    CHECK(from_base64url("-_8AEB", 4).error().code == "bad_encoding");  // non-zero trailing bits
    CHECK(from_base64url("A", 4).error().code == "bad_encoding");
    // Bytes >= 0x80 that libsodium 1.0.18 would map onto '-' (found by the envelope fuzzer).
    CHECK(from_base64url("AAA\xb7", 4).error().code == "bad_encoding");
    CHECK(from_base64url("AAA-", 4).ok());
    CHECK(from_base64url("", 4).value().empty());
}

TEST_CASE("crypto keys: secret containers wipe when moved from, error names are stable") {
    lb::test::require_crypto();
    SecretBytes<4> a;
    a.data()[0] = 7;
    SecretBytes<4> b = std::move(a);
    CHECK(b.data()[0] == 7);
    CHECK(a.data()[0] == 0);  // NOLINT(bugprone-use-after-move): checking the wipe
    SecretBytes<4> c = b.duplicate();
    CHECK(c.equals(b));
    c.data()[3] = 1;
    CHECK_FALSE(c.equals(b));

    CHECK(error_code_name(CryptoError::envelope_replayed) == "envelope_replayed");
    CHECK(error_code_name(CryptoError::server_key_changed) == "server_key_changed");
    CHECK(error_code_name(CryptoError::wrong_passphrase) == "wrong_passphrase");
    CHECK(error_code_name(CryptoError::replay_state_malformed) == "replay_state_malformed");
}
