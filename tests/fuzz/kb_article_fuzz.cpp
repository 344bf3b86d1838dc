// kb_article_fuzz.cpp — libFuzzer target for parse_kb_article and markdown_to_plain_text
// (article files arrive from sync, so they are untrusted bytes).
// Checks, besides "no crash, no sanitizer report": every error carries a code; an accepted article
// has a valid id, a non-empty title and body; the plain text never contains the snippet markers.
// Seeds: tests/fuzz/corpus/kb_article/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/kb_article.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    auto article = lb::engine::parse_kb_article("fuzz", input);
    if (!article) {
        if (article.error().code.empty()) __builtin_trap();
    } else {
        const auto& a = article.value();
        if (!lb::engine::is_valid_kb_id(a.id) || a.title.empty() || a.body_markdown.empty()) __builtin_trap();
    }
    std::string text = lb::engine::markdown_to_plain_text(input);
    if (text.find('\x02') != std::string::npos || text.find('\x03') != std::string::npos) __builtin_trap();
    return 0;
}
