// errors.h — the stable error codes of the shared core (decoder, validation, authorisation).
//
// Each code maps to a snake_case string carried in lb::Error::code, so peers of other versions and
// the UI can rely on it. Messages say where (e.g. "ops[3].value") and why; they never echo input.
// Not here: errors of the engine or the server.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lifebuoy/result.h"

namespace lb {

enum class CoreError : std::uint8_t {
    // decoding untrusted bytes
    too_large,            // input over its byte limit (checked before parsing)
    too_deep,             // JSON nesting over kMaxJsonDepth (checked before parsing)
    malformed_json,       // not JSON (this includes invalid UTF-8)
    unsupported_version,  // "v" is not a version this build speaks
    missing_field,        // a required member is absent
    wrong_type,           // a member has the wrong JSON type
    // validating values (decoder and validate_op alike)
    bad_id,               // not 32 (ids) / 16 (nodes) lowercase hex digits, or zero
    bad_hlc,              // not 16 lowercase hex digits, or zero
    bad_value,            // a value outside its field's rules (e.g. a bad token, a null not allowed)
    too_long,             // a string over its byte limit
    too_many_items,       // an array over its item limit (ops in a batch, list items, members)
    out_of_range,         // a number outside its field's range
    invalid_utf8,         // text that is not valid UTF-8
    empty_batch,          // a batch without ops
    op_id_conflict,       // the same op id with different content
    // authorisation at the edge (lifecycle.h)
    forbidden,            // this role may not do this
    bad_transition,       // no such status transition
    insert_only,          // comments and history are never edited
    missing_required,     // creating an entity without a required field
    not_found,            // a referenced entity does not exist
    entity_deleted,       // writing to a tombstoned entity
    ticket_closed,        // the ticket is closed: read-only
    unsupported_field,    // an entity, field or vocabulary word this version can not check
};

std::string_view error_code_name(CoreError code);
Error core_error(CoreError code, std::string message);

}  // namespace lb
