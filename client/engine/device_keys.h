// device_keys.h — the device's keys (issue #4): its device key pair (its identity: every sync
// request is sealed with it, crypto/envelope.h), the server key it pinned when it enrolled, its user
// key pair for end-to-end ticket text (both made on first open, kept in the local database), the
// help desk's team keys (a technician's device holds the secret ones; every device knows the
// current public one), and ticket keys, opened from a ticket's sealed-key fields and remembered.
//
// Features: seal_batch replaces every text value of a batch (title, description, resolution note,
// satisfaction comment, comment body) by its sealed text before the batch enters the outbox, each
// bound to its ticket, field, op and key (crypto/sealed_text.h); open_text gives the text a view
// shows, or a note that this device cannot read it (yet); sealed_key_fields makes a new ticket's
// key and its requester_key / team_key values. Opened texts are cached by op id (an op never
// changes), so lists of thousands of tickets do not decrypt on every call.
// Not here: talking to the key directory (engine_keys.cpp), SQL beyond the device_keys table.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "lifebuoy/crypto/content.h"
#include "lifebuoy/crypto/keys.h"
#include "lifebuoy/crypto/team_keyring.h"
#include "lifebuoy/op.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

using storage::Database;

// What a view gets for a sealed value it cannot open.
inline constexpr const char* kUnreadableText = "(encrypted — this device does not have the key to read it yet)";
inline constexpr const char* kUnsealedText = "(not shown: this text reached the device unencrypted)";

struct OpenedText {
    std::string text;
    bool readable = true;  // false: `text` is one of the notes above
};

class DeviceKeys {
public:
    // Loads the keys from the device_keys table; creates and stores the user key pair on first open.
    static Result<DeviceKeys> load(Database& db, RandomSource& random);

    const crypto::KeyPair& device() const { return device_; }
    // The server key this device trusts (pinned from the server's /api/v1/info before enrolling;
    // never replaced silently — a different key is server_key_changed).
    const std::optional<crypto::PublicKey>& server() const { return server_; }
    Status pin_server(Database& db, const crypto::PublicKey& key);
    const crypto::KeyPair& user() const { return user_; }
    // Signing in on another device: the user's own key (unwrapped from their backup) replaces the
    // one this device made. The replaced key is kept (as "user_previous:<key id>") to open the keys
    // of tickets this device filed with it before signing in.
    Status adopt_user_key(Database& db, crypto::KeyPair key);

    // Small named secrets and states beside the keys (a pending sign-in's wrap key, a guest's
    // recovery secret, a key backup waiting to be sent), in the same table. nullopt: none.
    static Result<std::optional<std::string>> stored_text(Database& db, std::string_view name);
    static Status store_text(Database& db, std::string_view name, std::string_view text);
    static Status forget(Database& db, std::string_view name);
    const crypto::TeamKeyring& team() const { return team_; }
    // The team's current public key (what new tickets are sealed to), when the directory named one.
    const std::optional<crypto::PublicKey>& team_public() const { return team_public_; }

    // Stored, then added to the ring (a key already there is left as is).
    Status add_team_key(Database& db, crypto::KeyPair key);
    Status set_team_public(Database& db, const crypto::PublicKey& key);

    // A new ticket's key, remembered for sealing: returns the requester_key value (sealed to this
    // device's user key) and, when a team key is known, the team_key value.
    struct NewTicketKeys {
        std::string requester_key;
        std::optional<std::string> team_key;
    };
    NewTicketKeys make_ticket_key(const EntityId& ticket, RandomSource& random);
    // The ticket's key sealed to the current team key, for a ticket filed before the team had one;
    // nullopt when this device cannot open the ticket's key or knows no team key.
    std::optional<std::string> team_key_value(const Replica& replica, const EntityId& ticket, RandomSource& random);

    // The ticket's key: remembered, or opened from requester_key (this user) or team_key (the ring).
    const crypto::TicketKey* ticket_key(const Replica& replica, const EntityId& ticket);

    // Seals every text value of `batch`. Error too_long (in plain words, naming the field) when a
    // text will not fit its field once sealed; no_ticket_key when the ticket's key is not here.
    Status seal_batch(Batch& batch, const Replica& replica, RandomSource& random);

    // The text of `field` of `entity` (a ticket, or a comment of `ticket`) as a person reads it.
    // Plain values pass only for system-event comments (the server's own words about metadata).
    OpenedText open_text(const Replica& replica, EntityKind kind, const EntityId& entity, const EntityId& ticket,
                         Field field, bool plain_allowed = false);
    // The same for one op (a value in the history).
    OpenedText open_op(const Replica& replica, const Op& op, const EntityId& ticket, bool plain_allowed = false);

private:
    crypto::KeyPair device_;
    std::optional<crypto::PublicKey> server_;
    crypto::KeyPair user_;
    std::vector<crypto::KeyPair> previous_users_;  // replaced by adopt_user_key
    crypto::TeamKeyring team_;
    std::optional<crypto::PublicKey> team_public_;
    std::map<EntityId, crypto::TicketKey> ticket_keys_;
    std::unordered_map<std::string, std::string> opened_;  // op id hex → plaintext
};

}  // namespace lb::engine
