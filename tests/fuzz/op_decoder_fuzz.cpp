// op_decoder_fuzz.cpp — libFuzzer target for decode_op (untrusted bytes from peers).
// Checks, besides "no crash, no sanitizer report, no exception": whatever decodes re-encodes to a
// canonical form that decodes to the same op (a fixpoint), and is accepted by a replica and by
// authorize_batch without crashing. Seeds: tests/fuzz/corpus/op_decoder/.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lifebuoy/lifecycle.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    auto op = lb::decode_op(input);
    if (!op) {
        if (op.error().code.empty()) __builtin_trap();  // every error carries a code
        return 0;
    }
    const std::string once = lb::encode_op(op.value());
    if (once.size() <= lb::kMaxOpBytes) {
        auto again = lb::decode_op(once);
        if (!again || !lb::same_content(again.value(), op.value())) __builtin_trap();
        if (lb::encode_op(again.value()) != once) __builtin_trap();
    }
    lb::Batch batch;
    batch.batch_id = lb::Id128{0, 1};
    batch.ops.push_back(op.value());
    lb::Replica replica;
    (void)lb::authorize_batch(lb::Actor{lb::Id128{0, 2}, lb::Role::requester}, replica, batch);
    if (!replica.apply(batch)) __builtin_trap();  // a decoded op is structurally valid
    (void)lb::authorize_batch(lb::Actor{lb::Id128{0, 3}, lb::Role::admin}, replica, batch);
    (void)replica.canonical_state();
    return 0;
}
