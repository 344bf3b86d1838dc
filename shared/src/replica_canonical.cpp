// replica_canonical.cpp — the canonical byte form of a replica's state, independent of the order in
// which ops arrived and of duplicates. Used to prove convergence; not a storage format.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"

namespace lb {

std::string Replica::canonical_state() const {
    struct Row {
        std::string_view kind;
        const Entity* entity;
    };
    std::vector<Row> rows;
    rows.reserve(entities_.size());
    for (const Entity& e : entities_) rows.push_back(Row{entity_name(log_[e.ops.front()]), &e});
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return a.kind != b.kind ? a.kind < b.kind : a.entity->id < b.entity->id;
    });

    const auto dump = [](const nlohmann::json& j) {
        return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    std::string out;
    for (const Row& row : rows) {
        nlohmann::json j = nlohmann::json::object();
        j["entity"] = std::string(row.kind);
        j["id"] = to_hex(row.entity->id);
        nlohmann::json winners = nlohmann::json::object();  // sorted by field name
        for (const Register& reg : row.entity->registers) {
            const Op& op = log_[reg.op];
            winners[std::string(field_name(op))] = to_hex(op.op_id);
        }
        j["winners"] = std::move(winners);
        std::vector<const Op*> ops;
        for (const std::uint32_t i : row.entity->ops) ops.push_back(&log_[i]);
        std::sort(ops.begin(), ops.end(), [](const Op* a, const Op* b) {
            const auto fa = field_name(*a);
            const auto fb = field_name(*b);
            return fa != fb ? fa < fb : op_precedes(*a, *b);
        });
        nlohmann::json history = nlohmann::json::array();
        for (const Op* op : ops) history.push_back(op_to_json(*op, false));
        j["history"] = std::move(history);
        out += dump(j);
        out += '\n';
    }
    return out;
}

}  // namespace lb
