// sim_device.h — one device of the convergence test: its own data folder (NativeFileSlots, the
// same durable files lifebuoy-cli uses), an engine opened on it, and a person using it — random
// user actions its role may take (requesters and guests file, reply, add detail to the
// description, set the site, withdraw; technicians reply, write internal notes, move tickets
// through the lifecycle, set impact, urgency and category, rewrite descriptions). Every action
// the engine answered "saved on this device" is recorded as acknowledged: it must end up on the
// server exactly once, or be shown as not accepted.
// Not here: the network and its faults (fault_network.h), the scenario (scenario.h).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/engine.h"
#include "engine/platform/native_file_slots.h"
#include "engine/platform/native_sync_driver.h"
#include "lifebuoy/random_source.h"

namespace lb::convergence {

enum class DeviceRole { requester, guest, technician };
const char* role_name(DeviceRole role);

// A user action the engine acknowledged (answered after COMMIT).
struct AckedAction {
    std::string kind;       // create_ticket, add_comment, update_ticket
    std::string entity_id;  // the ticket (create, update) or the comment (add_comment)
    std::string ticket_id;
    std::string text;  // the unique title or comment body ("" for updates)
    bool in_crashed_child = false;
};

// An answer the network holds back while the device waits for it (a slow reply).
struct HeldReply {
    engine::SyncRequest request;
    engine::HttpReply reply;
    std::uint64_t due_tick = 0;
};

struct ActionCounts {
    std::size_t acked = 0;            // saved on the device
    std::size_t refused_locally = 0;  // the engine's authorize_batch said no (e.g. a race with triage)
    std::map<std::string, std::size_t> refused_by_code;  // "action field: code"
    std::size_t nothing_to_do = 0;                       // e.g. a reply with no ticket to reply to
};

class SimDevice {
public:
    SimDevice(int index, DeviceRole role, std::string data_dir, std::uint64_t seed);
    ~SimDevice();

    Status open();  // engine on its files (after a crash: whatever the files say)
    void close();   // engine and files closed (a held reply is lost with it)
    bool is_open() const { return engine_ != nullptr; }
    engine::Engine& engine() { return *engine_; }

    Result<nlohmann::json> call(const std::string& cmd, nlohmann::json args = nlohmann::json::object());

    // One random user action allowed to the role; the acknowledged action, or nullopt.
    // `tag` makes titles and comment bodies unique across the run.
    std::optional<AckedAction> random_action(SeededRandom& rng, const std::string& tag, ActionCounts& counts);

    int index() const { return index_; }
    DeviceRole role() const { return role_; }
    const std::string& name() const { return name_; }
    const std::string& data_dir() const { return data_dir_; }
    std::string enroll_code;  // the invite (empty for a guest)

    std::vector<AckedAction> acked;
    std::optional<HeldReply> held;
    std::uint64_t requests_delivered = 0;  // requests of this device that reached the server

private:
    std::optional<AckedAction> file_ticket(SeededRandom& rng, const std::string& tag, ActionCounts& counts);
    std::optional<AckedAction> reply(SeededRandom& rng, const std::string& tag, bool internal, ActionCounts& counts);
    std::optional<AckedAction> update(SeededRandom& rng, const std::string& tag, ActionCounts& counts);
    std::optional<nlohmann::json> random_ticket(SeededRandom& rng, bool open_only);

    int index_;
    DeviceRole role_;
    std::string data_dir_;
    std::string name_;
    SeededRandom random_;  // the engine's ids and jitter
    std::unique_ptr<engine::NativeFileSlots> slots_;
    std::unique_ptr<engine::Engine> engine_;
    std::uint64_t next_request_id_ = 1;
};

}  // namespace lb::convergence
