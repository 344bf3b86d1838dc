// ticket_export.cpp — the CSV text of `lifebuoy-server export` (ticket_export.h).
#include "ticket_export.h"

#include "lifebuoy/id128.h"
#include "utc_text.h"

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
