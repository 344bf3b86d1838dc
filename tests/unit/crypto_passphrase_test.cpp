// crypto_passphrase_test.cpp — Argon2id-wrapped user secret keys: round trip, wrong passphrase,
// limits, hostile parameters, every flipped byte and truncation; once with production parameters.
// Small parameters keep the suite fast; the format stores them, so the code path is the same.
// Not here: frozen answers (crypto_kat_test.cpp).
#include <doctest/doctest.h>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/passphrase.h"

using namespace lb::crypto;
using lb::test::code_in;
using lb::test::cut;
using lb::test::DeterministicRandom;
using lb::test::flipped;

namespace {
constexpr PassphraseParams kFast{1, 64};  // 64 KiB: tests only
}

TEST_CASE("crypto passphrase: wrap and unwrap, wrong passphrase") {
    lb::test::require_crypto();
    DeterministicRandom random(31);
    const KeyPair user = generate_key_pair(random);
    auto wrapped = wrap_secret_key(user, "correct horse battery", random, kFast);
    REQUIRE(wrapped.ok());
    CHECK(wrapped.value().size() == kPassphraseWrapBytes);
    CHECK(peek_wrapped_key_id(wrapped.value()).value() == key_id_of(user.public_key));

    auto unwrapped = unwrap_secret_key(wrapped.value(), "correct horse battery");
    REQUIRE(unwrapped.ok());
    CHECK(unwrapped.value().public_key == user.public_key);
    CHECK(unwrapped.value().secret_key.equals(user.secret_key));

    CHECK(unwrap_secret_key(wrapped.value(), "correct horse batterY").error().code == "wrong_passphrase");
    CHECK(unwrap_secret_key(wrapped.value(), "").error().code == "wrong_passphrase");
    CHECK(wrap_secret_key(user, "short", random, kFast).error().code == "passphrase_too_short");
}

TEST_CASE("crypto passphrase: parameters are bounded when wrapping and when unwrapping") {
    lb::test::require_crypto();
    DeterministicRandom random(32);
    const KeyPair user = generate_key_pair(random);
    CHECK(wrap_secret_key(user, "long enough", random, {0, 64}).error().code == "passphrase_params_out_of_range");
    CHECK(wrap_secret_key(user, "long enough", random, {kMaxPassphraseOpslimit + 1, 64}).error().code ==
          "passphrase_params_out_of_range");
    CHECK(wrap_secret_key(user, "long enough", random, {1, kMaxPassphraseMemlimitKiB + 1}).error().code ==
          "passphrase_params_out_of_range");
    // A hostile blob asking for 4 GiB is refused before Argon2id runs.
    auto wrapped = wrap_secret_key(user, "long enough", random, kFast).value();
    wrapped[6] = wrapped[7] = wrapped[8] = wrapped[9] = 0xFF;
    CHECK(unwrap_secret_key(wrapped, "long enough").error().code == "passphrase_params_out_of_range");
}

TEST_CASE("crypto passphrase: every flipped byte and every truncation is rejected") {
    lb::test::require_crypto();
    DeterministicRandom random(33);
    const KeyPair user = generate_key_pair(random);
    const auto wrapped = wrap_secret_key(user, "long enough", random, kFast).value();
    for (std::size_t at = 0; at < wrapped.size(); ++at) {
        CAPTURE(at);
        // 0x80 on a parameter byte would ask for a huge cost: bounded, so refused, never run.
        for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
            CHECK(code_in(unwrap_secret_key(flipped(wrapped, at, mask), "long enough"),
                          {"passphrase_wrap_unsupported_version", "passphrase_params_out_of_range",
                           "wrong_passphrase"}));
        }
    }
    for (std::size_t length = 0; length < wrapped.size(); ++length) {
        CAPTURE(length);
        CHECK(code_in(unwrap_secret_key(cut(wrapped, length), "long enough"), {"passphrase_wrap_truncated"}));
    }
}

TEST_CASE("crypto passphrase: production parameters") {
    lb::test::require_crypto();
    DeterministicRandom random(34);
    const KeyPair user = generate_key_pair(random);
    auto wrapped = wrap_secret_key(user, "a passphrase for real", random);
    REQUIRE(wrapped.ok());
    CHECK(wrapped.value()[5] == kPassphraseOpslimit);
    CHECK(unwrap_secret_key(wrapped.value(), "a passphrase for real").value().public_key == user.public_key);
}
