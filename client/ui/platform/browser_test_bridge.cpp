// browser_test_bridge.cpp — lets the page (and so the browser tests) read the UI's test snapshot:
// `Module.ccall('lb_ui_test_snapshot', 'string')` → JSON from ui/test_hooks.h.
#include <string>

#include <emscripten.h>

#include "ui/test_hooks.h"

extern "C" EMSCRIPTEN_KEEPALIVE const char* lb_ui_test_snapshot() {
    static std::string last;  // valid until the next call; the caller copies it at once
    last = lb::ui::test_hooks::snapshot_json();
    return last.c_str();
}
