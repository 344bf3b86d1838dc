// portal_app.cpp — frame routing, the header and connection indicator, the New ticket form and
// its draft. The knowledge panel and article reader are in knowledge_panel.cpp.
#include "ui/portal_app.h"

#include <algorithm>

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
constexpr const char* kDraftForm = "new_ticket";

}  // namespace

void muted_text(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextMuted);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

PortalApp::PortalApp(commands::EngineClient& engine, FontBook& fonts, TextFieldMap& text_fields)
    : engine_(engine), fonts_(fonts), text_fields_(text_fields) {}

void PortalApp::on_engine_event(const commands::Event& event) {
    if (event.name == "status_changed") status_ = event.data;
    if (event.name == "kb_changed") suggested_for_.clear();  // new articles: ask again
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
        fonts_.note_text(title_);
        fonts_.note_text(description_);
        if (field(r.result, "saved_at_ms").is_number()) draft_state_ = DraftState::Saved;
        last_edit_s_ = now_s_;  // suggestions for a restored draft, too
    });
}

void PortalApp::save_draft_if_due(double now_s) {
    if (draft_state_ != DraftState::Editing || now_s - last_edit_s_ < kDraftSaveDelaySeconds) return;
    draft_state_ = DraftState::Saving;
    nlohmann::json args{{"form", kDraftForm}, {"fields", {{"title", title_}, {"description", description_}}}};
    engine_.send("save_draft", std::move(args), [this](const commands::Response& r) {
        if (draft_state_ != DraftState::Saving) return;  // edited again meanwhile: a new save follows
        draft_state_ = r.ok ? DraftState::Saved : DraftState::Failed;
        draft_error_ = r.ok ? "" : r.error.message;
    });
}

void PortalApp::frame(double now_s) {
    now_s_ = now_s;
    text_fields_.begin_frame();
    request_status(now_s);
    if (!draft_requested_) load_draft();
    save_draft_if_due(now_s);
    suggest_if_due(now_s);
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;
    ImGui::Begin("Lifebuoy", nullptr, flags);
    draw_header();
    ImGui::Separator();
    ImGui::Spacing();

    float avail = ImGui::GetContentRegionAvail().x;
    if (screen_ == Screen::Article) {
        float width = std::min(avail, kMaxContentWidth);
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - width) * 0.5f);
        draw_article(width);
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
    test_hooks::expose("storage", text_of(storage, "kind", "unknown"));
    if (draft_state_ == DraftState::Failed) ImGui::TextColored(theme::kOffline, "%s", line.c_str());
    else muted_text(line.c_str());
    std::string note = text_of(storage, "note", "");
    if (!note.empty()) {
        fonts_.note_text(note);
        ImGui::TextColored(theme::kOffline, "%s", note.c_str());
    }
}

void PortalApp::draw_new_ticket_form(float width, bool panel_below) {
    ImGui::BeginChild("New ticket", ImVec2(width, 0.0f), true);
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("New ticket");
    ImGui::PopFont();
    muted_text("Tell the IT help desk what is wrong. A clear title helps us route it to the right person.");
    ImGui::Spacing();

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
    if (ImGui::InputTextMultiline("##Description", &description_, ImVec2(field_width, 200.0f))) {
        fonts_.note_text(description_);
        edited = true;
    }
    text_fields_.remember();
    if (edited) {
        draft_state_ = DraftState::Editing;
        last_edit_s_ = now_s_;
        deflection_note_.clear();
    }
    if (panel_below && !suggestions_.empty()) {
        ImGui::Spacing();
        draw_knowledge_panel(ImGui::GetContentRegionAvail().x, 0.0f);  // narrow screens: under the fields
    }
    test_hooks::expose("Description", description_);
    muted_text("What happened, when it started, and what you have already tried.");

    ImGui::Spacing();
    draw_draft_state();
    test_hooks::expose("fallback_font", fonts_.has_fallback() ? "loaded"
                                        : fonts_.extra_glyph_count() ? "pending" : "not needed");
    if (!engine_error_.empty()) ImGui::TextColored(theme::kOffline, "Engine: %s", engine_error_.c_str());
    ImGui::EndChild();
}

}  // namespace lb::ui
