// sync_service.cpp — SyncService: start-up state, the guest policy, pull, the key directory,
// invites. [SECTION] start; guest policy; pull; keys; admin.
// Not here: push (sync_push.cpp), enrolment and authentication (sync_enrolment.cpp).
#include "sync_service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "automation_context.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/sealed_text.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"
#include "staged_changes.h"
#include "ticket_triage.h"

namespace lb::server {
namespace {

constexpr const char* kMetaNode = "server_node";
constexpr const char* kMetaUser = "server_user";
constexpr const char* kMetaClock = "server_clock";
constexpr const char* kMetaGuestPolicy = "guest_enrolment";
constexpr const char* kMetaKeysVersion = "keys_version";  // raised by every key directory upload

}  // namespace

bool sees_everything(Role role) { return role == Role::technician || role == Role::admin || role == Role::system; }

std::string_view outcome_name(OpOutcome outcome) {
    switch (outcome) {
        case OpOutcome::accepted: return "accepted";
        case OpOutcome::duplicate: return "duplicate";
        case OpOutcome::rejected: return "rejected";
    }
    return "rejected";
}

SyncService::SyncService(SyncStore& store, const ServerConfig& config, WallClock now_ms, RandomSource& random,
                         LiveNotifier& notifier, Metrics& metrics, std::string server_public_key)
    : store_(store), config_(config), now_ms_(std::move(now_ms)), random_(random), notifier_(notifier),
      metrics_(metrics), server_public_key_(std::move(server_public_key)) {}

// ---------------------------------------------------------------------------------------------
// [SECTION] start
// ---------------------------------------------------------------------------------------------

Status SyncService::start() {
    std::lock_guard lock(mutex_);
    return store_.transaction([&]() -> Status {
        auto node_text = store_.meta(kMetaNode);
        auto user_text = store_.meta(kMetaUser);
        auto clock_text = store_.meta(kMetaClock);
        if (!node_text) return node_text.error();
        if (!user_text) return user_text.error();
        if (!clock_text) return clock_text.error();
        NodeId node = 0;
        if (node_text.value()) {
            auto parsed = node_from_hex(*node_text.value());
            if (!parsed || *parsed == 0) return make_error("storage_error", "server_meta.server_node unreadable");
            node = *parsed;
        } else {
            while (node == 0) random_.fill(reinterpret_cast<std::uint8_t*>(&node), sizeof node);
            if (auto st = store_.set_meta(kMetaNode, node_to_hex(node)); !st) return st;
        }
        if (user_text.value()) {
            auto parsed = id128_from_hex(*user_text.value());
            if (!parsed) return make_error("storage_error", "server_meta.server_user unreadable");
            server_user_ = *parsed;
        } else {
            server_user_ = random_id128(random_);
            if (auto st = store_.set_meta(kMetaUser, to_hex(server_user_)); !st) return st;
        }
        Hlc last{};
        if (clock_text.value()) {
            if (auto parsed = hlc_from_hex(*clock_text.value())) last = *parsed;
        }
        clock_ = HybridClock(node, last);
        if (triage_) {
            StagedChanges changes(store_);
            AutomationContext automation{changes, clock_, random_, system_actor(), now_ms_()};
            if (auto st = triage_->sync_roster(automation); !st) return st;
            if (auto st = save_clock(); !st) return st;
        }
        auto top = store_.high_water();
        if (!top) return top.error();
        notifier_.publish(top.value(), {});
        return Ok{};
    });
}

Status SyncService::save_clock() { return store_.set_meta(kMetaClock, hlc_to_hex(clock_.last())); }

// ---------------------------------------------------------------------------------------------
// [SECTION] the guest policy (enrolment and authentication: sync_enrolment.cpp)
// ---------------------------------------------------------------------------------------------

Result<std::string> SyncService::guest_policy() {
    std::lock_guard lock(mutex_);
    return guest_policy_locked();
}

Result<std::string> SyncService::guest_policy_locked() {
    if (config_.guest_enrolment != "default") return config_.guest_enrolment;
    auto stored = store_.meta(kMetaGuestPolicy);
    if (!stored) return stored.error();
    return stored.value().value_or("off");
}

Status SyncService::set_guest_policy(std::string_view policy) {
    if (policy != "off" && policy != "loopback" && policy != "on")
        return make_error("bad_request", "the guest policy is off, loopback or on");
    std::lock_guard lock(mutex_);
    return store_.set_meta(kMetaGuestPolicy, policy);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] pull and the live channel
// ---------------------------------------------------------------------------------------------

Result<PullPage> SyncService::pull(const Caller& caller, const PullRequest& request) {
    PullQuery q;
    q.after_seq = request.cursor;
    q.max_ops = std::min(request.max_ops.value_or(config_.max_pull_ops), config_.max_pull_ops);
    q.max_bytes = std::min(request.max_bytes.value_or(config_.max_pull_bytes), config_.max_pull_bytes);
    if (!sees_everything(caller.role)) q.only_for_user = caller.user;
    std::lock_guard lock(mutex_);
    return store_.pull(q);
}

Result<bool> SyncService::has_changes(const Caller& caller, std::int64_t cursor, std::optional<std::int64_t> keys_version) {
    if (keys_version) {
        std::lock_guard lock(mutex_);
        auto current = keys_version_locked();
        if (!current) return current.error();
        if (current.value() > *keys_version) return true;
    }
    auto page = pull(caller, PullRequest{cursor, std::size_t{1}, std::size_t{1}});
    if (!page) return page.error();
    return !page.value().bodies.empty();
}

// ---------------------------------------------------------------------------------------------
// [SECTION] key directory
// ---------------------------------------------------------------------------------------------

Result<nlohmann::json> SyncService::key_directory(const Caller& caller) {
    std::lock_guard lock(mutex_);
    auto users = store_.users_with_keys();
    if (!users) return users.error();
    auto team = store_.team_keys();
    if (!team) return team.error();
    auto wraps = store_.team_key_wraps(caller.user);
    if (!wraps) return wraps.error();
    auto keys_version = keys_version_locked();
    if (!keys_version) return keys_version.error();
    nlohmann::json out{{"v", kApiVersion}, {"server_key", server_public_key_}, {"keys_version", keys_version.value()}};
    out["users"] = nlohmann::json::array();
    for (const UserRow& u : users.value()) {
        nlohmann::json entry{{"user_id", to_hex(u.id)}, {"public_key", u.public_key}};
        if (sees_everything(caller.role)) {
            entry["display_name"] = u.display_name;
            entry["role"] = to_name(u.role);
        }
        out["users"].push_back(std::move(entry));
    }
    out["team_keys"] = nlohmann::json::array();
    for (const TeamKeyRow& k : team.value()) out["team_keys"].push_back({{"key_id", k.key_id}, {"public_key", k.public_key}});
    out["current_team_key"] = team.value().empty() ? nlohmann::json() : nlohmann::json(team.value().back().key_id);
    out["team_key_wraps"] = nlohmann::json::array();
    for (const TeamKeyWrapRow& w : wraps.value()) out["team_key_wraps"].push_back({{"team_key_id", w.key_id}, {"wrap", w.wrap}});
    if (sees_everything(caller.role)) {
        // Who made each change: the person each node belongs to, and the server's own node (its
        // automatic changes), so the help desk's devices can name them in a ticket's history.
        auto owners = store_.node_owners();
        if (!owners) return owners.error();
        out["op_nodes"] = nlohmann::json::array();
        for (const NodeOwnerRow& n : owners.value())
            out["op_nodes"].push_back({{"node", node_to_hex(n.node)}, {"user_id", to_hex(n.user)}});
        out["server_node"] = node_to_hex(clock_.node());
        // Who holds which team key, and under which of their keys: a technician's device wraps
        // the team keys it holds to colleagues who lack them (a new technician, a new user key).
        auto all = store_.all_team_key_wraps();
        if (!all) return all.error();
        out["team_key_holders"] = nlohmann::json::array();
        for (const TeamKeyWrapRow& w : all.value()) {
            auto header = crypto::peek_sealed_key_text(w.wrap);
            if (!header) continue;
            out["team_key_holders"].push_back({{"team_key_id", w.key_id}, {"user_id", to_hex(w.user)},
                                               {"recipient_key_id", crypto::key_id_to_hex(header.value().recipient)}});
        }
    }
    return out;
}

Result<UserRow> SyncService::remove_from_help_desk(const std::string& who) {
    std::lock_guard lock(mutex_);
    auto staff = store_.help_desk_users();
    if (!staff) return staff.error();
    std::vector<UserRow> matches;
    for (const UserRow& u : staff.value())
        if (to_hex(u.id) == who || u.display_name == who) matches.push_back(u);
    if (matches.empty()) return make_error("not_found", "no technician or admin '" + who + "' on this help desk");
    if (matches.size() > 1) return make_error("ambiguous_name", "several help-desk members are called '" + who + "': give the user id");
    const UserRow removed = matches.front();
    StagedChanges changes(store_);
    Status st = store_.transaction([&]() -> Status {
        AutomationContext automation{changes, clock_, random_, system_actor(), now_ms_()};
        if (auto s = changes.load(EntityKind::user, removed.id); !s) return s;
        BatchBuilder builder = automation.builder();
        builder.set(EntityKind::user, removed.id, Field::user_role, std::string(to_name(Role::requester)));
        if (auto s = automation.commit(builder); !s) return s;
        if (auto s = store_.set_user_role(removed.id, Role::requester); !s) return s;
        if (auto s = store_.revoke_user_devices(removed.id); !s) return s;
        return save_clock();
    });
    if (!st) return st.error();
    if (changes.last_seq() > 0) notifier_.publish(changes.last_seq(), changes.users_to_wake());
    return removed;
}

Result<std::uint64_t> SyncService::envelope_counter(std::string_view device_key) {
    std::lock_guard lock(mutex_);
    return store_.envelope_counter(device_key);
}

Status SyncService::accept_envelope_counter(std::string_view device_key, std::uint64_t counter) {
    std::lock_guard lock(mutex_);
    bool raised = false;
    // Not flushed on its own: the push (or any change) this request makes commits with a flush that
    // covers it, before the answer. A call that changes nothing may be replayed after a power cut
    // that lost its counter — and then changes nothing again; its answer is sealed to the device.
    if (auto s = store_.transaction_flushed_later([&]() -> Status {
            auto r = store_.raise_envelope_counter(device_key, counter);
            if (!r) return r.error();
            raised = r.value();
            return Ok{};
        });
        !s)
        return s;
    if (!raised) return envelope_replayed_error();
    return Ok{};
}

Status SyncService::upload_keys(const Caller& caller, const KeysUpload& upload) {
    const bool staff = sees_everything(caller.role);
    if ((upload.team_public_key || !upload.team_key_wraps.empty()) && !staff)
        return make_error("forbidden", "only the help desk publishes team keys");
    std::optional<TeamKeyRow> team_key;
    if (upload.team_public_key) {
        auto key = crypto::public_key_from_text(*upload.team_public_key);
        if (!key) return make_error("bad_key", "team_public_key: " + key.error().message);
        team_key = TeamKeyRow{crypto::key_id_to_hex(crypto::key_id_of(key.value())), *upload.team_public_key};
    }
    for (const TeamKeyWrap& w : upload.team_key_wraps) {  // opaque to the server, but of the right shape
        auto header = crypto::peek_sealed_key_text(w.wrap);
        if (!header || header.value().kind != crypto::SealedKeyKind::team_key ||
            crypto::key_id_to_hex(header.value().key) != w.team_key_id)
            return make_error("bad_key", "team_key_wraps: not a wrap of team key " + w.team_key_id);
    }
    if (upload.user_public_key) {
        if (auto key = crypto::public_key_from_text(*upload.user_public_key); !key)
            return make_error("bad_key", "user_public_key: " + key.error().message);
    }
    const auto now = static_cast<std::int64_t>(now_ms_());
    std::vector<EntityId> wrapped_to;
    std::lock_guard lock(mutex_);
    Status stored = store_.transaction([&]() -> Status {
        auto version = keys_version_locked();
        if (!version) return version.error();
        if (auto s = store_.set_meta(kMetaKeysVersion, std::to_string(version.value() + 1)); !s) return s;
        if (upload.user_public_key) {
            if (auto s = store_.set_user_public_key(caller.user, *upload.user_public_key); !s) return s;
        }
        if (team_key) {
            if (auto s = store_.add_team_key(*team_key, now); !s) return s;
        }
        for (const TeamKeyWrap& w : upload.team_key_wraps) {
            auto user = id128_from_hex(w.user_id);
            if (!user) return make_error("bad_id", "team_key_wraps: bad user id");
            if (auto s = store_.put_team_key_wrap(TeamKeyWrapRow{w.team_key_id, *user, w.wrap}); !s) return s;
            wrapped_to.push_back(*user);
        }
        return Ok{};
    });
    if (!stored) return stored;
    // The directory changed: devices waiting on notify look again (the help desk always; a
    // colleague a key was wrapped to). The op seq does not move.
    notifier_.publish(notifier_.published(), wrapped_to);
    return Ok{};
}

Result<std::int64_t> SyncService::keys_version_locked() {
    auto text = store_.meta(kMetaKeysVersion);
    if (!text) return text.error();
    if (!text.value()) return std::int64_t{0};
    try {
        return std::stoll(*text.value());
    } catch (const std::exception&) {
        return make_error("storage_error", "server_meta.keys_version unreadable");
    }
}

// ---------------------------------------------------------------------------------------------
// [SECTION] admin
// ---------------------------------------------------------------------------------------------

Result<InviteCode> SyncService::create_invite(Role role, const std::string& display_name,
                                              const std::optional<EntityId>& for_user) {
    if (role != Role::requester && role != Role::technician && role != Role::admin)
        return make_error("bad_request", "invites are for requesters, technicians and admins");
    if (display_name.size() > kMaxApiTextBytes) return make_error("too_long", "the name is too long");
    InviteCode code = new_invite_code(random_);
    const auto now = static_cast<std::int64_t>(now_ms_());
    InviteRow row{hash_invite_code(code.normalised), role, display_name, now,
                  now + std::int64_t{config_.invite_ttl_hours} * 3600 * 1000, std::nullopt, for_user};
    std::lock_guard lock(mutex_);
    if (for_user) {
        auto user = store_.user(*for_user);
        if (!user) return user.error();
        if (user.value() && user.value()->disabled)
            return make_error("user_disabled", user.value()->display_name + " is disabled: `user enable` first");
    }
    if (auto st = store_.add_invite(row); !st) return st.error();
    return code;
}

ScrapeGauges SyncService::gauges() {
    ScrapeGauges g;
    g.live_waiters = notifier_.waiting();
    std::lock_guard lock(mutex_);
    if (auto n = store_.device_count()) g.enrolled_devices = n.value();
    // The log is append-only and its seqs have no gaps (AUTOINCREMENT from 1; a refused batch's
    // rollback takes its sequence back too): the highest seq is the count, read at the table's end.
    // COUNT(*) walks a whole index under the service's lock: ~0.3 s cold at a million ops.
    if (auto n = store_.high_water()) g.ops_stored = n.value();
    if (auto n = store_.kb_live_count()) g.kb_articles = n.value();
    if (auto n = store_.deflection_count()) g.kb_deflections = n.value();
    return g;
}

}  // namespace lb::server
