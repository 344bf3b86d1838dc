// enrolment_repeat_test.cpp — enrolment is idempotent by the device's enrolment_id: a repeat
// whose first answer was lost gets the same user and device with a working token (the lost one
// stops working once the new one is used), a duplicate does not sign the device out, another
// enrolment_id with the used invite is invite_used, the id with another credential is
// enrolment_id_conflict, a guest repeat makes no second user, the window ends, it survives a
// restart, a revoked device is not revived, and repeats are counted in /metrics.
// Not here: the decoder (api_codec_test), HTTP (tests/integration/sync_api.test.mjs).
#include <doctest/doctest.h>

#include "server_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

constexpr const char* kEnrolmentId = "0123456789abcdef0123456789abcdef";
constexpr const char* kOtherEnrolmentId = "fedcba9876543210fedcba9876543210";

EnrollRequest invite_request(Desk& desk, Role role = Role::requester, const std::string& name = "Rita") {
    auto code = desk.service->create_invite(role, name);
    REQUIRE(code.ok());
    EnrollRequest req;
    req.invite = code.value().normalised;
    req.enrolment_id = kEnrolmentId;
    return req;
}

std::int64_t count(Desk& desk, const std::string& sql) {
    auto n = desk.storage->db().query_int(sql);
    REQUIRE(n.ok());
    return n.value();
}

}  // namespace

TEST_CASE("enrolment repeat: a lost answer's retry gets the same user and device and a working token") {
    Desk desk;
    EnrollRequest req = invite_request(desk, Role::technician, "Tess");
    auto lost = desk.service->enroll(req, false);  // committed; the answer never reached the device
    REQUIRE(lost.ok());
    desk.now_ms += 5 * 60 * 1000;
    auto again = desk.service->enroll(req, false);
    REQUIRE(again.ok());
    CHECK(again.value().user == lost.value().user);
    CHECK(again.value().device == lost.value().device);
    CHECK(again.value().node == lost.value().node);
    CHECK(again.value().role == Role::technician);
    CHECK(again.value().display_name == "Tess");
    CHECK(again.value().device_token != lost.value().device_token);
    CHECK(again.value().device_token.size() == 64);

    auto caller = desk.service->authenticate(again.value().device_token);
    REQUIRE(caller.ok());
    CHECK(caller.value().device == lost.value().device);
    CHECK(caller.value().user == lost.value().user);
    CHECK(caller.value().role == Role::technician);
    // The lost answer's token is revoked now that the device uses the new one.
    CHECK(desk.service->authenticate(lost.value().device_token).error().code == "unauthenticated");
    CHECK(desk.service->authenticate(again.value().device_token).ok());

    CHECK(count(desk, "SELECT COUNT(*) FROM users WHERE role = 'technician'") == 1);
    CHECK(count(desk, "SELECT COUNT(*) FROM devices") == 1);
    CHECK(count(desk, "SELECT repeats FROM enrolments") == 1);
    CHECK(count(desk, "SELECT COUNT(*) FROM reissued_tokens") == 0);
    // Only hashes are stored, for repeats too.
    CHECK(count(desk, "SELECT COUNT(*) FROM devices WHERE token_hash = '" + again.value().device_token + "'") == 0);
    const std::string metrics = desk.metrics.render(desk.service->gauges());
    CHECK(metrics.find("lifebuoy_enrolment_repeats_total 1") != std::string::npos);
    CHECK(metrics.find("lifebuoy_enrolments_total{role=\"technician\"} 1") != std::string::npos);

    // The device works as itself: its ticket is its user's.
    Person tess{caller.value(), again.value().device_token, std::make_unique<HybridClock>(again.value().node)};
    EntityId ticket;
    CHECK(desk.push(tess, desk.new_ticket(tess, ticket)).outcome == OpOutcome::accepted);
}

TEST_CASE("enrolment repeat: a duplicated request does not sign out the device that got the first answer") {
    Desk desk;
    EnrollRequest req = invite_request(desk);
    auto delivered = desk.service->enroll(req, false);
    auto duplicate = desk.service->enroll(req, false);  // its answer goes nowhere
    REQUIRE(delivered.ok());
    REQUIRE(duplicate.ok());
    CHECK(duplicate.value().device == delivered.value().device);
    REQUIRE(desk.service->authenticate(delivered.value().device_token).ok());
    CHECK(desk.service->authenticate(duplicate.value().device_token).error().code == "unauthenticated");
    CHECK(desk.service->authenticate(delivered.value().device_token).ok());

    SUBCASE("a late copy after the device already works is harmless too") {
        auto late = desk.service->enroll(req, false);
        REQUIRE(late.ok());
        CHECK(desk.service->authenticate(delivered.value().device_token).ok());
        CHECK(desk.service->authenticate(late.value().device_token).error().code == "unauthenticated");
    }
    SUBCASE("several lost answers: whichever token is used first wins") {
        std::vector<std::string> tokens;
        for (int i = 0; i < 3; ++i) tokens.push_back(desk.service->enroll(req, false).value().device_token);
        REQUIRE(desk.service->authenticate(tokens[1]).ok());
        for (const std::string& t : {tokens[0], tokens[2], delivered.value().device_token})
            CHECK(desk.service->authenticate(t).error().code == "unauthenticated");
        CHECK(desk.service->authenticate(tokens[1]).ok());
    }
    SUBCASE("at most kMaxReissuedTokens unused repeat tokens wait; the oldest go") {
        std::vector<std::string> tokens;
        for (std::size_t i = 0; i < kMaxReissuedTokens + 2; ++i)
            tokens.push_back(desk.service->enroll(req, false).value().device_token);
        CHECK(count(desk, "SELECT COUNT(*) FROM reissued_tokens") == static_cast<std::int64_t>(kMaxReissuedTokens));
        CHECK(desk.service->authenticate(tokens[0]).error().code == "unauthenticated");
        CHECK(desk.service->authenticate(tokens.back()).ok());
    }
}

TEST_CASE("enrolment repeat: another enrolment_id, or none, with a used invite is still invite_used") {
    Desk desk;
    EnrollRequest req = invite_request(desk);
    REQUIRE(desk.service->enroll(req, false).ok());
    EnrollRequest other = req;
    other.enrolment_id = kOtherEnrolmentId;
    CHECK(desk.service->enroll(other, false).error().code == "invite_used");
    other.enrolment_id.reset();
    CHECK(desk.service->enroll(other, false).error().code == "invite_used");
    CHECK(count(desk, "SELECT COUNT(*) FROM devices") == 1);
}

TEST_CASE("enrolment repeat: the enrolment_id with another credential is enrolment_id_conflict") {
    Desk desk;
    REQUIRE(desk.service->set_guest_policy("on").ok());
    EnrollRequest req = invite_request(desk);
    auto first = desk.service->enroll(req, false);
    REQUIRE(first.ok());

    EnrollRequest other_invite = invite_request(desk);  // a valid, unused invite, the same enrolment_id
    auto refused = desk.service->enroll(other_invite, false);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "enrolment_id_conflict");
    CHECK(api_http_status(refused.error().code) == 409);
    EnrollRequest as_guest;
    as_guest.guest = true;
    as_guest.enrolment_id = kEnrolmentId;
    CHECK(desk.service->enroll(as_guest, false).error().code == "enrolment_id_conflict");
    // Nothing was used or created by the refusals; the other invite still works with its own id.
    other_invite.enrolment_id = kOtherEnrolmentId;
    CHECK(desk.service->enroll(other_invite, false).ok());
    CHECK(count(desk, "SELECT COUNT(*) FROM devices") == 2);

    SUBCASE("a guest's repeat must give the same name") {
        EnrollRequest gail;
        gail.guest = true;
        gail.display_name = "Gail";
        gail.enrolment_id = std::string(32, 'b');
        REQUIRE(desk.service->enroll(gail, false).ok());
        gail.display_name = "Mallory";
        CHECK(desk.service->enroll(gail, false).error().code == "enrolment_id_conflict");
    }
}

TEST_CASE("enrolment repeat: a guest's retry makes no second user or device") {
    Desk desk;
    EnrollRequest gail;
    gail.guest = true;
    gail.display_name = "Gail";
    gail.enrolment_id = kEnrolmentId;
    auto lost = desk.service->enroll(gail, true);
    REQUIRE(lost.ok());
    const std::int64_t ops = desk.store->op_count().value();
    auto again = desk.service->enroll(gail, true);
    REQUIRE(again.ok());
    CHECK(again.value().user == lost.value().user);
    CHECK(again.value().device == lost.value().device);
    CHECK(again.value().role == Role::guest);
    CHECK(again.value().display_name == "Gail");
    CHECK(count(desk, "SELECT COUNT(*) FROM users WHERE role = 'guest'") == 1);
    CHECK(count(desk, "SELECT COUNT(*) FROM devices") == 1);
    CHECK(desk.store->op_count().value() == ops);  // no second user in the log either
    REQUIRE(desk.service->authenticate(again.value().device_token).ok());
    CHECK(desk.service->authenticate(lost.value().device_token).error().code == "unauthenticated");

    SUBCASE("without an enrolment_id every guest enrolment is a new guest (older devices)") {
        gail.enrolment_id.reset();
        auto first = desk.service->enroll(gail, true);
        auto second = desk.service->enroll(gail, true);
        REQUIRE(first.ok());
        REQUIRE(second.ok());
        CHECK(first.value().user != second.value().user);
    }
}

TEST_CASE("enrolment repeat: the window ends, an invite is then used, a guest is a new guest") {
    Desk desk;
    EnrollRequest req = invite_request(desk);
    auto first = desk.service->enroll(req, false);
    REQUIRE(first.ok());
    EnrollRequest gail;
    gail.guest = true;
    gail.display_name = "Gail";
    gail.enrolment_id = kOtherEnrolmentId;
    auto guest_first = desk.service->enroll(gail, true);
    REQUIRE(guest_first.ok());

    desk.now_ms += static_cast<std::uint64_t>(kEnrolmentRepeatWindowMs);  // the last moment it repeats
    CHECK(desk.service->enroll(req, false).value().device == first.value().device);
    desk.now_ms += 1;
    CHECK(desk.service->enroll(req, false).error().code == "invite_used");
    auto guest_late = desk.service->enroll(gail, true);
    REQUIRE(guest_late.ok());
    CHECK(guest_late.value().user != guest_first.value().user);
    // The late guest enrolment is the id's enrolment now: its own repeats answer it.
    auto guest_again = desk.service->enroll(gail, true);
    REQUIRE(guest_again.ok());
    CHECK(guest_again.value().device == guest_late.value().device);
}

TEST_CASE("enrolment repeat: survives a restart, never revives a revoked device") {
    Desk desk;
    EnrollRequest req = invite_request(desk);
    auto first = desk.service->enroll(req, false);
    REQUIRE(first.ok());
    desk.reopen();
    auto again = desk.service->enroll(req, false);
    REQUIRE(again.ok());
    CHECK(again.value().device == first.value().device);
    REQUIRE(desk.service->authenticate(again.value().device_token).ok());

    REQUIRE(desk.storage->db().exec("UPDATE devices SET revoked = 1").ok());  // the help desk signed it out
    CHECK(desk.service->enroll(req, false).error().code == "device_revoked");
    CHECK(desk.service->authenticate(again.value().device_token).error().code == "device_revoked");
}
