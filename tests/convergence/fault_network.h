// fault_network.h — the convergence test's network: each device's sync exchange goes to the real
// server over NativeHttpClient, through faults chosen by the scenario's seeded RNG:
//   drop_request    the request never reaches the server; the device sees no answer
//   drop_reply      the server handles it; the answer is lost (the device sees no answer)
//   duplicate       the request reaches the server twice; the device gets one of the answers
//   delay_reply     the server handles it; the answer arrives some ticks later, after other
//                   devices' exchanges (the device waits, as on a slow link)
//   late_request    the device gives up (no answer) while its request is still on the way; the
//                   server receives it some ticks later — typically after the device's retry
//                   and newer requests (reordered); that late answer goes nowhere
// Enrolment gets every fault too: the engine's enrol request carries its enrolment_id, so a retry
// after a lost answer, a duplicate or a late copy is the same enrolment to the server (the same
// user and device; of the tokens it hands out, the one the device uses first stays).
// Every push answer a device receives is read for the ops the server acknowledged (accepted or
// duplicate, with a seq): the final check finds each of them on the server exactly once.
// Not here: server kills (server_process.h) and client crashes (scenario.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/platform/native_http_client.h"
#include "lifebuoy/random_source.h"
#include "sim_device.h"

namespace lb::convergence {

struct NetworkStats {
    std::map<std::string, std::size_t> faults;  // by kind
    std::size_t exchanges = 0;                  // answers delivered to devices
    std::size_t reordered = 0;                  // late requests that reached the server after a newer one
    std::size_t enrolment_faults = 0;           // faults that hit an enrol request (counted in `faults` too)
};

class FaultNetwork {
public:
    FaultNetwork(engine::NativeHttpClient& http, SeededRandom& rng);

    bool faults_on = true;
    int fault_percent = 35;       // of exchanges that get a fault

    // Performs the device's next sync exchange, if it has one due (false otherwise). A storage
    // failure of the engine is returned as an error (a test failure).
    Result<bool> step(SimDevice& device, std::uint64_t tick);
    // Delivers held answers and late requests whose tick has come (all of them with `all`).
    Status deliver_due(std::vector<SimDevice*>& devices, std::uint64_t tick, bool all = false);

    const NetworkStats& stats() const { return stats_; }
    // Op ids (hex) the server acknowledged in an answer some device received, with the device.
    const std::map<std::string, int>& acknowledged_ops() const { return acked_ops_; }

private:
    struct LateRequest {
        int device;
        engine::SyncRequest request;
        std::uint64_t due_tick;
        std::uint64_t sent_before;  // the device's delivered-request count when it was captured
    };

    engine::HttpReply send(SimDevice& device, const engine::SyncRequest& request);
    Status deliver(SimDevice& device, const engine::SyncRequest& request, const engine::HttpReply& reply);
    void note_acknowledged(SimDevice& device, const engine::SyncRequest& request, const engine::HttpReply& reply);

    engine::NativeHttpClient& http_;
    SeededRandom& rng_;
    NetworkStats stats_;
    std::vector<LateRequest> late_;
    std::map<std::string, int> acked_ops_;
};

}  // namespace lb::convergence
