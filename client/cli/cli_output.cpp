// cli_output.cpp — plain-text views of tickets, lists and sync state for lifebuoy-cli.
#include "cli_output.h"

#include <cstdio>
#include <ctime>

namespace lb::cli {

using nlohmann::json;

namespace {

std::string text(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || it->is_null()) return "";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string number_text(const json& row) {
    auto it = row.find("number");
    return it != row.end() && it->is_number_integer() ? "#" + std::to_string(it->get<std::int64_t>())
                                                      : "(no number yet)";
}

std::string time_text(const json& ms) {
    if (!ms.is_number_integer()) return "-";
    const std::time_t seconds = static_cast<std::time_t>(ms.get<std::int64_t>() / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &utc);
    return buffer;
}

}  // namespace

std::string describe_sync_state(const json& sync) {
    const std::string state = text(sync, "state");
    if (state == "saved_on_device") return "saved on this device";
    if (state == "sent") return "sent, waiting for the help desk";
    if (state == "received") return "received by the help desk as " + number_text(sync);
    if (state == "rejected") return "not accepted: " + text(sync, "message") + " (" + text(sync, "code") + ")";
    return state.empty() ? "unknown" : state;
}

std::string describe_sync_run(const engine::SyncRunReport& report) {
    if (report.caught_up) return "synced";
    if (!report.error) return "not synced";
    return "not synced: " + report.error->message + " (" + report.error->code + ")";
}

json sync_run_json(const engine::SyncRunReport& report) {
    return json{{"caught_up", report.caught_up},
                {"exchanges", report.exchanges},
                {"failures", report.failures},
                {"error", report.error ? json{{"code", report.error->code}, {"message", report.error->message}}
                                       : json(nullptr)}};
}

void print_ticket_list(const json& list) {
    const json& rows = list.value("rows", json::array());
    if (rows.empty()) {
        std::printf("No tickets.\n");
        return;
    }
    for (const json& row : rows) {
        std::printf("%-16s %-20s %-9s %-34s %s\n", number_text(row).c_str(), text(row, "status").c_str(),
                    text(row, "priority").c_str(), describe_sync_state(row.value("sync", json::object())).c_str(),
                    text(row, "title").c_str());
        std::printf("    id %s\n", text(row, "id").c_str());
    }
    std::printf("%zu of %s ticket(s)\n", rows.size(), text(list, "total").c_str());
}

void print_ticket(const json& result) {
    const json& t = result.value("ticket", json::object());
    std::printf("%s  %s\n", number_text(t).c_str(), text(t, "title").c_str());
    std::printf("  id:        %s\n", text(t, "id").c_str());
    std::printf("  status:    %s   priority: %s   impact: %s   urgency: %s\n", text(t, "status").c_str(),
                text(t, "priority").c_str(), text(t, "impact").c_str(), text(t, "urgency").c_str());
    std::printf("  category:  %s   site: %s   assignee: %s\n", text(t, "category").c_str(), text(t, "site").c_str(),
                text(t, "assignee").c_str());
    if (t.value("due_estimated", false))
        std::printf("  expected:  response by %s, resolution by %s (estimate until the help desk has it)\n",
                    time_text(t.value("expected_response_ms", json())).c_str(),
                    time_text(t.value("expected_resolution_ms", json())).c_str());
    else if (t.contains("response_due_ms") && !t["response_due_ms"].is_null())
        std::printf("  due:       response by %s, resolution by %s\n", time_text(t.value("response_due_ms", json())).c_str(),
                    time_text(t.value("resolution_due_ms", json())).c_str());
    if (text(t, "contact") != "portal" && !text(t, "contact").empty())
        std::printf("  contact:   %s %s\n", text(t, "contact").c_str(), text(t, "contact_detail").c_str());
    std::printf("  sync:      %s\n", describe_sync_state(t.value("sync", json::object())).c_str());
    std::printf("  created:   %s   updated: %s\n", time_text(t.value("created_ms", json())).c_str(),
                time_text(t.value("updated_ms", json())).c_str());
    std::printf("\n%s\n", text(t, "description").c_str());
    for (const json& c : result.value("comments", json::array())) {
        std::printf("\n--- %s, %s (%s)\n%s\n", text(c, "kind").c_str(), time_text(c.value("posted_ms", json())).c_str(),
                    text(c, "author").c_str(), text(c, "body").c_str());
    }
}

void print_sync_status(const json& s) {
    std::printf("enrolled: %s   role: %s   user: %s\n", s.value("enrolled", false) ? "yes" : "no",
                text(s, "role").c_str(), text(s, "user_id").c_str());
    std::printf("waiting to be sent: %s (sent, unanswered: %s)   not accepted: %s\n",
                text(s, "pending_batches").c_str(), text(s, "sent_batches").c_str(),
                text(s, "rejected_batches").c_str());
    std::printf("last sync: %s   cursor: %s\n", time_text(s.value("last_sync_ms", json())).c_str(),
                text(s, "cursor").c_str());
    if (auto e = s.find("last_error"); e != s.end() && e->is_object())
        std::printf("last error: %s (%s)\n", text(*e, "message").c_str(), text(*e, "code").c_str());
    for (const json& r : s.value("rejected", json::array()))
        std::printf("  not accepted: %s on ticket %s: %s (%s)\n", text(r, "action").c_str(),
                    text(r, "ticket_id").c_str(), text(r, "message").c_str(), text(r, "code").c_str());
}

void print_status(const json& s) {
    const json& storage = s.value("storage", json::object());
    std::printf("Lifebuoy engine %s (protocol %s), SQLite %s, libsodium %s\n", text(s, "engine_version").c_str(),
                text(s, "protocol").c_str(), text(s, "sqlite_version").c_str(), text(s, "sodium_version").c_str());
    std::printf("storage: %s (%s), schema %s — %s\n", text(storage, "kind").c_str(),
                storage.value("durable", false) ? "durable" : "NOT durable", text(storage, "schema_version").c_str(),
                text(storage, "note").c_str());
    print_sync_status(s.value("sync", json::object()));
}

void print_desk(const json& desk) {
    const json& sites = desk.value("sites", json::object());
    std::printf("%s\n", sites.value("synced", false) ? "The help desk's settings (as last synced):"
                                                     : "Built-in settings (not synced with a help desk yet):");
    const std::string default_site = text(sites, "default_site");
    std::printf("sites:\n");
    if (sites.value("sites", json::array()).empty()) std::printf("  none (one round-the-clock calendar in UTC)\n");
    for (const json& site : sites.value("sites", json::array())) {
        const std::string id = text(site, "site");
        std::printf("  %-16s %s%s\n", id.c_str(), text(site, "time_zone").c_str(),
                    id == default_site ? "  (default)" : "");
    }
    const json& categories = desk.value("categories", json::object());
    std::printf("categories:\n");
    for (const json& c : categories.value("categories", json::array()))
        std::printf("  %-16s %s\n", text(c, "id").c_str(), text(c, "label").c_str());
}

}  // namespace lb::cli
