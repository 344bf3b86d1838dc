// push_group_test.cpp — group commit of pushes: SyncService::push_sealed_group stores several
// devices' sealed pushes in one transaction, each answered as if it came alone (envelope counter,
// token, device key, size checked per push); PushCommitter's store thread answers every push
// submitted from many threads, exactly once, and stores what is queued when it stops. Property:
// a group stores exactly what the same pushes store one by one (random mixes with refusals).
// Not here: the HTTP side (tests/integration drive the real binary, whose pushes all go this way).
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <random>

#include "lifebuoy/crypto/keys.h"
#include "push_committer.h"
#include "server_test_support.h"
#include "triage_test_support.h"

using namespace lb;
using namespace lb::server;
using namespace lb::server::test;

namespace {

// A guest whose device enrolled with a key (the envelope's key, which grouped pushes must match).
struct KeyedDevice {
    Person person;
    std::string key;
    std::uint64_t counter = 0;  // the last envelope counter used
};

KeyedDevice enrol_keyed(Desk& desk, const std::string& name, Role role = Role::guest) {
    EnrollRequest req;
    if (role == Role::guest) {
        req.guest = true;
    } else {
        auto code = desk.service->create_invite(role, name);
        REQUIRE(code.ok());
        req.invite = code.value().normalised;
    }
    req.display_name = name;
    req.public_key = crypto::public_key_to_text(crypto::generate_key_pair(desk.random).public_key);
    auto e = desk.service->enroll(req, /*from_loopback=*/true);
    REQUIRE(e.ok());
    auto caller = desk.service->authenticate(e.value().device_token);
    REQUIRE(caller.ok());
    REQUIRE(caller.value().device_key == req.public_key);
    return KeyedDevice{Person{caller.value(), e.value().device_token, std::make_unique<HybridClock>(e.value().node)},
                       req.public_key};
}

SealedPush sealed_push(KeyedDevice& d, Batch batch) {
    SealedPush push{d.person.token, d.key, ++d.counter, {}};
    push.request.batches.emplace_back(std::move(batch));
    return push;
}

// Every answer of a committer, collected across threads.
struct Answers {
    std::mutex mutex;
    std::condition_variable arrived;
    std::vector<Result<PushResult>> got;
    PushCommitter::Answer collector() {
        return [this](Result<PushResult> r) {
            std::lock_guard lock(mutex);
            got.push_back(std::move(r));
            arrived.notify_all();
        };
    }
    void wait_for(std::size_t n) {
        std::unique_lock lock(mutex);
        REQUIRE(arrived.wait_for(lock, std::chrono::seconds(60), [&] { return got.size() >= n; }));
    }
};

}  // namespace

TEST_CASE("a group of sealed pushes is one transaction, each push answered as if it came alone") {
    Desk desk({}, "group");
    KeyedDevice rita = enrol_keyed(desk, "Rita"), sam = enrol_keyed(desk, "Sam");
    EntityId rita_ticket, sam_ticket, later_ticket, stray_ticket;
    std::vector<SealedPush> group;
    group.push_back(sealed_push(rita, desk.new_ticket(rita.person, rita_ticket)));             // 0 accepted
    group.push_back(sealed_push(sam, desk.new_ticket(sam.person, sam_ticket, "Printer jam"))); // 1 accepted
    SealedPush replayed = sealed_push(rita, desk.new_ticket(rita.person, stray_ticket));
    replayed.envelope_counter = 1;                                                              // 2 replayed
    group.push_back(std::move(replayed));
    SealedPush unknown = sealed_push(sam, desk.new_ticket(sam.person, stray_ticket));
    unknown.device_token = "not-a-token";                                                       // 3 unknown token
    group.push_back(std::move(unknown));
    SealedPush borrowed = sealed_push(sam, desk.new_ticket(sam.person, stray_ticket));
    borrowed.device_token = rita.person.token;                                                  // 4 Rita's token, Sam's key
    group.push_back(std::move(borrowed));
    group.push_back(sealed_push(rita, desk.new_ticket(rita.person, later_ticket, "Still")));   // 5 accepted
    const auto ops_before = desk.store->op_count().value();
    int woken = 0;
    desk.notifier.subscribe(rita.person.caller.user, false, desk.notifier.published(), [&] { ++woken; });

    auto answers = desk.service->push_sealed_group(group);
    REQUIRE(answers.size() == 6);
    for (std::size_t i : {0u, 1u, 5u}) {
        CAPTURE(i);
        REQUIRE(answers[i].ok());
        REQUIRE(answers[i].value().batches.size() == 1);
        CHECK(answers[i].value().batches[0].outcome == OpOutcome::accepted);
        CHECK(answers[i].value().high_water == desk.store->high_water().value());
    }
    REQUIRE_FALSE(answers[2].ok());
    CHECK(answers[2].error().code == "envelope_replayed");
    REQUIRE_FALSE(answers[3].ok());
    CHECK(answers[3].error().code == "unauthenticated");
    REQUIRE_FALSE(answers[4].ok());
    CHECK(answers[4].error().code == "unauthenticated");
    // In order: the later push's ops come after the earlier ones'.
    CHECK(answers[1].value().batches[0].ops.front().seq > answers[0].value().batches[0].ops.back().seq);
    CHECK(answers[5].value().batches[0].ops.front().seq > answers[1].value().batches[0].ops.back().seq);
    // Three tickets of four ops each landed (plus the server's numbering); nothing of the refused ones.
    CHECK(desk.store->op_count().value() >= ops_before + 12);
    CHECK(desk.store->ticket(rita_ticket).value().has_value());
    CHECK(desk.store->ticket(sam_ticket).value().has_value());
    CHECK(desk.store->ticket(later_ticket).value().has_value());
    CHECK_FALSE(desk.store->ticket(stray_ticket).value().has_value());
    // Counted and announced once, after the commit.
    CHECK(woken == 1);
    CHECK(desk.notifier.published() == desk.store->high_water().value());
    // The counters the group raised are stored: Rita's 3 (push 5), Sam's 3 (push 4 was sealed by his key).
    CHECK(desk.service->envelope_counter(rita.key).value() == 3);
    CHECK(desk.service->envelope_counter(sam.key).value() == 3);
    // What the network thread checks first (without waiting for a group): the highest seen.
    CHECK(desk.service->push_counter_seen(rita.key) == 3);
    CHECK(desk.service->push_counter_seen(sam.key) == 3);
    CHECK(desk.service->push_counter_seen("a key that never pushed") == 0);

    // The same group again (a device that never heard its answers): every counter is used now.
    auto again = desk.service->push_sealed_group(group);
    for (const auto& a : again) {
        REQUIRE_FALSE(a.ok());
        CHECK(a.error().code == "envelope_replayed");
    }
    // Sent again under fresh counters, the pushes are duplicates with the seqs they got.
    std::vector<SealedPush> resent;
    resent.push_back(std::move(group[0]));
    resent.back().envelope_counter = ++rita.counter;
    auto dup = desk.service->push_sealed_group(resent);
    REQUIRE(dup[0].ok());
    CHECK(dup[0].value().batches[0].outcome == OpOutcome::duplicate);
    CHECK(dup[0].value().batches[0].ops.front().seq == answers[0].value().batches[0].ops.front().seq);
}

TEST_CASE("a grouped push over the batch size limit is refused alone") {
    ServerConfig config;
    config.max_batch_ops = 4;
    Desk desk(config, "group-limit");
    KeyedDevice rita = enrol_keyed(desk, "Rita");
    EntityId big, small_ticket;
    Batch over = desk.new_ticket(rita.person, big);  // 4 ops, and one more
    auto extra = desk.builder(rita.person);
    extra.set(EntityKind::ticket, big, Field::ticket_urgency, std::string("high"));
    over.ops.push_back(extra.finish().ops.front());
    std::vector<SealedPush> group;
    group.push_back(sealed_push(rita, std::move(over)));
    group.push_back(sealed_push(rita, desk.new_ticket(rita.person, small_ticket)));
    auto answers = desk.service->push_sealed_group(group);
    REQUIRE_FALSE(answers[0].ok());
    CHECK(answers[0].error().code == "batch_too_large");
    REQUIRE(answers[1].ok());
    CHECK(answers[1].value().batches[0].outcome == OpOutcome::accepted);
    CHECK_FALSE(desk.store->ticket(big).value().has_value());
}

TEST_CASE("the committer answers every push from many threads once, in each device's order") {
    Desk desk({}, "committer");
    constexpr int kDevices = 4, kPushesEach = 25;
    std::vector<KeyedDevice> devices;
    std::vector<std::vector<SealedPush>> pushes(kDevices);
    for (int d = 0; d < kDevices; ++d) devices.push_back(enrol_keyed(desk, "Device " + std::to_string(d)));
    for (int d = 0; d < kDevices; ++d) {  // built before any thread starts: the desk's clock and random are not shared
        for (int i = 0; i < kPushesEach; ++i) {
            EntityId id;
            pushes[d].push_back(sealed_push(devices[d], desk.new_ticket(devices[d].person, id)));
        }
    }
    const auto ops_before = desk.store->op_count().value();
    Answers answers;
    {
        PushCommitter committer(*desk.service, desk.metrics);
        std::vector<std::thread> threads;
        for (int d = 0; d < kDevices; ++d) {
            threads.emplace_back([&, d] {
                for (auto& p : pushes[d]) committer.submit(std::move(p), answers.collector());
            });
        }
        for (auto& t : threads) t.join();
        answers.wait_for(kDevices * kPushesEach);
    }
    REQUIRE(answers.got.size() == kDevices * kPushesEach);
    for (const auto& a : answers.got) {
        REQUIRE(a.ok());  // in order per device: no counter was ever seen below the last
        CHECK(a.value().batches[0].outcome == OpOutcome::accepted);
    }
    CHECK(desk.store->op_count().value() >= ops_before + kDevices * kPushesEach * 4);
    const std::string text = desk.metrics.render(desk.service->gauges());
    CHECK(text.find("lifebuoy_push_group_pushes_total " + std::to_string(kDevices * kPushesEach) + "\n") !=
          std::string::npos);
}

TEST_CASE("stopping the committer stores what is queued, a push after that is answered unavailable") {
    Desk desk({}, "committer-stop");
    KeyedDevice rita = enrol_keyed(desk, "Rita");
    std::vector<SealedPush> pushes;
    std::vector<EntityId> tickets(30);
    for (auto& id : tickets) pushes.push_back(sealed_push(rita, desk.new_ticket(rita.person, id)));
    Answers answers;
    PushCommitter committer(*desk.service, desk.metrics);
    for (auto& p : pushes) committer.submit(std::move(p), answers.collector());
    committer.stop();  // returns once the queue is stored
    REQUIRE(answers.got.size() == tickets.size());
    for (const auto& a : answers.got) CHECK(a.ok());
    for (const auto& id : tickets) CHECK(desk.store->ticket(id).value().has_value());

    EntityId late;
    committer.submit(sealed_push(rita, desk.new_ticket(rita.person, late)), answers.collector());
    REQUIRE(answers.got.size() == tickets.size() + 1);
    REQUIRE_FALSE(answers.got.back().ok());
    CHECK(answers.got.back().error().code == "unavailable");
    CHECK_FALSE(desk.store->ticket(late).value().has_value());
}

namespace {

// The answer of one push in comparable form: its error code, or each op's outcome and seq.
std::string answer_text(const Result<PushResult>& answer) {
    if (!answer) return "error " + answer.error().code + " " + answer.error().message;
    std::string out;
    for (const BatchResult& b : answer.value().batches) {
        out += std::string(outcome_name(b.outcome)) + (b.error ? " " + b.error->code : "") + " [";
        for (const OpResult& op : b.ops) out += std::string(outcome_name(op.outcome)) + ":" + std::to_string(op.seq) + " ";
        out += "] ";
    }
    return out;
}

// Three people with keyed devices on a desk with the triage automation; every desk made the same
// way holds the same ids, tokens and keys (seeded random, fixed clock).
struct GroupWorld {
    explicit GroupWorld(const std::string& name) : desk(ServerConfig{}, name, test_triage_config()) {
        people.push_back(enrol_keyed(desk, "Rita"));
        people.push_back(enrol_keyed(desk, "Sam"));
        people.push_back(enrol_keyed(desk, "Tess", Role::technician));
    }
    Desk desk;
    std::vector<KeyedDevice> people;
};

}  // namespace

TEST_CASE("property: a group stores exactly what the same pushes store one by one") {
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        CAPTURE(seed);
        // The pushes are made on a third desk (same people, same ids) so that making them draws
        // nothing from the two desks under test.
        GroupWorld maker("group-maker"), grouped("group-grouped"), alone("group-alone");
        for (std::size_t i = 0; i < maker.people.size(); ++i) {
            REQUIRE(maker.people[i].person.token == grouped.people[i].person.token);
            REQUIRE(maker.people[i].person.token == alone.people[i].person.token);
        }
        // Its own random stream from here: ids the maker draws must not be the ones the desks under
        // test draw for their own ops (all three started from the same seed).
        maker.desk.random = SeededRandom{1000 + seed};
        std::mt19937 rng(seed);
        auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
        std::vector<std::vector<EntityId>> tickets(2);  // each requester's
        std::vector<SealedPush> pushes;
        for (int step = 0; step < 24; ++step) {
            const std::size_t who = pick(3);
            KeyedDevice& d = maker.people[who];
            Desk& m = maker.desk;
            const std::size_t action = pick(6);
            if (who < 2 && (action <= 1 || tickets[who].empty())) {  // a new ticket
                EntityId id;
                pushes.push_back(sealed_push(d, m.new_ticket(d.person, id, "Ticket " + std::to_string(step))));
                tickets[who].push_back(id);
            } else if (who < 2 && action == 2) {  // a comment on someone else's ticket: forbidden unless own
                const auto& theirs = tickets[1 - who].empty() ? tickets[who] : tickets[1 - who];
                pushes.push_back(sealed_push(d, m.comment(d.person, theirs[pick(theirs.size())], "public_reply", "me too")));
            } else if (action == 3 && !pushes.empty()) {  // an earlier push's envelope again: replayed
                SealedPush again = pushes[pick(pushes.size())];
                pushes.push_back(std::move(again));
            } else if (action == 4 && !pushes.empty()) {  // an earlier push resent under a fresh counter
                SealedPush again = pushes[pick(pushes.size())];
                KeyedDevice& sender = *std::find_if(maker.people.begin(), maker.people.end(),
                                                    [&](const KeyedDevice& k) { return k.key == again.device_key; });
                again.envelope_counter = ++sender.counter;
                pushes.push_back(std::move(again));
            } else {  // a comment, or (the technician) a status change, on any ticket
                std::vector<EntityId> all = tickets[0];
                all.insert(all.end(), tickets[1].begin(), tickets[1].end());
                if (all.empty()) continue;
                const EntityId& t = all[pick(all.size())];
                pushes.push_back(sealed_push(d, who == 2 && action == 5
                                                    ? m.set_field(d.person, t, Field::ticket_status, std::string("in_progress"))
                                                    : m.comment(d.person, t, "public_reply", "update " + std::to_string(step))));
            }
        }
        std::vector<SealedPush> group = pushes;
        auto grouped_answers = grouped.desk.service->push_sealed_group(group);
        std::vector<std::string> alone_answers;
        for (const SealedPush& p : pushes) {
            std::vector<SealedPush> one{p};
            alone_answers.push_back(answer_text(alone.desk.service->push_sealed_group(one)[0]));
        }
        REQUIRE(grouped_answers.size() == alone_answers.size());
        std::size_t refused = 0;
        for (std::size_t i = 0; i < pushes.size(); ++i) {
            CAPTURE(i);
            CHECK(answer_text(grouped_answers[i]) == alone_answers[i]);
            refused += grouped_answers[i] ? 0 : 1;
        }
        // The two logs hold the same ops, bodies and seqs alike (the server's own ops included).
        const auto grouped_log = grouped.desk.pull_all(grouped.people[2].person);
        const auto alone_log = alone.desk.pull_all(alone.people[2].person);
        REQUIRE(grouped_log.size() == alone_log.size());
        for (std::size_t i = 0; i < grouped_log.size(); ++i) CHECK(encode_op(grouped_log[i]) == encode_op(alone_log[i]));
        CHECK(grouped.desk.store->high_water().value() == alone.desk.store->high_water().value());
        CHECK(grouped.desk.service->envelope_counter(grouped.people[0].key).value() ==
              alone.desk.service->envelope_counter(alone.people[0].key).value());
        if (seed == 1) MESSAGE(pushes.size() << " pushes, " << refused << " refused whole, " << grouped_log.size() << " ops");
    }
}
