// batch_decoder_fuzz.cpp — libFuzzer target for decode_batch (what a client pushes to the server).
// Checks, besides "no crash, no sanitizer report, no exception": a decoded batch re-encodes to a
// canonical fixpoint, applies to a replica all or nothing, and merging it twice changes nothing.
// Seeds: tests/fuzz/corpus/batch_decoder/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
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
