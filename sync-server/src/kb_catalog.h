// kb_catalog.h — the server's knowledge base: who may read an article (its audience), the JSON a
// device receives for one version, and importing a set of articles as new versions.
//
// Versions: an article new to the server gets version 1 (or the explicit `version:` of its front
// matter, when higher); an unchanged article keeps its version; a changed one gets version + 1
// (or its explicit version, when higher); with `retire_missing`, an article the set no longer has
// is retired: a tombstone version (current + 1) that devices apply by removing it. A retired
// article that comes back is a new version again. All of it is ONE store transaction.
// Audience: articles are public help content, synced to every device, guests included — except
// audiences that name the help desk ("technicians", "help desk", "internal"), which only
// technicians' and admins' devices receive.
// Article JSON (served by POST /api/v1/kb/pull):
//   {"id","version","title","tags":[…],"category","audience","markdown"}   an article
//   {"id","version","retired":true}                                        a tombstone
// Not here: reading files (kb_import_files.h), the API (sync_kb.cpp), SQL (sqlite_kb_store.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kb_article.h"
#include "lifebuoy/result.h"
#include "sync_store.h"

namespace lb::server {

// True when the audience keeps the article to the help desk (technicians and admins).
bool kb_audience_is_help_desk_only(std::string_view audience);

std::string kb_article_json(const engine::KbArticle& article, std::int64_t version);
std::string kb_tombstone_json(std::string_view article_id, std::int64_t version);

struct KbImportSummary {
    std::size_t added = 0, updated = 0, retired = 0, unchanged = 0;
    std::vector<std::string> changes;  // one line per change: "updated vpn-slow → v3", …
    std::string line() const;          // "added N, updated N, retired N, unchanged N"
};

// Stores `articles` as the knowledge base's content (see the header comment). Errors:
// kb_duplicate_id (two articles with one id), kb_bad_article, storage errors; nothing changes then.
Result<KbImportSummary> import_kb_articles(SyncStore& store, const std::vector<engine::KbArticle>& articles,
                                           std::int64_t now_ms, bool retire_missing);

}  // namespace lb::server
