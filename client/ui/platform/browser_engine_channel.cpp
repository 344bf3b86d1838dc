// browser_engine_channel.cpp — postMessage to and from the engine's dedicated Worker.
#include "ui/platform/browser_engine_channel.h"

#include <emscripten.h>

namespace lb::ui::platform {
namespace {

std::function<void(const std::string&)> g_on_message;  // the one channel of this page

EM_JS(void, lb_js_start_worker, (const char* url), {
    const deliver = (text) => {
        const len = lengthBytesUTF8(text) + 1;
        const ptr = _malloc(len);
        stringToUTF8(text, ptr, len);
        _lb_ui_platform_engine_message(ptr);
        _free(ptr);
    };
    let worker;
    try {
        worker = new Worker(UTF8ToString(url));
    } catch (err) {
        deliver(JSON.stringify({v: 1, event: "engine_failed", data: {message: String(err)}}));
        return;
    }
    worker.onmessage = (e) => deliver(String(e.data));
    worker.onerror = (e) => deliver(JSON.stringify(
        {v: 1, event: "engine_failed", data: {message: String(e.message || "engine worker error")}}));
    Module.lbEngineWorker = worker;
});

EM_JS(void, lb_js_post_to_worker, (const char* text), {
    if (Module.lbEngineWorker) Module.lbEngineWorker.postMessage(UTF8ToString(text));
});

}  // namespace

void start_engine_worker(const char* worker_url, std::function<void(const std::string&)> on_message) {
    g_on_message = std::move(on_message);
    lb_js_start_worker(worker_url);
}

void post_to_engine(const std::string& message) { lb_js_post_to_worker(message.c_str()); }

}  // namespace lb::ui::platform

extern "C" EMSCRIPTEN_KEEPALIVE void lb_ui_platform_engine_message(const char* text) {
    if (lb::ui::platform::g_on_message) lb::ui::platform::g_on_message(text);
}
