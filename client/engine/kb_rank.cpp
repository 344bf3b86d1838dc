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
struct Hit {
    int column, offset;
};

struct QueryData {
    std::vector<int> concept_of;      // phrase → concept
    std::vector<double> weight;       // concept → weight
    std::vector<double> idf;          // concept → IDF
    double avgdl = 1;
    double avg_column[3] = {1, 1, 1};
    double column_weight[3] = {1, 1, 1};  // the arguments, read once per query
    bool per_field = false;
    double proximity = 0;
    int word_concepts = 0;
    std::vector<double> freq;                // per row, reused: no allocation per matching row
    std::vector<std::vector<Hit>> hits_of;   // per row, reused
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

QueryData* make_query_data(const Fts5ExtensionApi* api, Fts5Context* fts, int argc, sqlite3_value** args,
                           const KbRankInputs* inputs, int& rc) {
    auto* q = new QueryData();
    for (int i = 0; i < 3; ++i) q->column_weight[i] = sqlite3_value_double(args[2 + i]);
    q->per_field = argc >= 6 && sqlite3_value_int(args[5]) == 1;
    q->proximity = argc >= 8 ? sqlite3_value_double(args[6]) : 0.0;
    q->word_concepts = argc >= 8 ? sqlite3_value_int(args[7]) : 0;
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
    std::vector<std::int64_t>* known = inputs ? inputs->phrase_docs : nullptr;
    for (int i = 0; i < phrases && rc == SQLITE_OK; ++i) {
        sqlite3_int64 n = 0;
        auto k = static_cast<std::size_t>(i);
        if (known && k < known->size() && (*known)[k] >= 0) {
            n = (*known)[k];
        } else {
            rc = api->xQueryPhrase(fts, i, &n, count_rows);
            if (rc == SQLITE_OK && known && k < known->size()) (*known)[k] = n;  // the caller may keep it
        }
        auto& h = hits[static_cast<std::size_t>(q->concept_of[static_cast<std::size_t>(i)])];
        if (n > h) h = n;
    }
    for (sqlite3_int64 h : hits) {
        double idf = std::log((static_cast<double>(rows - h) + 0.5) / (static_cast<double>(h) + 0.5));
        q->idf.push_back(idf <= 0 ? 1e-6 : idf);
    }
    return q;
}

// Keeps this row's title and body matches if its score is among the best so far.
void keep_if_top(const Fts5ExtensionApi* api, Fts5Context* fts, KbTopRows& top, double score) {
    constexpr std::size_t kMaxMatches = 4096;  // per column; a snippet window past them is not sought
    auto lower_first = [](const KbTopRows::Row& a, const KbTopRows::Row& b) { return a.score > b.score; };
    if (top.rows.size() >= top.capacity && !(score > top.rows.front().score)) return;
    KbTopRows::Row row;
    row.score = score;
    row.rowid = api->xRowid(fts);
    if (top.find(row.rowid)) return;  // scored twice in one statement
    const int phrases = api->xPhraseCount(fts);
    for (int p = 0; p < phrases; ++p) {
        const int size = std::max(api->xPhraseSize(fts, p), 1);
        Fts5PhraseIter it;
        int column = 0, offset = 0;
        if (api->xPhraseFirst(fts, p, &it, &column, &offset) != SQLITE_OK) return;
        for (; column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
            auto& list = column == 0 ? row.title : row.body;
            if ((column == 0 || column == 2) && list.size() < kMaxMatches) list.push_back({offset, offset + size - 1, p});
        }
    }
    if (top.rows.size() >= top.capacity) {
        std::pop_heap(top.rows.begin(), top.rows.end(), lower_first);
        top.rows.pop_back();
    }
    top.rows.push_back(std::move(row));
    std::push_heap(top.rows.begin(), top.rows.end(), lower_first);
}

void kb_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** args) {
    if (argc < 5 || argc > 9) {
        sqlite3_result_error(ctx, "kb_rank: wrong number of arguments", -1);
        return;
    }
    int rc = SQLITE_OK;
    auto* inputs = argc >= 9 ? static_cast<KbRankInputs*>(sqlite3_value_pointer(args[8], kKbRankInputsType)) : nullptr;
    auto* q = static_cast<QueryData*>(api->xGetAuxdata(fts, 0));
    if (!q) {
        q = make_query_data(api, fts, argc, args, inputs, rc);
        if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, q, delete_query_data);  // owns q, even on error
        else delete q;
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    const double* column_weight = q->column_weight;
    int columns = api->xColumnCount(fts);

    const bool per_field = q->per_field;
    const std::size_t concepts = q->weight.size();
    // freq[c] pooled over columns (times their weights), or freq[col * concepts + c] per column
    std::vector<double>& freq = q->freq;
    freq.assign(per_field ? 3 * concepts : concepts, 0.0);
    const double proximity = q->proximity;
    const int word_concepts = q->word_concepts;
    std::vector<std::vector<Hit>>& hits_of = q->hits_of;
    hits_of.resize(proximity > 0 ? concepts : 0);
    for (std::vector<Hit>& hits : hits_of) hits.clear();
    // Each phrase's own position list (xPhraseFirst/Next), not xInst: xInst first merges every
    // phrase's positions into one sorted array, which on long queries cost more than the scoring.
    const int phrases = std::min(api->xPhraseCount(fts), static_cast<int>(q->concept_of.size()));
    for (int phrase = 0; phrase < phrases && rc == SQLITE_OK; ++phrase) {
        auto c = static_cast<std::size_t>(q->concept_of[static_cast<std::size_t>(phrase)]);
        Fts5PhraseIter it;
        int column = 0, offset = 0;
        rc = api->xPhraseFirst(fts, phrase, &it, &column, &offset);
        for (; rc == SQLITE_OK && column >= 0; api->xPhraseNext(fts, &it, &column, &offset)) {
            if (column >= 3 || column >= columns) continue;
            if (per_field) freq[static_cast<std::size_t>(column) * concepts + c] += 1.0;
            else freq[c] += column_weight[column];
            if (proximity > 0) hits_of[c].push_back({column, offset});
        }
    }
    // the first 64 matches of each concept in text order, as xInst listed them
    for (std::vector<Hit>& hits : hits_of) {
        if (hits.size() <= 64) continue;
        std::partial_sort(hits.begin(), hits.begin() + 64, hits.end(), [](const Hit& a, const Hit& b) {
            return a.column != b.column ? a.column < b.column : a.offset < b.offset;
        });
        hits.resize(64);
    }
    // this row's column sizes: from the caller's table when it has them
    const std::array<int, 3>* sizes = nullptr;
    if (inputs && inputs->sizes) {
        sqlite3_int64 row = api->xRowid(fts);
        const auto& by_doc = inputs->sizes->by_doc;
        if (row >= 0 && static_cast<std::uint64_t>(row) < by_doc.size() && by_doc[static_cast<std::size_t>(row)][0] >= 0)
            sizes = &by_doc[static_cast<std::size_t>(row)];
    }
    double score = 0;
    if (per_field) {
        // Σ over fields of weight × BM25 within that field (each field its own length normalisation)
        for (int col = 0; col < 3 && col < columns && rc == SQLITE_OK; ++col) {
            int length = 0;
            if (sizes) length = (*sizes)[static_cast<std::size_t>(col)];
            else rc = api->xColumnSize(fts, col, &length);
            double norm = kK1 * (1 - kB + kB * static_cast<double>(length) / q->avg_column[col]);
            for (std::size_t c = 0; c < concepts; ++c) {
                double f = freq[static_cast<std::size_t>(col) * concepts + c];
                if (f > 0) score += column_weight[col] * q->weight[c] * q->idf[c] * f * (kK1 + 1) / (f + norm);
            }
        }
    } else {
        int doc_tokens = 0;
        if (sizes) doc_tokens = (*sizes)[0] + (*sizes)[1] + (*sizes)[2];
        else if (rc == SQLITE_OK) rc = api->xColumnSize(fts, -1, &doc_tokens);
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
    if (inputs && inputs->top && inputs->top->capacity > 0) keep_if_top(api, fts, *inputs->top, score);
    sqlite3_result_double(ctx, score);
}

// An SQLite varint (FTS5 writes the docsize blob with them); false past the end.
bool read_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& out) {
    out = 0;
    for (int i = 0; i < 9; ++i) {
        if (p == end) return false;
        unsigned char b = *p++;
        if (i == 8) {
            out = (out << 8) | b;
            return true;
        }
        out = (out << 7) | (b & 0x7f);
        if (!(b & 0x80)) return true;
    }
    return true;
}

}  // namespace

const KbTopRows::Row* KbTopRows::find(std::int64_t rowid) const {
    for (const Row& r : rows)
        if (r.rowid == rowid) return &r;
    return nullptr;
}

Result<KbDocSizes> kb_load_doc_sizes(storage::Database& db, const char* fts_table) {
    KbDocSizes out;
    sqlite3_stmt* stmt = nullptr;
    std::string sql = std::string("SELECT id, sz FROM \"") + fts_table + "_docsize\"";
    if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
        return make_error("kb_query_failed", sqlite3_errmsg(db.handle()));
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(stmt, 0);
        const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, 1));
        const unsigned char* end = blob + sqlite3_column_bytes(stmt, 1);
        std::array<int, 3> sizes{-1, -1, -1};
        bool ok = blob != nullptr;
        for (int& size : sizes) {
            std::uint64_t v = 0;
            ok = ok && read_varint(blob, end, v) && v < (1u << 30);
            size = ok ? static_cast<int>(v) : -1;
        }
        if (!ok || id < 0 || id > (std::int64_t{1} << 24)) continue;  // unknown: kb_rank asks FTS5
        if (static_cast<std::size_t>(id) >= out.by_doc.size())
            out.by_doc.resize(static_cast<std::size_t>(id) + 1, {-1, -1, -1});
        out.by_doc[static_cast<std::size_t>(id)] = sizes;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return make_error("kb_query_failed", sqlite3_errmsg(db.handle()));
    return out;
}

Status kb_register_rank_function(storage::Database& db) {
    auto api = kb_fts5_api(db);
    if (!api) return api.error();
    if (api.value()->xCreateFunction(api.value(), "kb_rank", nullptr, kb_rank, nullptr) != SQLITE_OK)
        return make_error("kb_fts5_unavailable", "cannot register kb_rank");
    return Ok{};
}

}  // namespace lb::engine
