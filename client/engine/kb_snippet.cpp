// kb_snippet.cpp — kb_mark_text (snippets and marked titles from known matches) and the
// kb_snippet FTS5 auxiliary function built on it.
#include "engine/kb_snippet.h"

#include <sqlite3.h>

#include <algorithm>
#include <climits>

namespace lb::engine {

namespace {

constexpr int kMaxTokens = 64;  // as snippet()

// Byte ranges of the text's tokens up to `stop_after`, and which of them start a sentence.
struct TokenScan {
    const char* text = nullptr;
    int stop_after = 0;
    std::vector<std::pair<int, int>> bytes;  // [begin, end) per token
    std::vector<int> sentence_starts;        // token indexes, ascending
};

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int scan_token(void* context, int flags, const char*, int, int begin, int end) {
    auto* scan = static_cast<TokenScan*>(context);
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    const int index = static_cast<int>(scan->bytes.size());
    if (index > scan->stop_after) return SQLITE_DONE;  // the rest of the text is not shown
    // a sentence starts at the first token, or after "." or ":" and a blank (as snippet() sees it)
    int i = begin - 1;
    while (i >= 0 && is_blank(scan->text[i])) --i;
    if (index == 0 || (i != begin - 1 && i >= 0 && (scan->text[i] == '.' || scan->text[i] == ':')))
        scan->sentence_starts.push_back(index);
    scan->bytes.emplace_back(begin, end);
    return SQLITE_OK;
}

// The window start with the most distinct phrases, then the most matches, then the earliest:
// the index in `matches` (sorted by first token) of its first match.
std::size_t best_window(const std::vector<KbMatch>& matches, int tokens, int phrases) {
    std::vector<int> seen(static_cast<std::size_t>(std::max(phrases, 1)), 0);
    std::size_t best = 0, end = 0;
    int distinct = 0, best_score = -1;
    for (std::size_t begin = 0; begin < matches.size(); ++begin) {
        while (end < matches.size() && matches[end].first < matches[begin].first + tokens) {
            if (seen[static_cast<std::size_t>(matches[end].phrase)]++ == 0) ++distinct;
            ++end;
        }
        int count = static_cast<int>(end - begin);
        int score = distinct * 1000 + (count - distinct);
        if (score > best_score) {
            best_score = score;
            best = begin;
        }
        if (--seen[static_cast<std::size_t>(matches[begin].phrase)] == 0) --distinct;
    }
    return best;
}

}  // namespace

int kb_mark_text(std::string_view text, int column_tokens, std::vector<KbMatch> matches, int phrases, int tokens,
                 std::string_view open, std::string_view close, std::string_view ellipsis,
                 const KbTokenizeFn& tokenize, std::string& out) {
    out.clear();
    std::erase_if(matches, [&](const KbMatch& m) { return m.phrase < 0 || m.phrase >= phrases || m.last < m.first; });
    std::sort(matches.begin(), matches.end(), [](const KbMatch& a, const KbMatch& b) {
        return a.first != b.first ? a.first < b.first : a.last < b.last;
    });
    const bool whole = tokens <= 0;

    // The window: centred on the best group of matches (as snippet() does), clamped to the text.
    int start = 0, first = 0, last = -1;
    if (!whole && !matches.empty()) {
        std::size_t b = best_window(matches, tokens, phrases);
        first = matches[b].first;
        for (std::size_t j = b; j < matches.size() && matches[j].first < first + tokens; ++j)
            last = std::max(last, matches[j].last);
        start = first - (tokens - (last + 1 - first)) / 2;
        if (start + tokens > column_tokens) start = column_tokens - tokens;
        start = std::max(start, 0);
    }
    TokenScan scan;
    scan.text = text.data();
    scan.stop_after = whole ? INT_MAX : std::max(start, first) + tokens;
    if (!text.empty()) {
        int rc = tokenize(text, &scan, scan_token);
        if (rc != SQLITE_OK && rc != SQLITE_DONE) return rc;
    }
    if (scan.bytes.empty()) {
        out.assign(text);
        return SQLITE_OK;
    }
    // Rather start at a sentence that begins before the matches, if they still fit after it.
    for (auto s = scan.sentence_starts.rbegin(); !whole && !matches.empty() && s != scan.sentence_starts.rend(); ++s) {
        if (*s > first) continue;
        if (last - *s < tokens) start = *s;
        break;
    }
    const int count = static_cast<int>(scan.bytes.size());
    start = std::min(start, count - 1);
    const int end = whole ? count - 1 : std::min(start + tokens, count) - 1;

    if (start > 0) out += ellipsis;
    int copied = start > 0 ? scan.bytes[static_cast<std::size_t>(start)].first : 0;  // from the text's start
    auto copy_to = [&](int byte) {
        if (byte > copied) out.append(text.substr(static_cast<std::size_t>(copied), static_cast<std::size_t>(byte - copied)));
        copied = std::max(copied, byte);
    };
    // matched phrases in the window, overlapping ones merged, each wrapped once
    for (std::size_t j = 0; j < matches.size();) {
        int from = matches[j].first, to = matches[j].last;
        for (++j; j < matches.size() && matches[j].first <= to; ++j) to = std::max(to, matches[j].last);
        from = std::max(from, start);
        to = std::min(to, end);
        if (from > to) continue;
        copy_to(scan.bytes[static_cast<std::size_t>(from)].first);
        out += open;
        copy_to(scan.bytes[static_cast<std::size_t>(to)].second);
        out += close;
    }
    if (whole || end >= column_tokens - 1) {
        copy_to(static_cast<int>(text.size()));  // the end is shown, with what follows the last token
    } else {
        copy_to(scan.bytes[static_cast<std::size_t>(end)].second);
        out += ellipsis;
    }
    return SQLITE_OK;
}

namespace {

const char* text_arg(sqlite3_value* v) {
    const char* t = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return t ? t : "";
}

void kb_snippet(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** args) {
    if (argc != 5) {
        sqlite3_result_error(ctx, "kb_snippet: wrong number of arguments", -1);
        return;
    }
    const int column = sqlite3_value_int(args[0]);
    const int tokens = std::clamp(sqlite3_value_int(args[4]), 1, kMaxTokens);
    const int phrases = api->xPhraseCount(fts);
    int rc = SQLITE_OK, instances = 0, size = 0, text_bytes = 0;
    const char* text = nullptr;
    std::vector<KbMatch> matches;
    if (column < 0 || column >= api->xColumnCount(fts)) rc = SQLITE_RANGE;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);
    for (int i = 0; i < instances && rc == SQLITE_OK; ++i) {
        int phrase = 0, col = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &col, &offset);
        if (rc == SQLITE_OK && col == column)
            matches.push_back({offset, offset + std::max(api->xPhraseSize(fts, phrase), 1) - 1, phrase});
    }
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, column, &size);
    if (rc == SQLITE_OK) rc = api->xColumnText(fts, column, &text, &text_bytes);
    std::string out;
    if (rc == SQLITE_OK) {
        auto tokenize = [&](std::string_view t, void* context, KbTokenCallback callback) {
            return api->xTokenize(fts, t.data(), static_cast<int>(t.size()), context, callback);
        };
        rc = kb_mark_text(std::string_view(text ? text : "", static_cast<std::size_t>(text_bytes)), size,
                          std::move(matches), phrases, tokens, text_arg(args[1]), text_arg(args[2]),
                          text_arg(args[3]), tokenize, out);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

}  // namespace

Status kb_register_snippet_function(storage::Database& db) {
    auto api = kb_fts5_api(db);
    if (!api) return api.error();
    if (api.value()->xCreateFunction(api.value(), "kb_snippet", nullptr, kb_snippet, nullptr) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "cannot register kb_snippet");
    return Ok{};
}

}  // namespace lb::engine
