// browser_fonts.h — downloads a font file for the FontBook (served, and cached offline, with the
// app shell).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace lb::ui::platform {

// Fetches `url`; calls on_done with the bytes, or with an empty vector on failure.
void fetch_font(const char* url, std::function<void(std::vector<std::uint8_t>)> on_done);

}  // namespace lb::ui::platform
