// ticket_history.cpp — for the help desk, what happened to a ticket's fields: a "History" table,
// shown with the History button beside "< Queue" (when, who — a colleague, "You" or the help desk's rules — which field became what, and which
// value is in force), and, above the conversation, a warning for each change that raced one of this
// device's own while it was offline ("Omar Okafor changed the priority while you were offline —
// theirs: P4 Low, yours: P1 Critical. In force: P4 Low"). Both values stay in the history.
// The engine decides who and what raced (client/engine/change_history.h); this file only words it.
#include <algorithm>
#include <map>
#include <string>

#include <imgui.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr std::size_t kLongValue = 80;  // longer values (a description) are cut in the history
constexpr std::size_t kHistoryRowsShown = 9;  // the table's height in rows; it scrolls beyond

std::string field_words(const std::string& field) {
    static const std::map<std::string, std::string> words{
        {"status", "Status"},           {"priority", "Priority"},         {"assignee", "Assignee"},
        {"site", "Site"},               {"category", "Category"},         {"title", "Title"},
        {"description", "Description"}, {"impact", "Impact"},             {"urgency", "Urgency"},
        {"number", "Number"},           {"requester", "Requester"},       {"response_due", "Response due"},
        {"resolution_due", "Resolution due"}, {"channel", "Filed through"}, {"asset_tag", "Asset tag"}};
    if (auto w = words.find(field); w != words.end()) return w->second;
    std::string out = field;
    for (char& c : out)
        if (c == '_') c = ' ';
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string status_change_words(const std::string& status) {
    if (status == "in_progress") return "In progress";
    if (status == "waiting_on_requester") return "Waiting on the requester";
    std::string out = status;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

}  // namespace

std::string PortalApp::change_value_words(const std::string& field, const nlohmann::json& value,
                                          const std::string& value_name) const {
    if (value.is_null()) return "—";
    if (field == "assignee" || field == "requester") return !value_name.empty() ? value_name : "nobody";
    if (field == "response_due" || field == "resolution_due") return when(value);
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    if (!value.is_string()) return value.dump();
    const std::string text = value.get<std::string>();
    if (field == "priority") return priority_words(text, text.c_str());
    if (field == "status") return status_change_words(text);
    if (field == "site") return site_words(text);
    if (field == "category") return category_label(text);
    if (text.size() > kLongValue) {
        std::size_t cut = kLongValue;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
        return text.substr(0, cut) + "…";
    }
    return text;
}

void PortalApp::draw_offline_races(const nlohmann::json& history) {
    if (!history.is_array()) return;
    // The latest race per field: older ones are in the history.
    std::map<std::string, const nlohmann::json*> latest;
    for (const nlohmann::json& entry : history)
        if (entry.is_object() && field(entry, "raced").is_object()) latest[text_of(entry, "field", "")] = &entry;
    std::string exposed;
    for (const auto& [name, entry_ptr] : latest) {
        const nlohmann::json& entry = *entry_ptr;
        const nlohmann::json& ours = field(entry, "raced");
        std::string in_force;
        bool settled_later = true;  // a later change to the field (neither raced value in force) settles it
        for (const nlohmann::json& e : history) {
            if (text_of(e, "field", "") != name || !flag(e, "current")) continue;
            in_force = change_value_words(name, field(e, "value"), text_of(e, "value_name", ""));
            const std::string id = text_of(e, "op_id", "");
            settled_later = id != text_of(entry, "op_id", "") && id != text_of(ours, "op_id", "");
        }
        if (settled_later) continue;  // still in History, no longer a warning
        std::string field_lower = field_words(name);
        if (!field_lower.empty() && field_lower[0] >= 'A' && field_lower[0] <= 'Z')
            field_lower[0] = static_cast<char>(field_lower[0] - 'A' + 'a');
        const std::string line =
            text_of(entry, "by", "Someone") + " changed the " + field_lower + " while you were offline — theirs: " +
            change_value_words(name, field(entry, "value"), text_of(entry, "value_name", "")) +
            ", yours: " + change_value_words(name, field(ours, "value"), text_of(ours, "value_name", "")) +
            ". In force: " + in_force + " (the later change; both are in the history).";
        warning_text(line);
        exposed += (exposed.empty() ? "" : "\n") + line;
    }
    test_hooks::expose("ticket_offline_changes", exposed);
}

void PortalApp::draw_ticket_history(const nlohmann::json& history) {
    if (!history.is_array() || history.empty()) return;
    std::string exposed;
    const bool open = history_open_;  // the History button beside "< Queue"
    if (open) {
        ImGui::TextUnformatted("History");
        muted_text("Every change to this ticket's details, newest first. Changes made at the same time on "
                   "two devices both stay here; the later one is in force.");
    }
    test_hooks::expose("ticket_history_open", open ? "yes" : "no");
    // At most kHistoryRowsShown rows tall; the table scrolls inside.
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp |
                                  ImGuiTableFlags_ScrollY;
    const float row_height = ImGui::GetTextLineHeightWithSpacing() + ImGui::GetStyle().CellPadding.y * 2.0f;
    const float rows = static_cast<float>(std::min<std::size_t>(history.size() + 1, kHistoryRowsShown));
    const bool table = open && ImGui::BeginTable("##History table", 3, flags, ImVec2(0.0f, rows * row_height));
    if (table) {
        ImGui::TableSetupColumn("When", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("30 Dec 23:59").x);
        ImGui::TableSetupColumn("Who", ImGuiTableColumnFlags_WidthStretch, 1.0f);
        ImGui::TableSetupColumn("Change", ImGuiTableColumnFlags_WidthStretch, 3.0f);
        ImGui::TableSetupScrollFreeze(0, 1);  // the header row stays
        ImGui::TableHeadersRow();
    }
    for (auto it = history.rbegin(); it != history.rend(); ++it) {  // newest first
        const nlohmann::json& entry = *it;
        if (!entry.is_object()) continue;
        const std::string name = text_of(entry, "field", "");
        if (name.size() > 4 && name.compare(name.size() - 4, 4, "_key") == 0) continue;  // sealed keys: not for people
        const std::string who = text_of(entry, "by", "");
        const std::string at = when(field(entry, "at_ms"));
        std::string change = field_words(name) + ": " +
                             change_value_words(name, field(entry, "value"), text_of(entry, "value_name", ""));
        if (flag(entry, "current")) change += "  (in force)";
        const nlohmann::json& ours = field(entry, "raced");
        if (ours.is_object())
            change += "  — changed while you were offline; yours: " +
                      change_value_words(name, field(ours, "value"), text_of(ours, "value_name", ""));
        exposed += (exposed.empty() ? "" : "\n") + at + " · " + who + " · " + change;
        if (!table) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        muted_text(at.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", who.c_str());
        ImGui::TableNextColumn();
        if (ours.is_object()) warning_text(change);
        else ImGui::TextWrapped("%s", change.c_str());
    }
    if (table) ImGui::EndTable();
    test_hooks::expose("ticket_history", exposed);
}

}  // namespace lb::ui
