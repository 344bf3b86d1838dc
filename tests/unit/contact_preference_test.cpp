// contact_preference_test.cpp — the number or address that goes with "how should we reach you?"
// (lifebuoy/contact_preference.h), and the ticket's contact fields on the device: the preference
// and its detail stored, the detail sealed like ticket text (the server never reads a phone
// number), a call without a number refused in words a person can act on, a new preference
// replacing the old detail, a guest's e-mail preference allowed.
// Not here: the form (client/ui/ticket_form.cpp), the lifecycle matrix (lifecycle_test.cpp).
#include <doctest/doctest.h>

#include "engine_sync_test_support.h"
#include "lifebuoy/contact_preference.h"
#include "lifebuoy/crypto/sealed_text.h"

using nlohmann::json;
using lb::ContactPreference;
using lb::check_contact_detail;
using lb::test::FakeSyncServer;
using lb::test::TestDevice;

TEST_CASE("contact detail: what each preference needs") {
    CHECK(check_contact_detail(ContactPreference::portal, "").value().empty());
    CHECK(check_contact_detail(ContactPreference::portal, "  ").value().empty());
    CHECK(check_contact_detail(ContactPreference::portal, "+44 1").error().code == "bad_contact");

    CHECK(check_contact_detail(ContactPreference::email, "").value().empty());  // the account's address
    CHECK(check_contact_detail(ContactPreference::email, " rita@example.com ").value() == "rita@example.com");
    for (const char* bad : {"rita", "rita@", "@example.com", "rita@example", "rita@@example.com", "rita @example.com",
                            "rita@example.", "rita@.com"}) {
        CAPTURE(bad);
        CHECK(check_contact_detail(ContactPreference::email, bad).error().code == "bad_contact");
    }

    const auto missing = check_contact_detail(ContactPreference::phone, "");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "Add the phone number to call");
    for (const char* good : {"+44 20 7946 0000", "(212) 555-0147", "0049/30/901820", "555.0147.22"}) {
        CAPTURE(good);
        CHECK(check_contact_detail(ContactPreference::phone, good).value() == good);
    }
    for (const char* bad : {"12345", "call reception", "+44 20 7946 0000 ext", "1234567890123456789012"}) {
        CAPTURE(bad);
        CHECK(check_contact_detail(ContactPreference::phone, bad).error().code == "bad_contact");
    }
    CHECK(check_contact_detail(ContactPreference::phone, std::string(300, '1')).error().code == "bad_contact");
    CHECK(check_contact_detail(ContactPreference::unknown, "").error().code == "bad_contact");
}

TEST_CASE("contact on a ticket: stored, the detail sealed, refusals in plain words, replaced on change") {
    TestDevice rita(1);
    json r = rita.call("create_ticket", {{"title", "Laptop will not start"}, {"description", "black screen"},
                                         {"urgency", "high"}, {"contact", "phone"}, {"contact_detail", " +44 20 7946 0000 "}});
    REQUIRE_MESSAGE(r["ok"] == true, r.dump());
    const std::string id = r["result"]["ticket_id"];
    json t = rita.call("get_ticket", {{"id", id}})["result"]["ticket"];
    CHECK(t["contact"] == "phone");
    CHECK(t["contact_detail"] == "+44 20 7946 0000");
    std::size_t sealed_details = 0;
    for (const lb::Op& op : rita.engine->replica().log()) {
        if (op.field == lb::Field::ticket_contact) CHECK(std::get<std::string>(op.value) == "phone");  // routing: plain
        if (op.field != lb::Field::ticket_contact_detail) continue;
        CHECK(lb::crypto::is_sealed_content_field(op.entity, op.field));
        const auto& text = std::get<std::string>(op.value);
        CHECK(text.rfind("sealed:", 0) == 0);
        CHECK(text.find("7946") == std::string::npos);
        ++sealed_details;
    }
    CHECK(sealed_details == 1);

    json no_number = rita.call("create_ticket", {{"title", "Printer"}, {"description", "jams"}, {"urgency", "low"},
                                                 {"contact", "phone"}});
    CHECK(no_number["error"]["code"] == "bad_arguments");
    CHECK(no_number["error"]["message"] == "Add the phone number to call");
    CHECK(rita.call("create_ticket", {{"title", "Printer"}, {"description", "jams"}, {"urgency", "low"},
                                      {"contact", "pigeon"}})["error"]["code"] == "bad_arguments");

    // Only an e-mail now: the number is cleared with the new preference.
    REQUIRE(rita.call("update_ticket", {{"id", id}, {"fields", {{"contact", "email"}}}})["ok"] == true);
    t = rita.call("get_ticket", {{"id", id}})["result"]["ticket"];
    CHECK(t["contact"] == "email");
    CHECK(t["contact_detail"] == "");
    CHECK(rita.call("update_ticket", {{"id", id}, {"fields", {{"contact_detail", "+1 212 555 0147"}}}})["error"]["code"] ==
          "bad_arguments");
    REQUIRE(rita.call("update_ticket", {{"id", id}, {"fields", {{"contact", "phone"}, {"contact_detail", "+1 212 555 0147"}}}})
                ["ok"] == true);
    CHECK(rita.call("get_ticket", {{"id", id}})["result"]["ticket"]["contact_detail"] == "+1 212 555 0147");

    // Without a preference, the portal.
    const std::string plain = rita.create("VPN drops");
    CHECK(rita.call("get_ticket", {{"id", plain}})["result"]["ticket"]["contact"] == "portal");
}

TEST_CASE("contact: a guest may ask for e-mail, the help desk reads the detail through the team key") {
    FakeSyncServer server;
    TestDevice tess(2), guest(3);
    REQUIRE(tess.call("enroll", {{"invite", "tech"}})["ok"] == true);
    tess.sync(server);
    REQUIRE(guest.call("enroll", {{"guest", true}, {"display_name", "Gus"}})["ok"] == true);
    json r = guest.call("create_ticket", {{"title", "Cannot log in to the shop"}, {"description", "reset link expired"},
                                          {"urgency", "medium"}, {"contact", "email"}, {"contact_detail", "gus@example.org"}});
    REQUIRE_MESSAGE(r["ok"] == true, r.dump());
    const std::string id = r["result"]["ticket_id"];
    lb::test::exchange(server, {&guest, &tess});
    json seen = tess.call("get_ticket", {{"id", id}})["result"]["ticket"];
    CHECK(seen["readable"] == true);
    CHECK(seen["contact"] == "email");
    CHECK(seen["contact_detail"] == "gus@example.org");
}
