// kb_search.cpp — KnowledgeBase's search side: from what a person typed to ranked hits.
// [SECTION] vocabulary  [SECTION] query planning  [SECTION] running a query
//
// The plan: tokenise with the index's own tokenizer; group words into concepts (a synonym group,
// or one word with its typo corrections and, for the word being typed, its most common
// completions); drop stop words and words the index cannot match. Short inputs AND the concepts
// (then top up with OR); long ones OR their rarest concepts plus adjacent word pairs as phrases.
// kb_rank scores with weighted BM25, given the column sizes and term counts the vocabulary already
// holds; the few hits shown are joined with their articles and get kb_snippet's snippets.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "engine/kb_snippet.h"
#include "engine/kb_text.h"
#include "engine/knowledge_base.h"
#include "lifebuoy/utf8.h"

namespace lb::engine {

// [SECTION] vocabulary
Status KnowledgeBase::load_vocabulary() {
    if (vocab_.loaded) return Ok{};
    Vocabulary v;
    auto n = db_->query_int("SELECT count(*) FROM kb_articles");
    if (!n) return n.error();
    v.documents = n.value();
    auto q = db_->prepare("SELECT term, doc FROM kb_vocab");
    if (!q) return q.error();
    for (;;) {
        auto row = q.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        v.doc_freq.emplace(q.value().column_text(0), q.value().column_int(1));
    }
    for (const auto& [term, df] : v.doc_freq) {
        bool alpha = std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        if (!alpha || term.size() < 3 || term.size() > 40) continue;
        if (v.by_length.size() <= term.size()) v.by_length.resize(term.size() + 1);
        v.by_length[term.size()].push_back(&term);
    }
    auto sizes = kb_load_doc_sizes(*db_, "kb_fts");
    if (!sizes) return sizes.error();
    v.doc_sizes = std::move(sizes.value());
    for (std::string_view w : kb_stop_words()) v.stop_stems.push_back(tokenizer_.stem(w));
    std::sort(v.stop_stems.begin(), v.stop_stems.end());
    v.loaded = true;
    vocab_ = std::move(v);
    return Ok{};
}

std::vector<std::string> KnowledgeBase::typo_corrections(const std::string& term) const {
    bool alpha = std::all_of(term.begin(), term.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (!alpha || term.size() < 4) return {};
    int max = term.size() >= 8 ? 2 : 1;
    struct Candidate {
        int distance;
        std::int64_t df;
        const std::string* term;
    };
    std::vector<Candidate> found;
    for (std::size_t len = term.size() - static_cast<std::size_t>(max);
         len <= term.size() + static_cast<std::size_t>(max) && len < vocab_.by_length.size(); ++len) {
        for (const std::string* t : vocab_.by_length[len]) {
            int d = kb_edit_distance(term, *t, max);
            if (d <= max) found.push_back({d, vocab_.doc_freq.find(*t)->second, t});
        }
    }
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
        if (a.distance != b.distance) return a.distance < b.distance;
        if (a.df != b.df) return a.df > b.df;
        return *a.term < *b.term;
    });
    std::vector<std::string> out;
    for (const Candidate& c : found) {
        if (c.distance != found.front().distance || out.size() == 2) break;
        if (tokenizer_.stem(*c.term) == *c.term) out.push_back(*c.term);  // survives re-tokenising
    }
    return out;
}

// The word being typed, as the index terms it may be becoming: the most common terms that start
// with its stem, stop words left out, each one that survives re-tokenising (it is quoted in MATCH).
std::vector<std::string> KnowledgeBase::completions(const std::string& stem) const {
    std::vector<std::pair<std::int64_t, const std::string*>> found;
    for (auto it = vocab_.doc_freq.lower_bound(stem);
         it != vocab_.doc_freq.end() && it->first.compare(0, stem.size(), stem) == 0; ++it)
        if (!std::binary_search(vocab_.stop_stems.begin(), vocab_.stop_stems.end(), it->first))
            found.emplace_back(it->second, &it->first);
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    std::vector<std::string> out;
    for (const auto& [df, term] : found) {
        if (out.size() == tuning_.max_prefix_terms) break;
        if (tokenizer_.stem(*term) == *term) out.push_back(*term);
    }
    return out;
}

// [SECTION] query planning
namespace {

std::string quoted(std::string_view words) {
    std::string out = "\"";
    for (char c : words) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string join_phrase(const KbPhrase& p) {
    std::string out;
    for (const std::string& w : p) out += (out.empty() ? "" : " ") + w;
    return out;
}

struct Concept {
    std::vector<std::string> alternatives;  // FTS5 phrases: "word", "two words", "pref"*
    std::vector<std::int64_t> docs;         // articles matching each alternative (-1: not known)
    std::string key;                        // dedupe: stem or synonym group
    std::int64_t df = 0;                    // articles matching (approximate for groups)
    std::size_t token = 0;                  // first token index, for bigrams and order
    bool single_word = false;               // a plain word (bigram-able)
    std::string word;                       // the raw word when single_word

    void alternative(std::string phrase, std::int64_t articles) {
        alternatives.push_back(std::move(phrase));
        docs.push_back(articles);
    }

    std::string expression() const {
        if (alternatives.size() == 1) return alternatives.front();
        std::string out = "(";
        for (std::size_t i = 0; i < alternatives.size(); ++i) out += (i ? " OR " : "") + alternatives[i];
        return out + ")";
    }
};

}  // namespace

KnowledgeBase::QueryPlan KnowledgeBase::plan_query(std::string_view text, bool and_mode) {
    QueryPlan plan;
    std::vector<KbToken> tokens = tokenizer_.tokenize(text);
    std::vector<std::string> words;
    for (const KbToken& t : tokens) words.push_back(kb_ascii_lower(text.substr(t.begin, t.end - t.begin)));
    bool typing = !tokens.empty() && tokens.back().end == text.size();
    auto df_of = [&](const std::string& term) -> std::int64_t {
        auto it = vocab_.doc_freq.find(term);
        return it == vocab_.doc_freq.end() ? 0 : it->second;
    };
    auto add_prefix = [&](Concept& c, std::size_t token) {
        if (words[token].size() < 2) return;
        if (tuning_.max_prefix_terms == 0) {
            c.alternative(quoted(words[token]) + "*", -1);
            return;
        }
        for (const std::string& term : completions(tokens[token].term)) c.alternative(quoted(term), df_of(term));
    };

    std::vector<Concept> concepts;
    auto add = [&](Concept c) {
        for (const Concept& have : concepts)
            if (have.key == c.key) return;
        concepts.push_back(std::move(c));
    };
    for (std::size_t i = 0; i < tokens.size();) {
        bool last = i + 1 == tokens.size();
        std::size_t matched = 0;
        const KbSynonymGroup* group = tuning_.synonyms ? kb_find_synonyms(words, i, matched) : nullptr;
        if (group) {
            Concept c;
            c.key = "syn:" + join_phrase(group->front());
            c.token = i;
            for (const KbPhrase& p : *group) {
                std::string term = p.size() == 1 ? tokenizer_.stem(p.front()) : std::string();
                c.alternative(quoted(join_phrase(p)), term.empty() ? -1 : df_of(term));
                if (p.size() == 1) c.df = std::max(c.df, df_of(term));
            }
            if (typing && i + matched == tokens.size() && matched == 1) add_prefix(c, i);
            add(std::move(c));
            i += matched;
            continue;
        }
        const std::string& word = words[i];
        const std::string& stem = tokens[i].term;
        ++i;
        if (tuning_.stop_words && kb_is_stop_word(word)) continue;
        Concept c;
        c.key = stem;
        c.token = i - 1;
        c.df = df_of(stem);
        if (c.df > 0) {
            c.alternative(quoted(word), c.df);
            c.single_word = true;
            c.word = word;
        }
        if (typing && last) {
            add_prefix(c, i - 1);
            for (std::int64_t d : c.docs) c.df = std::max(c.df, d);
            c.df = std::max<std::int64_t>(c.df, 1);
        } else if (c.df == 0 && tuning_.typo_tolerance) {
            for (const std::string& fix : typo_corrections(stem)) {
                c.alternative(quoted(fix), df_of(fix));
                c.df = std::max(c.df, df_of(fix));
            }
        }
        if (!c.alternatives.empty()) add(std::move(c));  // a word the index can't match is dropped
    }

    plan.short_query = concepts.size() <= tuning_.short_query_words;
    if (concepts.empty()) return plan;
    std::vector<const Concept*> kept;
    for (const Concept& c : concepts) kept.push_back(&c);
    if (!plan.short_query) {
        // Long input: keep the rarest concepts (IDF cap), drop near-ubiquitous ones.
        const double n = static_cast<double>(std::max<std::int64_t>(vocab_.documents, 1));
        kept.clear();
        for (const Concept& c : concepts)
            if (static_cast<double>(c.df) / n <= tuning_.max_term_doc_fraction) kept.push_back(&c);
        if (kept.empty())
            for (const Concept& c : concepts) kept.push_back(&c);
        std::stable_sort(kept.begin(), kept.end(), [](const Concept* a, const Concept* b) { return a->df < b->df; });
        if (kept.size() > tuning_.max_query_terms) kept.resize(tuning_.max_query_terms);
        std::sort(kept.begin(), kept.end(), [](const Concept* a, const Concept* b) { return a->token < b->token; });
    }
    const char* op = plan.short_query && and_mode ? " AND " : " OR ";
    std::size_t index = 0;
    for (const Concept* c : kept) {
        plan.match += (plan.match.empty() ? "" : op) + c->expression();
        for (std::size_t k = 0; k < c->alternatives.size(); ++k) {
            plan.concepts += std::to_string(index) + " ";
            plan.phrases.push_back(c->alternatives[k]);
            plan.phrase_docs.push_back(c->docs[k]);
        }
        plan.weights += "1 ";
        ++index;
    }
    plan.word_concepts = index;
    if (!plan.short_query && tuning_.bigram_phrases) {
        // adjacent plain words (no word between them, stop words included) as a phrase
        char weight[32];
        std::snprintf(weight, sizeof weight, "%.3f ", tuning_.bigram_weight);
        for (std::size_t k = 0; k + 1 < concepts.size(); ++k) {
            const Concept& a = concepts[k];
            const Concept& b = concepts[k + 1];
            if (!a.single_word || !b.single_word || b.token != a.token + 1) continue;
            plan.phrases.push_back(quoted(a.word + " " + b.word));
            plan.match += " OR " + plan.phrases.back();
            plan.concepts += std::to_string(index++) + " ";
            plan.phrase_docs.push_back(-1);
            plan.weights += weight;
        }
    }
    // phrases counted on an earlier keystroke (word pairs, synonym phrases) need no new count
    for (std::size_t k = 0; k < plan.phrases.size(); ++k) {
        auto it = vocab_.phrase_docs.find(plan.phrases[k]);
        if (plan.phrase_docs[k] < 0 && it != vocab_.phrase_docs.end()) plan.phrase_docs[k] = it->second;
    }
    return plan;
}

// [SECTION] running a query
// The search path's statements, prepared once per knowledge base (its tuning fixes their SQL).
struct KnowledgeBase::SearchStatements {
    sqlite3_stmt* top_first = nullptr;  // the best matches, ranked from the index alone, then joined
    sqlite3_stmt* joined = nullptr;     // every match joined before ranking (category, ties at the cut)
    sqlite3_stmt* body = nullptr;       // one article's indexed text, for its snippet
    SearchStatements() = default;
    SearchStatements(const SearchStatements&) = delete;
    SearchStatements& operator=(const SearchStatements&) = delete;
    ~SearchStatements() {
        sqlite3_finalize(top_first);
        sqlite3_finalize(joined);
        sqlite3_finalize(body);
    }
};

namespace {

// Resets a statement and drops its bindings (texts bound SQLITE_STATIC, kb_rank's inputs) on exit.
struct InUse {
    sqlite3_stmt* stmt;
    ~InUse() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
};

void bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
    // never a null pointer: SQLite would bind NULL for an empty string_view
    sqlite3_bind_text(stmt, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

std::string column_text(sqlite3_stmt* stmt, int index) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, index));
    return text ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, index))) : std::string();
}

}  // namespace

Status KnowledgeBase::prepare_statements() {
    if (statements_) return Ok{};
    char weights[96];
    std::snprintf(weights, sizeof weights, "%.3f, %.3f, %.3f", tuning_.title_weight, tuning_.tags_weight,
                  tuning_.body_weight);
    std::string rank = tuning_.concept_ranking ? std::string("kb_rank(kb_fts, ?4, ?5, ") + weights + (tuning_.per_field ? ", 1" : ", 0") + ", ?6, ?7, ?8)"
                                               : std::string("-bm25(kb_fts, ") + weights + ")";
    // Every matching article is ranked; joining each one with kb_articles before the sort (for the
    // id that breaks ties, title, category) cost as much again on long inputs, so without a
    // category filter the best are picked from the index alone and joined afterwards.
    const std::string joined = "SELECT a.doc, a.id, a.title, a.category, " + rank +
                               " AS s FROM kb_fts JOIN kb_articles a ON a.doc = kb_fts.rowid "
                               "WHERE kb_fts MATCH ?1 AND (?2 = '' OR a.category = ?2) ORDER BY s DESC, a.id LIMIT ?3";
    const std::string top_first = "SELECT a.doc, a.id, a.title, a.category, r.s FROM (SELECT rowid AS doc, " + rank +
                                  " AS s FROM kb_fts WHERE kb_fts MATCH ?1 AND ?2 = '' ORDER BY s DESC LIMIT ?3) AS r "
                                  "JOIN kb_articles a ON a.doc = r.doc ORDER BY r.s DESC, a.id";
    auto prepared = std::make_shared<SearchStatements>();
    const std::string body = "SELECT body FROM kb_articles WHERE doc = ?1";
    for (auto [sql, stmt] : {std::pair{&top_first, &prepared->top_first}, std::pair{&joined, &prepared->joined},
                             std::pair{&body, &prepared->body}}) {
        if (sqlite3_prepare_v3(db_->handle(), sql->c_str(), -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr) != SQLITE_OK)
            return make_error("kb_query_failed", sqlite3_errmsg(db_->handle()));
    }
    statements_ = std::move(prepared);
    return Ok{};
}

Result<std::vector<KbHit>> KnowledgeBase::run_match(const QueryPlan& plan, std::string_view category,
                                                    std::size_t limit) {
    if (auto s = prepare_statements(); !s) return s.error();
    constexpr std::int64_t kTieSlack = 16;
    KbTopRows top;  // kb_rank keeps the matches of the best rows here, for the snippets
    top.capacity = limit + kTieSlack;
    std::vector<std::int64_t> phrase_docs = plan.phrase_docs;  // kb_rank fills in what it counts
    KbRankInputs inputs{&vocab_.doc_sizes, &phrase_docs, &top};
    std::vector<KbHit> hits;
    std::vector<std::int64_t> docs;
    auto rank_matches = [&](sqlite3_stmt* stmt, std::int64_t rows) -> Status {
        hits.clear();
        docs.clear();
        top.rows.clear();
        InUse in_use{stmt};
        bind_text(stmt, 1, plan.match);
        bind_text(stmt, 2, category);
        sqlite3_bind_int64(stmt, 3, rows);
        char proximity[32];
        if (tuning_.concept_ranking) {
            // short inputs only: long ones have word-pair phrases instead
            std::snprintf(proximity, sizeof proximity, "%.3f", plan.short_query ? tuning_.proximity_weight : 0.0);
            bind_text(stmt, 4, plan.concepts);
            bind_text(stmt, 5, plan.weights);
            bind_text(stmt, 6, proximity);
            sqlite3_bind_int64(stmt, 7, static_cast<std::int64_t>(plan.word_concepts));
            sqlite3_bind_pointer(stmt, 8, &inputs, kKbRankInputsType, nullptr);
        }
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            KbHit h;
            docs.push_back(sqlite3_column_int64(stmt, 0));
            h.id = column_text(stmt, 1);
            h.title = column_text(stmt, 2);
            h.category = column_text(stmt, 3);
            h.score = std::stod(column_text(stmt, 4));
            hits.push_back(std::move(h));
        }
        if (rc != SQLITE_DONE) return make_error("kb_query_failed", sqlite3_errmsg(db_->handle()));
        return Ok{};
    };
    // Without a category: the best limit + kTieSlack from the index, joined — unless articles tied
    // with the limit-th score may have been cut there: then the full join decides (ties by id).
    const auto wanted = static_cast<std::int64_t>(limit);
    bool exact = !category.empty();
    if (!exact) {
        if (auto s = rank_matches(statements_->top_first, wanted + kTieSlack); !s) return s.error();
        exact = static_cast<std::int64_t>(hits.size()) == wanted + kTieSlack && hits.back().score == hits[limit - 1].score;
        if (!exact && hits.size() > limit) {
            hits.resize(limit);
            docs.resize(limit);
        }
    }
    if (exact)
        if (auto s = rank_matches(statements_->joined, wanted); !s) return s.error();
    constexpr std::size_t kMaxKnownPhrases = 20000;
    if (vocab_.phrase_docs.size() > kMaxKnownPhrases) vocab_.phrase_docs.clear();
    for (std::size_t k = 0; k < phrase_docs.size() && k < plan.phrases.size(); ++k)
        if (plan.phrase_docs[k] < 0 && phrase_docs[k] >= 0) vocab_.phrase_docs.emplace(plan.phrases[k], phrase_docs[k]);
    // Marked titles and snippets only for the hits shown: from the matches kb_rank kept and the
    // article's text. A hit it did not keep (tied at the cut) or without known sizes asks FTS5.
    const int phrases = static_cast<int>(plan.phrase_docs.size());
    auto tokenize = [this](std::string_view text, void* context, KbTokenCallback callback) {
        return tokenizer_.scan(text, context, callback);
    };
    std::vector<std::int64_t> missing;
    for (std::size_t i = 0; i < hits.size(); ++i) {
        const KbTopRows::Row* row = top.find(docs[i]);
        const auto& sizes = vocab_.doc_sizes.by_doc;
        const auto at = static_cast<std::size_t>(docs[i]);
        if (!row || docs[i] < 0 || at >= sizes.size() || sizes[at][0] < 0) {
            missing.push_back(docs[i]);
            continue;
        }
        sqlite3_stmt* body = statements_->body;
        InUse in_use{body};
        sqlite3_bind_int64(body, 1, docs[i]);
        int rc = sqlite3_step(body);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return make_error("kb_query_failed", sqlite3_errmsg(db_->handle()));
        std::string text = rc == SQLITE_ROW ? column_text(body, 0) : std::string();
        KbHit& h = hits[i];
        rc = kb_mark_text(h.title, sizes[at][0], row->title, phrases, 0, "\x02", "\x03", "", tokenize, h.title_marked);
        if (rc == SQLITE_OK)
            rc = kb_mark_text(text, sizes[at][2], row->body, phrases, static_cast<int>(tuning_.snippet_tokens), "\x02",
                              "\x03", "…", tokenize, h.snippet);
        if (rc != SQLITE_OK) return make_error("kb_query_failed", sqlite3_errstr(rc));
        std::replace(h.snippet.begin(), h.snippet.end(), '\n', ' ');
    }
    if (missing.empty()) return hits;
    // one statement for them all: binding MATCH makes SQLite prepare a statement again
    std::string sql = "SELECT rowid, highlight(kb_fts, 0, char(2), char(3)), "
                      "kb_snippet(kb_fts, 2, char(2), char(3), '…', ?2) FROM kb_fts WHERE kb_fts MATCH ?1 AND rowid IN (";
    for (std::size_t i = 0; i < missing.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 3);
    sql += ")";
    sqlite3_stmt* snip = nullptr;
    if (sqlite3_prepare_v2(db_->handle(), sql.c_str(), -1, &snip, nullptr) != SQLITE_OK)
        return make_error("kb_query_failed", sqlite3_errmsg(db_->handle()));
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> finalize(snip, sqlite3_finalize);
    bind_text(snip, 1, plan.match);
    sqlite3_bind_int64(snip, 2, static_cast<std::int64_t>(tuning_.snippet_tokens));
    for (std::size_t i = 0; i < missing.size(); ++i) sqlite3_bind_int64(snip, static_cast<int>(i + 3), missing[i]);
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(snip)) == SQLITE_ROW) {
        auto at = std::find(docs.begin(), docs.end(), sqlite3_column_int64(snip, 0));
        if (at == docs.end()) continue;
        KbHit& h = hits[static_cast<std::size_t>(at - docs.begin())];
        h.title_marked = column_text(snip, 1);
        h.snippet = column_text(snip, 2);
        std::replace(h.snippet.begin(), h.snippet.end(), '\n', ' ');
    }
    if (rc != SQLITE_DONE) return make_error("kb_query_failed", sqlite3_errmsg(db_->handle()));
    return hits;
}

Result<std::vector<KbHit>> KnowledgeBase::run(std::string_view text, std::string_view category, std::size_t limit) {
    if (limit == 0 || limit > kKbMaxLimit) return make_error("bad_arguments", "limit must be 1-100");
    if (text.size() > kKbMaxQueryBytes || !is_valid_utf8(text))
        return make_error("bad_arguments", "query must be valid UTF-8 of at most 4096 bytes");
    if (auto s = load_vocabulary(); !s) return s.error();
    QueryPlan all = plan_query(text, true);
    if (all.match.empty()) return std::vector<KbHit>{};
    auto hits = run_match(all, category, limit);
    if (!hits || !all.short_query || hits.value().size() >= limit) return hits;
    // Too few articles have every word: top up with articles that have some of them.
    QueryPlan any = plan_query(text, false);
    if (any.match == all.match) return hits;
    auto more = run_match(any, category, limit);
    if (!more) return more;
    for (KbHit& h : more.value()) {
        if (hits.value().size() >= limit) break;
        bool seen = std::any_of(hits.value().begin(), hits.value().end(), [&](const KbHit& x) { return x.id == h.id; });
        if (!seen) hits.value().push_back(std::move(h));
    }
    return hits;
}

Result<std::vector<KbHit>> KnowledgeBase::suggest(std::string_view text, std::size_t limit) {
    return run(text, {}, limit);
}

Result<std::vector<KbHit>> KnowledgeBase::search(std::string_view query, std::string_view category, std::size_t limit) {
    bool blank = std::all_of(query.begin(), query.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
    if (!blank) return run(query, category, limit);
    if (limit == 0 || limit > kKbMaxLimit) return make_error("bad_arguments", "limit must be 1-100");
    auto q = db_->prepare(
        "SELECT id, title, category, substr(body, 1, 160) FROM kb_articles WHERE (?1 = '' OR category = ?1) "
        "ORDER BY title, id LIMIT ?2");
    if (!q) return q.error();
    q.value().bind(1, std::string(category)).bind(2, static_cast<std::int64_t>(limit));
    std::vector<KbHit> hits;
    for (;;) {
        auto row = q.value().step();
        if (!row) return row.error();
        if (!row.value()) break;
        const storage::Statement& s = q.value();
        KbHit h{s.column_text(0), s.column_text(1), s.column_text(1), s.column_text(3), s.column_text(2), 0};
        std::replace(h.snippet.begin(), h.snippet.end(), '\n', ' ');
        hits.push_back(std::move(h));
    }
    return hits;
}

}  // namespace lb::engine
