// change_history.cpp — op authors, op facts and offline races (change_history.h).
#include "engine/change_history.h"

#include "engine/engine_meta.h"

namespace lb::engine {

using nlohmann::json;

namespace {
constexpr const char* kMetaKey = "op_authors";  // as the key directory has them: {server_node, op_nodes}
}

OpAuthors OpAuthors::from_directory(const json& directory) {
    OpAuthors authors;
    if (auto n = directory.find("server_node"); n != directory.end() && n->is_string())
        authors.server_node = node_from_hex(n->get<std::string>()).value_or(0);
    if (auto list = directory.find("op_nodes"); list != directory.end() && list->is_array()) {
        for (const json& entry : *list) {
            if (!entry.is_object() || !entry.contains("node") || !entry.contains("user_id")) continue;
            if (!entry["node"].is_string() || !entry["user_id"].is_string()) continue;
            auto node = node_from_hex(entry["node"].get<std::string>());
            auto user = id128_from_hex(entry["user_id"].get<std::string>());
            if (node && user) authors.user_of_node[*node] = *user;
        }
    }
    return authors;
}

Result<OpAuthors> OpAuthors::load(storage::Database& db) {
    auto value = read_engine_meta(db, kMetaKey);
    if (!value) return value.error();
    if (!value.value()) return OpAuthors{};
    json stored = json::parse(*value.value(), nullptr, false);
    if (!stored.is_object()) return OpAuthors{};  // unreadable: names come back with the next sync
    return from_directory(stored);
}

Status OpAuthors::save(storage::Database& db) const {
    json nodes = json::array();
    for (const auto& [node, user] : user_of_node) nodes.push_back({{"node", node_to_hex(node)}, {"user_id", to_hex(user)}});
    return write_engine_meta(db, kMetaKey,
                             json{{"server_node", server_node ? node_to_hex(server_node) : ""}, {"op_nodes", nodes}}.dump());
}

Result<std::map<OpId, OpFacts>> load_op_facts(storage::Database& db, const std::vector<const Op*>& ops) {
    auto stmt = db.prepare("SELECT rowid, server_seq, batch_id IS NOT NULL FROM ops WHERE op_id = ?1");
    if (!stmt) return stmt.error();
    std::map<OpId, OpFacts> facts;
    for (const Op* op : ops) {
        const std::string id = to_hex(op->op_id);
        stmt.value().reset();
        stmt.value().bind(1, std::string_view(id));
        auto row = stmt.value().step();
        if (!row) return row.error();
        if (!row.value()) continue;
        OpFacts f;
        f.arrival = stmt.value().column_int(0);
        if (!stmt.value().column_is_null(1)) f.server_seq = stmt.value().column_int(1);
        f.local = stmt.value().column_int(2) != 0;
        facts.emplace(op->op_id, f);
    }
    return facts;
}

std::vector<std::optional<std::size_t>> find_offline_races(const std::vector<const Op*>& history,
                                                           const std::map<OpId, OpFacts>& facts, NodeId my_node) {
    std::vector<std::optional<std::size_t>> raced(history.size());
    auto facts_of = [&](const Op* op) -> const OpFacts* {
        auto f = facts.find(op->op_id);
        return f == facts.end() ? nullptr : &f->second;
    };
    for (std::size_t i = 0; i < history.size(); ++i) {
        const Op& theirs = *history[i];
        const OpFacts* t = facts_of(&theirs);
        if (!t || t->local || theirs.node == my_node) continue;
        std::optional<std::size_t> best;
        std::int64_t best_arrival = 0;
        for (std::size_t j = 0; j < history.size(); ++j) {
            const Op& ours = *history[j];
            const OpFacts* o = facts_of(&ours);
            if (!o || !o->local || ours.field != theirs.field) continue;
            if (o->arrival >= t->arrival) continue;  // theirs was here before we wrote ours: we saw it
            const bool they_had_not_seen_ours = !o->server_seq || (t->server_seq && *t->server_seq < *o->server_seq) ||
                                                theirs.hlc < ours.hlc;
            if (they_had_not_seen_ours && (!best || o->arrival > best_arrival)) {
                best = j;
                best_arrival = o->arrival;
            }
        }
        raced[i] = best;
    }
    return raced;
}

}  // namespace lb::engine
