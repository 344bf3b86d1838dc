// theme.cpp — a light, high-contrast style for the portal.
#include "ui/theme.h"

namespace lb::ui::theme {

void apply(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0.0f;
    style.ChildRounding = 8.0f;
    style.FrameRounding = 6.0f;
    style.GrabRounding = 6.0f;
    style.PopupRounding = 6.0f;
    style.FramePadding = ImVec2(10.0f, 8.0f);
    style.ItemSpacing = ImVec2(10.0f, 10.0f);
    style.WindowPadding = ImVec2(16.0f, 16.0f);
    style.FrameBorderSize = 1.0f;
    style.ChildBorderSize = 1.0f;

    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = ImVec4(0.10f, 0.11f, 0.13f, 1.0f);
    c[ImGuiCol_TextDisabled] = kTextMuted;
    c[ImGuiCol_WindowBg] = kBackground;
    c[ImGuiCol_ChildBg] = kSurface;
    c[ImGuiCol_Border] = ImVec4(0.80f, 0.82f, 0.85f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.97f, 0.97f, 0.98f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    // Ordinary buttons: a light tint of the brand under dark text (contrast above 12:1); the one
    // primary action of a screen (Submit ticket, the current tab) pushes kBrand with white text.
    c[ImGuiCol_Button] = ImVec4(0.99f, 0.92f, 0.91f, 1.0f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.98f, 0.84f, 0.82f, 1.0f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.95f, 0.74f, 0.71f, 1.0f);
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.98f, 0.80f, 0.78f, 1.0f);
    c[ImGuiCol_NavHighlight] = kBrand;
}

void push_choice_colours(bool chosen) {
    ImGui::PushStyleColor(ImGuiCol_Button, chosen ? kBrand : kSurface);
    ImGui::PushStyleColor(ImGuiCol_Text, chosen ? kSurface : kBrand);
    const ImVec4 hovered = ImGui::GetStyleColorVec4(ImGuiCol_ButtonHovered);
    const ImVec4 active = ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, chosen ? kBrand : hovered);
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, chosen ? kBrand : active);
}

void pop_choice_colours() { ImGui::PopStyleColor(4); }

}  // namespace lb::ui::theme
