// device_keys.cpp — the device's keys; sealing a batch's text and opening it for views
// (device_keys.h). Key blobs rest in the device_keys table as base64url text (schema v6).
#include "engine/device_keys.h"

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/sealed_text.h"

namespace lb::engine {
namespace {

constexpr const char* kUserKeyName = "user";
constexpr const char* kDeviceKeyName = "device";
constexpr const char* kServerKeyName = "server";
constexpr const char* kTeamPublicName = "team_public";
constexpr const char* kTeamKeyPrefix = "team:";
constexpr const char* kPreviousUserPrefix = "user_previous:";

Status store_key_text(Database& db, std::string_view name, std::string_view text) {
    auto stmt = db.prepare("INSERT INTO device_keys(name, value) VALUES (?1, ?2) "
                           "ON CONFLICT(name) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, name).bind(2, text);
    auto done = stmt.value().step();
    if (!done) return done.error();
    return Ok{};
}

Status store_key_pair(Database& db, std::string_view name, const crypto::KeyPair& pair) {
    crypto::SecretBuffer blob = crypto::encode_key_pair(pair);
    std::string text = crypto::to_base64url(blob.bytes());
    Status stored = store_key_text(db, name, text);
    crypto::wipe(text.data(), text.size());
    return stored;
}

Result<crypto::KeyPair> key_pair_from_text(std::string text) {
    auto blob = crypto::from_base64url(text, crypto::kKeyPairBlobBytes);
    crypto::wipe(text.data(), text.size());
    if (!blob) return make_error("storage_error", "a stored key does not decode");
    auto pair = crypto::decode_key_pair(blob.value());
    crypto::wipe(blob.value().data(), blob.value().size());
    if (!pair) return make_error("storage_error", "a stored key is malformed");
    return pair;
}

std::optional<std::string> text_value(const Replica& replica, const EntityId& ticket, Field field) {
    const Value* v = replica.get(EntityKind::ticket, ticket, field);
    const auto* s = v ? std::get_if<std::string>(v) : nullptr;
    if (!s || s->empty()) return std::nullopt;
    return *s;
}

// The ticket a batch's op is about: the ticket itself, or the ticket its comment hangs on.
std::optional<EntityId> ticket_of(const Op& op, const Batch& batch, const Replica& replica) {
    if (op.entity == EntityKind::ticket) return op.entity_id;
    for (const Op& other : batch.ops) {
        if (other.entity == op.entity && other.entity_id == op.entity_id && other.field == Field::comment_ticket)
            if (const auto* id = std::get_if<Id128>(&other.value)) return *id;
    }
    const Value* v = replica.get(op.entity, op.entity_id, Field::comment_ticket);
    const auto* id = v ? std::get_if<Id128>(v) : nullptr;
    return id ? std::optional<EntityId>(*id) : std::nullopt;
}

std::string plain_field_name(Field field) {
    std::string name(field_spec(field).name);
    for (char& c : name)
        if (c == '_') c = ' ';
    return field == Field::comment_body ? "message" : name;
}

}  // namespace

Result<DeviceKeys> DeviceKeys::load(Database& db, RandomSource& random) {
    DeviceKeys keys;
    auto stmt = db.prepare("SELECT name, value FROM device_keys ORDER BY rowid");
    if (!stmt) return stmt.error();
    bool have_user = false, have_device = false;
    for (;;) {
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const std::string name = stmt.value().column_text(0);
        if (name == kTeamPublicName || name == kServerKeyName) {
            auto key = crypto::public_key_from_text(stmt.value().column_text(1));
            if (!key) return make_error("storage_error", "a stored public key is malformed");
            (name == kServerKeyName ? keys.server_ : keys.team_public_) = key.value();
            continue;
        }
        const bool team = name.rfind(kTeamKeyPrefix, 0) == 0;
        const bool previous = name.rfind(kPreviousUserPrefix, 0) == 0;
        if (name != kUserKeyName && name != kDeviceKeyName && !team && !previous) continue;  // not a key pair
        auto pair = key_pair_from_text(stmt.value().column_text(1));
        if (!pair) return pair.error();
        if (team) {
            keys.team_.add(std::move(pair.value()));
        } else if (previous) {
            keys.previous_users_.push_back(std::move(pair.value()));
        } else if (name == kDeviceKeyName) {
            keys.device_ = std::move(pair.value());
            have_device = true;
        } else {
            keys.user_ = std::move(pair.value());
            have_user = true;
        }
    }
    if (!have_user) {
        keys.user_ = crypto::generate_key_pair(random);
        if (auto s = store_key_pair(db, kUserKeyName, keys.user_); !s) return s.error();
    }
    if (!have_device) {
        keys.device_ = crypto::generate_key_pair(random);
        if (auto s = store_key_pair(db, kDeviceKeyName, keys.device_); !s) return s.error();
    }
    if (keys.team_public_) (void)keys.team_.set_current(crypto::key_id_of(*keys.team_public_));
    return keys;
}

Status DeviceKeys::add_team_key(Database& db, crypto::KeyPair key) {
    const crypto::KeyId id = crypto::key_id_of(key.public_key);
    if (team_.find(id)) return Ok{};
    if (auto s = store_key_pair(db, std::string(kTeamKeyPrefix) + crypto::key_id_to_hex(id), key); !s) return s;
    team_.add(std::move(key));
    if (team_public_) (void)team_.set_current(crypto::key_id_of(*team_public_));
    return Ok{};
}

Status DeviceKeys::adopt_user_key(Database& db, crypto::KeyPair key) {
    if (key.public_key == user_.public_key) return Ok{};
    const std::string previous_name =
        std::string(kPreviousUserPrefix) + crypto::key_id_to_hex(crypto::key_id_of(user_.public_key));
    if (auto s = store_key_pair(db, previous_name, user_); !s) return s;
    if (auto s = store_key_pair(db, kUserKeyName, key); !s) return s;
    previous_users_.push_back(std::move(user_));
    user_ = std::move(key);
    return Ok{};
}

Result<std::optional<std::string>> DeviceKeys::stored_text(Database& db, std::string_view name) {
    auto stmt = db.prepare("SELECT value FROM device_keys WHERE name = ?1");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, name);
    auto row = stmt.value().step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<std::string>{};
    return std::optional<std::string>(stmt.value().column_text(0));
}

Status DeviceKeys::store_text(Database& db, std::string_view name, std::string_view text) {
    return store_key_text(db, name, text);
}

Status DeviceKeys::forget(Database& db, std::string_view name) {
    auto stmt = db.prepare("DELETE FROM device_keys WHERE name = ?1");
    if (!stmt) return stmt.error();
    stmt.value().bind(1, name);
    auto done = stmt.value().step();
    if (!done) return done.error();
    return Ok{};
}

Status DeviceKeys::pin_server(Database& db, const crypto::PublicKey& key) {
    if (server_) return crypto::check_pinned_server_key(*server_, key);  // never re-pinned silently
    if (auto s = store_key_text(db, kServerKeyName, crypto::public_key_to_text(key)); !s) return s;
    server_ = key;
    return Ok{};
}

Status DeviceKeys::set_team_public(Database& db, const crypto::PublicKey& key) {
    if (team_public_ && *team_public_ == key) return Ok{};
    if (auto s = store_key_text(db, kTeamPublicName, crypto::public_key_to_text(key)); !s) return s;
    team_public_ = key;
    (void)team_.set_current(crypto::key_id_of(key));
    return Ok{};
}

DeviceKeys::NewTicketKeys DeviceKeys::make_ticket_key(const EntityId& ticket, RandomSource& random) {
    crypto::TicketKey key = crypto::TicketKey::generate(random);
    NewTicketKeys out;
    out.requester_key = crypto::sealed_key_to_text(crypto::seal_ticket_key(key, user_.public_key, random));
    if (team_public_)
        out.team_key = crypto::sealed_key_to_text(crypto::seal_ticket_key(key, *team_public_, random));
    ticket_keys_.insert_or_assign(ticket, std::move(key));
    return out;
}

std::optional<std::string> DeviceKeys::team_key_value(const Replica& replica, const EntityId& ticket,
                                                       RandomSource& random) {
    const crypto::TicketKey* key = ticket_key(replica, ticket);
    if (!key || !team_public_) return std::nullopt;
    return crypto::sealed_key_to_text(crypto::seal_ticket_key(*key, *team_public_, random));
}

const crypto::TicketKey* DeviceKeys::ticket_key(const Replica& replica, const EntityId& ticket) {
    if (auto it = ticket_keys_.find(ticket); it != ticket_keys_.end()) return &it->second;
    std::optional<crypto::TicketKey> opened;
    if (auto text = text_value(replica, ticket, Field::ticket_requester_key)) {
        if (auto sealed = crypto::sealed_key_from_text(*text)) {
            if (auto key = crypto::open_ticket_key(sealed.value(), user_)) opened = std::move(key.value());
            for (const crypto::KeyPair& before : previous_users_) {
                if (opened) break;
                if (auto key = crypto::open_ticket_key(sealed.value(), before)) opened = std::move(key.value());
            }
        }
    }
    if (!opened && team_.size() > 0) {
        if (auto text = text_value(replica, ticket, Field::ticket_team_key)) {
            if (auto sealed = crypto::sealed_key_from_text(*text)) {
                if (auto key = crypto::open_ticket_key(sealed.value(), team_)) opened = std::move(key.value());
            }
        }
    }
    if (!opened) return nullptr;  // not (yet) for this device: the team key may still come
    return &ticket_keys_.insert_or_assign(ticket, std::move(*opened)).first->second;
}

Status DeviceKeys::seal_batch(Batch& batch, const Replica& replica, RandomSource& random) {
    for (Op& op : batch.ops) {
        if (!crypto::is_sealed_content_field(op.entity, op.field)) continue;
        auto* text = std::get_if<std::string>(&op.value);
        if (!text) continue;  // null: a cleared field
        const auto limit = static_cast<std::size_t>(field_spec(op.field).max);
        if (crypto::sealed_text_size(text->size()) > limit) {
            return make_error("too_long", "the " + plain_field_name(op.field) + " is too long (at most " +
                                              std::to_string(crypto::max_plaintext_for_sealed_text(limit)) +
                                              " bytes)");
        }
        auto ticket = ticket_of(op, batch, replica);
        const crypto::TicketKey* key = ticket ? ticket_key(replica, *ticket) : nullptr;
        if (!key) return make_error("no_ticket_key", "this device does not hold the ticket's key yet, so it cannot write to it");
        const crypto::ContentContext context{*ticket, field_spec(op.field).name, op.op_id};
        auto sealed = crypto::seal_text(*key, context, *text, random);
        if (!sealed) return sealed.error();
        opened_.insert_or_assign(to_hex(op.op_id), *text);
        crypto::wipe(text->data(), text->size());
        op.value = std::move(sealed.value());
    }
    return Ok{};
}

OpenedText DeviceKeys::open_text(const Replica& replica, EntityKind kind, const EntityId& entity,
                                  const EntityId& ticket, Field field, bool plain_allowed) {
    const Op* op = replica.winner(kind, entity, field);
    if (!op) return {};
    return open_op(replica, *op, ticket, plain_allowed);
}

OpenedText DeviceKeys::open_op(const Replica& replica, const Op& op_ref, const EntityId& ticket, bool plain_allowed) {
    const Op* op = &op_ref;
    const Field field = op->field;
    const auto* value = std::get_if<std::string>(&op->value);
    if (!value || value->empty()) return {};
    const std::string op_hex = to_hex(op->op_id);
    if (auto it = opened_.find(op_hex); it != opened_.end()) return {it->second, true};
    if (value->rfind(crypto::kSealedTextPrefix, 0) != 0) {
        if (plain_allowed) return {*value, true};
        return {kUnsealedText, false};
    }
    const crypto::TicketKey* key = ticket_key(replica, ticket);
    if (!key) return {kUnreadableText, false};
    auto opened = crypto::open_text(*key, crypto::ContentContext{ticket, field_spec(field).name, op->op_id}, *value);
    if (!opened) return {"(not shown: " + opened.error().message + ")", false};
    opened_.insert_or_assign(op_hex, opened.value());
    return {std::move(opened.value()), true};
}

}  // namespace lb::engine
