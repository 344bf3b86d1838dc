// device_revoke_test.cpp — the admin's device commands: list-devices shows every device with its
// owner, role, label and platform; revoke-device signs exactly one device out (device_revoked on
// its next call, also for a token a repeated enrolment issued), leaves the person's other devices
// working, records the revocation in the log for the owner's devices, and is idempotent.
#include <doctest/doctest.h>

#include <algorithm>

#include "lifebuoy/crypto/keys.h"
#include "server_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

bool log_says_revoked(const std::vector<Op>& ops, const EntityId& device) {
    return std::any_of(ops.begin(), ops.end(), [&](const Op& op) {
        const auto* flag = std::get_if<bool>(&op.value);
        return op.entity == EntityKind::device && op.entity_id == device && op.field == Field::device_revoked && flag &&
               *flag;
    });
}

}  // namespace

TEST_CASE("revoke-device signs one device out, the person's other devices keep working") {
    Desk desk({}, "revoke");
    // Gail signs in on a laptop (with its key, label and platform) and on a phone.
    EnrollRequest laptop_req;
    laptop_req.guest = true;
    laptop_req.display_name = "Gail";
    laptop_req.enrolment_id = std::string(32, 'a');
    laptop_req.public_key = crypto::public_key_to_text(crypto::generate_key_pair(desk.random).public_key);
    laptop_req.device_label = "Gail's laptop";
    laptop_req.platform = "linux";
    auto laptop = desk.service->enroll(laptop_req, true);
    REQUIRE(laptop.ok());
    Person tess = desk.enrol(Role::technician, "Tess");

    auto listed = desk.service->list_devices();
    REQUIRE(listed.ok());
    REQUIRE(listed.value().size() == 2);
    const DeviceListing& first = listed.value()[0];
    CHECK(first.id == laptop.value().device);
    CHECK(first.display_name == "Gail");
    CHECK(first.role == Role::guest);
    CHECK(first.label == "Gail's laptop");
    CHECK(first.platform == "linux");
    CHECK(first.created_at_ms == static_cast<std::int64_t>(kStartMs));
    CHECK_FALSE(first.revoked);
    CHECK(listed.value()[1].display_name == "Tess");
    CHECK(listed.value()[1].label.empty());

    // A repeated enrolment (its first answer lost) holds a second token for the same device.
    auto repeat = desk.service->enroll(laptop_req, true);
    REQUIRE(repeat.ok());
    REQUIRE(repeat.value().device == laptop.value().device);

    SUBCASE("bad or unknown ids are refused with a reason") {
        CHECK(desk.service->revoke_device("abc").error().code == "bad_request");  // too short
        CHECK(desk.service->revoke_device("not-hex-at-all!").error().code == "bad_request");
        CHECK(desk.service->revoke_device(std::string(32, '0')).error().code == "not_found");
        CHECK(desk.service->authenticate(laptop.value().device_token).ok());
    }

    SUBCASE("revoked by its full id (or an 8-digit prefix): device_revoked on every token") {
        const std::string id = to_hex(laptop.value().device);
        auto revoked = desk.service->revoke_device(id.substr(0, 8));
        REQUIRE(revoked.ok());
        CHECK_FALSE(revoked.value().already);
        CHECK(revoked.value().device.id == laptop.value().device);
        CHECK(revoked.value().device.revoked);
        CHECK(desk.service->authenticate(laptop.value().device_token).error().code == "device_revoked");
        CHECK(desk.service->authenticate(repeat.value().device_token).error().code == "device_revoked");
        CHECK(desk.service->enroll(laptop_req, true).error().code == "device_revoked");  // no way back in by repeating
        CHECK(desk.service->authenticate(tess.token).ok());                              // everyone else unaffected
        // The help desk's devices see the revocation in the log (a system op).
        CHECK(log_says_revoked(desk.pull_all(tess), laptop.value().device));
        auto again = desk.service->revoke_device(id);
        REQUIRE(again.ok());
        CHECK(again.value().already);
        auto after = desk.service->list_devices();
        REQUIRE(after.ok());
        CHECK(after.value()[0].revoked);
        CHECK_FALSE(after.value()[1].revoked);
        CHECK(desk.service->gauges().enrolled_devices == 1);
    }

    SUBCASE("a device without a key in the log is signed out by its row alone") {
        auto revoked = desk.service->revoke_device(to_hex(tess.caller.device));
        REQUIRE(revoked.ok());
        CHECK(desk.service->authenticate(tess.token).error().code == "device_revoked");
        CHECK(desk.service->authenticate(laptop.value().device_token).ok());
    }
}

TEST_CASE("user list and disable: everyone with device counts, disabling signs out only that person") {
    Desk desk({}, "users");
    Person rita = desk.enrol(Role::requester, "Rita");
    Person rita_phone = desk.enrol(Role::requester, "Rita");  // another Rita: names can repeat
    Person omar = desk.enrol(Role::technician, "Omar");
    auto find = [&](const EntityId& id) {
        auto users = desk.service->list_users();
        REQUIRE(users.ok());
        for (const UserListing& l : users.value())
            if (l.user.id == id) return l;
        FAIL("no such user");
        return UserListing{};
    };
    CHECK(find(omar.caller.user).user.display_name == "Omar");
    CHECK(find(omar.caller.user).active_devices == 1);
    CHECK_FALSE(find(omar.caller.user).disabled_at_ms.has_value());

    auto ambiguous = desk.service->set_user_disabled("Rita", true);
    REQUIRE_FALSE(ambiguous.ok());
    CHECK(ambiguous.error().code == "ambiguous_name");
    CHECK(desk.service->set_user_disabled("Nobody", true).error().code == "not_found");

    auto off = desk.service->set_user_disabled("Omar", true);
    REQUIRE(off.ok());
    CHECK(off.value().user.id == omar.caller.user);
    CHECK(desk.service->authenticate(omar.token).error().code == "device_revoked");
    CHECK(desk.service->authenticate(rita.token).ok());  // the others keep working
    CHECK(desk.service->authenticate(rita_phone.token).ok());
    CHECK(find(omar.caller.user).disabled_at_ms == static_cast<std::int64_t>(desk.now_ms));
    CHECK(find(omar.caller.user).active_devices == 0);
    CHECK(find(omar.caller.user).devices == 1);
    CHECK(desk.service->set_user_disabled("Omar", true).value().already);
    // No invite for a disabled person (a roster technician's sign-in link).
    auto invite = desk.service->create_invite(Role::technician, "Omar", omar.caller.user);
    REQUIRE_FALSE(invite.ok());
    CHECK(invite.error().code == "user_disabled");
    // Enabled again: an invite for them works, and enrols them as themself.
    REQUIRE(desk.service->set_user_disabled(to_hex(omar.caller.user), false).ok());
    auto again = desk.service->create_invite(Role::technician, "Omar", omar.caller.user);
    REQUIRE(again.ok());
    EnrollRequest req;
    req.invite = again.value().normalised;
    auto enrolled = desk.service->enroll(req, true);
    REQUIRE(enrolled.ok());
    CHECK(enrolled.value().user == omar.caller.user);
}
