// schema.cpp — THE field table: every field of every entity, its wire name, type and limits.
// Not here: permissions (lifecycle.cpp), vocabularies (domain.cpp).
#include "lifebuoy/schema.h"

#include <array>
#include <cassert>

#include "lifebuoy/hlc.h"

namespace lb {
namespace {

using E = EntityKind;
using F = Field;
using T = ValueType;
using V = Vocabulary;

constexpr std::int64_t kKiB = 1024;
constexpr std::int64_t kMaxMs = static_cast<std::int64_t>(kHlcMaxMs);

// Rows in Field order (checked by the static_assert below and by field_spec()).
// Text limits leave room for end-to-end encryption (ciphertext is base64, about 4/3 of the plaintext).
constexpr std::array<FieldSpec, kKnownFieldCount> kFields{{
    // field                            entity     name                    type          vocabulary        min  max         nullable
    {F::deleted,                        E::unknown, "deleted",              T::boolean,   V::none,           0, 0,          false},
    {F::ticket_number,                  E::ticket, "number",                T::integer,   V::none,           1, kMaxTicketNumber, false},
    {F::ticket_requester,               E::ticket, "requester",             T::id,        V::none,           0, 0,          false},
    {F::ticket_channel,                 E::ticket, "channel",               T::token,     V::channel,        0, 0,          false},
    {F::ticket_category,                E::ticket, "category",              T::text,      V::none,           0, 128,        true},
    {F::ticket_impact,                  E::ticket, "impact",                T::token,     V::impact,         0, 0,          true},
    {F::ticket_urgency,                 E::ticket, "urgency",               T::token,     V::urgency,        0, 0,          true},
    {F::ticket_priority,                E::ticket, "priority",              T::token,     V::priority,       0, 0,          true},
    {F::ticket_status,                  E::ticket, "status",                T::token,     V::status,         0, 0,          false},
    {F::ticket_assignee,                E::ticket, "assignee",              T::id,        V::none,           0, 0,          true},
    {F::ticket_team,                    E::ticket, "team",                  T::text,      V::none,           0, 128,        true},
    {F::ticket_site,                    E::ticket, "site",                  T::text,      V::none,           0, 128,        true},
    {F::ticket_asset_tag,               E::ticket, "asset_tag",             T::text,      V::none,           0, 128,        true},
    {F::ticket_response_due,            E::ticket, "response_due",          T::integer,   V::none,           0, kMaxMs,     true},
    {F::ticket_resolution_due,          E::ticket, "resolution_due",        T::integer,   V::none,           0, kMaxMs,     true},
    {F::ticket_title,                   E::ticket, "title",                 T::text,      V::none,           0, 2 * kKiB,   false},
    {F::ticket_description,             E::ticket, "description",           T::text,      V::none,           0, 96 * kKiB,  true},
    {F::ticket_resolution_note,         E::ticket, "resolution_note",       T::text,      V::none,           0, 32 * kKiB,  true},
    {F::ticket_satisfaction_rating,     E::ticket, "satisfaction_rating",   T::integer,   V::none,           1, 5,          true},
    {F::ticket_satisfaction_comment,    E::ticket, "satisfaction_comment",  T::text,      V::none,           0, 8 * kKiB,   true},
    {F::ticket_requester_key,           E::ticket, "requester_key",         T::text,      V::none,           0, 256,        true},
    {F::ticket_team_key,                E::ticket, "team_key",              T::text,      V::none,           0, 256,        true},
    {F::ticket_contact,                 E::ticket, "contact",               T::token,     V::contact,        0, 0,          true},
    {F::ticket_contact_detail,          E::ticket, "contact_detail",        T::text,      V::none,           0, 1 * kKiB,   true},
    {F::comment_ticket,                 E::comment, "ticket",               T::id,        V::none,           0, 0,          false},
    {F::comment_kind,                   E::comment, "kind",                 T::token,     V::comment_kind,   0, 0,          false},
    {F::comment_author,                 E::comment, "author",               T::id,        V::none,           0, 0,          false},
    {F::comment_body,                   E::comment, "body",                 T::text,      V::none,           0, 96 * kKiB,  false},
    {F::user_display_name,              E::user,   "display_name",          T::text,      V::none,           0, 256,        false},
    {F::user_role,                      E::user,   "role",                  T::token,     V::role,           0, 0,          false},
    {F::user_skills,                    E::user,   "skills",                T::text_list, V::none,           0, 128,        true},
    {F::user_site,                      E::user,   "site",                  T::text,      V::none,           0, 128,        true},
    {F::user_team,                      E::user,   "team",                  T::text,      V::none,           0, 128,        true},
    {F::user_email,                     E::user,   "email",                 T::text,      V::none,           0, 320,        true},
    {F::device_owner,                   E::device, "owner",                 T::id,        V::none,           0, 0,          false},
    {F::device_label,                   E::device, "label",                 T::text,      V::none,           0, 256,        true},
    {F::device_platform,                E::device, "platform",              T::text,      V::none,           0, 128,        true},
    {F::device_public_key,              E::device, "public_key",            T::text,      V::none,           0, 256,        false},
    {F::device_revoked,                 E::device, "revoked",               T::boolean,   V::none,           0, 0,          false},
    {F::kb_ref_ticket,                  E::kb_ref, "ticket",                T::id,        V::none,           0, 0,          false},
    {F::kb_ref_article,                 E::kb_ref, "article",               T::text,      V::none,           0, 256,        false},
    {F::kb_ref_title,                   E::kb_ref, "title",                 T::text,      V::none,           0, 1 * kKiB,   true},
    {F::kb_ref_relation,                E::kb_ref, "relation",              T::token,     V::kb_relation,    0, 0,          false},
}};

constexpr bool rows_in_order() {
    for (std::size_t i = 0; i < kFields.size(); ++i) {
        if (static_cast<std::size_t>(kFields[i].field) != i) return false;
    }
    return true;
}
static_assert(rows_in_order(), "kFields rows must follow the Field enum order");

constexpr std::array<std::string_view, kEntityKindCount> kEntityNames{
    "ticket", "comment", "user", "device", "kb_ref"};

}  // namespace

const FieldSpec& field_spec(Field field) {
    assert(field != Field::unknown);
    return kFields[static_cast<std::size_t>(field)];
}

std::span<const FieldSpec> all_field_specs() { return kFields; }

std::string_view entity_kind_name(EntityKind kind) {
    const auto i = static_cast<std::size_t>(kind);
    return i < kEntityNames.size() ? kEntityNames[i] : std::string_view{};
}

std::optional<EntityKind> entity_kind_from_name(std::string_view name) {
    for (std::size_t i = 0; i < kEntityNames.size(); ++i) {
        if (kEntityNames[i] == name) return static_cast<EntityKind>(i);
    }
    return std::nullopt;
}

bool field_belongs_to(Field field, EntityKind kind) {
    if (field == Field::unknown || kind == EntityKind::unknown) return false;
    const FieldSpec& spec = field_spec(field);
    return spec.entity == kind || spec.entity == EntityKind::unknown;
}

std::optional<Field> field_from_name(EntityKind kind, std::string_view name) {
    for (const FieldSpec& spec : kFields) {
        if (spec.name == name && (spec.entity == kind || spec.entity == EntityKind::unknown)) {
            return spec.field;
        }
    }
    return std::nullopt;
}

bool is_token(std::string_view text, std::size_t max_bytes) {
    if (text.empty() || text.size() > max_bytes) return false;
    if (text[0] < 'a' || text[0] > 'z') return false;
    for (const char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace lb
