// wire_encode.cpp — ops and batches to canonical JSON (sorted keys, no spaces); what this version
// did not understand is written back as it came. encode_op writes the text directly (the server
// stores every op it accepts or authors this way: through nlohmann::json it was 11 % of a push's
// CPU), byte for byte what dump_canonical(op_to_json(op)) gives — strings that need escaping, list
// and raw values, and ops with unknown members still go through nlohmann. encode_shared_batch: the
// shared form a device pushes (wire.h).
// Not here: decoding (wire_decode.cpp).
#include <algorithm>
#include <string_view>

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

namespace {

// A JSON string as nlohmann writes it (ensure_ascii off, invalid UTF-8 replaced): printable ASCII
// with no quote or backslash goes as it is, anything else through nlohmann's escaping.
void append_string(std::string& out, std::string_view text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    });
    if (!plain) {
        out += dump_canonical(json(std::string(text)));
        return;
    }
    out += '"';
    out += text;
    out += '"';
}

void append_value(std::string& out, const Value& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        out += "null";
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "true" : "false";
    } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*n);
    } else if (const auto* id = std::get_if<Id128>(&value)) {
        append_string(out, to_hex(*id));
    } else if (const auto* text = std::get_if<std::string>(&value)) {
        append_string(out, *text);
    } else {
        out += dump_canonical(std::visit(ValueToJson{}, value));  // lists, raw JSON
    }
}

}  // namespace

std::string encode_op(const Op& op) {
    if (op.ext) return dump_canonical(op_to_json(op, true));  // unknown members sort in among ours
    const auto* text = std::get_if<std::string>(&op.value);
    std::string out;
    out.reserve(224 + (text ? text->size() : 0));
    // The members in sorted order: clamped_from, entity, entity_id, field, hlc, node, op_id, v, value.
    out += '{';
    if (!op.clamped_from.is_zero()) {
        out += "\"clamped_from\":";
        append_string(out, hlc_to_hex(op.clamped_from));
        out += ',';
    }
    out += "\"entity\":";
    append_string(out, entity_name(op));
    out += ",\"entity_id\":";
    append_string(out, to_hex(op.entity_id));
    out += ",\"field\":";
    append_string(out, field_name(op));
    out += ",\"hlc\":";
    append_string(out, hlc_to_hex(op.hlc));
    out += ",\"node\":";
    append_string(out, node_to_hex(op.node));
    out += ",\"op_id\":";
    append_string(out, to_hex(op.op_id));
    out += ",\"v\":";
    out += std::to_string(kWireVersion);
    out += ",\"value\":";
    append_value(out, op.value);
    out += '}';
    return out;
}

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

Result<std::string> encode_shared_batch(const Batch& batch) {
    if (!batch.extension.empty()) {
        const json extra = json::parse(batch.extension, nullptr, false);
        if (extra.is_object() && extra.contains("shared"))
            return core_error(CoreError::bad_value, "this batch has a \"shared\" member of its own: only the full form carries it");
    }
    json shared = json::object();
    if (!batch.ops.empty()) {
        const Op& first = batch.ops.front();
        shared["entity"] = std::string(entity_name(first));
        shared["entity_id"] = to_hex(first.entity_id);
        shared["node"] = node_to_hex(first.node);
    }
    json ops = json::array();
    for (const Op& op : batch.ops) {
        json o = op_to_json(op, false);
        for (auto it = shared.begin(); it != shared.end(); ++it) {
            if (o[it.key()] == it.value()) o.erase(it.key());
        }
        ops.push_back(std::move(o));
    }
    json j = json::object();
    j["v"] = kWireVersion;
    j["batch_id"] = to_hex(batch.batch_id);
    j["ops"] = std::move(ops);
    j["shared"] = std::move(shared);
    merge_members(j, batch.extension);
    return dump_canonical(j);
}

}  // namespace lb
