// kb_quality_bench.cpp — knowledge-search quality and speed on real articles.
//
// Indexes the 3,182 Microsoft support articles of shared/data/kb-corpus.jsonl (title + body, no
// tags) into an in-memory database with the engine's KnowledgeBase, then runs the 2,192 queries of
// kb-eval.jsonl through suggest() exactly as typed (the whole ~300-character query) and reports
// recall@5, MRR@10 (also R@1, R@10), index build time, database size and per-query latency
// p50/p95. With --variants, ranking variants (KbTuning knobs switched off one at a time) are
// measured too, so the effect of each technique is visible. Results go to stdout and, as JSON, to
// bench/results/kb_quality.json (or the path given) for bench/kb_minisearch.mjs to compare against.
// Not here: MiniSearch itself (bench/kb_minisearch.mjs).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/knowledge_base.h"
#include "lifebuoy/sqlite_database.h"

using nlohmann::json;
using lb::engine::KbArticle;
using lb::engine::KbTuning;
using lb::engine::KnowledgeBase;

namespace {

struct EvalQuery {
    std::string text;
    std::vector<std::string> relevant;
};

struct Metrics {
    double recall5 = 0, mrr10 = 0, r1 = 0, r10 = 0;
    double p50_ms = 0, p95_ms = 0, mean_ms = 0;
    std::size_t errors = 0;
};

std::string cut_utf8(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

std::vector<json> read_jsonl(const std::string& path) {
    std::ifstream in(path);
    std::vector<json> out;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(json::parse(line));
    return out;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

Metrics evaluate(KnowledgeBase& kb, const std::vector<EvalQuery>& queries) {
    Metrics m;
    std::vector<double> times;
    times.reserve(queries.size());
    for (const EvalQuery& q : queries) {
        auto t0 = std::chrono::steady_clock::now();
        auto hits = kb.suggest(q.text, 10);
        auto t1 = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        if (!hits) {
            ++m.errors;
            continue;
        }
        const auto& h = hits.value();
        auto is_relevant = [&](const std::string& id) {
            return std::find(q.relevant.begin(), q.relevant.end(), id) != q.relevant.end();
        };
        std::size_t found5 = 0;
        for (std::size_t i = 0; i < h.size() && i < 5; ++i) found5 += is_relevant(h[i].id) ? 1 : 0;
        m.recall5 += static_cast<double>(found5) / static_cast<double>(q.relevant.size());
        for (std::size_t i = 0; i < h.size(); ++i) {
            if (!is_relevant(h[i].id)) continue;
            m.mrr10 += 1.0 / static_cast<double>(i + 1);
            m.r1 += i == 0 ? 1 : 0;
            m.r10 += 1;
            break;
        }
    }
    double n = static_cast<double>(queries.size());
    m.recall5 /= n;
    m.mrr10 /= n;
    m.r1 /= n;
    m.r10 /= n;
    m.p50_ms = percentile(times, 0.50);
    m.p95_ms = percentile(times, 0.95);
    double sum = 0;
    for (double t : times) sum += t;
    m.mean_ms = sum / n;
    return m;
}

json to_json(const Metrics& m) {
    return {{"recall_at_5", m.recall5}, {"mrr_at_10", m.mrr10}, {"recall_at_1", m.r1}, {"recall_at_10", m.r10},
            {"latency_ms", {{"p50", m.p50_ms}, {"p95", m.p95_ms}, {"mean", m.mean_ms}}}, {"errors", m.errors}};
}

}  // namespace

int main(int argc, char** argv) {
    const std::string data = LB_SHARED_DATA_DIR;
    bool with_variants = false;
    std::filesystem::path out_path = std::filesystem::path(__FILE__).parent_path() / "results" / "kb_quality.json";
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--variants") with_variants = true;
        else out_path = arg;
    }
    std::vector<KbArticle> articles;
    for (const json& j : read_jsonl(data + "/kb-corpus.jsonl")) {
        KbArticle a;
        a.id = j.at("id").get<std::string>();
        a.title = cut_utf8(j.at("title").get<std::string>(), lb::engine::kKbMaxTitleBytes);
        a.body_markdown = cut_utf8(j.at("body").get<std::string>(), lb::engine::kKbMaxArticleBytes);
        std::string source = j.value("source", "");
        std::size_t colon = source.rfind(':');
        std::string path = colon == std::string::npos ? "" : source.substr(colon + 1);
        std::size_t second = path.find('/', path.find('/') + 1);
        a.category = path.substr(0, second == std::string::npos ? 0 : second);  // product area
        articles.push_back(std::move(a));
    }
    std::vector<EvalQuery> queries;
    for (const json& j : read_jsonl(data + "/kb-eval.jsonl"))
        queries.push_back({j.at("query").get<std::string>(), j.at("relevant").get<std::vector<std::string>>()});
    if (articles.empty() || queries.empty()) {
        std::fprintf(stderr, "kb_quality_bench: no data in %s\n", data.c_str());
        return 1;
    }

    auto db = lb::storage::Database::open(":memory:");
    if (!db) return 1;
    auto t0 = std::chrono::steady_clock::now();
    auto opened = KnowledgeBase::open(db.value());
    if (!opened) return 1;
    KnowledgeBase& kb = opened.value();
    if (auto s = kb.upsert_all(articles); !s) {
        std::fprintf(stderr, "index failed: %s\n", s.error().message.c_str());
        return 1;
    }
    if (auto s = kb.optimize(); !s) return 1;
    double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    auto pages = db.value().query_int("PRAGMA page_count");
    auto page_size = db.value().query_int("PRAGMA page_size");
    auto fts_bytes = db.value().query_int("SELECT sum(length(block)) FROM kb_fts_data");
    std::int64_t db_bytes = pages && page_size ? pages.value() * page_size.value() : 0;

    // Warm-up (vocabulary cache), then the measured run with the engine's defaults.
    (void)kb.suggest("warm up", 5);
    Metrics main = evaluate(kb, queries);

    struct Variant {
        const char* name;
        KbTuning tuning;
    };
    std::vector<Variant> variants;
    auto variant = [&](const char* name, auto change) {
        KbTuning t;
        change(t);
        variants.push_back({name, t});
    };
    if (with_variants) {
    variant("plain OR BM25: FTS5 bm25(), all words, no stop words/IDF cap/bigrams/synonyms/typos", [](KbTuning& t) {
        t.stop_words = false; t.max_query_terms = 1000; t.max_term_doc_fraction = 1.0; t.concept_ranking = false;
        t.bigram_phrases = false; t.synonyms = false; t.typo_tolerance = false;
    });
    variant("defaults with FTS5 bm25() instead of kb_rank", [](KbTuning& t) { t.concept_ranking = false; });
    variant("defaults, kb_rank pooled over columns (not per field)", [](KbTuning& t) { t.per_field = false; });
    variant("defaults without bigram phrases", [](KbTuning& t) { t.bigram_phrases = false; });
    variant("defaults, bigram weight 1", [](KbTuning& t) { t.bigram_weight = 1.0; });
    variant("defaults without IDF cap", [](KbTuning& t) { t.max_query_terms = 1000; t.max_term_doc_fraction = 1.0; });
    variant("defaults, at most 12 query terms", [](KbTuning& t) { t.max_query_terms = 12; });
    variant("defaults, at most 40 query terms", [](KbTuning& t) { t.max_query_terms = 40; });
    variant("defaults without stop words", [](KbTuning& t) { t.stop_words = false; });
    variant("defaults without typo tolerance", [](KbTuning& t) { t.typo_tolerance = false; });
    variant("defaults, word being typed as an FTS5 prefix query (not its 8 commonest completions)",
            [](KbTuning& t) { t.max_prefix_terms = 0; });
    variant("defaults without synonyms", [](KbTuning& t) { t.synonyms = false; });
    variant("defaults, title weight 1 (no field weights)", [](KbTuning& t) { t.title_weight = 1; t.tags_weight = 1; });
    variant("defaults, title weight 2", [](KbTuning& t) { t.title_weight = 2; });
    variant("defaults, title weight 8", [](KbTuning& t) { t.title_weight = 8; });
    }

    std::printf("kb_quality_bench: %zu articles, %zu queries (typed whole, as suggest() gets them)\n",
                articles.size(), queries.size());
    std::printf("index build %.0f ms, database %.1f MB (FTS index %.1f MB)\n", build_ms,
                static_cast<double>(db_bytes) / 1e6, static_cast<double>(fts_bytes ? fts_bytes.value() : 0) / 1e6);
    std::printf("%-84s %8s %8s %6s %6s %8s %8s\n", "ranking", "R@5", "MRR@10", "R@1", "R@10", "p50 ms", "p95 ms");
    auto row = [](const char* name, const Metrics& m) {
        std::printf("%-84s %8.4f %8.4f %6.3f %6.3f %8.2f %8.2f\n", name, m.recall5, m.mrr10, m.r1, m.r10, m.p50_ms,
                    m.p95_ms);
    };
    row("Lifebuoy defaults", main);
    json variant_json = json::array();
    for (const Variant& v : variants) {
        auto k = KnowledgeBase::open(db.value(), v.tuning);
        if (!k) return 1;
        (void)k.value().suggest("warm up", 5);
        Metrics m = evaluate(k.value(), queries);
        row(v.name, m);
        json vj = to_json(m);
        vj["name"] = v.name;
        variant_json.push_back(vj);
    }
    if (main.errors) std::printf("errors: %zu queries failed\n", main.errors);

    json out = to_json(main);
    out["engine"] = "Lifebuoy KnowledgeBase (SQLite FTS5 BM25)";
    out["articles"] = articles.size();
    out["queries"] = queries.size();
    out["build_ms"] = build_ms;
    out["db_bytes"] = db_bytes;
    out["variants"] = variant_json;
    std::filesystem::create_directories(out_path.parent_path());
    std::ofstream(out_path) << out.dump(2) << "\n";
    std::printf("wrote %s\n", out_path.string().c_str());
    return 0;
}
