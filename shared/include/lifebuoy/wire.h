// wire.h — the versioned JSON wire format of ops and batches (nlohmann/json underneath).
//
//   op:    {"v":1,"op_id":"<32 hex>","hlc":"<16 hex>","node":"<16 hex>","entity":"ticket",
//           "entity_id":"<32 hex>","field":"status","value":"in_progress"[,"clamped_from":"<16 hex>"]}
//   batch: {"v":1,"batch_id":"<32 hex>","ops":[<op without "v">, ...]}
//
// Decoding treats the bytes as hostile: it never throws, never crashes and never allocates without
// bound. Input over its byte limit or nested deeper than kMaxJsonDepth is refused BEFORE parsing;
// then wrong types, missing members, invalid UTF-8, oversized strings and arrays and numbers out of
// range each come back as a typed error (errors.h) naming the member. Forward compatibility: members,
// entities and fields this version does not know are kept (OpExtension, Batch::extension, RawJson)
// and re-encoded as received, in canonical form; only a different "v" is refused.
// Encoding is canonical: sorted keys, no spaces, so equal ops encode to equal bytes.
// The shared form of a batch (what a device pushes, push API version 2): the members each op would
// repeat are written once, in "shared" — {"v":1,"batch_id":…,"shared":{"entity","entity_id","node"},
// "ops":[<op without them>…]}; an op's own member, when it has one, wins. It decodes to the Batch
// the full form gives, through the same checks ("shared" is reserved there: never an extension).
// Not here: encryption of content (the values are whatever the caller put there, e.g. ciphertext).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "lifebuoy/op.h"
#include "lifebuoy/result.h"

namespace lb {

inline constexpr int kWireVersion = 1;
inline constexpr int kPushVersionSharedForm = 2;  // a push ("v") whose batches are in the shared form
inline constexpr std::size_t kMaxOpBytes = 256 * 1024;          // one op document
inline constexpr std::size_t kMaxBatchBytes = 2 * 1024 * 1024;  // one batch document
inline constexpr std::size_t kMaxJsonDepth = 16;                // nesting of arrays and objects

Result<Op> decode_op(std::string_view json);
Result<Batch> decode_batch(std::string_view json);

std::string encode_op(const Op& op);           // standalone document, with "v"
std::string encode_batch(const Batch& batch);

// For embedding ops in other messages (sync requests and responses). `path` prefixes error
// messages. The json must come from a bounded parse (the byte and depth limits above).
nlohmann::json op_to_json(const Op& op, bool with_version);
Result<Op> op_from_json(const nlohmann::json& json, std::string_view path, bool require_version);
// A batch already parsed as part of a bounded message (a push request: its byte and depth limits
// were checked on the whole message, which bounds the batch instead of kMaxBatchBytes): every other
// check of decode_batch, the same answers, without printing and parsing the batch again.
Result<Batch> decode_batch_json(const nlohmann::json& json);
// The same for a batch in the shared form (above): every check of decode_batch_json, plus "shared"
// (an object of only entity, entity_id and node, each valid).
Result<Batch> decode_shared_batch_json(const nlohmann::json& json);
// The shared form, sharing the first op's entity, entity_id and node (ops that differ keep their
// own). Error bad_value when the batch's extension has a "shared" member of its own (from a later
// version): that batch only travels in the full form.
Result<std::string> encode_shared_batch(const Batch& batch);

// The limits checked before parsing: size, then nesting depth (a linear scan, no allocation).
Status check_json_bounds(std::string_view json, std::size_t max_bytes, std::size_t max_depth = kMaxJsonDepth);

}  // namespace lb
