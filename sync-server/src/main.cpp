// main.cpp — lifebuoy-server's command line.
//
//   lifebuoy-server [serve] [--host H] [--port P] [--data-dir D] [--web-root W] [--config F]
//
// Settings: defaults < config file < LIFEBUOY_* environment < flags (server_config.h).
// On start it opens (creating on first run) the database in the data folder, serves the web
// bundle and prints the portal's URL. SIGINT/SIGTERM stop it; every commit is already durable.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "http_server.h"
#include "lifebuoy/version.h"
#include "routes.h"
#include "server_config.h"
#include "server_storage.h"

namespace {

int fail(const lb::Error& error) {
    std::fprintf(stderr, "lifebuoy-server: %s (%s)\n", error.message.c_str(), error.code.c_str());
    return 1;
}

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lifebuoy-server — the Lifebuoy IT help desk's sync server"};
    app.set_version_flag("--version", lb::kProductVersion);
    std::string config_file, host, data_dir, web_root;
    int port = 0, io_threads = 0;
    auto* serve = app.add_subcommand("serve", "Serve the portal and the sync API (the default)");
    for (CLI::App* cmd : {&app, serve}) {
        cmd->add_option("--config", config_file, "JSON config file")->check(CLI::ExistingFile);
        cmd->add_option("--host", host, "Address to listen on (default 127.0.0.1)");
        cmd->add_option("--port", port, "Port to listen on (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
        cmd->add_option("--data-dir", data_dir, "Folder for the database (default ./data)");
        cmd->add_option("--web-root", web_root, "Folder holding the web bundle (default ./dist)");
        cmd->add_option("--io-threads", io_threads, "Network threads (default 1)")->check(CLI::Range(1, 64));
    }
    CLI11_PARSE(app, argc, argv);

    lb::server::ServerConfig config;
    if (!config_file.empty()) {
        std::ifstream in(config_file);
        std::stringstream text;
        text << in.rdbuf();
        if (auto s = lb::server::apply_config_file(config, text.str()); !s) return fail(s.error());
    }
    if (auto s = lb::server::apply_environment(config, [](const char* name) -> const char* { return std::getenv(name); }); !s)
        return fail(s.error());
    auto given = [&](const char* flag) { return app.count(flag) + serve->count(flag) > 0; };
    if (given("--host")) config.host = host;
    if (given("--port")) config.port = static_cast<std::uint16_t>(port);
    if (given("--data-dir")) config.data_dir = data_dir;
    if (given("--web-root")) config.web_root = web_root;
    if (given("--io-threads")) config.io_threads = io_threads;

    auto storage = lb::server::ServerStorage::open(config.data_dir, now_ms());
    if (!storage) return fail(storage.error());
    if (storage.value().created_now())
        std::printf("Created a new help desk database in %s\n", storage.value().database_path().c_str());

    lb::server::Router router(config, storage.value().schema_version());
    lb::server::HttpServer server(config, router);
    auto bound = server.listen();
    if (!bound) return fail(bound.error());
    std::printf("Lifebuoy %s is running: http://%s:%u/\n", lb::kProductVersion, config.host.c_str(),
                static_cast<unsigned>(bound.value()));
    std::printf("  web bundle: %s   data: %s   (Ctrl+C stops)\n", config.web_root.c_str(), config.data_dir.c_str());
    std::fflush(stdout);
    server.run(/*handle_signals=*/true);
    std::printf("lifebuoy-server stopped\n");
    return 0;
}
