// ticket_work.cpp — what a technician does on a ticket (issue #10), above its conversation: take
// it (assign it to themself), move it on (start work, resume, resolve with a resolution note,
// reopen, close), change its priority with a reason (the engine keeps the reason as an internal
// note, and the server keeps a person's priority over the matrix); and how they write: a public
// reply, an internal note (the requester never sees it) or a request for information (the ticket
// then waits on the requester and its SLA clock pauses); and under Details… the ticket's category,
// site and assignee (a colleague, or unassigned). All of it is saved on the device first
// and works offline, like every other change.
// Not here: the conversation and the reply box (ticket_screens.cpp), the requester's answer to a
// resolution (ticket_resolution.cpp).
#include <algorithm>
#include <array>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

struct Move {
    const char* from;    // the ticket's status
    const char* words;   // the button
    const char* to;      // the status it sets
};
// The help desk's moves (the lifecycle table's transitions for technicians), except resolving,
// which asks for a note first.
constexpr std::array<Move, 5> kMoves{{{"assigned", "Start work", "in_progress"},
                                      {"triaged", "Start work", "assigned"},
                                      {"waiting_on_requester", "Resume work", "in_progress"},
                                      {"resolved", "Reopen", "in_progress"},
                                      {"resolved", "Close", "closed"}}};

constexpr std::array<const char*, 5> kPriorities{"critical", "high", "medium", "low", "planning"};

}  // namespace

void PortalApp::draw_ticket_work(const nlohmann::json& t) {
    const std::string status = text_of(t, "status", "");
    const std::string me = text_of(field(status_, "sync"), "user_id", "");
    const nlohmann::json& assignee = field(t, "assignee");
    const bool mine = assignee.is_string() && assignee.get<std::string>() == me;
    test_hooks::expose("ticket_status", status);
    test_hooks::expose("ticket_priority", text_of(t, "priority", ""));
    if (status == "closed") return;

    ImGui::BeginDisabled(work_in_flight_);
    bool first = true;
    auto same_line = [&first] {
        if (!first) ImGui::SameLine();
        first = false;
    };
    if (!mine) {  // a colleague's ticket is taken over from them, and the button says so
        same_line();
        const std::string colleague = assignee.is_string() ? person_name(assignee.get<std::string>()) : "";
        if (ImGui::Button(colleague.empty() ? "Take it" : "Take it over")) {
            nlohmann::json fields{{"assignee", me}};
            if (status == "triaged") fields["status"] = "assigned";
            change_ticket(std::move(fields), "", "Assigned to you.");
        }
        if (!colleague.empty() && ImGui::IsItemHovered())
            ImGui::SetTooltip("Assigned to %s: this assigns it to you instead", colleague.c_str());
    }
    for (const Move& m : kMoves) {
        if (status != m.from) continue;
        same_line();
        if (ImGui::Button(m.words)) change_ticket({{"status", m.to}}, "", std::string(m.words) + ": done.");
    }
    if (status == "in_progress" || status == "waiting_on_requester") {
        same_line();
        if (ImGui::Button("Resolve…")) resolving_ = !resolving_;
    }
    same_line();
    if (ImGui::Button("Priority…")) changing_priority_ = !changing_priority_;
    same_line();
    if (ImGui::Button("Details…")) editing_details_ = !editing_details_;
    ImGui::EndDisabled();
    if (editing_details_) draw_ticket_details(t);

    if (resolving_ && (status == "in_progress" || status == "waiting_on_requester")) {
        ImGui::TextUnformatted("Resolution note (the requester reads it)");
        if (ImGui::InputTextMultiline("##Resolution note", &resolution_note_, ImVec2(ImGui::GetContentRegionAvail().x, 60.0f)))
            fonts_.note_text(resolution_note_);
        text_fields_.remember();
        if (ImGui::Button("Resolve the ticket")) {
            if (resolution_note_.find_first_not_of(" \t\r\n") == std::string::npos) {
                work_message_ = "Say how it was solved: the requester reads the note.";
            } else {
                change_ticket({{"status", "resolved"}, {"resolution_note", resolution_note_}}, "", "Resolved.");
                resolving_ = false;
                resolution_note_.clear();
            }
        }
    }
    if (changing_priority_) {
        // the five priorities as one row of choices (wrapping on a narrow column): one click each
        const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
        for (std::size_t i = 0; i < kPriorities.size(); ++i) {
            const std::string words = priority_words(kPriorities[i]);
            if (i > 0) same_line_if_fits(words.c_str(), right);
            theme::push_choice_colours(new_priority_ == kPriorities[i]);
            if (ImGui::Button(words.c_str())) new_priority_ = kPriorities[i];
            theme::pop_choice_colours();
        }
        test_hooks::expose("new_priority", new_priority_);
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - 150.0f);
        if (ImGui::InputTextWithHint("##Priority reason", "Why (kept as an internal note)", &priority_reason_))
            fonts_.note_text(priority_reason_);
        text_fields_.remember();
        test_hooks::expose("Priority reason", priority_reason_);
        ImGui::SameLine();
        if (ImGui::Button("Set priority")) {
            if (new_priority_.empty() || priority_reason_.find_first_not_of(" \t") == std::string::npos) {
                work_message_ = "Choose a priority and say why.";
            } else {
                change_ticket({{"priority", new_priority_}}, priority_reason_, "Priority changed.");
                changing_priority_ = false;
                priority_reason_.clear();
            }
        }
    }
    if (!work_message_.empty()) {
        muted_text(work_message_.c_str());
        test_hooks::expose("work_message", work_message_);
    }
}

// Category, site and assignee: each choice is saved at once (on the device first, like any change).
// Labels on one row, the three combos on the next, at the same x: rows of one kind align.
void PortalApp::draw_ticket_details(const nlohmann::json& t) {
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float width = std::min(220.0f, (ImGui::GetContentRegionAvail().x - 2.0f * spacing) / 3.0f);
    const float x0 = ImGui::GetCursorPosX();
    const std::array<const char*, 3> labels{"Category", "Site", "Assignee"};
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) ImGui::SameLine(x0 + static_cast<float>(i) * (width + spacing));
        ImGui::TextColored(theme::kTextMuted, "%s", labels[i]);
    }
    auto combo = [&](int column, const char* id, const char* hook_label, const std::string& shown, auto&& items) {
        if (column > 0) ImGui::SameLine(x0 + static_cast<float>(column) * (width + spacing));
        ImGui::SetNextItemWidth(width);
        test_hooks::label_item(ImGui::GetID(id), hook_label);
        if (ImGui::BeginCombo(id, shown.c_str())) {
            items();
            ImGui::EndCombo();
        }
    };
    ImGui::BeginDisabled(work_in_flight_);
    const std::string category = text_of(t, "category", "");
    combo(0, "##Ticket category", "Ticket category", category.empty() ? "None yet" : category_label(category), [&] {
        for (const CategoryChoice& c : categories_)
            if (ImGui::Selectable(c.label.c_str(), c.id == category) && c.id != category)
                change_ticket({{"category", c.id}}, "", "Category changed.");
    });
    const std::string site = text_of(t, "site", "");
    combo(1, "##Ticket site", "Ticket site", site.empty() ? "None" : site_words(site), [&] {
        for (const SiteChoice& c : sites_)
            if (ImGui::Selectable(site_words(c.id).c_str(), c.id == site) && c.id != site)
                change_ticket({{"site", c.id}}, "", "Site changed.");
    });
    const nlohmann::json& assignee = field(t, "assignee");
    const std::string assignee_id = assignee.is_string() ? assignee.get<std::string>() : "";
    const std::string assignee_name = assignee_id.empty() ? "Unassigned" : person_name(assignee_id);
    combo(2, "##Ticket assignee", "Ticket assignee", assignee_name, [&] {
        if (ImGui::Selectable("Unassigned", assignee_id.empty()) && !assignee_id.empty())
            change_ticket({{"assignee", nullptr}}, "", "Unassigned.");
        for (const nlohmann::json& p : field(ticket_, "help_desk")) {
            const std::string id = text_of(p, "id", ""), name = text_of(p, "name", "");
            if (ImGui::Selectable((name + "##" + id).c_str(), id == assignee_id) && id != assignee_id)
                change_ticket({{"assignee", id}}, "", "Assigned to " + name + ".");
        }
    });
    ImGui::EndDisabled();
    test_hooks::expose("ticket_category", category);
    test_hooks::expose("ticket_site", site);
    test_hooks::expose("ticket_assignee", assignee_name);
}

// A colleague's name from the open ticket's help desk list; "Someone else" for a person not on it.
std::string PortalApp::person_name(const std::string& user_id) const {
    for (const nlohmann::json& p : field(ticket_, "help_desk"))
        if (text_of(p, "id", "") == user_id) return text_of(p, "name", "Someone else");
    return "Someone else";
}

void PortalApp::change_ticket(nlohmann::json fields, const std::string& reason, std::string done_words) {
    work_in_flight_ = true;
    nlohmann::json args{{"id", open_ticket_id_}, {"fields", std::move(fields)}};
    if (!reason.empty()) args["reason"] = reason;
    engine_.send("update_ticket", std::move(args), [this, done_words](const commands::Response& r) {
        work_in_flight_ = false;
        work_message_ = r.ok ? done_words : "Not changed: " + r.error.message;
        ticket_dirty_ = true;
        tickets_dirty_ = true;
        queue_dirty_ = true;
    });
}

// The help desk writes one of three kinds; a request for information also sets the ticket to
// wait on the requester (when it is in progress), which pauses its SLA clock on the server.
void PortalApp::draw_reply_kind() {
    static constexpr std::array<std::pair<const char*, const char*>, 3> kKinds{
        {{"Public reply", "public_reply"}, {"Internal note", "internal_note"}, {"Ask for information", "request_for_information"}}};
    for (std::size_t i = 0; i < kKinds.size(); ++i) {
        if (i > 0) ImGui::SameLine();
        const bool on = reply_kind_ == kKinds[i].second;
        theme::push_choice_colours(on);
        if (ImGui::Button(kKinds[i].first)) reply_kind_ = kKinds[i].second;
        theme::pop_choice_colours();
    }
    if (reply_kind_ == "internal_note") muted_text("Only the help desk sees internal notes.");
    if (reply_kind_ == "request_for_information")
        muted_text("The requester is asked to answer; the ticket waits on them and its SLA clock pauses.");
    test_hooks::expose("reply_kind", reply_kind_);
}

}  // namespace lb::ui
