// triage/dispatch.h — automatic assignment of open tickets to technicians, on metadata only
// (category, site, priority, dates — never ticket text, which the server can not read).
//
// Rules, in order (each decision names the rule that fired and why, for the ticket's history):
//  1. Skills: the technician has the ticket's category among their skills, or the wildcard "*".
//     A ticket without a category needs a "*" technician.
//  2. Site: onsite work (WorkMode::onsite) needs a technician of the same site who works onsite;
//     remote work goes to technicians who work remotely, at any site.
//  3. Availability and capacity: unavailable technicians, and those at max_load, are skipped.
//  4. Least load: the lowest load wins (open assigned tickets, each counted with its load_weight;
//     loads grow as this run assigns).
//  5. Round robin: among equally loaded technicians, the first after the last one chosen, in id
//     order (DispatchState carries the cursor; the caller persists it). Deterministic: the same
//     input always gives the same assignments, whatever the order of the input vectors.
// Tickets are dispatched most urgent first: priority, then earliest due date, then oldest, then id.
// Not here: SLA clocks (sla.h), escalation (escalation.h), ops (automation_ops.h).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "lifebuoy/domain.h"
#include "lifebuoy/id128.h"

namespace lb::triage {

enum class WorkMode : std::uint8_t { remote, onsite };

inline constexpr std::string_view kAnySkill = "*";

struct DispatchTicket {
    EntityId id;
    std::string category;                   // e.g. "network_vpn"; "" = uncategorised
    std::string site;
    Priority priority = Priority::unknown;
    WorkMode mode = WorkMode::remote;
    std::int64_t created_ms = 0;
    std::optional<std::int64_t> due_ms;     // resolution due, if known
    std::uint32_t load_weight = 1;          // what it adds to its assignee's load (roster.h weights)
};

struct Technician {
    EntityId id;
    std::vector<std::string> skills;        // categories, or "*"
    std::string site;
    bool works_onsite = true;
    bool works_remote = true;
    bool available = true;                  // on shift, not on leave
    std::uint32_t load = 0;                 // open tickets assigned now (weighted, see load_weight)
    std::uint32_t max_load = 0;             // 0 = no cap
};

struct DispatchState {
    EntityId last_assigned;                 // round-robin cursor: the last technician chosen
};

struct Assignment {
    EntityId ticket;
    EntityId assignee;
    std::string rule;    // "dispatch.onsite_same_site" or "dispatch.remote_least_load"
    std::string detail;  // e.g. "skill network_vpn; site lon; load 3 -> 4; lowest of 7; tie of 2"
};

struct Unassigned {
    EntityId ticket;
    std::string rule;    // dispatch.no_skill | dispatch.no_site_match | dispatch.none_available |
                         // dispatch.all_at_capacity
    std::string detail;
};

struct DispatchResult {
    std::vector<Assignment> assigned;       // in dispatch order
    std::vector<Unassigned> unassigned;
    std::vector<Technician> technicians;    // with loads after this run, sorted by id
};

DispatchResult dispatch(std::span<const DispatchTicket> tickets, std::vector<Technician> technicians,
                        DispatchState& state);

}  // namespace lb::triage
