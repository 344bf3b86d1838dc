// shared_merge_test.cpp — last-writer-wins merge: unit cases (ordering, history, duplicates,
// all-or-nothing batches, tombstones) and seeded property tests: every permutation of multisets of
// the same ops, duplicates included, gives byte-identical canonical state; merge is idempotent,
// commutative and associative. Reproduce a run with LB_PROPERTY_SEED=<seed> (and LB_PROPERTY_RUNS).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "lifebuoy/replica.h"
#include "lifebuoy/views.h"
#include "shared_test_support.h"

using namespace lb;

namespace {

Op make_op(std::uint64_t id, Hlc hlc, NodeId node, Field field, Value value, EntityId entity = {0, 1}) {
    Op op;
    op.op_id = Id128{0, id};
    op.hlc = hlc;
    op.node = node;
    op.entity = EntityKind::ticket;
    op.entity_id = entity;
    op.field = field;
    op.value = std::move(value);
    return op;
}

Batch batch_of(std::vector<Op> ops, std::uint64_t id = 1) {
    Batch b;
    b.batch_id = Id128{1, id};
    b.ops = std::move(ops);
    return b;
}

std::string title_of(const Replica& r, EntityId id = {0, 1}) {
    const Value* v = r.get(EntityKind::ticket, id, Field::ticket_title);
    return v ? std::get<std::string>(*v) : "<none>";
}

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
    const char* text = std::getenv(name);
    return text ? std::strtoull(text, nullptr, 10) : fallback;
}

// ---- random histories ------------------------------------------------------------------------

struct Generator {
    std::mt19937_64 rng;

    std::uint64_t below(std::uint64_t n) { return rng() % n; }
    bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }

    Value value_for(Field field, const std::vector<EntityId>& people) {
        switch (field) {
            case Field::ticket_title: {
                static const char* kTitles[] = {"", "VPN drops", "Printer jams", "Écran noir", "VPN drops"};
                return std::string(kTitles[below(5)]);
            }
            case Field::ticket_status: {
                static const char* kWords[] = {"new", "triaged", "in_progress", "resolved", "on_hold"};
                return std::string(kWords[below(5)]);
            }
            case Field::ticket_assignee:
                if (chance(25)) return Value{};
                return people[below(people.size())];
            case Field::ticket_satisfaction_rating: return static_cast<std::int64_t>(1 + below(5));
            case Field::deleted: return chance(50);
            case Field::user_skills: {
                TextList skills;
                for (std::uint64_t i = below(3); i > 0; --i) skills.push_back(i % 2 ? "network" : "printers");
                return skills;
            }
            default: return Value{};
        }
    }

    // A few replicas editing a few entities, with clocks that tie, run backwards, overflow their
    // counter, jump ahead, and sometimes observe each other.
    std::vector<Batch> history() {
        test::SeededRandom random(rng());
        const std::size_t node_count = 2 + below(3);
        std::vector<HybridClock> clocks;
        for (std::size_t i = 0; i < node_count; ++i) {
            NodeId node = chance(50) ? i + 1 : (rng() | 1);
            if (i > 0 && chance(10)) node = clocks[0].node();  // a cloned device: same node id
            clocks.emplace_back(node, chance(10) ? Hlc::from(test::kT0, 0xFFFE) : Hlc{});
        }
        std::vector<EntityId> tickets(1 + below(3));
        for (auto& t : tickets) t = random_id128(random);
        std::vector<EntityId> people = {random_id128(random), random_id128(random)};
        const EntityId user = people[0];

        std::vector<Batch> batches;
        const std::size_t batch_count = 1 + below(7);
        for (std::size_t b = 0; b < batch_count; ++b) {
            const std::size_t n = below(node_count);
            std::uint64_t physical = test::kT0 + below(6);  // few distinct ms: many ties
            if (chance(5)) physical += 3'600'000;           // someone's clock is an hour ahead
            if (chance(20)) (void)clocks[n].observe(clocks[below(node_count)].last(), physical);
            if (chance(10)) clocks[n] = HybridClock(clocks[n].node(), Hlc{});  // restored from a backup:
                                                                               // replays its timestamps
            BatchBuilder builder(clocks[n], random, physical);
            std::vector<std::size_t> newer_fields;  // ops to turn into a field from a newer version
            const std::size_t op_count = 1 + below(4);
            for (std::size_t k = 0; k < op_count; ++k) {
                const auto pick = below(8);
                const EntityId& t = tickets[below(tickets.size())];
                if (pick == 0) {
                    builder.set(EntityKind::user, user, Field::user_skills, value_for(Field::user_skills, people));
                } else if (pick == 1) {
                    builder.tombstone(EntityKind::ticket, t);
                } else if (pick == 2) {
                    builder.set(EntityKind::ticket, t, Field::ticket_title, std::string("x"));
                    newer_fields.push_back(k);
                } else {
                    static constexpr Field kFields[] = {Field::ticket_title, Field::ticket_status,
                                                        Field::ticket_assignee, Field::ticket_satisfaction_rating,
                                                        Field::ticket_title};
                    const Field f = kFields[below(5)];
                    builder.set(EntityKind::ticket, t, f, value_for(f, people));
                }
            }
            Batch batch = builder.finish();
            for (const std::size_t k : newer_fields) {
                Op& op = batch.ops[k];
                op.field = Field::unknown;
                op.value = RawJson{chance(50) ? R"({"score":1})" : "[true,null]"};
                op.ext = std::make_shared<const OpExtension>(
                    OpExtension{"", "sentiment", chance(30) ? R"({"sig":"ab"})" : ""});
            }
            batches.push_back(std::move(batch));
        }
        return batches;
    }

    // The batches plus duplicate deliveries: whole batches again, and parts of batches.
    std::vector<Batch> with_duplicates(std::vector<Batch> batches) {
        const std::size_t originals = batches.size();
        for (std::uint64_t i = below(4); i > 0; --i) {
            const Batch& source = batches[below(originals)];
            if (chance(50)) {
                batches.push_back(source);
            } else {
                Batch part;
                part.batch_id = Id128{rng(), rng()};
                for (const Op& op : source.ops) {
                    if (chance(50)) part.ops.push_back(op);
                }
                if (part.ops.empty()) part.ops.push_back(source.ops.front());
                batches.push_back(std::move(part));
            }
        }
        return batches;
    }
};

std::string state_after(const std::vector<Batch>& units, const std::vector<std::size_t>& order) {
    Replica r;
    for (const std::size_t i : order) {
        auto applied = r.apply(units[i]);
        REQUIRE(applied);
    }
    return r.canonical_state();
}

std::vector<std::size_t> identity(std::size_t n) {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    return order;
}

// Each op alone, as if ops were delivered one by one.
std::vector<Batch> single_op_units(const std::vector<Batch>& batches) {
    std::vector<Batch> units;
    for (const Batch& b : batches) {
        for (const Op& op : b.ops) units.push_back(batch_of({op}, units.size() + 1));
    }
    return units;
}

// Independent oracle: the winner of each register is the greatest op of that register.
void check_winners_against_oracle(const Replica& r) {
    std::map<std::tuple<int, Id128, std::string>, const Op*> best;
    for (const Op& op : r.log()) {
        const auto key = std::make_tuple(static_cast<int>(op.entity), op.entity_id, std::string(field_name(op)));
        auto [it, inserted] = best.emplace(key, &op);
        if (!inserted && op_precedes(*it->second, op)) it->second = &op;
    }
    for (const auto& [key, op] : best) {
        if (op->field == Field::unknown) continue;
        const Op* w = r.winner(op->entity, op->entity_id, op->field);
        REQUIRE(w != nullptr);
        CHECK(w->op_id == op->op_id);
    }
}

}  // namespace

TEST_SUITE("shared.merge") {
    TEST_CASE("last writer wins by (hlc, node), then op id - losers stay in the history") {
        Replica r;
        REQUIRE(r.apply(batch_of({make_op(1, Hlc::from(100, 0), 7, Field::ticket_title, std::string("a"))}, 1)));
        REQUIRE(r.apply(batch_of({make_op(2, Hlc::from(90, 5), 9, Field::ticket_title, std::string("older"))}, 2)));
        CHECK(title_of(r) == "a");
        REQUIRE(r.apply(batch_of({make_op(3, Hlc::from(100, 0), 8, Field::ticket_title, std::string("b"))}, 3)));
        CHECK(title_of(r) == "b");  // same hlc: higher node wins
        REQUIRE(r.apply(batch_of({make_op(4, Hlc::from(100, 0), 8, Field::ticket_title, std::string("c"))}, 4)));
        CHECK(title_of(r) == "c");  // same hlc and node (a replayed clock): higher op id wins
        Replica reversed;
        REQUIRE(reversed.apply(batch_of({make_op(4, Hlc::from(100, 0), 8, Field::ticket_title, std::string("c"))}, 4)));
        REQUIRE(reversed.apply(batch_of({make_op(3, Hlc::from(100, 0), 8, Field::ticket_title, std::string("b"))}, 3)));
        CHECK(title_of(reversed) == "c");
        REQUIRE(r.apply(batch_of({make_op(5, Hlc::from(100, 1), 1, Field::ticket_title, std::string("d"))}, 5)));
        CHECK(title_of(r) == "d");
        const auto history = r.history(EntityKind::ticket, EntityId{0, 1}, Field::ticket_title);
        std::vector<std::string> values;
        for (const Op* op : history) values.push_back(std::get<std::string>(op->value));
        CHECK(values == std::vector<std::string>{"older", "a", "b", "c", "d"});
    }

    TEST_CASE("duplicates are skipped and counted - the same id with other content is refused") {
        Replica r;
        const Op op = make_op(1, Hlc::from(100, 0), 7, Field::ticket_title, std::string("a"));
        auto first = r.apply(batch_of({op, op}));
        REQUIRE(first);
        CHECK(first.value().applied == 1);
        CHECK(first.value().duplicates == 1);
        auto again = r.apply(batch_of({op}));
        REQUIRE(again);
        CHECK(again.value().duplicates == 1);
        CHECK(r.op_count() == 1);
        Op forged = op;
        forged.value = std::string("forged");
        const auto refused = r.apply(batch_of({make_op(2, Hlc::from(200, 0), 7, Field::ticket_title, std::string("ok")), forged}));
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == "op_id_conflict");
        CHECK(r.op_count() == 1);  // nothing of that batch landed
        Replica other;
        REQUIRE(other.apply(batch_of({forged})));
        const MergeOutcome m = r.merge(other);
        CHECK(m.conflicts == 1);
        CHECK(title_of(r) == "a");
    }

    TEST_CASE("a batch that fails validation is rejected whole") {
        Replica r;
        REQUIRE(r.apply(batch_of({make_op(1, Hlc::from(100, 0), 7, Field::ticket_title, std::string("before"))})));
        const std::string before = r.canonical_state();
        const auto bad = r.apply(batch_of({
            make_op(2, Hlc::from(200, 0), 7, Field::ticket_title, std::string("after")),
            make_op(3, Hlc::from(200, 1), 7, Field::ticket_satisfaction_rating, std::int64_t{9}),
        }));
        REQUIRE_FALSE(bad);
        CHECK(bad.error().code == "out_of_range");
        CHECK(bad.error().message.find("ops[1]") != std::string::npos);
        CHECK(r.canonical_state() == before);
        CHECK_FALSE(r.apply(batch_of({})));
        CHECK_FALSE(r.apply(batch_of({make_op(4, Hlc{}, 7, Field::ticket_title, std::string("no clock"))})));
        CHECK_FALSE(r.apply(batch_of({make_op(5, Hlc::from(1, 0), 7, Field::comment_body, std::string("wrong entity"))})));
        CHECK_FALSE(r.apply(batch_of({make_op(6, Hlc::from(1, 0), 7, Field::ticket_title, std::string("\xff"))})));
        CHECK(r.canonical_state() == before);
    }

    TEST_CASE("deletion is a tombstone: the entity and its history remain") {
        test::Desk desk;
        const EntityId t = desk.ticket(EntityId{0, 5}, TicketStatus::in_progress, "Laptop stolen");
        auto b = desk.builder();
        b.tombstone(EntityKind::ticket, t);
        desk.must_apply(b.finish());
        CHECK(desk.replica.is_deleted(EntityKind::ticket, t));
        const auto ticket = read_ticket(desk.replica, t);
        REQUIRE(ticket);
        CHECK(ticket->deleted);
        CHECK(ticket->title == "Laptop stolen");
        CHECK(desk.replica.history(EntityKind::ticket, t).size() == 5);
    }

    TEST_CASE("typed views read the registers") {
        test::Desk desk;
        const EntityId requester{0, 5};
        const EntityId t = desk.ticket(requester, TicketStatus::waiting_on_requester);
        auto b = desk.builder();
        b.set(EntityKind::ticket, t, Field::ticket_impact, std::string("high"))
            .set(EntityKind::ticket, t, Field::ticket_urgency, std::string("medium"))
            .set(EntityKind::ticket, t, Field::ticket_priority, std::string(to_name(default_priority(Impact::high, Urgency::medium))))
            .set(EntityKind::ticket, t, Field::ticket_number, std::int64_t{1042})
            .set(EntityKind::ticket, t, Field::ticket_status, std::string("on_hold"));  // newer version's word
        desk.must_apply(b.finish());
        const auto ticket = read_ticket(desk.replica, t);
        REQUIRE(ticket);
        CHECK(ticket->requester == requester);
        CHECK(ticket->impact == Impact::high);
        CHECK(ticket->priority == Priority::high);
        CHECK(ticket->number == 1042);
        CHECK(ticket->channel == Channel::web);
        CHECK(ticket->status == TicketStatus::unknown);
        CHECK_FALSE(ticket->assignee.has_value());
        CHECK(ticket->created < ticket->updated);
        CHECK_FALSE(read_ticket(desk.replica, EntityId{7, 7}).has_value());
        CHECK(default_priority(Impact::low, Urgency::low) == Priority::planning);
        CHECK(default_priority(Impact::high, Urgency::high) == Priority::critical);
    }

    TEST_CASE("property: every order of every multiset of the same ops gives byte-identical state") {
        const std::uint64_t seed = env_or("LB_PROPERTY_SEED", 20240611);
        const std::uint64_t runs = env_or("LB_PROPERTY_RUNS", 2000);
        INFO("reproduce with LB_PROPERTY_SEED=" << seed << " LB_PROPERTY_RUNS=" << runs);
        Generator gen{std::mt19937_64(seed)};
        std::size_t orders = 0;
        for (std::uint64_t run = 0; run < runs; ++run) {
            CAPTURE(run);
            const std::vector<Batch> batches = gen.history();
            const std::vector<Batch> units = gen.with_duplicates(batches);
            Replica reference;
            for (const Batch& b : batches) REQUIRE(reference.apply(b));
            check_winners_against_oracle(reference);
            const std::string expected = reference.canonical_state();

            std::vector<std::size_t> order = identity(units.size());
            for (int k = 0; k < 6; ++k) {
                std::shuffle(order.begin(), order.end(), gen.rng);
                REQUIRE(state_after(units, order) == expected);
                ++orders;
            }
            const std::vector<Batch> singles = single_op_units(units);
            std::vector<std::size_t> op_order = identity(singles.size());
            for (int k = 0; k < 3; ++k) {
                std::shuffle(op_order.begin(), op_order.end(), gen.rng);
                REQUIRE(state_after(singles, op_order) == expected);
                ++orders;
            }
        }
        MESSAGE(runs << " random histories, " << orders << " orders compared byte for byte");
    }

    TEST_CASE("property: exhaustively, all permutations of small multisets") {
        const std::uint64_t seed = env_or("LB_PROPERTY_SEED", 20240611) + 1;
        INFO("reproduce with LB_PROPERTY_SEED=" << seed - 1);
        Generator gen{std::mt19937_64(seed)};
        std::size_t permutations = 0;
        for (int run = 0; run < 150; ++run) {
            CAPTURE(run);
            std::vector<Batch> units = gen.with_duplicates(gen.history());
            units.resize(std::min<std::size_t>(units.size(), 5));  // 5! = 120 orders
            std::vector<std::size_t> order = identity(units.size());
            const std::string expected = state_after(units, order);
            do {
                REQUIRE(state_after(units, order) == expected);
                ++permutations;
            } while (std::next_permutation(order.begin(), order.end()));
        }
        MESSAGE(permutations << " permutations checked");
    }

    TEST_CASE("property: merge is idempotent, commutative and associative") {
        const std::uint64_t seed = env_or("LB_PROPERTY_SEED", 20240611) + 2;
        INFO("reproduce with LB_PROPERTY_SEED=" << seed - 2);
        Generator gen{std::mt19937_64(seed)};
        for (int run = 0; run < 1000; ++run) {
            CAPTURE(run);
            const std::vector<Batch> units = gen.with_duplicates(gen.history());
            Replica a, b, c, all;
            for (const Batch& u : units) {
                REQUIRE(all.apply(u));
                const auto where = gen.below(4);  // overlapping subsets: some batches reach two replicas
                if (where == 0 || where == 3) REQUIRE(a.apply(u));
                if (where == 1 || where == 3) REQUIRE(b.apply(u));
                if (where == 2) REQUIRE(c.apply(u));
            }
            Replica ab = a, ba = b;
            ab.merge(b);
            ba.merge(a);
            CHECK(ab.canonical_state() == ba.canonical_state());  // commutative

            Replica ab_c = ab, bc = b;
            ab_c.merge(c);
            bc.merge(c);
            Replica a_bc = a;
            a_bc.merge(bc);
            CHECK(ab_c.canonical_state() == a_bc.canonical_state());  // associative
            CHECK(ab_c.canonical_state() == all.canonical_state());   // = everything, in any order

            const std::string once = ab_c.canonical_state();
            const MergeOutcome again = ab_c.merge(a_bc);
            CHECK(again.applied == 0);
            ab_c.merge(ab_c);
            CHECK(ab_c.canonical_state() == once);  // idempotent
        }
    }
}
