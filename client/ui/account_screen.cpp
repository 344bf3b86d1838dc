// account_screen.cpp — the Account screen of a signed-in device: how to reach the same tickets from
// another device. People with an account choose a sign-in name and a passphrase (the engine wraps
// their key with it — Argon2id, about half a second — and the sync loop stores the wrap at the help
// desk; the passphrase itself never leaves this device). Guests get a recovery link instead: the
// secret after #recover= stays in the link (a URL fragment is never sent to a server) and opens
// their tickets in another browser. The screen says honestly whether the help desk has the backup yet.
#include <algorithm>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/portal_app.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr std::size_t kMinPassphraseChars = 8;  // the engine's kMinPassphraseBytes

std::string role_words(const std::string& role) {
    if (role == "guest") return "a guest";
    if (role == "technician") return "a technician";
    if (role == "admin") return "an administrator";
    return "a requester";
}

}  // namespace

void PortalApp::draw_account(float width) {
    const nlohmann::json& sync = field(status_, "sync");
    const std::string role = text_of(sync, "role", "requester");
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("Your account");
    ImGui::PopFont();
    std::string who = "This device is signed in to the help desk as " + role_words(role) + ".";
    ImGui::TextColored(theme::kOnline, "%s", who.c_str());
    if (ImGui::Button("Back to my tickets")) screen_ = Screen::MyTickets;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    const float field_width = std::min(width - 2.0f * ImGui::GetStyle().WindowPadding.x, 420.0f);
    if (role == "guest") {
        draw_recovery_link(field_width);
    } else {
        draw_passphrase_form(field_width, field(field(sync, "key_backup"), "passphrase"));
    }
}

void PortalApp::draw_passphrase_form(float field_width, const nlohmann::json& backup) {
    ImGui::TextUnformatted("Use your tickets on another device");
    muted_text("Choose a sign-in name and a passphrase. On your phone or another computer, open the portal and "
               "sign in with them. Your passphrase protects the key that opens your tickets; it never leaves this "
               "device, so the help desk cannot tell you what it is — choose one you will remember.");
    const std::string state = text_of(backup, "state", "");
    std::string line;
    if (state == "stored") {
        line = "Set: sign in on another device as \"" + text_of(backup, "sign_in_name", "") + "\".";
        ImGui::TextColored(theme::kOnline, "%s", line.c_str());
    } else if (state == "waiting") {
        line = "Saved on this device; the help desk gets it at the next sync.";
        muted_text(line.c_str());
    } else if (state == "refused") {
        line = "The help desk refused: " + text_of(backup, "message", "") + ".";
        warning_text(line);
    }
    test_hooks::expose("passphrase_state", state.empty() ? "none" : state);
    ImGui::Spacing();
    ImGui::TextUnformatted("Sign-in name");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Sign-in name", "e.g. sam.rivera", &account_name_, ImGuiInputTextFlags_CharsNoBlank);
    text_fields_.remember();
    test_hooks::expose("Sign-in name", account_name_);
    ImGui::TextUnformatted(state == "stored" ? "New passphrase" : "Passphrase");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Passphrase", "at least 8 characters, e.g. four unrelated words", &account_passphrase_,
                             ImGuiInputTextFlags_Password);
    text_fields_.remember();
    ImGui::TextUnformatted("Repeat the passphrase");
    ImGui::SetNextItemWidth(field_width);
    ImGui::InputTextWithHint("##Repeat passphrase", "the same again", &account_repeat_, ImGuiInputTextFlags_Password);
    text_fields_.remember();
    ImGui::BeginDisabled(account_sending_);
    if (ImGui::Button(account_sending_ ? "Protecting your key…##Save passphrase" : "Save passphrase")) {
        account_message_.clear();
        if (account_name_.size() < 3) {
            account_message_ = "Choose a sign-in name of at least 3 characters.";
        } else if (account_passphrase_.size() < kMinPassphraseChars) {
            account_message_ = "A passphrase has at least 8 characters — a few unrelated words work well.";
        } else if (account_passphrase_ != account_repeat_) {
            account_message_ = "The two passphrases are not the same.";
        } else {
            account_sending_ = true;
            nlohmann::json args{{"sign_in_name", account_name_}, {"passphrase", account_passphrase_}};
            wipe_secret(account_passphrase_);
            wipe_secret(account_repeat_);
            engine_.send("set_passphrase", std::move(args), [this](const commands::Response& r) {
                account_sending_ = false;
                if (!r.ok) account_message_ = r.error.message;
                next_status_poll_s_ = 0.0;
            });
        }
    }
    ImGui::EndDisabled();
    if (!account_message_.empty()) {
        warning_text(account_message_);
        test_hooks::expose("account_error", account_message_);
    }
}

void PortalApp::draw_recovery_link(float field_width) {
    ImGui::TextUnformatted("Your recovery link");
    muted_text("As a guest, your tickets are on this device. Keep this link somewhere safe (a note to yourself, "
               "a password manager): opening it in another browser brings your tickets there. Anyone with the link "
               "can read your tickets, so do not share it.");
    if (!recovery_requested_) {
        recovery_requested_ = true;
        engine_.send("recovery_link", nlohmann::json::object(), [this](const commands::Response& r) {
            if (r.ok) {
                recovery_secret_ = text_of(r.result, "secret", "");
                recovery_state_ = text_of(r.result, "state", "");
            } else {
                account_message_ = r.error.message;
            }
        });
    }
    const std::string state = text_of(field(field(field(status_, "sync"), "key_backup"), "recovery"), "state", "");
    if (!state.empty() && state != recovery_state_) recovery_state_ = state;
    if (recovery_secret_.empty()) {
        muted_text("Making your link…");
    } else {
        std::string link = portal_address_ + "#recover=" + recovery_secret_;
        ImGui::SetNextItemWidth(std::max(field_width, ImGui::GetContentRegionAvail().x));
        ImGui::InputText("##Recovery link", &link, ImGuiInputTextFlags_ReadOnly);
        test_hooks::expose("Recovery link", link);
        if (ImGui::Button("Copy link")) {
            ImGui::SetClipboardText(link.c_str());
            account_message_.clear();
            recovery_copied_ = true;
        }
        if (recovery_copied_) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kOnline, "Copied.");
        }
        if (recovery_state_ == "stored") {
            ImGui::TextColored(theme::kOnline, "The help desk holds your locked key: the link works from any browser.");
        } else {
            muted_text("The link works once this device has reached the help desk (it is sent at the next sync).");
        }
        test_hooks::expose("recovery_state", recovery_state_);
    }
    if (!account_message_.empty()) warning_text(account_message_);
}

}  // namespace lb::ui
