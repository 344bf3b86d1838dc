// sign_in.cpp — connecting this device to the help desk: an invite code (employees and
// technicians get one by e-mail or from the admin's `lifebuoy-server invite`), a sign-in name and
// passphrase (someone who already uses the help desk on another device), a guest's recovery link
// (#recover=…, opened in this browser), or guest mode on the public support page (name and
// e-mail, no account) where the server allows it. The engine sends the enrolment with its sync
// loop; tickets filed before signing in are sent right after it. Once signed in, the same tab is
// the Account screen (account_screen.cpp).
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

void PortalApp::start_recovery(std::string secret) {
    recovery_from_link_ = std::move(secret);
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
    const nlohmann::json& sync = field(status_, "sync");
    if (flag(sync, "enrolled")) {
        if (!recovery_from_link_.empty())
            sign_in_error_ = "This browser is already signed in, so the recovery link was not used here.";
        recovery_from_link_.clear();
        draw_account(width);
        if (!sign_in_error_.empty()) warning_text(sign_in_error_);
        ImGui::EndChild();
        return;
    }
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("Sign in to the help desk");
    ImGui::PopFont();
    if (flag(sync, "enrolling")) {
        const bool online = flag(field(status_, "connection"), "online");
        muted_text(online ? "Signing in…" : "Signing in as soon as the help desk can be reached…");
    }
    muted_text("You can file tickets before signing in: they stay on this device and are sent once you are in.");
    const float field_width = ImGui::GetContentRegionAvail().x;

    if (!recovery_from_link_.empty()) {
        ImGui::Spacing();
        ImGui::TextColored(theme::kBrand, "You opened a recovery link.");
        muted_text("It brings the tickets you filed as a guest in another browser to this one.");
        ImGui::BeginDisabled(sign_in_sending_ || flag(sync, "enrolling"));
        if (ImGui::Button("Recover my tickets")) enroll({{"recover", recovery_from_link_}});
        ImGui::EndDisabled();
        ImGui::Spacing();
        ImGui::Separator();
    }

    ImGui::Spacing();
    if (show_passphrase_sign_in_) {
        draw_passphrase_sign_in(field_width);
    } else {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("Already use the help desk on another device?");
        ImGui::SameLine();
        if (ImGui::Button("Use my passphrase")) show_passphrase_sign_in_ = true;
        draw_invite_and_guest(field_width);
    }
    draw_sign_in_problem();
    ImGui::EndChild();
}

// Someone who already uses the help desk elsewhere: their sign-in name and passphrase.
void PortalApp::draw_passphrase_sign_in(float field_width) {
    const nlohmann::json& sync = field(status_, "sync");
    ImGui::TextWrapped("Sign in with the name and passphrase you chose under Account on your other device.");
    ImGui::TextUnformatted("Sign-in name");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Sign-in name", "e.g. sam.rivera", &sign_in_name_, ImGuiInputTextFlags_CharsNoBlank);
    text_fields_.remember();
    test_hooks::expose("Sign-in name", sign_in_name_);
    ImGui::TextUnformatted("Passphrase");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Passphrase", "your passphrase", &sign_in_passphrase_, ImGuiInputTextFlags_Password);
    text_fields_.remember();
    ImGui::BeginDisabled(sign_in_sending_ || flag(sync, "enrolling") || sign_in_name_.empty() ||
                         sign_in_passphrase_.empty());
    if (ImGui::Button("Sign in with passphrase")) {
        nlohmann::json args{{"sign_in", {{"name", sign_in_name_}, {"passphrase", sign_in_passphrase_}}}};
        wipe_secret(sign_in_passphrase_);
        enroll(std::move(args));
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Other ways to sign in")) show_passphrase_sign_in_ = false;
    muted_text("Checking a passphrase takes a moment on purpose: it makes guessing slow.");
}

void PortalApp::draw_invite_and_guest(float field_width) {
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
    muted_text("Guests' tickets live in this browser; after signing in, Account gives you a recovery link to "
               "open them elsewhere.");
}

// Why the last attempt did not work: the device's check, or the help desk's refusal.
void PortalApp::draw_sign_in_problem() {
    const nlohmann::json& sync = field(status_, "sync");
    const nlohmann::json& last_error = field(sync, "last_error");
    std::string problem = sign_in_error_;
    const std::string code = text_of(last_error, "code", "");
    if (problem.empty() && code == "enroll_failed")
        problem = "The help desk refused: " + text_of(last_error, "message", "");
    if (problem.empty() && code == "sign_in_failed")
        problem = "That sign-in name and passphrase do not match. Check the sign-in name and passphrase, then try again.";
    if (problem.empty() && code == "sign_in_locked")
        problem = "Too many wrong passphrases: " + text_of(last_error, "message", "") + ".";
    if (problem.empty() && code == "bad_sign_in_name") problem = text_of(last_error, "message", "") + ".";
    if (problem.empty() && code == "recovery_link_malformed")
        problem = "This recovery link is not complete: copy the whole link and open it again.";
    if (!problem.empty()) {
        if (problem.front() >= 'a' && problem.front() <= 'z') problem.front() = static_cast<char>(problem.front() - 'a' + 'A');
        warning_text(problem);
        test_hooks::expose("sign_in_error", problem);
    }
}

}  // namespace lb::ui
