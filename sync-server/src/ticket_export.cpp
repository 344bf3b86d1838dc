// ticket_export.cpp — the CSV text of `lifebuoy-server export` (ticket_export.h).
#include "ticket_export.h"

#include <cstdio>

#include "lifebuoy/id128.h"
#include "lifebuoy/triage/civil_time.h"

namespace lb::server {

std::string csv_field(std::string_view value) {
    std::string cell;
    if (!value.empty() && (value.front() == '=' || value.front() == '+' || value.front() == '-' ||
                           value.front() == '@' || value.front() == '\t' || value.front() == '\r'))
        cell.push_back('\'');
    cell.append(value);
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted.push_back('"');
        quoted.push_back(c);
    }
    quoted.push_back('"');
    return quoted;
}

std::string utc_timestamp(std::int64_t ms) {
    const std::int64_t day = triage::day_of_ms(ms);
    const std::int64_t in_day = (ms - day * triage::kMsPerDay) / 1000;  // seconds, 0..86399
    const triage::CivilDate date = triage::civil_from_days(day);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", static_cast<int>(date.year),
                  static_cast<int>(date.month), static_cast<int>(date.day), static_cast<int>(in_day / 3600),
                  static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
    return text;
}

std::string tickets_csv(const std::vector<TicketExportRow>& rows) {
    std::string out(kTicketExportHeader);
    out += "\r\n";
    for (const TicketExportRow& r : rows) {
        const std::string fields[] = {
            r.number ? std::to_string(*r.number) : std::string(),
            to_hex(r.id),
            r.status,
            r.priority,
            r.category,
            r.impact,
            r.urgency,
            r.team,
            r.site,
            to_hex(r.requester),
            r.requester_name,
            r.assignee ? to_hex(*r.assignee) : std::string(),
            r.assignee_name,
            r.filed_at_ms ? utc_timestamp(*r.filed_at_ms) : std::string(),
            r.first_response_ms ? utc_timestamp(*r.first_response_ms) : std::string(),
            std::to_string(r.updated_seq),
        };
        bool first = true;
        for (const std::string& f : fields) {
            if (!first) out.push_back(',');
            first = false;
            out += csv_field(f);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace lb::server
