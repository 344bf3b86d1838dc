// sign_in.cpp — connecting this device to the help desk: an invite code (employees and
// technicians get one by e-mail or from the admin's `lifebuoy-server invite`), or guest mode on the
// public support page (name and e-mail, no account) where the server allows it. The engine sends
// the enrolment with its sync loop; tickets filed before signing in are sent right after it.
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {

void PortalApp::start_sign_in_with_invite(std::string code) {
    invite_code_ = std::move(code);
    screen_ = Screen::SignIn;
}

void PortalApp::enroll(nlohmann::json args) {
    sign_in_error_.clear();
    sign_in_sending_ = true;
    args["device_label"] = "Web browser";
    args["platform"] = "web";
    engine_.send("enroll", std::move(args), [this](const commands::Response& r) {
        sign_in_sending_ = false;
        if (!r.ok) {
            sign_in_error_ = r.error.message;
            return;
        }
        next_status_poll_s_ = 0.0;  // show "Signing in…" at once
    });
}

void PortalApp::draw_sign_in(float width) {
    ImGui::BeginChild("Sign in", ImVec2(width, 0.0f), true);
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("Sign in to the help desk");
    ImGui::PopFont();
    const nlohmann::json& sync = field(status_, "sync");
    if (flag(sync, "enrolled")) {
        std::string who = "This device is signed in as " + text_of(sync, "role", "a user") + ".";
        ImGui::TextColored(theme::kOnline, "%s", who.c_str());
        if (ImGui::Button("Back to my tickets")) screen_ = Screen::MyTickets;
        ImGui::EndChild();
        return;
    }
    if (flag(sync, "enrolling")) {
        const bool online = flag(field(status_, "connection"), "online");
        muted_text(online ? "Signing in…" : "Signing in as soon as the help desk can be reached…");
    }
    muted_text("You can file tickets before signing in: they stay on this device and are sent once you are in.");
    const float field_width = ImGui::GetContentRegionAvail().x;

    ImGui::Spacing();
    ImGui::TextUnformatted("Invite code");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Invite code", "from your invitation, e.g. 3kq7mz-…", &invite_code_);
    text_fields_.remember();
    test_hooks::expose("Invite code", invite_code_);
    ImGui::BeginDisabled(sign_in_sending_ || invite_code_.empty());
    if (ImGui::Button("Sign in with invite code")) enroll({{"invite", invite_code_}});
    ImGui::EndDisabled();

    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("No account? Ask for help as a guest");
    ImGui::TextUnformatted("Your name");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Your name", "e.g. Sam Rivera", &guest_name_);
    text_fields_.remember();
    ImGui::TextUnformatted("E-mail for replies");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##E-mail", "name@example.com", &guest_email_);
    text_fields_.remember();
    ImGui::BeginDisabled(sign_in_sending_);
    if (ImGui::Button("Continue as guest")) {
        if (guest_name_.find_first_not_of(' ') == std::string::npos) {
            sign_in_error_ = "Tell us your name so the help desk knows who is asking.";
        } else if (guest_email_.find('@') == std::string::npos) {
            sign_in_error_ = "Give an e-mail address so the help desk can reply to you.";
        } else {
            enroll({{"guest", true}, {"display_name", guest_name_}, {"email", guest_email_}});
        }
    }
    ImGui::EndDisabled();
    muted_text("Guests keep their tickets on this device and in this browser only.");

    const nlohmann::json& last_error = field(sync, "last_error");
    std::string problem = sign_in_error_;
    if (problem.empty() && text_of(last_error, "code", "") == "enroll_failed")
        problem = "The help desk refused: " + text_of(last_error, "message", "");
    if (!problem.empty()) {
        ImGui::TextColored(theme::kOffline, "%s", problem.c_str());
        test_hooks::expose("sign_in_error", problem);
    }
    ImGui::EndChild();
}

}  // namespace lb::ui
