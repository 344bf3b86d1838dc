// views.cpp — typed views of entities from a replica's registers. Not here: writing.
#include "lifebuoy/views.h"

#include <algorithm>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/replica.h"

namespace lb {
namespace {

struct Reader {
    const Replica& replica;
    EntityKind kind;
    const EntityId& id;

    const Value* get(Field f) const { return replica.get(kind, id, f); }
    std::string text(Field f) const {
        const Value* v = get(f);
        const auto* s = v ? std::get_if<std::string>(v) : nullptr;
        return s ? *s : std::string{};
    }
    std::optional<std::int64_t> integer(Field f) const {
        const Value* v = get(f);
        const auto* n = v ? std::get_if<std::int64_t>(v) : nullptr;
        return n ? std::optional<std::int64_t>(*n) : std::nullopt;
    }
    std::optional<EntityId> id_of(Field f) const {
        const Value* v = get(f);
        const auto* i = v ? std::get_if<Id128>(v) : nullptr;
        return i ? std::optional<EntityId>(*i) : std::nullopt;
    }
    bool flag(Field f) const {
        const Value* v = get(f);
        const auto* b = v ? std::get_if<bool>(v) : nullptr;
        return b && *b;
    }
};

}  // namespace

std::optional<Ticket> read_ticket(const Replica& replica, const EntityId& id) {
    if (!replica.exists(EntityKind::ticket, id)) return std::nullopt;
    const Reader r{replica, EntityKind::ticket, id};
    Ticket t;
    t.id = id;
    t.number = r.integer(Field::ticket_number);
    t.requester = r.id_of(Field::ticket_requester).value_or(EntityId{});
    t.channel = channel_from_name(r.text(Field::ticket_channel));
    t.category = r.text(Field::ticket_category);
    t.impact = impact_from_name(r.text(Field::ticket_impact));
    t.urgency = urgency_from_name(r.text(Field::ticket_urgency));
    t.priority = priority_from_name(r.text(Field::ticket_priority));
    t.status = status_from_name(r.text(Field::ticket_status));
    t.assignee = r.id_of(Field::ticket_assignee);
    t.team = r.text(Field::ticket_team);
    t.site = r.text(Field::ticket_site);
    t.asset_tag = r.text(Field::ticket_asset_tag);
    t.response_due_ms = r.integer(Field::ticket_response_due);
    t.resolution_due_ms = r.integer(Field::ticket_resolution_due);
    t.title = r.text(Field::ticket_title);
    t.description = r.text(Field::ticket_description);
    t.resolution_note = r.text(Field::ticket_resolution_note);
    t.satisfaction_rating = r.integer(Field::ticket_satisfaction_rating);
    t.satisfaction_comment = r.text(Field::ticket_satisfaction_comment);
    t.contact = contact_preference_from_name(r.text(Field::ticket_contact));
    t.contact_detail = r.text(Field::ticket_contact_detail);
    t.deleted = r.flag(Field::deleted);
    const auto history = replica.history(EntityKind::ticket, id);
    if (!history.empty()) {
        t.created = history.front()->hlc;
        t.updated = history.back()->hlc;
    }
    return t;
}

std::optional<Comment> read_comment(const Replica& replica, const EntityId& id) {
    if (!replica.exists(EntityKind::comment, id)) return std::nullopt;
    const Reader r{replica, EntityKind::comment, id};
    Comment c;
    c.id = id;
    c.ticket = r.id_of(Field::comment_ticket).value_or(EntityId{});
    c.kind = comment_kind_from_name(r.text(Field::comment_kind));
    c.author = r.id_of(Field::comment_author).value_or(EntityId{});
    c.body = r.text(Field::comment_body);
    c.deleted = r.flag(Field::deleted);
    if (const Op* body = replica.winner(EntityKind::comment, id, Field::comment_body)) c.posted = body->hlc;
    return c;
}

std::optional<User> read_user(const Replica& replica, const EntityId& id) {
    if (!replica.exists(EntityKind::user, id)) return std::nullopt;
    const Reader r{replica, EntityKind::user, id};
    User u;
    u.id = id;
    u.display_name = r.text(Field::user_display_name);
    u.role = role_from_name(r.text(Field::user_role));
    if (const Value* v = r.get(Field::user_skills)) {
        if (const auto* list = std::get_if<TextList>(v)) u.skills = *list;
    }
    u.site = r.text(Field::user_site);
    u.team = r.text(Field::user_team);
    u.email = r.text(Field::user_email);
    u.deleted = r.flag(Field::deleted);
    return u;
}

std::optional<Device> read_device(const Replica& replica, const EntityId& id) {
    if (!replica.exists(EntityKind::device, id)) return std::nullopt;
    const Reader r{replica, EntityKind::device, id};
    Device d;
    d.id = id;
    d.owner = r.id_of(Field::device_owner).value_or(EntityId{});
    d.label = r.text(Field::device_label);
    d.platform = r.text(Field::device_platform);
    d.public_key = r.text(Field::device_public_key);
    d.revoked = r.flag(Field::device_revoked);
    d.deleted = r.flag(Field::deleted);
    return d;
}

std::optional<KbArticleRef> read_kb_ref(const Replica& replica, const EntityId& id) {
    if (!replica.exists(EntityKind::kb_ref, id)) return std::nullopt;
    const Reader r{replica, EntityKind::kb_ref, id};
    KbArticleRef k;
    k.id = id;
    k.ticket = r.id_of(Field::kb_ref_ticket).value_or(EntityId{});
    k.article = r.text(Field::kb_ref_article);
    k.title = r.text(Field::kb_ref_title);
    k.relation = kb_relation_from_name(r.text(Field::kb_ref_relation));
    k.deleted = r.flag(Field::deleted);
    return k;
}

std::vector<Comment> read_comments(const Replica& replica, const EntityId& ticket, Role viewer) {
    std::vector<Comment> out;
    for (const EntityId& id : replica.entity_ids(EntityKind::comment)) {
        auto c = read_comment(replica, id);
        if (c && c->ticket == ticket && !c->deleted && can_see_comment(viewer, c->kind)) {
            out.push_back(std::move(*c));
        }
    }
    std::sort(out.begin(), out.end(), [](const Comment& a, const Comment& b) {
        return a.posted != b.posted ? a.posted < b.posted : a.id < b.id;
    });
    return out;
}

}  // namespace lb
