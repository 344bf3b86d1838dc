// input_queue.h — browser input events, queued and fed to Dear ImGui one frame at a time.
//
// Dear ImGui 1.86 reads input as per-frame state (io.MouseDown[], io.KeysDown[]), so a click
// whose press and release both arrive between two frames would be lost. The queue keeps events in
// order and, each frame, applies them up to the second change of the same button or key, leaving
// the rest for the next frame (the "input trickling" that ImGui 1.87 later built in). Text input
// arrives as UTF-8 (typing, IME, paste) rather than as key presses.
// Keys use ImGui's own ImGuiKey_* values as indices into io.KeysDown[] (see configure()), plus
// kKeyA…kKeyZ for the shortcut letters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct ImGuiIO;

namespace lb::ui {

class InputQueue {
public:
    // Sets io.KeyMap[] for the indices used here. Call once after creating the ImGui context.
    static void configure(ImGuiIO& io);
    // Maps a DOM KeyboardEvent.key ("Tab", "ArrowLeft", "a", …) to a KeysDown index, or -1.
    static int key_index(std::string_view dom_key);

    void mouse_move(float x, float y);
    void mouse_button(int button, bool down);
    void wheel(float dx, float dy);      // in ImGui units (1 ≈ 5 lines)
    void key(int index, bool down);
    void modifiers(bool ctrl, bool shift, bool alt, bool super);
    void text(std::string_view utf8);
    void focus_lost();                   // releases every held button and key

    // Applies the events of one frame to io; returns how many events are still queued.
    std::size_t apply(ImGuiIO& io);
    bool empty() const { return events_.empty(); }

private:
    enum class Kind { MousePos, MouseButton, Wheel, Key, Modifiers, Text, FocusLost };
    struct Event {
        Kind kind;
        int index = 0;        // button or key
        bool down = false;
        float x = 0, y = 0;   // position or wheel delta
        unsigned mods = 0;
        std::string text;
    };
    std::vector<Event> events_;
};

}  // namespace lb::ui
