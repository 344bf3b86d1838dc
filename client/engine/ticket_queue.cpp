// ticket_queue.cpp — rows, views, sorting and CSV of the technician's queue (ticket_queue.h).
#include "engine/ticket_queue.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "lifebuoy/triage/civil_time.h"

namespace lb::engine {
namespace {

constexpr std::array<std::string_view, 9> kViews{"open",   "mine",    "team",   "unassigned", "overdue",
                                                 "at_risk", "waiting", "closed", "all"};
constexpr std::array<std::string_view, 10> kColumns{"number", "title", "requester", "category", "priority",
                                                    "status", "assignee", "site",     "due",      "updated"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::int64_t ms_of(Hlc hlc) { return static_cast<std::int64_t>(hlc.ms()); }

bool matches_words(const QueueRow& row, const std::string& query_lower) {
    if (query_lower.empty()) return true;
    const Ticket& t = row.ticket;
    for (const std::string* text : {&t.title, &row.requester_name, &row.assignee_name, &t.category, &t.site})
        if (lower(*text).find(query_lower) != std::string::npos) return true;
    const std::string number = t.number ? "#" + std::to_string(*t.number) : std::string();
    return !number.empty() && number.find(query_lower) != std::string::npos;
}

std::string iso_time(std::optional<std::int64_t> ms) {
    if (!ms) return {};
    const std::int64_t day = triage::day_of_ms(*ms);
    const triage::CivilDate date = triage::civil_from_days(day);
    const std::int64_t seconds = (*ms - day * 86400000) / 1000;
    char out[64];  // room for any year gcc imagines
    std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02dZ", date.year, date.month, date.day,
                  static_cast<int>(seconds / 3600), static_cast<int>(seconds / 60 % 60), static_cast<int>(seconds % 60));
    return out;
}

void csv_field(std::string& out, std::string_view value) {
    const bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) {
        out += value;
        return;
    }
    out += '"';
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

Priority shown_priority(const Ticket& t) {
    return t.priority != Priority::unknown ? t.priority : default_priority(t.impact, t.urgency);
}

std::string_view to_name(SlaMark mark) {
    switch (mark) {
        case SlaMark::none: return "none";
        case SlaMark::ok: return "ok";
        case SlaMark::at_risk: return "at_risk";
        case SlaMark::overdue: return "overdue";
        case SlaMark::paused: return "paused";
        case SlaMark::done: return "done";
    }
    return "none";
}

Status check_queue_request(const QueueFilter& filter, const QueueSort& sort) {
    if (!one_of(kViews, filter.view))
        return make_error("bad_arguments", "view must be open, mine, team, unassigned, overdue, at_risk, waiting, "
                                           "closed or all");
    if (!one_of(kColumns, sort.column))
        return make_error("bad_arguments", "sort must be number, title, requester, category, priority, status, "
                                           "assignee, site, due or updated");
    return Ok{};
}

QueueRow queue_row(Ticket ticket, const QueueContext& context) {
    QueueRow row;
    auto name_of = [&](const EntityId& id) {
        auto it = context.names.find(id);
        return it == context.names.end() ? std::string() : it->second;
    };
    row.requester_name = name_of(ticket.requester);
    if (ticket.assignee) row.assignee_name = name_of(*ticket.assignee);
    const TicketStatus status = ticket.status;
    const bool answered = context.answered.count(ticket.id) > 0 || status == TicketStatus::in_progress ||
                          status == TicketStatus::waiting_on_requester || status == TicketStatus::resolved ||
                          status == TicketStatus::closed;
    row.response_due = !answered;
    row.due_ms = answered ? ticket.resolution_due_ms : ticket.response_due_ms;
    if (status == TicketStatus::resolved || status == TicketStatus::closed) {
        row.sla = SlaMark::done;
    } else if (status == TicketStatus::waiting_on_requester) {
        row.sla = SlaMark::paused;
    } else if (row.due_ms) {
        row.left_ms = *row.due_ms - context.now_ms;
        std::int64_t target_ms = 0;
        if (context.desk) {
            const triage::SlaTarget& target = context.desk->sla.target(shown_priority(ticket));
            target_ms = (answered ? target.resolution_minutes : target.first_response_minutes) * 60000;
        }
        const double fraction = context.desk ? context.desk->escalation.at_risk_fraction : 0.75;
        if (row.left_ms < 0) row.sla = SlaMark::overdue;
        else if (static_cast<double>(row.left_ms) < (1.0 - fraction) * static_cast<double>(target_ms)) row.sla = SlaMark::at_risk;
        else row.sla = SlaMark::ok;
    }
    row.ticket = std::move(ticket);
    return row;
}

bool in_view(const QueueRow& row, const std::string& view, const QueueContext& context) {
    const Ticket& t = row.ticket;
    const bool open = is_open(t.status);
    if (view == "all") return true;
    if (view == "closed") return !open;
    if (!open) return false;
    if (view == "mine") return t.assignee && *t.assignee == context.me;
    if (view == "team") return context.my_team.empty() || t.team.empty() || t.team == context.my_team;
    if (view == "unassigned") return !t.assignee;
    if (view == "overdue") return row.sla == SlaMark::overdue;
    if (view == "at_risk") return row.sla == SlaMark::at_risk;
    if (view == "waiting") return t.status == TicketStatus::waiting_on_requester;
    return true;  // open
}

std::vector<QueueRow> select_queue(std::vector<QueueRow> rows, const QueueFilter& filter, const QueueSort& sort,
                                   const QueueContext& context) {
    const std::string words = lower(filter.query);
    std::erase_if(rows, [&](const QueueRow& r) {
        return !in_view(r, filter.view, context) || (!filter.site.empty() && r.ticket.site != filter.site) ||
               (!filter.category.empty() && r.ticket.category != filter.category) || !matches_words(r, words);
    });
    const std::string& c = sort.column;
    auto compare = [&](const QueueRow& x, const QueueRow& y) -> int {
        auto cmp = [](const auto& a, const auto& b) { return a < b ? -1 : (b < a ? 1 : 0); };
        const Ticket &a = x.ticket, &b = y.ticket;
        if (c == "title") return cmp(lower(a.title), lower(b.title));
        if (c == "requester") return cmp(lower(x.requester_name), lower(y.requester_name));
        if (c == "category") return cmp(a.category, b.category);
        if (c == "priority") return cmp(static_cast<int>(shown_priority(a)), static_cast<int>(shown_priority(b)));
        if (c == "status") return cmp(static_cast<int>(a.status), static_cast<int>(b.status));
        if (c == "assignee") return cmp(lower(x.assignee_name), lower(y.assignee_name));
        if (c == "site") return cmp(a.site, b.site);
        if (c == "updated") return cmp(ms_of(a.updated), ms_of(b.updated));
        if (c == "due") {  // tickets without a due date last, whichever way
            if (x.due_ms.has_value() != y.due_ms.has_value()) return x.due_ms ? -1 : 1;
            return cmp(x.due_ms.value_or(0), y.due_ms.value_or(0));
        }
        return 0;  // number: the tie-break below
    };
    std::sort(rows.begin(), rows.end(), [&](const QueueRow& x, const QueueRow& y) {
        int order = compare(x, y);
        if (sort.descending && !(sort.column == "due" && x.due_ms.has_value() != y.due_ms.has_value())) order = -order;
        if (order != 0) return order < 0;
        const std::int64_t nx = x.ticket.number.value_or(kMaxTicketNumber), ny = y.ticket.number.value_or(kMaxTicketNumber);
        if (nx != ny) return sort.descending && sort.column == "number" ? nx > ny : nx < ny;
        return x.ticket.id < y.ticket.id;
    });
    return rows;
}

std::map<std::string, std::size_t> view_counts(const std::vector<QueueRow>& rows, const QueueFilter& filter,
                                               const QueueContext& context) {
    std::map<std::string, std::size_t> counts;
    for (std::string_view v : kViews) counts[std::string(v)] = 0;
    const std::string words = lower(filter.query);
    for (const QueueRow& r : rows) {
        if ((!filter.site.empty() && r.ticket.site != filter.site) ||
            (!filter.category.empty() && r.ticket.category != filter.category) || !matches_words(r, words))
            continue;
        for (std::string_view v : kViews)
            if (in_view(r, std::string(v), context)) ++counts[std::string(v)];
    }
    return counts;
}

std::string queue_csv(const std::vector<QueueRow>& rows) {
    std::string out = "number,title,requester,category,priority,status,assignee,site,sla,due,updated\r\n";
    for (const QueueRow& r : rows) {
        const Ticket& t = r.ticket;
        const std::string fields[] = {t.number ? std::to_string(*t.number) : std::string(),
                                      t.title,
                                      r.requester_name,
                                      t.category,
                                      std::string(lb::to_name(shown_priority(t))),
                                      std::string(lb::to_name(t.status)),
                                      r.assignee_name,
                                      t.site,
                                      std::string(to_name(r.sla)),
                                      iso_time(r.due_ms),
                                      iso_time(ms_of(t.updated))};
        for (std::size_t i = 0; i < std::size(fields); ++i) {
            if (i > 0) out += ',';
            csv_field(out, fields[i]);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace lb::engine
