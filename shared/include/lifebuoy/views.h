// views.h — the domain model as typed structs, read from a replica's registers: Ticket, Comment,
// User, Device, KbArticleRef.
//
// A field never written reads as empty / nullopt / `unknown`; a vocabulary word from a newer version
// reads as `unknown` (the replica still holds and passes on the word itself).
// Not here: writing (build ops with BatchBuilder), permissions (lifecycle.h), queries over many
// tickets (the engine's SQLite and the server's store do those).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/id128.h"
#include "lifebuoy/value.h"

namespace lb {

class Replica;

struct Ticket {
    EntityId id;
    std::optional<std::int64_t> number;  // shown to people ("#1042"); given by the server
    EntityId requester;
    Channel channel = Channel::unknown;
    std::string category;
    Impact impact = Impact::unknown;
    Urgency urgency = Urgency::unknown;
    Priority priority = Priority::unknown;
    TicketStatus status = TicketStatus::unknown;
    std::optional<EntityId> assignee;
    std::string team;
    std::string site;
    std::string asset_tag;
    std::optional<std::int64_t> response_due_ms;    // Unix ms
    std::optional<std::int64_t> resolution_due_ms;  // Unix ms
    std::string title;
    std::string description;
    std::string resolution_note;
    std::optional<std::int64_t> satisfaction_rating;  // 1..5
    std::string satisfaction_comment;
    ContactPreference contact = ContactPreference::unknown;  // unknown: not said (the portal)
    std::string contact_detail;                              // sealed: a phone number or address
    bool deleted = false;
    Hlc created;  // earliest op about it
    Hlc updated;  // latest op about it
};

struct Comment {
    EntityId id;
    EntityId ticket;
    CommentKind kind = CommentKind::unknown;
    EntityId author;
    std::string body;
    bool deleted = false;
    Hlc posted;
};

struct User {
    EntityId id;
    std::string display_name;
    Role role = Role::unknown;
    std::vector<std::string> skills;  // categories a technician handles
    std::string site;
    std::string team;
    std::string email;
    bool deleted = false;
};

struct Device {
    EntityId id;
    EntityId owner;
    std::string label;
    std::string platform;
    std::string public_key;
    bool revoked = false;
    bool deleted = false;
};

struct KbArticleRef {
    EntityId id;
    EntityId ticket;
    std::string article;  // KB article id, e.g. "ods-outlook-client-..."
    std::string title;
    KbRelation relation = KbRelation::unknown;
    bool deleted = false;
};

// nullopt when the replica has no op about that entity.
std::optional<Ticket> read_ticket(const Replica& replica, const EntityId& id);
std::optional<Comment> read_comment(const Replica& replica, const EntityId& id);
std::optional<User> read_user(const Replica& replica, const EntityId& id);
std::optional<Device> read_device(const Replica& replica, const EntityId& id);
std::optional<KbArticleRef> read_kb_ref(const Replica& replica, const EntityId& id);

// The comments of a ticket that `viewer` may see (lifecycle.h), oldest first, tombstoned ones left
// out. A scan of all comments: fine for a replica in memory, not a query plan.
std::vector<Comment> read_comments(const Replica& replica, const EntityId& ticket, Role viewer);

}  // namespace lb
