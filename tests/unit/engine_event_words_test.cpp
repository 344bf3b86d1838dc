// engine_event_words_test.cpp — what a requester reads of the help desk's automatic events
// (client/engine/system_event_words.h): plain sentences for assignment, queueing, a paused clock, a breach
// and a reassignment; nothing for priority and due-date notes (the header shows those) or for
// rules it does not know; never a technician's id or load.
#include <doctest/doctest.h>

#include "engine/system_event_words.h"

using lb::engine::event_rule;
using lb::engine::requester_words_for_event;

TEST_CASE("event words: the rule is read from the body; requesters get plain sentences or nothing") {
    CHECK(event_rule("[sla.due_dates] first response by …") == "sla.due_dates");
    CHECK(event_rule("no rule here").empty());
    CHECK(event_rule("[unterminated").empty());

    const std::string assigned = requester_words_for_event(
        "[dispatch.onsite_same_site] assigned to 010e92f5de09196043c13aa69676f4b9; skill hardware; load 0 -> 2");
    CHECK(assigned == "A technician has been assigned to your ticket.");
    CHECK(assigned.find("010e92") == std::string::npos);
    CHECK(requester_words_for_event("[dispatch.no_skill] no technician has the skill printing; team queue")
          .find("queue") != std::string::npos);
    CHECK(requester_words_for_event("[sla.paused] waiting on requester").find("paused") != std::string::npos);
    CHECK(requester_words_for_event("[sla.resolution.breached] 100% of 960 minutes used").find("escalated") !=
          std::string::npos);
    CHECK(requester_words_for_event("[escalation.reassign_away] assignee out of office").find("another technician") !=
          std::string::npos);

    for (const char* hidden : {"[sla.due_dates] first response by 2026-11-27 12:30", "[priority.matrix] high x medium",
                               "[priority.untriaged] impact or urgency not set", "[sla.first_response.at_risk] 75%",
                               "[some.future_rule] detail", "plain text without a rule"})
        CHECK(requester_words_for_event(hidden).empty());
}
