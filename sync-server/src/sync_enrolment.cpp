// sync_enrolment.cpp — SyncService's enrolment and authentication: a device enrols with an invite
// code or as a guest and receives a device token (only its hash is stored); every later request
// is authenticated by that token.
//
// Repeated enrolments. A device names its enrolment with an enrolment_id of its own (128 random
// bits) and sends the same request, id included, until it gets an answer. When the server used
// the invite but its answer was lost, the retry is the same enrolment again: within
// kEnrolmentRepeatWindowMs of the first, with the same credential (the same invite code, or a
// guest with the same display name), it answers as the first did — the same user, device, node
// and role — with a FRESH device token for that device, because the server keeps only token
// hashes and cannot hand out the first token again. The first answer was presumably lost, so its
// token is to be revoked; but a repeat may also be a duplicate or a late copy of a request whose
// answer did arrive (networks and proxies duplicate and reorder), and revoking at once would sign
// that device out. So the repeat's token joins the device's tokens as "reissued", and the first
// of the device's tokens to be USED becomes its one token: the others — the first answer's, other
// repeats' — stop working at that moment (settle_device_token). At most kMaxReissuedTokens wait.
// A different enrolment_id with a used invite is still invite_used; the enrolment_id with another
// credential is enrolment_id_conflict; past the window the id is forgotten (an invite is then
// invite_used, a guest a new guest); a repeat for a device the help desk revoked is device_revoked.
// Signing in on another device: the credential is a user-key backup and a proof
// (check_sign_in_locked, sync_key_backup.cpp); the device joins that user with their role, and the
// answer carries the wrapped key.
// Not here: the guest policy's storage (sync_service.cpp), JSON (api_routes.cpp), SQL.
#include <algorithm>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/passphrase.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"
#include "sync_service.h"

namespace lb::server {
namespace {

std::string default_display_name(Role role) {
    switch (role) {
        case Role::guest: return "Guest";
        case Role::requester: return "Requester";
        case Role::technician: return "Technician";
        case Role::admin: return "Administrator";
        default: return "User";
    }
}

// What a repeat must present again: the invite code (by its hash), for a guest the same name, for
// a sign-in the same backup and the same proof (by its verifier).
std::string enrolment_credential(const EnrollRequest& request) {
    if (request.sign_in) {
        auto proof = crypto::from_base64url(request.sign_in->proof, crypto::kLoginKeyBytes);
        return "sign_in:" + request.sign_in->lookup + ":" + (proof ? crypto::login_verifier_hex(proof.value()) : "");
    }
    return request.guest ? "guest:" + hash_guest_name(request.display_name)
                         : "invite:" + hash_invite_code(request.invite);
}

}  // namespace

Result<Enrolment> SyncService::enroll(const EnrollRequest& request, bool from_loopback) {
    std::lock_guard lock(mutex_);
    const std::uint64_t now = now_ms_();
    const auto now_signed = static_cast<std::int64_t>(now);
    const std::string credential = enrolment_credential(request);
    if (request.enrolment_id) {
        auto repeated = repeat_enrolment_locked(*request.enrolment_id, credential, now_signed);
        if (!repeated) return repeated.error();
        if (repeated.value()) {
            if (request.sign_in) {
                auto backup = store_.key_backup(request.sign_in->lookup);
                if (!backup) return backup.error();
                if (!backup.value()) return make_error("sign_in_failed", "this backup was replaced: sign in again");
                repeated.value()->key_backup = backup.value()->wrap;
            }
            return std::move(*repeated.value());
        }
    }
    Enrolment e;
    std::string invite_hash;
    std::optional<EntityId> bound_user;  // an invite for an existing user (a roster technician), a sign-in
    if (request.sign_in) {
        auto backup = check_sign_in_locked(*request.sign_in, now_signed);
        if (!backup) return backup.error();
        auto user = store_.user(backup.value().user);
        if (!user) return user.error();
        if (!user.value()) return make_error("storage_error", "stored data unreadable: a key backup lost its user");
        e.role = user.value()->role;
        e.display_name = user.value()->display_name;
        e.key_backup = backup.value().wrap;
        bound_user = backup.value().user;
    } else if (request.guest) {
        auto policy = guest_policy_locked();
        if (!policy) return policy.error();
        if (policy.value() == "off" || (policy.value() == "loopback" && !from_loopback))
            return make_error("guest_enrolment_disabled", "this help desk does not take guest enrolments here");
        e.role = Role::guest;
    } else {
        invite_hash = hash_invite_code(request.invite);
        auto invite = store_.invite(invite_hash);
        if (!invite) return invite.error();
        if (!invite.value()) return make_error("invite_invalid", "no such invite code");
        if (invite.value()->used_at_ms) return make_error("invite_used", "this invite code was already used");
        if (invite.value()->expires_at_ms < now_signed) return make_error("invite_expired", "this invite code expired");
        e.role = invite.value()->role;
        e.display_name = invite.value()->display_name;
        bound_user = invite.value()->user;
    }
    if (bound_user) {  // someone the help desk knows: not when the admin disabled them
        auto person = store_.user(*bound_user);
        if (!person) return person.error();
        if (person.value() && person.value()->disabled)
            return make_error("user_disabled", "this person was disabled by the help desk's admin");
    }
    if (!request.display_name.empty()) e.display_name = request.display_name;
    if (e.display_name.empty()) e.display_name = default_display_name(e.role);
    if (!request.public_key.empty()) {
        if (auto key = crypto::public_key_from_text(request.public_key); !key)
            return make_error("bad_key", "public_key: " + key.error().message);
    }
    e.user = bound_user.value_or(random_id128(random_));
    e.device = random_id128(random_);
    e.device_token = new_device_token(random_);
    while (e.node == 0) random_.fill(reinterpret_cast<std::uint8_t*>(&e.node), sizeof e.node);

    std::int64_t last_seq = 0;
    Status st = store_.transaction([&]() -> Status {
        auto existing = store_.user(e.user);
        if (!existing) return existing.error();
        const bool new_user = !existing.value().has_value();
        if (!new_user) e.display_name = existing.value()->display_name;
        if (new_user) {
            if (auto s = store_.add_user(UserRow{e.user, e.role, e.display_name, ""}, now_signed); !s) return s;
        }
        if (auto s = store_.add_device(DeviceRow{e.device, e.user, e.role, false, request.public_key},
                                       hash_device_token(e.device_token), now_signed); !s)
            return s;
        if (!invite_hash.empty()) {
            if (auto s = store_.mark_invite_used(invite_hash, now_signed, e.device); !s) return s;
        }
        if (request.enrolment_id) {  // in the same transaction: a repeat finds what this created, or nothing
            if (auto s = store_.put_enrolment(EnrolmentRow{*request.enrolment_id, credential, e.user, e.device, e.node,
                                                           now_signed, 0});
                !s)
                return s;
        }
        // The user (and device, when it brought a key) as ops, so every replica can show them.
        BatchBuilder builder(clock_, random_, now);
        if (new_user) {  // a roster technician is in the log already
            builder.set(EntityKind::user, e.user, Field::user_display_name, e.display_name);
            builder.set(EntityKind::user, e.user, Field::user_role, std::string(to_name(e.role)));
        }
        if (!request.public_key.empty()) {
            builder.set(EntityKind::device, e.device, Field::device_owner, e.user);
            builder.set(EntityKind::device, e.device, Field::device_public_key, request.public_key);
            if (!request.device_label.empty())
                builder.set(EntityKind::device, e.device, Field::device_label, request.device_label);
            if (!request.platform.empty())
                builder.set(EntityKind::device, e.device, Field::device_platform, request.platform);
        }
        Batch batch = builder.finish();
        if (batch.ops.empty()) return save_clock();
        Replica state;
        if (auto allowed = authorize_batch(system_actor(), state, batch); !allowed) return allowed.error();
        if (auto applied = state.apply(batch); !applied) return applied.error();
        for (const Op& op : batch.ops) {
            OpRouting routing;
            routing.owner = e.user;
            auto seq =
                store_.append_op(OpToStore{&op, encode_op(op), routing, batch.batch_id, std::nullopt, now_signed});
            if (!seq) return seq.error();
            last_seq = seq.value();
        }
        return save_clock();
    });
    if (!st) return st.error();
    metrics_.count_enrolment(e.role);
    notifier_.publish(last_seq, {e.user});
    return e;
}

Result<std::optional<Enrolment>> SyncService::repeat_enrolment_locked(const std::string& enrolment_id,
                                                                      const std::string& credential,
                                                                      std::int64_t now_ms) {
    auto first = store_.enrolment(enrolment_id);
    if (!first) return first.error();
    if (!first.value() || now_ms - first.value()->created_at_ms > kEnrolmentRepeatWindowMs)
        return std::optional<Enrolment>{};  // unknown, or too old to repeat: a first enrolment
    const EnrolmentRow& row = *first.value();
    if (row.credential != credential)
        return make_error("enrolment_id_conflict",
                          "this enrolment_id was used with another invite code or guest name; start a new enrolment");
    auto device = store_.device(row.device);
    if (!device) return device.error();
    auto user = store_.user(row.user);
    if (!user) return user.error();
    if (!device.value() || !user.value())
        return make_error("storage_error", "stored data unreadable: enrolment " + enrolment_id + " lost its device");
    if (device.value()->revoked) return make_error("device_revoked", "this device was signed out by the help desk");
    Enrolment e;
    e.user = row.user;
    e.device = row.device;
    e.role = device.value()->role;
    e.node = row.node;
    e.display_name = user.value()->display_name;
    e.device_token = new_device_token(random_);
    Status st = store_.transaction([&]() -> Status {
        if (auto s = store_.add_reissued_token(e.device, hash_device_token(e.device_token), now_ms, kMaxReissuedTokens);
            !s)
            return s;
        return store_.count_enrolment_repeat(enrolment_id);
    });
    if (!st) return st.error();
    metrics_.count_enrolment_repeat();
    return std::optional<Enrolment>(std::move(e));
}

Result<Caller> SyncService::authenticate(std::string_view device_token) {
    std::lock_guard lock(mutex_);
    return authenticate_locked(device_token, /*in_transaction=*/false);
}

Result<Caller> SyncService::authenticate_locked(std::string_view device_token, bool in_transaction) {
    const std::string hash = hash_device_token(device_token);
    auto current = store_.device_by_token(hash);
    if (!current) return current.error();
    std::optional<DeviceRow> device = current.value();
    bool settle = false;  // this token becomes the device's only one
    if (!device) {
        auto reissued = store_.device_by_reissued_token(hash);
        if (!reissued) return reissued.error();
        if (!reissued.value()) return make_error("unauthenticated", "unknown device token: enrol this device again");
        device = reissued.value();
        settle = true;
    }
    if (device->revoked) return make_error("device_revoked", "this device was signed out by the help desk");
    if (!settle) {  // the device's own token: answers to repeats of its enrolment went nowhere
        auto waiting = store_.has_reissued_tokens(device->id);
        if (!waiting) return waiting.error();
        settle = waiting.value();
    }
    if (settle) {
        auto settle_token = [&] { return store_.settle_device_token(device->id, hash); };
        if (auto s = in_transaction ? settle_token() : store_.transaction(settle_token); !s) return s.error();
    }
    return Caller{device->id, device->user, device->role, device->public_key};
}

}  // namespace lb::server
