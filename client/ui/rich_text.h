// rich_text.h — wrapped text with inline styles for Dear ImGui: search highlights (U+0002 … U+0003
// around a matched word, as the engine marks snippets), **strong**, *emphasis*, `code` and
// [links](url). ImGui 1.86 wraps only plain single-colour text, so this lays words out itself.
// Not here: block structure (headings, lists: markdown_view.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lb::ui {

enum class SpanStyle { Plain, Highlight, Strong, Emphasis, Code, Link };

struct Span {
    std::string text;
    SpanStyle style = SpanStyle::Plain;
    std::string url;  // for links
};

// Engine snippets: U+0002 opens a highlight, U+0003 closes it.
std::vector<Span> parse_highlights(std::string_view text);
// Markdown inline markup of one paragraph or list item.
std::vector<Span> parse_markdown_inline(std::string_view text);

// Draws the spans wrapped at the current content width. Returns the URL of a link clicked this
// frame, or "".
std::string draw_spans(const std::vector<Span>& spans);

}  // namespace lb::ui
