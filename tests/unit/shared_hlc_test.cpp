// shared_hlc_test.cpp — the hybrid logical clock: monotonicity, Kulkarni's receive rule, counter
// overflow, the future-timestamp policy (not adopted; clamped at server ingress; still merged), and
// the time-ordered ids a BatchBuilder gives ops, batches and new entities.
#include <doctest/doctest.h>

#include "lifebuoy/hlc.h"
#include "lifebuoy/op.h"
#include "lifebuoy/replica.h"
#include "lifebuoy/wire.h"
#include "shared_test_support.h"

using namespace lb;

TEST_SUITE("shared.hlc") {
    TEST_CASE("packs 48-bit milliseconds and a 16-bit counter, ordered as one number") {
        const Hlc a = Hlc::from(kHlcMaxMs, 0xFFFF);
        CHECK(a.ms() == kHlcMaxMs);
        CHECK(a.counter() == 0xFFFF);
        CHECK(Hlc::from(5, 0xFFFF) < Hlc::from(6, 0));
        CHECK(Hlc::from(5, 1) < Hlc::from(5, 2));
        CHECK(hlc_to_hex(Hlc::from(0x123456789abc, 0x0def)) == "123456789abc0def");
        CHECK(hlc_from_hex("123456789abc0def") == Hlc::from(0x123456789abc, 0x0def));
        CHECK_FALSE(hlc_from_hex("123456789ABC0DEF").has_value());
        CHECK_FALSE(hlc_from_hex("123").has_value());
    }

    TEST_CASE("now() follows physical time and counts within one millisecond") {
        HybridClock clock(1);
        CHECK(clock.now(1000) == Hlc::from(1000, 0));
        CHECK(clock.now(1000) == Hlc::from(1000, 1));
        CHECK(clock.now(1000) == Hlc::from(1000, 2));
        CHECK(clock.now(1005) == Hlc::from(1005, 0));
    }

    TEST_CASE("now() never goes backwards when the wall clock does") {
        HybridClock clock(1);
        const Hlc a = clock.now(5000);
        const Hlc b = clock.now(4000);  // NTP stepped the clock back
        CHECK(b > a);
        CHECK(b == Hlc::from(5000, 1));
    }

    TEST_CASE("counter overflow advances the millisecond instead of wrapping") {
        HybridClock clock(1, Hlc::from(1000, 0xFFFE));
        CHECK(clock.now(1000) == Hlc::from(1000, 0xFFFF));
        CHECK(clock.now(1000) == Hlc::from(1001, 0));
        CHECK(clock.now(1000) == Hlc::from(1001, 1));
        // the same through observe()
        HybridClock other(2, Hlc::from(2000, 3));
        const auto r = other.observe(Hlc::from(2000, 0xFFFF), 2000);
        CHECK(r.adopted);
        CHECK(r.local == Hlc::from(2001, 0));
        // 70,000 events in one millisecond stay strictly increasing
        HybridClock busy(3);
        Hlc last = busy.now(10);
        for (int i = 0; i < 70000; ++i) {
            const Hlc next = busy.now(10);
            REQUIRE(next > last);
            last = next;
        }
        CHECK(last.ms() == 11);
    }

    TEST_CASE("the clock saturates at the end of its 48-bit range") {
        HybridClock clock(1, Hlc::from(kHlcMaxMs, 0xFFFF));
        CHECK(clock.now(kHlcMaxMs + 10) == Hlc::from(kHlcMaxMs, 0xFFFF));
    }

    TEST_CASE("observe() applies the Kulkarni receive rule") {
        SUBCASE("remote ahead (within drift): adopt its millisecond, counter + 1") {
            HybridClock clock(1, Hlc::from(1000, 4));
            const auto r = clock.observe(Hlc::from(1500, 7), 1200);
            CHECK(r.adopted);
            CHECK(r.ahead_ms == 300);
            CHECK(r.local == Hlc::from(1500, 8));
        }
        SUBCASE("same millisecond everywhere: max counter + 1") {
            HybridClock clock(1, Hlc::from(1000, 4));
            CHECK(clock.observe(Hlc::from(1000, 9), 1000).local == Hlc::from(1000, 10));
            CHECK(clock.observe(Hlc::from(1000, 2), 1000).local == Hlc::from(1000, 11));
        }
        SUBCASE("local ahead of remote: local counter + 1") {
            HybridClock clock(1, Hlc::from(3000, 4));
            CHECK(clock.observe(Hlc::from(1000, 9), 2000).local == Hlc::from(3000, 5));
        }
        SUBCASE("physical time ahead of both: counter resets") {
            HybridClock clock(1, Hlc::from(1000, 4));
            const auto r = clock.observe(Hlc::from(1200, 9), 5000);
            CHECK(r.local == Hlc::from(5000, 0));
            CHECK(r.ahead_ms == 0);
        }
        SUBCASE("after observing, local events come after the remote one") {
            HybridClock clock(1, Hlc::from(1000, 0));
            (void)clock.observe(Hlc::from(1100, 50), 1000);
            CHECK(clock.now(1000) > Hlc::from(1100, 50));
        }
    }

    TEST_CASE("policy: a remote clock more than kMaxClockDriftMs ahead is not adopted") {
        static_assert(kMaxClockDriftMs == 5 * 60 * 1000);
        const std::uint64_t pt = 1'700'000'000'000;
        HybridClock clock(1, Hlc::from(pt - 10, 0));
        SUBCASE("exactly at the limit: adopted") {
            const auto r = clock.observe(Hlc::from(pt + kMaxClockDriftMs, 0), pt);
            CHECK(r.adopted);
            CHECK(clock.last().ms() == pt + kMaxClockDriftMs);
        }
        SUBCASE("one millisecond past it: not adopted, the clock stays on physical time") {
            const Hlc remote = Hlc::from(pt + kMaxClockDriftMs + 1, 0);
            const auto r = clock.observe(remote, pt);
            CHECK_FALSE(r.adopted);
            CHECK(r.ahead_ms == kMaxClockDriftMs + 1);
            CHECK(r.local == Hlc::from(pt, 0));
            CHECK(clock.now(pt + 1) == Hlc::from(pt + 1, 0));  // later edits keep normal stamps
            CHECK(hlc_too_far_ahead(remote, pt));
        }
        SUBCASE("a year ahead (a device with a wrong clock)") {
            const auto r = clock.observe(Hlc::from(pt + 365ull * 24 * 3600 * 1000, 0), pt);
            CHECK_FALSE(r.adopted);
            CHECK(clock.last().ms() == pt);
        }
        SUBCASE("the drift is a parameter of the clock") {
            HybridClock strict(2, {}, 1000);
            CHECK_FALSE(strict.observe(Hlc::from(pt + 1001, 0), pt).adopted);
            CHECK(strict.observe(Hlc::from(pt + 1000, 0), pt).adopted);
        }
    }

    TEST_CASE("policy: the server clamps a far-future op at ingress, keeps the original, all merge it") {
        const std::uint64_t pt = 1'700'000'000'000;
        test::SeededRandom random(7);
        HybridClock wrong_device(0xBAD, {});
        HybridClock good_device(0x600D, {});
        HybridClock server(0x5E, {});

        // The wrong device believes it is one day later; the good device edits after it, for real.
        BatchBuilder bad(wrong_device, random, pt + 86'400'000);
        const EntityId ticket = bad.new_entity_id();
        bad.set(EntityKind::ticket, ticket, Field::ticket_title, std::string("from the future"));
        Batch bad_batch = bad.finish();
        BatchBuilder good(good_device, random, pt + 1000);
        good.set(EntityKind::ticket, ticket, Field::ticket_title, std::string("fixed typo"));
        Batch good_batch = good.finish();

        SUBCASE("unclamped, a replica stores it as is: it would win for a whole day") {
            Replica r;
            REQUIRE(r.apply(bad_batch));
            REQUIRE(r.apply(good_batch));
            CHECK(std::get<std::string>(*r.get(EntityKind::ticket, ticket, Field::ticket_title)) ==
                  "from the future");
            CHECK(hlc_too_far_ahead(bad_batch.ops[0].hlc, pt));  // the flag a client shows
        }
        SUBCASE("clamped at ingress: competes as received at pt; the later real edit wins") {
            Op& op = bad_batch.ops[0];
            const Hlc original = op.hlc;
            CHECK(clamp_future_op(op, server, pt));
            CHECK(op.clamped_from == original);
            CHECK(op.hlc.ms() == pt);
            CHECK_FALSE(clamp_future_op(good_batch.ops[0], server, pt + 1000));  // honest op untouched
            Replica a, b;
            REQUIRE(a.apply(bad_batch));
            REQUIRE(a.apply(good_batch));
            REQUIRE(b.apply(good_batch));
            REQUIRE(b.apply(bad_batch));
            CHECK(std::get<std::string>(*a.get(EntityKind::ticket, ticket, Field::ticket_title)) == "fixed typo");
            CHECK(a.canonical_state() == b.canonical_state());
            // the losing value and where it came from stay in the history, and on the wire
            const auto history = a.history(EntityKind::ticket, ticket, Field::ticket_title);
            REQUIRE(history.size() == 2);
            CHECK(history[0]->clamped_from == original);
            const auto wire = encode_op(op);
            CHECK(wire.find("\"clamped_from\":\"" + hlc_to_hex(original) + "\"") != std::string::npos);
            auto back = decode_op(wire);
            REQUIRE(back);
            CHECK(same_content(back.value(), op));
        }
    }

    TEST_CASE("ids: ops, batches and new entities get time-ordered ids (48-bit ms, then 80 random bits)") {
        const std::uint64_t pt = 1'700'000'000'000;
        test::SeededRandom random(11);
        CHECK((time_ordered_id128(pt, random).hi >> 16) == pt);
        CHECK(to_hex(time_ordered_id128(pt, random)).substr(0, 12) == "018bcfe56800");
        CHECK_FALSE(time_ordered_id128(pt, random) == time_ordered_id128(pt, random));  // same ms: random part
        CHECK(to_hex(time_ordered_id128(pt, random)) < to_hex(time_ordered_id128(pt + 1, random)));

        HybridClock clock(0xD1, {});
        BatchBuilder first(clock, random, pt);
        const EntityId ticket = first.new_entity_id();
        first.set(EntityKind::ticket, ticket, Field::ticket_title, std::string("VPN drops every hour"));
        first.set(EntityKind::ticket, ticket, Field::ticket_urgency, std::string("high"));
        const Batch a = first.finish();
        BatchBuilder later(clock, random, pt + 60'000);
        later.set(EntityKind::ticket, ticket, Field::ticket_urgency, std::string("medium"));
        const Batch b = later.finish();
        CHECK((ticket.hi >> 16) == pt);
        CHECK((a.batch_id.hi >> 16) == pt);
        CHECK((b.batch_id.hi >> 16) == pt + 60'000);
        for (const Op& op : a.ops) CHECK((op.op_id.hi >> 16) == op.hlc.ms());
        CHECK(to_hex(a.ops[1].op_id) < to_hex(b.ops[0].op_id));  // later ops sort later, as text too
        CHECK_FALSE(a.ops[0].op_id == a.ops[1].op_id);
    }
}
