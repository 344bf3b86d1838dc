// engine_event_words_test.cpp — what a requester reads of the help desk's automatic events
// (client/engine/system_event_words.h): plain sentences for assignment, queueing, a paused clock, a breach
// and a reassignment; nothing for priority and due-date notes (the header shows those) or for
// rules it does not know; never a technician's id or load; a note of several lines as the sentences
// of its lines. The help desk reads the whole note with the people it names by name.
#include <doctest/doctest.h>

#include "engine/system_event_words.h"

using lb::engine::event_rule;
using lb::engine::help_desk_words_for_event;
using lb::engine::requester_words_for_event;

TEST_CASE("event words: the rule is read from the body, requesters get plain sentences or nothing") {
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

TEST_CASE("event words: a note of several lines reads as the sentences of its lines, each once") {
    // a new ticket's pass: priority, due dates (hidden) and dispatch, one note
    CHECK(requester_words_for_event("[priority.matrix] high x medium\n[sla.due_dates] first response by 12:30\n"
                                    "[dispatch.onsite_same_site] assigned to 010e92f5de09196043c13aa69676f4b9; load 0 -> 2") ==
          "A technician has been assigned to your ticket.");
    CHECK(requester_words_for_event("[priority.matrix] high x medium\n[sla.due_dates] first response by 12:30").empty());
    // an escalation pass: two thresholds (one sentence, said once) and a reassignment
    CHECK(requester_words_for_event("[sla.first_response.breached] 100%\n[sla.resolution.breached] 100%\n"
                                    "[escalation.reassign_away] out of office") ==
          "Your ticket is taking longer than the help desk's target; it has been escalated. "
          "Your ticket has been passed to another technician.");
    CHECK(requester_words_for_event("\n\n[sla.paused] waiting on requester\n").find("paused") != std::string::npos);
    CHECK(requester_words_for_event("\n").empty());
}

TEST_CASE("event words: the help desk reads the whole note, with the people it names by name") {
    const std::string omar = "b8f52bc2995a7edb084cb4e19cc5c0bd", lead = "0123456789abcdef0123456789abcdef";
    auto name_of = [&](std::string_view id) -> std::string {
        if (id == omar) return "Omar Okafor";
        if (id == lead) return "Lee Team-Lead";
        return "";
    };
    CHECK(help_desk_words_for_event("[dispatch.onsite_same_site] assigned to " + omar +
                                        "; skill hardware; onsite at london; load 0 -> 1",
                                    name_of) ==
          "[dispatch.onsite_same_site] assigned to Omar Okafor; skill hardware; onsite at london; load 0 -> 1");
    CHECK(help_desk_words_for_event("[sla.resolution.breached] 100% used; escalated to " + lead, name_of) ==
          "[sla.resolution.breached] 100% used; escalated to Lee Team-Lead");
    // Someone this device does not know: the id stays (the note still says who, just not by name).
    const std::string stranger = "ffffffffffffffffffffffffffffffff";
    CHECK(help_desk_words_for_event("[dispatch.remote_least_load] assigned to " + stranger + "; load 1 -> 2", name_of) ==
          "[dispatch.remote_least_load] assigned to " + stranger + "; load 1 -> 2");
    // Not an id: too short, too long, upper case, or no id at all — the text is left alone.
    for (const std::string& text :
         {std::string("[dispatch.x] assigned to b8f52bc2"), "[dispatch.x] assigned to " + omar + "0",
          std::string("[dispatch.x] assigned to B8F52BC2995A7EDB084CB4E19CC5C0BD"),
          std::string("[priority.matrix] high x medium"), std::string("assigned to "), std::string("")})
        CHECK(help_desk_words_for_event(text, name_of) == text);
    // Both markers, twice.
    CHECK(help_desk_words_for_event("assigned to " + omar + ", escalated to " + lead + ", assigned to " + omar, name_of) ==
          "assigned to Omar Okafor, escalated to Lee Team-Lead, assigned to Omar Okafor");
}
