// kb_article.h — a knowledge-base article: parse a Markdown file with front matter into a struct,
// and turn Markdown into plain text for indexing and snippets.
//
// File format (assets/kb/*.md):
//   ---
//   title: VPN keeps disconnecting          (required)
//   tags: [vpn, remote access, disconnect]  (optional; flow list, or a block list of "- item")
//   category: Network                        (optional)
//   audience: employees                      (optional, default "everyone")
//   version: 3                               (optional, positive integer; 0 = "next version")
//   id: vpn-keeps-disconnecting              (optional; default: the id passed in, the file stem)
//   ---
//   Markdown body …
// Values may be quoted with "…" or '…'. Unknown keys, duplicate keys, a missing title, an empty
// body, invalid UTF-8 and oversized input are typed errors (codes below); parsing never throws
// and never reads past the input, so it is safe to fuzz.
// Not here: storage or search (knowledge_base.h); full CommonMark — the Markdown-to-text
// conversion is deliberately tiny (headings, emphasis, code, links, images, lists, quotes,
// tables, HTML tags).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/result.h"

namespace lb::engine {

inline constexpr std::size_t kKbMaxArticleBytes = 256 * 1024;
inline constexpr std::size_t kKbMaxTitleBytes = 200;
inline constexpr std::size_t kKbMaxIdBytes = 200;
inline constexpr std::size_t kKbMaxTags = 32;
inline constexpr std::size_t kKbMaxTagBytes = 64;

// Error codes of parse_kb_article (Error::code).
inline constexpr const char* kKbErrTooLarge = "kb_too_large";
inline constexpr const char* kKbErrInvalidUtf8 = "kb_invalid_utf8";
inline constexpr const char* kKbErrNoFrontMatter = "kb_missing_front_matter";
inline constexpr const char* kKbErrUnterminated = "kb_unterminated_front_matter";
inline constexpr const char* kKbErrBadLine = "kb_bad_front_matter_line";
inline constexpr const char* kKbErrUnknownField = "kb_unknown_field";
inline constexpr const char* kKbErrDuplicateField = "kb_duplicate_field";
inline constexpr const char* kKbErrMissingTitle = "kb_missing_title";
inline constexpr const char* kKbErrBadValue = "kb_bad_value";
inline constexpr const char* kKbErrEmptyBody = "kb_empty_body";
inline constexpr const char* kKbErrBadId = "kb_bad_id";

struct KbArticle {
    std::string id;                 // [a-z0-9._-]+, at most kKbMaxIdBytes
    std::int64_t version = 0;       // 0: let the knowledge base assign the next version
    std::string title;
    std::vector<std::string> tags;
    std::string category;
    std::string audience = "everyone";
    std::string body_markdown;
};

// Parses one article file. `default_id` is used when the front matter has no id (the file stem).
// On an error, `error_line` (when given) receives the 1-based line it concerns (the front-matter
// line at fault; 1 for whole-file problems such as size or encoding), for "file:line: message".
Result<KbArticle> parse_kb_article(std::string_view default_id, std::string_view text,
                                   std::size_t* error_line = nullptr);

// True when `id` is a valid article id.
bool is_valid_kb_id(std::string_view id);

// Markdown → plain text: blocks separated by "\n", inline markup removed, link and image text
// kept, URLs dropped, control characters (including the snippet markers \x02 \x03) removed.
std::string markdown_to_plain_text(std::string_view markdown);

}  // namespace lb::engine
