// change_history.h — who changed a ticket's fields, and which changes raced one of this device's
// own while it was offline ("changed by Omar while you were offline"), for the help desk's
// History panel (issue #10).
//
// Features: OpAuthors — the person behind each node (from the help desk's key directory, where the
// server binds a node to the person whose device first pushed it) and the server's own node, kept
// in engine_meta "op_authors" so names work offline; load_op_facts — each op's arrival order on
// this device, its server_seq and whether this device wrote it; find_offline_races — pure: which
// other person's change was made without seeing one of ours (and we without seeing theirs).
// Not here: merging (the last writer wins, replica.h), the JSON of get_ticket (engine_tickets.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "lifebuoy/id128.h"
#include "lifebuoy/op.h"
#include "lifebuoy/result.h"
#include "lifebuoy/sqlite_database.h"
#include "nlohmann/json.hpp"

namespace lb::engine {

struct OpAuthors {
    std::map<NodeId, EntityId> user_of_node;
    NodeId server_node = 0;  // 0: not known yet

    // From the key directory's op_nodes / server_node (members missing or malformed are skipped).
    static OpAuthors from_directory(const nlohmann::json& directory);
    static Result<OpAuthors> load(storage::Database& db);
    Status save(storage::Database& db) const;
    bool operator==(const OpAuthors&) const = default;
};

// What this device knows about one op beyond its content.
struct OpFacts {
    std::int64_t arrival = 0;               // the ops table's rowid: the order ops reached this device
    std::optional<std::int64_t> server_seq; // null: not accepted by the server yet
    bool local = false;                     // written on this device (it has an outbox batch)
};

Result<std::map<OpId, OpFacts>> load_op_facts(storage::Database& db, const std::vector<const Op*>& ops);

// For each op of `history` (one entity, merge order), the index of this device's own op on the
// same field that it raced, if any: another node's op that reached this device after ours was
// written, and whose author had not seen ours (ours was not on the server yet when theirs
// arrived there — a lower server_seq, or ours is still unsent — or theirs is older in hybrid time,
// which it could not be had they seen ours). The latest such op of ours is named.
std::vector<std::optional<std::size_t>> find_offline_races(const std::vector<const Op*>& history,
                                                           const std::map<OpId, OpFacts>& facts, NodeId my_node);

}  // namespace lb::engine
