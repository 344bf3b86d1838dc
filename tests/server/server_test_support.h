// server_test_support.h — fixtures for the sync server suites: a seeded random source, a hand-set
// clock, and a SyncService (with the triage automation when given a triage config) over a fresh
// SQLite data folder with helpers to enrol people and build the batches of common actions (file a
// ticket, possibly filed offline earlier; comment; change status).
// Not here: assertions (each suite has its own).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <doctest/doctest.h>

#include "lifebuoy/crypto/sealed_text.h"
#include "lifebuoy/hlc.h"
#include "lifebuoy/wire.h"
#include "lifebuoy/op.h"
#include "lifebuoy/random_source.h"
#include "live_notifier.h"
#include "metrics.h"
#include "server_config.h"
#include "server_storage.h"
#include "sqlite_sync_store.h"
#include "sync_service.h"
#include "ticket_triage.h"

namespace lb::server::test {

using lb::SeededRandom;  // random_source.h

inline constexpr std::uint64_t kStartMs = 1'750'000'000'000;  // June 2025

// A data folder that removes itself.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name) {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("lifebuoy-server-test-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::remove_all(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

// One person's device: the caller the service authenticated, and its clock for building batches.
struct Person {
    Caller caller;
    std::string token;
    std::unique_ptr<HybridClock> clock;
};

class Desk {
public:
    explicit Desk(ServerConfig cfg = {}, const std::string& name = "desk",
                  std::optional<triage::TriageConfig> triage_cfg = std::nullopt)
        : dir(name), config(std::move(cfg)), triage_config(std::move(triage_cfg)) { open(); }

    // Closes and reopens everything on the same folder (a restart).
    void reopen() {
        service.reset();
        triage.reset();
        store.reset();
        storage.reset();
        open();
    }

    Person enrol(Role role, const std::string& name = "") {
        EnrollRequest req;
        if (role == Role::guest) {
            req.guest = true;
        } else {
            auto code = service->create_invite(role, name);
            REQUIRE(code.ok());
            req.invite = code.value().normalised;
        }
        auto e = service->enroll(req, /*from_loopback=*/true);
        REQUIRE(e.ok());
        auto caller = service->authenticate(e.value().device_token);
        REQUIRE(caller.ok());
        return Person{caller.value(), e.value().device_token, std::make_unique<HybridClock>(e.value().node)};
    }

    // Each action happens a little later than the one before (so last-writer-wins orders them as
    // a person would expect, without the devices having to pull first).
    BatchBuilder builder(Person& p) {
        now_ms += 10;
        return BatchBuilder(*p.clock, random, now_ms);
    }

    // A ticket filed by `p` for themself (at `filed_ms` on the device's clock when given: a device
    // that was offline then, pushing later).
    // Ticket text sealed as a device seals it (the server refuses plaintext): one key per ticket.
    std::map<EntityId, crypto::TicketKey> ticket_keys;
    Batch sealed(Batch batch) {
        for (Op& op : batch.ops) {
            auto* text = std::get_if<std::string>(&op.value);
            if (!text || !crypto::is_sealed_content_field(op.entity, op.field)) continue;
            EntityId ticket = op.entity_id;
            if (op.entity == EntityKind::comment)
                for (const Op& other : batch.ops)
                    if (other.entity_id == op.entity_id && other.field == Field::comment_ticket) ticket = std::get<Id128>(other.value);
            auto key = ticket_keys.find(ticket);
            if (key == ticket_keys.end()) key = ticket_keys.emplace(ticket, crypto::TicketKey::generate(random)).first;
            auto text_sealed = crypto::seal_text(key->second, {ticket, field_spec(op.field).name, op.op_id}, *text, random);
            REQUIRE(text_sealed.ok());
            op.value = std::move(text_sealed.value());
        }
        return batch;
    }

    Batch new_ticket(Person& p, EntityId& id, const std::string& title = "VPN drops",
                     std::optional<std::uint64_t> filed_ms = std::nullopt) {
        auto b = filed_ms ? BatchBuilder(*p.clock, random, *filed_ms) : builder(p);
        id = b.new_entity_id();
        b.set(EntityKind::ticket, id, Field::ticket_status, std::string("new"))
            .set(EntityKind::ticket, id, Field::ticket_requester, p.caller.user)
            .set(EntityKind::ticket, id, Field::ticket_title, title)
            .set(EntityKind::ticket, id, Field::ticket_channel, std::string("web"));
        return sealed(b.finish());
    }

    Batch comment(Person& p, const EntityId& ticket, const std::string& kind, const std::string& body) {
        auto b = builder(p);
        const EntityId id = b.new_entity_id();
        b.set(EntityKind::comment, id, Field::comment_ticket, ticket)
            .set(EntityKind::comment, id, Field::comment_kind, kind)
            .set(EntityKind::comment, id, Field::comment_author, p.caller.user)
            .set(EntityKind::comment, id, Field::comment_body, body);
        return sealed(b.finish());
    }

    Batch set_field(Person& p, const EntityId& ticket, Field field, Value value) {
        auto b = builder(p);
        b.set(EntityKind::ticket, ticket, field, std::move(value));
        return sealed(b.finish());
    }

    // Pushes one batch; returns its result.
    BatchResult push(const Person& p, Batch batch) {
        PushRequest req;
        req.batches.emplace_back(std::move(batch));
        auto r = service->push(p.caller, std::move(req));
        REQUIRE(r.ok());
        REQUIRE(r.value().batches.size() == 1);
        return r.value().batches[0];
    }

    // Every op visible to `p` after `cursor`, following pages.
    std::vector<Op> pull_all(const Person& p, std::int64_t cursor = 0) {
        std::vector<Op> out;
        for (;;) {
            auto page = service->pull(p.caller, PullRequest{cursor, std::nullopt, std::nullopt});
            REQUIRE(page.ok());
            for (const auto& body : page.value().bodies) {
                auto op = decode_op(body);
                REQUIRE(op.ok());
                out.push_back(std::move(op).value());
            }
            cursor = page.value().cursor;
            if (!page.value().more) return out;
        }
    }

    TempDir dir;
    ServerConfig config;
    std::optional<triage::TriageConfig> triage_config;  // set: the service runs the triage automation
    std::uint64_t now_ms = kStartMs;
    SeededRandom random{42};
    LiveNotifier notifier;
    Metrics metrics;
    std::optional<ServerStorage> storage;
    std::unique_ptr<SqliteSyncStore> store;
    std::unique_ptr<TicketTriage> triage;
    std::unique_ptr<SyncService> service;

private:
    void open() {
        auto s = ServerStorage::open(dir.path, static_cast<std::int64_t>(now_ms));
        REQUIRE(s.ok());
        storage.emplace(std::move(s).value());
        store = std::make_unique<SqliteSyncStore>(storage->db());
        service = std::make_unique<SyncService>(*store, config, [this] { return now_ms; }, random, notifier, metrics,
                                                "server-public-key");
        if (triage_config) {
            triage = std::make_unique<TicketTriage>(*triage_config, *store, metrics);
            service->attach_triage(triage.get());
        }
        REQUIRE(service->start().ok());
        REQUIRE(service->set_guest_policy("loopback").ok());
    }
};

}  // namespace lb::server::test
