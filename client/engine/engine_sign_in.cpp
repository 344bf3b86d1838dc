// engine_sign_in.cpp — signing in on another device, and the backups that make it possible
// (issue #4; formats in lifebuoy/crypto/passphrase.h and recovery_secret.h).
//
// Backups. `set_passphrase {sign_in_name, passphrase}` (people with an account: requesters,
// technicians, admins) runs Argon2id once, wraps this person's user secret key with the wrap key
// and keeps the wrap and the login proof as a backup waiting to be sent ("backup:passphrase" in
// device_keys). A guest's device makes a recovery secret when it enrols as a guest ("backup:recovery"
// and "recovery_secret"); `recovery_link` gives the secret for the UI to show as
// <portal>#recover=<secret>. The sync loop sends a waiting backup after the key directory step
// (POST /api/v1/keys/backup); once stored, the wrap and proof are dropped from the device.
// sync_status.key_backup says where each backup is: waiting / stored / refused (with the reason).
//
// Signing in. `enroll {sign_in: {name, passphrase}}` keeps the passphrase in memory only (never in
// the database) until the sync loop has asked the server for the name's login
// (POST /api/v1/sign_in/login) and run Argon2id with it; then the enrolment request carries the
// proof, and the wrap key waits in device_keys ("sign_in_wrap_key") for the answer. A restart in
// between drops the sign-in: the person types the passphrase again. `enroll {recover: secret}`
// derives everything from the secret at once. The enrolment's answer carries the wrapped user key:
// it is opened and becomes this device's user key (DeviceKeys::adopt_user_key) in the same
// transaction as the enrolment, so the device reads the person's tickets from the first pull.
// Not here: the rest of enrolment and the machine's order (engine_sync.cpp), crypto.
#include "engine/engine.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/crypto/recovery_secret.h"
#include "lifebuoy/sign_in_name.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr const char* kSignInWrapKey = "sign_in_wrap_key";
constexpr const char* kRecoverySecret = "recovery_secret";
constexpr const char* kPassphraseBackup = "backup:passphrase";
constexpr const char* kRecoveryBackup = "backup:recovery";

std::string text_of(const json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<std::optional<json>> load_backup(Database& db, const char* name) {
    auto text = DeviceKeys::stored_text(db, name);
    if (!text) return text.error();
    if (!text.value()) return std::optional<json>{};
    json j = json::parse(*text.value(), nullptr, false);
    if (!j.is_object()) return make_error("storage_error", std::string("a stored ") + name + " does not decode");
    return std::optional<json>(std::move(j));
}

// What sync_status shows of a backup: never its wrap or proof.
json backup_view(const std::optional<json>& backup) {
    if (!backup) return nullptr;
    json view = json::object();
    for (const char* name : {"state", "sign_in_name", "code", "message"})
        if (auto it = backup->find(name); it != backup->end()) view[name] = *it;
    if (auto it = backup->find("stored_at_ms"); it != backup->end()) view["stored_at_ms"] = *it;
    return view;
}

Error passphrase_error(const Error& e) {
    if (e.code == "passphrase_too_short")
        return make_error(e.code, "a passphrase has at least " + std::to_string(crypto::kMinPassphraseBytes) +
                                      " characters — a few unrelated words work well");
    return e;
}

}  // namespace

void Engine::PendingSignIn::wipe() {
    crypto::wipe(passphrase.data(), passphrase.size());
    passphrase.clear();
}

commands::Response Engine::set_passphrase(const commands::Request& request) {
    if (!sync_.enrolled())
        return commands::error_response(request.id, "not_enrolled", "sign in first, then choose a passphrase");
    if (sync_.role == Role::guest)
        return commands::error_response(request.id, "forbidden",
                                        "guests keep a recovery link instead of a passphrase (recovery_link)");
    auto name = normalize_sign_in_name(text_of(request.args, "sign_in_name"));
    if (!name) return commands::error_response(request.id, name.error().code, name.error().message);
    std::string passphrase = text_of(request.args, "passphrase");
    auto login = crypto::new_passphrase_login(*random_, env_.passphrase_params);
    if (!login) return commands::error_response(request.id, login.error().code, login.error().message);
    auto keys = crypto::derive_unlock_keys(passphrase, login.value());
    crypto::wipe(passphrase.data(), passphrase.size());
    if (!keys) {
        Error e = passphrase_error(keys.error());
        return commands::error_response(request.id, e.code, e.message);
    }
    auto wrap = crypto::wrap_secret_key(keys_.user(), login.value(), keys.value(), *random_);
    if (!wrap) return commands::error_response(request.id, wrap.error().code, wrap.error().message);
    json backup{{"kind", "passphrase"},
                {"state", "waiting"},
                {"sign_in_name", name.value()},
                {"wrap", crypto::to_base64url(wrap.value())},
                {"proof", crypto::login_proof_text(keys.value())}};
    if (auto s = DeviceKeys::store_text(db_, kPassphraseBackup, backup.dump()); !s)
        return commands::error_response(request.id, s.error().code, s.error().message);
    sync_wake(env_.now_ms());
    emit("sync_changed");
    return commands::ok_response(request.id, {{"state", "waiting"}, {"sign_in_name", name.value()}});
}

commands::Response Engine::recovery_link(const commands::Request& request) {
    auto secret = DeviceKeys::stored_text(db_, kRecoverySecret);
    if (!secret) return commands::error_response(request.id, secret.error().code, secret.error().message);
    if (!secret.value())
        return commands::error_response(request.id, "not_available",
                                        "a recovery link is made when this device enrols as a guest");
    auto backup = load_backup(db_, kRecoveryBackup);
    if (!backup) return commands::error_response(request.id, backup.error().code, backup.error().message);
    json view = backup_view(backup.value());
    return commands::ok_response(request.id, {{"secret", *secret.value()},
                                              {"state", view.is_object() ? view.value("state", "waiting") : "stored"}});
}

Status Engine::make_recovery_backup() {
    auto existing = DeviceKeys::stored_text(db_, kRecoverySecret);
    if (!existing) return existing.error();
    if (existing.value()) return Ok{};
    const crypto::RecoverySecret secret = crypto::new_recovery_secret(*random_);
    const crypto::UnlockKeys keys = crypto::recovery_unlock_keys(secret);
    auto wrap = crypto::wrap_secret_key(keys_.user(), crypto::recovery_login(), keys, *random_);
    if (!wrap) return wrap.error();
    json backup{{"kind", "recovery"},
                {"state", "waiting"},
                {"recovery_id", crypto::recovery_id_hex(secret)},
                {"wrap", crypto::to_base64url(wrap.value())},
                {"proof", crypto::login_proof_text(keys)}};
    std::string text = crypto::recovery_secret_to_text(secret);
    auto tx = Transaction::begin(db_);
    if (!tx) return tx.error();
    if (auto s = DeviceKeys::store_text(db_, kRecoverySecret, text); !s) return s;
    crypto::wipe(text.data(), text.size());
    if (auto s = DeviceKeys::store_text(db_, kRecoveryBackup, backup.dump()); !s) return s;
    return tx.value().commit();
}

Result<std::optional<json>> Engine::sign_in_enrolment(const json& args) {
    if (auto it = args.find("sign_in"); it != args.end() && it->is_object()) {
        auto name = normalize_sign_in_name(text_of(*it, "name"));
        if (!name) return name.error();
        std::string passphrase = text_of(*it, "passphrase");
        if (passphrase.size() < crypto::kMinPassphraseBytes || passphrase.size() > crypto::kMaxPassphraseBytes) {
            crypto::wipe(passphrase.data(), passphrase.size());
            return make_error("sign_in_failed", "that sign-in name and passphrase do not match");
        }
        pending_sign_in_.emplace();
        pending_sign_in_->name = name.value();
        pending_sign_in_->passphrase = std::move(passphrase);
        crypto::wipe(passphrase.data(), passphrase.size());  // whatever a move left behind
        pending_sign_in_->device_label = text_of(args, "device_label");
        pending_sign_in_->platform = text_of(args, "platform");
        return std::optional<json>{};  // the login first (next_sign_in_request)
    }
    auto it = args.find("recover");
    if (it == args.end() || !it->is_string()) return make_error("bad_arguments", "no sign_in or recover");
    auto secret = crypto::recovery_secret_from_text(it->get<std::string>());
    if (!secret) return secret.error();
    const crypto::UnlockKeys keys = crypto::recovery_unlock_keys(secret.value());
    std::string wrap_key = crypto::to_base64url(keys.wrap_key.bytes());
    std::string secret_text = crypto::recovery_secret_to_text(secret.value());
    Status stored = DeviceKeys::store_text(db_, kSignInWrapKey, wrap_key);
    if (stored) stored = DeviceKeys::store_text(db_, kRecoverySecret, secret_text);
    crypto::wipe(wrap_key.data(), wrap_key.size());
    crypto::wipe(secret_text.data(), secret_text.size());
    if (!stored) return stored.error();
    return std::optional<json>(
        json{{"recover", {{"id", crypto::recovery_id_hex(secret.value())}, {"proof", crypto::login_proof_text(keys)}}}});
}

std::optional<SyncRequest> Engine::next_sign_in_request() {
    if (!pending_sign_in_) return std::nullopt;
    SyncRequest request;
    request.step = SyncStep::sign_in_login;
    request.method = "POST";
    request.path = "/api/v1/sign_in/login";
    request.body = json{{"name", pending_sign_in_->name}}.dump();
    return request;
}

Status Engine::on_sign_in_login(const json& body) {
    if (!pending_sign_in_) return Ok{};  // cancelled meanwhile
    auto bytes = crypto::from_base64url(text_of(body, "login"), crypto::kPassphraseLoginBytes);
    if (!bytes) return make_error("bad_response", "the sign-in answer has no login");
    auto login = crypto::decode_passphrase_login(bytes.value());
    if (!login) return make_error("bad_response", "the sign-in login does not decode: " + login.error().message);
    PendingSignIn pending = std::move(*pending_sign_in_);
    pending_sign_in_.reset();
    auto keys = crypto::derive_unlock_keys(pending.passphrase, login.value());  // Argon2id: the slow step
    pending.wipe();
    if (!keys) {
        SyncState next = sync_;
        next.last_error = keys.error().code + ": " + keys.error().message;
        if (auto s = save_sync_state(db_, next); !s) return s;
        sync_ = std::move(next);
        return Ok{};
    }
    json request{{"sign_in", {{"name", pending.name}, {"proof", crypto::login_proof_text(keys.value())}}},
                 {"enrolment_id", to_hex(random_id128(*random_))}};
    if (!pending.device_label.empty()) request["device_label"] = pending.device_label;
    if (!pending.platform.empty()) request["platform"] = pending.platform;
    SyncState next = sync_;
    next.enroll_request = request.dump();
    next.last_error.reset();
    std::string wrap_key = crypto::to_base64url(keys.value().wrap_key.bytes());
    auto tx = Transaction::begin(db_);
    if (!tx) return tx.error();
    Status stored = DeviceKeys::store_text(db_, kSignInWrapKey, wrap_key);
    crypto::wipe(wrap_key.data(), wrap_key.size());
    if (!stored) return stored;
    if (auto s = save_sync_state(db_, next); !s) return s;
    if (auto s = tx.value().commit(); !s) return s;
    sync_ = std::move(next);
    return Ok{};
}

Result<bool> Engine::adopt_signed_in_key(const json& enroll_answer) {
    const std::string wrapped_text = text_of(enroll_answer, "key_backup");
    if (wrapped_text.empty()) return true;  // an invite or a guest: this device's own key stays
    auto wrap_key_text = DeviceKeys::stored_text(db_, kSignInWrapKey);
    if (!wrap_key_text) return wrap_key_text.error();
    if (!wrap_key_text.value()) return false;
    auto wrap_key = crypto::from_base64url(*wrap_key_text.value(), 32);
    auto wrapped = crypto::from_base64url(wrapped_text, crypto::kPassphraseWrapBytes);
    if (!wrap_key || wrap_key.value().size() != 32 || !wrapped) return false;
    crypto::UnlockKeys keys;
    std::copy(wrap_key.value().begin(), wrap_key.value().end(), keys.wrap_key.data());
    crypto::wipe(wrap_key.value().data(), wrap_key.value().size());
    auto user = crypto::unwrap_secret_key(wrapped.value(), keys);
    if (!user) return false;
    if (auto s = keys_.adopt_user_key(db_, std::move(user.value())); !s) return s.error();
    if (auto s = DeviceKeys::forget(db_, kSignInWrapKey); !s) return s.error();
    // The backup the device signed in with is on the server already.
    const bool recovery = crypto::login_of_wrap(wrapped.value()).value().alg == crypto::kPassphraseAlgRecoverySecret;
    json stored{{"kind", recovery ? "recovery" : "passphrase"}, {"state", "stored"}};
    if (!recovery) {
        json request = json::parse(sync_.enroll_request.value_or("{}"), nullptr, false);
        if (request.is_object() && request.contains("sign_in")) stored["sign_in_name"] = text_of(request["sign_in"], "name");
    }
    if (auto s = DeviceKeys::store_text(db_, recovery ? kRecoveryBackup : kPassphraseBackup, stored.dump()); !s)
        return s.error();
    return true;
}

std::optional<SyncRequest> Engine::next_key_backup_request() {
    if (!sync_.enrolled() || !key_backup_owed_ || keys_owed_ || key_upload_) return std::nullopt;
    for (const char* name : {kPassphraseBackup, kRecoveryBackup}) {
        auto backup = load_backup(db_, name);
        if (!backup || !backup.value() || text_of(*backup.value(), "state") != "waiting") continue;
        json body = *backup.value();
        body.erase("state");
        SyncRequest request;
        request.step = SyncStep::key_backup;
        request.method = "POST";
        request.path = "/api/v1/keys/backup";
        request.body = body.dump();
        request.bearer = sync_.device_token;
        request.batch_ids = {name};
        return request;
    }
    key_backup_owed_ = false;
    return std::nullopt;
}

Status Engine::on_key_backup_response(const SyncRequest& request, int http_status, const json& body) {
    if (request.batch_ids.empty()) return Ok{};
    const std::string& name = request.batch_ids.front();
    auto backup = load_backup(db_, name.c_str());
    if (!backup) return backup.error();
    if (!backup.value()) return Ok{};
    json next{{"kind", text_of(*backup.value(), "kind")}};
    if (auto n = text_of(*backup.value(), "sign_in_name"); !n.empty()) next["sign_in_name"] = n;
    if (http_status == 200) {
        next["state"] = "stored";
        next["stored_at_ms"] = env_.now_ms();
    } else {  // refused: the person acts (another name, …); the wrap and proof go
        next["state"] = "refused";
        const json* error = body.is_object() && body.contains("error") ? &body["error"] : nullptr;
        next["code"] = error ? text_of(*error, "code") : "http_" + std::to_string(http_status);
        next["message"] = error ? text_of(*error, "message") : "the server refused the backup";
    }
    return DeviceKeys::store_text(db_, name, next.dump());
}

Result<json> Engine::key_backup_summary() {
    auto passphrase = load_backup(db_, kPassphraseBackup);
    if (!passphrase) return passphrase.error();
    auto recovery = load_backup(db_, kRecoveryBackup);
    if (!recovery) return recovery.error();
    return json{{"passphrase", backup_view(passphrase.value())}, {"recovery", backup_view(recovery.value())}};
}

}  // namespace lb::engine
