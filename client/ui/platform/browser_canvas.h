// browser_canvas.h — keeps the WebGL canvas the size of the window at the device pixel ratio.
#pragma once

namespace lb::ui::platform {

struct CanvasMetrics {
    float css_width = 0, css_height = 0;  // ImGui's display size, in CSS pixels
    float pixel_ratio = 1;                // device pixels per CSS pixel
    int pixel_width = 0, pixel_height = 0;
};

// Reads the canvas' CSS size and the device pixel ratio; resizes the drawing buffer when they
// changed. Cheap enough to call every frame.
CanvasMetrics sync_canvas(const char* selector);

}  // namespace lb::ui::platform
