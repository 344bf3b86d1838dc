// engine.h — the client engine: answers the UI's commands from the local database.
//
// One Engine per device database. The platform layer (a Web Worker in the browser, a plain main()
// natively) creates it with an EngineEnvironment — where the database lives, what the clock says,
// where unsolicited events go — then feeds it command messages and connectivity observations.
// The engine itself performs no network I/O and reads no global clock.
//
// Storage: the database lives in the environment's FileSlots (OPFS in a browser, memory in tests
// and where OPFS is missing), through the slot VFS, with a rollback journal (TRUNCATE) and
// synchronous=FULL: a command that changed data answers only after its transaction is flushed,
// so "saved on this device" is true when the UI says it.
//
// Commands (protocol v1):
//   status      → {engine_version, protocol, sqlite_version, sodium_version,
//                  storage: {kind, durable, note, schema_version},
//                  connection: {online, known, last_contact_ms}}
//   save_draft  {form, fields: {name: text}} → {saved_at_ms}   the form's draft, durably
//   get_draft   {form} → {fields: {…}, saved_at_ms|null}
//   discard_draft {form} → {}
//   kb_import   {articles: [{id, text}]} → {imported, unchanged}   Markdown files with front
//               matter (the app shell's starter set); unchanged articles are not re-indexed
//   suggest, kb_search, kb_article, record_deflection: see engine/kb_commands.h
// Unknown commands answer the typed error "unknown_command".
// Events: "status_changed" (data: the status object) when connectivity changes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "commands/command_protocol.h"
#include "engine/file_slots.h"
#include "engine/knowledge_base.h"
#include "lifebuoy/sqlite_database.h"
#include "lifebuoy/result.h"

namespace lb::engine {

using storage::Database;

struct EngineEnvironment {
    FileSlots* storage = nullptr;                // where the database lives (required)
    std::string storage_note;                    // why storage is what it is, shown to people
    std::function<std::int64_t()> now_ms;        // wall clock, Unix milliseconds
    std::function<void(const std::string&)> emit_event;  // encoded commands::Event
};

class Engine {
public:
    static Result<std::unique_ptr<Engine>> open(EngineEnvironment env);

    // Takes an encoded request, returns the encoded response. Never throws.
    std::string handle_message(std::string_view request_json);
    commands::Response handle(const commands::Request& request);

    // The platform reports whether the sync server answered its last reachability probe.
    void observe_connectivity(bool server_reachable);

    nlohmann::json status() const;

private:
    Engine(EngineEnvironment env, Database db, int schema_version);
    commands::Response save_draft(const commands::Request& request);
    commands::Response get_draft(const commands::Request& request);
    commands::Response discard_draft(const commands::Request& request);
    commands::Response kb_import(const commands::Request& request);

    EngineEnvironment env_;
    Database db_;
    int schema_version_ = 0;
    std::optional<KnowledgeBase> kb_;
    std::optional<bool> online_;                 // unknown until the first probe
    std::optional<std::int64_t> last_contact_ms_;
};

}  // namespace lb::engine
