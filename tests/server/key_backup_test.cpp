// key_backup_test.cpp — user-key backups and signing in on another device (sync_key_backup.cpp):
// a technician's passphrase backup signs a second device in as the same user and role with the
// wrapped key; a wrong proof and an unknown name answer the same sign_in_failed; the login of an
// unknown name is a stable decoy; wrong proofs lock the backup, doubling, and a right proof
// resets; a name is one user's; the wrap must be of the user's published key; guests back up with
// a recovery secret (and not a passphrase); only a verifier of the proof is stored; a repeat of a
// sign-in needs the same proof.
// Not here: the crypto (tests/unit/crypto_passphrase_test.cpp), HTTP (tests/integration).
#include <doctest/doctest.h>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/crypto/recovery_secret.h"
#include "server_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

constexpr crypto::PassphraseParams kFast{1, 64};

struct Backup {
    crypto::KeyPair user_key;
    crypto::PassphraseLogin login;
    crypto::UnlockKeys keys;
    std::string wrap;
};

// The user publishes their key and backs it up under `passphrase` as `name`.
Backup back_up(Desk& desk, Person& p, const std::string& name, const std::string& passphrase) {
    Backup b{crypto::generate_key_pair(desk.random), crypto::new_passphrase_login(desk.random, kFast).value(), {}, {}};
    KeysUpload publish;
    publish.user_public_key = crypto::public_key_to_text(b.user_key.public_key);
    REQUIRE(desk.service->upload_keys(p.caller, publish).ok());
    b.keys = crypto::derive_unlock_keys(passphrase, b.login).value();
    b.wrap = crypto::to_base64url(crypto::wrap_secret_key(b.user_key, b.login, b.keys, desk.random).value());
    KeyBackupUpload upload{"passphrase", "name:" + name, name, b.wrap, crypto::login_proof_text(b.keys)};
    REQUIRE(desk.service->store_key_backup(p.caller, upload).ok());
    return b;
}

EnrollRequest sign_in_request(const std::string& name, const std::string& proof) {
    EnrollRequest req;
    req.sign_in = SignInCredential{"name:" + name, proof};
    return req;
}

std::string proof_for(Desk& desk, const std::string& name, const std::string& passphrase) {
    auto login_text = desk.service->sign_in_login(name);
    REQUIRE(login_text.ok());
    auto login = crypto::decode_passphrase_login(crypto::from_base64url(login_text.value(), 64).value());
    REQUIRE(login.ok());
    if (login.value().params.opslimit != kFast.opslimit) return "decoy";  // unknown name: not worth Argon2id here
    return crypto::login_proof_text(crypto::derive_unlock_keys(passphrase, login.value()).value());
}

std::int64_t count(Desk& desk, const std::string& sql) {
    auto n = desk.storage->db().query_int(sql);
    REQUIRE(n.ok());
    return n.value();
}

}  // namespace

TEST_CASE("key backup: a passphrase signs a second device in as the same technician, with the wrapped key") {
    Desk desk;
    Person tess = desk.enrol(Role::technician, "Tess");
    const Backup b = back_up(desk, tess, "tess", "lantern orbit pickle");

    auto second = desk.service->enroll(sign_in_request("tess", proof_for(desk, "tess", "lantern orbit pickle")), false);
    REQUIRE(second.ok());
    CHECK(second.value().user == tess.caller.user);
    CHECK(second.value().device != tess.caller.device);
    CHECK(second.value().role == Role::technician);
    CHECK(second.value().display_name == "Tess");
    REQUIRE(second.value().key_backup == b.wrap);
    const auto wrap = crypto::from_base64url(second.value().key_backup, crypto::kPassphraseWrapBytes).value();
    auto keys = crypto::derive_unlock_keys("lantern orbit pickle", crypto::login_of_wrap(wrap).value()).value();
    CHECK(crypto::unwrap_secret_key(wrap, keys).value().public_key == b.user_key.public_key);
    auto caller = desk.service->authenticate(second.value().device_token);
    REQUIRE(caller.ok());
    CHECK(caller.value().role == Role::technician);
    // Names are case-insensitive: "Tess" is "tess".
    CHECK(desk.service->sign_in_login("tess").value() == desk.service->sign_in_login("tess").value());
    // Only the verifier is stored: never the proof.
    const std::string proof = crypto::login_proof_text(b.keys);
    CHECK(count(desk, "SELECT COUNT(*) FROM key_backups WHERE verifier = '" + crypto::login_verifier_hex(b.keys.login_key.bytes()) + "'") == 1);
    CHECK(count(desk, "SELECT COUNT(*) FROM key_backups WHERE instr(verifier || wrap, '" + proof + "') > 0") == 0);
    CHECK(desk.metrics.render(desk.service->gauges()).find("lifebuoy_sign_ins_total{result=\"ok\"} 1") != std::string::npos);
}

TEST_CASE("key backup: wrong proofs and unknown names fail alike, the login of an unknown name is a stable decoy") {
    Desk desk;
    Person tess = desk.enrol(Role::technician, "Tess");
    back_up(desk, tess, "tess", "lantern orbit pickle");
    auto wrong = desk.service->enroll(sign_in_request("tess", proof_for(desk, "tess", "lantern orbit pickles")), false);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "sign_in_failed");
    auto unknown = desk.service->enroll(sign_in_request("nobody", crypto::login_proof_text(crypto::UnlockKeys{})), false);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "sign_in_failed");
    CHECK(unknown.error().message == wrong.error().message);
    CHECK(desk.service->enroll(sign_in_request("tess", "not base64!"), false).error().code == "sign_in_failed");

    const std::string decoy = desk.service->sign_in_login("nobody").value();
    CHECK(desk.service->sign_in_login("nobody").value() == decoy);  // the same every time
    CHECK(desk.service->sign_in_login("somebody").value() != decoy);
    auto login = crypto::decode_passphrase_login(crypto::from_base64url(decoy, 64).value());
    REQUIRE(login.ok());  // a well-formed login with the production parameters
    CHECK(login.value().params.opslimit == crypto::kPassphraseOpslimit);
    CHECK(login.value().params.memlimit_kib == crypto::kPassphraseMemlimitKiB);
    desk.reopen();
    CHECK(desk.service->sign_in_login("nobody").value() == decoy);  // and after a restart
    CHECK(count(desk, "SELECT COUNT(*) FROM devices") == 1);
}

TEST_CASE("key backup: wrong proofs lock the backup, doubling, the right proof after the lock resets") {
    Desk desk;
    Person tess = desk.enrol(Role::technician, "Tess");
    back_up(desk, tess, "tess", "lantern orbit pickle");
    const std::string bad = proof_for(desk, "tess", "not the passphrase");
    const std::string good = proof_for(desk, "tess", "lantern orbit pickle");
    for (std::int64_t i = 0; i < kFreeSignInFailures; ++i)
        CHECK(desk.service->enroll(sign_in_request("tess", bad), false).error().code == "sign_in_failed");
    // The sixth wrong proof still answers sign_in_failed, and locks for a minute.
    CHECK(desk.service->enroll(sign_in_request("tess", bad), false).error().code == "sign_in_failed");
    auto locked = desk.service->enroll(sign_in_request("tess", good), false);
    REQUIRE_FALSE(locked.ok());
    CHECK(locked.error().code == "sign_in_locked");
    CHECK(locked.error().message.find("1 minute") != std::string::npos);
    desk.now_ms += 61'000;
    CHECK(desk.service->enroll(sign_in_request("tess", bad), false).error().code == "sign_in_failed");
    CHECK(count(desk, "SELECT locked_until_ms FROM key_backups") == static_cast<std::int64_t>(desk.now_ms) + 120'000);
    desk.now_ms += 121'000;
    CHECK(desk.service->enroll(sign_in_request("tess", good), false).ok());
    CHECK(count(desk, "SELECT failures FROM key_backups") == 0);
    CHECK(desk.metrics.render(desk.service->gauges()).find("lifebuoy_sign_ins_total{result=\"failed\"} 7") != std::string::npos);
}

TEST_CASE("key backup: a name is one user's, the wrap must be of the published key, a new backup replaces the old") {
    Desk desk;
    Person tess = desk.enrol(Role::technician, "Tess");
    Person rita = desk.enrol(Role::requester, "Rita");
    const Backup b = back_up(desk, tess, "tess", "lantern orbit pickle");
    const Backup r = back_up(desk, rita, "rita", "a meadow of pickles");
    KeyBackupUpload steal{"passphrase", "name:tess", "tess", r.wrap, crypto::login_proof_text(r.keys)};
    CHECK(desk.service->store_key_backup(rita.caller, steal).error().code == "sign_in_name_taken");
    KeyBackupUpload foreign{"passphrase", "name:rita2", "rita2", b.wrap, crypto::login_proof_text(b.keys)};
    CHECK(desk.service->store_key_backup(rita.caller, foreign).error().code == "bad_key");  // Tess's key, not Rita's
    KeyBackupUpload garbage{"passphrase", "name:rita2", "rita2", "AAAA", crypto::login_proof_text(r.keys)};
    CHECK(desk.service->store_key_backup(rita.caller, garbage).error().code == "bad_key");
    // Rita renames herself: her old name is free again, the new one signs in.
    KeyBackupUpload rename{"passphrase", "name:rita.r", "rita.r", r.wrap, crypto::login_proof_text(r.keys)};
    REQUIRE(desk.service->store_key_backup(rita.caller, rename).ok());
    CHECK(count(desk, "SELECT COUNT(*) FROM key_backups") == 2);
    CHECK(desk.service->enroll(sign_in_request("rita.r", crypto::login_proof_text(r.keys)), false).value().role == Role::requester);
    CHECK(desk.service->enroll(sign_in_request("rita", crypto::login_proof_text(r.keys)), false).error().code == "sign_in_failed");
}

TEST_CASE("key backup: a guest backs up with a recovery secret, and recovers on another device") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    const crypto::KeyPair key = crypto::generate_key_pair(desk.random);
    KeysUpload publish;
    publish.user_public_key = crypto::public_key_to_text(key.public_key);
    REQUIRE(desk.service->upload_keys(guest.caller, publish).ok());
    const crypto::RecoverySecret secret = crypto::new_recovery_secret(desk.random);
    const crypto::UnlockKeys keys = crypto::recovery_unlock_keys(secret);
    const std::string wrap =
        crypto::to_base64url(crypto::wrap_secret_key(key, crypto::recovery_login(), keys, desk.random).value());
    const std::string lookup = "recovery:" + crypto::recovery_id_hex(secret);
    // A passphrase backup is not for guests; a recovery wrap does not pass as a passphrase one.
    auto pass = crypto::wrap_secret_key(key, "guest passphrase", desk.random, kFast).value();
    CHECK(desk.service->store_key_backup(guest.caller, {"passphrase", "name:gus", "gus", crypto::to_base64url(pass),
                                                        crypto::login_proof_text(keys)}).error().code == "forbidden");
    CHECK(desk.service->store_key_backup(guest.caller, {"passphrase", "name:gus", "gus", wrap,
                                                        crypto::login_proof_text(keys)}).error().code == "bad_key");
    REQUIRE(desk.service->store_key_backup(guest.caller, {"recovery", lookup, "", wrap, crypto::login_proof_text(keys)}).ok());

    EnrollRequest recover;
    recover.sign_in = SignInCredential{lookup, crypto::login_proof_text(crypto::recovery_unlock_keys(secret))};
    recover.enrolment_id = "0123456789abcdef0123456789abcdef";
    auto other_device = desk.service->enroll(recover, false);
    REQUIRE(other_device.ok());
    CHECK(other_device.value().user == guest.caller.user);
    CHECK(other_device.value().role == Role::guest);
    CHECK(other_device.value().key_backup == wrap);
    // A repeat of the same enrolment (its answer lost) answers the same device and the wrap again;
    // with another proof it is not the same enrolment.
    auto repeat = desk.service->enroll(recover, false);
    REQUIRE(repeat.ok());
    CHECK(repeat.value().device == other_device.value().device);
    CHECK(repeat.value().key_backup == wrap);
    recover.sign_in->proof = crypto::login_proof_text(crypto::recovery_unlock_keys(crypto::new_recovery_secret(desk.random)));
    CHECK(desk.service->enroll(recover, false).error().code == "enrolment_id_conflict");
}

TEST_CASE("user disable: the person's devices are signed out and their sign-in is refused until enabled") {
    Desk desk;
    Person tess = desk.enrol(Role::technician, "Tess");
    back_up(desk, tess, "tess", "lantern orbit pickle");
    auto disabled = desk.service->set_user_disabled("Tess", true);
    REQUIRE(disabled.ok());
    CHECK_FALSE(disabled.value().already);
    auto old_device = desk.service->authenticate(tess.token);
    REQUIRE_FALSE(old_device.ok());
    CHECK(old_device.error().code == "device_revoked");
    auto refused = desk.service->enroll(sign_in_request("tess", proof_for(desk, "tess", "lantern orbit pickle")), false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "user_disabled");

    auto enabled = desk.service->set_user_disabled(to_hex(tess.caller.user), false);
    REQUIRE(enabled.ok());
    CHECK_FALSE(enabled.value().user.disabled);
    auto back = desk.service->enroll(sign_in_request("tess", proof_for(desk, "tess", "lantern orbit pickle")), false);
    REQUIRE(back.ok());
    CHECK(back.value().user == tess.caller.user);
    CHECK(desk.service->authenticate(back.value().device_token).ok());
    CHECK(desk.service->authenticate(tess.token).error().code == "device_revoked");  // the old device stays out
}
