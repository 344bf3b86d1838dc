// kb_rank.h — "kb_rank", an FTS5 ranking function: BM25 over concepts instead of phrases.
//
// FTS5's built-in bm25() scores every phrase of a query on its own, so a query expanded with
// synonyms ("email" OR "e mail" OR "mail") or typo corrections gives extra credit to an article
// that happens to use several of the alternatives. kb_rank groups the query's phrases into
// concepts and scores each concept once: its frequency is the sum over its alternatives (per
// column, times the column weight), its IDF the rarest-looking of them (highest document count,
// a lower bound of the union's). Otherwise it is FTS5's BM25 (k1 = 1.2, b = 0.75, same IDF floor).
//
//   kb_rank(kb_fts, 'c0 c1 c1 c2 …', 'w0 w1 w2 …', title_weight, tags_weight, body_weight
//           [, per_field [, proximity_weight, word_concepts]])
//     arg 2: for each phrase of the MATCH expression, in order, the index of its concept
//     arg 3: one weight per concept (multiplies its BM25 term)
//     per_field 0 (default): one BM25 over the whole article, a concept's frequency summed over
//       the columns times their weights (FTS5's bm25() model)
//     per_field 1: the weighted sum of one BM25 per column, each normalised by that column's own
//       length — a match in a short title then counts fully even when the body of another
//       article repeats the word many times
//     proximity_weight, word_concepts: concepts k and k+1 (both < word_concepts, i.e. in query
//       order) found within 3 tokens of each other in one column add proximity_weight × that
//       column's weight × the smaller of their IDFs (once per pair)
// Returns a positive score, higher is better. With a malformed map it falls back to one concept
// per phrase, weight 1. Registered per connection; holds no global state.
// Not here: building the MATCH expression and the maps (kb_search.cpp).
#pragma once

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

struct fts5_api;

namespace lb::engine {

// The connection's FTS5 API, or an error when FTS5 is not compiled in.
Result<fts5_api*> kb_fts5_api(storage::Database& db);

Status kb_register_rank_function(storage::Database& db);

}  // namespace lb::engine
