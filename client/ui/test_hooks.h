// test_hooks.h — what the browser tests can see of the UI: the current screen and the screen
// rectangle of every labelled widget drawn in the last frame.
//
// Built on Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE, on only in test builds:
// CMake option LB_UI_TEST_HOOKS). A widget's label is the text before "##", or the text after
// "##" when nothing is shown (hidden-label fields are named "##Title", "##Description", …), so a
// test finds a field by the name a person would use. Rectangles are in CSS pixels relative to the
// canvas. In a build without the hooks, snapshot_json() reports {"enabled": false}.
#pragma once

#include <string>

namespace lb::ui::test_hooks {

void begin_frame();                         // call before ImGui::NewFrame()
void end_frame(const char* screen_name);    // call after ImGui::Render()
std::string snapshot_json();                // {"enabled", "frame", "screen", "widgets", "values"}
// Publishes a value a person reads off the screen (like an accessible name), e.g. the
// connection indicator's "Online". Kept for the frame being built.
void expose(const char* name, const std::string& value);
// Names the item just drawn, for widgets ImGui does not label itself (InvisibleButton).
void label_last_item(const std::string& label);
// Names the item with this id (ImGui::GetID of its label), for items drawn where the last item
// is not theirs afterwards — a combo, whose open popup becomes the last item.
void label_item(unsigned int id, const std::string& label);

}  // namespace lb::ui::test_hooks
