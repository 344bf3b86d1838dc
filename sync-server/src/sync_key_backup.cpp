// sync_key_backup.cpp — SyncService's user-key backups (issue #4): a user's secret key wrapped under
// their passphrase or a guest's recovery secret (crypto/passphrase.h, recovery_secret.h), stored so
// another device can sign in as them.
//
// Storing: the caller's device sends the wrap and the login proof; the server keeps the wrap and a
// keyed hash of the proof (the verifier), under "name:<sign-in name>" (one per user; a name another
// user holds is sign_in_name_taken) or "recovery:<id>". The wrap must be of the user's published
// key, so a device cannot leave a backup that signs in to a key nobody else can seal to.
// Signing in: the device asks for the login of a name (sign_in_login: the Argon2id parameters and
// salt — for a name nobody holds, a decoy derived from a server secret, the same on every ask, so
// the answer does not tell whether the name exists), derives the proof, and enrols with it
// (sync_enrolment.cpp calls check_sign_in_locked). Wrong proofs are counted per backup: after
// kFreeSignInFailures in a row each further one locks the backup for twice as long as the last
// (from 1 minute, at most kMaxSignInLockMs), so online guessing is slow; a right proof resets.
// Unknown names and wrong proofs answer the same sign_in_failed.
// Not here: JSON (api_codec.cpp, api_routes.cpp), SQL (sqlite_enrolment_store.cpp).
#include <sodium.h>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/crypto/secret.h"
#include "sync_service.h"

namespace lb::server {
namespace {

constexpr const char* kMetaDecoyKey = "sign_in_decoy_key";

Error sign_in_failed() {
    return make_error("sign_in_failed", "that sign-in name and passphrase (or recovery link) do not match");
}

}  // namespace

Status SyncService::store_key_backup(const Caller& caller, const KeyBackupUpload& upload) {
    auto wrap = crypto::from_base64url(upload.wrap, crypto::kPassphraseWrapBytes);
    if (!wrap || wrap.value().size() != crypto::kPassphraseWrapBytes)
        return make_error("bad_key", "wrap: not a 114-byte key wrap");
    auto login = crypto::login_of_wrap(wrap.value());
    if (!login) return make_error("bad_key", "wrap: " + login.error().message);
    const bool recovery = upload.kind == "recovery";
    if (recovery != (login.value().alg == crypto::kPassphraseAlgRecoverySecret))
        return make_error("bad_key", "wrap: its login does not fit a " + upload.kind + " backup");
    if (!recovery && caller.role == Role::guest)
        return make_error("forbidden", "guests keep a recovery link instead of a passphrase");
    auto proof = crypto::from_base64url(upload.proof, crypto::kLoginKeyBytes);
    if (!proof || proof.value().size() != crypto::kLoginKeyBytes)
        return make_error("bad_request", "proof: not a 32-byte login key");

    std::lock_guard lock(mutex_);
    return store_.transaction([&]() -> Status {
        auto user = store_.user(caller.user);
        if (!user) return user.error();
        if (!user.value() || user.value()->public_key.empty())
            return make_error("bad_key", "publish your user key before backing it up");
        auto published = crypto::public_key_from_text(user.value()->public_key);
        auto wrapped_id = crypto::peek_wrapped_key_id(wrap.value());
        if (!published || !wrapped_id || crypto::key_id_of(published.value()) != wrapped_id.value())
            return make_error("bad_key", "wrap: not of your published user key");
        auto holder = store_.key_backup(upload.lookup);
        if (!holder) return holder.error();
        if (holder.value() && holder.value()->user != caller.user)
            return make_error("sign_in_name_taken", "someone else signs in with that name: choose another");
        return store_.put_key_backup(KeyBackupRow{upload.lookup, caller.user, upload.kind,
                                                  crypto::login_verifier_hex(proof.value()), upload.wrap,
                                                  static_cast<std::int64_t>(now_ms_()), 0, 0});
    });
}

Result<std::string> SyncService::sign_in_login(const std::string& sign_in_name) {
    const std::string lookup = "name:" + sign_in_name;
    std::lock_guard lock(mutex_);
    auto row = store_.key_backup(lookup);
    if (!row) return row.error();
    if (row.value() && row.value()->kind == "passphrase") {
        auto wrap = crypto::from_base64url(row.value()->wrap, crypto::kPassphraseWrapBytes);
        if (!wrap) return make_error("storage_error", "stored data unreadable: key backup of " + sign_in_name);
        auto login = crypto::login_of_wrap(wrap.value());
        if (!login) return make_error("storage_error", "stored data unreadable: key backup of " + sign_in_name);
        return crypto::to_base64url(crypto::encode_passphrase_login(login.value()));
    }
    // A decoy: the default parameters and a salt only this server can make, the same every time.
    auto decoy_key = store_.meta(kMetaDecoyKey);
    if (!decoy_key) return decoy_key.error();
    std::string key_hex;
    if (decoy_key.value()) {
        key_hex = *decoy_key.value();
    } else {
        key_hex = to_hex(random_id128(random_)) + to_hex(random_id128(random_));
        if (auto st = store_.set_meta(kMetaDecoyKey, key_hex); !st) return st.error();
    }
    crypto::PassphraseLogin login;
    crypto_generichash(login.salt.data(), login.salt.size(), reinterpret_cast<const std::uint8_t*>(lookup.data()),
                       lookup.size(), reinterpret_cast<const std::uint8_t*>(key_hex.data()), 32);
    return crypto::to_base64url(crypto::encode_passphrase_login(login));
}

Result<KeyBackupRow> SyncService::check_sign_in_locked(const SignInCredential& credential, std::int64_t now_ms) {
    auto row = store_.key_backup(credential.lookup);
    if (!row) return row.error();
    if (!row.value()) return sign_in_failed();
    KeyBackupRow backup = std::move(*row.value());
    if (backup.locked_until_ms > now_ms) {
        const std::int64_t minutes = (backup.locked_until_ms - now_ms + 59'999) / 60'000;
        return make_error("sign_in_locked", "too many wrong tries: try again in " + std::to_string(minutes) +
                                                (minutes == 1 ? " minute" : " minutes"));
    }
    auto proof = crypto::from_base64url(credential.proof, crypto::kLoginKeyBytes);
    const std::string verifier =
        proof && proof.value().size() == crypto::kLoginKeyBytes ? crypto::login_verifier_hex(proof.value()) : "";
    const bool match = verifier.size() == backup.verifier.size() &&
                       sodium_memcmp(verifier.data(), backup.verifier.data(), verifier.size()) == 0;
    if (!match) {
        const std::int64_t failures = backup.failures + 1;
        std::int64_t locked_until = 0;
        if (failures > kFreeSignInFailures) {
            const std::int64_t doublings = std::min<std::int64_t>(failures - kFreeSignInFailures - 1, 20);
            locked_until = now_ms + std::min(kMaxSignInLockMs, std::int64_t{60'000} << doublings);
        }
        if (auto st = store_.set_key_backup_failures(backup.lookup, failures, locked_until); !st) return st.error();
        metrics_.count_sign_in(false);
        return sign_in_failed();
    }
    if (backup.failures != 0) {
        if (auto st = store_.set_key_backup_failures(backup.lookup, 0, 0); !st) return st.error();
    }
    metrics_.count_sign_in(true);
    return backup;
}

}  // namespace lb::server
