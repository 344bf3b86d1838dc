// batch_decoder_fuzz.cpp — libFuzzer target for decode_batch (what a client pushes to the server).
// Checks, besides "no crash, no sanitizer report, no exception": a decoded batch re-encodes to a
// canonical fixpoint, applies to a replica all or nothing, and merging it twice changes nothing.
// The same bytes are also read as a batch in the shared form (decode_shared_batch_json, what a
// device pushes): never a crash, every error typed; what decodes writes back in both forms, each of
// which decodes to the same batch.
// Seeds: tests/fuzz/corpus/batch_decoder/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"

namespace {

// The shared form: typed errors; a decoded batch survives both encodings unchanged.
void shared_form(std::string_view input) {
    if (!lb::check_json_bounds(input, lb::kMaxBatchBytes)) return;
    const nlohmann::json j = nlohmann::json::parse(input.begin(), input.end(), nullptr, false);
    if (j.is_discarded()) return;
    auto batch = lb::decode_shared_batch_json(j);
    if (!batch) {
        if (batch.error().code.empty()) __builtin_trap();
        return;
    }
    const std::string full = lb::encode_batch(batch.value());
    if (full.size() > lb::kMaxBatchBytes) return;
    auto shared = lb::encode_shared_batch(batch.value());
    if (!shared) return;  // the batch's own "shared" extension: only the full form carries it
    const nlohmann::json again = nlohmann::json::parse(shared.value(), nullptr, false);
    auto back = lb::decode_shared_batch_json(again);
    if (!back || lb::encode_batch(back.value()) != full) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    shared_form(input);
    auto batch = lb::decode_batch(input);
    if (!batch) {
        if (batch.error().code.empty()) __builtin_trap();
        return 0;
    }
    const std::string once = lb::encode_batch(batch.value());
    if (once.size() <= lb::kMaxBatchBytes) {  // numbers may grow when made canonical ("1e9")
        auto again = lb::decode_batch(once);
        if (!again || lb::encode_batch(again.value()) != once) __builtin_trap();
    }
    lb::Replica replica;
    for (const lb::Role role : {lb::Role::guest, lb::Role::technician, lb::Role::system}) {
        (void)lb::authorize_batch(lb::Actor{lb::Id128{0, 7}, role}, replica, batch.value());
    }
    if (!replica.apply(batch.value())) __builtin_trap();
    const std::string state = replica.canonical_state();
    lb::Replica copy;
    if (!copy.apply(batch.value())) __builtin_trap();
    replica.merge(copy);
    if (replica.canonical_state() != state) __builtin_trap();
    return 0;
}
