// kb_tokenizer.cpp — borrows FTS5's porter/unicode61 tokenizer through the fts5_api pointer.
#include "engine/kb_tokenizer.h"

#include <sqlite3.h>

#include "engine/kb_rank.h"

namespace lb::engine {

struct KbTokenizer::State {
    fts5_tokenizer api{};
    Fts5Tokenizer* tokenizer = nullptr;
    fts5_tokenizer words_api{};          // unicode61 alone: token boundaries without stemming
    Fts5Tokenizer* words = nullptr;
    ~State() {
        if (tokenizer && api.xDelete) api.xDelete(tokenizer);
        if (words && words_api.xDelete) words_api.xDelete(words);
    }
};

Result<KbTokenizer> KbTokenizer::create(storage::Database& db) {
    auto api = kb_fts5_api(db);
    if (!api) return api.error();
    fts5_api* fts = api.value();

    auto state = std::make_shared<State>();
    void* user_data = nullptr;
    if (fts->xFindTokenizer(fts, "porter", &user_data, &state->api) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "FTS5 has no porter tokenizer");
    const char* args[] = {"unicode61", "remove_diacritics", "2"};
    if (state->api.xCreate(user_data, args, 3, &state->tokenizer) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "cannot create the porter tokenizer");
    if (fts->xFindTokenizer(fts, "unicode61", &user_data, &state->words_api) != SQLITE_OK ||
        state->words_api.xCreate(user_data, args + 1, 2, &state->words) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "cannot create the unicode61 tokenizer");
    return KbTokenizer(std::move(state));
}

namespace {

struct Collector {
    std::vector<KbToken>* out;
};

int on_token(void* ctx, int flags, const char* token, int size, int begin, int end) {
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    auto* c = static_cast<Collector*>(ctx);
    c->out->push_back(KbToken{std::string(token, static_cast<std::size_t>(size)),
                              static_cast<std::size_t>(begin), static_cast<std::size_t>(end)});
    return SQLITE_OK;
}

}  // namespace

std::vector<KbToken> KbTokenizer::tokenize(std::string_view text) const {
    std::vector<KbToken> out;
    if (text.empty() || text.size() > 1'000'000) return out;
    Collector c{&out};
    state_->api.xTokenize(state_->tokenizer, &c, FTS5_TOKENIZE_DOCUMENT, text.data(),
                          static_cast<int>(text.size()), on_token);
    return out;
}

int KbTokenizer::scan(std::string_view text, void* context,
                      int (*on_token)(void*, int, const char*, int, int, int)) const {
    if (text.empty() || text.size() > 1'000'000) return SQLITE_OK;
    return state_->words_api.xTokenize(state_->words, context, FTS5_TOKENIZE_DOCUMENT, text.data(),
                                       static_cast<int>(text.size()), on_token);
}

std::string KbTokenizer::stem(std::string_view word) const {
    auto tokens = tokenize(word);
    return tokens.size() == 1 ? tokens.front().term : std::string();
}

}  // namespace lb::engine
