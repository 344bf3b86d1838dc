// test_hooks.cpp — collects labelled widget rectangles through Dear ImGui's test-engine hooks.
#include "ui/test_hooks.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>
#include <nlohmann/json.hpp>

namespace lb::ui::test_hooks {
namespace {

struct Widget {
    std::string label;
    float x = 0, y = 0, w = 0, h = 0;
    bool focused = false;
};

struct HookState {
    std::unordered_map<ImGuiID, ImRect> boxes;    // ItemAdd of the frame being built
    std::vector<std::pair<ImGuiID, std::string>> labelled;
    nlohmann::json values = nlohmann::json::object();
    nlohmann::json last = {{"enabled", false}};   // the last completed frame
    std::uint64_t frame = 0;
};

HookState& state() {
    static HookState s;  // the UI has one ImGui context; test builds only
    return s;
}

[[maybe_unused]] std::string readable_label(const char* label) {
    std::string text(label ? label : "");
    auto hidden = text.find("##");
    if (hidden == std::string::npos) return text;
    std::string shown = text.substr(0, hidden);
    return shown.empty() ? text.substr(hidden + 2) : shown;
}

}  // namespace

void begin_frame() {
#ifdef IMGUI_ENABLE_TEST_ENGINE
    ImGui::GetCurrentContext()->TestEngineHookItems = true;
    state().boxes.clear();
    state().labelled.clear();
    state().values = nlohmann::json::object();
#endif
}

void end_frame(const char* screen_name) {
#ifdef IMGUI_ENABLE_TEST_ENGINE
    HookState& s = state();
    ImGuiContext& g = *ImGui::GetCurrentContext();
    nlohmann::json widgets = nlohmann::json::array();
    for (const auto& [id, label] : s.labelled) {
        auto box = s.boxes.find(id);
        if (box == s.boxes.end() || label.empty()) continue;
        const ImRect& r = box->second;
        widgets.push_back({{"label", label}, {"id", id}, {"x", r.Min.x}, {"y", r.Min.y},
                           {"w", r.GetWidth()}, {"h", r.GetHeight()},
                           {"active", g.ActiveId == id}, {"focused", g.NavId == id}});
    }
    s.last = {{"enabled", true}, {"frame", ++s.frame}, {"screen", screen_name},
              {"wants_text_input", ImGui::GetIO().WantTextInput}, {"widgets", std::move(widgets)},
              {"values", std::move(s.values)}};
#else
    (void)screen_name;
#endif
}

void expose(const char* name, const std::string& value) {
#ifdef IMGUI_ENABLE_TEST_ENGINE
    state().values[name] = value;
#else
    (void)name;
    (void)value;
#endif
}

void label_last_item(const std::string& label) {
#ifdef IMGUI_ENABLE_TEST_ENGINE
    state().labelled.emplace_back(ImGui::GetItemID(), label);
#else
    (void)label;
#endif
}

void label_item(unsigned int id, const std::string& label) {
#ifdef IMGUI_ENABLE_TEST_ENGINE
    state().labelled.emplace_back(id, label);
#else
    (void)id;
    (void)label;
#endif
}

std::string snapshot_json() {
    return state().last.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lb::ui::test_hooks

#ifdef IMGUI_ENABLE_TEST_ENGINE
// The hooks Dear ImGui calls for every item it adds (see imgui_internal.h, "Test Engine").
void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect& bb, ImGuiID id) {
    lb::ui::test_hooks::state().boxes[id] = bb;
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    lb::ui::test_hooks::state().labelled.emplace_back(id, lb::ui::test_hooks::readable_label(label));
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
#endif
