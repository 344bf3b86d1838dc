// text_field_map.cpp — rectangles of the frame's text fields.
#include "ui/text_field_map.h"

#include <imgui.h>

namespace lb::ui {

void TextFieldMap::begin_frame() {
    last_.swap(building_);
    building_.clear();
}

void TextFieldMap::remember() {
    ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    building_.push_back({min.x, min.y, max.x, max.y});
}

bool TextFieldMap::contains(float x, float y) const {
    for (const Rect& r : last_)
        if (x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1) return true;
    return false;
}

}  // namespace lb::ui
