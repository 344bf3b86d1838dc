// engine_kb_snippet_test.cpp — kb_mark_text: the snippet window (centred on the best matches,
// moved back to a sentence start when the matches still fit), ellipses where the text was cut,
// merged overlapping matches, the whole text marked (titles), text before the first token kept.
#include <doctest/doctest.h>

#include "engine/kb_snippet.h"
#include "engine/kb_tokenizer.h"

using lb::engine::KbMatch;

namespace {

// Tokens: First0 sentence1 here2 Second3 sentence4 has5 the6 error7 code8 in9 it10 Third11 one12
constexpr std::string_view kText = "First sentence here. Second sentence has the error code in it. Third one.";
constexpr int kTokens = 13;

std::string mark(std::vector<KbMatch> matches, int window) {
    auto db = lb::storage::Database::open(":memory:");
    REQUIRE(db.ok());
    auto tokenizer = lb::engine::KbTokenizer::create(db.value());
    REQUIRE(tokenizer.ok());
    auto tokenize = [&](std::string_view text, void* context, lb::engine::KbTokenCallback callback) {
        return tokenizer.value().scan(text, context, callback);
    };
    std::string out;
    REQUIRE(lb::engine::kb_mark_text(kText, kTokens, std::move(matches), 2, window, "[", "]", "…", tokenize, out) == 0);
    return out;
}

}  // namespace

TEST_CASE("kb_mark_text: windows, sentence starts, ellipses, merged matches, whole text") {
    CHECK(mark({{7, 7, 0}}, 4) == "…the [error] code in…");                 // centred
    CHECK(mark({{7, 7, 0}}, 6) == "…Second sentence has the [error] code…");  // from the sentence start
    CHECK(mark({}, 4) == "First sentence here. Second…");                   // nothing matched: the start
    CHECK(mark({{12, 12, 1}}, 4) == "…Third [one].");                         // the end, with what follows
    CHECK(mark({{7, 8, 0}, {8, 8, 1}}, 0) ==
          "First sentence here. Second sentence has the [error code] in it. Third one.");
    CHECK(mark({{0, 0, 0}, {6, 6, 1}}, 4) == "[First] sentence here. Second…");  // most distinct, earliest
}
