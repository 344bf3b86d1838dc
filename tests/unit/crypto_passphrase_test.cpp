// crypto_passphrase_test.cpp — wrapped user secret keys (Argon2id passphrase, guests' recovery
// secret): round trip, wrong passphrase, limits, hostile parameters, every flipped byte and
// truncation, the login proof and its verifier; once with production parameters.
// Small parameters keep the suite fast; the format stores them, so the code path is the same.
// Not here: frozen answers (crypto_kat_test.cpp).
#include <doctest/doctest.h>

#include "crypto_test_support.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/crypto/recovery_secret.h"

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

TEST_CASE("crypto passphrase: one derivation gives the wrap key and the login proof, the server's verifier") {
    lb::test::require_crypto();
    DeterministicRandom random(35);
    const KeyPair user = generate_key_pair(random);
    const PassphraseLogin login = new_passphrase_login(random, kFast).value();
    const auto login_bytes = encode_passphrase_login(login);
    CHECK(login_bytes.size() == kPassphraseLoginBytes);
    const PassphraseLogin decoded = decode_passphrase_login(login_bytes).value();
    CHECK(decoded.salt == login.salt);
    CHECK(decoded.params.opslimit == kFast.opslimit);

    const UnlockKeys keys = derive_unlock_keys("staple battery horse", decoded).value();
    const auto wrapped = wrap_secret_key(user, login, keys, random).value();
    CHECK(login_of_wrap(wrapped).value().salt == login.salt);
    // A second device: the same passphrase and login give the same proof and open the wrap.
    const UnlockKeys again = derive_unlock_keys("staple battery horse", login).value();
    CHECK(login_proof_text(again) == login_proof_text(keys));
    CHECK(unwrap_secret_key(wrapped, again).value().public_key == user.public_key);
    // The proof is not the wrap key, and another passphrase gives another proof.
    CHECK(login_proof_text(again) != to_base64url(again.wrap_key.bytes()));
    const UnlockKeys other = derive_unlock_keys("staple battery horsE", login).value();
    CHECK(login_proof_text(other) != login_proof_text(keys));
    CHECK(unwrap_secret_key(wrapped, other).error().code == "wrong_passphrase");
    // The verifier is a keyed hash of the proof's bytes: stable, 64 hex, not the proof.
    const std::string verifier = login_verifier_hex(keys.login_key.bytes());
    CHECK(verifier.size() == 64);
    CHECK(verifier == login_verifier_hex(again.login_key.bytes()));
    CHECK(verifier != login_verifier_hex(other.login_key.bytes()));

    CHECK(derive_unlock_keys(std::string(kMaxPassphraseBytes + 1, 'x'), login).error().code == "passphrase_too_long");
    CHECK(derive_unlock_keys("short", login).error().code == "passphrase_too_short");
    CHECK(derive_unlock_keys("long enough", recovery_login()).error().code == "passphrase_params_out_of_range");
    for (std::size_t length = 0; length < login_bytes.size(); ++length) {
        CAPTURE(length);
        CHECK(code_in(decode_passphrase_login(cut(login_bytes, length)), {"passphrase_wrap_truncated"}));
    }
    auto longer = login_bytes;
    longer.push_back(0);
    CHECK(decode_passphrase_login(longer).error().code == "passphrase_wrap_truncated");
}

TEST_CASE("crypto recovery secret: text round trip, derived id and keys, a wrap only its secret opens") {
    lb::test::require_crypto();
    DeterministicRandom random(36);
    const KeyPair guest = generate_key_pair(random);
    const RecoverySecret secret = new_recovery_secret(random);
    const std::string text = recovery_secret_to_text(secret);
    CHECK(text.size() == kRecoverySecretTextChars);
    const RecoverySecret back = recovery_secret_from_text(text).value();
    CHECK(recovery_id_hex(back) == recovery_id_hex(secret));
    CHECK(recovery_id_hex(secret).size() == 32);
    CHECK(login_proof_text(recovery_unlock_keys(back)) == login_proof_text(recovery_unlock_keys(secret)));

    const auto wrapped = wrap_secret_key(guest, recovery_login(), recovery_unlock_keys(secret), random).value();
    CHECK(login_of_wrap(wrapped).value().alg == kPassphraseAlgRecoverySecret);
    CHECK(unwrap_secret_key(wrapped, recovery_unlock_keys(back)).value().public_key == guest.public_key);
    const RecoverySecret stranger = new_recovery_secret(random);
    CHECK(recovery_id_hex(stranger) != recovery_id_hex(secret));
    CHECK(unwrap_secret_key(wrapped, recovery_unlock_keys(stranger)).error().code == "wrong_passphrase");
    // A recovery wrap never opens with a passphrase, whatever it is.
    CHECK(unwrap_secret_key(wrapped, "any passphrase at all").error().code == "wrong_passphrase");
    for (std::size_t at = 0; at < wrapped.size(); ++at) {
        CAPTURE(at);
        CHECK(code_in(unwrap_secret_key(flipped(wrapped, at, 0x01), recovery_unlock_keys(secret)),
                      {"passphrase_wrap_unsupported_version", "passphrase_params_out_of_range", "wrong_passphrase"}));
    }

    CHECK(recovery_secret_from_text(text.substr(1)).error().code == "recovery_link_malformed");
    CHECK(recovery_secret_from_text(text + "A").error().code == "recovery_link_malformed");
    CHECK(recovery_secret_from_text(std::string(43, '*')).error().code == "recovery_link_malformed");
    CHECK(recovery_secret_from_text("").error().code == "recovery_link_malformed");
}
