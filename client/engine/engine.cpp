// engine.cpp — opening the device database (migrations, sync state, the replica loaded from the
// op log), command dispatch, engine status, drafts.
// Not here: ticket commands (engine_tickets.cpp), the sync machine (engine_sync.cpp), SQL of the
// sync tables (local_store.cpp), the knowledge base's commands and sync steps (engine_kb.cpp).
#include "engine/engine.h"

#include <sodium.h>

#include "lifebuoy/crypto/init.h"
#include "lifebuoy/wire.h"

#include "engine/category_commands.h"
#include "engine/kb_article.h"
#include "engine/kb_commands.h"
#include "engine/schema.h"
#include "engine/slot_vfs.h"
#include "lifebuoy/version.h"

namespace lb::engine {

using nlohmann::json;

namespace {

constexpr const char* kVfsName = "lifebuoy-slots";
constexpr const char* kDatabaseFile = "lifebuoy.db";
constexpr std::size_t kMaxDraftBytes = 256 * 1024;
constexpr std::size_t kMaxFormNameBytes = 64;

commands::Response bad_args(std::uint64_t id, const std::string& why) {
    return commands::error_response(id, "bad_arguments", why);
}

// The "form" argument of the draft commands: a short name.
Result<std::string> form_name(const json& args) {
    auto it = args.find("form");
    if (it == args.end() || !it->is_string() || it->get_ref<const std::string&>().empty() ||
        it->get_ref<const std::string&>().size() > kMaxFormNameBytes)
        return make_error("bad_arguments", "form must be a short non-empty string");
    return it->get<std::string>();
}

}  // namespace

Result<std::unique_ptr<Engine>> Engine::open(EngineEnvironment env) {
    if (!env.now_ms) return make_error("bad_environment", "engine needs a clock");
    if (!env.storage) return make_error("bad_environment", "engine needs storage");
    if (sodium_init() < 0) return make_error("crypto_unavailable", "libsodium failed to initialise");
    // One VFS per storage object: several engines may share a process (natively: the convergence
    // test, load generators), and one shared VFS name would hand a later-opened journal to the
    // storage registered last.
    const std::string vfs_name =
        std::string(kVfsName) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(env.storage));
    if (auto s = register_slot_vfs(vfs_name, env.storage); !s) return s.error();
    auto db = Database::open(kDatabaseFile, vfs_name);
    if (!db) return make_error(db.error().code, db.error().message + " " + last_slot_vfs_error());
    // One owner (exclusive locking, set first) lets WAL run without shared memory: a commit
    // appends to the WAL and flushes it once (synchronous=FULL), where a rollback journal took
    // three flushes. Checkpoints (every ~1,000 pages) write the pages back to the database.
    for (const char* pragma : {"PRAGMA locking_mode=EXCLUSIVE", "PRAGMA journal_mode=WAL",
                               "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (auto s = db.value().exec(pragma); !s) return s.error();
    }
    if (auto s = db.value().migrate(local_schema_migrations()); !s) return s.error();
    auto version = db.value().schema_version();
    if (!version) return version.error();
    std::unique_ptr<Engine> engine(new Engine(std::move(env), std::move(db.value()), version.value()));
    if (auto s = engine->load_sync(); !s) return s.error();
    auto keys = DeviceKeys::load(engine->db_, *engine->random_);
    if (!keys) return keys.error();
    engine->keys_ = std::move(keys.value());
    auto desk = DeskSettings::load(engine->db_);
    if (!desk) return desk.error();
    engine->desk_.emplace(std::move(desk.value()));
    auto authors = OpAuthors::load(engine->db_);
    if (!authors) return authors.error();
    engine->op_authors_ = std::move(authors.value());
    auto kb = KnowledgeBase::open(engine->db_);  // the engine owns db_ and outlives kb_
    if (!kb) return kb.error();
    engine->kb_.emplace(std::move(kb.value()));
    return engine;
}

Engine::Engine(EngineEnvironment env, Database db, int schema_version)
    : env_(std::move(env)), db_(std::move(db)), schema_version_(schema_version) {
    random_ = env_.random;
    if (!random_) {
        own_random_ = std::make_unique<crypto::SystemRandom>();
        random_ = own_random_.get();
    }
}

Status Engine::load_sync() {
    NodeId fresh_node = 0;
    while (fresh_node == 0) random_->fill(reinterpret_cast<std::uint8_t*>(&fresh_node), sizeof fresh_node);
    auto state = load_sync_state(db_, fresh_node, random_id128(*random_));
    if (!state) return state.error();
    sync_ = std::move(state.value());
    clock_ = HybridClock(sync_.node, sync_.hlc);
    return reload_replica();
}

Status Engine::reload_replica() {
    auto bodies = load_op_bodies(db_);
    if (!bodies) return bodies.error();
    Replica fresh;
    fresh.reserve(bodies.value().size(), bodies.value().size() / 4 + 1);
    for (const std::string& body : bodies.value()) {
        auto op = decode_op(body);
        if (!op) return make_error("storage_error", "a stored op does not decode: " + op.error().message);
        Batch one{op.value().op_id, {std::move(op.value())}, {}};
        if (auto applied = fresh.apply(std::move(one)); !applied)
            return make_error("storage_error", "a stored op does not apply: " + applied.error().message);
    }
    replica_ = std::move(fresh);
    return Ok{};
}

void Engine::emit(const std::string& name) {
    if (env_.emit_event) env_.emit_event(commands::encode_event({name, json::object()}));
}

json Engine::status() {
    json result{
        {"engine_version", kProductVersion},
        {"protocol", kCommandProtocolVersion},
        {"sqlite_version", storage::sqlite_library_version()},
        {"sodium_version", sodium_version_string()},
        {"storage", {{"kind", env_.storage->kind()}, {"durable", env_.storage->durable()},
                     {"note", env_.storage_note}, {"schema_version", schema_version_}}},
        {"connection", {{"known", online_.has_value()},
                        {"online", online_.value_or(false)},
                        {"last_contact_ms", last_contact_ms_ ? json(*last_contact_ms_) : json(nullptr)}}},
    };
    auto sync = sync_summary(false);
    result["sync"] = sync ? std::move(sync.value()) : json{{"error", sync.error().message}};
    return result;
}

commands::Response Engine::handle(const commands::Request& request) {
    if (request.cmd == "status") return commands::ok_response(request.id, status());
    if (request.cmd == "save_draft") return save_draft(request);
    if (request.cmd == "get_draft") return get_draft(request);
    if (request.cmd == "discard_draft") return discard_draft(request);
    if (request.cmd == "kb_import") return kb_import(request);
    if (request.cmd == "create_ticket") return create_ticket(request);
    if (request.cmd == "update_ticket") return update_ticket(request);
    if (request.cmd == "add_comment") return add_comment(request);
    if (request.cmd == "list_tickets") return list_tickets(request);
    if (request.cmd == "queue" || request.cmd == "queue_csv") return queue(request);
    if (request.cmd == "dashboard") return dashboard(request);
    if (request.cmd == "get_ticket") return get_ticket(request);
    if (request.cmd == "mark_ticket_read") return mark_ticket_read(request);
    if (request.cmd == "enroll") return enroll(request);
    if (request.cmd == "sync_status") return sync_status(request);
    if (request.cmd == "sync_now") return sync_now(request);
    if (request.cmd == "set_passphrase") return set_passphrase(request);
    if (request.cmd == "recovery_link") return recovery_link(request);
    if (is_category_command(request.cmd)) return handle_category_command(request, desk_->matcher());
    if (request.cmd == "sites") return commands::ok_response(request.id, desk_->sites_json());
    if (is_kb_command(request.cmd)) return kb_command(request);
    return commands::error_response(request.id, "unknown_command",
                                    "the engine does not know the command '" + request.cmd + "'");
}

commands::Response Engine::save_draft(const commands::Request& request) {
    auto form = form_name(request.args);
    if (!form) return bad_args(request.id, form.error().message);
    auto fields = request.args.find("fields");
    if (fields == request.args.end() || !fields->is_object())
        return bad_args(request.id, "fields must be an object of texts");
    for (auto it = fields->begin(); it != fields->end(); ++it)
        if (!it.value().is_string()) return bad_args(request.id, "draft field '" + it.key() + "' must be text");
    std::string text = fields->dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > kMaxDraftBytes) return bad_args(request.id, "the draft is too large to keep");
    std::int64_t now = env_.now_ms();
    if (auto s = store_draft(db_, form.value(), text, now); !s)
        return commands::error_response(request.id, s.error().code, "the draft could not be saved: " + s.error().message);
    return commands::ok_response(request.id, {{"saved_at_ms", now}});
}

commands::Response Engine::get_draft(const commands::Request& request) {
    auto form = form_name(request.args);
    if (!form) return bad_args(request.id, form.error().message);
    auto stmt = db_.prepare("SELECT fields, saved_at_ms FROM drafts WHERE form = ?1");
    if (!stmt) return commands::error_response(request.id, stmt.error().code, stmt.error().message);
    stmt.value().bind(1, form.value());
    auto row = stmt.value().step();
    if (!row) return commands::error_response(request.id, row.error().code, row.error().message);
    if (!row.value()) return commands::ok_response(request.id, {{"fields", json::object()}, {"saved_at_ms", nullptr}});
    json fields = json::parse(stmt.value().column_text(0), nullptr, false);
    if (!fields.is_object()) fields = json::object();
    return commands::ok_response(request.id, {{"fields", fields}, {"saved_at_ms", stmt.value().column_int(1)}});
}

commands::Response Engine::discard_draft(const commands::Request& request) {
    auto form = form_name(request.args);
    if (!form) return bad_args(request.id, form.error().message);
    if (auto s = delete_draft(db_, form.value()); !s)
        return commands::error_response(request.id, s.error().code, s.error().message);
    return commands::ok_response(request.id, json::object());
}

std::string Engine::handle_message(std::string_view request_json) {
    auto request = commands::decode_request(request_json);
    if (!request) {
        return commands::encode_response(
            commands::error_response(0, request.error().code, request.error().message));
    }
    return commands::encode_response(handle(request.value()));
}

void Engine::observe_connectivity(bool server_reachable) {
    bool changed = !online_ || *online_ != server_reachable;
    online_ = server_reachable;
    if (server_reachable) last_contact_ms_ = env_.now_ms();
    if (changed && server_reachable) sync_wake(env_.now_ms());  // back online: do not sit out a backoff
    if (changed && env_.emit_event)
        env_.emit_event(commands::encode_event({"status_changed", status()}));
}

}  // namespace lb::engine
