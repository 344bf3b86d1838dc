// ticket_screens.cpp — "My tickets" (every ticket on this device with its number, title, status,
// priority, last update and delivery state; search) and one ticket (details, delivery state in
// words — including the server's reason when it refused a change — the conversation in time
// order, and a reply box; for the help desk on a wide window, the work on it in a column of its
// own beside the conversation). Lists are re-read when the engine says tickets or sync changed.
#include <algorithm>
#include <ctime>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr int kListLimit = 200;
constexpr float kReplyBoxHeight = 90.0f;
// The help desk's ticket in two columns from this width on (a 1280-pixel window is wide enough).
constexpr float kTicketTwoColumnMinWidth = 1000.0f;
constexpr float kTicketWorkShare = 0.42f;  // of the width, for the facts-and-work column
constexpr float kTicketWorkMinWidth = 420.0f, kTicketWorkMaxWidth = 620.0f;
constexpr float kTicketColumnGap = 16.0f;

// "14:02" today, "3 Mar 14:02" otherwise, in the device's time zone.

std::string status_words(const std::string& status) {
    if (status == "new") return "New";
    if (status == "triaged") return "Triaged";
    if (status == "assigned") return "Assigned";
    if (status == "in_progress") return "In progress";
    if (status == "waiting_on_requester") return "Waiting for you";
    if (status == "resolved") return "Resolved";
    if (status == "closed") return "Closed";
    return status;
}


// "Site: London  ·  Reply by phone: +44 20 7946 0000" — where the ticket is and how the requester
// wants to hear back; "" when neither was said.
std::string contact_words(const nlohmann::json& t) {
    std::string out;
    const std::string site = text_of(t, "site", "");
    if (!site.empty()) out = "Site: " + site_words(site);
    const std::string contact = text_of(t, "contact", "portal"), detail = text_of(t, "contact_detail", "");
    std::string how;
    if (contact == "email") how = detail.empty() ? "Replies also by e-mail" : "Replies also by e-mail to " + detail;
    if (contact == "phone") how = "Call back on " + detail;
    if (!how.empty()) out += (out.empty() ? "" : "  ·  ") + how;
    return out;
}

std::string number_text(const nlohmann::json& number) {
    return number.is_number_integer() ? "#" + std::to_string(number.get<std::int64_t>()) : "—";
}

}  // namespace

std::string priority_words(const std::string& priority, const char* unknown) {
    if (priority == "critical") return "P1 Critical";
    if (priority == "high") return "P2 High";
    if (priority == "medium") return "P3 Medium";
    if (priority == "low") return "P4 Low";
    if (priority == "planning") return "P5 Planning";
    return unknown;
}

std::string when(const nlohmann::json& ms) {
    if (!ms.is_number_integer()) return "";
    const std::time_t seconds = static_cast<std::time_t>(ms.get<std::int64_t>() / 1000);
    const std::time_t now = std::time(nullptr);
    std::tm at{}, today{};
    localtime_r(&seconds, &at);
    localtime_r(&now, &today);
    char text[32];
    const bool same_day = at.tm_year == today.tm_year && at.tm_yday == today.tm_yday;
    std::strftime(text, sizeof text, same_day ? "%H:%M" : "%e %b %H:%M", &at);
    return text[0] == ' ' ? text + 1 : text;
}

bool PortalApp::online() const { return flag(field(status_, "connection"), "online"); }

std::string delivery_text(const nlohmann::json& sync, bool online) {
    const std::string state = text_of(sync, "state", "");
    if (state == "saved_on_device") return "Saved on this device — sent when you are online";
    // Sent, but unconfirmed: maybe it arrived, maybe not; offline, it is sent again on return.
    if (state == "sent") return online ? "Sent — waiting for the help desk to confirm"
                                       : "Saved on this device — sent again when you are online";
    if (state == "received") return "Received by the help desk";
    if (state == "rejected")
        return "Not accepted by the help desk: " + text_of(sync, "message", "no reason given") + " (" +
               text_of(sync, "code", "rejected") + ")";
    return "Delivery state unknown";
}

ImVec4 delivery_colour(const nlohmann::json& sync, bool online) {
    const std::string state = text_of(sync, "state", "");
    if (state == "received") return theme::kOnline;
    if (state == "rejected") return theme::kBrand;
    if (state == "saved_on_device" || !online) return theme::kOffline;
    return theme::kTextMuted;
}

void PortalApp::refresh_tickets_if_due() {
    if (!tickets_dirty_ || tickets_in_flight_) return;
    tickets_dirty_ = false;
    tickets_in_flight_ = true;
    nlohmann::json args{{"sort", "updated"}, {"limit", kListLimit}};
    if (!tickets_query_.empty()) args["filter"] = {{"query", tickets_query_}};
    engine_.send("list_tickets", std::move(args), [this](const commands::Response& r) {
        tickets_in_flight_ = false;
        if (!r.ok) {
            ticket_error_ = r.error.message;
            return;
        }
        tickets_ = field(r.result, "rows");
        const nlohmann::json& unread = field(r.result, "unread");
        tickets_unread_ = unread.is_number_integer() ? unread.get<int>() : 0;
        const nlohmann::json& total = field(r.result, "total");
        tickets_total_ = total.is_number_integer() ? total.get<std::int64_t>() : static_cast<std::int64_t>(tickets_.size());
        for (const nlohmann::json& row : tickets_) fonts_.note_text(text_of(row, "title", ""));
    });
}

// For the browser tests: what the list says, one object per ticket.
void PortalApp::expose_tickets() {
    if (!tickets_.is_array()) return;
    nlohmann::json shown = nlohmann::json::array();
    for (const nlohmann::json& row : tickets_) {
        shown.push_back({{"title", text_of(row, "title", "")}, {"number", field(row, "number")},
                         {"status", text_of(row, "status", "")},
                         {"unread", flag(row, "unread")},
                         {"state", text_of(field(row, "sync"), "state", "")},
                         {"delivery", delivery_text(field(row, "sync"), online())}});
    }
    test_hooks::expose("tickets", shown.dump());
}

void PortalApp::draw_my_tickets(float width) {
    ImGui::BeginChild("My tickets", ImVec2(width, 0.0f), true);
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("My tickets");
    ImGui::PopFont();
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 360.0f));
    if (ImGui::InputTextWithHint("##Search tickets", "Search my tickets", &tickets_query_)) {
        fonts_.note_text(tickets_query_);
        tickets_dirty_ = true;
    }
    text_fields_.remember();
    ImGui::Spacing();
    if (!tickets_.is_array()) {
        muted_text("Reading your tickets…");
    } else if (tickets_.empty()) {
        muted_text(tickets_query_.empty() ? "No tickets yet. Use New ticket to tell the help desk what is wrong."
                                          : "No ticket matches that search.");
    } else {
        const bool narrow = ImGui::GetContentRegionAvail().x < 640.0f;
        // the list holds the most recently updated kListLimit; a line under it says so
        const bool more = tickets_total_ > static_cast<std::int64_t>(tickets_.size());
        const int columns = narrow ? 3 : 5;
        ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingStretchProp;
        const float below = more ? ImGui::GetTextLineHeightWithSpacing() * 2.0f : 0.0f;
        if (ImGui::BeginTable("tickets", columns, flags, ImVec2(0.0f, -below))) {
            ImGui::TableSetupScrollFreeze(0, 1);
            ImGui::TableSetupColumn("Number", ImGuiTableColumnFlags_WidthFixed, 64.0f);
            ImGui::TableSetupColumn("Title", ImGuiTableColumnFlags_WidthStretch, 3.0f);
            if (!narrow) {
                ImGui::TableSetupColumn("Status", ImGuiTableColumnFlags_WidthStretch, 1.0f);
                ImGui::TableSetupColumn("Priority", ImGuiTableColumnFlags_WidthStretch, 1.0f);
            }
            ImGui::TableSetupColumn("Updated", ImGuiTableColumnFlags_WidthFixed, 96.0f);
            ImGui::TableHeadersRow();
            for (const nlohmann::json& row : tickets_) {
                const std::string id = text_of(row, "id", "");
                const std::string title = text_of(row, "title", "");
                const nlohmann::json& sync = field(row, "sync");
                ImGui::PushID(id.c_str());
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                // the whole row (two lines) opens the ticket; it is labelled with the ticket's title
                const float row_height = 2.0f * ImGui::GetTextLineHeightWithSpacing();
                // (no AllowItemOverlap: it only takes a click on an item hovered the frame before,
                // which loses the first click of a mouse that just arrived)
                if (ImGui::Selectable("##open", false, ImGuiSelectableFlags_SpanAllColumns, ImVec2(0.0f, row_height)))
                    open_ticket(id);
                test_hooks::label_last_item(title);
                ImGui::SameLine();
                if (flag(row, "unread")) {  // news since the person last opened it
                    ImGui::TextColored(theme::kBrand, "● %s", number_text(field(row, "number")).c_str());
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("New since you last looked");
                } else {
                    ImGui::TextUnformatted(number_text(field(row, "number")).c_str());
                }
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%s", title.c_str());
                ImGui::PushStyleColor(ImGuiCol_Text, delivery_colour(sync, online()));
                ImGui::TextWrapped("%s", delivery_text(sync, online()).c_str());
                ImGui::PopStyleColor();
                if (!narrow) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(status_words(text_of(row, "status", "")).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(priority_words(text_of(row, "priority", "")).c_str());
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(when(field(row, "updated_ms")).c_str());
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
        if (more) {
            const std::string shown = "Showing the " + std::to_string(tickets_.size()) + " most recently updated of " +
                                      std::to_string(tickets_total_) + " tickets; search to find the others.";
            muted_text(shown.c_str());
            test_hooks::expose("tickets_more", shown);
        }
    }
    if (!ticket_error_.empty()) ImGui::TextColored(theme::kOffline, "%s", ticket_error_.c_str());
    ImGui::EndChild();
}

void PortalApp::open_ticket(const std::string& id, Screen back_to) {
    if (id.empty()) return;
    ticket_back_to_ = back_to;
    if (id != open_ticket_id_) {
        ticket_ = nlohmann::json();
        reply_.clear();
        reply_error_.clear();
        reset_resolution_answers();
    }
    if (id != open_ticket_id_) {
        resolving_ = false;
        changing_priority_ = false;
        editing_details_ = false;
        work_message_.clear();
        reply_kind_ = "public_reply";
    }
    open_ticket_id_ = id;
    ticket_error_.clear();
    ticket_dirty_ = true;
    screen_ = Screen::Ticket;
}

void PortalApp::refresh_open_ticket_if_due() {
    if (!ticket_dirty_ || ticket_in_flight_ || open_ticket_id_.empty()) return;
    ticket_dirty_ = false;
    ticket_in_flight_ = true;
    engine_.send("get_ticket", {{"id", open_ticket_id_}}, [this, id = open_ticket_id_](const commands::Response& r) {
        ticket_in_flight_ = false;
        if (id != open_ticket_id_) return;
        if (!r.ok) {
            ticket_error_ = r.error.message;
            return;
        }
        const std::string status_before = text_of(field(ticket_, "ticket"), "status", "");
        ticket_ = r.result;
        const nlohmann::json& t = field(ticket_, "ticket");
        // an answer about a status the ticket has since left (resolved again by the help desk) is old
        const std::string status_now = text_of(t, "status", "");
        if (status_now != status_before && !resolution_message_status_.empty() && status_now != resolution_message_status_)
            resolution_message_.clear();
        fonts_.note_text(text_of(t, "title", ""));
        fonts_.note_text(text_of(t, "description", ""));
        for (const nlohmann::json& c : field(ticket_, "comments")) fonts_.note_text(text_of(c, "body", ""));
        // on screen now: its news has been shown (the engine clears the list's marker)
        if (screen_ == Screen::Ticket)
            engine_.send("mark_ticket_read", {{"id", id}}, [](const commands::Response&) {});
    });
}

// One ticket. For the help desk on a wide window, two columns: what the ticket is and the work on
// it (facts, offline races, work buttons, Details…, History) on the left, the conversation and the
// reply box on the right, each as tall as the window — so opening Details… or History never
// squeezes the conversation. Otherwise (requesters, narrow windows) one column, top to bottom.
void PortalApp::draw_ticket(float width) {
    ImGui::BeginChild("Ticket", ImVec2(width, 0.0f), true);
    const char* back = ticket_back_to_ == Screen::Queue ? "< Queue" : ticket_back_to_ == Screen::Dashboard ? "< Dashboard" : "< My tickets";
    if (ImGui::Button(back)) {
        screen_ = ticket_back_to_;
        queue_dirty_ = true;
        dashboard_dirty_ = true;
    }
    const bool help_desk = help_desk_role();
    if (help_desk && field(ticket_, "history").is_array()) {  // on the back button's line: no height
        ImGui::SameLine();
        theme::push_choice_colours(history_open_);
        if (ImGui::Button("History")) history_open_ = !history_open_;
        theme::pop_choice_colours();
    }
    ImGui::Spacing();
    if (!ticket_error_.empty()) ImGui::TextColored(theme::kOffline, "%s", ticket_error_.c_str());
    const nlohmann::json& t = field(ticket_, "ticket");
    if (!t.is_object()) {
        if (ticket_error_.empty()) muted_text("Opening the ticket…");
        ImGui::EndChild();
        return;
    }
    const std::string title = text_of(t, "title", "");
    ImGui::PushFont(fonts_.heading());
    const nlohmann::json& number = field(t, "number");
    if (number.is_number_integer()) ImGui::TextWrapped("%s %s", number_text(number).c_str(), title.c_str());
    else ImGui::TextWrapped("%s", title.c_str());
    ImGui::PopFont();
    test_hooks::expose("ticket_title", title);
    test_hooks::expose("ticket_number", number_text(number));

    const float avail = ImGui::GetContentRegionAvail().x;
    const bool two_columns = help_desk && avail >= kTicketTwoColumnMinWidth;
    test_hooks::expose("ticket_layout", two_columns ? "two_columns" : "one_column");
    if (!two_columns) {
        draw_ticket_facts(t);
        ImGui::Separator();
        draw_ticket_conversation(t);
        ImGui::EndChild();
        return;
    }
    const float left = std::clamp(avail * kTicketWorkShare, kTicketWorkMinWidth, kTicketWorkMaxWidth);
    ImGui::BeginChild("##Ticket facts and work", ImVec2(left, 0.0f), false);
    draw_ticket_facts(t);
    ImGui::EndChild();
    ImGui::SameLine(0.0f, kTicketColumnGap);
    const ImVec2 top = ImGui::GetCursorScreenPos();  // a rule between the columns
    ImGui::GetWindowDrawList()->AddLine(ImVec2(top.x - kTicketColumnGap * 0.5f, top.y),
                                        ImVec2(top.x - kTicketColumnGap * 0.5f, top.y + ImGui::GetContentRegionAvail().y),
                                        ImGui::GetColorU32(ImGuiCol_Separator));
    ImGui::BeginChild("##Ticket talk", ImVec2(0.0f, 0.0f), false);
    draw_ticket_conversation(t);
    ImGui::EndChild();
    ImGui::EndChild();
}

// Status, priority, when it was filed, the help desk's targets, where and how to answer, the
// delivery state; and for the help desk the offline races, the work on it and its History.
void PortalApp::draw_ticket_facts(const nlohmann::json& t) {
    std::string facts = status_words(text_of(t, "status", "")) + "  ·  " + priority_words(text_of(t, "priority", "")) +
                        "  ·  filed " + when(field(t, "created_ms"));
    muted_text(facts.c_str());
    // The help desk's targets (its SLA rules, computed from when the ticket was filed here).
    const std::string open_status = text_of(t, "status", "");
    if (open_status != "resolved" && open_status != "closed") {
        // Set by the help desk once it has the ticket; until then the device's estimate from the
        // same rules (the desk settings last synced), labelled as one.
        const bool estimated = flag(t, "due_estimated");
        const char* response_key = estimated ? "expected_response_ms" : "response_due_ms";
        const char* resolution_key = estimated ? "expected_resolution_ms" : "resolution_due_ms";
        std::string due;
        if (field(t, response_key).is_number_integer()) due = "Expected response by " + when(field(t, response_key));
        if (field(t, resolution_key).is_number_integer())
            due += (due.empty() ? "Expected resolution by " : "  ·  resolution by ") + when(field(t, resolution_key));
        if (!due.empty() && estimated) due += "  (estimate until the help desk has it)";
        if (!due.empty()) {
            muted_text(due.c_str());
            test_hooks::expose("ticket_due", due);
        }
    }
    const std::string where = contact_words(t);
    if (!where.empty()) {
        muted_text(where.c_str());
        test_hooks::expose("ticket_contact", where);
    }
    const nlohmann::json& sync = field(t, "sync");
    ImGui::PushStyleColor(ImGuiCol_Text, delivery_colour(sync, online()));
    const std::string delivery = delivery_text(sync, online());
    ImGui::TextWrapped("%s", delivery.c_str());
    ImGui::PopStyleColor();
    test_hooks::expose("ticket_delivery", delivery);
    if (text_of(sync, "state", "") == "rejected") {
        muted_text("Nothing was lost: the ticket stays on this device. Ask the help desk by phone, or file it again "
                   "once you are signed in with an account that may make this change.");
    }
    if (help_desk_role()) {
        draw_offline_races(field(ticket_, "history"));
        draw_ticket_work(t);
        draw_ticket_history(field(ticket_, "history"));
    }
}

// The description and conversation scroll; the reply box stays in view below them.
void PortalApp::draw_ticket_conversation(const nlohmann::json& t) {
    const std::string status = text_of(t, "status", "");
    // A resolved ticket is answered with Yes/No (ticket_resolution.cpp): a requester who still
    // needs help reopens it, then replies; the help desk can always reply until it is closed.
    const bool help_desk = help_desk_role();
    const bool can_reply = status != "closed" && (status != "resolved" || help_desk);
    float reply_height = can_reply ? 2.0f * ImGui::GetTextLineHeightWithSpacing() + kReplyBoxHeight +
                                         ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y
                                   : 0.0f;
    if (can_reply && help_desk)  // the kind of reply, and a line on what it does
        reply_height += ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing();
    ImGui::BeginChild("##Ticket conversation", ImVec2(0.0f, -reply_height), false);
    test_hooks::expose("conversation_height", std::to_string(static_cast<int>(ImGui::GetWindowHeight())));
    ImGui::TextWrapped("%s", text_of(t, "description", "").c_str());

    ImGui::Spacing();
    ImGui::TextUnformatted("Conversation");
    const nlohmann::json& comments = field(ticket_, "comments");
    const std::string me = text_of(field(status_, "sync"), "user_id", "");
    std::string shown;
    for (const nlohmann::json& c : comments) {
        const bool mine = text_of(c, "author", "") == me;
        const std::string kind = text_of(c, "kind", "");
        const bool automatic = kind == "system_event";  // triage, due dates, assignment
        const std::string body = text_of(c, "body", "");  // automatic notes: plain words for requesters
        const std::string colleague = text_of(c, "author_name", "");  // only for the help desk's eyes
        std::string who = mine ? "You" : automatic ? "Help desk (automatic)" : !colleague.empty() ? colleague : "Help desk";
        if (kind == "request_for_information") who += " asks for information";
        if (kind == "internal_note") who += " · internal note";
        ImGui::Separator();
        ImGui::TextColored(mine || automatic ? theme::kTextMuted : theme::kBrand, "%s · %s", who.c_str(),
                           when(field(c, "posted_ms")).c_str());
        if (automatic) muted_text(body.c_str());
        else ImGui::TextWrapped("%s", body.c_str());
        shown += (shown.empty() ? "" : "\n") + who + ": " + body;
    }
    if (shown.empty()) muted_text("No replies yet.");
    test_hooks::expose("conversation", shown);
    draw_resolution(t);  // after the conversation: the answer it asks for comes last
    const std::string seen = std::to_string(comments.is_array() ? comments.size() : 0) + "/" + status;
    if (seen != conversation_shown_) {  // something new (or another ticket): show the latest
        conversation_shown_ = seen;
        ImGui::SetScrollHereY(1.0f);
    }
    ImGui::EndChild();

    if (can_reply) {
        ImGui::Separator();
        ImGui::TextUnformatted("Reply");
        if (help_desk) draw_reply_kind();
        if (ImGui::InputTextMultiline("##Reply", &reply_, ImVec2(ImGui::GetContentRegionAvail().x, kReplyBoxHeight)))
            fonts_.note_text(reply_);
        text_fields_.remember();
        ImGui::BeginDisabled(reply_sending_);
        const char* send = !help_desk || reply_kind_ == "public_reply" ? "Send reply"
                           : reply_kind_ == "internal_note"               ? "Add internal note"
                                                                          : "Ask the requester";
        if (ImGui::Button(send)) send_reply();
        ImGui::EndDisabled();
        if (!reply_error_.empty()) ImGui::TextColored(theme::kOffline, "%s", reply_error_.c_str());
    }
}

void PortalApp::send_reply() {
    const auto first = reply_.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        reply_error_ = "Write your reply first.";
        return;
    }
    reply_error_.clear();
    reply_sending_ = true;
    const std::string kind = help_desk_role() ? reply_kind_ : "public_reply";
    const bool wait_on_requester =
        kind == "request_for_information" && text_of(field(ticket_, "ticket"), "status", "") == "in_progress";
    engine_.send("add_comment", {{"ticket_id", open_ticket_id_}, {"body", reply_}, {"kind", kind}},
                 [this, wait_on_requester](const commands::Response& r) {
                     reply_sending_ = false;
                     if (!r.ok) {
                         reply_error_ = "The reply could not be saved: " + r.error.message;
                         return;
                     }
                     reply_.clear();
                     reply_kind_ = "public_reply";
                     ticket_dirty_ = true;
                     tickets_dirty_ = true;
                     if (wait_on_requester) change_ticket({{"status", "waiting_on_requester"}}, "", "Waiting on the requester.");
                 });
}

}  // namespace lb::ui
