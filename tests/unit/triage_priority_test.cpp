// triage_priority_test.cpp — the impact × urgency matrix (table tests), its JSON configuration and
// validation errors, and a technician's override with its reason, through authorize_batch into the
// ticket's history.
#include <doctest/doctest.h>

#include <string>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/triage/automation_ops.h"
#include "lifebuoy/triage/config.h"
#include "lifebuoy/triage/priority.h"
#include "lifebuoy/views.h"
#include "shared_test_support.h"

using namespace lb;
using namespace lb::triage;

namespace {

const EntityId kTech{0, 0x7EC};
const EntityId kRequester{0, 0x111};
const EntityId kServer{0, 0x5E};

struct Cell {
    Impact impact;
    Urgency urgency;
    Priority priority;
    const char* label;
};
// The ITIL matrix, written out independently of domain.cpp.
constexpr Cell kItil[] = {
    {Impact::high, Urgency::high, Priority::critical, "P1 Critical"},
    {Impact::high, Urgency::medium, Priority::high, "P2 High"},
    {Impact::high, Urgency::low, Priority::medium, "P3 Medium"},
    {Impact::medium, Urgency::high, Priority::high, "P2 High"},
    {Impact::medium, Urgency::medium, Priority::medium, "P3 Medium"},
    {Impact::medium, Urgency::low, Priority::low, "P4 Low"},
    {Impact::low, Urgency::high, Priority::medium, "P3 Medium"},
    {Impact::low, Urgency::medium, Priority::low, "P4 Low"},
    {Impact::low, Urgency::low, Priority::planning, "P5 Planning"},
};

const char* kCustomMatrix = R"({"priority_matrix": {
    "high":   {"high": "critical", "medium": "critical", "low": "high"},
    "medium": {"high": "high",     "medium": "medium",   "low": "low"},
    "low":    {"high": "medium",   "medium": "low",      "low": "planning"}}})";

std::string code_of(std::string_view json) {
    auto r = parse_triage_config(json);
    return r ? "ok" : r.error().code;
}

}  // namespace

TEST_CASE("triage priority: the default matrix is ITIL, cell by cell") {
    const PriorityMatrix m = default_priority_matrix();
    for (const Cell& c : kItil) {
        CAPTURE(to_name(c.impact));
        CAPTURE(to_name(c.urgency));
        CHECK(m.at(c.impact, c.urgency) == c.priority);
        CHECK(priority_label(m.at(c.impact, c.urgency)) == c.label);
    }
    CHECK(m.at(Impact::unknown, Urgency::high) == Priority::unknown);
    CHECK(m.at(Impact::high, Urgency::unknown) == Priority::unknown);
    CHECK(validate_priority_matrix(m).ok());
    CHECK(priority_rank(Priority::critical) == 1);
    CHECK(priority_rank(Priority::planning) == 5);
    CHECK(priority_rank(Priority::unknown) == 0);
}

TEST_CASE("triage priority: a matrix from JSON, and every way it can be wrong") {
    auto config = parse_triage_config(kCustomMatrix);
    REQUIRE(config.ok());
    CHECK(config.value().matrix.at(Impact::high, Urgency::medium) == Priority::critical);
    CHECK(config.value().matrix.at(Impact::low, Urgency::low) == Priority::planning);
    // Sections left out keep their defaults.
    CHECK(config.value().sla == default_sla_policy());
    auto empty = parse_triage_config("{}");
    REQUIRE(empty.ok());
    CHECK(empty.value().matrix == default_priority_matrix());

    CHECK(code_of("not json") == "malformed_config");
    CHECK(code_of("[1]") == "wrong_type");
    CHECK(code_of(std::string(40, '[') + std::string(40, ']')) == "malformed_config");
    CHECK(code_of(R"({"priority_matrix": {"high": {"high": "critical"}}})") == "missing_entry");
    CHECK(code_of(R"({"priority_matix": {}})") == "unknown_name");  // a typo is not ignored
    std::string bad = kCustomMatrix;
    CHECK(code_of(std::string(bad).replace(bad.find("\"planning\""), 10, "\"someday\"")) == "unknown_name");
    CHECK(code_of(std::string(bad).replace(bad.find("\"planning\""), 10, "5")) == "wrong_type");
    // low impact × high urgency above high impact × high urgency: not monotonic.
    std::string upside = R"({"priority_matrix": {
        "high":   {"high": "high",     "medium": "high",   "low": "medium"},
        "medium": {"high": "high",     "medium": "medium", "low": "low"},
        "low":    {"high": "critical", "medium": "low",    "low": "planning"}}})";
    auto r = parse_triage_config(upside);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "non_monotonic");
    CHECK(r.error().message.find("priority_matrix.") == 0);
}

TEST_CASE("triage priority: SLA and escalation sections validate too") {
    CHECK(code_of(R"({"escalation": {"at_risk_fraction": 1.5}})") == "bad_value");
    CHECK(code_of(R"({"escalation": {"at_risk_fraction": 0.8}})") == "ok");
    CHECK(code_of(R"({"sla": {"critical": {"first_response_minutes": 30, "resolution_minutes": 240}}})") ==
          "missing_entry");
    const std::string sla = R"({"sla": {
        "critical": {"first_response_minutes": 15, "resolution_minutes": 120, "clock": "continuous"},
        "high":     {"first_response_minutes": 30, "resolution_minutes": 480},
        "medium":   {"first_response_minutes": 60, "resolution_minutes": 960},
        "low":      {"first_response_minutes": 240, "resolution_minutes": 2400},
        "planning": {"first_response_minutes": 480, "resolution_minutes": 4800}}})";
    auto r = parse_triage_config(sla);
    REQUIRE(r.ok());
    CHECK(r.value().sla.target(Priority::critical).mode == SlaClockMode::continuous);
    CHECK(r.value().sla.target(Priority::high).resolution_minutes == 480);
    CHECK(r.value().sla.target(Priority::unknown).resolution_minutes == 960);  // untriaged as medium
    std::string negative = sla;
    negative.replace(negative.find("480}"), 3, "-10");
    CHECK(code_of(negative) == "bad_value");
}

TEST_CASE("triage priority: a technician's override, with its reason, lands in the history") {
    test::Desk desk;
    const EntityId ticket = desk.ticket(kRequester, TicketStatus::assigned, "Laptop will not boot");
    {
        auto b = desk.builder();
        b.set(EntityKind::ticket, ticket, Field::ticket_priority, std::string("medium"));
        desk.must_apply(b.finish());
    }
    PriorityOverride o{Priority::medium, Priority::critical, "CEO's laptop, board meeting at 10:00"};
    auto b = desk.builder();
    REQUIRE(append_priority_override(b, ticket, kTech, o).ok());
    Batch batch = b.finish();
    REQUIRE(authorize_batch(Actor{kTech, Role::technician}, desk.replica, batch).ok());
    // A requester may not set the priority at all.
    CHECK(authorize_batch(Actor{kRequester, Role::requester}, desk.replica, batch).error().code == "forbidden");
    desk.must_apply(std::move(batch));

    CHECK(read_ticket(desk.replica, ticket)->priority == Priority::critical);
    const auto history = desk.replica.history(EntityKind::ticket, ticket, Field::ticket_priority);
    REQUIRE(history.size() == 2);  // the matrix's value stays in the history under the override
    CHECK(std::get<std::string>(history[0]->value) == "medium");
    CHECK(std::get<std::string>(history[1]->value) == "critical");
    const auto notes = read_comments(desk.replica, ticket, Role::technician);
    REQUIRE(notes.size() == 1);
    CHECK(notes[0].kind == CommentKind::internal_note);
    CHECK(notes[0].author == kTech);
    CHECK(notes[0].body == "Priority override: P3 Medium \u2192 P1 Critical. Reason: CEO's laptop, board meeting at 10:00");
    CHECK(read_comments(desk.replica, ticket, Role::requester).empty());  // internal

    auto no_reason = desk.builder();
    auto refused = append_priority_override(no_reason, ticket, kTech, {Priority::medium, Priority::low, "  \n"});
    CHECK(refused.error().code == "missing_reason");
    auto too_long = desk.builder();
    CHECK(append_priority_override(too_long, ticket, kTech,
                                   {Priority::medium, Priority::low, std::string(kMaxOverrideReasonBytes + 1, 'x')})
              .error()
              .code == "too_long");
    auto unknown = desk.builder();
    CHECK(append_priority_override(unknown, ticket, kTech, {Priority::medium, Priority::unknown, "why"})
              .error()
              .code == "bad_value");
}

TEST_CASE("triage priority: the server's assignment ops pass the edge as `system` and explain themselves") {
    test::Desk desk;
    const EntityId ticket = desk.ticket(kRequester, TicketStatus::new_, "VPN drops");
    auto b = desk.builder();
    EventNotes notes;
    append_assignment(b, Assignment{ticket, kTech, "dispatch.remote_least_load", "skill network_vpn; remote"},
                      TicketStatus::new_, notes);
    CHECK(notes.notes().empty());  // pending until its batch is stored
    notes.keep();
    REQUIRE(notes.notes().size() == 1);
    append_event_note(b, ticket, notes.notes()[0].body, kServer);
    Batch batch = b.finish();
    REQUIRE(authorize_batch(Actor{kServer, Role::system}, desk.replica, batch).ok());
    desk.must_apply(std::move(batch));
    const auto t = read_ticket(desk.replica, ticket);
    CHECK(t->status == TicketStatus::assigned);
    CHECK(t->assignee == kTech);
    const auto events = read_comments(desk.replica, ticket, Role::technician);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == CommentKind::system_event);
    CHECK(events[0].body.rfind("[dispatch.remote_least_load] assigned to ", 0) == 0);
}

TEST_CASE("triage notes: a pass's kept lines on one ticket are one system_event comment, in the order decided") {
    test::Desk desk;
    const EntityId first = desk.ticket(kRequester, TicketStatus::new_, "VPN drops");
    const EntityId second = desk.ticket(kRequester, TicketStatus::new_, "Printer jams");
    EventNotes notes;
    auto b = desk.builder();
    append_priority_decision(b, first, PriorityDecision{Priority::high, true, true, "priority.matrix", "high x high"}, notes);
    append_team_queue(b, Unassigned{second, "dispatch.no_skill", "nobody has printing"}, "service-desk",
                      TicketStatus::new_, notes);
    notes.keep();
    auto refused = desk.builder();  // a batch the table refused: its line is dropped with it
    const Escalation breach{first, std::nullopt, std::nullopt, SlaTargetKind::resolution, EscalationLevel::breached,
                            "sla.resolution.breached", "100%"};
    append_escalation_actions(refused, breach, Priority::high, std::nullopt, std::nullopt, notes);
    notes.drop();
    append_assignment(b, Assignment{first, kTech, "dispatch.remote_least_load", "load 0 -> 1"}, TicketStatus::new_, notes);
    notes.keep();
    REQUIRE(notes.notes().size() == 2);
    CHECK(notes.notes()[0].ticket == first);
    CHECK(notes.notes()[0].body == "[priority.matrix] high x high\n[dispatch.remote_least_load] assigned to " +
                                       to_hex(kTech) + "; load 0 -> 1");
    CHECK(notes.notes()[1].ticket == second);
    CHECK(notes.notes()[1].body == "[dispatch.no_skill] nobody has printing; waiting in the queue of team service-desk");
    for (const auto& note : notes.notes()) append_event_note(b, note.ticket, note.body, kServer);
    Batch batch = b.finish();
    REQUIRE(authorize_batch(Actor{kServer, Role::system}, desk.replica, batch).ok());
    desk.must_apply(std::move(batch));
    for (const EntityId& ticket : {first, second}) {
        const auto comments = read_comments(desk.replica, ticket, Role::technician);
        REQUIRE(comments.size() == 1);  // 4 ops, whatever the number of lines
        CHECK(comments[0].kind == CommentKind::system_event);
        CHECK(comments[0].author == kServer);
    }
}
