// font_book.cpp — baking the primary and fallback fonts into Dear ImGui's atlas.
#include "ui/font_book.h"

#include <imgui.h>

namespace lb::ui {
namespace {

// Scripts baked from the primary font at start (pairs, inclusive, zero-terminated).
constexpr ImWchar kPrimaryRanges[] = {
    0x0020, 0x024F,  // Basic Latin, Latin-1, Latin Extended-A and -B
    0x0370, 0x03FF,  // Greek
    0x0400, 0x04FF,  // Cyrillic
    0x2000, 0x206F,  // General punctuation
    0x20A0, 0x20CF,  // Currency symbols
    0x2190, 0x21FF,  // Arrows
    0x2500, 0x25FF,  // Box drawing, blocks, geometric shapes
    0x2600, 0x26FF,  // Miscellaneous symbols
    0x2713, 0x2717,  // check marks and crosses
    0,
};

// Decodes one UTF-8 sequence at s[i]; returns the code point (U+FFFD when malformed) and advances i.
std::uint32_t next_codepoint(std::string_view s, std::size_t& i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra == 0) { ++i; return c; }
    if (extra < 0) { ++i; return 0xFFFD; }
    if (i + static_cast<std::size_t>(extra) >= s.size()) { i = s.size(); return 0xFFFD; }
    std::uint32_t cp = c & (0x3Fu >> extra);
    for (int k = 1; k <= extra; ++k) {
        unsigned char cc = byte(i + static_cast<std::size_t>(k));
        if ((cc & 0xC0) != 0x80) { ++i; return 0xFFFD; }
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

}  // namespace

void FontBook::set_primary_font(std::vector<std::uint8_t> ttf) {
    primary_ = std::move(ttf);
    dirty_ = true;
}

void FontBook::set_fallback_font(std::vector<std::uint8_t> ttf) {
    fallback_ = std::move(ttf);
    dirty_ = true;
}

bool FontBook::in_primary_ranges(std::uint32_t cp) {
    for (const ImWchar* r = kPrimaryRanges; r[0]; r += 2)
        if (cp >= r[0] && cp <= r[1]) return true;
    return cp < 0x20;  // control characters are never drawn
}

void FontBook::note_text(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size();) {
        std::uint32_t cp = next_codepoint(utf8, i);
        if (cp < 0x80 || in_primary_ranges(cp) || cp > 0x10FFFF) continue;
        if (extra_.insert(cp).second) dirty_ = true;
    }
}

void FontBook::add_face(float size, float pixel_scale, ImFont** out) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;  // the FontBook keeps the bytes
    config.OversampleH = 1;               // baked at the device pixel ratio already
    config.OversampleV = 1;
    config.PixelSnapH = true;
    *out = io.Fonts->AddFontFromMemoryTTF(primary_.data(), static_cast<int>(primary_.size()),
                                          size * pixel_scale, &config, kPrimaryRanges);
    if (!fallback_.empty() && extra_ranges_.size() > 1) {
        ImFontConfig merge = config;
        merge.MergeMode = true;
        io.Fonts->AddFontFromMemoryTTF(fallback_.data(), static_cast<int>(fallback_.size()),
                                       size * pixel_scale, &merge,
                                       reinterpret_cast<const ImWchar*>(extra_ranges_.data()));
    }
}

bool FontBook::rebuild_if_needed(float pixel_scale) {
    if (primary_.empty()) return false;
    if (!dirty_ && pixel_scale == built_scale_) return false;
    static_assert(sizeof(ImWchar) == sizeof(std::uint32_t), "build with IMGUI_USE_WCHAR32");
    extra_ranges_.clear();
    for (std::uint32_t cp : extra_) {  // consecutive code points share one range
        if (!extra_ranges_.empty() && extra_ranges_.back() + 1 == cp) extra_ranges_.back() = cp;
        else { extra_ranges_.push_back(cp); extra_ranges_.push_back(cp); }
    }
    extra_ranges_.push_back(0);

    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    add_face(kBodySize, pixel_scale, &body_);
    add_face(kHeadingSize, pixel_scale, &heading_);
    io.Fonts->Build();
    io.FontDefault = body_;
    io.FontGlobalScale = 1.0f / pixel_scale;
    built_scale_ = pixel_scale;
    dirty_ = false;
    return true;
}

}  // namespace lb::ui
