// kb_article.cpp — front-matter parser and the tiny Markdown-to-plain-text converter.
// [SECTION] helpers  [SECTION] front matter  [SECTION] markdown to text
#include "engine/kb_article.h"

#include <cctype>

#include "lifebuoy/utf8.h"

namespace lb::engine {

// [SECTION] helpers
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && (is_space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
    while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

// Splits off the next line (without its "\n"); returns false at the end of input.
bool next_line(std::string_view& rest, std::string_view& line) {
    if (rest.empty()) return false;
    std::size_t nl = rest.find('\n');
    line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
}

bool has_control_chars(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return true;
    return false;
}

Result<std::string> unquote(std::string_view value, std::string_view key) {
    value = trim(value);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
        if (value.back() != value.front())
            return make_error(kKbErrBadValue, "unterminated quote in '" + std::string(key) + "'");
        value = value.substr(1, value.size() - 2);
    }
    if (has_control_chars(value))
        return make_error(kKbErrBadValue, "control character in '" + std::string(key) + "'");
    return std::string(value);
}

Status add_tag(std::vector<std::string>& tags, std::string_view raw) {
    auto tag = unquote(raw, "tags");
    if (!tag) return tag.error();
    if (tag.value().empty()) return Ok{};
    if (tag.value().size() > kKbMaxTagBytes) return make_error(kKbErrBadValue, "a tag is too long");
    if (tags.size() >= kKbMaxTags) return make_error(kKbErrBadValue, "too many tags");
    tags.push_back(std::move(tag.value()));
    return Ok{};
}

Status parse_tag_list(std::vector<std::string>& tags, std::string_view value) {
    value = trim(value);
    if (!value.empty() && value.front() == '[') {
        if (value.back() != ']') return make_error(kKbErrBadValue, "tags: missing ']'");
        value = value.substr(1, value.size() - 2);
    }
    while (!value.empty()) {
        std::size_t comma = value.find(',');
        if (auto s = add_tag(tags, value.substr(0, comma)); !s) return s;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return Ok{};
}

}  // namespace

bool is_valid_kb_id(std::string_view id) {
    if (id.empty() || id.size() > kKbMaxIdBytes) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

// [SECTION] front matter
namespace {

Result<KbArticle> parse_article(std::string_view default_id, std::string_view text, std::size_t& line_no) {
    line_no = 1;
    if (text.size() > kKbMaxArticleBytes) return make_error(kKbErrTooLarge, "article is larger than 256 KiB");
    if (!is_valid_utf8(text)) return make_error(kKbErrInvalidUtf8, "article is not valid UTF-8");
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // byte-order mark

    std::string_view rest = text, line;
    if (!next_line(rest, line) || trim(line) != "---")
        return make_error(kKbErrNoFrontMatter, "article must start with a '---' front-matter block");

    KbArticle a;
    a.id = std::string(default_id);
    bool seen_title = false, seen_tags = false, seen_category = false, seen_audience = false,
         seen_version = false, seen_id = false, closed = false, in_tag_block = false;
    std::size_t title_line = 1;
    while (next_line(rest, line)) {
        ++line_no;
        if (trim(line) == "---") { closed = true; break; }
        std::string_view t = trim(line);
        if (t.empty() || t.front() == '#') continue;
        if (in_tag_block && t.front() == '-' && line.size() > 0 && is_space(line.front())) {
            if (auto s = add_tag(a.tags, t.substr(1)); !s) return s.error();
            continue;
        }
        in_tag_block = false;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos || is_space(line.front()))
            return make_error(kKbErrBadLine, "front matter line " + std::to_string(line_no) + " is not 'key: value'");
        std::string_view key = trim(line.substr(0, colon));
        std::string_view value = line.substr(colon + 1);
        auto once = [&](bool& seen) -> Status {
            if (seen) {
                std::string message = "'";  // built by append: g++ 12 -O3 warns falsely on operator+ here
                message.append(key).append("' appears twice");
                return make_error(kKbErrDuplicateField, std::move(message));
            }
            seen = true;
            return Ok{};
        };
        Status s = Ok{};
        if (key == "title") {
            if (s = once(seen_title); !s) return s.error();
            title_line = line_no;
            auto v = unquote(value, key);
            if (!v) return v.error();
            a.title = std::move(v.value());
        } else if (key == "tags") {
            if (s = once(seen_tags); !s) return s.error();
            if (trim(value).empty()) in_tag_block = true;
            else if (s = parse_tag_list(a.tags, value); !s) return s.error();
        } else if (key == "category" || key == "audience") {
            if (s = once(key == "category" ? seen_category : seen_audience); !s) return s.error();
            auto v = unquote(value, key);
            if (!v) return v.error();
            (key == "category" ? a.category : a.audience) = std::move(v.value());
        } else if (key == "version") {
            if (s = once(seen_version); !s) return s.error();
            std::string_view v = trim(value);
            if (v.empty() || v.size() > 12) return make_error(kKbErrBadValue, "version must be a non-negative integer");
            std::int64_t n = 0;
            for (char c : v) {
                if (c < '0' || c > '9') return make_error(kKbErrBadValue, "version must be a non-negative integer");
                n = n * 10 + (c - '0');
            }
            a.version = n;
        } else if (key == "id") {
            if (s = once(seen_id); !s) return s.error();
            auto v = unquote(value, key);
            if (!v) return v.error();
            a.id = std::move(v.value());
        } else {
            return make_error(kKbErrUnknownField, "unknown front-matter key '" + std::string(key) + "'");
        }
    }
    if (!closed) return make_error(kKbErrUnterminated, "front matter has no closing '---'");
    const std::size_t closing_line = line_no;
    if (!is_valid_kb_id(a.id)) {
        line_no = 1;
        return make_error(kKbErrBadId, "article id must be 1-200 characters of [a-z0-9._-]");
    }
    line_no = title_line;
    if (!seen_title || trim(a.title).empty()) return make_error(kKbErrMissingTitle, "article has no title");
    if (a.title.size() > kKbMaxTitleBytes) return make_error(kKbErrBadValue, "title is longer than 200 bytes");
    line_no = closing_line + 1;
    std::string_view body = trim(rest);
    if (body.empty()) return make_error(kKbErrEmptyBody, "article has no body");
    a.body_markdown = std::string(body);
    return a;
}

}  // namespace

Result<KbArticle> parse_kb_article(std::string_view default_id, std::string_view text, std::size_t* error_line) {
    std::size_t line_no = 1;
    auto parsed = parse_article(default_id, text, line_no);
    if (!parsed && error_line) *error_line = line_no;
    return parsed;
}

// [SECTION] markdown to text
namespace {

// Inline markup: emphasis, code ticks, links, images, HTML tags, control characters.
void append_inline(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        unsigned char u = static_cast<unsigned char>(c);
        if (c == '\t') { out += ' '; continue; }
        if (u < 0x20 || u == 0x7f) continue;
        if (c == '*' || c == '`' || c == '~') continue;
        if (c == '_') {
            bool word_before = i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]));
            bool word_after = i + 1 < s.size() && std::isalnum(static_cast<unsigned char>(s[i + 1]));
            if (word_before && word_after) out += c;  // snake_case stays
            continue;
        }
        if (c == '!' && i + 1 < s.size() && s[i + 1] == '[') continue;  // image: keep alt text
        if (c == '[') {
            std::size_t close = s.find(']', i);
            if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') {
                std::size_t paren = s.find(')', close);
                if (paren != std::string_view::npos) {
                    append_inline(out, s.substr(i + 1, close - i - 1));
                    i = paren;
                    continue;
                }
            }
            continue;
        }
        if (c == ']') continue;
        if (c == '<') {
            std::size_t close = s.find('>', i);
            if (close != std::string_view::npos && close > i + 1 &&
                (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/')) {
                out += ' ';
                i = close;
                continue;
            }
        }
        if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
            out += s[++i];
            continue;
        }
        out += c;
    }
}

// Removes a block marker at the start of a line: headings, quotes, list bullets, table pipes.
std::string_view strip_block_marker(std::string_view t) {
    while (!t.empty() && t.front() == '>') t = trim(t.substr(1));
    std::size_t hashes = 0;
    while (hashes < t.size() && t[hashes] == '#') ++hashes;
    if (hashes > 0 && hashes <= 6 && (hashes == t.size() || t[hashes] == ' ')) return trim(t.substr(hashes));
    if (t.size() >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') return trim(t.substr(2));
    std::size_t digits = 0;
    while (digits < t.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
    if (digits > 0 && digits + 1 < t.size() && (t[digits] == '.' || t[digits] == ')') && t[digits + 1] == ' ')
        return trim(t.substr(digits + 2));
    return t;
}

bool is_rule_line(std::string_view t) {
    if (t.size() < 3) return false;
    for (char c : t)
        if (c != '-' && c != '*' && c != '_' && c != '=' && c != '|' && c != ':' && c != ' ') return false;
    return true;
}

}  // namespace

std::string markdown_to_plain_text(std::string_view markdown) {
    std::string out;
    out.reserve(markdown.size());
    std::string_view rest = markdown, line;
    bool in_fence = false, paragraph_open = false;
    auto end_block = [&] {
        if (paragraph_open) out += '\n';
        paragraph_open = false;
    };
    while (next_line(rest, line)) {
        std::string_view t = trim(line);
        if (t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~") {
            end_block();
            in_fence = !in_fence;
            continue;
        }
        if (in_fence) {  // code: kept verbatim (error messages are worth finding), one line each
            std::size_t before = out.size();
            append_inline(out, t);
            if (out.size() > before) out += '\n';
            continue;
        }
        if (t.empty() || is_rule_line(t)) { end_block(); continue; }
        std::string_view content = strip_block_marker(t);
        bool starts_block = content.size() != t.size() || t.front() == '|';
        if (starts_block) end_block();
        if (t.front() == '|') {  // table row: cells separated by spaces
            std::string row;
            append_inline(row, t);
            for (char& c : row)
                if (c == '|') c = ' ';
            std::string_view r = trim(row);
            if (!r.empty()) { out.append(r); out += '\n'; }
            continue;
        }
        if (paragraph_open) out += ' ';
        std::size_t before = out.size();
        append_inline(out, content);
        paragraph_open = out.size() > before || paragraph_open;
    }
    end_block();
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace lb::engine
