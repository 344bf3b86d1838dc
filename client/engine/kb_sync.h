// kb_sync.h — the knowledge base's side of the sync machine: the JSON of the server's article
// pages (POST /api/v1/kb/pull) and the deflection outbox (POST /api/v1/kb/deflections).
//
//   page    {"cursor":N,"more":bool,"articles":[{"id","version","title","tags","category",
//            "audience","markdown"} | {"id","version","retired":true}, …]}
//   push    {"v":1,"deflections":[{"id","article_id","article_version","at_ms"}, …]}
//   answer  {"results":[{"id","status":"accepted"|"duplicate"|"rejected","error"?:{code,message}}]}
// A deflection leaves the device as article id, version and time only: the draft title it was
// recorded with stays in kb_deflections. Its id (32 hex) is made on the device and stored before
// the first send, so a retry after a lost answer is recognised by the server.
// Decoders are total on hostile input (fuzzed by tests/fuzz/kb_sync_fuzz.cpp): every problem is
// the error code bad_response.
// Not here: when the requests are made (engine_sync.cpp), applying articles (knowledge_base.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/knowledge_base.h"
#include "lifebuoy/random_source.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"

namespace lb::engine {

inline constexpr std::size_t kSyncKbMaxArticles = 200;      // articles asked for per page
inline constexpr std::size_t kSyncDeflectionsPerPush = 100;  // deflections per push (server: ≤ 256)

struct KbPage {
    std::int64_t cursor = 0;
    bool more = false;
    std::vector<KbSyncedArticle> articles;
};
Result<KbPage> decode_kb_page(const nlohmann::json& body);

struct DeflectionToSend {
    std::string id;          // 32 hex
    std::string article_id;
    std::int64_t article_version = 0;
    std::int64_t at_ms = 0;
};
// The oldest deflections the server has not answered for (at most `limit`), giving those without
// one an id (stored: call inside a transaction).
Result<std::vector<DeflectionToSend>> unsent_deflections(storage::Database& db, RandomSource& random, std::size_t limit);
std::string deflection_push_body(const std::vector<DeflectionToSend>& deflections);

struct DeflectionAnswer {
    std::string id;
    bool stored = false;     // accepted or duplicate: the server has it
    std::string error_code;  // rejected: why
};
Result<std::vector<DeflectionAnswer>> decode_deflection_answer(const nlohmann::json& body);
// Marks answered deflections (of those `sent`): stored → synced; rejected → synced with the code
// (kept for the record, never resent). Deflections the answer does not mention stay unsent.
Status mark_deflections_answered(storage::Database& db, const std::vector<std::string>& sent,
                                 const std::vector<DeflectionAnswer>& answers, std::int64_t now_ms);

// Counts for sync_status: deflections waiting to be sent.
Result<std::int64_t> unsent_deflection_count(storage::Database& db);

}  // namespace lb::engine
