// shared_lifecycle_test.cpp — the lifecycle table through authorize_batch, the one function both
// sides call: every role × every (from, to) status pair, own ticket or not; field writes; comments;
// creation; closed and deleted tickets; batches refused whole.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/views.h"
#include "shared_test_support.h"

using namespace lb;
using TS = TicketStatus;

namespace {

const EntityId kMe{0, 0x111};
const EntityId kOther{0, 0x222};
const EntityId kServer{0, 0x5E};

constexpr Role kRoles[] = {Role::guest, Role::requester, Role::technician, Role::admin, Role::system};
constexpr TS kStatuses[] = {TS::new_, TS::triaged, TS::assigned, TS::in_progress,
                            TS::waiting_on_requester, TS::resolved, TS::closed};

// Written out independently of the table: who may make each transition.
// g/r = guest/requester on their OWN ticket only; t/a/s = technician/admin/system on any ticket.
struct Allowed {
    TS from, to;
    std::string who;
};
const Allowed kExpected[] = {
    {TS::new_, TS::triaged, "tas"},
    {TS::new_, TS::closed, "grta"},
    {TS::triaged, TS::assigned, "tas"},
    {TS::triaged, TS::closed, "gra"},
    {TS::assigned, TS::triaged, "tas"},
    {TS::assigned, TS::in_progress, "tas"},
    {TS::assigned, TS::closed, "gra"},
    {TS::in_progress, TS::waiting_on_requester, "ta"},
    {TS::in_progress, TS::resolved, "ta"},
    {TS::in_progress, TS::closed, "gra"},
    {TS::waiting_on_requester, TS::in_progress, "grtas"},
    {TS::waiting_on_requester, TS::resolved, "tas"},
    {TS::waiting_on_requester, TS::closed, "gra"},
    {TS::resolved, TS::closed, "grtas"},
    {TS::resolved, TS::in_progress, "grta"},
};

char letter(Role role) { return "grtas"[static_cast<std::size_t>(role)]; }

bool expected_allowed(Role role, TS from, TS to, bool own) {
    for (const auto& a : kExpected) {
        if (a.from != from || a.to != to) continue;
        if (a.who.find(letter(role)) == std::string::npos) return false;
        const bool own_only = role == Role::guest || role == Role::requester;
        return !own_only || own;
    }
    return false;
}

Actor actor(Role role) { return Actor{role == Role::system ? kServer : kMe, role}; }

Status authorize(const test::Desk& desk, Role role, const Batch& batch) {
    return authorize_batch(actor(role), desk.replica, batch);
}

std::string code(const Status& st) { return st ? "ok" : st.error().code; }

}  // namespace

TEST_SUITE("shared.lifecycle") {
    TEST_CASE("every role x every status transition, on an own ticket and on a ticket of another requester") {
        int allowed = 0;
        int checked = 0;
        for (const Role role : kRoles) {
            for (const TS from : kStatuses) {
                for (const TS to : kStatuses) {
                    for (const bool own : {true, false}) {
                        test::Desk desk;
                        const EntityId ticket = desk.ticket(own ? kMe : kOther, from);
                        auto b = desk.builder();
                        b.set(EntityKind::ticket, ticket, Field::ticket_status, std::string(to_name(to)));
                        const Batch batch = b.finish();
                        const bool expect = expected_allowed(role, from, to, own);
                        const Status st = authorize(desk, role, batch);
                        CAPTURE(to_name(role));
                        CAPTURE(to_name(from));
                        CAPTURE(to_name(to));
                        CAPTURE(own);
                        CHECK(st.ok() == expect);
                        if (!st) {
                            const bool has_row = std::any_of(std::begin(kExpected), std::end(kExpected),
                                                             [&](const Allowed& a) { return a.from == from && a.to == to; });
                            CHECK(code(st) == (has_row ? "forbidden" : "bad_transition"));
                        }
                        CHECK(may_transition(role, from, to, own) == expect);
                        allowed += expect ? 1 : 0;
                        ++checked;
                    }
                }
            }
        }
        CHECK(checked == 5 * 7 * 7 * 2);
        CHECK(allowed > 0);
    }

    TEST_CASE("the table has one row per action and the helpers read it") {
        std::set<std::tuple<int, int, int, int, int, int>> seen;
        for (const auto& rule : lifecycle_table()) {
            const auto key = std::make_tuple(static_cast<int>(rule.kind), static_cast<int>(rule.entity),
                                             static_cast<int>(rule.field), static_cast<int>(rule.from),
                                             static_cast<int>(rule.to), static_cast<int>(rule.comment));
            CHECK(seen.insert(key).second);
        }
        CHECK(allowed_transitions(Role::requester, TS::resolved, true) ==
              std::vector<TS>{TS::closed, TS::in_progress});
        CHECK(allowed_transitions(Role::requester, TS::resolved, false).empty());
        CHECK(allowed_transitions(Role::technician, TS::closed, false).empty());  // closed is final
        CHECK(can_see_comment(Role::technician, CommentKind::internal_note));
        CHECK_FALSE(can_see_comment(Role::requester, CommentKind::internal_note));
        CHECK_FALSE(can_see_comment(Role::guest, CommentKind::internal_note));
        CHECK(can_see_comment(Role::guest, CommentKind::request_for_information));
    }

    TEST_CASE("creating a ticket") {
        test::Desk desk;
        auto create = [&](Role role, const EntityId& requester, const std::string& status, bool with_title,
                          Field extra = Field::unknown) {
            auto b = desk.builder();
            const EntityId id = b.new_entity_id();
            b.set(EntityKind::ticket, id, Field::ticket_requester, requester)
                .set(EntityKind::ticket, id, Field::ticket_channel, std::string("public_page"))
                .set(EntityKind::ticket, id, Field::ticket_status, status);
            if (with_title) b.set(EntityKind::ticket, id, Field::ticket_title, std::string("Printer jams"));
            if (extra == Field::ticket_impact) b.set(EntityKind::ticket, id, extra, std::string("high"));
            if (extra == Field::ticket_assignee) b.set(EntityKind::ticket, id, extra, kOther);
            return code(authorize(desk, role, b.finish()));
        };
        CHECK(create(Role::requester, kMe, "new", true) == "ok");
        CHECK(create(Role::guest, kMe, "new", true) == "ok");
        CHECK(create(Role::technician, kOther, "new", true) == "ok");  // on behalf of a caller
        CHECK(create(Role::requester, kOther, "new", true) == "forbidden");
        CHECK(create(Role::requester, kMe, "triaged", true) == "bad_transition");
        CHECK(create(Role::requester, kMe, "new", false) == "missing_required");
        CHECK(create(Role::requester, kMe, "new", true, Field::ticket_impact) == "ok");
        CHECK(create(Role::guest, kMe, "new", true, Field::ticket_impact) == "forbidden");
        CHECK(create(Role::requester, kMe, "new", true, Field::ticket_assignee) == "forbidden");
        CHECK(create(Role::unknown, kMe, "new", true) == "forbidden");
    }

    TEST_CASE("who may change which field") {
        test::Desk desk;
        const EntityId mine = desk.ticket(kMe, TS::in_progress);
        auto write = [&](Role role, const EntityId& ticket, Field field, Value v) {
            auto b = desk.builder();
            b.set(EntityKind::ticket, ticket, field, std::move(v));
            return code(authorize(desk, role, b.finish()));
        };
        CHECK(write(Role::requester, mine, Field::ticket_title, std::string("VPN drops every hour")) == "ok");
        CHECK(write(Role::requester, mine, Field::ticket_site, std::string("Lyon")) == "ok");
        CHECK(write(Role::requester, mine, Field::ticket_impact, std::string("high")) == "forbidden");  // creation only
        CHECK(write(Role::requester, mine, Field::ticket_priority, std::string("critical")) == "forbidden");
        CHECK(write(Role::requester, mine, Field::ticket_assignee, kMe) == "forbidden");
        CHECK(write(Role::requester, mine, Field::ticket_requester, kOther) == "forbidden");
        CHECK(write(Role::technician, mine, Field::ticket_priority, std::string("critical")) == "ok");
        CHECK(write(Role::technician, mine, Field::ticket_assignee, kMe) == "ok");
        CHECK(write(Role::technician, mine, Field::ticket_response_due, std::int64_t{test::kT0}) == "forbidden");
        CHECK(write(Role::system, mine, Field::ticket_response_due, std::int64_t{test::kT0}) == "ok");
        CHECK(write(Role::system, mine, Field::ticket_number, std::int64_t{1042}) == "ok");
        CHECK(write(Role::admin, mine, Field::ticket_number, std::int64_t{1042}) == "forbidden");
        CHECK(write(Role::technician, mine, Field::deleted, true) == "forbidden");
        // satisfaction: only the requester, only once resolved
        CHECK(write(Role::requester, mine, Field::ticket_satisfaction_rating, std::int64_t{5}) == "forbidden");
        const EntityId resolved = desk.ticket(kMe, TS::resolved);
        CHECK(write(Role::requester, resolved, Field::ticket_satisfaction_rating, std::int64_t{5}) == "ok");
        CHECK(write(Role::technician, resolved, Field::ticket_satisfaction_rating, std::int64_t{5}) == "forbidden");
        const EntityId theirs = desk.ticket(kOther, TS::resolved);
        CHECK(write(Role::requester, theirs, Field::ticket_satisfaction_rating, std::int64_t{5}) == "forbidden");
        CHECK(write(Role::requester, theirs, Field::ticket_title, std::string("mine now")) == "forbidden");
        // closed: read-only but for the survey and a tombstone
        const EntityId closed = desk.ticket(kMe, TS::closed);
        CHECK(write(Role::technician, closed, Field::ticket_title, std::string("x")) == "ticket_closed");
        CHECK(write(Role::admin, closed, Field::ticket_priority, std::string("low")) == "ticket_closed");
        CHECK(write(Role::requester, closed, Field::ticket_satisfaction_comment, std::string("thanks!")) == "ok");
        CHECK(write(Role::admin, closed, Field::deleted, true) == "ok");
        // words this version can not check, and fields it does not know, are refused at the edge
        CHECK(write(Role::technician, mine, Field::ticket_priority, std::string("p0")) == "unsupported_field");
    }

    TEST_CASE("several transitions in one batch are checked in sequence") {
        test::Desk desk;
        const EntityId t = desk.ticket(kOther, TS::new_);
        auto b = desk.builder();
        b.set(EntityKind::ticket, t, Field::ticket_status, std::string("triaged"))
            .set(EntityKind::ticket, t, Field::ticket_assignee, kMe)
            .set(EntityKind::ticket, t, Field::ticket_status, std::string("assigned"))
            .set(EntityKind::ticket, t, Field::ticket_status, std::string("in_progress"));
        CHECK(code(authorize(desk, Role::technician, b.finish())) == "ok");
        auto skip = desk.builder();
        skip.set(EntityKind::ticket, t, Field::ticket_status, std::string("in_progress"));
        CHECK(code(authorize(desk, Role::technician, skip.finish())) == "bad_transition");
    }

    TEST_CASE("a batch with one refused op is refused whole, naming the op") {
        test::Desk desk;
        const EntityId t = desk.ticket(kMe, TS::in_progress);
        const std::string before = desk.replica.canonical_state();
        auto b = desk.builder();
        b.set(EntityKind::ticket, t, Field::ticket_title, std::string("ok on its own"))
            .set(EntityKind::ticket, t, Field::ticket_assignee, kMe);  // not for a requester
        const Batch batch = b.finish();
        const Status st = authorize(desk, Role::requester, batch);
        REQUIRE_FALSE(st);
        CHECK(st.error().code == "forbidden");
        CHECK(st.error().message.find("ops[1]") != std::string::npos);
        CHECK(desk.replica.canonical_state() == before);  // the caller applies only what passed
    }

    TEST_CASE("comments: who posts what, insert-only, authored by the poster") {
        test::Desk desk;
        const EntityId mine = desk.ticket(kMe, TS::waiting_on_requester);
        const EntityId theirs = desk.ticket(kOther, TS::in_progress);
        auto post = [&](Role role, const EntityId& ticket, const std::string& kind, const EntityId& author,
                        bool with_body = true) {
            auto b = desk.builder();
            const EntityId c = b.new_entity_id();
            b.set(EntityKind::comment, c, Field::comment_ticket, ticket)
                .set(EntityKind::comment, c, Field::comment_kind, kind)
                .set(EntityKind::comment, c, Field::comment_author, author);
            if (with_body) b.set(EntityKind::comment, c, Field::comment_body, std::string("It works again"));
            return code(authorize(desk, role, b.finish()));
        };
        CHECK(post(Role::requester, mine, "public_reply", kMe) == "ok");
        CHECK(post(Role::guest, mine, "public_reply", kMe) == "ok");
        CHECK(post(Role::requester, theirs, "public_reply", kMe) == "forbidden");
        CHECK(post(Role::requester, mine, "internal_note", kMe) == "forbidden");
        CHECK(post(Role::requester, mine, "request_for_information", kMe) == "forbidden");
        CHECK(post(Role::requester, mine, "public_reply", kOther) == "forbidden");  // impersonation
        CHECK(post(Role::requester, mine, "public_reply", kMe, false) == "missing_required");
        CHECK(post(Role::technician, theirs, "internal_note", kMe) == "ok");
        CHECK(post(Role::technician, theirs, "request_for_information", kMe) == "ok");
        CHECK(post(Role::technician, theirs, "system_event", kMe) == "forbidden");
        CHECK(post(Role::system, theirs, "system_event", kServer) == "ok");
        CHECK(post(Role::technician, EntityId{9, 9}, "internal_note", kMe) == "not_found");
        const EntityId closed = desk.ticket(kMe, TS::closed);
        CHECK(post(Role::requester, closed, "public_reply", kMe) == "ticket_closed");
        CHECK(post(Role::technician, closed, "internal_note", kMe) == "ok");

        // once posted, a comment is never edited; an admin may redact it (tombstone)
        auto b = desk.builder();
        const EntityId c = b.new_entity_id();
        b.set(EntityKind::comment, c, Field::comment_ticket, mine)
            .set(EntityKind::comment, c, Field::comment_kind, std::string("public_reply"))
            .set(EntityKind::comment, c, Field::comment_author, kMe)
            .set(EntityKind::comment, c, Field::comment_body, std::string("first"));
        desk.must_apply(b.finish());
        auto edit = desk.builder();
        edit.set(EntityKind::comment, c, Field::comment_body, std::string("rewritten"));
        CHECK(code(authorize(desk, Role::requester, edit.finish())) == "insert_only");
        auto redact = desk.builder();
        redact.tombstone(EntityKind::comment, c);
        const Batch redaction = redact.finish();
        CHECK(code(authorize(desk, Role::requester, redaction)) == "forbidden");
        CHECK(code(authorize(desk, Role::admin, redaction)) == "ok");
        desk.must_apply(redaction);
        CHECK(read_comments(desk.replica, mine, Role::requester).empty());
        CHECK(read_comment(desk.replica, c)->body == "first");  // still there, tombstoned
    }

    TEST_CASE("a tombstoned ticket takes no more writes") {
        test::Desk desk;
        const EntityId t = desk.ticket(kMe, TS::in_progress);
        auto del = desk.builder();
        del.tombstone(EntityKind::ticket, t);
        desk.must_apply(del.finish());
        auto b = desk.builder();
        b.set(EntityKind::ticket, t, Field::ticket_title, std::string("x"));
        CHECK(code(authorize(desk, Role::admin, b.finish())) == "entity_deleted");
        auto undelete = desk.builder();
        undelete.set(EntityKind::ticket, t, Field::deleted, false);
        CHECK(code(authorize(desk, Role::admin, undelete.finish())) == "ok");
    }

    TEST_CASE("users, devices and KB references") {
        test::Desk desk;
        auto one = [&](Role role, EntityKind kind, const EntityId& id, Field field, Value v) {
            auto b = desk.builder();
            b.set(kind, id, field, std::move(v));
            return code(authorize(desk, role, b.finish()));
        };
        auto u = desk.builder();
        u.set(EntityKind::user, kMe, Field::user_display_name, std::string("Ada"))
            .set(EntityKind::user, kMe, Field::user_role, std::string("requester"));
        const Batch make_user = u.finish();
        CHECK(code(authorize(desk, Role::requester, make_user)) == "forbidden");  // no self-promotion
        CHECK(code(authorize(desk, Role::admin, make_user)) == "ok");
        desk.must_apply(make_user);
        CHECK(one(Role::requester, EntityKind::user, kMe, Field::user_display_name, std::string("Ada L.")) == "ok");
        CHECK(one(Role::requester, EntityKind::user, kMe, Field::user_role, std::string("admin")) == "forbidden");
        CHECK(one(Role::requester, EntityKind::user, kOther, Field::user_display_name, std::string("x")) == "forbidden");

        auto d = desk.builder();
        const EntityId device = d.new_entity_id();
        d.set(EntityKind::device, device, Field::device_owner, kMe)
            .set(EntityKind::device, device, Field::device_public_key, std::string("pk"));
        desk.must_apply(d.finish());
        CHECK(one(Role::requester, EntityKind::device, device, Field::device_revoked, true) == "ok");  // lost phone
        CHECK(one(Role::requester, EntityKind::device, device, Field::device_public_key, std::string("k2")) == "forbidden");

        const EntityId t = desk.ticket(kMe, TS::resolved);
        auto k = desk.builder();
        const EntityId ref = k.new_entity_id();
        k.set(EntityKind::kb_ref, ref, Field::kb_ref_ticket, t)
            .set(EntityKind::kb_ref, ref, Field::kb_ref_article, std::string("ods-outlook-crash"))
            .set(EntityKind::kb_ref, ref, Field::kb_ref_relation, std::string("solved"));
        const Batch solved = k.finish();
        CHECK(code(authorize(desk, Role::requester, solved)) == "ok");
        CHECK(code(authorize_batch(Actor{kOther, Role::requester}, desk.replica, solved)) == "forbidden");
    }

    TEST_CASE("unknown entities and fields are refused at the edge") {
        test::Desk desk;
        const EntityId t = desk.ticket(kMe, TS::new_);
        Batch b;
        b.batch_id = Id128{0, 1};
        Op op;
        op.op_id = Id128{0, 77};
        op.hlc = Hlc::from(test::kT0, 0);
        op.node = 1;
        op.entity = EntityKind::ticket;
        op.entity_id = t;
        op.field = Field::unknown;
        op.value = RawJson{"1"};
        op.ext = std::make_shared<const OpExtension>(OpExtension{"", "sentiment", ""});
        b.ops.push_back(op);
        CHECK(code(authorize(desk, Role::admin, b)) == "unsupported_field");
    }
}
