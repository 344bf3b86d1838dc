// server_process.h — the real lifebuoy-server binary as a child process of the convergence test:
// started in a data folder (first on a free port, then always on that same port), killed with
// SIGKILL at any moment (also from a timer thread while requests are in flight), restarted on the
// same port and folder; invite codes made with its `invite` subcommand.
// Each start writes its console to <work>/server-<n>.log (kept when the test fails).
// Not here: HTTP (NativeHttpClient), what the server does.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include <sys/types.h>

#include "lifebuoy/result.h"

namespace lb::convergence {

class ServerProcess {
public:
    ServerProcess(std::string binary, std::string work_dir);
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    // Starts the server and waits (≤ 20 s) until it prints that it is running. The first start
    // picks a free port; later starts reuse it (retrying while the port is still held).
    Status start();
    // SIGKILL now, or after `delay_ms` from a timer thread (the caller keeps sending requests, so
    // the kill can land in the middle of one). reap() waits for the process either way.
    void kill_now();
    void kill_after(int delay_ms);
    void reap();
    void stop();  // SIGTERM, then wait
    bool running() const { return pid_ > 0 && !killed_; }

    // `lifebuoy-server invite --role ROLE --name NAME --data-dir D`: the code it prints.
    Result<std::string> invite(const std::string& role, const std::string& name);

    std::uint16_t port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& data_dir() const { return data_dir_; }
    int starts() const { return starts_; }

private:
    std::string binary_;
    std::string work_dir_;
    std::string data_dir_;
    std::string web_root_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    std::atomic<bool> killed_{false};
    std::thread killer_;
    int starts_ = 0;
};

}  // namespace lb::convergence
