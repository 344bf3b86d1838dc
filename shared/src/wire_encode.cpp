// wire_encode.cpp — ops and batches to canonical JSON (sorted keys, no spaces); what this version
// did not understand is written back as it came. Not here: decoding (wire_decode.cpp).
#include <nlohmann/json.hpp>

#include "lifebuoy/wire.h"

namespace lb {
namespace {

using json = nlohmann::json;

std::string dump_canonical(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

struct ValueToJson {
    json operator()(std::monostate) const { return nullptr; }
    json operator()(bool b) const { return b; }
    json operator()(std::int64_t n) const { return n; }
    json operator()(const Id128& id) const { return to_hex(id); }
    json operator()(const std::string& s) const { return s; }
    json operator()(const TextList& list) const { return list; }
    json operator()(const RawJson& raw) const {
        json parsed = json::parse(raw.text, nullptr, false);
        return parsed.is_discarded() ? json(nullptr) : parsed;  // validate_op refuses the latter
    }
};

// Adds the members of a canonical JSON object text (an extension) that `j` does not have yet.
void merge_members(json& j, const std::string& members) {
    if (members.empty()) return;
    const json extra = json::parse(members, nullptr, false);
    if (!extra.is_object()) return;
    for (auto it = extra.begin(); it != extra.end(); ++it) {
        if (!j.contains(it.key())) j[it.key()] = it.value();
    }
}

}  // namespace

json op_to_json(const Op& op, bool with_version) {
    json j = json::object();
    if (with_version) j["v"] = kWireVersion;
    j["op_id"] = to_hex(op.op_id);
    j["hlc"] = hlc_to_hex(op.hlc);
    j["node"] = node_to_hex(op.node);
    j["entity"] = std::string(entity_name(op));
    j["entity_id"] = to_hex(op.entity_id);
    j["field"] = std::string(field_name(op));
    j["value"] = std::visit(ValueToJson{}, op.value);
    if (!op.clamped_from.is_zero()) j["clamped_from"] = hlc_to_hex(op.clamped_from);
    if (op.ext) merge_members(j, op.ext->members);
    return j;
}

std::string encode_op(const Op& op) { return dump_canonical(op_to_json(op, true)); }

std::string encode_batch(const Batch& batch) {
    json j = json::object();
    j["v"] = kWireVersion;
    j["batch_id"] = to_hex(batch.batch_id);
    json ops = json::array();
    for (const Op& op : batch.ops) ops.push_back(op_to_json(op, false));
    j["ops"] = std::move(ops);
    merge_members(j, batch.extension);
    return dump_canonical(j);
}

}  // namespace lb
