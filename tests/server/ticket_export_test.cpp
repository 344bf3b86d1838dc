// ticket_export_test.cpp — `lifebuoy-server export`: CSV fields quoted per RFC 4180 and neutralised
// against spreadsheet formulas, UTC timestamps, the whole text, and the rows the store reads
// (names joined, SLA start, deleted tickets left out, numbered ones in order).
// Not here: the command line (tests/integration/admin_cli.test.mjs runs it on the real binary).
#include <doctest/doctest.h>

#include "server_test_support.h"
#include "ticket_export.h"
#include "triage_test_support.h"
#include "utc_text.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

TEST_CASE("export: CSV fields are quoted when needed and never run as formulas") {
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\nlines") == "\"two\nlines\"");
    CHECK(csv_field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(csv_field("+1") == "'+1");
    CHECK(csv_field("-2") == "'-2");
    CHECK(csv_field("@sum") == "'@sum");
    CHECK(csv_field("\tx") == "'\tx");
    CHECK(csv_field("Ann-Marie") == "Ann-Marie");  // only the first character matters
}

TEST_CASE("export: timestamps are UTC, to the second") {
    CHECK(utc_timestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(utc_timestamp(1'750'000'000'000) == "2025-06-15T15:06:40Z");
    CHECK(utc_timestamp(951'782'400'999) == "2000-02-29T00:00:00Z");  // a leap day, milliseconds dropped
    CHECK(utc_timestamp(-1) == "1969-12-31T23:59:59Z");
    CHECK(utc_minute(1'750'000'000'000) == "2025-06-15 15:06");  // the admin listings' form
    CHECK(utc_minute(-1) == "1969-12-31 23:59");
}

TEST_CASE("export: the text is the header and one CRLF line per row") {
    TicketExportRow r;
    r.id = *id128_from_hex("0123456789abcdef0123456789abcdef");
    r.number = 7;
    r.status = "assigned";
    r.priority = "p3";
    r.category = "network";
    r.impact = "low";
    r.urgency = "high";
    r.team = "service_desk";
    r.site = "london";
    r.requester = *id128_from_hex("11111111111111111111111111111111");
    r.requester_name = "Rita, from Sales";
    r.assignee = *id128_from_hex("22222222222222222222222222222222");
    r.assignee_name = "Omar Okafor";
    r.filed_at_ms = 1'750'000'000'000;
    r.updated_seq = 42;
    TicketExportRow unnumbered;
    unnumbered.id = *id128_from_hex("ffffffffffffffffffffffffffffffff");
    unnumbered.requester = r.requester;
    const std::string csv = tickets_csv({r, unnumbered});
    CHECK(csv == std::string(kTicketExportHeader) + "\r\n" +
                     "7,0123456789abcdef0123456789abcdef,assigned,p3,network,low,high,service_desk,london,"
                     "11111111111111111111111111111111,\"Rita, from Sales\",22222222222222222222222222222222,"
                     "Omar Okafor,2025-06-15T15:06:40Z,,42\r\n" +
                     ",ffffffffffffffffffffffffffffffff,,,,,,,,11111111111111111111111111111111,,,,,,0\r\n");
}

TEST_CASE("export: the store's rows carry names and the SLA start, in ticket-number order") {
    Desk desk({}, "export", test_triage_config());
    Person rita = desk.enrol(Role::requester, "Rita");
    EntityId first, second;
    REQUIRE(desk.push(rita, desk.new_ticket(rita, first, "VPN drops")).outcome == OpOutcome::accepted);
    REQUIRE(desk.push(rita, desk.new_ticket(rita, second, "Printer jam")).outcome == OpOutcome::accepted);
    auto rows = desk.service->export_tickets();
    REQUIRE(rows.ok());
    REQUIRE(rows.value().size() == 2);
    CHECK(rows.value()[0].id == first);
    CHECK(rows.value()[0].number == 1);
    CHECK(rows.value()[1].number == 2);
    for (const TicketExportRow& r : rows.value()) {
        CHECK(r.requester == rita.caller.user);
        CHECK(r.requester_name == "Rita");
        CHECK(r.filed_at_ms.has_value());  // the triage clock started when it was filed
        CHECK_FALSE(r.status.empty());
        if (r.assignee) CHECK_FALSE(r.assignee_name.empty());  // a roster technician, by name
    }
    const std::string csv = tickets_csv(rows.value());
    CHECK(csv.find("VPN drops") == std::string::npos);  // metadata only: ticket text is never exported
}
