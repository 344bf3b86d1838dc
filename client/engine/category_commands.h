// category_commands.h — the ticket-form catalogue commands of the engine's protocol.
//
//   categories        {} → {categories: [{id, label}], fallback}     what the form's picker lists
//   suggest_category  {title, description?=""} → {category, label, confidence,
//                      matched: [term…] (heaviest first), runner_up}
// The categoriser (lifebuoy/triage/categorize.h) runs here, on the device, where the ticket's
// words are readable: the server never sees them. The requester sees the suggestion and may pick
// another category. The catalogue is the help desk's (desk_settings.h: synced from the server's
// triage configuration; the shared default until the first sync).
// Errors: "bad_arguments"; any other command answers "unknown_command".
#pragma once

#include <string_view>

#include "commands/command_protocol.h"
#include "lifebuoy/triage/categorize.h"

namespace lb::engine {

bool is_category_command(std::string_view cmd);

commands::Response handle_category_command(const commands::Request& request, const triage::CategoryMatcher& matcher);

}  // namespace lb::engine
