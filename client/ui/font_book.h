// font_book.h — the portal's fonts and the glyph atlas, grown on demand.
//
// Dear ImGui 1.86 bakes glyphs into one texture up front, so a font atlas holding every script
// would be huge. The FontBook bakes the primary font's European scripts (Latin, Greek, Cyrillic,
// punctuation, symbols) at start, and adds any other code point the first time the UI meets it
// (note_text() on everything typed or received): those glyphs come from the fallback font (CJK,
// Hangul, …), which the platform fetches only once it is needed. Fonts are baked at the device
// pixel ratio, so text stays crisp on HiDPI screens.
// Not here: fetching the font files (platform/browser_fonts.cpp) or uploading the texture to the
// GPU (the renderer; rebuild_if_needed() says when it must).
#pragma once

#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

struct ImFont;

namespace lb::ui {

class FontBook {
public:
    static constexpr float kBodySize = 17.0f;     // CSS pixels
    static constexpr float kHeadingSize = 26.0f;

    void set_primary_font(std::vector<std::uint8_t> ttf);
    void set_fallback_font(std::vector<std::uint8_t> ttf);
    bool has_primary() const { return !primary_.empty(); }
    bool has_fallback() const { return !fallback_.empty(); }

    // Registers the code points of a UTF-8 text that will be drawn; cheap when nothing is new.
    void note_text(std::string_view utf8);
    // True when some noted code point needs the fallback font and it has not been provided yet.
    bool wants_fallback() const { return !fallback_requested_ && !extra_.empty() && fallback_.empty(); }
    void mark_fallback_requested() { fallback_requested_ = true; }

    // Rebuilds the atlas when fonts, code points or the pixel scale changed. Returns true when
    // the atlas was rebuilt and the renderer must upload the new texture.
    bool rebuild_if_needed(float pixel_scale);

    ImFont* body() const { return body_; }
    ImFont* heading() const { return heading_; }
    std::size_t extra_glyph_count() const { return extra_.size(); }

private:
    static bool in_primary_ranges(std::uint32_t codepoint);
    void add_face(float size, float pixel_scale, ImFont** out);

    std::vector<std::uint8_t> primary_;
    std::vector<std::uint8_t> fallback_;
    std::set<std::uint32_t> extra_;             // code points beyond the primary ranges
    std::vector<std::uint32_t> extra_ranges_;   // ImWchar pairs for the fallback, kept alive
    bool fallback_requested_ = false;
    bool dirty_ = true;
    float built_scale_ = 0.0f;
    ImFont* body_ = nullptr;
    ImFont* heading_ = nullptr;
};

}  // namespace lb::ui
