// theme.h — Lifebuoy's look: colours, spacing and rounding for Dear ImGui, plus named colours the
// screens use for meaning (online, offline, warnings).
#pragma once

#include <imgui.h>

namespace lb::ui::theme {

void apply(ImGuiStyle& style);
// A button of a set of choices (tabs, views, plain-word choices): the chosen one in the brand
// colour — also under the pointer, so it never fades to unreadable — the others outlined.
void push_choice_colours(bool chosen);
void pop_choice_colours();

inline const ImVec4 kBrand{0.78f, 0.20f, 0.16f, 1.0f};      // lifebuoy red
inline const ImVec4 kTextMuted{0.40f, 0.43f, 0.48f, 1.0f};
inline const ImVec4 kOnline{0.13f, 0.55f, 0.30f, 1.0f};
inline const ImVec4 kOffline{0.70f, 0.35f, 0.05f, 1.0f};
inline const ImVec4 kUnknown{0.45f, 0.47f, 0.52f, 1.0f};
inline const ImVec4 kBackground{0.95f, 0.96f, 0.97f, 1.0f};
inline const ImVec4 kSurface{1.0f, 1.0f, 1.0f, 1.0f};

}  // namespace lb::ui::theme
