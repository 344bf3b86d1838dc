// queue_screen.cpp — the technician's queue (issue #10): views with their counts (open, mine, my
// team, unassigned, overdue, at risk, waiting on the requester, closed, all), site and category
// choices, a search box, and an ImGui table with sortable, resizable columns (number, title,
// requester, category, priority, status, assignee, site, SLA due, last update) that draws only
// the rows in view (ImGuiListClipper). Overdue rows are tinted red and at-risk rows amber, with
// the time left in words; a row opens the ticket (click, or arrow keys and Enter); Export CSV
// saves the rows shown. Everything comes from the engine's queue command — on this device's data,
// so it works offline — and is asked again when tickets change.
// Not here: the rows and their SLA marks (client/engine/ticket_queue.h), the ticket (ticket_screens.cpp).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr double kQueueSearchDelaySeconds = 0.25;
// The table holds a window of rows around what is in view, not all of them: with 10,000 tickets
// the whole list is ~2 MB of JSON to parse on the UI thread (bench/queue_bench).
constexpr std::int64_t kQueueWindowRows = 400;

struct QueueView {
    const char* id;     // the engine's name
    const char* words;  // the button
};
constexpr std::array<QueueView, 9> kViews{{{"open", "Open"},
                                           {"mine", "Mine"},
                                           {"team", "My team"},
                                           {"unassigned", "Unassigned"},
                                           {"overdue", "Overdue"},
                                           {"at_risk", "At risk"},
                                           {"waiting", "Waiting on requester"},
                                           {"closed", "Closed"},
                                           {"all", "All"}}};

struct QueueColumn {
    const char* header;
    const char* sort;  // the engine's column
    float width;       // initial, in pixels at scale 1 (0: stretch)
};
constexpr std::array<QueueColumn, 10> kColumns{{{"#", "number", 48.0f},
                                               {"Title", "title", 0.0f},
                                               {"Requester", "requester", 120.0f},
                                               {"Category", "category", 110.0f},
                                               {"Priority", "priority", 84.0f},
                                               {"Status", "status", 104.0f},
                                               {"Assignee", "assignee", 115.0f},
                                               {"Site", "site", 84.0f},
                                               {"SLA due", "due", 150.0f},
                                               {"Updated", "updated", 64.0f}}};

const ImVec4 kOverdueRow{0.97f, 0.85f, 0.83f, 1.0f};
const ImVec4 kAtRiskRow{0.99f, 0.93f, 0.80f, 1.0f};

std::string sla_words(const nlohmann::json& row) {
    const std::string sla = text_of(row, "sla", "none");
    const std::string what = text_of(row, "due", "") == "response" ? "response" : "resolution";
    const std::int64_t left = field(row, "left_ms").is_number_integer() ? field(row, "left_ms").get<std::int64_t>() : 0;
    if (sla == "overdue") return what + " overdue " + duration_words(left);
    if (sla == "at_risk" || sla == "ok") return what + " in " + duration_words(left);
    if (sla == "paused") return "paused (waiting)";
    if (sla == "done") return "done";
    return "—";
}


}  // namespace

std::string duration_words(std::int64_t ms) {
    const std::int64_t minutes = std::llabs(ms) / 60000;
    if (minutes < 60) return std::to_string(std::max<std::int64_t>(minutes, 1)) + " min";
    if (minutes < 24 * 60) {
        const std::int64_t m = minutes % 60;
        return std::to_string(minutes / 60) + " h" + (m ? " " + std::to_string(m) + " min" : "");
    }
    const std::int64_t h = minutes / 60 % 24;
    return std::to_string(minutes / (24 * 60)) + " d" + (h ? " " + std::to_string(h) + " h" : "");
}

std::string PortalApp::category_label(const std::string& id) const {
    for (const CategoryChoice& c : categories_)
        if (c.id == id) return c.label;
    return id;
}

// The view, filters and sort the queue shows, as the engine's queue / queue_csv arguments.
nlohmann::json PortalApp::queue_request() const {
    return {{"filter", {{"view", queue_view_}, {"site", queue_site_}, {"category", queue_category_}, {"query", queue_query_}}},
            {"sort", {{"column", queue_sort_}, {"descending", queue_descending_}}}};
}

bool PortalApp::help_desk_role() const {
    const std::string role = text_of(field(status_, "sync"), "role", "");
    return role == "technician" || role == "admin";
}

void PortalApp::refresh_queue_if_due(double now_s) {
    if (screen_ != Screen::Queue || !help_desk_role() || queue_in_flight_ || !queue_dirty_) return;
    if (now_s - queue_last_edit_s_ < kQueueSearchDelaySeconds) return;
    queue_dirty_ = false;
    queue_in_flight_ = true;
    nlohmann::json args = queue_request();
    args["offset"] = queue_window_start_;
    args["limit"] = kQueueWindowRows;
    engine_.send("queue", std::move(args), [this](const commands::Response& r) {
        queue_in_flight_ = false;
        if (!r.ok) {
            queue_message_ = "The queue could not be read: " + r.error.message;
            return;
        }
        queue_ = r.result;
        for (const nlohmann::json& row : field(queue_, "rows")) fonts_.note_text(text_of(row, "title", ""));
    });
}

void PortalApp::export_queue_csv() {
    nlohmann::json args = queue_request();
    engine_.send("queue_csv", std::move(args), [this](const commands::Response& r) {
        if (!r.ok) {
            queue_message_ = "The export failed: " + r.error.message;
            return;
        }
        const std::string csv = text_of(r.result, "csv", "");
        if (download_) download_("lifebuoy-queue-" + queue_view_ + ".csv", "text/csv;charset=utf-8", csv);
        const std::int64_t rows = field(r.result, "rows").is_number_integer() ? field(r.result, "rows").get<std::int64_t>() : 0;
        queue_message_ = "Exported " + std::to_string(rows) + (rows == 1 ? " ticket" : " tickets") + " as CSV.";
        last_queue_csv_ = csv;
    });
}

void PortalApp::draw_queue_filters() {
    const nlohmann::json& counts = field(queue_, "counts");
    for (std::size_t i = 0; i < kViews.size(); ++i) {
        const QueueView& v = kViews[i];
        std::string label = v.words;
        if (field(counts, v.id).is_number_integer()) label += " (" + std::to_string(field(counts, v.id).get<std::int64_t>()) + ")";
        label += std::string("##view ") + v.id;
        if (i > 0) same_line_if_fits(label.c_str(), ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x);
        const bool on = queue_view_ == v.id;
        theme::push_choice_colours(on);
        if (ImGui::Button(label.c_str()) && !on) {
            queue_view_ = v.id;
            queue_dirty_ = true;
        }
        theme::pop_choice_colours();
        test_hooks::label_last_item(v.words);
    }
    test_hooks::expose("queue_view", queue_view_);

    // Site, category, words.
    const std::string site_shown = queue_site_.empty() ? "All sites" : site_words(queue_site_);
    ImGui::SetNextItemWidth(170.0f);
    test_hooks::label_item(ImGui::GetID("##Queue site"), "Queue site");
    if (ImGui::BeginCombo("##Queue site", site_shown.c_str())) {
        if (ImGui::Selectable("All sites", queue_site_.empty())) {
            queue_site_.clear();
            queue_dirty_ = true;
        }
        for (const SiteChoice& s : sites_) {
            if (ImGui::Selectable(site_words(s.id).c_str(), s.id == queue_site_)) {
                queue_site_ = s.id;
                queue_dirty_ = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    std::string category_shown = "All categories";
    for (const CategoryChoice& c : categories_)
        if (c.id == queue_category_) category_shown = c.label;
    ImGui::SetNextItemWidth(200.0f);
    test_hooks::label_item(ImGui::GetID("##Queue category"), "Queue category");
    if (ImGui::BeginCombo("##Queue category", category_shown.c_str())) {
        if (ImGui::Selectable("All categories", queue_category_.empty())) {
            queue_category_.clear();
            queue_dirty_ = true;
        }
        for (const CategoryChoice& c : categories_) {
            if (ImGui::Selectable(c.label.c_str(), c.id == queue_category_)) {
                queue_category_ = c.id;
                queue_dirty_ = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(260.0f);
    if (ImGui::InputTextWithHint("##Search the queue", "Search number, title or people", &queue_query_)) {
        fonts_.note_text(queue_query_);
        queue_dirty_ = true;
        queue_last_edit_s_ = now_s_;
    }
    text_fields_.remember();
    test_hooks::expose("Search the queue", queue_query_);
    ImGui::SameLine();
    if (ImGui::Button("Export CSV")) export_queue_csv();
}

void PortalApp::draw_queue_table() {
    const nlohmann::json& rows = field(queue_, "rows");
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                  ImGuiTableFlags_Hideable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("##Queue table", static_cast<int>(kColumns.size()), flags, ImVec2(0.0f, 0.0f))) return;
    ImGui::TableSetupScrollFreeze(0, 1);  // the header stays in view
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
        const QueueColumn& c = kColumns[i];
        ImGuiTableColumnFlags column_flags = c.width == 0.0f ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed;
        if (queue_sort_ == c.sort) {
            column_flags |= ImGuiTableColumnFlags_DefaultSort;
            column_flags |= queue_descending_ ? ImGuiTableColumnFlags_PreferSortDescending : ImGuiTableColumnFlags_PreferSortAscending;
        }
        if (i == 1) column_flags |= ImGuiTableColumnFlags_NoHide;
        ImGui::TableSetupColumn(c.header, column_flags, c.width == 0.0f ? 1.0f : c.width, static_cast<ImGuiID>(i));
    }
    // The header row drawn cell by cell (as TableHeadersRow does) so each header is named for tests.
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int i = 0; i < static_cast<int>(kColumns.size()); ++i) {
        if (!ImGui::TableSetColumnIndex(i)) continue;
        ImGui::TableHeader(ImGui::TableGetColumnName(i));
        test_hooks::label_last_item(kColumns[static_cast<std::size_t>(i)].header);
    }
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
        if (specs->SpecsCount > 0) {
            const auto column = static_cast<std::size_t>(specs->Specs[0].ColumnUserID);
            const bool descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
            if (column < kColumns.size() && (kColumns[column].sort != queue_sort_ || descending != queue_descending_)) {
                queue_sort_ = kColumns[column].sort;
                queue_descending_ = descending;
                queue_dirty_ = true;
            }
        }
        specs->SpecsDirty = false;
    }
    test_hooks::expose("queue_sort", queue_sort_ + (queue_descending_ ? " descending" : ""));

    std::string open_id;
    const std::int64_t total = field(queue_, "total").is_number_integer() ? field(queue_, "total").get<std::int64_t>() : 0;
    const std::int64_t held = field(queue_, "offset").is_number_integer() ? field(queue_, "offset").get<std::int64_t>() : 0;
    const auto held_end = held + static_cast<std::int64_t>(rows.is_array() ? rows.size() : 0);
    std::int64_t first_shown = -1, last_shown = -1;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(total));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            ImGui::TableNextRow();
            if (i < held || i >= held_end) {  // not fetched yet: the next answer brings it
                ImGui::TableSetColumnIndex(1);
                ImGui::TextColored(theme::kTextMuted, "…");
                continue;
            }
            const nlohmann::json& row = rows[static_cast<std::size_t>(i - held)];
            const std::string sla = text_of(row, "sla", "none");
            if (sla == "overdue") ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(kOverdueRow));
            if (sla == "at_risk") ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(kAtRiskRow));
            ImGui::TableSetColumnIndex(0);
            const nlohmann::json& number = field(row, "number");
            std::string label = number.is_number_integer() ? "#" + std::to_string(number.get<std::int64_t>()) : "(new)";
            const std::string id = text_of(row, "id", "");
            if (ImGui::Selectable((label + "##row " + id).c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
                open_id = id;
            test_hooks::label_last_item(label);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(text_of(row, "title", "").c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(text_of(row, "requester", "").c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(category_label(text_of(row, "category", "")).c_str());
            ImGui::TableSetColumnIndex(4);
            ImGui::TextUnformatted(priority_words(text_of(row, "priority", ""), "—").c_str());
            ImGui::TableSetColumnIndex(5);
            std::string status = text_of(row, "status", "");
            std::replace(status.begin(), status.end(), '_', ' ');
            ImGui::TextUnformatted(status.c_str());
            ImGui::TableSetColumnIndex(6);
            const std::string assignee = text_of(row, "assignee", "");
            if (assignee.empty()) ImGui::TextColored(theme::kTextMuted, "unassigned");
            else ImGui::TextUnformatted(assignee.c_str());
            ImGui::TableSetColumnIndex(7);
            ImGui::TextUnformatted(site_words(text_of(row, "site", "")).c_str());
            ImGui::TableSetColumnIndex(8);
            const std::string due = sla_words(row);
            if (sla == "overdue") ImGui::TextColored(theme::kBrand, "%s", due.c_str());
            else if (sla == "at_risk") ImGui::TextColored(theme::kOffline, "%s", due.c_str());
            else ImGui::TextUnformatted(due.c_str());
            ImGui::TableSetColumnIndex(9);
            ImGui::TextUnformatted(when(field(row, "updated_ms")).c_str());
        }
    }
    // The rows in view, from where row 0 lies and the table's height — not from the clipper's steps,
    // which also draw row 0 to measure it and the row of a focused item (a header, once scrolled).
    if (total > 0 && clipper.ItemsHeight > 0.0f) {
        const float top = ImGui::GetWindowPos().y, bottom = top + ImGui::GetWindowHeight();
        auto row_at = [&](float y) {
            return std::clamp<std::int64_t>(static_cast<std::int64_t>((y - clipper.StartPosY) / clipper.ItemsHeight), 0, total - 1);
        };
        first_shown = row_at(top);
        last_shown = row_at(bottom);
    } else if (total > 0) {
        first_shown = last_shown = 0;  // one row only: the measured one
    }
    ImGui::EndTable();
    // Rows in view the window does not hold: ask for the window around them.
    if (first_shown >= 0 && (first_shown < held || last_shown >= held_end)) {
        const std::int64_t want = std::max<std::int64_t>(0, first_shown - kQueueWindowRows / 4);
        if (want != queue_window_start_ || (!queue_dirty_ && !queue_in_flight_)) {
            queue_window_start_ = want;
            queue_dirty_ = true;
        }
    }
    if (!open_id.empty()) open_ticket(open_id, Screen::Queue);
}

void PortalApp::draw_queue(float width) {
    ImGui::BeginChild("Queue", ImVec2(width, 0.0f), true);
    if (!help_desk_role()) {
        muted_text("The queue is for the help desk's technicians. Sign in with a technician's invite to see it.");
        ImGui::EndChild();
        return;
    }
    draw_queue_filters();
    const nlohmann::json& total = field(queue_, "total");
    std::string summary = total.is_number_integer() ? std::to_string(total.get<std::int64_t>()) + " tickets" : "Reading the queue…";
    if (!queue_message_.empty()) summary += "  ·  " + queue_message_;
    muted_text(summary.c_str());
    test_hooks::expose("queue_summary", summary);
    // The rows shown, for tests: number, title, sla (a handful is enough to check order and marks).
    nlohmann::json shown = nlohmann::json::array();
    for (const nlohmann::json& row : field(queue_, "rows")) {
        if (shown.size() == 50) break;
        shown.push_back({{"number", field(row, "number")}, {"title", text_of(row, "title", "")}, {"sla", text_of(row, "sla", "")},
                         {"assignee", text_of(row, "assignee", "")}, {"site", text_of(row, "site", "")}});
    }
    test_hooks::expose("queue_rows", shown.dump());
    if (!last_queue_csv_.empty()) test_hooks::expose("queue_csv", last_queue_csv_);
    draw_queue_table();
    ImGui::EndChild();
}

}  // namespace lb::ui
