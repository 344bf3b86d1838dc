// input_queue.cpp — ordered, per-frame application of input events to ImGuiIO.
#include "ui/input_queue.h"

#include <imgui.h>

namespace lb::ui {
namespace {

constexpr int kLetterBase = ImGuiKey_COUNT + 1;  // 'a' → kLetterBase, …, 'z' → kLetterBase + 25
constexpr unsigned kCtrl = 1, kShift = 2, kAlt = 4, kSuper = 8;

struct NamedKey {
    const char* dom;
    int key;
};
constexpr NamedKey kNamedKeys[] = {
    {"Tab", ImGuiKey_Tab},           {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
    {"ArrowUp", ImGuiKey_UpArrow},   {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
    {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home},           {"End", ImGuiKey_End},
    {"Insert", ImGuiKey_Insert},     {"Delete", ImGuiKey_Delete},       {"Backspace", ImGuiKey_Backspace},
    {" ", ImGuiKey_Space},           {"Enter", ImGuiKey_Enter},         {"Escape", ImGuiKey_Escape},
};

}  // namespace

void InputQueue::configure(ImGuiIO& io) {
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;
    io.KeyMap[ImGuiKey_KeyPadEnter] = ImGuiKey_Enter;
    io.KeyMap[ImGuiKey_A] = kLetterBase + 0;
    io.KeyMap[ImGuiKey_C] = kLetterBase + 2;
    io.KeyMap[ImGuiKey_V] = kLetterBase + 21;
    io.KeyMap[ImGuiKey_X] = kLetterBase + 23;
    io.KeyMap[ImGuiKey_Y] = kLetterBase + 24;
    io.KeyMap[ImGuiKey_Z] = kLetterBase + 25;
}

int InputQueue::key_index(std::string_view dom_key) {
    for (const NamedKey& k : kNamedKeys)
        if (dom_key == k.dom) return k.key;
    if (dom_key.size() == 1) {
        char c = dom_key[0];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z') return kLetterBase + (c - 'a');
    }
    return -1;
}

void InputQueue::mouse_move(float x, float y) { events_.push_back({Kind::MousePos, 0, false, x, y, 0, {}}); }
void InputQueue::mouse_button(int button, bool down) {
    if (button >= 0 && button < 5) events_.push_back({Kind::MouseButton, button, down, 0, 0, 0, {}});
}
void InputQueue::wheel(float dx, float dy) { events_.push_back({Kind::Wheel, 0, false, dx, dy, 0, {}}); }
void InputQueue::key(int index, bool down) {
    if (index >= 0 && index < 512) events_.push_back({Kind::Key, index, down, 0, 0, 0, {}});
}
void InputQueue::modifiers(bool ctrl, bool shift, bool alt, bool super) {
    unsigned m = (ctrl ? kCtrl : 0) | (shift ? kShift : 0) | (alt ? kAlt : 0) | (super ? kSuper : 0);
    events_.push_back({Kind::Modifiers, 0, false, 0, 0, m, {}});
}
void InputQueue::text(std::string_view utf8) {
    if (!utf8.empty()) events_.push_back({Kind::Text, 0, false, 0, 0, 0, std::string(utf8)});
}
void InputQueue::focus_lost() { events_.push_back({Kind::FocusLost, 0, false, 0, 0, 0, {}}); }

std::size_t InputQueue::apply(ImGuiIO& io) {
    bool button_changed[5] = {};
    std::vector<int> keys_changed;
    bool text_sent = false;
    std::size_t i = 0;
    for (; i < events_.size(); ++i) {
        const Event& e = events_[i];
        bool stop = false;
        switch (e.kind) {
        case Kind::MousePos:
            // a move after a button change waits, so the click lands where it was made
            if (button_changed[0] || button_changed[1] || button_changed[2]) stop = true;
            else io.MousePos = ImVec2(e.x, e.y);
            break;
        case Kind::MouseButton:
            if (button_changed[e.index]) stop = true;
            else { io.MouseDown[e.index] = e.down; button_changed[e.index] = true; }
            break;
        case Kind::Wheel:
            io.MouseWheelH += e.x;
            io.MouseWheel += e.y;
            break;
        case Kind::Key: {
            bool seen = false;
            for (int k : keys_changed) seen = seen || k == e.index;
            if (seen || text_sent) stop = true;
            else { io.KeysDown[e.index] = e.down; keys_changed.push_back(e.index); }
            break;
        }
        case Kind::Modifiers:
            if (!keys_changed.empty()) stop = true;
            else {
                io.KeyCtrl = e.mods & kCtrl;
                io.KeyShift = e.mods & kShift;
                io.KeyAlt = e.mods & kAlt;
                io.KeySuper = e.mods & kSuper;
            }
            break;
        case Kind::Text:
            // keys pressed before this text are applied in an earlier frame, keeping the order
            if (!keys_changed.empty()) stop = true;
            else { io.AddInputCharactersUTF8(e.text.c_str()); text_sent = true; }
            break;
        case Kind::FocusLost:
            for (bool& down : io.MouseDown) down = false;
            for (bool& down : io.KeysDown) down = false;
            io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
            break;
        }
        if (stop) break;
    }
    events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(i));
    return events_.size();
}

}  // namespace lb::ui
