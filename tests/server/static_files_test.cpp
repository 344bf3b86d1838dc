// static_files_test.cpp — web bundle serving: path safety, MIME types, encodings, routes.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "routes.h"
#include "server_config.h"
#include "static_files.h"

using namespace lb::server;

TEST_CASE("request paths resolve inside the web root or fail with a typed error") {
    CHECK(resolve_request_path("/").value() == "index.html");
    CHECK(resolve_request_path("/ui.wasm?v=3").value() == "ui.wasm");
    CHECK(resolve_request_path("/fonts/lifebuoy-sans.ttf").value() == "fonts/lifebuoy-sans.ttf");
    CHECK(resolve_request_path("/fonts/").value() == "fonts/index.html");
    CHECK(resolve_request_path("//a///b").value() == "a/b");
    CHECK(resolve_request_path("/%7euser").value() == "~user");
    for (const char* bad : {"", "relative", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/.env", "/a%2fb",
                            "/a\\b", "/a%00b", "/%zz", "/%4"}) {
        CAPTURE(bad);
        auto r = resolve_request_path(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "bad_path");
    }
    CHECK_FALSE(resolve_request_path("/" + std::string(kMaxRequestPathBytes, 'a')).ok());
}

TEST_CASE("MIME types include application/wasm and sensible defaults") {
    CHECK(mime_type_for("ui.wasm") == "application/wasm");
    CHECK(mime_type_for("index.html") == "text/html; charset=utf-8");
    CHECK(mime_type_for("engine-worker.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type_for("manifest.webmanifest") == "application/manifest+json");
    CHECK(mime_type_for("fonts/a.ttf") == "font/ttf");
    CHECK(mime_type_for("blob.bin") == "application/octet-stream");
}

TEST_CASE("encoding negotiation prefers brotli, honours q=0, falls back to identity") {
    CHECK(pick_encoding("gzip, deflate, br", true, true) == Encoding::Brotli);
    CHECK(pick_encoding("gzip, deflate", true, true) == Encoding::Gzip);
    CHECK(pick_encoding("br;q=0, gzip", true, true) == Encoding::Gzip);
    CHECK(pick_encoding("br;q=0.5", true, true) == Encoding::Brotli);
    CHECK(pick_encoding("", true, true) == Encoding::Identity);
    CHECK(pick_encoding("br", false, true) == Encoding::Identity);
    CHECK(pick_encoding("brotli-ish, xgzip", true, true) == Encoding::Identity);
}

TEST_CASE("the router serves health, files with ETags, 304s, precompressed variants and typed errors") {
    auto root = std::filesystem::temp_directory_path() / "lifebuoy-routes-test";
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
    std::ofstream(root / "index.html") << "<!doctype html>";
    std::ofstream(root / "ui.wasm") << "wasm";
    std::ofstream(root / "ui.wasm.br") << "br";
    ServerConfig config;
    config.web_root = root.string();
    Router router(config, 1);

    Reply health = router.handle({"GET", "/healthz", "", ""});
    CHECK(health.status == 200);
    CHECK(health.body.find("\"status\":\"ok\"") != std::string::npos);

    Reply page = router.handle({"GET", "/", "", ""});
    CHECK(page.status == 200);
    CHECK(page.file == root / "index.html");
    std::string etag;
    for (auto& [k, v] : page.headers) if (k == "ETag") etag = v;
    REQUIRE_FALSE(etag.empty());
    CHECK(router.handle({"GET", "/", "", etag}).status == 304);

    Reply wasm = router.handle({"GET", "/ui.wasm", "gzip, br", ""});
    CHECK(wasm.file == root / "ui.wasm.br");
    bool has_br = false, has_type = false;
    for (auto& [k, v] : wasm.headers) {
        has_br = has_br || (k == "Content-Encoding" && v == "br");
        has_type = has_type || (k == "Content-Type" && v == "application/wasm");
    }
    CHECK(has_br);
    CHECK(has_type);

    CHECK(router.handle({"GET", "/missing.js", "", ""}).status == 404);
    CHECK(router.handle({"GET", "/../secret", "", ""}).status == 400);
    CHECK(router.handle({"POST", "/", "", ""}).status == 405);
    CHECK(router.handle({"GET", "/api/v1/nothing", "", ""}).status == 404);
    std::filesystem::remove_all(root);
}

TEST_CASE("the example config in assets/ loads and equals the built-in defaults") {
    std::ifstream in(LB_SOURCE_DIR "/assets/config/server.example.json");
    REQUIRE(in.good());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ServerConfig loaded;
    loaded.port = 1;  // every field must be set by the file
    loaded.host.clear();
    REQUIRE(apply_config_file(loaded, text).ok());
    ServerConfig defaults;
    CHECK(loaded.host == defaults.host);
    CHECK(loaded.port == defaults.port);
    CHECK(loaded.data_dir == defaults.data_dir);
    CHECK(loaded.web_root == defaults.web_root);
    CHECK(loaded.io_threads == defaults.io_threads);
    CHECK(loaded.max_request_body_bytes == defaults.max_request_body_bytes);
    CHECK(loaded.max_header_bytes == defaults.max_header_bytes);
    CHECK(loaded.request_timeout_seconds == defaults.request_timeout_seconds);
    CHECK(loaded.max_connections == defaults.max_connections);
    CHECK(loaded.max_push_batches == defaults.max_push_batches);
    CHECK(loaded.max_batch_ops == defaults.max_batch_ops);
    CHECK(loaded.max_pull_ops == defaults.max_pull_ops);
    CHECK(loaded.max_pull_bytes == defaults.max_pull_bytes);
    CHECK(loaded.max_long_poll_seconds == defaults.max_long_poll_seconds);
    CHECK(loaded.storage_wait_seconds == defaults.storage_wait_seconds);
    CHECK(loaded.invite_ttl_hours == defaults.invite_ttl_hours);
    CHECK(loaded.guest_enrolment == defaults.guest_enrolment);
    CHECK(loaded.rate_limit_per_ip_per_minute == defaults.rate_limit_per_ip_per_minute);
    CHECK(loaded.rate_limit_ip_burst == defaults.rate_limit_ip_burst);
    CHECK(loaded.rate_limit_per_device_per_minute == defaults.rate_limit_per_device_per_minute);
    CHECK(loaded.rate_limit_device_burst == defaults.rate_limit_device_burst);
    CHECK(loaded.rate_limit_exempt_loopback == defaults.rate_limit_exempt_loopback);
    // Every key of the file is a setting, and every setting is in the file.
    CHECK(std::count(text.begin(), text.end(), ':') == 22);
}

TEST_CASE("config files and the environment override defaults, with typed errors") {
    ServerConfig c;
    CHECK(apply_config_file(c, R"({"port": 9090, "host": "0.0.0.0", "io_threads": 2})").ok());
    CHECK(c.port == 9090);
    CHECK(c.host == "0.0.0.0");
    CHECK(c.io_threads == 2);
    CHECK(apply_config_file(c, R"({"prot": 1})").error().code == "bad_config");
    CHECK_FALSE(apply_config_file(c, R"({"port": 70000})").ok());
    CHECK_FALSE(apply_config_file(c, R"({"port": "80"})").ok());
    CHECK_FALSE(apply_config_file(c, "[1,2]").ok());
    CHECK(apply_config_file(c, R"({"max_pull_ops": 10, "guest_enrolment": "on"})").ok());
    CHECK(c.max_pull_ops == 10);
    CHECK(c.guest_enrolment == "on");
    CHECK_FALSE(apply_config_file(c, R"({"guest_enrolment": "maybe"})").ok());
    CHECK_FALSE(apply_config_file(c, R"({"max_batch_ops": 513})").ok());  // never above the wire limit
    CHECK(apply_config_file(c, R"({"rate_limit_per_device_per_minute": 0, "rate_limit_ip_burst": 5,
                                   "rate_limit_exempt_loopback": false})").ok());
    CHECK(c.rate_limit_per_device_per_minute == 0);  // 0: that limit is off
    CHECK(c.rate_limit_ip_burst == 5);
    CHECK_FALSE(c.rate_limit_exempt_loopback);
    CHECK_FALSE(apply_config_file(c, R"({"rate_limit_device_burst": 0})").ok());
    CHECK_FALSE(apply_config_file(c, R"({"rate_limit_exempt_loopback": "yes"})").ok());

    static const char* port_value = "8181";
    auto env = [](const char* name) -> const char* { return std::string(name) == "LIFEBUOY_PORT" ? port_value : nullptr; };
    CHECK(apply_environment(c, env).ok());
    CHECK(c.port == 8181);
    port_value = "99999";
    CHECK_FALSE(apply_environment(c, env).ok());
}
