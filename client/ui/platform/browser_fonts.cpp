// browser_fonts.cpp — font downloads through emscripten_async_wget_data.
#include "ui/platform/browser_fonts.h"

#include <emscripten.h>

namespace lb::ui::platform {
namespace {

using Callback = std::function<void(std::vector<std::uint8_t>)>;

void on_loaded(void* arg, void* data, int size) {
    auto* callback = static_cast<Callback*>(arg);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    (*callback)(std::vector<std::uint8_t>(bytes, bytes + size));
    delete callback;
}

void on_failed(void* arg) {
    auto* callback = static_cast<Callback*>(arg);
    (*callback)({});
    delete callback;
}

}  // namespace

void fetch_font(const char* url, Callback on_done) {
    emscripten_async_wget_data(url, new Callback(std::move(on_done)), on_loaded, on_failed);
}

}  // namespace lb::ui::platform
