// cli_session.cpp — opening the device (storage, engine, server URL), commands, sync passes.
#include "cli_session.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace lb::cli {

using nlohmann::json;

namespace {

std::string read_remembered_server(const std::string& data_dir) {
    std::ifstream in(data_dir + "/" + kServerUrlFile);
    std::string line;
    if (in && std::getline(in, line)) return line;
    return {};
}

}  // namespace

Result<std::unique_ptr<CliSession>> CliSession::open(const CliOptions& options) {
    std::unique_ptr<CliSession> session(new CliSession());
    session->options_ = options;
    std::string url = options.server;
    if (url.empty()) {
        if (const char* env = std::getenv("LIFEBUOY_SERVER"); env && *env) url = env;
    }
    if (url.empty()) url = read_remembered_server(options.data_dir);
    if (url.empty()) url = kDefaultServerUrl;
    auto parsed = engine::parse_server_url(url);
    if (!parsed) return parsed.error();
    engine::HttpClientLimits limits;
    limits.timeout = std::chrono::seconds(options.timeout_seconds > 0 ? options.timeout_seconds : 1);
    session->http_ = std::make_unique<engine::NativeHttpClient>(std::move(parsed.value()), limits);

    auto slots = engine::NativeFileSlots::open(options.data_dir);
    if (!slots) return slots.error();
    session->slots_ = std::move(slots.value());
    engine::EngineEnvironment env;
    env.storage = session->slots_.get();
    env.storage_note = "SQLite file in " + options.data_dir;
    env.now_ms = engine::system_sync_clock().now_ms;
    auto opened = engine::Engine::open(std::move(env));
    if (!opened) return opened.error();
    session->engine_ = std::move(opened.value());
    return session;
}

CliSession::~CliSession() {
    engine_.reset();  // closes the database before its files
    slots_.reset();
}

Result<json> CliSession::call(const std::string& cmd, json args) {
    const json request{{"v", 1}, {"id", next_id_++}, {"cmd", cmd}, {"args", std::move(args)}};
    const json response = json::parse(engine_->handle_message(request.dump()), nullptr, false);
    if (!response.is_object()) return make_error("engine_error", "the engine's answer does not decode");
    if (response.value("ok", false)) return response.value("result", json::object());
    const json error = response.value("error", json::object());
    return make_error(error.value("code", std::string("engine_error")), error.value("message", std::string()));
}

engine::SyncRunReport CliSession::run(bool stop_at_first_failure) {
    if (options_.offline) {
        engine::SyncRunReport report;
        report.error = make_error("offline", "not synced (--offline)");
        return report;
    }
    const engine::SyncClock clock = engine::system_sync_clock();
    engine_->sync_wake(clock.now_ms());
    engine::SyncRunOptions run_options;
    run_options.deadline_ms = clock.now_ms() + std::int64_t{options_.timeout_seconds} * 1000;
    run_options.stop_at_first_failure = stop_at_first_failure;
    return engine::run_sync(*engine_, *http_, clock, run_options);
}

engine::SyncRunReport CliSession::sync_once() {
    return run(true);
}
engine::SyncRunReport CliSession::sync_until_caught_up() {
    return run(false);
}

Status CliSession::remember_server() {
    const std::string path = options_.data_dir + "/" + kServerUrlFile;
    std::ofstream out(path, std::ios::trunc);
    out << http_->server().text() << "\n";
    out.flush();
    if (!out) return make_error("storage_error", "cannot write " + path);
    return Ok{};
}

}  // namespace lb::cli
