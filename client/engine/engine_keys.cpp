// engine_keys.cpp — the key directory's sync steps (issue #4): once a round, after the op pull,
// read the key directory (POST /api/v1/keys {}), then POST /api/v1/keys what the directory lacks.
//
// From the directory the device learns the team's current public key (what new tickets are sealed
// to) and opens the team keys wrapped to its user key. It publishes its own user public key. A
// technician's or admin's device creates the team's first key when there is none (the server never
// holds the team secret) and wraps every team key it holds to each help-desk member whose current
// user key has no wrap of it yet — so a new technician can read the desk's tickets after their
// colleagues' next sync. A requester's device seals the keys of its tickets filed before the team
// had a key to that key (a "share_ticket_key" change in the outbox like any other). Rotation: when
// someone who is no longer on the help desk (an admin ran `lifebuoy-server remove-technician`)
// still holds the current team key, the next help-desk device to sync makes a new one, wrapped to
// every technician and admin but them; old keys stay in everyone's ring (old tickets stay readable
// to the remaining help desk — and to the removed person's copies, which rotation cannot take back).
// The directory's keys_version goes into the notify long-poll, so a change to it (a colleague's
// device wrapped the team key to this person, a rotation, a new colleague's key to wrap to) wakes
// the device at once instead of at its next round.
// Not here: the crypto (lifebuoy/crypto), keeping keys (device_keys.h).
#include <algorithm>
#include <set>

#include "engine/engine.h"
#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/sealed_text.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxWrapsPerUpload = 256;  // the server's kMaxKeyWrapsPerUpload
constexpr int kMaxKeyFetchesPerRound = 3;

std::string member_text(const json& j, const char* name) {
    auto it = j.find(name);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& member_array(const json& j, const char* name) {
    static const json empty = json::array();
    auto it = j.find(name);
    return it != j.end() && it->is_array() ? *it : empty;
}

}  // namespace

std::optional<SyncRequest> Engine::next_keys_request() {
    if (!sync_.enrolled()) return std::nullopt;
    SyncRequest request;
    request.bearer = sync_.device_token;
    if (key_upload_) {
        request.step = SyncStep::keys_upload;
        request.method = "POST";
        request.path = "/api/v1/keys";
        request.body = key_upload_->dump();
        return request;
    }
    if (!keys_owed_ || key_fetches_ >= kMaxKeyFetchesPerRound) return std::nullopt;
    request.step = SyncStep::keys;
    request.method = "POST";
    request.path = "/api/v1/keys";
    request.body = "{}";  // nothing to upload: the directory
    return request;
}

Status Engine::on_keys_response(const json& body) {
    keys_owed_ = false;
    ++key_fetches_;
    if (auto v = body.find("keys_version"); v != body.end() && v->is_number_integer())
        keys_version_ = std::max(keys_version_, v->get<std::int64_t>());
    const std::string me = to_hex(*sync_.user_id);
    const std::string my_key = crypto::public_key_to_text(keys_.user().public_key);
    json upload = json::object();

    // 1. This person's public key, which tickets and team keys are sealed to.
    bool listed = false;
    for (const json& u : member_array(body, "users"))
        if (u.is_object() && member_text(u, "user_id") == me && member_text(u, "public_key") == my_key) listed = true;
    if (!listed) upload["user_public_key"] = my_key;

    // 2. Team keys wrapped to this person's key.
    for (const json& w : member_array(body, "team_key_wraps")) {
        if (!w.is_object()) continue;
        auto sealed = crypto::sealed_key_from_text(member_text(w, "wrap"));
        if (!sealed) continue;
        auto header = crypto::peek_sealed_key(sealed.value());
        if (!header || header.value().recipient != crypto::key_id_of(keys_.user().public_key)) continue;  // for an older key
        if (keys_.team().find(header.value().key)) continue;
        auto team_key = crypto::unwrap_team_secret(sealed.value(), keys_.user());
        if (!team_key) continue;  // altered or not for us: never trusted, nothing to keep
        if (auto s = keys_.add_team_key(db_, std::move(team_key.value())); !s) return s;
    }

    // 3. The current team key: what new tickets are sealed to.
    std::map<std::string, crypto::PublicKey> team_keys;
    for (const json& k : member_array(body, "team_keys")) {
        if (!k.is_object()) continue;
        auto key = crypto::public_key_from_text(member_text(k, "public_key"));
        if (key && crypto::key_id_to_hex(crypto::key_id_of(key.value())) == member_text(k, "key_id"))
            team_keys.emplace(member_text(k, "key_id"), key.value());
    }
    if (auto current = team_keys.find(member_text(body, "current_team_key")); current != team_keys.end()) {
        if (auto s = keys_.set_team_public(db_, current->second); !s) return s;
    }

    // 4. The help desk's duties: the first team key, and wraps for colleagues who lack one.
    const Role role = actor().role;
    if (role == Role::technician || role == Role::admin) {
        // Who each node is, so a ticket's history can say who made a change.
        if (body.contains("op_nodes")) {
            OpAuthors authors = OpAuthors::from_directory(body);
            if (!(authors == op_authors_)) {
                if (auto s = authors.save(db_); !s) return s;
                op_authors_ = std::move(authors);
                emit("tickets_changed");  // an open ticket's history can name more people now
            }
        }
        // The help desk as the directory has it: who is on it (their current keys), who is not.
        std::map<std::string, Role> role_of;
        std::vector<crypto::PublicKey> staff_keys{keys_.user().public_key};
        std::map<std::string, std::string> staff_by_key{{my_key, me}};  // key text → user id
        for (const json& u : member_array(body, "users")) {
            if (!u.is_object()) continue;
            const Role their_role = role_from_name(member_text(u, "role"));
            role_of[member_text(u, "user_id")] = their_role;
            if ((their_role != Role::technician && their_role != Role::admin) || member_text(u, "user_id") == me) continue;
            auto their_key = crypto::public_key_from_text(member_text(u, "public_key"));
            if (!their_key) continue;
            staff_keys.push_back(their_key.value());
            staff_by_key[member_text(u, "public_key")] = member_text(u, "user_id");
        }
        const std::string current = member_text(body, "current_team_key");
        bool held_outside = false;  // someone off the help desk holds the current team key
        for (const json& h : member_array(body, "team_key_holders")) {
            if (!h.is_object() || member_text(h, "team_key_id") != current) continue;
            auto r = role_of.find(member_text(h, "user_id"));
            if (r != role_of.end() && r->second != Role::technician && r->second != Role::admin) held_outside = true;
        }
        if ((team_keys.empty() && keys_.team().size() == 0) || held_outside) {
            // The desk's first team key, or a new one that leaves the removed person out.
            crypto::TeamKeyring fresh;
            crypto::TeamRotation made = crypto::rotate_team_key(fresh, staff_keys, *random_);
            json wraps = json::array();
            for (const crypto::TeamKeyWrap& w : made.wraps) {
                auto user = staff_by_key.find(crypto::public_key_to_text(w.technician));
                if (user == staff_by_key.end() || wraps.size() >= kMaxWrapsPerUpload) continue;
                wraps.push_back({{"team_key_id", crypto::key_id_to_hex(made.key_id)},
                                 {"user_id", user->second},
                                 {"wrap", crypto::to_base64url(w.sealed)}});
            }
            upload["team_public_key"] = crypto::public_key_to_text(made.public_key);
            upload["team_key_wraps"] = std::move(wraps);
            uploading_team_key_ = fresh.current()->duplicate();
        } else if (keys_.team().size() > 0) {
            std::set<std::string> held;  // team key id | user id | recipient key id
            for (const json& h : member_array(body, "team_key_holders"))
                if (h.is_object())
                    held.insert(member_text(h, "team_key_id") + "|" + member_text(h, "user_id") + "|" +
                                member_text(h, "recipient_key_id"));
            json wraps = json::array();
            for (const json& u : member_array(body, "users")) {
                if (!u.is_object()) continue;
                const Role their_role = role_from_name(member_text(u, "role"));
                if (their_role != Role::technician && their_role != Role::admin) continue;
                auto their_key = crypto::public_key_from_text(member_text(u, "public_key"));
                if (!their_key) continue;  // no key published yet
                const std::string recipient = crypto::key_id_to_hex(crypto::key_id_of(their_key.value()));
                for (const crypto::KeyPair& team_key : keys_.team().keys()) {
                    const std::string key_id = crypto::key_id_to_hex(crypto::key_id_of(team_key.public_key));
                    if (held.count(key_id + "|" + member_text(u, "user_id") + "|" + recipient)) continue;
                    if (wraps.size() >= kMaxWrapsPerUpload) break;
                    wraps.push_back({{"team_key_id", key_id},
                                     {"user_id", member_text(u, "user_id")},
                                     {"wrap", crypto::to_base64url(crypto::wrap_team_secret(team_key, their_key.value(), *random_))}});
                }
            }
            if (!wraps.empty()) upload["team_key_wraps"] = std::move(wraps);
        }
    }
    if (!upload.empty()) key_upload_ = std::move(upload);

    // 5. A requester's tickets filed before the team had a key.
    return share_ticket_keys_with_team();
}

Status Engine::on_keys_uploaded() {
    key_upload_.reset();
    if (uploading_team_key_) {
        crypto::KeyPair created = std::move(*uploading_team_key_);
        uploading_team_key_.reset();
        const crypto::PublicKey public_key = created.public_key;
        if (auto s = keys_.add_team_key(db_, std::move(created)); !s) return s;
        if (auto s = keys_.set_team_public(db_, public_key); !s) return s;
        if (auto s = share_ticket_keys_with_team(); !s) return s;
    }
    keys_owed_ = true;  // read the directory again: what was published, and what others need now
    return Ok{};
}

Status Engine::share_ticket_keys_with_team() {
    if (!keys_.team_public()) return Ok{};
    const EntityId me = actor().user;
    for (const EntityId& id : replica_.entity_ids(EntityKind::ticket)) {
        // Two registers, not a whole ticket view: a help desk's device holds thousands of tickets.
        const Value* requester = replica_.get(EntityKind::ticket, id, Field::ticket_requester);
        const auto* requester_id = requester ? std::get_if<Id128>(requester) : nullptr;
        if (!requester_id || *requester_id != me || replica_.is_deleted(EntityKind::ticket, id)) continue;
        const Value* team_key = replica_.get(EntityKind::ticket, id, Field::ticket_team_key);
        if (team_key && std::holds_alternative<std::string>(*team_key)) continue;
        auto value = keys_.team_key_value(replica_, id, *random_);
        if (!value) continue;  // this device cannot open it (another device of theirs filed it)
        BatchBuilder builder(clock_, *random_, static_cast<std::uint64_t>(env_.now_ms()));
        builder.set(EntityKind::ticket, id, Field::ticket_team_key, std::move(*value));
        auto shared = commit_local_batch(builder.finish(), id, "share_ticket_key");
        if (!shared && (shared.error().code == "storage_error" || shared.error().code == "quota_exceeded")) return shared;
        // any other refusal (the lifecycle table's) leaves that ticket readable by its requester only
    }
    return Ok{};
}

}  // namespace lb::engine
