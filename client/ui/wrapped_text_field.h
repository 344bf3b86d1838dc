// wrapped_text_field.h — a multi-line text field whose long lines wrap at words as the person types
// (Dear ImGui 1.86's InputTextMultiline scrolls sideways instead). ImGui edits a display copy with
// soft line breaks; after every edit the real text is recovered and wrapped again
// (ui/soft_wrap.h), so the text the caller holds never contains a soft break.
// Undo/redo is off in the field (ImGui's undo would bring old soft breaks back as real ones); a copy
// to the clipboard carries the soft breaks as line breaks.
#pragma once

#include <string>

#include <imgui.h>

#include "ui/soft_wrap.h"

namespace lb::ui {

class WrappedTextField {
public:
    // Draws the field labelled `label` (ImGui label rules) editing `text`; true when it changed.
    bool draw(const char* label, std::string& text, ImVec2 size);

private:
    static int on_edit(ImGuiInputTextCallbackData* data);
    void rewrap(const std::string& text);

    soft_wrap::Wrapped wrapped_;
    std::string wrapped_text_;     // the real text wrapped_ shows
    float wrap_width_ = -1.0f;     // pixels available to a line
    std::string buffer_;           // what ImGui edits: wrapped_.display
    std::string* editing_ = nullptr;
    bool changed_ = false;
    bool was_active_ = false;
};

}  // namespace lb::ui
