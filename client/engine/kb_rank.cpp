// kb_rank.cpp — the kb_rank FTS5 auxiliary function (concept-level BM25).
#include "engine/kb_rank.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

namespace lb::engine {

Result<fts5_api*> kb_fts5_api(storage::Database& db) {
    fts5_api* fts = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "this SQLite build has no FTS5");
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&fts), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (!fts) return make_error("kb_fts5_unavailable", "this SQLite build has no FTS5");
    return fts;
}

namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr int kProximityWindow = 3;  // "clicked a link": 2 tokens apart

// Per-query data, computed on the first row and kept as FTS5 auxdata.
struct QueryData {
    std::vector<int> concept_of;      // phrase → concept
    std::vector<double> weight;       // concept → weight
    std::vector<double> idf;          // concept → IDF
    double avgdl = 1;
    double avg_column[3] = {1, 1, 1};
};

int count_rows(const Fts5ExtensionApi*, Fts5Context*, void* ctx) {
    ++*static_cast<sqlite3_int64*>(ctx);
    return SQLITE_OK;
}

std::vector<double> parse_numbers(const char* text) {
    std::vector<double> out;
    if (!text) return out;
    const char* p = text;
    while (*p) {
        char* end = nullptr;
        double v = std::strtod(p, &end);
        if (end == p) break;
        out.push_back(v);
        p = end;
    }
    return out;
}

void delete_query_data(void* p) { delete static_cast<QueryData*>(p); }

QueryData* make_query_data(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_value** args, int& rc) {
    auto* q = new QueryData();
    int phrases = api->xPhraseCount(fts);
    std::vector<double> map = parse_numbers(reinterpret_cast<const char*>(sqlite3_value_text(args[0])));
    q->weight = parse_numbers(reinterpret_cast<const char*>(sqlite3_value_text(args[1])));
    bool valid = static_cast<int>(map.size()) == phrases;
    for (double c : map)
        valid = valid && c >= 0 && static_cast<std::size_t>(c) < q->weight.size();
    if (valid) {
        for (double c : map) q->concept_of.push_back(static_cast<int>(c));
    } else {  // one concept per phrase
        q->weight.assign(static_cast<std::size_t>(phrases), 1.0);
        for (int i = 0; i < phrases; ++i) q->concept_of.push_back(i);
    }
    sqlite3_int64 rows = 0, tokens = 0;
    rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    q->avgdl = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1;
    for (int c = 0; c < 3 && c < api->xColumnCount(fts) && rc == SQLITE_OK; ++c) {
        sqlite3_int64 column_tokens = 0;
        rc = api->xColumnTotalSize(fts, c, &column_tokens);
        if (rows > 0 && column_tokens > 0) q->avg_column[c] = static_cast<double>(column_tokens) / static_cast<double>(rows);
    }
    std::vector<sqlite3_int64> hits(q->weight.size(), 0);
    for (int i = 0; i < phrases && rc == SQLITE_OK; ++i) {
        sqlite3_int64 n = 0;
        rc = api->xQueryPhrase(fts, i, &n, count_rows);
        auto& h = hits[static_cast<std::size_t>(q->concept_of[static_cast<std::size_t>(i)])];
        if (n > h) h = n;
    }
    for (sqlite3_int64 h : hits) {
        double idf = std::log((static_cast<double>(rows - h) + 0.5) / (static_cast<double>(h) + 0.5));
        q->idf.push_back(idf <= 0 ? 1e-6 : idf);
    }
    return q;
}

void kb_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** args) {
    if (argc < 5 || argc > 8) {
        sqlite3_result_error(ctx, "kb_rank: wrong number of arguments", -1);
        return;
    }
    int rc = SQLITE_OK;
    auto* q = static_cast<QueryData*>(api->xGetAuxdata(fts, 0));
    if (!q) {
        q = make_query_data(api, fts, args, rc);
        if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, q, delete_query_data);  // owns q, even on error
        else delete q;
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    double column_weight[3];
    for (int i = 0; i < 3; ++i) column_weight[i] = sqlite3_value_double(args[2 + i]);
    int columns = api->xColumnCount(fts);

    const bool per_field = argc >= 6 && sqlite3_value_int(args[5]) == 1;
    const std::size_t concepts = q->weight.size();
    // freq[c] pooled over columns (times their weights), or freq[col * concepts + c] per column
    std::vector<double> freq(per_field ? 3 * concepts : concepts, 0.0);
    const double proximity = argc >= 8 ? sqlite3_value_double(args[6]) : 0.0;
    const int word_concepts = argc >= 8 ? sqlite3_value_int(args[7]) : 0;
    struct Hit {
        int column, offset;
    };
    std::vector<std::vector<Hit>> hits_of(proximity > 0 ? concepts : 0);
    int inst = 0;
    rc = api->xInstCount(fts, &inst);
    for (int i = 0; i < inst && rc == SQLITE_OK; ++i) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc != SQLITE_OK || phrase < 0 || static_cast<std::size_t>(phrase) >= q->concept_of.size()) continue;
        if (column < 0 || column >= 3 || column >= columns) continue;
        auto c = static_cast<std::size_t>(q->concept_of[static_cast<std::size_t>(phrase)]);
        if (per_field) freq[static_cast<std::size_t>(column) * concepts + c] += 1.0;
        else freq[c] += column_weight[column];
        if (proximity > 0 && hits_of[c].size() < 64) hits_of[c].push_back({column, offset});
    }
    double score = 0;
    if (per_field) {
        // Σ over fields of weight × BM25 within that field (each field its own length normalisation)
        for (int col = 0; col < 3 && col < columns && rc == SQLITE_OK; ++col) {
            int length = 0;
            rc = api->xColumnSize(fts, col, &length);
            double norm = kK1 * (1 - kB + kB * static_cast<double>(length) / q->avg_column[col]);
            for (std::size_t c = 0; c < concepts; ++c) {
                double f = freq[static_cast<std::size_t>(col) * concepts + c];
                if (f > 0) score += column_weight[col] * q->weight[c] * q->idf[c] * f * (kK1 + 1) / (f + norm);
            }
        }
    } else {
        int doc_tokens = 0;
        if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &doc_tokens);
        double norm = kK1 * (1 - kB + kB * static_cast<double>(doc_tokens) / q->avgdl);
        for (std::size_t c = 0; c < concepts; ++c)
            if (freq[c] > 0) score += q->weight[c] * q->idf[c] * freq[c] * (kK1 + 1) / (freq[c] + norm);
    }
    // Proximity: consecutive query concepts found within kProximityWindow tokens of each other
    // in one column earn a bonus, scaled by that column's weight and the rarer concept's IDF.
    for (int c = 0; c + 1 < word_concepts && static_cast<std::size_t>(c + 1) < hits_of.size(); ++c) {
        auto a = static_cast<std::size_t>(c);
        double best = 0;
        for (const Hit& x : hits_of[a])
            for (const Hit& y : hits_of[a + 1])
                if (x.column == y.column && std::abs(x.offset - y.offset) <= kProximityWindow &&
                    x.offset != y.offset)
                    best = std::max(best, column_weight[x.column]);
        if (best > 0) score += proximity * best * std::min(q->idf[a], q->idf[a + 1]);
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    sqlite3_result_double(ctx, score);
}

}  // namespace

Status kb_register_rank_function(storage::Database& db) {
    auto api = kb_fts5_api(db);
    if (!api) return api.error();
    if (api.value()->xCreateFunction(api.value(), "kb_rank", nullptr, kb_rank, nullptr) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "cannot register kb_rank");
    return Ok{};
}

}  // namespace lb::engine
