// knowledge_base.h — the offline knowledge base: articles in the engine's SQLite database,
// searched with FTS5 while the person types.
//
// Features:
//   - articles versioned per id: upsert of identical content is a no-op; changed content gets the
//     next version (or the explicit version it carries, which must be newer); remove(id)
//   - FTS5 index over title, tags, plain-text body (external content, kept in step by triggers),
//     tokenizer "porter unicode61 remove_diacritics 2" (stems, case and accent folding)
//   - ranking: BM25 with field weights title > tags > body, over concepts (a word with its synonyms
//     and typo corrections counts once — kb_rank.h); ties broken by article id, so the same query
//     over the same articles always answers the same list
//   - query analysis (suggest and search): stop words dropped; IT synonyms expanded (wifi / wi-fi
//     / wireless, pw / password, mfa / 2fa / authenticator, vpn / remote access, …); a misspelt
//     word (not in the index) also matches index terms within edit distance 1 (2 for 8+ letters);
//     the last word, while still being typed, also matches as a prefix: as its most common
//     completions in the index (stop words left out), not as an FTS5 prefix query, which merges
//     the postings of every completion — hundreds for "th" — and was the slow part of typing
//   - short inputs (≤ 4 content words) are AND queries, topped up with OR results when AND finds
//     too few, with a bonus where query words stand next to each other (proximity); long inputs (pasted error messages, whole descriptions) are OR queries over their
//     rarest terms (IDF-capped, very common terms dropped) plus adjacent word pairs as phrases
//   - snippets and titles with matched words marked STX…ETX: "\x02" before, "\x03" after each
//     match (control characters never present in article text: the parser strips them), made
//     from the matches ranking kept (kb_snippet.h), not by a second full-text query
//   - speed while typing: the vocabulary (terms and their article counts, each article's column
//     sizes, word pairs already counted) is read on the first search after a change and kept in
//     memory; the best articles are ranked from the index alone and only they are joined
//   - deflections ("this solved my problem"): recorded with the article version; the sync machine
//     sends them (article id, version, time — never the draft title) and marks them sent (kb_sync.h)
//   - two sources of articles (knowledge_base_sync.cpp): the app shell's bundled starter set (the
//     offline first-run seed) and the server's versions. A newer version is never replaced by an
//     older one; at an equal version the server's content wins over the bundle's, and the bundle
//     never overrides what the server sent; a server tombstone removes the article and is
//     remembered, so the bundle does not bring it back (unless with a newer explicit version)
// Not here: reading files (kb_article.h parses text the caller read), the command layer
// (kb_commands.h), the sync requests and their JSON (kb_sync.h, engine_sync.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kb_article.h"
#include "engine/kb_rank.h"
#include "engine/kb_tokenizer.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

inline constexpr char kKbMarkBegin = '\x02';   // before each matched word in snippets and titles
inline constexpr char kKbMarkEnd = '\x03';     // after it
inline constexpr std::size_t kKbMaxQueryBytes = 4096;
inline constexpr std::size_t kKbMaxLimit = 100;
inline constexpr std::size_t kKbMaxDraftTitleBytes = 1000;

// Knobs of the ranking; the defaults are what the engine uses. Exposed for the quality benchmark.
struct KbTuning {
    double title_weight = 4.0;
    double tags_weight = 2.0;
    double body_weight = 1.0;
    std::size_t short_query_words = 4;      // ≤ this many content words: AND, topped up with OR
    std::size_t max_query_terms = 24;       // long queries keep their rarest terms
    double max_term_doc_fraction = 0.25;    // long queries drop terms in more articles than this
    bool bigram_phrases = true;             // long queries: adjacent word pairs as phrases too
    double bigram_weight = 0.5;             // weight of a word-pair phrase against a single word
    bool concept_ranking = true;            // kb_rank (synonyms scored once) instead of bm25()
    bool per_field = true;                  // kb_rank: sum of per-column BM25s (see kb_rank.h)
    double proximity_weight = 1.0;          // short queries: bonus for neighbouring query words (0: off)
    bool synonyms = true;
    bool typo_tolerance = true;
    std::size_t max_prefix_terms = 8;       // the word being typed: its most common completions (0: FTS5 "w"*)
    bool stop_words = true;
    std::size_t snippet_tokens = 16;
};

// An article version or a tombstone as the server sent it (kb_sync.h decodes them).
struct KbSyncedArticle {
    KbArticle article;     // id and version always; the rest only when not retired
    bool retired = false;  // a tombstone: remove the article
};

// What applying one bundled or synced article did.
enum class KbApplied : std::uint8_t {
    stored,      // inserted, replaced or removed
    unchanged,   // the device already had exactly this
    kept,        // the device keeps what it has: newer, from the server, or retired by the server
};

// The checks upsert and the sync apply make (kb_bad_article).
Status validate_kb_article(const KbArticle& article);

struct KbHit {
    std::string id;
    std::string title;
    std::string title_marked;   // title with matches marked \x02…\x03
    std::string snippet;        // body excerpt with matches marked \x02…\x03, "…" where cut
    std::string category;
    double score = 0;           // higher is better; comparable within one answer only
};

class KnowledgeBase {
public:
    // Creates the tables if missing (CREATE … IF NOT EXISTS: safe on every start).
    static Status ensure_schema(storage::Database& db);

    // `db` must outlive the KnowledgeBase. Ensures the schema.
    static Result<KnowledgeBase> open(storage::Database& db, KbTuning tuning = {});

    // Stores an article; returns its version after the call. Errors: kb_bad_article,
    // kb_stale_version (explicit version not newer than the stored one, content differs).
    Result<std::int64_t> upsert(const KbArticle& article);
    // Many articles in one transaction (startup load, sync); stops at the first error.
    Status upsert_all(const std::vector<KbArticle>& articles);
    // Errors: kb_article_not_found.
    Status remove(std::string_view id);

    // While typing: the best `limit` articles (1..kKbMaxLimit) for the draft text.
    Result<std::vector<KbHit>> suggest(std::string_view text, std::size_t limit = 5);
    // Browsing: same ranking; optional exact category filter; "" query lists by title.
    Result<std::vector<KbHit>> search(std::string_view query, std::string_view category = {},
                                      std::size_t limit = 20);
    // Errors: kb_article_not_found.
    Result<KbArticle> get(std::string_view id);
    Result<std::int64_t> count();
    // Distinct categories, sorted.
    Result<std::vector<std::string>> categories();

    // "This solved my problem": returns the deflection's row id. Errors: kb_article_not_found,
    // bad_arguments (title too long or not UTF-8).
    Result<std::int64_t> record_deflection(std::string_view article_id, std::string_view draft_title,
                                           std::int64_t at_ms);

    // --- the two sources of articles (knowledge_base_sync.cpp; rules in the header comment) ---
    // One article of the app shell's starter set; its version is its explicit `version:` or 1.
    Result<KbApplied> apply_bundled(const KbArticle& article);
    // One article version or tombstone from the server. Re-applying the same one is harmless.
    // Errors: kb_bad_article (the caller should refuse the whole page), storage errors.
    Result<KbApplied> apply_synced(const KbSyncedArticle& item);
    // The version a server tombstone retired this id at, if any.
    Result<std::optional<std::int64_t>> retired_version(std::string_view id);

    // Merges the index's segments (after a bulk load).
    Status optimize();

    const KbTuning& tuning() const { return tuning_; }

private:
    KnowledgeBase(storage::Database& db, KbTokenizer tokenizer, KbTuning tuning)
        : db_(&db), tokenizer_(std::move(tokenizer)), tuning_(tuning) {}

    struct Vocabulary {
        bool loaded = false;
        std::int64_t documents = 0;
        std::map<std::string, std::int64_t, std::less<>> doc_freq;           // term → articles
        std::vector<std::vector<const std::string*>> by_length;              // typo candidates
        std::vector<std::string> stop_stems;                                 // sorted
        KbDocSizes doc_sizes;                                                // for kb_rank
        std::map<std::string, std::int64_t, std::less<>> phrase_docs;       // counted by kb_rank
    };
    Status load_vocabulary();
    std::vector<std::string> typo_corrections(const std::string& term) const;
    std::vector<std::string> completions(const std::string& stem) const;
    struct QueryPlan {
        std::string match;        // FTS5 MATCH expression
        std::string concepts;     // kb_rank: concept index of each phrase
        std::string weights;      // kb_rank: weight of each concept
        std::vector<std::string> phrases;       // the MATCH's phrases, in order
        std::vector<std::int64_t> phrase_docs;  // kb_rank: articles per phrase, -1 where not known
        std::size_t word_concepts = 0;  // concepts before the word-pair phrases
        bool short_query = false;
    };
    QueryPlan plan_query(std::string_view text, bool and_mode);
    Result<std::vector<KbHit>> run(std::string_view text, std::string_view category, std::size_t limit);
    Result<std::vector<KbHit>> run_match(const QueryPlan& plan, std::string_view category, std::size_t limit);
    struct SearchStatements;
    Status prepare_statements();
    Result<std::int64_t> upsert_one(const KbArticle& article);
    struct StoredVersion {
        std::int64_t doc = 0, version = 0;
        bool from_server = false, same_content = false;
    };
    Result<std::optional<StoredVersion>> stored_version(const KbArticle& article);
    Status write_article(const KbArticle& article, std::int64_t version, bool from_server, std::int64_t doc);

    storage::Database* db_;
    KbTokenizer tokenizer_;
    KbTuning tuning_;
    Vocabulary vocab_;
    std::shared_ptr<SearchStatements> statements_;  // shared by copies; finalized with the last
};

}  // namespace lb::engine
