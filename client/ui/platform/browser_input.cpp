// browser_input.cpp — DOM events → InputQueue, the hidden text field, and the system clipboard.
#include "ui/platform/browser_input.h"

#include <string>

#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

namespace lb::ui::platform {
namespace {

struct InputState {
    InputQueue* queue = nullptr;
    const TextFieldMap* text_fields = nullptr;
    ImGuiIO* io = nullptr;
    std::string clipboard;        // what ImGui last copied
    bool text_field_focused = false;
    bool imgui_wanted_text = false;  // io.WantTextInput at the end of the last frame
};
InputState g_input;  // one page, one canvas: the backend's state lives in this one struct

// The hidden text field: receives typed text, IME compositions and pastes as UTF-8.
EM_JS(void, lb_js_install_text_field, (), {
    const field = document.createElement("textarea");
    field.id = "lb-text-input";
    field.setAttribute("autocomplete", "off");
    field.setAttribute("autocapitalize", "sentences");
    field.setAttribute("aria-hidden", "true");
    field.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;opacity:0;border:0;" +
                          "padding:0;resize:none;pointer-events:none;font-size:16px;";
    document.body.appendChild(field);
    const send = (text) => {
        if (!text) return;
        const len = lengthBytesUTF8(text) + 1;
        const ptr = _malloc(len);
        stringToUTF8(text, ptr, len);
        _lb_ui_platform_text(ptr);
        _free(ptr);
    };
    field.addEventListener("input", (e) => {
        if (e.isComposing) return;
        send(field.value);
        field.value = "";
    });
    field.addEventListener("compositionend", (e) => { send(e.data); field.value = ""; });
    field.addEventListener("paste", (e) => {
        e.preventDefault();
        send(e.clipboardData ? e.clipboardData.getData("text/plain") : "");
    });
    field.addEventListener("blur", () => _lb_ui_platform_text_field_blurred());
    Module.lbTextField = field;
});

EM_JS(void, lb_js_focus_text_field, (int focus), {
    const field = Module.lbTextField;
    if (!field) return;
    if (focus) field.focus({preventScroll: true});
    else field.blur();
});

EM_JS(void, lb_js_write_clipboard, (const char* text), {
    const value = UTF8ToString(text);
    if (navigator.clipboard && navigator.clipboard.writeText)
        navigator.clipboard.writeText(value).catch(() => {});
});

const char* get_clipboard(void*) { return g_input.clipboard.c_str(); }
void set_clipboard(void*, const char* text) {
    g_input.clipboard = text ? text : "";
    lb_js_write_clipboard(g_input.clipboard.c_str());
}

// Focus follows the press at once: keys typed right after it reach the hidden field, and a tap
// on a text field raises the on-screen keyboard (browsers allow that only inside the gesture).
void focus_for_press(float x, float y) {
    bool on_text_field = g_input.text_fields->contains(x, y);
    if (on_text_field != g_input.text_field_focused) {
        g_input.text_field_focused = on_text_field;
        lb_js_focus_text_field(on_text_field ? 1 : 0);
    }
}

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
    InputQueue& q = *g_input.queue;
    float x = static_cast<float>(e->clientX), y = static_cast<float>(e->clientY);
    q.mouse_move(x, y);
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && e->button == 0) focus_for_press(x, y);
    int button = e->button == 0 ? 0 : e->button == 2 ? 1 : e->button == 1 ? 2 : e->button;
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN) q.mouse_button(button, true);
    if (type == EMSCRIPTEN_EVENT_MOUSEUP) q.mouse_button(button, false);
    return type == EMSCRIPTEN_EVENT_MOUSEDOWN;  // keeps the canvas from stealing focus
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
    double scale = e->deltaMode == DOM_DELTA_PIXEL ? 1.0 / 100.0 : e->deltaMode == DOM_DELTA_LINE ? 1.0 / 5.0 : 1.0;
    g_input.queue->wheel(static_cast<float>(-e->deltaX * scale), static_cast<float>(-e->deltaY * scale));
    return EM_TRUE;
}

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
    if (e->numTouches < 1) return EM_FALSE;
    const EmscriptenTouchPoint& t = e->touches[0];
    InputQueue& q = *g_input.queue;
    float x = static_cast<float>(t.clientX), y = static_cast<float>(t.clientY);
    q.mouse_move(x, y);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) focus_for_press(x, y);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) q.mouse_button(0, true);
    if (type == EMSCRIPTEN_EVENT_TOUCHEND || type == EMSCRIPTEN_EVENT_TOUCHCANCEL) q.mouse_button(0, false);
    return EM_TRUE;  // no synthetic mouse events after touches
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
    InputQueue& q = *g_input.queue;
    bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    q.modifiers(e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
    std::string key = e->key;
    bool shortcut = e->ctrlKey || e->metaKey;
    // Paste arrives as text through the hidden field's paste event, never as Ctrl+V for ImGui.
    if (shortcut && (key == "v" || key == "V")) return EM_FALSE;
    int index = InputQueue::key_index(key);
    bool is_letter = key.size() == 1;
    if (index < 0 || (is_letter && !shortcut)) return EM_FALSE;  // printable: the text field takes it
    q.key(index, down);
    // Keep Tab, arrows, Backspace… for ImGui while it has keyboard focus; copy/cut still reach the page.
    bool is_copy = shortcut && (key == "c" || key == "C" || key == "x" || key == "X");
    return g_input.io->WantCaptureKeyboard && !is_copy;
}

EM_BOOL on_blur(int, const EmscriptenFocusEvent*, void*) {
    g_input.queue->focus_lost();
    return EM_FALSE;
}

}  // namespace

void install_input(const char* canvas, InputQueue& queue, const TextFieldMap& text_fields, ImGuiIO& io) {
    g_input.queue = &queue;
    g_input.text_fields = &text_fields;
    g_input.io = &io;
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;
    lb_js_install_text_field();
    emscripten_set_mousedown_callback(canvas, nullptr, EM_TRUE, on_mouse);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_mouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_mouse);
    emscripten_set_wheel_callback(canvas, nullptr, EM_TRUE, on_wheel);
    emscripten_set_touchstart_callback(canvas, nullptr, EM_TRUE, on_touch);
    emscripten_set_touchmove_callback(canvas, nullptr, EM_TRUE, on_touch);
    emscripten_set_touchend_callback(canvas, nullptr, EM_TRUE, on_touch);
    emscripten_set_touchcancel_callback(canvas, nullptr, EM_TRUE, on_touch);
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
    emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
    emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_blur);
}

void after_frame(const ImGuiIO& io) {
    // Follow ImGui's changes only: right after a press, ImGui has not seen it yet, and the focus
    // the press gave must stay (else the first keys typed after a click would be lost).
    if (io.WantTextInput == g_input.imgui_wanted_text) return;
    g_input.imgui_wanted_text = io.WantTextInput;
    if (io.WantTextInput != g_input.text_field_focused) {
        g_input.text_field_focused = io.WantTextInput;
        lb_js_focus_text_field(io.WantTextInput ? 1 : 0);
    }
}

}  // namespace lb::ui::platform

extern "C" {
EMSCRIPTEN_KEEPALIVE void lb_ui_platform_text(const char* utf8) {
    if (lb::ui::platform::g_input.queue) lb::ui::platform::g_input.queue->text(utf8);
}
EMSCRIPTEN_KEEPALIVE void lb_ui_platform_text_field_blurred() {
    lb::ui::platform::g_input.text_field_focused = false;
}
}
