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
//           [, per_field [, proximity_weight, word_concepts [, inputs]]])
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
//     inputs: a KbRankInputs bound with sqlite3_bind_pointer(…, kKbRankInputsType): what the
//       caller already knows — each article's column sizes (else FTS5's docsize table is read for
//       every matching row) and phrases' document counts (else each phrase is counted by a scan) —
//       and where to keep the matches of the best rows
// Returns a positive score, higher is better. With a malformed map it falls back to one concept
// per phrase, weight 1. Registered per connection; holds no global state.
// Not here: building the MATCH expression and the maps (kb_search.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

struct fts5_api;

namespace lb::engine {

// Tokens in each article's title, tags and body, indexed by FTS5 rowid ({-1, -1, -1}: unknown).
struct KbDocSizes {
    std::vector<std::array<int, 3>> by_doc;
};

// A phrase's match in one column of one row: its tokens first..last (FTS5 token offsets).
struct KbMatch {
    int first = 0, last = 0;
    int phrase = 0;
};

// The best-scoring rows kb_rank has seen, with their title and body matches, so the hits shown
// need no second full-text query for their snippets (kb_snippet.h).
struct KbTopRows {
    struct Row {
        double score = 0;
        std::int64_t rowid = 0;
        std::vector<KbMatch> title, body;
    };
    std::size_t capacity = 0;
    std::vector<Row> rows;  // a heap, lowest score first
    const Row* find(std::int64_t rowid) const;
};

inline constexpr const char* kKbRankInputsType = "lb_kb_rank_inputs";
struct KbRankInputs {
    const KbDocSizes* sizes = nullptr;
    std::vector<std::int64_t>* phrase_docs = nullptr;  // per phrase of the MATCH; -1: unknown (counted
                                                       // by kb_rank, which writes the count here)
    KbTopRows* top = nullptr;                                 // filled while ranking, if given
};

// Reads <fts_table>_docsize, FTS5's per-row column sizes (three columns).
Result<KbDocSizes> kb_load_doc_sizes(storage::Database& db, const char* fts_table);

// The connection's FTS5 API, or an error when FTS5 is not compiled in.
Result<fts5_api*> kb_fts5_api(storage::Database& db);

Status kb_register_rank_function(storage::Database& db);

}  // namespace lb::engine
