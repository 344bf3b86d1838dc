// push_group_test.cpp — group commit of pushes: SyncService::push_sealed_group stores several
// devices' sealed pushes in one transaction, each answered as if it came alone (envelope counter,
// token, device key, size checked per push); PushCommitter's store thread answers every push
// submitted from many threads, exactly once, and stores what is queued when it stops.
// Not here: the HTTP side (tests/integration drive the real binary, whose pushes all go this way).
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "lifebuoy/crypto/keys.h"
#include "push_committer.h"
#include "server_test_support.h"

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

KeyedDevice enrol_keyed(Desk& desk, const std::string& name) {
    EnrollRequest req;
    req.guest = true;
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

TEST_CASE("stopping the committer stores what is queued; a push after that is answered unavailable") {
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
