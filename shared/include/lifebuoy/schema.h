// schema.h — what can be changed: entity kinds, their fields, and each field's value type and
// limits. Field names are interned to small integers (Field) so replicas compare numbers, not text.
//
// Features: one table of FieldSpec rows (src/schema.cpp); lookups by name for the wire; forward
// compatibility — a name this version does not know maps to EntityKind::unknown / Field::unknown and
// is carried by name in the op, never rejected by merge.
// Not here: who may write a field (lifecycle.h) or the vocabularies of enum-like fields (domain.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace lb {

enum class EntityKind : std::uint8_t { ticket, comment, user, device, kb_ref, unknown };
inline constexpr std::size_t kEntityKindCount = 5;  // known kinds

enum class Field : std::uint16_t {
    deleted,  // every entity: the tombstone (true = deleted); nothing is removed in place
    // ticket
    ticket_number, ticket_requester, ticket_channel, ticket_category, ticket_impact, ticket_urgency,
    ticket_priority, ticket_status, ticket_assignee, ticket_team, ticket_site, ticket_asset_tag,
    ticket_response_due, ticket_resolution_due, ticket_title, ticket_description,
    ticket_resolution_note, ticket_satisfaction_rating, ticket_satisfaction_comment,
    ticket_requester_key, ticket_team_key,  // the ticket key sealed to the requester / the team
    ticket_contact, ticket_contact_detail,  // how the requester wants to hear back; the number or address (sealed)
    // comment (insert-only)
    comment_ticket, comment_kind, comment_author, comment_body,
    // user
    user_display_name, user_role, user_skills, user_site, user_team, user_email,
    // device (an enrolled browser or machine)
    device_owner, device_label, device_platform, device_public_key, device_revoked,
    // reference from a ticket to a knowledge-base article
    kb_ref_ticket, kb_ref_article, kb_ref_title, kb_ref_relation,
    unknown,  // a field this version does not know; its name travels in the op
};
inline constexpr std::size_t kKnownFieldCount = static_cast<std::size_t>(Field::unknown);

enum class ValueType : std::uint8_t {
    boolean,
    integer,    // [min, max]
    id,         // Id128 (references another entity)
    text,       // UTF-8, at most `max` bytes
    token,      // enum-like: [a-z][a-z0-9_]*, at most kMaxTokenBytes; vocabulary checked at the edge
    text_list,  // at most kMaxListItems items of at most `max` bytes
    raw_json,   // unknown field: canonical JSON text, at most kMaxUnknownValueBytes
};

// The vocabulary of a token field (names in domain.h).
enum class Vocabulary : std::uint8_t {
    none, channel, impact, urgency, priority, status, role, comment_kind, kb_relation, contact
};

// Limits (bytes unless stated). Each is enforced by validate_op (op.h) and so by the decoder.
inline constexpr std::size_t kMaxTokenBytes = 48;
inline constexpr std::size_t kMaxListItems = 64;
inline constexpr std::size_t kMaxUnknownValueBytes = 16 * 1024;
inline constexpr std::size_t kMaxNameBytes = 64;  // entity and field names, known or not
inline constexpr std::int64_t kMaxTicketNumber = (std::int64_t{1} << 53) - 1;  // exact in JS

struct FieldSpec {
    Field field;
    EntityKind entity;  // EntityKind::unknown for `deleted`, which every entity has
    std::string_view name;
    ValueType type;
    Vocabulary vocabulary;
    std::int64_t min;  // integer: lowest value; otherwise unused
    std::int64_t max;  // integer: highest value; text/list item: max bytes
    bool nullable;     // may be cleared with null
};

const FieldSpec& field_spec(Field field);  // field != Field::unknown
std::span<const FieldSpec> all_field_specs();

std::string_view entity_kind_name(EntityKind kind);  // "" for unknown
std::optional<EntityKind> entity_kind_from_name(std::string_view name);  // nullopt: not known
// The field called `name` on `kind`; nullopt when this version does not know it.
std::optional<Field> field_from_name(EntityKind kind, std::string_view name);
// Whether `field` belongs to `kind` (`deleted` belongs to every kind).
bool field_belongs_to(Field field, EntityKind kind);

// [a-z][a-z0-9_]*, 1..max_bytes: the shape of tokens and of entity/field names.
bool is_token(std::string_view text, std::size_t max_bytes = kMaxTokenBytes);

}  // namespace lb
