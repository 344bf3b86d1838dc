// wire_decode.cpp — ops and batches from untrusted JSON: bounds first, then a non-throwing parse,
// then member by member checks with typed errors. Not here: encoding (wire_encode.cpp).
#include <cmath>
#include <limits>
#include <new>
#include <nlohmann/json.hpp>

#include "lifebuoy/wire.h"

namespace lb {
namespace {

using json = nlohmann::json;

Error err(CoreError code, std::string_view path, std::string_view what) {
    std::string message(path);
    if (!message.empty()) message += '.';
    message += what;
    return core_error(code, std::move(message));
}

std::string dump_canonical(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The member `key` as a string, or an error (missing_field / wrong_type).
Result<std::string_view> string_member(const json& j, const char* key, std::string_view path) {
    const auto it = j.find(key);
    if (it == j.end()) return err(CoreError::missing_field, path, std::string(key) + ": missing");
    if (!it->is_string()) return err(CoreError::wrong_type, path, std::string(key) + ": not a string");
    return std::string_view(it->get_ref<const std::string&>());
}

Result<Id128> id_member(const json& j, const char* key, std::string_view path) {
    auto s = string_member(j, key, path);
    if (!s) return s.error();
    const auto id = id128_from_hex(s.value());
    if (!id || id->is_zero()) {
        return err(CoreError::bad_id, path, std::string(key) + ": not 32 lowercase hex digits");
    }
    return *id;
}

Result<NodeId> node_member(const json& j, std::string_view path) {
    auto s = string_member(j, "node", path);
    if (!s) return s.error();
    const auto node = node_from_hex(s.value());
    if (!node || *node == 0) return err(CoreError::bad_id, path, "node: not 16 lowercase hex digits");
    return *node;
}

// "entity": a kind this version knows or a name a later one may (a token); the text either way.
Result<std::string_view> entity_member(const json& j, std::string_view path) {
    auto s = string_member(j, "entity", path);
    if (!s) return s.error();
    if (!entity_kind_from_name(s.value()) && !is_token(s.value(), kMaxNameBytes))
        return err(CoreError::bad_value, path, "entity: not a valid name");
    return s;
}

Result<Hlc> hlc_member(const json& j, const char* key, std::string_view path) {
    auto s = string_member(j, key, path);
    if (!s) return s.error();
    const auto hlc = hlc_from_hex(s.value());
    if (!hlc || hlc->is_zero()) {
        return err(CoreError::bad_hlc, path, std::string(key) + ": not 16 lowercase hex digits");
    }
    return *hlc;
}

Status version_member(const json& j, std::string_view path, bool required) {
    const auto it = j.find("v");
    if (it == j.end()) {
        if (!required) return Ok{};
        return err(CoreError::missing_field, path, "v: missing");
    }
    if (!it->is_number_integer()) return err(CoreError::wrong_type, path, "v: not an integer");
    const bool is_one = it->is_number_unsigned() ? it->get<std::uint64_t>() == 1
                                                 : it->get<std::int64_t>() == kWireVersion;
    if (!is_one) return err(CoreError::unsupported_version, path, "v: this build speaks version 1");
    return Ok{};
}

Result<Value> value_from_json(const json& j, const FieldSpec& spec, std::string_view path) {
    if (j.is_null()) return Value{};
    switch (spec.type) {
        case ValueType::boolean:
            if (j.is_boolean()) return Value{j.get<bool>()};
            break;
        case ValueType::integer:
            if (j.is_number_unsigned()) {
                const auto u = j.get<std::uint64_t>();
                if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                    return err(CoreError::out_of_range, path, "value: out of range");
                }
                return Value{static_cast<std::int64_t>(u)};
            }
            if (j.is_number_integer()) return Value{j.get<std::int64_t>()};
            if (j.is_number_float()) {
                const double d = j.get<double>();
                if (std::isfinite(d) && d == std::trunc(d)) {
                    return err(CoreError::out_of_range, path, "value: out of range");
                }
                return err(CoreError::wrong_type, path, "value: not an integer");
            }
            break;
        case ValueType::id:
            if (j.is_string()) {
                const auto id = id128_from_hex(j.get_ref<const std::string&>());
                if (!id || id->is_zero()) return err(CoreError::bad_id, path, "value: not an id");
                return Value{*id};
            }
            break;
        case ValueType::text:
        case ValueType::token:
            if (j.is_string()) return Value{j.get<std::string>()};
            break;
        case ValueType::text_list:
            if (j.is_array()) {
                if (j.size() > kMaxListItems) {
                    return err(CoreError::too_many_items, path, "value: too many items");
                }
                TextList list;
                list.reserve(j.size());
                for (const auto& item : j) {
                    if (!item.is_string()) return err(CoreError::wrong_type, path, "value[]: not a string");
                    list.push_back(item.get<std::string>());
                }
                return Value{std::move(list)};
            }
            break;
        case ValueType::raw_json:
            break;
    }
    return err(CoreError::wrong_type, path, "value: wrong type for field " + std::string(spec.name));
}

bool is_known_op_member(const std::string& key) {
    static constexpr std::string_view kKnown[] = {"v", "op_id", "hlc", "node", "entity",
                                                  "entity_id", "field", "value", "clamped_from"};
    for (const auto k : kKnown) {
        if (k == key) return true;
    }
    return false;
}

// Unknown members of `j` (those for which is_known says false) as canonical JSON text.
template <typename IsKnown>
Result<std::string> unknown_members(const json& j, IsKnown is_known, std::string_view path) {
    json extra = json::object();
    std::size_t count = 0;
    for (auto it = j.begin(); it != j.end(); ++it) {
        if (is_known(it.key())) continue;
        if (++count > kMaxExtensionMembers) {
            return err(CoreError::too_many_items, path, "too many unknown members");
        }
        extra[it.key()] = it.value();
    }
    if (count == 0) return std::string{};
    std::string text = dump_canonical(extra);
    if (text.size() > kMaxExtensionBytes) return err(CoreError::too_long, path, "unknown members: too long");
    return text;
}

Result<Op> op_from_json_sharing(const json& j, const json* shared, std::string_view path, bool require_version);

// The batch's shared members (the shared form, wire.h), each checked as an op's would be.
Status check_shared_members(const json& shared) {
    if (!shared.is_object()) return err(CoreError::wrong_type, "", "shared: not an object");
    for (auto it = shared.begin(); it != shared.end(); ++it) {
        const std::string& key = it.key();
        if (key != "entity" && key != "entity_id" && key != "node")
            return err(CoreError::bad_value, "", "shared: " + key + " is not a member ops may share");
    }
    if (shared.contains("entity_id")) {
        if (auto id = id_member(shared, "entity_id", "shared"); !id) return id.error();
    }
    if (shared.contains("node")) {
        if (auto node = node_member(shared, "shared"); !node) return node.error();
    }
    if (shared.contains("entity")) {
        if (auto entity = entity_member(shared, "shared"); !entity) return entity.error();
    }
    return Ok{};
}

// `shared_form`: the batch may carry "shared" (wire.h), which its ops fall back on.
Result<Batch> batch_from_json(const json& j, bool shared_form) {
    if (!j.is_object()) return err(CoreError::wrong_type, "", "batch: not an object");
    if (auto st = version_member(j, "", true); !st) return st.error();
    auto batch_id = id_member(j, "batch_id", "");
    if (!batch_id) return batch_id.error();
    const auto ops = j.find("ops");
    if (ops == j.end()) return err(CoreError::missing_field, "", "ops: missing");
    if (!ops->is_array()) return err(CoreError::wrong_type, "", "ops: not an array");
    if (ops->empty()) return err(CoreError::empty_batch, "", "ops: empty");
    if (ops->size() > kMaxBatchOps) return err(CoreError::too_many_items, "", "ops: too many");
    const json* shared = nullptr;
    if (shared_form) {
        if (const auto it = j.find("shared"); it != j.end()) {
            if (auto st = check_shared_members(*it); !st) return st.error();
            shared = &*it;
        }
    }
    Batch batch;
    batch.batch_id = batch_id.value();
    auto extension = unknown_members(
        j,
        [shared_form](const std::string& k) {
            return k == "v" || k == "batch_id" || k == "ops" || (shared_form && k == "shared");
        },
        "");
    if (!extension) return extension.error();
    batch.extension = std::move(extension).value();
    batch.ops.reserve(ops->size());
    for (std::size_t i = 0; i < ops->size(); ++i) {
        auto op = op_from_json_sharing((*ops)[i], shared, "ops[" + std::to_string(i) + "]", false);
        if (!op) return op.error();
        batch.ops.push_back(std::move(op).value());
    }
    if (auto st = validate_batch(batch); !st) return st.error();
    return batch;
}

// Runs `decode` with no exception crossing the API: out of memory and anything else are typed errors.
template <typename T, typename Decode>
Result<T> without_exceptions(Decode decode) {
    try {
        return decode();
    } catch (const std::bad_alloc&) {
        return core_error(CoreError::too_large, "out of memory while decoding");
    } catch (const std::exception&) {
        return core_error(CoreError::malformed_json, "could not decode");
    }
}

template <typename T, typename FromJson>
Result<T> decode_document(std::string_view text, std::size_t max_bytes, FromJson from_json) {
    if (auto st = check_json_bounds(text, max_bytes); !st) return st.error();
    return without_exceptions<T>([&]() -> Result<T> {
        const json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded()) return core_error(CoreError::malformed_json, "not valid JSON (or not UTF-8)");
        return from_json(j);
    });
}

}  // namespace

Status check_json_bounds(std::string_view text, std::size_t max_bytes, std::size_t max_depth) {
    if (text.size() > max_bytes) {
        return core_error(CoreError::too_large, "document over " + std::to_string(max_bytes) + " bytes");
    }
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (const char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) {
                return core_error(CoreError::too_deep, "nested deeper than " + std::to_string(max_depth));
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return Ok{};
}

namespace {

// `j`, or the batch's shared members when `j` lacks `key` and they have it (the shared form).
const json& owner_of(const json& j, const json* shared, const char* key) {
    return shared && !j.contains(key) && shared->contains(key) ? *shared : j;
}

Result<Op> op_from_json_sharing(const json& j, const json* shared, std::string_view path, bool require_version) {
    if (!j.is_object()) return err(CoreError::wrong_type, path, "op: not an object");
    if (auto st = version_member(j, path, require_version); !st) return st.error();
    Op op;
    auto op_id = id_member(j, "op_id", path);
    if (!op_id) return op_id.error();
    op.op_id = op_id.value();
    auto hlc = hlc_member(j, "hlc", path);
    if (!hlc) return hlc.error();
    op.hlc = hlc.value();
    auto node = node_member(owner_of(j, shared, "node"), path);
    if (!node) return node.error();
    op.node = node.value();
    auto entity_id = id_member(owner_of(j, shared, "entity_id"), "entity_id", path);
    if (!entity_id) return entity_id.error();
    op.entity_id = entity_id.value();
    if (j.contains("clamped_from")) {
        auto clamped = hlc_member(j, "clamped_from", path);
        if (!clamped) return clamped.error();
        op.clamped_from = clamped.value();
    }

    OpExtension ext;
    auto entity = entity_member(owner_of(j, shared, "entity"), path);
    if (!entity) return entity.error();
    if (const auto kind = entity_kind_from_name(entity.value())) {
        op.entity = *kind;
    } else {
        op.entity = EntityKind::unknown;
        ext.entity_name = std::string(entity.value());
    }
    auto field = string_member(j, "field", path);
    if (!field) return field.error();
    const auto known_field = op.entity == EntityKind::unknown
                                 ? std::nullopt
                                 : field_from_name(op.entity, field.value());
    if (known_field) {
        op.field = *known_field;
    } else if (is_token(field.value(), kMaxNameBytes)) {
        op.field = Field::unknown;
        ext.field_name = std::string(field.value());
    } else {
        return err(CoreError::bad_value, path, "field: not a valid name");
    }

    const auto value = j.find("value");
    if (value == j.end()) return err(CoreError::missing_field, path, "value: missing");
    if (op.field == Field::unknown) {
        std::string text = dump_canonical(*value);
        if (text.size() > kMaxUnknownValueBytes) return err(CoreError::too_long, path, "value: too long");
        op.value = RawJson{std::move(text)};
    } else {
        auto v = value_from_json(*value, field_spec(op.field), path);
        if (!v) return v.error();
        op.value = std::move(v).value();
    }

    auto members = unknown_members(j, is_known_op_member, path);
    if (!members) return members.error();
    ext.members = std::move(members).value();
    if (!ext.entity_name.empty() || !ext.field_name.empty() || !ext.members.empty()) {
        op.ext = std::make_shared<const OpExtension>(std::move(ext));
    }
    if (auto st = validate_op(op); !st) {
        std::string message(path);
        if (!message.empty()) message += '.';
        message += st.error().message;
        return Error{st.error().code, std::move(message)};
    }
    return op;
}

}  // namespace

Result<Op> op_from_json(const json& j, std::string_view path, bool require_version) {
    return op_from_json_sharing(j, nullptr, path, require_version);
}

Result<Op> decode_op(std::string_view text) {
    return decode_document<Op>(text, kMaxOpBytes,
                               [](const json& j) { return op_from_json(j, "", true); });
}

Result<Batch> decode_batch(std::string_view text) {
    return decode_document<Batch>(text, kMaxBatchBytes, [](const json& j) { return batch_from_json(j, false); });
}

Result<Batch> decode_batch_json(const json& j) {
    return without_exceptions<Batch>([&] { return batch_from_json(j, false); });
}

Result<Batch> decode_shared_batch_json(const json& j) {
    return without_exceptions<Batch>([&] { return batch_from_json(j, true); });
}

}  // namespace lb
