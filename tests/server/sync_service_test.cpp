// sync_service_test.cpp — the sync service over the real SQLite store: push idempotency,
// rejections with stable reasons, one transaction per push (a refused batch rolls back alone),
// server_seq, ticket numbering, far-future clamping, pull paging by count and bytes, visibility
// per role, enrolment and tokens, the live notifier.
// Not here: HTTP (tests/integration/ drives the real binary), the request decoders (api_codec_test).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include <sqlite3.h>

#include "lifebuoy/crypto/encoding.h"
#include "lifebuoy/crypto/key_wrap.h"
#include "lifebuoy/crypto/team_keyring.h"
#include "lifebuoy/wire.h"
#include "server_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

std::vector<std::int64_t> seqs_of(const BatchResult& r) {
    std::vector<std::int64_t> out;
    for (const auto& op : r.ops) out.push_back(op.seq);
    return out;
}

bool has_op(const std::vector<Op>& ops, const OpId& id) {
    return std::any_of(ops.begin(), ops.end(), [&](const Op& o) { return o.op_id == id; });
}

bool mentions_entity(const std::vector<Op>& ops, const EntityId& id) {
    return std::any_of(ops.begin(), ops.end(), [&](const Op& o) { return o.entity_id == id; });
}

}  // namespace

TEST_CASE("push stores a batch with increasing server_seq and numbers the new ticket as `system`") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    EntityId ticket;
    BatchResult r = desk.push(guest, desk.new_ticket(guest, ticket));
    REQUIRE(r.outcome == OpOutcome::accepted);
    REQUIRE(r.ops.size() == 4);
    auto seqs = seqs_of(r);
    for (std::size_t i = 0; i < seqs.size(); ++i) {
        CHECK(r.ops[i].outcome == OpOutcome::accepted);
        if (i > 0) CHECK(seqs[i] > seqs[i - 1]);
    }
    auto row = desk.store->ticket(ticket);
    REQUIRE(row.ok());
    REQUIRE(row.value().has_value());
    CHECK(row.value()->number == 1);
    CHECK(row.value()->requester == guest.caller.user);
    CHECK(row.value()->status == "new");

    EntityId second;
    desk.push(guest, desk.new_ticket(guest, second, "Printer jams"));
    CHECK(desk.store->ticket(second).value()->number == 2);

    // The number is an op in the log, authored by the server's node, visible to the requester.
    auto ops = desk.pull_all(guest);
    auto numbered = std::find_if(ops.begin(), ops.end(), [&](const Op& o) {
        return o.entity_id == ticket && o.field == Field::ticket_number;
    });
    REQUIRE(numbered != ops.end());
    CHECK(std::get<std::int64_t>(numbered->value) == 1);
    CHECK(numbered->node != guest.clock->node());
}

TEST_CASE("push is idempotent by op id: a replay answers duplicate with the same seqs") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    EntityId ticket;
    Batch batch = desk.new_ticket(guest, ticket);
    BatchResult first = desk.push(guest, batch);
    const auto before = desk.store->op_count().value();
    BatchResult again = desk.push(guest, batch);
    CHECK(again.outcome == OpOutcome::duplicate);
    CHECK_FALSE(again.error.has_value());
    CHECK(seqs_of(again) == seqs_of(first));
    for (const auto& op : again.ops) CHECK(op.outcome == OpOutcome::duplicate);
    CHECK(desk.store->op_count().value() == before);
    CHECK(desk.store->ticket(ticket).value()->number == 1);  // numbered once

    SUBCASE("an op id reused with other content is refused") {
        Batch forged = batch;
        forged.ops[2].value = std::string("something else");
        BatchResult r = desk.push(guest, forged);
        CHECK(r.outcome == OpOutcome::rejected);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == "op_id_conflict");
        CHECK(desk.store->op_count().value() == before);
    }
}

TEST_CASE("refused batches store nothing and give every op a stable reason code") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    Person requester = desk.enrol(Role::requester);
    Person tech = desk.enrol(Role::technician);
    EntityId ticket;
    desk.push(guest, desk.new_ticket(guest, ticket));
    const auto before = desk.store->op_count().value();

    auto expect_refused = [&](const Person& who, Batch batch, const char* code) {
        CAPTURE(code);
        const std::size_t n = batch.ops.size();
        BatchResult r = desk.push(who, std::move(batch));
        CHECK(r.outcome == OpOutcome::rejected);
        REQUIRE(r.error.has_value());
        CHECK(r.error->code == code);
        REQUIRE(r.ops.size() == n);
        for (const auto& op : r.ops) CHECK(op.outcome == OpOutcome::rejected);
    };
    // A guest may not set the priority; a requester may not touch someone else's ticket.
    expect_refused(guest, desk.set_field(guest, ticket, Field::ticket_priority, std::string("high")), "forbidden");
    expect_refused(requester, desk.set_field(requester, ticket, Field::ticket_title, std::string("mine now")),
                   "forbidden");
    // Nobody but the help desk posts internal notes.
    expect_refused(guest, desk.comment(guest, ticket, "internal_note", "psst"), "forbidden");
    // new → resolved is not a transition.
    expect_refused(tech, desk.set_field(tech, ticket, Field::ticket_status, std::string("resolved")), "bad_transition");
    // Ticket numbers are the server's.
    expect_refused(tech, desk.set_field(tech, ticket, Field::ticket_number, std::int64_t{99}), "forbidden");
    // A comment on a ticket that does not exist.
    expect_refused(tech, desk.comment(tech, random_id128(desk.random), "public_reply", "hello?"), "not_found");
    // Ticket text that was not sealed on the device never reaches the database.
    {
        auto b = desk.builder(guest);
        const EntityId c = b.new_entity_id();
        b.set(EntityKind::comment, c, Field::comment_ticket, ticket)
            .set(EntityKind::comment, c, Field::comment_kind, std::string("public_reply"))
            .set(EntityKind::comment, c, Field::comment_author, guest.caller.user)
            .set(EntityKind::comment, c, Field::comment_body, std::string("my password is hunter2"));
        expect_refused(guest, b.finish(), "content_not_sealed");
        auto t = desk.builder(guest);
        t.set(EntityKind::ticket, ticket, Field::ticket_description, std::string("sealed:bm90IHNlYWxlZA"));
        expect_refused(guest, t.finish(), "content_not_sealed");  // the prefix alone does not pass
    }
    CHECK(desk.store->op_count().value() == before);
    // Refusals leave no gap in server_seq: the highest seq is the count (/metrics reads it so).
    desk.push(guest, desk.comment(guest, ticket, "public_reply", "still broken"));
    CHECK(desk.store->high_water().value() == desk.store->op_count().value());

    SUBCASE("a batch that did not decode is refused on its own, the others land") {
        PushRequest req;
        req.batches.emplace_back(make_error("malformed_json", "x"));
        req.batches.emplace_back(desk.comment(guest, ticket, "public_reply", "any news?"));
        auto r = desk.service->push(guest.caller, std::move(req));
        REQUIRE(r.ok());
        CHECK(r.value().batches[0].outcome == OpOutcome::rejected);
        CHECK(r.value().batches[0].error->code == "malformed_json");
        CHECK(r.value().batches[1].outcome == OpOutcome::accepted);
    }
    SUBCASE("a batch over max_batch_ops refuses the whole request") {
        Desk small([] { ServerConfig c; c.max_batch_ops = 2; return c; }(), "small");
        Person g = small.enrol(Role::guest);
        EntityId t;
        PushRequest req;
        req.batches.emplace_back(small.new_ticket(g, t));
        auto r = small.service->push(g.caller, std::move(req));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "batch_too_large");
    }
}

TEST_CASE("the technician's work flows through the lifecycle and metadata follows") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    Person tech = desk.enrol(Role::technician);
    EntityId ticket;
    desk.push(guest, desk.new_ticket(guest, ticket));
    for (const char* status : {"triaged", "assigned", "in_progress"}) {
        CAPTURE(status);
        CHECK(desk.push(tech, desk.set_field(tech, ticket, Field::ticket_status, std::string(status))).outcome ==
              OpOutcome::accepted);
    }
    CHECK(desk.push(tech, desk.set_field(tech, ticket, Field::ticket_assignee, tech.caller.user)).outcome ==
          OpOutcome::accepted);
    CHECK(desk.push(tech, desk.comment(tech, ticket, "internal_note", "router firmware")).outcome ==
          OpOutcome::accepted);
    auto row = desk.store->ticket(ticket).value();
    CHECK(row->status == "in_progress");
    CHECK(row->assignee == tech.caller.user);
}

TEST_CASE("server_seq stays monotonic and nothing is lost across a restart") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    EntityId t1;
    const auto first = seqs_of(desk.push(guest, desk.new_ticket(guest, t1)));
    desk.reopen();
    auto again = desk.service->authenticate(guest.token);
    REQUIRE(again.ok());
    EntityId t2;
    const auto second = seqs_of(desk.push(guest, desk.new_ticket(guest, t2)));
    CHECK(second.front() > first.back());
    CHECK(desk.store->ticket(t2).value()->number == 2);
    auto ops = desk.pull_all(guest);
    CHECK(mentions_entity(ops, t1));
    CHECK(mentions_entity(ops, t2));
}

TEST_CASE("a far-future HLC is clamped at ingress, and its replay is still a duplicate") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    EntityId ticket;
    Batch batch = desk.new_ticket(guest, ticket);
    const Hlc future = Hlc::from(desk.now_ms + 24ull * 3600 * 1000, 0);
    batch.ops[2].hlc = future;  // the title, from a device whose clock is a day ahead
    REQUIRE(desk.push(guest, batch).outcome == OpOutcome::accepted);
    auto stored = desk.store->find_op(batch.ops[2].op_id).value();
    REQUIRE(stored.has_value());
    CHECK(stored->op.clamped_from == future);
    CHECK(stored->op.hlc.ms() <= desk.now_ms + kMaxClockDriftMs);
    CHECK(desk.push(guest, batch).outcome == OpOutcome::duplicate);
}

TEST_CASE("pull pages by count and by bytes, and the cursor never skips an op") {
    Desk desk;
    Person tech = desk.enrol(Role::technician);
    Person guest = desk.enrol(Role::guest);
    for (int i = 0; i < 10; ++i) {
        EntityId t;
        desk.push(guest, desk.new_ticket(guest, t, "ticket " + std::to_string(i) + std::string(200, 'x')));
    }
    const auto total = desk.store->op_count().value();

    SUBCASE("by count") {
        std::int64_t cursor = 0;
        std::set<std::int64_t> pages;
        std::size_t seen = 0;
        for (int page_no = 0;; ++page_no) {
            REQUIRE(page_no < 100);
            auto page = desk.service->pull(tech.caller, PullRequest{cursor, std::size_t{7}, std::nullopt});
            REQUIRE(page.ok());
            CHECK(page.value().bodies.size() <= 7);
            seen += page.value().bodies.size();
            // Each op's own seq, rising, after the old cursor and up to the new one.
            REQUIRE(page.value().seqs.size() == page.value().bodies.size());
            std::int64_t previous = cursor;
            for (std::int64_t seq : page.value().seqs) {
                CHECK(seq > previous);
                previous = seq;
            }
            CHECK(previous <= page.value().cursor);
            CHECK(page.value().cursor >= cursor);
            cursor = page.value().cursor;
            if (!page.value().more) break;
            CHECK(page.value().bodies.size() == 7);
        }
        CHECK(static_cast<std::int64_t>(seen) == total);
    }
    SUBCASE("by bytes: a page stays under the budget, except a single op larger than it") {
        std::int64_t cursor = 0;
        std::size_t seen = 0;
        for (int page_no = 0;; ++page_no) {
            REQUIRE(page_no < 1000);
            auto page = desk.service->pull(tech.caller, PullRequest{cursor, std::nullopt, std::size_t{600}});
            REQUIRE(page.ok());
            REQUIRE_FALSE((page.value().bodies.empty() && page.value().more));
            std::size_t bytes = 0;
            for (const auto& b : page.value().bodies) bytes += b.size();
            if (page.value().bodies.size() > 1) CHECK(bytes <= 600);
            seen += page.value().bodies.size();
            cursor = page.value().cursor;
            if (!page.value().more) break;
        }
        CHECK(static_cast<std::int64_t>(seen) == total);
    }
    SUBCASE("the server's limits cap what a client asks for") {
        Desk capped([] { ServerConfig c; c.max_pull_ops = 3; return c; }(), "capped");
        Person g = capped.enrol(Role::guest);
        EntityId t;
        capped.push(g, capped.new_ticket(g, t));
        auto page = capped.service->pull(g.caller, PullRequest{0, std::size_t{1000}, std::nullopt});
        REQUIRE(page.ok());
        CHECK(page.value().bodies.size() == 3);
        CHECK(page.value().more);
    }
    SUBCASE("an empty pull moves the cursor to the top, so the next one starts there") {
        auto page = desk.service->pull(tech.caller, PullRequest{total, std::nullopt, std::nullopt});
        REQUIRE(page.ok());
        CHECK(page.value().bodies.empty());
        CHECK_FALSE(page.value().more);
        CHECK(page.value().cursor == total);
    }
}

TEST_CASE("visibility: requesters see their own tickets without internal notes, the help desk sees all") {
    Desk desk;
    Person alice = desk.enrol(Role::guest);
    Person bob = desk.enrol(Role::requester);
    Person tech = desk.enrol(Role::technician);
    EntityId a_ticket, b_ticket;
    desk.push(alice, desk.new_ticket(alice, a_ticket, "Alice's laptop"));
    desk.push(bob, desk.new_ticket(bob, b_ticket, "Bob's printer"));
    Batch note = desk.comment(tech, a_ticket, "internal_note", "she has the old VPN client");
    Batch reply = desk.comment(tech, a_ticket, "public_reply", "please update the VPN client");
    desk.push(tech, note);
    desk.push(tech, reply);

    auto alice_sees = desk.pull_all(alice);
    CHECK(mentions_entity(alice_sees, a_ticket));
    CHECK_FALSE(mentions_entity(alice_sees, b_ticket));
    for (const Op& op : note.ops) CHECK_FALSE(has_op(alice_sees, op.op_id));
    for (const Op& op : reply.ops) CHECK(has_op(alice_sees, op.op_id));
    CHECK(mentions_entity(alice_sees, alice.caller.user));   // her own user
    CHECK_FALSE(mentions_entity(alice_sees, bob.caller.user));

    auto bob_sees = desk.pull_all(bob);
    CHECK(mentions_entity(bob_sees, b_ticket));
    CHECK_FALSE(mentions_entity(bob_sees, a_ticket));

    auto tech_sees = desk.pull_all(tech);
    CHECK(static_cast<std::int64_t>(tech_sees.size()) == desk.store->op_count().value());
    for (const Op& op : note.ops) CHECK(has_op(tech_sees, op.op_id));
}

TEST_CASE("enrolment: invites are single use and expire, guests follow the policy, tokens are hashed") {
    Desk desk;
    auto code = desk.service->create_invite(Role::technician, "Tess");
    REQUIRE(code.ok());
    EnrollRequest req;
    req.invite = code.value().normalised;
    auto e = desk.service->enroll(req, false);
    REQUIRE(e.ok());
    CHECK(e.value().role == Role::technician);
    CHECK(e.value().display_name == "Tess");
    CHECK(e.value().device_token.size() == 64);
    CHECK(desk.service->enroll(req, false).error().code == "invite_used");
    req.invite = "nosuchcode";
    CHECK(desk.service->enroll(req, false).error().code == "invite_invalid");

    auto late = desk.service->create_invite(Role::requester, "");
    desk.now_ms += std::uint64_t(desk.config.invite_ttl_hours + 1) * 3600 * 1000;
    req.invite = late.value().normalised;
    CHECK(desk.service->enroll(req, false).error().code == "invite_expired");
    CHECK(desk.service->create_invite(Role::guest, "").error().code == "bad_request");

    EnrollRequest guest;
    guest.guest = true;
    CHECK(desk.service->enroll(guest, true).ok());  // the fixture's policy: loopback
    CHECK(desk.service->enroll(guest, false).error().code == "guest_enrolment_disabled");
    REQUIRE(desk.service->set_guest_policy("off").ok());
    CHECK(desk.service->enroll(guest, true).error().code == "guest_enrolment_disabled");

    SUBCASE("a device that brings its public key becomes a device entity its owner sees") {
        REQUIRE(desk.service->set_guest_policy("on").ok());
        EnrollRequest keyed;
        keyed.guest = true;
        keyed.public_key = "9-uAVM9by5_QNZdqcanX2KYZMGN8-pnKVYBa33xb_jQ";
        keyed.device_label = "Gail's phone";
        auto k = desk.service->enroll(keyed, false);
        REQUIRE(k.ok());
        Person gail{desk.service->authenticate(k.value().device_token).value(), k.value().device_token, nullptr};
        auto ops = desk.pull_all(gail);
        CHECK(mentions_entity(ops, k.value().device));
        CHECK(mentions_entity(ops, k.value().user));
        keyed.public_key = "not a key";
        CHECK(desk.service->enroll(keyed, false).error().code == "bad_key");
    }
    CHECK(desk.service->authenticate(std::string(64, 'a')).error().code == "unauthenticated");
    // Only the hash is stored.
    auto& db = desk.storage->db();
    auto leaked = db.query_int("SELECT COUNT(*) FROM devices WHERE token_hash = '" + e.value().device_token + "'");
    CHECK(leaked.value() == 0);
    CHECK(hash_device_token(e.value().device_token) != e.value().device_token);
}

TEST_CASE("the live notifier wakes those a change concerns, and never misses a racing publish") {
    LiveNotifier n;
    const EntityId alice{1, 1}, bob{2, 2}, tess{3, 3};
    int alice_woken = 0, bob_woken = 0, tess_woken = 0;
    const auto seen = n.published();
    const auto a = n.subscribe(alice, false, seen, [&] { ++alice_woken; });
    n.subscribe(bob, false, seen, [&] { ++bob_woken; });
    n.subscribe(tess, true, seen, [&] { ++tess_woken; });
    CHECK(n.waiting() == 3);
    n.publish(5, {bob});
    CHECK(alice_woken == 0);
    CHECK(bob_woken == 1);
    CHECK(tess_woken == 1);  // the help desk hears of everything
    CHECK(n.waiting() == 1);
    n.unsubscribe(a);
    CHECK(n.waiting() == 0);
    // Subscribing with a stale view of `published` wakes at once.
    n.subscribe(alice, false, seen, [&] { ++alice_woken; });
    CHECK(alice_woken == 1);
    CHECK(n.waiting() == 0);
}

TEST_CASE("a push wakes the requester's waiting device through the service") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    Person tech = desk.enrol(Role::technician);
    EntityId ticket;
    desk.push(guest, desk.new_ticket(guest, ticket));
    int woken = 0;
    desk.notifier.subscribe(guest.caller.user, false, desk.notifier.published(), [&] { ++woken; });
    desk.push(tech, desk.comment(tech, ticket, "internal_note", "not for her"));
    CHECK(woken == 0);  // internal notes do not concern her
    desk.push(tech, desk.comment(tech, ticket, "public_reply", "on it"));
    CHECK(woken == 1);
}

TEST_CASE("the key directory: public user keys, team keys for the help desk, wraps per user") {
    Desk desk;
    Person guest = desk.enrol(Role::guest);
    Person tech = desk.enrol(Role::technician);
    const std::string key = "9-uAVM9by5_QNZdqcanX2KYZMGN8-pnKVYBa33xb_jQ";
    KeysUpload mine;
    mine.user_public_key = key;
    CHECK(desk.service->upload_keys(guest.caller, mine).ok());
    KeysUpload team;
    team.team_public_key = key;
    CHECK(desk.service->upload_keys(guest.caller, team).error().code == "forbidden");
    CHECK(desk.service->upload_keys(tech.caller, team).ok());
    KeysUpload bad;
    bad.user_public_key = "not-a-key";
    CHECK(desk.service->upload_keys(guest.caller, bad).error().code == "bad_key");
    auto dir = desk.service->key_directory(guest.caller);
    REQUIRE(dir.ok());
    CHECK(dir.value()["server_key"] == "server-public-key");
    CHECK(dir.value()["users"].size() == 1);
    CHECK(dir.value()["team_keys"].size() == 1);
    CHECK_FALSE(dir.value()["users"][0].contains("display_name"));  // names are for the help desk
    CHECK_FALSE(dir.value().contains("team_key_holders"));            // so is who holds which team key
}

TEST_CASE("the key directory: team key wraps are checked for shape and listed by holder for the help desk") {
    Desk desk;
    Person tess = desk.enrol(Role::technician);
    Person omar = desk.enrol(Role::technician);
    crypto::TeamKeyring ring;
    const crypto::KeyPair tess_key = crypto::generate_key_pair(desk.random);
    const crypto::KeyPair omar_key = crypto::generate_key_pair(desk.random);
    const crypto::PublicKey tess_public = tess_key.public_key;
    crypto::TeamRotation first = crypto::rotate_team_key(ring, std::span(&tess_public, 1), desk.random);
    const std::string team_id = crypto::key_id_to_hex(first.key_id);

    KeysUpload publish;
    publish.user_public_key = crypto::public_key_to_text(tess_key.public_key);
    publish.team_public_key = crypto::public_key_to_text(first.public_key);
    publish.team_key_wraps.push_back({team_id, to_hex(tess.caller.user), crypto::to_base64url(first.wraps[0].sealed)});
    REQUIRE(desk.service->upload_keys(tess.caller, publish).ok());

    KeysUpload forged;  // a ticket key passed off as a team key wrap
    const auto ticket_key = crypto::TicketKey::generate(desk.random);
    forged.team_key_wraps.push_back({team_id, to_hex(omar.caller.user),
                                     crypto::to_base64url(crypto::seal_ticket_key(ticket_key, omar_key.public_key, desk.random))});
    CHECK(desk.service->upload_keys(tess.caller, forged).error().code == "bad_key");

    KeysUpload wrap_for_omar;
    wrap_for_omar.team_key_wraps.push_back(
        {team_id, to_hex(omar.caller.user),
         crypto::to_base64url(crypto::wrap_team_secret(*ring.current(), omar_key.public_key, desk.random))});
    REQUIRE(desk.service->upload_keys(tess.caller, wrap_for_omar).ok());

    auto dir = desk.service->key_directory(omar.caller);
    REQUIRE(dir.ok());
    CHECK(dir.value()["current_team_key"] == team_id);
    REQUIRE(dir.value()["team_key_wraps"].size() == 1);  // Omar's own
    auto wrap = crypto::from_base64url(dir.value()["team_key_wraps"][0]["wrap"].get<std::string>(), crypto::kSealedKeyBytes);
    REQUIRE(wrap.ok());
    auto opened = crypto::unwrap_team_secret(wrap.value(), omar_key);
    REQUIRE(opened.ok());
    CHECK(opened.value().public_key == first.public_key);
    REQUIRE(dir.value()["team_key_holders"].size() == 2);
    for (const auto& h : dir.value()["team_key_holders"]) {
        const bool is_omar = h["user_id"] == to_hex(omar.caller.user);
        CHECK(h["recipient_key_id"] == crypto::key_id_to_hex(crypto::key_id_of(is_omar ? omar_key.public_key : tess_key.public_key)));
    }
}

TEST_CASE("remove_from_help_desk: the role becomes requester in the log and the users table, the devices are signed out") {
    Desk desk;
    Person tess = desk.enrol(Role::technician);
    Person omar = desk.enrol(Role::technician);
    CHECK(desk.service->remove_from_help_desk("nobody").error().code == "not_found");
    auto removed = desk.service->remove_from_help_desk(to_hex(omar.caller.user));
    REQUIRE(removed.ok());
    CHECK(removed.value().id == omar.caller.user);
    CHECK(desk.service->authenticate(omar.token).error().code == "device_revoked");
    CHECK(desk.service->authenticate(tess.token).ok());
    Replica seen;
    for (Op& op : desk.pull_all(tess)) REQUIRE(seen.apply(Batch{op.op_id, {op}, {}}).ok());
    const Value* role = seen.get(EntityKind::user, omar.caller.user, Field::user_role);
    REQUIRE(role);
    CHECK(std::get<std::string>(*role) == "requester");  // the log says so, by the server's hand
    // Not on the help desk any more: a second removal finds nobody.
    CHECK(desk.service->remove_from_help_desk(to_hex(omar.caller.user)).error().code == "not_found");
}

TEST_CASE("the key directory: every upload raises keys_version, which notify's check compares") {
    Desk desk;
    Person tech = desk.enrol(Role::technician);
    Person omar = desk.enrol(Role::technician);
    auto before = desk.service->key_directory(omar.caller);
    REQUIRE(before.ok());
    const std::int64_t seen = before.value()["keys_version"].get<std::int64_t>();
    const std::int64_t cursor = desk.service->pull(omar.caller, PullRequest{0, 1000, 1 << 20}).value().cursor;
    CHECK_FALSE(desk.service->has_changes(omar.caller, cursor, seen).value());
    CHECK_FALSE(desk.service->has_changes(omar.caller, cursor).value());
    KeysUpload mine;
    mine.user_public_key = "9-uAVM9by5_QNZdqcanX2KYZMGN8-pnKVYBa33xb_jQ";
    REQUIRE(desk.service->upload_keys(tech.caller, mine).ok());
    CHECK(desk.service->key_directory(omar.caller).value()["keys_version"] == seen + 1);
    CHECK(desk.service->has_changes(omar.caller, cursor, seen).value());     // the directory changed
    CHECK_FALSE(desk.service->has_changes(omar.caller, cursor).value());     // no op did
    CHECK_FALSE(desk.service->has_changes(omar.caller, cursor, seen + 1).value());
}

TEST_CASE("op authors: a node belongs to the person who first pushed it, the help desk's directory names them") {
    Desk desk;
    Person rita = desk.enrol(Role::requester);
    Person tess = desk.enrol(Role::technician);
    EntityId ticket;
    REQUIRE(desk.push(rita, desk.new_ticket(rita, ticket)).outcome == OpOutcome::accepted);
    REQUIRE(desk.push(tess, desk.set_field(tess, ticket, Field::ticket_priority, std::string("high"))).outcome ==
            OpOutcome::accepted);

    // Ops that name Rita's node, pushed by Tess (a forged author): refused, nothing stored.
    const auto before = desk.store->op_count().value();
    HybridClock forged(rita.clock->node());
    desk.now_ms += 10;
    BatchBuilder b(forged, desk.random, desk.now_ms);
    b.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string("low"));
    BatchResult refused = desk.push(tess, b.finish());
    CHECK(refused.outcome == OpOutcome::rejected);
    REQUIRE(refused.error.has_value());
    CHECK(refused.error->code == "node_taken");
    // … and so are ops that claim the server's own node (its automatic changes).
    auto node_text = desk.store->meta("server_node");
    REQUIRE(node_text.ok());
    REQUIRE(node_text.value().has_value());
    HybridClock automatic(node_from_hex(*node_text.value()).value_or(0));
    BatchBuilder c(automatic, desk.random, desk.now_ms += 10);
    c.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string("low"));
    BatchResult system_refused = desk.push(tess, c.finish());
    REQUIRE(system_refused.error.has_value());
    CHECK(system_refused.error->code == "node_taken");
    CHECK(desk.store->op_count().value() == before);

    // The help desk reads who each node is, and which node is the server's; a requester does not.
    auto dir = desk.service->key_directory(tess.caller);
    REQUIRE(dir.ok());
    std::map<std::string, std::string> owner;
    for (const auto& n : dir.value()["op_nodes"]) owner[n["node"].get<std::string>()] = n["user_id"].get<std::string>();
    CHECK(owner.size() == 2);
    CHECK(owner[node_to_hex(rita.clock->node())] == to_hex(rita.caller.user));
    CHECK(owner[node_to_hex(tess.clock->node())] == to_hex(tess.caller.user));
    CHECK(dir.value()["server_node"] == *node_text.value());
    auto requester_dir = desk.service->key_directory(rita.caller);
    REQUIRE(requester_dir.ok());
    CHECK_FALSE(requester_dir.value().contains("op_nodes"));

    // The binding survives a restart.
    desk.reopen();
    BatchBuilder again(forged, desk.random, desk.now_ms += 10);
    again.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string("low"));
    CHECK(desk.push(tess, again.finish()).error->code == "node_taken");
}

TEST_CASE("one push is one transaction: a refused batch rolls back alone, waiters are woken after the commit") {
    Desk desk;
    Person rita = desk.enrol(Role::requester);
    Person tess = desk.enrol(Role::technician);
    EntityId ticket;
    REQUIRE(desk.push(rita, desk.new_ticket(rita, ticket)).outcome == OpOutcome::accepted);
    const auto before = desk.store->op_count().value();

    // The middle batch binds a fresh node to Tess, then names Rita's node: node_taken after a write.
    HybridClock fresh(0x5eed5eed5eedULL), forged(rita.clock->node());
    BatchBuilder mixed(fresh, desk.random, desk.now_ms += 10);
    mixed.set(EntityKind::ticket, ticket, Field::ticket_urgency, std::string("high"));
    Batch refused = mixed.finish();
    BatchBuilder tail(forged, desk.random, desk.now_ms += 10);
    tail.set(EntityKind::ticket, ticket, Field::ticket_impact, std::string("high"));
    for (Op& op : tail.finish().ops) refused.ops.push_back(std::move(op));

    PushRequest req;
    req.batches.emplace_back(desk.set_field(tess, ticket, Field::ticket_priority, std::string("high")));
    req.batches.emplace_back(refused);
    req.batches.emplace_back(desk.comment(tess, ticket, "public_reply", "on it"));
    int woken = 0;
    bool woken_in_transaction = true;
    desk.notifier.subscribe(rita.caller.user, false, desk.notifier.published(), [&] {
        ++woken;
        woken_in_transaction = sqlite3_get_autocommit(desk.storage->db().handle()) == 0;
    });
    auto pushed = desk.service->push(tess.caller, std::move(req));
    REQUIRE(pushed.ok());
    const auto& results = pushed.value().batches;
    REQUIRE(results.size() == 3);
    CHECK(results[0].outcome == OpOutcome::accepted);
    CHECK(results[1].outcome == OpOutcome::rejected);
    REQUIRE(results[1].error.has_value());
    CHECK(results[1].error->code == "node_taken");
    CHECK(results[2].outcome == OpOutcome::accepted);
    CHECK(results[2].ops.front().seq > results[0].ops.back().seq);
    for (const Op& op : refused.ops) CHECK_FALSE(desk.store->find_op(op.op_id).value().has_value());
    CHECK(desk.store->op_count().value() == before + 1 + 4);
    CHECK(pushed.value().high_water == desk.store->high_water().value());
    CHECK(woken == 1);
    CHECK_FALSE(woken_in_transaction);
    CHECK(desk.notifier.published() == pushed.value().high_water);

    // The fresh node was not left bound to Tess: Rita's device may still claim it.
    BatchBuilder claim(fresh, desk.random, desk.now_ms += 10);
    const EntityId reply = claim.new_entity_id();
    claim.set(EntityKind::comment, reply, Field::comment_ticket, ticket)
        .set(EntityKind::comment, reply, Field::comment_kind, std::string("public_reply"))
        .set(EntityKind::comment, reply, Field::comment_author, rita.caller.user)
        .set(EntityKind::comment, reply, Field::comment_body, std::string("thanks"));
    BatchResult claimed = desk.push(rita, desk.sealed(claim.finish()));
    CAPTURE(claimed.error ? claimed.error->code : "");
    CHECK(claimed.outcome == OpOutcome::accepted);
}
