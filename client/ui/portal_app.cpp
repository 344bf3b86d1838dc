// portal_app.cpp — frame routing, the header with navigation, the connection bar (online/offline,
// changes waiting, last sync, Sync now), the New ticket form's text fields and its draft. The
// form's choices and Submit are in ticket_form.cpp, the ticket screens in ticket_screens.cpp,
// sign-in in sign_in.cpp, the knowledge panel and article reader in knowledge_panel.cpp, Help
// articles in knowledge_screen.cpp.
#include "ui/portal_app.h"

#include <algorithm>
#include <ctime>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/json_read.h"
#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr double kStatusPollSeconds = 1.0;
constexpr float kMaxContentWidth = 760.0f;
constexpr float kPanelWidth = 380.0f;          // the knowledge panel beside the form
constexpr float kTwoColumnMinWidth = 900.0f;   // below this, the panel goes under the fields
constexpr std::size_t kMaxTitleBytes = 200;
constexpr double kDraftSaveDelaySeconds = 0.4;  // after the last keystroke
constexpr float kDescriptionHeight = 120.0f;    // about six lines; it scrolls beyond (and wraps)
constexpr const char* kDraftForm = "new_ticket";

}  // namespace

void muted_text(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextMuted);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

void same_line_if_fits(const char* label, float right) {
    const float width = ImGui::CalcTextSize(label, nullptr, true).x + 2.0f * ImGui::GetStyle().FramePadding.x;
    if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <= right) ImGui::SameLine();
}

void wipe_secret(std::string& secret) {
    volatile char* p = secret.data();
    for (std::size_t i = 0; i < secret.size(); ++i) p[i] = 0;
    secret.clear();
}

void warning_text(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kOffline);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

PortalApp::PortalApp(commands::EngineClient& engine, FontBook& fonts, TextFieldMap& text_fields)
    : engine_(engine), fonts_(fonts), text_fields_(text_fields) {}

const char* PortalApp::screen_name() const {
    switch (screen_) {
    case Screen::NewTicket: return "new_ticket";
    case Screen::Article: return "article";
    case Screen::Knowledge: return "knowledge";
    case Screen::MyTickets: return "my_tickets";
    case Screen::Ticket: return "ticket";
    case Screen::SignIn: return "sign_in";
    case Screen::Queue: return "queue";
    case Screen::Dashboard: return "dashboard";
    }
    return "new_ticket";
}

void PortalApp::on_engine_event(const commands::Event& event) {
    if (event.name == "status_changed") status_ = event.data;
    if (event.name == "tickets_changed" || event.name == "sync_changed") {
        tickets_dirty_ = true;
        ticket_dirty_ = !open_ticket_id_.empty();
        queue_dirty_ = true;
        dashboard_dirty_ = true;
        next_status_poll_s_ = 0.0;  // the connection bar's counts
    }
    if (event.name == "desk_changed") {  // new categories or sites from the help desk
        categories_requested_ = false;
        sites_requested_ = false;
    }
    if (event.name == "kb_changed") {  // new or changed articles: ask again
        suggested_for_.clear();
        kb_results_for_.clear();
        kb_categories_requested_ = false;
    }
    if (event.name == "engine_mode") {
        engine_mode_ = text_of(event.data, "mode", "");
        next_status_poll_s_ = 0.0;
        tickets_dirty_ = true;
    }
    if (event.name == "engine_failed")
        engine_error_ = "the engine stopped: " + text_of(event.data, "message", "unknown error");
}

void PortalApp::request_status(double now_s) {
    if (status_in_flight_ || now_s < next_status_poll_s_) return;
    status_in_flight_ = true;
    next_status_poll_s_ = now_s + kStatusPollSeconds;
    engine_.send("status", nlohmann::json::object(), [this](const commands::Response& r) {
        status_in_flight_ = false;
        if (r.ok) {
            status_ = r.result;
            engine_error_.clear();
        } else {
            engine_error_ = r.error.message;
        }
    });
}

void PortalApp::load_draft() {
    draft_requested_ = true;
    engine_.send("get_draft", {{"form", kDraftForm}}, [this](const commands::Response& r) {
        if (draft_state_ != DraftState::Loading) return;  // the person started typing meanwhile
        draft_state_ = DraftState::Clean;
        if (!r.ok) {
            draft_state_ = DraftState::Failed;
            draft_error_ = r.error.message;
            return;
        }
        const nlohmann::json& fields = field(r.result, "fields");
        title_ = text_of(fields, "title", "");
        description_ = text_of(fields, "description", "");
        asset_tag_ = text_of(fields, "asset_tag", "");
        restore_choices_from_draft(fields);
        fonts_.note_text(title_);
        fonts_.note_text(description_);
        if (field(r.result, "saved_at_ms").is_number()) draft_state_ = DraftState::Saved;
        last_edit_s_ = now_s_;  // suggestions for a restored draft, too
    });
}

void PortalApp::save_draft_if_due(double now_s) {
    if (submitting_ || draft_state_ != DraftState::Editing || now_s - last_edit_s_ < kDraftSaveDelaySeconds) return;
    draft_state_ = DraftState::Saving;
    nlohmann::json fields{{"title", title_}, {"description", description_}, {"asset_tag", asset_tag_}};
    add_choices_to_draft(fields);
    nlohmann::json args{{"form", kDraftForm}, {"fields", std::move(fields)}};
    engine_.send("save_draft", std::move(args), [this](const commands::Response& r) {
        if (draft_state_ != DraftState::Saving) return;  // edited again meanwhile: a new save follows
        draft_state_ = r.ok ? DraftState::Saved : DraftState::Failed;
        draft_error_ = r.ok ? "" : r.error.message;
    });
}

void PortalApp::save_draft_now() {
    if (draft_state_ != DraftState::Editing) return;
    last_edit_s_ = now_s_ - kDraftSaveDelaySeconds;  // due now
    save_draft_if_due(now_s_);
}

bool PortalApp::draft_settled() const {
    return draft_state_ != DraftState::Editing && draft_state_ != DraftState::Saving;
}

void PortalApp::frame(double now_s) {
    now_s_ = now_s;
    text_fields_.begin_frame();
    request_status(now_s);
    if (!draft_requested_) load_draft();
    save_draft_if_due(now_s);
    suggest_if_due(now_s);
    if (!categories_requested_) load_categories();
    if (!sites_requested_) load_sites();
    suggest_category_if_due(now_s);
    kb_search_if_due(now_s);
    refresh_tickets_if_due();
    refresh_open_ticket_if_due();
    refresh_queue_if_due(now_s);
    refresh_dashboard_if_due(now_s);
    expose_tickets();
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("Lifebuoy", nullptr, flags);
    draw_header();
    draw_connection_bar();
    ImGui::Separator();
    ImGui::Spacing();

    float avail = ImGui::GetContentRegionAvail().x;
    if (screen_ != Screen::NewTicket) {
        float width = std::min(avail, screen_ == Screen::MyTickets ? kMaxContentWidth + kPanelWidth
                                      : screen_ == Screen::Queue || screen_ == Screen::Dashboard ? avail
                                      : screen_ == Screen::Ticket && help_desk_role() ? 2.0f * kMaxContentWidth  // two columns
                                                                   : kMaxContentWidth);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - width) * 0.5f);
        switch (screen_) {
        case Screen::Article: draw_article(width); break;
        case Screen::Knowledge: draw_knowledge_screen(width); break;
        case Screen::MyTickets: draw_my_tickets(width); break;
        case Screen::Ticket: draw_ticket(width); break;
        case Screen::SignIn: draw_sign_in(width); break;
        case Screen::Queue: draw_queue(width); break;
        case Screen::Dashboard: draw_dashboard(width); break;
        case Screen::NewTicket: break;
        }
    } else if (avail >= kTwoColumnMinWidth) {
        // form and suggestions side by side
        float total = std::min(avail, kMaxContentWidth + kPanelWidth + 16.0f);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - total) * 0.5f);
        draw_new_ticket_form(total - kPanelWidth - 16.0f, /*panel_below=*/false);
        ImGui::SameLine(0.0f, 16.0f);
        draw_knowledge_panel(kPanelWidth, 0.0f);
    } else {
        draw_new_ticket_form(avail, /*panel_below=*/true);
    }
    ImGui::End();
}

void PortalApp::draw_header() {
    ImGui::PushFont(fonts_.heading());
    ImGui::TextColored(theme::kBrand, "Lifebuoy");
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8.0f);
    ImGui::TextColored(theme::kTextMuted, "IT help desk");
    draw_connection_indicator();
    draw_navigation();
}

// Tabs: New ticket, Help articles, My tickets (with the count), and Sign in while the device is not
// signed in (Account once it is).
void PortalApp::draw_navigation() {
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    bool first = true;
    auto tab = [&](const char* label, Screen target, bool also_current) {
        // on a narrow phone the tabs wrap onto a second line rather than run off the screen
        if (!first) same_line_if_fits(label, right);
        first = false;
        const bool current = screen_ == target || also_current;
        theme::push_choice_colours(current);
        if (ImGui::Button(label)) {
            if (target == Screen::MyTickets) tickets_dirty_ = true;
            if (target == Screen::Queue) queue_dirty_ = true;
            if (target == Screen::Dashboard) dashboard_dirty_ = true;
            if (target == Screen::Knowledge) browse_note_.clear();
            screen_ = target;
        }
        theme::pop_choice_colours();
    };
    if (help_desk_role()) {
        tab("Queue", Screen::Queue, screen_ == Screen::Ticket && ticket_back_to_ == Screen::Queue);
        tab("Dashboard", Screen::Dashboard, screen_ == Screen::Ticket && ticket_back_to_ == Screen::Dashboard);
    }
    tab("New ticket", Screen::NewTicket, screen_ == Screen::Article && article_back_to_ == Screen::NewTicket);
    tab("Help articles", Screen::Knowledge, screen_ == Screen::Article && article_back_to_ == Screen::Knowledge);
    std::string mine = "My tickets";
    if (tickets_.is_array() && !tickets_.empty()) {
        mine += " (" + std::to_string(tickets_total_);
        if (tickets_unread_ > 0) mine += " · " + std::to_string(tickets_unread_) + " new";
        mine += ")";
    }
    mine += "##My tickets";
    tab(mine.c_str(), Screen::MyTickets, screen_ == Screen::Ticket && ticket_back_to_ == Screen::MyTickets);
    const nlohmann::json& sync = field(status_, "sync");
    if (sync.is_object() && flag(sync, "enrolled")) tab("Account", Screen::SignIn, false);
    else if (sync.is_object()) tab(flag(sync, "enrolling") ? "Signing in…##Sign in" : "Sign in", Screen::SignIn, false);
}

// One line under the header on every screen: what is waiting to be sent, when the device last
// heard from the help desk, and "Sync now".
void PortalApp::draw_connection_bar() {
    const nlohmann::json& sync = field(status_, "sync");
    if (!sync.is_object()) {  // the line is always there, so nothing below it jumps
        ImGui::AlignTextToFramePadding();
        ImGui::TextColored(theme::kTextMuted, "Opening the data on this device…");
        return;
    }
    const auto pending = field(sync, "pending_batches").is_number_integer() ? field(sync, "pending_batches").get<std::int64_t>() : 0;
    const auto rejected = field(sync, "rejected_batches").is_number_integer() ? field(sync, "rejected_batches").get<std::int64_t>() : 0;
    std::string line;
    if (!flag(sync, "enrolled")) {
        line = pending > 0 ? std::to_string(pending) + (pending == 1 ? " change" : " changes") +
                                 " kept on this device until you sign in"
                           : "Not signed in: tickets you file stay on this device until you sign in";
    } else {
        line = pending == 0 ? "Everything is sent"
                            : std::to_string(pending) + (pending == 1 ? " change" : " changes") + " waiting to send";
        const nlohmann::json& last = field(sync, "last_sync_ms");
        if (last.is_number_integer()) {
            const std::time_t seconds = static_cast<std::time_t>(last.get<std::int64_t>() / 1000);
            std::tm at{};
            localtime_r(&seconds, &at);
            char text[16];
            std::strftime(text, sizeof text, "%H:%M", &at);
            line += std::string("  ·  last synced ") + text;
        } else {
            line += "  ·  not synced yet";
        }
    }
    if (rejected > 0) line += "  ·  " + std::to_string(rejected) + " not accepted (see My tickets)";
    // A technician's new device: the desk's tickets stay sealed until a colleague's device has
    // wrapped the team key to this person's key (on its next sync).
    if (flag(sync, "enrolled") && text_of(sync, "team_key", "") == "waiting")
        line += "  ·  waiting for the help desk's key from a colleague's device";
    // Another tab of the portal owns the database; this one works through it (engine-worker.js).
    if (engine_mode_ == "attached") line += "  ·  shared with another open Lifebuoy tab";
    test_hooks::expose("engine_mode", engine_mode_);
    test_hooks::expose("storage", text_of(field(status_, "storage"), "kind", "unknown"));
    test_hooks::expose("sync_line", line);
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, pending > 0 || rejected > 0 ? theme::kOffline : theme::kTextMuted);
    ImGui::TextWrapped("%s", line.c_str());  // phones: on two lines rather than cut off
    ImGui::PopStyleColor();
    const nlohmann::json& error = field(sync, "last_error");
    if (flag(sync, "enrolled") && error.is_object() && text_of(error, "code", "") != "offline") {
        ImGui::SameLine();
        ImGui::TextColored(theme::kOffline, "(%s)", text_of(error, "message", "").c_str());
    }
    if (flag(sync, "enrolled")) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Sync now")) {
            engine_.send("sync_now", nlohmann::json::object(), [this](const commands::Response&) { next_status_poll_s_ = 0.0; });
        }
    }
}

void PortalApp::draw_connection_indicator() {
    const char* label = "Checking connection…";
    ImVec4 colour = theme::kUnknown;
    const nlohmann::json& connection = field(status_, "connection");
    if (flag(connection, "known")) {
        bool online = flag(connection, "online");
        label = online ? "Online" : "Offline";
        colour = online ? theme::kOnline : theme::kOffline;
    }
    test_hooks::expose("connection", label);

    const float dot = 10.0f;
    ImVec2 text_size = ImGui::CalcTextSize(label);
    ImVec2 pill(dot + 10.0f + text_size.x + 24.0f, text_size.y + 10.0f);
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - pill.x);
    ImVec2 at = ImGui::GetCursorScreenPos();
    at.y -= 2.0f;
    ImGui::InvisibleButton("##Connection", pill);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImVec4 tint = colour;
    tint.w = 0.12f;
    draw->AddRectFilled(at, ImVec2(at.x + pill.x, at.y + pill.y), ImGui::GetColorU32(tint), pill.y * 0.5f);
    draw->AddCircleFilled(ImVec2(at.x + 12.0f + dot * 0.5f, at.y + pill.y * 0.5f), dot * 0.5f,
                          ImGui::GetColorU32(colour));
    draw->AddText(ImVec2(at.x + 12.0f + dot + 8.0f, at.y + 5.0f), ImGui::GetColorU32(colour), label);
    if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s", field(connection, "last_contact_ms").is_number() ? "The help desk server answered recently."
                                                 : "The help desk server has not answered yet.");
    }
}

void PortalApp::draw_draft_state() {
    const nlohmann::json& storage = field(status_, "storage");
    bool durable = flag(storage, "durable");
    std::string line;
    switch (draft_state_) {
    case DraftState::Loading: line = "Opening your saved draft…"; break;
    case DraftState::Clean: line = "Your draft is saved on this device as you type."; break;
    case DraftState::Editing:
    case DraftState::Saving: line = "Saving draft…"; break;
    case DraftState::Saved: line = durable ? "Draft saved on this device." : "Draft kept in this tab only."; break;
    case DraftState::Failed: line = "The draft could not be saved: " + draft_error_; break;
    }
    test_hooks::expose("draft", line);
    if (!deflection_note_.empty()) {
        test_hooks::expose("deflection", deflection_note_);
        ImGui::TextColored(theme::kOnline, "%s", deflection_note_.c_str());
    }
    if (draft_state_ == DraftState::Failed) ImGui::TextColored(theme::kOffline, "%s", line.c_str());
    else muted_text(line.c_str());
    std::string note = text_of(storage, "note", "");
    if (!note.empty()) {
        fonts_.note_text(note);
        ImGui::TextColored(theme::kOffline, "%s", note.c_str());
    }
}

void PortalApp::draw_new_ticket_form(float width, bool panel_below) {
    ImGui::BeginChild("##New ticket form", ImVec2(width, 0.0f), true);
    // The fields scroll; Submit and the draft's state stay in view below them on every screen.
    const float footer = ImGui::GetFrameHeightWithSpacing() + 3.0f * ImGui::GetTextLineHeightWithSpacing() +
                         ImGui::GetStyle().ItemSpacing.y;
    ImGui::BeginChild("##New ticket fields", ImVec2(0.0f, -footer), false);
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("New ticket");
    ImGui::PopFont();
    muted_text("Tell the IT help desk what is wrong. A clear title helps us route it to the right person.");

    float field_width = ImGui::GetContentRegionAvail().x;
    ImGui::TextUnformatted("Title");
    ImGui::SetNextItemWidth(field_width);
    bool edited = false;
    if (ImGui::InputTextWithHint("##Title", "e.g. VPN drops every hour", &title_,
                                 ImGuiInputTextFlags_CallbackCharFilter,
                                 [](ImGuiInputTextCallbackData* data) {
                                     // stop at the limit without cutting a character in two
                                     auto* text = static_cast<std::string*>(data->UserData);
                                     return text->size() + 4 > kMaxTitleBytes ? 1 : 0;
                                 },
                                 &title_)) {
        fonts_.note_text(title_);
        edited = true;
    }
    text_fields_.remember();
    test_hooks::expose("Title", title_);
    ImGui::Spacing();
    ImGui::TextUnformatted("Description");
    if (description_field_.draw("##Description", description_, ImVec2(field_width, kDescriptionHeight))) {
        fonts_.note_text(description_);
        edited = true;
    }
    text_fields_.remember();
    if (edited) {
        draft_state_ = DraftState::Editing;
        last_edit_s_ = now_s_;
        deflection_note_.clear();
    }
    test_hooks::expose("Description", description_);
    muted_text("What happened, when it started, and what you have already tried.");
    draw_ticket_choices(field_width);
    if (panel_below && !suggestions_.empty()) {  // narrow screens: under the fields
        ImGui::Spacing();
        draw_knowledge_panel(ImGui::GetContentRegionAvail().x, std::max(ImGui::GetContentRegionAvail().y, 320.0f));
    }
    ImGui::EndChild();
    ImGui::Separator();
    draw_submit();

    ImGui::Spacing();
    draw_draft_state();
    test_hooks::expose("fallback_font", fonts_.has_fallback() ? "loaded"
                                        : fonts_.extra_glyph_count() ? "pending" : "not needed");
    if (!engine_error_.empty()) ImGui::TextColored(theme::kOffline, "Engine: %s", engine_error_.c_str());
    ImGui::EndChild();
}

}  // namespace lb::ui
