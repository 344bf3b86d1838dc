// ticket_export.h — `lifebuoy-server export`: the ticket metadata as CSV (RFC 4180: comma
// separated, CRLF line ends, fields quoted when they hold a comma, quote or line break), one row
// per ticket, oldest number first. Only what the server can read — routing metadata, never ticket
// text (that stays sealed end to end). A cell that a spreadsheet would run as a formula (starting
// with = + - @, a tab or a carriage return) is prefixed with ' (display names are people's input).
// Pure: rows in, text out. Not here: reading the rows (SyncStore::export_tickets).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/id128.h"

namespace lb::server {

struct TicketExportRow {
    EntityId id;
    std::optional<std::int64_t> number;
    std::string status, priority, category, impact, urgency, team, site;
    EntityId requester;
    std::string requester_name;                 // "" when the user is unknown
    std::optional<EntityId> assignee;
    std::string assignee_name;
    std::optional<std::int64_t> filed_at_ms;    // when the triage clock started (SLA)
    std::optional<std::int64_t> first_response_ms;
    std::int64_t updated_seq = 0;               // the server_seq of its last change
};

inline constexpr std::string_view kTicketExportHeader =
    "number,ticket_id,status,priority,category,impact,urgency,team,site,requester_id,requester_name,"
    "assignee_id,assignee_name,filed_at_utc,first_response_at_utc,updated_seq";

// One CSV field, quoted and neutralised as the header comment says.
std::string csv_field(std::string_view value);
// The header line, then one line per row; every line ends in CRLF.
std::string tickets_csv(const std::vector<TicketExportRow>& rows);

}  // namespace lb::server
