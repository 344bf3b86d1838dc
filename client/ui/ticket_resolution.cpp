// ticket_resolution.cpp — the end of a ticket, on the requester's screen: when the help desk has
// resolved it, its resolution note and "Is your problem solved?" — Yes closes it (confirmed), No
// reopens it (back in progress); once resolved or closed, "How did we do?" with a 1–5 rating and
// an optional comment. Each answer is one update_ticket, saved on the device and synced like any
// other change (the lifecycle table decides what the requester may do, and when).
#include <array>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr std::array<const char*, 5> kRatingWords{"Very poor", "Poor", "OK", "Good", "Excellent"};

}  // namespace

void PortalApp::reset_resolution_answers() {
    rating_choice_ = 0;
    rating_comment_.clear();
    resolution_message_.clear();
    resolution_message_status_.clear();
    resolution_sending_ = false;
}

void PortalApp::update_open_ticket(nlohmann::json fields, std::string saved_message) {
    resolution_sending_ = true;
    resolution_message_.clear();
    resolution_message_status_ = fields.contains("status") ? fields["status"].get<std::string>() : "";
    engine_.send("update_ticket", {{"id", open_ticket_id_}, {"fields", std::move(fields)}},
                 [this, saved_message = std::move(saved_message)](const commands::Response& r) {
                     resolution_sending_ = false;
                     resolution_message_ = r.ok ? saved_message : "That could not be saved: " + r.error.message;
                     ticket_dirty_ = true;
                     tickets_dirty_ = true;
                 });
}

void PortalApp::draw_resolution(const nlohmann::json& t) {
    const std::string status = text_of(t, "status", "");
    const std::string me = text_of(field(status_, "sync"), "user_id", "");
    if ((status != "resolved" && status != "closed") || me.empty() || text_of(t, "requester", "") != me) {
        if (!resolution_message_.empty()) {  // e.g. "Reopened: …" — the box has gone with the status
            ImGui::TextColored(theme::kOnline, "%s", resolution_message_.c_str());
            test_hooks::expose("resolution_message", resolution_message_);
        }
        return;
    }
    ImGui::Separator();
    const std::string note = text_of(t, "resolution_note", "");
    ImGui::BeginDisabled(resolution_sending_);
    if (status == "resolved") {
        ImGui::TextColored(theme::kOnline, "The help desk has resolved this ticket.");
        if (!note.empty()) ImGui::TextWrapped("%s", note.c_str());
        test_hooks::expose("resolution_note", note);
        ImGui::TextUnformatted("Is your problem solved?");
        if (ImGui::Button("Yes, close the ticket"))
            update_open_ticket({{"status", "closed"}}, "Thanks — the ticket is closed.");
        ImGui::SameLine();
        if (ImGui::Button("No, reopen it"))
            update_open_ticket({{"status", "in_progress"}}, "Reopened: the help desk will pick it up again. Add a reply to say what is still wrong.");
    } else {
        muted_text(note.empty() ? "This ticket is closed." : ("Closed. The help desk's note: " + note).c_str());
    }

    const nlohmann::json& rated = field(t, "satisfaction_rating");
    const int stored = rated.is_number_integer() ? rated.get<int>() : 0;
    if (rating_choice_ == 0) rating_choice_ = stored;
    ImGui::TextUnformatted("How did we do?");
    for (int i = 1; i <= 5; ++i) {
        if (i > 1) ImGui::SameLine();
        const bool chosen = rating_choice_ == i;
        ImGui::PushStyleColor(ImGuiCol_Button, chosen ? theme::kBrand : theme::kSurface);
        ImGui::PushStyleColor(ImGuiCol_Text, chosen ? theme::kSurface : theme::kBrand);
        std::string label = std::to_string(i) + "##rating " + kRatingWords[static_cast<std::size_t>(i - 1)];
        if (ImGui::Button(label.c_str(), ImVec2(ImGui::GetFrameHeight() * 1.4f, 0.0f))) rating_choice_ = i;
        test_hooks::label_last_item(kRatingWords[static_cast<std::size_t>(i - 1)]);
        ImGui::PopStyleColor(2);
    }
    if (rating_choice_ > 0) {
        ImGui::SameLine();
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(theme::kTextMuted, "%s", kRatingWords[static_cast<std::size_t>(rating_choice_ - 1)]);
    }
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (ImGui::InputTextWithHint("##Rating comment", "Anything to add? (optional)", &rating_comment_))
        fonts_.note_text(rating_comment_);
    text_fields_.remember();
    if (ImGui::Button(stored ? "Change my rating" : "Send rating") && rating_choice_ > 0) {
        nlohmann::json fields{{"satisfaction_rating", rating_choice_}};
        if (!rating_comment_.empty()) fields["satisfaction_comment"] = rating_comment_;
        update_open_ticket(std::move(fields), "Thank you for rating the help desk.");
    }
    ImGui::EndDisabled();
    if (stored > 0) {
        std::string line = "Your rating: " + std::to_string(stored) + " of 5 (" +
                           kRatingWords[static_cast<std::size_t>(stored - 1)] + ")";
        muted_text(line.c_str());
        test_hooks::expose("rating", line);
    }
    if (!resolution_message_.empty()) {
        ImGui::TextColored(theme::kOnline, "%s", resolution_message_.c_str());
        test_hooks::expose("resolution_message", resolution_message_);
    }
}

}  // namespace lb::ui
