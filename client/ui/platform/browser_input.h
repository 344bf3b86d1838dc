// browser_input.h — mouse, touch, wheel, keyboard, text and clipboard from the page into the
// InputQueue, and the hidden text field that brings up on-screen keyboards and IMEs.
//
// Text never comes from key codes: a hidden <textarea> takes focus while ImGui edits text, and
// its input/composition/paste events deliver UTF-8, so IMEs, dead keys, on-screen keyboards and
// pasting all work. Keys that edit or navigate (Tab, arrows, Backspace, Enter, shortcuts) come
// from keydown/keyup.
#pragma once

#include "ui/input_queue.h"
#include "ui/text_field_map.h"

struct ImGuiIO;

namespace lb::ui::platform {

// Registers the DOM listeners on the canvas and the window; events land in `queue`. A press on
// one of `text_fields` focuses the hidden text field within the press itself.
void install_input(const char* canvas_selector, InputQueue& queue, const TextFieldMap& text_fields, ImGuiIO& io);
// After each frame: focuses or blurs the hidden text field as ImGui wants text input.
void after_frame(const ImGuiIO& io);

}  // namespace lb::ui::platform
