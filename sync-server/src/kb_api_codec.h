// kb_api_codec.h — the typed requests of the knowledge-base endpoints, decoded from the opened
// JSON body (api_codec.h's open_request comes first). Pure and total on hostile input: fuzzed by
// tests/fuzz/api_request_fuzz.cpp, which compiles this file directly (keep it free of server state
// and of anything but lb::shared and nlohmann/json).
//
// Shapes:
//   kb pull      {"cursor":<kb seq ≥ 0>, optional "max_articles", "max_bytes"}
//   deflections  {"v":1,"deflections":[{"id":"<32 hex>","article_id":"<kb id>",
//                 "article_version":<≥ 1>,"at_ms":<≥ 0>}, …]}   at most kMaxDeflectionsPerPush
// A deflection carries no text: what the person typed never leaves the device.
// Errors: unsupported_version, bad_request, too_many_deflections (413); per deflection bad_id,
// bad_request — one bad entry is refused on its own, the others still count.
// Not here: what the server does with them (sync_kb.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lifebuoy/result.h"

namespace lb::server {

inline constexpr std::size_t kMaxDeflectionsPerPush = 256;
inline constexpr std::size_t kMaxKbArticleIdBytes = 200;  // as engine/kb_article.h's kKbMaxIdBytes

struct KbPullRequest {
    std::int64_t cursor = 0;
    std::optional<std::size_t> max_articles, max_bytes;  // the caller may ask for less than the limits
};
Result<KbPullRequest> parse_kb_pull_request(const nlohmann::json& body);

struct DeflectionEvent {
    std::string id;  // 32 lowercase hex, made on the device
    std::string article_id;
    std::int64_t article_version = 0;
    std::int64_t at_ms = 0;
};

struct DeflectionPush {
    // One entry per deflection, in order; `ids` holds each entry's id when it was readable ("" if not).
    std::vector<Result<DeflectionEvent>> deflections;
    std::vector<std::string> ids;
};
Result<DeflectionPush> parse_deflection_push(const nlohmann::json& body);

}  // namespace lb::server
