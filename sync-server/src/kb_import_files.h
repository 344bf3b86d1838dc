// kb_import_files.h — reading knowledge-base articles for the server: a folder of Markdown files
// (`lifebuoy-server kb import <folder>`) or the web bundle's kb/articles.json (the starter set the
// demo imports on first start, the same file devices seed themselves from, so both agree on
// versions). Every file is parsed with the engine's article parser (engine/kb_article.h); every
// problem is reported, one line each, as "file:line: message (code)" — nothing is imported unless
// all of them parse.
// Folder: the *.md files directly in it (sorted; other files ignored), id = the file stem unless
// the front matter names one. An empty folder is an error (importing it would retire everything).
// Not here: versions and storage (kb_catalog.h).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/kb_article.h"
#include "lifebuoy/result.h"

namespace lb::server {

inline constexpr std::size_t kMaxKbImportFiles = 10'000;
inline constexpr std::size_t kMaxKbBundleBytes = 64 * 1024 * 1024;

struct KbSource {
    std::vector<engine::KbArticle> articles;
    std::vector<std::string> problems;  // "file:line: message (code)"; empty: everything parsed
};

// Errors (the whole source unusable): kb_folder_missing, kb_folder_empty, kb_too_many_files.
Result<KbSource> read_kb_folder(const std::filesystem::path& folder);
// Errors: kb_bundle_missing (no file: nothing to import), kb_bundle_unreadable (not the bundle's JSON).
Result<KbSource> read_kb_bundle(const std::filesystem::path& articles_json);

}  // namespace lb::server
