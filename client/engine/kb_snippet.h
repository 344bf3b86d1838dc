// kb_snippet.h — marked excerpts of article text: the snippet under each suggestion and the
// title with its matched words marked, without re-reading the whole article.
//
// FTS5's snippet() tokenizes the whole column twice on every row it is called for (once to find
// sentence starts, once to copy the text) and scores windows pairwise over all matches; on long
// articles the snippets of a suggestion list cost more than ranking every matching article.
// kb_mark_text() picks its window from matches already known — most distinct phrases, then most
// matches, then the earliest; centred on its matches, or started at a sentence that begins before
// them when they still fit — and tokenizes the text only up to the end of that window. The search
// gets the matches from kb_rank (KbTopRows), so the hits shown need no second full-text query.
//
//   kb_snippet(kb_fts, column, open, close, ellipsis, tokens)   (FTS5 auxiliary function)
//     the arguments and output form of snippet(kb_fts, column, …) — `tokens` (1..64) tokens of the
//     column, each matched phrase wrapped in open…close, `ellipsis` where the text was cut; the
//     column's first tokens when nothing matched in it — for rows kb_rank did not keep.
// Registered per connection; holds no global state. Not here: ranking (kb_rank.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kb_rank.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

// Runs a tokenizer over `text` with FTS5's token callback; a callback returning SQLITE_DONE stops
// it early. Returns an SQLite result code.
using KbTokenCallback = int (*)(void* context, int flags, const char* token, int size, int begin, int end);
using KbTokenizeFn = std::function<int(std::string_view text, void* context, KbTokenCallback callback)>;

// `text` with the tokens of `matches` (FTS5 token offsets; `phrases` = phrases in the query)
// wrapped in open…close: the whole text when tokens <= 0 (as highlight()), else the best window
// of `tokens` tokens with `ellipsis` where it was cut (as snippet()). `column_tokens` is the
// text's token count (FTS5's column size). Returns an SQLite result code; `out` gets the text.
int kb_mark_text(std::string_view text, int column_tokens, std::vector<KbMatch> matches, int phrases, int tokens,
                 std::string_view open, std::string_view close, std::string_view ellipsis,
                 const KbTokenizeFn& tokenize, std::string& out);

Status kb_register_snippet_function(storage::Database& db);

}  // namespace lb::engine
