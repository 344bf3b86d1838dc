// wrapped_text_field.cpp — see wrapped_text_field.h.
#include "ui/wrapped_text_field.h"

#include <imgui_stdlib.h>

namespace lb::ui {

void WrappedTextField::rewrap(const std::string& text) {
    ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const float width = wrap_width_;
    wrapped_ = soft_wrap::wrap(text, [font, scale, width](std::string_view line) {
        const char* begin = line.data();
        return static_cast<std::size_t>(font->CalcWordWrapPositionA(scale, begin, begin + line.size(), width) - begin);
    });
    wrapped_text_ = text;
    buffer_ = wrapped_.display;
}

int WrappedTextField::on_edit(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag != ImGuiInputTextFlags_CallbackEdit) return 0;
    auto* self = static_cast<WrappedTextField*>(data->UserData);
    const bool backspace = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace));
    soft_wrap::Edited edited = soft_wrap::apply_edit(
        self->wrapped_, std::string_view(data->Buf, static_cast<std::size_t>(data->BufTextLen)),
        static_cast<std::size_t>(data->CursorPos), backspace);
    *self->editing_ = edited.text;
    self->changed_ = true;
    self->rewrap(edited.text);
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, self->wrapped_.display.c_str(), self->wrapped_.display.c_str() + self->wrapped_.display.size());
    const int cursor = static_cast<int>(soft_wrap::to_display(self->wrapped_.breaks, edited.cursor));
    data->CursorPos = data->SelectionStart = data->SelectionEnd = cursor;
    return 0;
}

bool WrappedTextField::draw(const char* label, std::string& text, ImVec2 size) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float field_width = size.x > 0.0f ? size.x : ImGui::GetContentRegionAvail().x;
    // the line's room: inside the frame padding, beside a scrollbar, and the cursor's pixel
    const float width = field_width - 2.0f * style.FramePadding.x - style.ScrollbarSize - 2.0f;
    // While the person types, ImGui owns the buffer and edits come through on_edit; otherwise the
    // text may have been replaced (a restored draft, a cleared form) or the field resized.
    if (!was_active_ && (text != wrapped_text_ || width != wrap_width_ || buffer_ != wrapped_.display)) {
        wrap_width_ = width;
        rewrap(text);
    }
    editing_ = &text;
    changed_ = false;
    const ImGuiInputTextFlags flags =
        ImGuiInputTextFlags_CallbackEdit | ImGuiInputTextFlags_NoUndoRedo | ImGuiInputTextFlags_NoHorizontalScroll;
    ImGui::InputTextMultiline(label, &buffer_, size, flags, &WrappedTextField::on_edit, this);
    was_active_ = ImGui::IsItemActive();
    editing_ = nullptr;
    return changed_;
}

}  // namespace lb::ui
