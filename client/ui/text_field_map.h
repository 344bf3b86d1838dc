// text_field_map.h — where the text fields of the last frame are on screen.
//
// Browsers raise the on-screen keyboard only when an editable element takes focus inside the
// user's own tap or click, and keys typed right after a click must not be lost while the UI
// catches up a frame later. So the screens remember each text field they draw (remember() right
// after the ImGui::InputText… call), and the platform asks contains() during the mousedown or
// touchstart event itself, focusing its hidden text field at once when the press lands on one.
#pragma once

#include <vector>

namespace lb::ui {

class TextFieldMap {
public:
    void begin_frame();   // the fields drawn from now on replace the last frame's
    void remember();      // the item ImGui just drew is a text field
    bool contains(float x, float y) const;  // in the last completed frame

private:
    struct Rect { float x0, y0, x1, y1; };
    std::vector<Rect> building_;
    std::vector<Rect> last_;
};

}  // namespace lb::ui
