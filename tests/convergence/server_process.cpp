// server_process.cpp — fork/exec of lifebuoy-server, its console log, SIGKILL and restart.
#include "server_process.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lb::convergence {
namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// fork + exec with stdout and stderr to `log_path`; returns the child's pid or -1.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log_path) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
    }
    ::execv(args[0], args.data());
    _exit(127);
}

void sleep_ms(int ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

ServerProcess::ServerProcess(std::string binary, std::string work_dir)
    : binary_(std::move(binary)), work_dir_(std::move(work_dir)) {
    data_dir_ = work_dir_ + "/server-data";
    web_root_ = work_dir_ + "/server-web";
    ::mkdir(web_root_.c_str(), 0700);
    std::ofstream(web_root_ + "/index.html") << "<!doctype html><title>convergence</title>\n";
}

ServerProcess::~ServerProcess() {
    stop();
}

Status ServerProcess::start() {
    reap();
    for (int attempt = 0; attempt < 50; ++attempt) {
        const std::string log = work_dir_ + "/server-" + std::to_string(++starts_) + ".log";
        pid_ = spawn({binary_, "--port", std::to_string(port_), "--data-dir", data_dir_, "--web-root", web_root_}, log);
        if (pid_ < 0) return make_error("server_start_failed", "cannot fork");
        killed_ = false;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (std::chrono::steady_clock::now() < give_up) {
            const std::string text = read_file(log);
            const std::size_t at = text.find("running: http://");
            if (at != std::string::npos && text.find("Ctrl+C", at) != std::string::npos) {
                const std::size_t colon = text.find(':', at + 16);
                port_ = static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)));
                return Ok{};
            }
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: the port may still be held
                pid_ = -1;
                if (port_ == 0) return make_error("server_start_failed", "lifebuoy-server exited:\n" + text);
                break;
            }
            sleep_ms(10);
        }
        if (pid_ > 0) {
            kill_now();
            reap();
            return make_error("server_start_failed", "lifebuoy-server did not start within 20 s (" + log + ")");
        }
        sleep_ms(100);
    }
    return make_error("server_start_failed", "lifebuoy-server could not listen on port " + std::to_string(port_));
}

void ServerProcess::kill_now() {
    if (pid_ > 0 && !killed_.exchange(true)) ::kill(pid_, SIGKILL);
}

void ServerProcess::kill_after(int delay_ms) {
    if (killer_.joinable()) killer_.join();
    killer_ = std::thread([this, delay_ms] {
        sleep_ms(delay_ms);
        kill_now();  // the pid stays ours until reap(): it can not be reused before
    });
}

void ServerProcess::reap() {
    if (killer_.joinable()) killer_.join();
    if (pid_ > 0 && killed_) {
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
}

void ServerProcess::stop() {
    if (killer_.joinable()) killer_.join();
    if (pid_ > 0 && !killed_) {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    reap();
}

Result<std::string> ServerProcess::invite(const std::string& role, const std::string& name) {
    const std::string log = work_dir_ + "/invite.log";
    pid_t pid = spawn({binary_, "invite", "--role", role, "--name", name, "--data-dir", data_dir_}, log);
    if (pid < 0) return make_error("invite_failed", "cannot fork");
    int status = 0;
    ::waitpid(pid, &status, 0);
    const std::string text = read_file(log);
    const std::size_t at = text.find("code: ");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || at == std::string::npos)
        return make_error("invite_failed", "lifebuoy-server invite failed:\n" + text);
    const std::size_t end = text.find_first_of(" \n", at + 6);
    return text.substr(at + 6, end - (at + 6));
}

}  // namespace lb::convergence
