// kb_commands.h — the knowledge-base commands of the engine's protocol (commands/command_protocol.h).
//
//   suggest           {text, limit?=5}                 → {hits: [hit…]}
//   kb_search         {query, category?="", limit?=20} → {hits: [hit…]}
//   kb_article        {id}                             → {id, version, title, tags, category,
//                                                         audience, markdown}
//   kb_categories     {}                               → {categories: [name…]} (sorted, distinct)
//   record_deflection {article_id, draft_title?=""}    → {deflection: seq, at_ms}
//   hit = {id, title, title_marked, snippet, category, score}
// In title_marked and snippet each matched word is wrapped in U+0002 (before) and U+0003 (after);
// "…" marks where the snippet was cut. Limits are 1..100.
// Errors: "bad_arguments" (missing/mistyped argument, out-of-range limit, oversized text),
// "kb_article_not_found", storage errors as they come; any other command answers
// "unknown_command", so the engine can try its own handlers next.
// Not here: the UI panel; loading assets/kb (the engine does it with parse_kb_article + upsert_all).
#pragma once

#include <cstdint>

#include "commands/command_protocol.h"
#include "engine/knowledge_base.h"

namespace lb::engine {

bool is_kb_command(std::string_view cmd);

commands::Response handle_kb_command(KnowledgeBase& kb, const commands::Request& request, std::int64_t now_ms);

}  // namespace lb::engine
