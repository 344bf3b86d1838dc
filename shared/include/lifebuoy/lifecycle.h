// lifecycle.h — who may do what to a ticket and its surroundings: ONE table (src/lifecycle.cpp)
// enforced by ONE function, authorize_batch(), called on both sides — by the client before a user
// action enters its outbox, and by the server before it accepts a pushed batch.
//
// Status lifecycle (ITIL incident):
//   new → triaged → assigned → in_progress ⇄ waiting_on_requester → resolved → closed
//   plus: assigned → triaged (back to the queue), waiting_on_requester → resolved (no answer),
//   resolved → in_progress (reopen), open → closed (the requester withdraws; junk is rejected).
//   closed is final and read-only (only the satisfaction survey and a tombstone may still change).
// Each table row is an action — write a field, make a status transition, post a comment of a kind —
// with one Access per role (guest, requester, technician, admin, system) and, for ticket-related
// actions, the ticket statuses in which it is allowed.
// "Own" means: the actor is the ticket's requester (for a ticket, its comments and KB references),
// the user themself (user), or the device's owner (device).
// Authorisation depends on the current state, so it happens once, at the edge; replicas then merge
// accepted ops unconditionally (replica.h), which keeps merge commutative.
// Not here: structural validity (op.h), visibility filtering of whole tickets (the server's job).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"

namespace lb {

class Replica;

enum class Access : std::uint8_t {
    no,       // never
    own_new,  // only on what the actor owns, and only in the batch that creates it
    own,      // only on what the actor owns
    any_new,  // on anything, only in the batch that creates it
    any,      // always
};

enum class ActionKind : std::uint8_t { write, transition, post };

using StatusMask = std::uint8_t;  // bit i = Status i
inline constexpr StatusMask status_bit(TicketStatus s) {
    return static_cast<StatusMask>(1u << static_cast<unsigned>(s));
}
inline constexpr StatusMask kAnyStatus = 0x7F;
inline constexpr StatusMask kNotClosed = kAnyStatus & ~status_bit(TicketStatus::closed);
inline constexpr StatusMask kOpenStatuses = kNotClosed & ~status_bit(TicketStatus::resolved);
inline constexpr StatusMask kResolvedOrClosed = status_bit(TicketStatus::resolved) | status_bit(TicketStatus::closed);

struct LifecycleRule {
    ActionKind kind;
    EntityKind entity;     // write: entity of the field; transition: ticket; post: comment
    Field field;           // write
    TicketStatus from;           // transition
    TicketStatus to;             // transition
    CommentKind comment;   // post
    std::array<Access, kRoleCount> access;  // indexed by Role
    StatusMask in_status;  // ticket-related actions: statuses of the ticket where allowed
};

// The table, for tests, documentation and UIs.
std::span<const LifecycleRule> lifecycle_table();

struct Actor {
    EntityId user;                // the signed-in user (for `system`: the server's own user id)
    Role role = Role::unknown;
};

// THE check. Checks every op of `batch` in order against `state` (plus what earlier ops of the batch
// created or changed) and the table; the whole batch is refused at the first op that fails, with
// the op's index in the message. Codes: forbidden, bad_transition, insert_only, missing_required,
// not_found, entity_deleted, ticket_closed, unsupported_field, and validate_batch's codes.
Status authorize_batch(const Actor& actor, const Replica& state, const Batch& batch);

// Read-only helpers over the same table, e.g. for which buttons a screen shows.
bool may_transition(Role role, TicketStatus from, TicketStatus to, bool own);
std::vector<TicketStatus> allowed_transitions(Role role, TicketStatus from, bool own);
// Internal notes are for the help desk: guests and requesters never see them.
bool can_see_comment(Role role, CommentKind kind);

}  // namespace lb
