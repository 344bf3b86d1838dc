// scenario.cpp — set-up, the seeded schedule of ticks, client crashes in forked children, server
// kills, and the summary.
#include "scenario.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "convergence_checks.h"

namespace lb::convergence {

using nlohmann::json;

namespace {

// The test command's bound: the quick schedule stops here even if ticks remain (checks follow).
constexpr int kQuickScheduleSeconds = 60;

std::int64_t wall_ms() {
    return engine::system_sync_clock().now_ms();
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

void write_line(int fd, const std::string& line) {
    std::string text = line + "\n";
    const char* at = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, at, left);
        if (n <= 0) return;
        at += n;
        left -= static_cast<std::size_t>(n);
    }
}

std::string read_all(int fd) {
    std::string out;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

// In a forked child: open the device's files, work, report acknowledged actions; the parent
// SIGKILLs it at a random moment. Never returns.
[[noreturn]] void crashing_child(const SimDevice& parent_view, std::uint64_t child_seed, const std::string& tag,
                                 const std::string& server_url, int report_fd) {
    SeededRandom rng(child_seed);
    SimDevice device(parent_view.index(), parent_view.role(), parent_view.data_dir(), child_seed ^ 0x5bd1e995u);
    if (!device.open()) _exit(3);
    write_line(report_fd, "open");
    auto url = engine::parse_server_url(server_url);
    if (!url) _exit(4);
    engine::NativeHttpClient http(url.value());  // its own io_context: nothing shared with the parent
    ActionCounts counts;
    for (int k = 0; k < 6; ++k) {
        if (auto acked = device.random_action(rng, tag + "-k" + std::to_string(k), counts)) {
            write_line(report_fd, json{{"kind", acked->kind},
                                       {"entity", acked->entity_id},
                                       {"ticket", acked->ticket_id},
                                       {"text", acked->text}}
                                      .dump());
        }
        if (rng.pick(2) == 0) {
            device.engine().sync_wake(wall_ms());
            if (auto request = device.engine().sync_next_request(wall_ms())) {
                engine::HttpReply reply = http.exchange(*request);
                (void)device.engine().sync_on_response(*request, reply.status, reply.body, wall_ms());
            }
        }
    }
    write_line(report_fd, "done");
    _exit(0);
}

}  // namespace

Scenario::Scenario(ScenarioOptions options) : options_(std::move(options)), rng_(options_.seed) {}

Scenario::~Scenario() {
    device_ptrs_.clear();
    devices_.clear();
    if (server_) server_->stop();
}

std::string Scenario::tag() {
    return "s" + std::to_string(options_.seed) + "-t" + std::to_string(tick_);
}

Status Scenario::set_up() {
    char pattern[] = "/tmp/lifebuoy-convergence-XXXXXX";
    if (!::mkdtemp(pattern)) return make_error("setup_failed", "cannot create a work folder");
    work_dir_ = pattern;
    server_ = std::make_unique<ServerProcess>(options_.server_binary, work_dir_);
    if (auto s = server_->start(); !s) return s;
    auto url = engine::parse_server_url(server_->url());
    if (!url) return url.error();
    engine::HttpClientLimits limits;
    limits.timeout = std::chrono::seconds(10);
    http_ = std::make_unique<engine::NativeHttpClient>(url.value(), limits);
    network_ = std::make_unique<FaultNetwork>(*http_, rng_);

    int index = 0;
    auto add = [&](DeviceRole role) -> Status {
        const std::string dir = work_dir_ + "/device-" + std::to_string(index);
        auto device =
            std::make_unique<SimDevice>(index, role, dir, options_.seed * 1000003u + static_cast<std::uint64_t>(index));
        json args{{"display_name", device->name()}, {"device_label", "convergence"}, {"platform", "native"}};
        if (role == DeviceRole::guest) {
            args["guest"] = true;
            args["email"] = device->name() + "@example.com";
        } else {
            auto code = server_->invite(role == DeviceRole::technician ? "technician" : "requester", device->name());
            if (!code) return code.error();
            args["invite"] = code.value();
        }
        if (auto s = device->open(); !s) return s;
        if (auto r = device->call("enroll", args); !r) return r.error();
        device_ptrs_.push_back(device.get());
        devices_.push_back(std::move(device));
        ++index;
        return Ok{};
    };
    for (int i = 0; i < options_.technicians; ++i)
        if (auto s = add(DeviceRole::technician); !s) return s;
    for (int i = 0; i < options_.requesters; ++i)
        if (auto s = add(DeviceRole::requester); !s) return s;
    for (int i = 0; i < options_.guests; ++i)
        if (auto s = add(DeviceRole::guest); !s) return s;
    auto auditor = server_->invite("technician", "auditor");
    if (!auditor) return auditor.error();
    auditor_invite_ = auditor.value();
    return Ok{};
}

Status Scenario::kill_server() {
    ++server_kills_;
    server_down_ = true;
    // Often while the next exchanges are in flight; sometimes at once.
    if (rng_.pick(3) == 0)
        server_->kill_now();
    else
        server_->kill_after(static_cast<int>(rng_.pick(40)));
    restart_at_tick_ = tick_ + 10 + rng_.pick(120);
    if (options_.verbose) std::printf("tick %llu: server SIGKILL\n", static_cast<unsigned long long>(tick_));
    return Ok{};
}

Status Scenario::crash_device(SimDevice& device) {
    ++crash_stats_.crashes;
    if (device.held) ++crash_stats_.held_replies_lost;  // the answer it waited for dies with it
    device.close();
    int fds[2];
    if (::pipe(fds) != 0) return make_error("crash_failed", "pipe failed");
    const std::uint64_t child_seed = options_.seed * 7919u + crash_stats_.crashes * 104729u;
    const std::string child_tag = tag() + "-crash" + std::to_string(crash_stats_.crashes);
    const bool wait_until_open = rng_.pick(5) != 0;
    const int kill_delay_us = static_cast<int>(rng_.pick(wait_until_open ? 80'000 : 3'000));
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) return make_error("crash_failed", "fork failed");
    if (pid == 0) {
        ::close(fds[0]);
        crashing_child(device, child_seed, child_tag, server_->url(), fds[1]);
    }
    ::close(fds[1]);
    std::string reported;
    if (wait_until_open) {  // read "open\n" first, so the kill lands in the work
        char c = 0;
        while (::read(fds[0], &c, 1) == 1) {
            reported.push_back(c);
            if (c == '\n') break;
        }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(kill_delay_us));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    reported += read_all(fds[0]);
    ::close(fds[0]);

    bool opened = false, finished = false;
    std::size_t start = 0;
    while (start < reported.size()) {
        std::size_t end = reported.find('\n', start);
        if (end == std::string::npos) break;  // a line cut by the kill: never acknowledged
        const std::string line = reported.substr(start, end - start);
        start = end + 1;
        if (line == "open") {
            opened = true;
            continue;
        }
        if (line == "done") {
            finished = true;
            continue;
        }
        json ack = json::parse(line, nullptr, false);
        if (!ack.is_object()) continue;
        AckedAction action{ack.value("kind", std::string()), ack.value("entity", std::string()),
                           ack.value("ticket", std::string()), ack.value("text", std::string()), true};
        ++acked_by_kind_[action.kind];
        ++crash_stats_.child_acks;
        device.acked.push_back(std::move(action));
    }
    if (!opened)
        ++crash_stats_.killed_while_opening;
    else if (finished)
        ++crash_stats_.finished_before_kill;
    else
        ++crash_stats_.killed_while_working;
    if (auto s = device.open(); !s)
        return make_error("reopen_failed", device.name() + " does not open after a crash: " + s.error().message);
    if (options_.verbose)
        std::printf("tick %llu: %s crashed (%s)\n", static_cast<unsigned long long>(tick_), device.name().c_str(),
                    !opened    ? "while opening"
                    : finished ? "after finishing"
                               : "while working");
    return Ok{};
}

Status Scenario::one_tick() {
    ++tick_;
    if (auto s = network_->deliver_due(device_ptrs_, tick_); !s) return s;
    if (server_down_ && tick_ >= restart_at_tick_) {
        server_->reap();
        if (auto s = server_->start(); !s) return s;
        server_down_ = false;
    }
    const std::size_t roll = rng_.pick(1000);
    SimDevice& device = *devices_[rng_.pick(devices_.size())];
    if (roll < 280) {
        if (auto acked = device.random_action(rng_, tag(), action_counts_)) {
            ++acked_by_kind_[acked->kind];
            device.acked.push_back(std::move(*acked));
        }
    } else if (roll < 860) {
        auto stepped = network_->step(device, tick_);
        if (!stepped) return stepped.error();
        if (!stepped.value()) ++idle_steps_;
    } else if (roll < 1000 - static_cast<std::size_t>(options_.crash_permille + options_.server_kill_permille)) {
        device.engine().sync_wake(wall_ms());  // the live channel said "changed", or the network came back
        ++wakes_;
    } else if (roll < 1000 - static_cast<std::size_t>(options_.server_kill_permille)) {
        if (auto s = crash_device(device); !s) return s;
    } else if (!server_down_) {
        if (auto s = kill_server(); !s) return s;
    }
    return Ok{};
}

Status Scenario::run_schedule() {
    const auto soak_end = started_ + std::chrono::seconds(options_.soak_seconds);
    const auto quick_cut = started_ + std::chrono::seconds(kQuickScheduleSeconds);
    for (;;) {
        if (options_.soak_seconds > 0 ? std::chrono::steady_clock::now() >= soak_end : tick_ >= options_.ticks) break;
        if (options_.soak_seconds == 0 && std::chrono::steady_clock::now() >= quick_cut) {
            std::printf("quick mode: schedule cut at %d s after %llu of %llu ticks (a slow machine)\n",
                        kQuickScheduleSeconds, static_cast<unsigned long long>(tick_),
                        static_cast<unsigned long long>(options_.ticks));
            break;
        }
        if (auto s = one_tick(); !s) return s;
        if (options_.soak_seconds > 0 && tick_ % 5000 == 0)
            std::printf("soak: %llu ticks, %.0f s\n", static_cast<unsigned long long>(tick_), seconds_since(started_));
    }
    schedule_done_ = std::chrono::steady_clock::now();
    return Ok{};
}

ScenarioResult Scenario::run() {
    ScenarioResult result;
    started_ = std::chrono::steady_clock::now();
    std::printf("convergence: seed %llu (reproduce with --seed %llu)\n", static_cast<unsigned long long>(options_.seed),
                static_cast<unsigned long long>(options_.seed));
    std::fflush(stdout);
    auto fail_with = [&](const Error& e) { result.failures.push_back(e.code + ": " + e.message); };
    if (auto s = set_up(); !s) {
        fail_with(s.error());
    } else if (auto r = run_schedule(); !r) {
        fail_with(r.error());
    } else {
        ConvergenceChecks checks(*this);
        if (auto q = checks.quiesce(); !q)
            fail_with(q.error());
        else
            checks.check_all(result.failures);
    }
    result.passed = result.failures.empty();
    result.work_dir = work_dir_;
    print_summary(result);
    const bool keep = options_.keep_work_dir || !result.passed;
    device_ptrs_.clear();
    devices_.clear();
    if (server_) server_->stop();
    if (!keep && !work_dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(work_dir_, ec);
    }
    return result;
}

void Scenario::print_summary(const ScenarioResult& result) {
    const double total = seconds_since(started_);
    const NetworkStats& net = network_ ? network_->stats() : NetworkStats{};
    std::size_t faults = 0;
    for (const auto& [kind, n] : net.faults) faults += n;
    std::printf("\n== convergence summary (seed %llu) ==\n", static_cast<unsigned long long>(options_.seed));
    std::printf("devices: %d technician, %d requester, %d guest; ticks %llu; wall %.1f s (schedule %.1f s)\n",
                options_.technicians, options_.requesters, options_.guests, static_cast<unsigned long long>(tick_),
                total,
                std::chrono::duration<double>(schedule_done_ - started_).count() > 0
                    ? std::chrono::duration<double>(schedule_done_ - started_).count()
                    : 0.0);
    std::printf("user actions acknowledged: ");
    std::size_t acked = 0;
    for (const auto& [kind, n] : acked_by_kind_) {
        std::printf("%s %zu  ", kind.c_str(), n);
        acked += n;
    }
    std::printf("(total %zu; refused by the device %zu; nothing to do %zu)\n", acked, action_counts_.refused_locally,
                action_counts_.nothing_to_do);
    for (const auto& [why, n] : action_counts_.refused_by_code)
        std::printf("  refused by the device: %s %zu\n", why.c_str(), n);
    std::printf("sync exchanges answered: %zu; idle steps %zu; wake-ups %zu\n", net.exchanges, idle_steps_, wakes_);
    std::printf("faults injected: %zu —", faults);
    for (const auto& [kind, n] : net.faults) std::printf(" %s %zu", kind.c_str(), n);
    std::printf("; late requests reordered after newer ones %zu; held replies lost to a crash %zu; "
                "on enrol requests %zu\n",
                net.reordered, crash_stats_.held_replies_lost, net.enrolment_faults);
    std::printf("server: %zu SIGKILL + restart (%d starts)\n", server_kills_, server_ ? server_->starts() : 0);
    std::printf(
        "client crashes: %zu (killed while opening %zu, while working %zu, after finishing %zu); "
        "actions acknowledged in killed children %zu\n",
        crash_stats_.crashes, crash_stats_.killed_while_opening, crash_stats_.killed_while_working,
        crash_stats_.finished_before_kill, crash_stats_.child_acks);
    std::printf("server-acknowledged ops seen by devices: %zu; quiescence rounds %zu\n",
                network_ ? network_->acknowledged_ops().size() : 0, quiescence_rounds_);
    for (const auto& [name, n] : check_counts_) std::printf("  %s: %zu\n", name.c_str(), n);
    if (result.failures.empty()) {
        std::printf(
            "RESULT: PASS — identical state on every device and the server; no acknowledged op lost or doubled\n");
    } else {
        std::printf("RESULT: FAIL (%zu problems; work folder kept: %s)\n", result.failures.size(), work_dir_.c_str());
        std::size_t shown = 0;
        for (const std::string& f : result.failures) {
            if (++shown > 40) {
                std::printf("  … %zu more\n", result.failures.size() - 40);
                break;
            }
            std::printf("  - %s\n", f.c_str());
        }
    }
    std::fflush(stdout);
}

}  // namespace lb::convergence
