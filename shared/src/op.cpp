// op.cpp — structural validation of ops and batches, the batch builder, and server-side clamping
// of far-future timestamps. Not here: authorisation (lifecycle.cpp), applying (replica.cpp).
#include "lifebuoy/op.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "lifebuoy/utf8.h"

namespace lb {
namespace {

Status fail(CoreError code, std::string message) { return core_error(code, std::move(message)); }

Status check_text(std::string_view text, std::int64_t max_bytes, const char* where) {
    if (text.size() > static_cast<std::size_t>(max_bytes)) {
        return fail(CoreError::too_long, std::string(where) + ": longer than " +
                                             std::to_string(max_bytes) + " bytes");
    }
    if (!is_valid_utf8(text)) return fail(CoreError::invalid_utf8, std::string(where) + ": not UTF-8");
    return Ok{};
}

bool is_json_text(const std::string& text, bool must_be_object) {
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded()) return false;
    return !must_be_object || parsed.is_object();
}

Status check_known_value(const FieldSpec& spec, const Value& value) {
    if (is_null(value)) {
        if (spec.nullable) return Ok{};
        return fail(CoreError::bad_value, "value: may not be null");
    }
    switch (spec.type) {
        case ValueType::boolean:
            if (std::holds_alternative<bool>(value)) return Ok{};
            break;
        case ValueType::integer:
            if (const auto* n = std::get_if<std::int64_t>(&value)) {
                if (*n < spec.min || *n > spec.max) {
                    return fail(CoreError::out_of_range, "value: outside [" + std::to_string(spec.min) +
                                                             ", " + std::to_string(spec.max) + "]");
                }
                return Ok{};
            }
            break;
        case ValueType::id:
            if (const auto* id = std::get_if<Id128>(&value)) {
                if (id->is_zero()) return fail(CoreError::bad_id, "value: zero id");
                return Ok{};
            }
            break;
        case ValueType::text:
            if (const auto* s = std::get_if<std::string>(&value)) return check_text(*s, spec.max, "value");
            break;
        case ValueType::token:
            if (const auto* s = std::get_if<std::string>(&value)) {
                if (!is_token(*s)) return fail(CoreError::bad_value, "value: not a token");
                return Ok{};
            }
            break;
        case ValueType::text_list:
            if (const auto* list = std::get_if<TextList>(&value)) {
                if (list->size() > kMaxListItems) {
                    return fail(CoreError::too_many_items,
                                "value: more than " + std::to_string(kMaxListItems) + " items");
                }
                for (const auto& item : *list) {
                    if (auto st = check_text(item, spec.max, "value[]"); !st) return st;
                }
                return Ok{};
            }
            break;
        case ValueType::raw_json:
            break;
    }
    return fail(CoreError::wrong_type, "value: wrong type for field " + std::string(spec.name));
}

}  // namespace

std::string_view entity_name(const Op& op) {
    if (op.entity != EntityKind::unknown) return entity_kind_name(op.entity);
    return op.ext ? std::string_view(op.ext->entity_name) : std::string_view{};
}

std::string_view field_name(const Op& op) {
    if (op.field != Field::unknown) return field_spec(op.field).name;
    return op.ext ? std::string_view(op.ext->field_name) : std::string_view{};
}

bool same_content(const Op& a, const Op& b) {
    if (a.op_id != b.op_id || a.hlc != b.hlc || a.node != b.node || a.entity != b.entity ||
        a.field != b.field || a.entity_id != b.entity_id || a.clamped_from != b.clamped_from ||
        !(a.value == b.value)) {
        return false;
    }
    if (a.ext == b.ext) return true;
    const OpExtension empty;
    return (a.ext ? *a.ext : empty) == (b.ext ? *b.ext : empty);
}

Status validate_op(const Op& op) {
    if (op.op_id.is_zero()) return fail(CoreError::bad_id, "op_id: zero");
    if (op.hlc.is_zero()) return fail(CoreError::bad_hlc, "hlc: zero");
    if (op.node == 0) return fail(CoreError::bad_id, "node: zero");
    if (op.entity_id.is_zero()) return fail(CoreError::bad_id, "entity_id: zero");
    if (op.ext) {
        if (op.ext->members.size() > kMaxExtensionBytes) {
            return fail(CoreError::too_long, "unknown members: more than " +
                                                 std::to_string(kMaxExtensionBytes) + " bytes");
        }
        if (!op.ext->members.empty() && !is_json_text(op.ext->members, true)) {
            return fail(CoreError::bad_value, "unknown members: not a JSON object");
        }
    }
    // Unknown names must be well-formed and really unknown, so that each op has one encoding.
    if (op.entity == EntityKind::unknown) {
        if (!op.ext || !is_token(op.ext->entity_name, kMaxNameBytes) ||
            entity_kind_from_name(op.ext->entity_name)) {
            return fail(CoreError::bad_value, "entity: not a valid entity name");
        }
        if (op.field != Field::unknown) return fail(CoreError::bad_value, "field: not on this entity");
    } else if (op.ext && !op.ext->entity_name.empty()) {
        return fail(CoreError::bad_value, "entity: name given for a known entity");
    }
    if (op.field == Field::unknown) {
        if (!op.ext || !is_token(op.ext->field_name, kMaxNameBytes) ||
            (op.entity != EntityKind::unknown && field_from_name(op.entity, op.ext->field_name))) {
            return fail(CoreError::bad_value, "field: not a valid field name");
        }
        const auto* raw = std::get_if<RawJson>(&op.value);
        if (!raw) return fail(CoreError::wrong_type, "value: an unknown field holds raw JSON");
        if (raw->text.size() > kMaxUnknownValueBytes) {
            return fail(CoreError::too_long, "value: more than " +
                                                 std::to_string(kMaxUnknownValueBytes) + " bytes");
        }
        if (!is_json_text(raw->text, false)) return fail(CoreError::bad_value, "value: not JSON");
        return Ok{};
    }
    if (op.ext && !op.ext->field_name.empty()) {
        return fail(CoreError::bad_value, "field: name given for a known field");
    }
    if (!field_belongs_to(op.field, op.entity)) {
        return fail(CoreError::bad_value, "field: not a field of " + std::string(entity_name(op)));
    }
    return check_known_value(field_spec(op.field), op.value);
}

Status validate_batch(const Batch& batch) {
    if (batch.ops.empty()) return fail(CoreError::empty_batch, "ops: empty");
    if (batch.ops.size() > kMaxBatchOps) {
        return fail(CoreError::too_many_items,
                    "ops: more than " + std::to_string(kMaxBatchOps) + " ops in one batch");
    }
    if (batch.extension.size() > kMaxExtensionBytes) {
        return fail(CoreError::too_long, "unknown members: more than " +
                                             std::to_string(kMaxExtensionBytes) + " bytes");
    }
    for (std::size_t i = 0; i < batch.ops.size(); ++i) {
        if (auto st = validate_op(batch.ops[i]); !st) {
            return Error{st.error().code, "ops[" + std::to_string(i) + "]." + st.error().message};
        }
    }
    // The same op twice is a harmless duplicate; the same id with other content is refused.
    const std::size_t n = batch.ops.size();
    if (n <= 16) {  // the usual user action: no allocation
        for (std::size_t i = 1; i < n; ++i) {
            for (std::size_t j = 0; j < i; ++j) {
                if (batch.ops[i].op_id == batch.ops[j].op_id && !same_content(batch.ops[i], batch.ops[j])) {
                    return fail(CoreError::op_id_conflict, "ops[" + std::to_string(i) + "].op_id: used twice");
                }
            }
        }
        return Ok{};
    }
    std::vector<std::pair<OpId, std::size_t>> ids;
    ids.reserve(batch.ops.size());
    for (std::size_t i = 0; i < batch.ops.size(); ++i) ids.emplace_back(batch.ops[i].op_id, i);
    std::sort(ids.begin(), ids.end());
    for (std::size_t i = 1; i < ids.size(); ++i) {
        if (ids[i].first == ids[i - 1].first &&
            !same_content(batch.ops[ids[i].second], batch.ops[ids[i - 1].second])) {
            return fail(CoreError::op_id_conflict,
                        "ops[" + std::to_string(ids[i].second) + "].op_id: used twice");
        }
    }
    return Ok{};
}

BatchBuilder::BatchBuilder(HybridClock& clock, RandomSource& random, std::uint64_t physical_ms)
    : clock_(clock), random_(random), physical_ms_(physical_ms) {
    batch_.batch_id = time_ordered_id128(physical_ms_, random_);
}

EntityId BatchBuilder::new_entity_id() { return time_ordered_id128(physical_ms_, random_); }

BatchBuilder& BatchBuilder::set(EntityKind entity, EntityId id, Field field, Value value) {
    Op op;
    op.hlc = clock_.now(physical_ms_);
    op.op_id = time_ordered_id128(op.hlc.ms(), random_);
    op.node = clock_.node();
    op.entity = entity;
    op.field = field;
    op.entity_id = id;
    op.value = std::move(value);
    batch_.ops.push_back(std::move(op));
    return *this;
}

BatchBuilder& BatchBuilder::tombstone(EntityKind entity, EntityId id) {
    return set(entity, id, Field::deleted, true);
}

Batch BatchBuilder::finish() {
    Batch out = std::move(batch_);
    batch_ = Batch{};
    batch_.batch_id = time_ordered_id128(physical_ms_, random_);
    return out;
}

bool clamp_future_op(Op& op, HybridClock& clock, std::uint64_t physical_ms, std::uint64_t max_drift_ms) {
    if (!hlc_too_far_ahead(op.hlc, physical_ms, max_drift_ms)) return false;
    if (op.clamped_from.is_zero()) op.clamped_from = op.hlc;
    op.hlc = clock.now(physical_ms);
    return true;
}

}  // namespace lb
