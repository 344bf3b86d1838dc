// portal_app.cpp — the New ticket screen, the header and the connection indicator.
#include "ui/portal_app.h"

#include <algorithm>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "ui/test_hooks.h"
#include "ui/theme.h"

namespace lb::ui {
namespace {

constexpr double kStatusPollSeconds = 1.0;
constexpr float kMaxContentWidth = 760.0f;
constexpr std::size_t kMaxTitleBytes = 200;

// Safe reads of the engine's status object: a missing or mistyped field reads as the default.
const nlohmann::json& field(const nlohmann::json& object, const char* key) {
    static const nlohmann::json null_value;
    if (!object.is_object()) return null_value;
    auto it = object.find(key);
    return it == object.end() ? null_value : *it;
}

bool flag(const nlohmann::json& object, const char* key) {
    const auto& v = field(object, key);
    return v.is_boolean() && v.get<bool>();
}

std::string text_of(const nlohmann::json& object, const char* key, const char* fallback) {
    const auto& v = field(object, key);
    return v.is_string() ? v.get<std::string>() : std::string(fallback);
}

void muted_text(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextMuted);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

}  // namespace

PortalApp::PortalApp(commands::EngineClient& engine, FontBook& fonts) : engine_(engine), fonts_(fonts) {}

void PortalApp::on_engine_event(const commands::Event& event) {
    if (event.name == "status_changed") status_ = event.data;
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

void PortalApp::frame(double now_s) {
    request_status(now_s);
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
    float width = std::min(avail, kMaxContentWidth);
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - width) * 0.5f);
    draw_new_ticket_form(width);
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

void PortalApp::draw_new_ticket_form(float width) {
    ImGui::BeginChild("New ticket", ImVec2(width, 0.0f), true);
    ImGui::PushFont(fonts_.heading());
    ImGui::TextUnformatted("New ticket");
    ImGui::PopFont();
    muted_text("Tell the IT help desk what is wrong. A clear title helps us route it to the right person.");
    ImGui::Spacing();

    float field_width = ImGui::GetContentRegionAvail().x;
    ImGui::TextUnformatted("Title");
    ImGui::SetNextItemWidth(field_width);
    if (ImGui::InputTextWithHint("##Title", "e.g. VPN drops every hour", &title_)) {
        if (title_.size() > kMaxTitleBytes) title_.resize(kMaxTitleBytes);
        fonts_.note_text(title_);
    }
    test_hooks::expose("Title", title_);
    ImGui::Spacing();
    ImGui::TextUnformatted("Description");
    if (ImGui::InputTextMultiline("##Description", &description_, ImVec2(field_width, 200.0f)))
        fonts_.note_text(description_);
    test_hooks::expose("Description", description_);
    muted_text("What happened, when it started, and what you have already tried.");

    ImGui::Spacing();
    if (status_.is_object()) {
        const nlohmann::json& storage = field(status_, "storage");
        std::string where = "Storage on this device: " + text_of(storage, "kind", "unknown");
        if (!flag(storage, "durable")) where += " (not kept after this tab closes)";
        muted_text(where.c_str());
    }
    test_hooks::expose("fallback_font", fonts_.has_fallback() ? "loaded"
                                        : fonts_.extra_glyph_count() ? "pending" : "not needed");
    if (!engine_error_.empty()) ImGui::TextColored(theme::kOffline, "Engine: %s", engine_error_.c_str());
    ImGui::EndChild();
}

}  // namespace lb::ui
