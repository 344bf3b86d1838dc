// markdown_view.h — draws a knowledge-base article's Markdown with Dear ImGui: headings (#, ##,
// ###), paragraphs, bulleted and numbered lists, fenced code blocks, and inline emphasis, code and
// links (rich_text.h). Front matter is the engine's business: this gets the body only.
// Not here: HTML, images or tables (the articles are written without them).
#pragma once

#include <string>
#include <string_view>

struct ImFont;

namespace lb::ui {

// Draws `markdown` wrapped at the current content width; headings use `heading_font`.
// Returns the URL of a link clicked this frame, or "".
std::string draw_markdown(std::string_view markdown, ImFont* heading_font);

}  // namespace lb::ui
