// scenario.h — one convergence run: the real server, several native devices and a seeded schedule
// of user actions, sync exchanges through a faulty network, wake-ups, server SIGKILLs and
// restarts, and client crashes; then quiescence and the checks (convergence_checks.cpp).
//
// Client crash, what it models: the device's engine is closed in this process, a forked child
// opens the same files and works — several user actions, some sync exchanges with the real
// server — and is SIGKILLed after a random delay (sometimes before it even finished opening the
// database), so the kill lands inside SQLite transactions, between a push reaching the server and
// its answer being stored, or while the WAL is recovered. This is a process crash (a
// killed tab or app): writes the kernel already has survive it. A power cut (unflushed writes
// lost) is what memory_file_slots' crash() covers in the unit tests. The child reports each
// action the engine acknowledged over a pipe, so acknowledged work is held to the same "never
// lost" rule as the parent's.
// Reproducibility: the schedule (which device does what, which fault, when) comes from --seed;
// thread timing (where exactly a kill lands, backoff by the wall clock) does not replay exactly.
// Not here: the final checks (convergence_checks.h), argument parsing (convergence_main.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/platform/native_http_client.h"
#include "fault_network.h"
#include "server_process.h"
#include "sim_device.h"

namespace lb::convergence {

struct ScenarioOptions {
    std::uint64_t seed = 1;
    std::string server_binary;
    int requesters = 3;
    int guests = 1;
    int technicians = 1;
    std::uint64_t ticks = 2500;    // schedule length (quick mode)
    int soak_seconds = 0;          // > 0: run the schedule for this long instead of `ticks`
    int crash_permille = 3;        // per tick: a client crash
    int server_kill_permille = 2;  // per tick: a server SIGKILL
    bool keep_work_dir = false;
    bool verbose = false;
};

struct CrashStats {
    std::size_t crashes = 0;
    std::size_t killed_while_opening = 0;  // before the child said its engine was open
    std::size_t killed_while_working = 0;
    std::size_t finished_before_kill = 0;
    std::size_t child_acks = 0;         // actions acknowledged inside killed children
    std::size_t held_replies_lost = 0;  // answers the crashed device was waiting for
};

struct ScenarioResult {
    bool passed = false;
    std::vector<std::string> failures;
    std::string work_dir;
};

class Scenario {
public:
    explicit Scenario(ScenarioOptions options);
    ~Scenario();
    ScenarioResult run();

private:
    Status set_up();
    Status run_schedule();
    Status one_tick();
    Status crash_device(SimDevice& device);
    Status kill_server();
    void print_summary(const ScenarioResult& result);
    std::string tag();

    ScenarioOptions options_;
    std::string work_dir_;
    SeededRandom rng_;
    std::unique_ptr<ServerProcess> server_;
    std::unique_ptr<engine::NativeHttpClient> http_;
    std::unique_ptr<FaultNetwork> network_;
    std::vector<std::unique_ptr<SimDevice>> devices_;
    std::vector<SimDevice*> device_ptrs_;
    std::string auditor_invite_;

    std::uint64_t tick_ = 0;
    bool server_down_ = false;
    std::uint64_t restart_at_tick_ = 0;
    std::size_t server_kills_ = 0;
    std::size_t wakes_ = 0;
    std::size_t idle_steps_ = 0;
    std::map<std::string, std::size_t> acked_by_kind_;
    ActionCounts action_counts_;
    CrashStats crash_stats_;
    std::size_t quiescence_rounds_ = 0;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point schedule_done_;
    std::map<std::string, std::size_t> check_counts_;  // filled by the checks, printed in the summary

    friend class ConvergenceChecks;
};

}  // namespace lb::convergence
