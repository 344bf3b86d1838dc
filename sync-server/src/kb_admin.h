// kb_admin.h — the knowledge base's admin commands, as text for the console:
//   lifebuoy-server kb import <folder>   validate every file, then one transaction of new versions
//                                        and tombstones; prints each change and the summary line
//   lifebuoy-server kb list              every article: id, version, audience, state, title
//   lifebuoy-server kb deflections       deflections per article version, most first
// and the demo's first start, which imports the web bundle's starter set (kb/articles.json).
// Not here: parsing (kb_import_files.h), versions (kb_catalog.h), argument parsing (main.cpp).
#pragma once

#include <filesystem>
#include <string>

#include "lifebuoy/result.h"
#include "sync_service.h"

namespace lb::server {

// The console text of each command. An import whose files have problems returns kb_invalid_files
// with every "file:line: message" in the message, one per line, and changes nothing.
Result<std::string> kb_import_command(SyncService& service, const std::filesystem::path& folder);
Result<std::string> kb_list_command(SyncService& service);
Result<std::string> kb_deflections_command(SyncService& service);

// First start with the demo: imports <web_root>/kb/articles.json when present (none: nothing to
// do, "" returned); the summary line otherwise.
Result<std::string> import_starter_kb(SyncService& service, const std::filesystem::path& web_root);

}  // namespace lb::server
