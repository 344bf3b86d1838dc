// ticket_form.cpp — the New ticket form's choices and its Submit: category (suggested on the
// device from the words typed, changeable), impact and urgency in plain words, the site (from the
// help desk's settings, synced and kept offline; not for guests), how to hear back (the portal,
// also e-mail, or a call — with the number), an optional asset tag (not for guests), inline
// validation, and create_ticket, which works offline: the engine answers once the ticket and its
// outbox entry are durable on this device, and the ticket screen then shows its honest delivery
// state. The choices go into the autosaved draft with the typed text.
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

constexpr double kCategoryDelaySeconds = 0.3;  // after the last keystroke
constexpr std::size_t kMinTitleChars = 3;

struct PlainChoice {
    const char* words;  // what people read
    const char* value;  // the engine's name
};
// Impact: how many people it touches. Urgency: how much it stops work.
constexpr std::array<PlainChoice, 3> kImpacts{{{"Just me", "low"}, {"My team", "medium"}, {"Whole site", "high"}}};
constexpr std::array<PlainChoice, 3> kUrgencies{
    {{"It can wait", "low"}, {"It blocks my work", "medium"}, {"Everything is down", "high"}}};
// Replies always appear in the portal; the other two add a way (lifebuoy/contact_preference.h).
constexpr std::array<PlainChoice, 3> kContacts{
    {{"Here in the portal", "portal"}, {"E-mail me too", "email"}, {"Call me", "phone"}}};

template <std::size_t N>
int index_of(const std::array<PlainChoice, N>& choices, const std::string& value, int fallback) {
    for (std::size_t i = 0; i < N; ++i)
        if (value == choices[i].value) return static_cast<int>(i);
    return fallback;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// A row of buttons of which one is selected; returns true when the person picked another.
template <std::size_t N>
bool choice_row(const char* id, const std::array<PlainChoice, N>& choices, int& selected) {
    bool changed = false;
    ImGui::PushID(id);
    for (std::size_t i = 0; i < N; ++i) {
        if (i > 0) ImGui::SameLine();
        const bool on = selected == static_cast<int>(i);
        theme::push_choice_colours(on);
        if (ImGui::Button(choices[i].words) && !on) {
            selected = static_cast<int>(i);
            changed = true;
        }
        theme::pop_choice_colours();
    }
    ImGui::PopID();
    return changed;
}

}  // namespace

std::string site_words(const std::string& site) {
    std::string out = site;
    bool word_start = true;
    for (char& c : out) {
        if (c == '_' || c == '-') {
            c = ' ';
            word_start = true;
        } else if (word_start) {
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            word_start = false;
        }
    }
    return out;
}

void PortalApp::note_form_edit() {
    draft_state_ = DraftState::Editing;
    last_edit_s_ = now_s_;
}

void PortalApp::add_choices_to_draft(nlohmann::json& fields) const {
    if (category_picked_) fields["category"] = category_;
    fields["impact"] = kImpacts[static_cast<std::size_t>(impact_)].value;
    fields["urgency"] = kUrgencies[static_cast<std::size_t>(urgency_)].value;
    fields["site"] = site_;
    fields["contact"] = kContacts[static_cast<std::size_t>(contact_)].value;
    fields["contact_detail"] = contact_detail_;
}

void PortalApp::restore_choices_from_draft(const nlohmann::json& fields) {
    const std::string category = text_of(fields, "category", "");
    if (!category.empty()) {
        category_ = category;
        category_picked_ = true;
    }
    impact_ = index_of(kImpacts, text_of(fields, "impact", ""), impact_);
    urgency_ = index_of(kUrgencies, text_of(fields, "urgency", ""), urgency_);
    site_ = text_of(fields, "site", "");
    contact_ = index_of(kContacts, text_of(fields, "contact", ""), 0);
    contact_detail_ = text_of(fields, "contact_detail", "");
    fonts_.note_text(contact_detail_);
}

bool PortalApp::signed_in_as_guest() const {
    const nlohmann::json& sync = field(status_, "sync");
    return flag(sync, "enrolled") && text_of(sync, "role", "") == "guest";
}

void PortalApp::load_categories() {
    categories_requested_ = true;
    engine_.send("categories", nlohmann::json::object(), [this](const commands::Response& r) {
        if (!r.ok) {
            form_error_ = "The categories could not be loaded: " + r.error.message;
            return;
        }
        categories_.clear();
        for (const nlohmann::json& c : field(r.result, "categories"))
            categories_.push_back({text_of(c, "id", ""), text_of(c, "label", "")});
        if (category_.empty()) category_ = text_of(r.result, "fallback", "");
    });
}

void PortalApp::load_sites() {
    sites_requested_ = true;
    engine_.send("sites", nlohmann::json::object(), [this](const commands::Response& r) {
        if (!r.ok) {
            form_error_ = "The help desk's sites could not be loaded: " + r.error.message;
            return;
        }
        sites_.clear();
        for (const nlohmann::json& s : field(r.result, "sites"))
            sites_.push_back({text_of(s, "site", ""), text_of(s, "time_zone", "")});
        default_site_ = text_of(r.result, "default_site", "");
        const bool known = std::any_of(sites_.begin(), sites_.end(), [&](const SiteChoice& s) { return s.id == site_; });
        if (!known) site_.clear();  // a site the desk no longer has: its default again
    });
}

// While the person has not picked a category, the device suggests one from the words typed.
void PortalApp::suggest_category_if_due(double now_s) {
    if (category_picked_ || category_in_flight_ || now_s - last_edit_s_ < kCategoryDelaySeconds) return;
    std::string text = title_ + "\n" + description_;
    if (text == category_asked_for_) return;
    category_in_flight_ = true;
    engine_.send("suggest_category", {{"title", title_}, {"description", description_}},
                 [this, text](const commands::Response& r) {
                     category_in_flight_ = false;
                     category_asked_for_ = text;
                     if (!r.ok || category_picked_) return;
                     category_ = text_of(r.result, "category", category_.c_str());
                     category_matched_.clear();
                     for (const nlohmann::json& m : field(r.result, "matched"))
                         if (m.is_string()) category_matched_.push_back(m.get<std::string>());
                 });
}

void PortalApp::draw_ticket_choices(float field_width) {
    ImGui::Spacing();
    ImGui::TextUnformatted("Category");
    std::string shown = category_;
    for (const CategoryChoice& c : categories_)
        if (c.id == category_) shown = c.label;
    ImGui::SetNextItemWidth(field_width);
    test_hooks::label_item(ImGui::GetID("##Category"), "Category");
    if (ImGui::BeginCombo("##Category", shown.c_str())) {
        for (const CategoryChoice& c : categories_) {
            if (ImGui::Selectable(c.label.c_str(), c.id == category_)) {
                category_ = c.id;
                category_picked_ = true;
                category_matched_.clear();
                note_form_edit();
            }
        }
        ImGui::EndCombo();
    }
    test_hooks::expose("Category", shown);
    if (!category_picked_ && !category_matched_.empty()) {
        std::string why = "Suggested from your words: ";
        for (std::size_t i = 0; i < category_matched_.size() && i < 4; ++i)
            why += (i ? ", " : "") + category_matched_[i];
        muted_text(why.c_str());
    }

    // Guests on the public page may not set impact (the lifecycle table): the help desk judges it.
    if (!signed_in_as_guest()) {
        ImGui::Spacing();
        ImGui::TextUnformatted("Who is affected?");
        if (choice_row("impact", kImpacts, impact_)) note_form_edit();
        test_hooks::expose("impact", kImpacts[static_cast<std::size_t>(impact_)].words);
    }
    ImGui::Spacing();
    ImGui::TextUnformatted("How urgent is it?");
    if (choice_row("urgency", kUrgencies, urgency_)) note_form_edit();
    test_hooks::expose("urgency", kUrgencies[static_cast<std::size_t>(urgency_)].words);
    draw_site_and_contact(field_width);

    // The device's asset tag lets the help desk find the machine (guests have none of ours).
    if (!signed_in_as_guest()) {
        ImGui::Spacing();
        ImGui::TextUnformatted("Asset tag (optional)");
        ImGui::SetNextItemWidth(std::min(field_width, 280.0f));
        if (ImGui::InputTextWithHint("##Asset tag", "On the sticker, e.g. LT-01234", &asset_tag_,
                                     ImGuiInputTextFlags_CharsNoBlank)) {
            fonts_.note_text(asset_tag_);
            note_form_edit();
        }
        text_fields_.remember();
        test_hooks::expose("Asset tag", asset_tag_);
    }
}

void PortalApp::draw_site_and_contact(float field_width) {
    // Where the person is decides the business hours of the answer and who can come by (onsite
    // work goes to a technician at that site). Guests on the public page are not at a site.
    if (!signed_in_as_guest() && !sites_.empty()) {
        ImGui::Spacing();
        ImGui::TextUnformatted("Where are you?");
        const std::string& chosen = site_.empty() ? default_site_ : site_;
        std::string shown = chosen.empty() ? std::string("Choose a site") : site_words(chosen);
        ImGui::SetNextItemWidth(std::min(field_width, 280.0f));
        test_hooks::label_item(ImGui::GetID("##Site"), "Site");
        if (ImGui::BeginCombo("##Site", shown.c_str())) {
            for (const SiteChoice& s : sites_) {
                const std::string label = site_words(s.id) + "  (" + s.time_zone + ")";
                if (ImGui::Selectable(label.c_str(), s.id == chosen) && s.id != site_) {
                    site_ = s.id;
                    note_form_edit();
                }
            }
            ImGui::EndCombo();
        }
        test_hooks::expose("Site", shown);
    }

    ImGui::Spacing();
    ImGui::TextUnformatted("How should we reach you?");
    if (choice_row("contact", kContacts, contact_)) note_form_edit();
    test_hooks::expose("contact", kContacts[static_cast<std::size_t>(contact_)].words);
    const std::string contact = kContacts[static_cast<std::size_t>(contact_)].value;
    if (contact == "portal") {
        muted_text("Replies appear under My tickets; you will see them here, online or not.");
        return;
    }
    const bool phone = contact == "phone";
    ImGui::SetNextItemWidth(std::min(field_width, 320.0f));
    if (ImGui::InputTextWithHint("##Contact detail",
                                 phone ? "Number to call, e.g. +44 20 7946 0000" : "E-mail address (optional)",
                                 &contact_detail_)) {
        fonts_.note_text(contact_detail_);
        note_form_edit();
    }
    text_fields_.remember();
    test_hooks::expose("Contact detail", contact_detail_);
    muted_text(phone ? "Only the help desk can read this number: it is encrypted on this device."
                     : "Leave it empty to use the address you signed in with.");
}

void PortalApp::draw_submit() {
    ImGui::Spacing();
    ImGui::BeginDisabled(submitting_);
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kBrand);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kSurface);
    if (ImGui::Button(submitting_ ? "Saving…##Submit" : "Submit ticket##Submit")) submit_ticket();
    ImGui::PopStyleColor(2);
    ImGui::EndDisabled();
    ImGui::SameLine();
    const nlohmann::json& connection = field(status_, "connection");
    muted_text(flag(connection, "online") ? "It is sent to the help desk at once."
                                          : "You are offline: it is kept on this device and sent when you are back online.");
    if (!form_error_.empty()) {
        ImGui::TextColored(theme::kOffline, "%s", form_error_.c_str());
        test_hooks::expose("form_error", form_error_);
    }
}

void PortalApp::submit_ticket() {
    const std::string title = trimmed(title_);
    const std::string description = trimmed(description_);
    if (title.size() < kMinTitleChars) {
        form_error_ = "Add a short title (at least 3 characters) so the help desk can see what it is about.";
        return;
    }
    if (description.empty()) {
        form_error_ = "Describe the problem: what happened, and what you have tried.";
        return;
    }
    form_error_.clear();
    submitting_ = true;
    nlohmann::json args{{"title", title},
                        {"description", description},
                        {"urgency", kUrgencies[static_cast<std::size_t>(urgency_)].value}};
    if (!category_.empty()) args["category"] = category_;
    if (!signed_in_as_guest()) args["impact"] = kImpacts[static_cast<std::size_t>(impact_)].value;
    if (!signed_in_as_guest() && !trimmed(asset_tag_).empty()) args["asset_tag"] = trimmed(asset_tag_);
    if (!signed_in_as_guest() && !site_.empty()) args["site"] = site_;
    else if (!signed_in_as_guest() && !default_site_.empty()) args["site"] = default_site_;
    args["contact"] = kContacts[static_cast<std::size_t>(contact_)].value;
    if (contact_ != 0 && !trimmed(contact_detail_).empty()) args["contact_detail"] = trimmed(contact_detail_);
    draft_state_ = DraftState::Clean;  // the engine discards the draft in the same transaction
    engine_.send("create_ticket", std::move(args), [this](const commands::Response& r) {
        submitting_ = false;
        if (!r.ok) {
            // A refused choice reads as the engine words it ("Add the phone number to call").
            form_error_ = r.error.code == "bad_arguments" ? r.error.message
                                                          : "The ticket could not be saved: " + r.error.message;
            draft_state_ = DraftState::Editing;  // keep what was typed
            return;
        }
        reset_form();
        open_ticket(text_of(r.result, "ticket_id", ""));
    });
}

void PortalApp::reset_form() {
    title_.clear();
    description_.clear();
    asset_tag_.clear();
    suggestions_.clear();
    suggested_for_ = "\n";
    category_.clear();
    category_picked_ = false;
    category_matched_.clear();
    category_asked_for_ = "\n";
    categories_requested_ = false;  // the fallback again
    impact_ = 0;
    urgency_ = 1;
    // The site and the way to reach the person stay: the next ticket is usually from the same place.
    tickets_dirty_ = true;
}

}  // namespace lb::ui
