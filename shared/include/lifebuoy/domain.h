// domain.h — the IT help-desk vocabulary: roles, ticket statuses, channels, impact, urgency,
// priority, comment kinds, KB relations, contact preferences; their wire names; the ITIL impact × urgency matrix.
//
// Every enum has `unknown`: a name from a newer version (or no value yet). Such names are kept as
// text in the replica and passed on; only the edge (lifecycle.h) refuses to write them.
// Not here: who may do what (lifecycle.h), the typed views of entities (views.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "lifebuoy/schema.h"

namespace lb {

enum class Role : std::uint8_t { guest, requester, technician, admin, system, unknown };
inline constexpr std::size_t kRoleCount = 5;  // `system` is the server's own automation
                                              // (dispatch, SLA timers, auto-close)

enum class TicketStatus : std::uint8_t {  // "new" is new_ (a keyword)
    new_, triaged, assigned, in_progress, waiting_on_requester, resolved, closed, unknown
};
inline constexpr std::size_t kTicketStatusCount = 7;

enum class Channel : std::uint8_t { web, email, phone, walk_in, chat, public_page, monitoring, unknown };
enum class Impact : std::uint8_t { high, medium, low, unknown };
enum class Urgency : std::uint8_t { high, medium, low, unknown };
enum class Priority : std::uint8_t { critical, high, medium, low, planning, unknown };
enum class CommentKind : std::uint8_t {
    public_reply, internal_note, request_for_information, system_event, unknown
};
inline constexpr std::size_t kCommentKindCount = 4;
enum class KbRelation : std::uint8_t { suggested, linked, solved, unknown };
// How the requester wants to hear back: replies in the portal (always), and also by e-mail or a call.
enum class ContactPreference : std::uint8_t { portal, email, phone, unknown };

// Wire names ("in_progress", "waiting_on_requester", ...); "" for unknown.
std::string_view to_name(Role v);
std::string_view to_name(TicketStatus v);
std::string_view to_name(Channel v);
std::string_view to_name(Impact v);
std::string_view to_name(Urgency v);
std::string_view to_name(Priority v);
std::string_view to_name(CommentKind v);
std::string_view to_name(KbRelation v);
std::string_view to_name(ContactPreference v);

// Name → enum; `unknown` when the name is not known.
Role role_from_name(std::string_view name);
TicketStatus status_from_name(std::string_view name);
Channel channel_from_name(std::string_view name);
Impact impact_from_name(std::string_view name);
Urgency urgency_from_name(std::string_view name);
Priority priority_from_name(std::string_view name);
CommentKind comment_kind_from_name(std::string_view name);
KbRelation kb_relation_from_name(std::string_view name);
ContactPreference contact_preference_from_name(std::string_view name);

// Whether `name` is in the vocabulary this version knows (Vocabulary::none: always true).
bool vocabulary_contains(Vocabulary vocabulary, std::string_view name);

// ITIL default matrix: high×high → critical … low×low → planning; unknown in → unknown out.
Priority default_priority(Impact impact, Urgency urgency);

// Statuses where work is still owed to the requester (not resolved, not closed).
bool is_open(TicketStatus status);

}  // namespace lb
