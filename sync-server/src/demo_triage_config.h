// demo_triage_config.h — the triage configuration the first start writes into an empty data
// folder (with the demo on), so the ready-to-try help desk prioritises, times and assigns tickets
// out of the box: the ITIL matrix, SLA targets per priority, escalation at 75 % checked every
// minute, two sites in different time zones (London, New York) with business hours and public
// holidays of this year and the next, a team queue and five technicians with skills and sites
// (Tess, the team lead, takes anything).
// Not here: validating it (it goes through the same parser as any file), writing the file.
#pragma once

#include <string>

namespace lb::server {

// JSON text, two-space indented; holidays for `year` and `year + 1`.
std::string demo_triage_config_json(int year);

// The roster id of the demo's team lead, whose sign-in link the first start prints.
inline constexpr const char* kDemoTeamLead = "tess";

}  // namespace lb::server
