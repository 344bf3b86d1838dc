// kb_search.cpp — KnowledgeBase's search side: from what a person typed to ranked hits.
// [SECTION] vocabulary  [SECTION] query planning  [SECTION] running a query
//
// The plan: tokenise with the index's own tokenizer; group words into concepts (a synonym group,
// or one word with its typo corrections and, for the word being typed, a prefix); drop stop words
// and words the index cannot match. Short inputs AND the concepts (then top up with OR); long ones
// OR their rarest concepts plus adjacent word pairs as phrases. FTS5 ranks with weighted BM25.
#include <algorithm>
#include <cstdio>

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
    std::string key;                        // dedupe: stem or synonym group
    std::int64_t df = 0;                    // articles matching (approximate for groups)
    std::size_t token = 0;                  // first token index, for bigrams and order
    bool single_word = false;               // a plain word (bigram-able)
    std::string word;                       // the raw word when single_word

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
                c.alternatives.push_back(quoted(join_phrase(p)));
                if (p.size() == 1) c.df = std::max(c.df, df_of(tokenizer_.stem(p.front())));
            }
            if (typing && i + matched == tokens.size() && matched == 1 && words[i].size() >= 2)
                c.alternatives.push_back(quoted(words[i]) + "*");
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
            c.alternatives.push_back(quoted(word));
            c.single_word = true;
            c.word = word;
        }
        if (typing && last) {
            if (word.size() >= 2) c.alternatives.push_back(quoted(word) + "*");
            c.df = std::max<std::int64_t>(c.df, 1);
        } else if (c.df == 0 && tuning_.typo_tolerance) {
            for (const std::string& fix : typo_corrections(stem)) {
                c.alternatives.push_back(quoted(fix));
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
        for (std::size_t k = 0; k < c->alternatives.size(); ++k) plan.concepts += std::to_string(index) + " ";
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
            plan.match += " OR " + quoted(a.word + " " + b.word);
            plan.concepts += std::to_string(index++) + " ";
            plan.weights += weight;
        }
    }
    return plan;
}

// [SECTION] running a query
Result<std::vector<KbHit>> KnowledgeBase::run_match(const QueryPlan& plan, std::string_view category,
                                                    std::size_t limit) {
    char weights[96];
    std::snprintf(weights, sizeof weights, "%.3f, %.3f, %.3f", tuning_.title_weight, tuning_.tags_weight,
                  tuning_.body_weight);
    std::string rank = tuning_.concept_ranking ? std::string("kb_rank(kb_fts, ?4, ?5, ") + weights + (tuning_.per_field ? ", 1" : ", 0") + ", ?6, ?7)"
                                               : std::string("-bm25(kb_fts, ") + weights + ")";
    std::string sql = "SELECT a.doc, a.id, a.title, a.category, " + rank +
                      " AS s FROM kb_fts JOIN kb_articles a ON a.doc = kb_fts.rowid "
                      "WHERE kb_fts MATCH ?1 AND (?2 = '' OR a.category = ?2) ORDER BY s DESC, a.id LIMIT ?3";
    auto q = db_->prepare(sql);
    if (!q) return q.error();
    // std::string: an empty string_view may have a null data() that SQLite would bind as NULL
    q.value().bind(1, plan.match).bind(2, std::string(category)).bind(3, static_cast<std::int64_t>(limit));
    if (tuning_.concept_ranking) {
        char proximity[32];
        // short inputs only: long ones have word-pair phrases instead
        std::snprintf(proximity, sizeof proximity, "%.3f", plan.short_query ? tuning_.proximity_weight : 0.0);
        q.value().bind(4, plan.concepts).bind(5, plan.weights).bind(6, std::string_view(proximity));
        q.value().bind(7, static_cast<std::int64_t>(plan.word_concepts));
    }
    std::vector<KbHit> hits;
    std::vector<std::int64_t> docs;
    for (;;) {
        auto row = q.value().step();
        if (!row) return make_error("kb_query_failed", row.error().message);
        if (!row.value()) break;
        const storage::Statement& s = q.value();
        KbHit h;
        docs.push_back(s.column_int(0));
        h.id = s.column_text(1);
        h.title = s.column_text(2);
        h.category = s.column_text(3);
        h.score = std::stod(s.column_text(4));
        hits.push_back(std::move(h));
    }
    // Snippets only for the hits shown, not for every matching article.
    auto snip = db_->prepare(
        "SELECT highlight(kb_fts, 0, char(2), char(3)), snippet(kb_fts, 2, char(2), char(3), '…', ?3) "
        "FROM kb_fts WHERE kb_fts MATCH ?1 AND rowid = ?2");
    if (!snip) return snip.error();
    for (std::size_t i = 0; i < hits.size(); ++i) {
        storage::Statement& s = snip.value();
        s.reset();
        s.bind(1, plan.match).bind(2, docs[i]).bind(3, static_cast<std::int64_t>(tuning_.snippet_tokens));
        auto row = s.step();
        if (!row) return row.error();
        if (!row.value()) continue;
        hits[i].title_marked = s.column_text(0);
        hits[i].snippet = s.column_text(1);
        std::replace(hits[i].snippet.begin(), hits[i].snippet.end(), '\n', ' ');
    }
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
