// kb_tokenizer.h — the knowledge index's own FTS5 tokenizer, usable from C++.
//
// Queries must be analysed exactly as documents were: same Unicode folding, same diacritics
// removal, same Porter stems. Rather than a second stemmer in C++, this borrows the connection's
// FTS5 "porter unicode61 remove_diacritics 2" tokenizer through the fts5_api, so a word's stem
// here is, by construction, the term stored in the index.
// Not here: what the words mean (kb_text.h) or how a query is planned (knowledge_base.cpp).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

struct KbToken {
    std::string term;        // as stored in the index: folded and stemmed
    std::size_t begin = 0;   // byte range of the word in the input
    std::size_t end = 0;
};

class KbTokenizer {
public:
    // The tokenizer arguments the index is created with (see knowledge_base.cpp).
    static constexpr const char* kSpec = "porter unicode61 remove_diacritics 2";

    static Result<KbTokenizer> create(storage::Database& db);

    // Tokens of `text` in order. Never fails on any input (invalid UTF-8 is skipped by FTS5).
    std::vector<KbToken> tokenize(std::string_view text) const;

    // The single index term for one word, or "" when the word yields no token.
    std::string stem(std::string_view word) const;

    // Runs the tokenizer without stemming — the same tokens at the same offsets, for snippets —
    // calling on_token(context, flags, token, size, begin, end) for each until it returns
    // non-zero (SQLITE_DONE: stop early). Returns that code, or 0.
    int scan(std::string_view text, void* context,
             int (*on_token)(void* context, int flags, const char* token, int size, int begin, int end)) const;

private:
    struct State;
    explicit KbTokenizer(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
};

}  // namespace lb::engine
