// browser_canvas.cpp — canvas size and device pixel ratio through Emscripten's html5 API.
#include "ui/platform/browser_canvas.h"

#include <cmath>

#include <emscripten/html5.h>

namespace lb::ui::platform {

CanvasMetrics sync_canvas(const char* selector) {
    CanvasMetrics m;
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size(selector, &css_w, &css_h);
    double ratio = emscripten_get_device_pixel_ratio();
    if (ratio <= 0) ratio = 1;
    m.css_width = static_cast<float>(css_w);
    m.css_height = static_cast<float>(css_h);
    m.pixel_ratio = static_cast<float>(ratio);
    m.pixel_width = static_cast<int>(std::lround(css_w * ratio));
    m.pixel_height = static_cast<int>(std::lround(css_h * ratio));
    int current_w = 0, current_h = 0;
    emscripten_get_canvas_element_size(selector, &current_w, &current_h);
    if (current_w != m.pixel_width || current_h != m.pixel_height)
        emscripten_set_canvas_element_size(selector, m.pixel_width, m.pixel_height);
    return m;
}

}  // namespace lb::ui::platform
