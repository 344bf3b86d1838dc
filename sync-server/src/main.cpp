// main.cpp — lifebuoy-server's command line.
//
//   lifebuoy-server [serve] [--host H] [--port P] [--data-dir D] [--web-root W] [--config F] [--no-demo]
//   lifebuoy-server init    [--data-dir D] [--config F]      create the data folder, database, key
//   lifebuoy-server invite  --role technician|requester|admin [--name N] [--technician ID] [--data-dir D]
//   lifebuoy-server triage check [--file F | --data-dir D]   validate triage.json, print a summary
//   lifebuoy-server triage example                           print the demo triage.json
//   lifebuoy-server kb import FOLDER [--data-dir D]          load the knowledge base's articles
//   lifebuoy-server kb list | deflections [--data-dir D]     what is published; deflections per article
//   lifebuoy-server remove-technician NAME|USER_ID [--data-dir D]   off the help desk, devices signed out
//   lifebuoy-server list-devices [--data-dir D]              every device: id, owner, role, label, state
//   lifebuoy-server revoke-device DEVICE_ID [--data-dir D]   sign one device out (device_revoked)
//   lifebuoy-server user add (= invite) | list | disable WHO | enable WHO [--data-dir D]   people
//   lifebuoy-server device list | revoke DEVICE_ID [--data-dir D]   = list-devices, revoke-device
//   lifebuoy-server export [--out FILE] [--data-dir D]       ticket metadata as CSV (ticket_export.h)
//   lifebuoy-server backup FILE [--data-dir D]               online copy of the database + FILE.server.key
//
// Settings: defaults < config file < LIFEBUOY_* environment < flags (server_config.h).
// `serve` opens (creating on first run) the database in the data folder, serves the web bundle
// and the sync API and prints the portal's URL. First start with an empty data folder sets up a
// ready-to-try help desk — guest enrolment allowed from this machine, and a technician invite
// printed as a sign-in link, a triage.json with two sites and five technicians, and the web
// bundle's starter knowledge base (kb/articles.json, the set devices seed from) — unless --no-demo. The triage configuration (<data-dir>/triage.json) is validated before anything
// starts: a bad file stops the server with the line and member at fault. The escalation pass runs
// on the server's io_context every check_interval_seconds. SIGINT/SIGTERM stop it; every commit is
// durable.
// Not here: anything a test needs (it is all in lifebuoy_server_core).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "api_routes.h"
#include "demo_triage_config.h"
#include "desk_settings_document.h"
#include "http_server.h"
#include "kb_admin.h"
#include "lifebuoy/crypto/init.h"
#include "lifebuoy/triage/civil_time.h"
#include "lifebuoy/version.h"
#include "live_notifier.h"
#include "metrics.h"
#include "periodic_timer.h"
#include "rate_limiter.h"
#include "routes.h"
#include "server_config.h"
#include "server_identity.h"
#include "server_storage.h"
#include "sqlite_sync_store.h"
#include "sync_service.h"
#include "ticket_export.h"
#include "ticket_triage.h"
#include "triage_config_file.h"
#include "utc_text.h"
#include "wal_checkpointer.h"
#include "wal_write_buffer.h"

namespace {

int fail(const lb::Error& error) {
    std::fprintf(stderr, "lifebuoy-server: %s (%s)\n", error.message.c_str(), error.code.c_str());
    return 1;
}

std::uint64_t now_ms() {
    using namespace std::chrono;
    return static_cast<std::uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

int current_year() {
    const auto day = lb::triage::day_of_ms(static_cast<std::int64_t>(now_ms()));
    return lb::triage::civil_from_days(day).year;
}

// `lifebuoy-server triage check`: 0 when the file is valid (or missing: the defaults), 1 otherwise.
int check_triage_file(const std::filesystem::path& file) {
    auto loaded = lb::server::load_triage_config(file);
    if (!loaded) return fail(loaded.error());
    std::printf("%s: %s\n%s", file.string().c_str(),
                loaded.value().from_file ? "valid" : "missing, so the built-in defaults apply",
                lb::server::describe_triage_config(loaded.value().config).c_str());
    return 0;
}

std::string invite_link(const std::string& host, unsigned port, const lb::server::InviteCode& code) {
    const std::string shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host;
    return "http://" + shown + ":" + std::to_string(port) + "/#invite=" + code.display;
}

// A name a device chose, as one table cell: control characters (tabs, newlines) become spaces.
std::string cell(const std::string& text) {
    if (text.empty()) return "-";
    std::string out = text;
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
}

// `lifebuoy-server list-devices`: one line a device, tab-separated, with a header.
std::string device_table(const std::vector<lb::server::DeviceListing>& devices) {
    std::string out = "device_id\tuser\trole\tlabel\tplatform\tenrolled (UTC)\tstate\n";
    for (const auto& d : devices) {
        out += lb::to_hex(d.id) + "\t" + cell(d.display_name) + "\t" + std::string(lb::to_name(d.role)) + "\t" +
               cell(d.label) + "\t" + cell(d.platform) + "\t" +
               lb::server::utc_minute(d.created_at_ms) + "\t" + (d.revoked ? "revoked" : "active") + "\n";
    }
    out += std::to_string(devices.size()) + (devices.size() == 1 ? " device\n" : " devices\n");
    return out;
}

std::string user_table(const std::vector<lb::server::UserListing>& users) {
    std::string out = "user_id\trole\tname\tjoined (UTC)\tdevices (active/all)\tstate\n";
    for (const auto& u : users) {
        out += lb::to_hex(u.user.id) + "\t" + std::string(lb::to_name(u.user.role)) + "\t" + cell(u.user.display_name) +
               "\t" + lb::server::utc_minute(u.created_at_ms) + "\t" + std::to_string(u.active_devices) + "/" +
               std::to_string(u.devices) + "\t" +
               (u.disabled_at_ms ? "disabled " + lb::server::utc_minute(*u.disabled_at_ms) : std::string("active")) + "\n";
    }
    out += std::to_string(users.size()) + (users.size() == 1 ? " person\n" : " people\n");
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lifebuoy-server — the Lifebuoy IT help desk's sync server"};
    app.set_version_flag("--version", lb::kProductVersion);
    std::string config_file, host, data_dir, web_root, invite_role, invite_name, invite_technician, triage_file;
    int port = 0, io_threads = 0;
    bool no_demo = false;
    auto* serve = app.add_subcommand("serve", "Serve the portal and the sync API (the default)");
    auto* init = app.add_subcommand("init", "Create the data folder, database and server key, then exit");
    auto* invite = app.add_subcommand("invite", "Print a single-use invite code for a new person");
    auto* user_cmd = app.add_subcommand("user", "People: add (an invite), list, disable, enable");
    user_cmd->require_subcommand(1);
    auto* user_add = user_cmd->add_subcommand("add", "Print a single-use invite code for a new person (as `invite`)");
    for (CLI::App* cmd : {invite, user_add}) {
        cmd->add_option("--role", invite_role, "technician, requester or admin")
            ->required()
            ->check(CLI::IsMember({"technician", "requester", "admin"}));
        cmd->add_option("--name", invite_name, "The person's display name");
        cmd->add_option("--technician", invite_technician,
                        "Sign in as this technician of triage.json (its id), who receives assignments");
    }
    auto* user_list = user_cmd->add_subcommand("list", "List everyone: id, role, name, joined, devices, state");
    std::string user_who;
    auto* user_disable = user_cmd->add_subcommand(
        "disable", "Disable a person: every device of theirs is signed out; their sign-ins and invites are refused");
    auto* user_enable = user_cmd->add_subcommand("enable", "Let a disabled person enrol again (an invite or a sign-in)");
    for (CLI::App* cmd : {user_disable, user_enable})
        cmd->add_option("who", user_who, "Their display name, or their user id (user list)")->required();
    auto* device_cmd = app.add_subcommand("device", "Devices: list, revoke (as list-devices, revoke-device)");
    device_cmd->require_subcommand(1);
    auto* device_list = device_cmd->add_subcommand("list", "List every device (as list-devices)");
    auto* device_revoke = device_cmd->add_subcommand("revoke", "Sign one device out (as revoke-device)");
    std::string remove_who;
    auto* remove_cmd = app.add_subcommand(
        "remove-technician", "Take a technician or admin off the help desk: their devices are signed out and "
                             "the team key is replaced at the next help-desk device's sync");
    remove_cmd->add_option("who", remove_who, "Their display name, or their user id")->required();
    auto* list_devices_cmd = app.add_subcommand(
        "list-devices", "List every device: id, owner, role, label and platform, enrolled, signed out or not");
    std::string revoke_which;
    auto* revoke_cmd = app.add_subcommand(
        "revoke-device", "Sign one device out (a lost or replaced device): its next request is refused "
                         "(device_revoked); the person's other devices keep working");
    for (CLI::App* cmd : {revoke_cmd, device_revoke})
        cmd->add_option("device", revoke_which, "The device id as list-devices prints it (or its first 8+ digits)")
            ->required();
    std::string export_out, backup_file;
    auto* export_cmd = app.add_subcommand(
        "export", "Write every ticket's metadata as CSV (number, status, priority, people, site, SLA times; never "
                  "ticket text, which stays sealed)");
    export_cmd->add_option("--out", export_out, "The file to write (default: standard output)");
    auto* backup_cmd = app.add_subcommand(
        "backup", "Copy the database to FILE while the server may be running (consistent), and the server key to "
                  "FILE.server.key");
    backup_cmd->add_option("file", backup_file, "The backup file to create (never overwritten)")->required();
    auto* triage_cmd = app.add_subcommand("triage", "The triage configuration (<data-dir>/triage.json)");
    triage_cmd->require_subcommand(1);
    auto* triage_check = triage_cmd->add_subcommand("check", "Validate triage.json and print a summary");
    triage_check->add_option("--file", triage_file, "The file to check (default <data-dir>/triage.json)");
    triage_check->add_option("--data-dir", data_dir, "Folder holding triage.json (default ./data)");
    auto* triage_example = triage_cmd->add_subcommand("example", "Print the demo triage.json (a starting point)");
    std::string kb_folder;
    auto* kb_cmd = app.add_subcommand("kb", "The knowledge base: articles synced to every device, deflections");
    kb_cmd->require_subcommand(1);
    auto* kb_import = kb_cmd->add_subcommand(
        "import", "Load a folder of Markdown articles: changed ones get a new version, missing ones are retired");
    kb_import->add_option("folder", kb_folder, "Folder of *.md articles with front matter")->required();
    auto* kb_list = kb_cmd->add_subcommand("list", "List the articles with their versions");
    auto* kb_deflections = kb_cmd->add_subcommand("deflections", "Deflections (\"this solved my problem\") per article");
    for (CLI::App* cmd : {kb_import, kb_list, kb_deflections, remove_cmd, list_devices_cmd, revoke_cmd, export_cmd,
                          backup_cmd, user_list, user_disable, user_enable, device_list, device_revoke}) {
        cmd->add_option("--config", config_file, "JSON config file")->check(CLI::ExistingFile);
        cmd->add_option("--data-dir", data_dir, "Folder of the database (default ./data)");
    }
    for (CLI::App* cmd : {&app, serve, init, invite, user_add}) {
        cmd->add_option("--config", config_file, "JSON config file")->check(CLI::ExistingFile);
        cmd->add_option("--data-dir", data_dir, "Folder for the database (default ./data)");
        cmd->add_option("--host", host, "Address to listen on (default 127.0.0.1)");
        cmd->add_option("--port", port, "Port to listen on (default 8080; 0 picks a free one)")->check(CLI::Range(0, 65535));
    }
    for (CLI::App* cmd : {&app, serve}) {
        cmd->add_option("--web-root", web_root, "Folder holding the web bundle (default ./dist)");
        cmd->add_option("--io-threads", io_threads, "Network threads (default 1)")->check(CLI::Range(1, 64));
        cmd->add_flag("--no-demo", no_demo, "On first start, do not set up the ready-to-try help desk");
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
    auto given = [&](const char* flag) {
        std::size_t n = 0;
        for (CLI::App* cmd : {&app, serve, init, invite, triage_check, kb_import, kb_list, kb_deflections, remove_cmd,
                              list_devices_cmd, revoke_cmd, export_cmd, backup_cmd, user_add, user_list, user_disable,
                              user_enable, device_list, device_revoke})
            n += cmd->get_option_no_throw(flag) ? cmd->count(flag) : 0;
        return n > 0;
    };
    if (given("--host")) config.host = host;
    if (given("--port")) config.port = static_cast<std::uint16_t>(port);
    if (given("--data-dir")) config.data_dir = data_dir;
    if (given("--web-root")) config.web_root = web_root;
    if (given("--io-threads")) config.io_threads = io_threads;

    if (triage_example->parsed()) {
        std::fputs(lb::server::demo_triage_config_json(current_year()).c_str(), stdout);
        return 0;
    }
    const std::filesystem::path triage_path = std::filesystem::path(config.data_dir) / lb::server::kTriageConfigFileName;
    if (triage_check->parsed()) return check_triage_file(triage_file.empty() ? triage_path : std::filesystem::path(triage_file));

    if (auto s = lb::crypto::init(); !s) return fail(s.error());
    lb::crypto::SystemRandom random;
    const bool serving = !init->parsed() && !invite->parsed() && !kb_cmd->parsed() && !remove_cmd->parsed() &&
                         !list_devices_cmd->parsed() && !revoke_cmd->parsed() && !export_cmd->parsed() &&
                         !backup_cmd->parsed() && !user_cmd->parsed() && !device_cmd->parsed();
    if (serving) {  // an admin command opens the database for a moment: SQLite's own cache will do
        if (auto s = lb::server::ServerStorage::reserve_page_cache(); !s) return fail(s.error());
        // Every connection of the server (store thread, checkpointer) writes its WAL through it.
        if (auto s = lb::server::register_wal_write_buffer(/*make_default=*/true); !s) return fail(s.error());
    }
    auto storage = lb::server::ServerStorage::open(config.data_dir, static_cast<std::int64_t>(now_ms()));
    if (!storage) return fail(storage.error());
    const bool fresh = storage.value().created_now();
    auto key = lb::server::load_or_create_server_key(config.data_dir, random);
    if (!key) return fail(key.error());
    if (backup_cmd->parsed()) {  // before anything writes: the copy is the database as it stands
        const std::filesystem::path file = backup_file;
        const std::filesystem::path key_copy = file.string() + ".server.key";
        std::error_code ec;
        if (std::filesystem::exists(key_copy, ec))
            return fail(lb::make_error("backup_exists", key_copy.string() + " exists already: name a new file"));
        if (auto s = storage.value().backup_to(file); !s) return fail(s.error());
        std::filesystem::copy_file(std::filesystem::path(config.data_dir) / lb::server::kServerKeyFileName, key_copy, ec);
        if (!ec) std::filesystem::permissions(key_copy, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                              std::filesystem::perm_options::replace, ec);
        if (ec) return fail(lb::make_error("backup_failed", "the database is backed up in " + file.string() +
                                                                 ", but the server key could not be copied: " + ec.message()));
        std::printf("Backed up the help desk in %s:\n  database:   %s (%ju bytes; a consistent copy, taken online)\n"
                    "  server key: %s (secret: devices have pinned its public key)\n"
                    "To restore: stop the server, then put them back as %s/lifebuoy.db and %s/server.key (and "
                    "triage.json, if you changed it)\n",
                    config.data_dir.c_str(), file.c_str(), static_cast<std::uintmax_t>(std::filesystem::file_size(file, ec)),
                    key_copy.c_str(), config.data_dir.c_str(), config.data_dir.c_str());
        return 0;
    }
    if (fresh && serving && !no_demo) {  // the ready-to-try help desk prioritises and assigns out of the box
        if (auto s = lb::server::write_triage_config_if_missing(triage_path, lb::server::demo_triage_config_json(current_year()));
            !s)
            return fail(s.error());
    }
    auto triage_file_config = lb::server::load_triage_config(triage_path);
    if (!triage_file_config) return fail(triage_file_config.error());
    auto desk_settings = lb::server::desk_settings_document(triage_file_config.value());
    if (!desk_settings) return fail(desk_settings.error());
    lb::server::SqliteSyncStore store(storage.value().db());
    lb::server::LiveNotifier notifier;
    lb::server::Metrics metrics;
    lb::server::TicketTriage triage(triage_file_config.value().config, store, metrics);
    lb::server::SyncService service(store, config, now_ms, random, notifier, metrics,
                                    lb::crypto::public_key_to_text(key.value().public_key));
    service.attach_triage(&triage);
    if (auto s = service.start(); !s) return fail(s.error());
    const std::string key_id = lb::crypto::key_id_to_hex(lb::crypto::key_id_of(key.value().public_key));

    if (init->parsed()) {
        if (fresh) {
            if (auto s = service.set_guest_policy("off"); !s) return fail(s.error());
            std::printf("Created a new help desk in %s (database %s)\n", config.data_dir.c_str(),
                        storage.value().database_path().c_str());
        } else {
            std::printf("The help desk in %s already exists; nothing changed\n", config.data_dir.c_str());
        }
        std::printf("  server key id: %s\n  next: lifebuoy-server invite --role technician --name \"Your Name\"\n",
                    key_id.c_str());
        return 0;
    }
    if (kb_cmd->parsed()) {
        auto text = kb_import->parsed() ? lb::server::kb_import_command(service, kb_folder)
                    : kb_list->parsed() ? lb::server::kb_list_command(service)
                                        : lb::server::kb_deflections_command(service);
        if (!text) return fail(text.error());
        std::fputs(text.value().c_str(), stdout);
        return 0;
    }
    if (remove_cmd->parsed()) {
        auto removed = service.remove_from_help_desk(remove_who);
        if (!removed) return fail(removed.error());
        std::printf("%s (%s) is no longer on the help desk: their devices are signed out; the next technician's "
                    "device to sync replaces the team key, so tickets filed from then on are closed to them\n",
                    removed.value().display_name.c_str(), lb::to_hex(removed.value().id).c_str());
        return 0;
    }
    if (user_list->parsed()) {
        auto users = service.list_users();
        if (!users) return fail(users.error());
        std::fputs(user_table(users.value()).c_str(), stdout);
        return 0;
    }
    if (user_disable->parsed() || user_enable->parsed()) {
        const bool disable = user_disable->parsed();
        auto toggled = service.set_user_disabled(user_who, disable);
        if (!toggled) return fail(toggled.error());
        const auto& u = toggled.value().user;
        const std::string who = u.display_name + " (" + lb::to_hex(u.id) + ", " + std::string(lb::to_name(u.role)) + ")";
        if (toggled.value().already)
            std::printf("%s was already %s; nothing changed\n", who.c_str(), disable ? "disabled" : "enabled");
        else if (disable)
            std::printf("%s is disabled: every device of theirs is signed out, and their sign-ins and invites are "
                        "refused until `user enable`%s\n",
                        who.c_str(), lb::server::sees_everything(u.role) ? "; take them off triage.json's roster too" : "");
        else
            std::printf("%s is enabled: they can enrol again with a new invite or by signing in\n", who.c_str());
        return 0;
    }
    if (list_devices_cmd->parsed() || device_list->parsed()) {
        auto devices = service.list_devices();
        if (!devices) return fail(devices.error());
        std::fputs(device_table(devices.value()).c_str(), stdout);
        return 0;
    }
    if (revoke_cmd->parsed() || device_revoke->parsed()) {
        auto revoked = service.revoke_device(revoke_which);
        if (!revoked) return fail(revoked.error());
        const auto& d = revoked.value().device;
        std::printf(revoked.value().already ? "Device %s (%s, %s) was already signed out; nothing changed\n"
                                             : "Device %s (%s, %s) is signed out: its next request is refused "
                                               "(device_revoked); their other devices keep working\n",
                    lb::to_hex(d.id).c_str(), d.display_name.c_str(), std::string(lb::to_name(d.role)).c_str());
        return 0;
    }
    if (export_cmd->parsed()) {
        auto rows = service.export_tickets();
        if (!rows) return fail(rows.error());
        const std::string csv = lb::server::tickets_csv(rows.value());
        if (export_out.empty()) {
            std::fwrite(csv.data(), 1, csv.size(), stdout);
            return 0;
        }
        std::ofstream out(export_out, std::ios::binary | std::ios::trunc);
        out.write(csv.data(), static_cast<std::streamsize>(csv.size()));
        out.close();
        if (!out) return fail(lb::make_error("export_failed", "cannot write " + export_out));
        std::printf("Exported %zu tickets to %s\n", rows.value().size(), export_out.c_str());
        return 0;
    }
    if (invite->parsed() || user_add->parsed()) {
        std::optional<lb::EntityId> as_user;
        if (!invite_technician.empty()) {
            const auto* tech = triage.config().dispatch.technician(invite_technician);
            as_user = triage.roster_user(invite_technician);
            if (!tech || !as_user || invite_role != "technician")
                return fail(lb::make_error("bad_request", "--technician names a technician of " + triage_path.string() +
                                                              " and goes with --role technician"));
            if (invite_name.empty()) invite_name = tech->name;
        }
        auto code = service.create_invite(lb::role_from_name(invite_role), invite_name, as_user);
        if (!code) return fail(code.error());
        std::printf("Invite for a %s%s%s (single use, valid %d hours):\n  code: %s\n  link: %s\n",
                    invite_role.c_str(), invite_name.empty() ? "" : ", ", invite_name.c_str(), config.invite_ttl_hours,
                    code.value().display.c_str(),
                    invite_link(config.host, config.port, code.value()).c_str());
        return 0;
    }

    std::optional<lb::server::InviteCode> demo_invite;
    std::string demo_invite_name;
    if (fresh) {
        std::printf("Created a new help desk database in %s\n", storage.value().database_path().c_str());
        if (!no_demo) {
            if (auto s = service.set_guest_policy("loopback"); !s) return fail(s.error());
            // The sign-in link is the team lead's when the roster has one: their queue is not empty.
            const auto& lead = triage.config().dispatch.team_lead;
            const auto* lead_tech = triage.config().dispatch.technician(lead);
            auto code = service.create_invite(lb::Role::technician, lead_tech ? lead_tech->name : "Demo technician",
                                              triage.roster_user(lead));
            if (!code) return fail(code.error());
            demo_invite = code.value();
            demo_invite_name = lead_tech ? lead_tech->name + " (team lead)" : "a technician";
        } else if (auto s = service.set_guest_policy("off"); !s) {
            return fail(s.error());
        }
    }

    // The demo's knowledge base: the starter set devices also seed from, so both agree on versions
    // (also for a demo help desk created before the server kept articles).
    std::string starter_kb;
    if (!no_demo) {
        auto policy = service.guest_policy();
        auto articles = service.kb_articles();
        if (!articles) return fail(articles.error());
        if (fresh || (articles.value().empty() && policy && policy.value() == "loopback")) {
            auto imported = lb::server::import_starter_kb(service, config.web_root);
            if (imported) starter_kb = imported.value();
            else  // a broken bundle is a build problem: say so, but serve (devices still seed from it)
                std::fprintf(stderr, "lifebuoy-server: starter knowledge base not imported: %s (%s)\n",
                             imported.error().message.c_str(), imported.error().code.c_str());
        }
    }

    lb::server::ApiRoutes api(service, metrics, key.value().duplicate());
    lb::server::Router router(config, storage.value().schema_version(), &api, &metrics);
    lb::server::RateLimiter ip_limiter(config.rate_limit_per_ip_per_minute, config.rate_limit_ip_burst,
                                       lb::server::steady_now_ms);
    lb::server::RateLimiter device_limiter(config.rate_limit_per_device_per_minute, config.rate_limit_device_burst,
                                           lb::server::steady_now_ms);
    router.attach_ip_limiter(&ip_limiter);
    api.attach_device_limiter(&device_limiter);
    api.attach_desk_settings(&desk_settings.value());
    auto checkpointer = lb::server::WalCheckpointer::start(storage.value().db(), storage.value().database_path(), &metrics);
    if (!checkpointer) return fail(checkpointer.error());  // WAL checkpoints on their own thread
    lb::server::PushCommitter committer(service, metrics);  // pushes: group commit on a store thread
    api.attach_push_committer(&committer);
    lb::server::CallWorker calls;  // every call's storage work, off the network thread
    api.attach_call_worker(&calls);
    lb::server::HttpServer server(config, router, &metrics);
    auto bound = server.listen();
    if (!bound) return fail(bound.error());
    std::printf("Lifebuoy %s is running: http://%s:%u/\n", lb::kProductVersion, config.host.c_str(),
                static_cast<unsigned>(bound.value()));
    std::printf("  web bundle: %s   data: %s   (Ctrl+C stops)\n", config.web_root.c_str(), config.data_dir.c_str());
    const auto& triage_config = triage.config();
    std::printf("  triage: %s — %zu sites, %zu technicians, escalation checked every %lld s\n",
                triage_file_config.value().from_file ? triage_path.string().c_str() : "built-in defaults (no triage.json)",
                triage_config.sites.size(), triage_config.dispatch.technicians.size(),
                static_cast<long long>(triage_config.escalation.check_interval_seconds));
    auto limit_text = [](std::uint32_t per_minute, std::uint32_t burst) {
        return per_minute == 0 ? std::string("off")
                               : std::to_string(per_minute) + "/min (burst " + std::to_string(burst) + ")";
    };
    std::printf("  rate limits: per device %s, per IP address %s%s\n",
                limit_text(config.rate_limit_per_device_per_minute, config.rate_limit_device_burst).c_str(),
                limit_text(config.rate_limit_per_ip_per_minute, config.rate_limit_ip_burst).c_str(),
                config.rate_limit_exempt_loopback && config.rate_limit_per_ip_per_minute > 0 ? ", this machine exempt" : "");
    if (!starter_kb.empty()) {
        std::printf("  knowledge base: starter articles from %s/kb/articles.json — %s", config.web_root.c_str(),
                    starter_kb.substr(starter_kb.rfind("added ")).c_str());
    }
    if (demo_invite) {
        std::printf("  Ready to try: guests on this machine can file tickets from the portal.\n"
                    "  Technician sign-in as %s (single use): %s\n  (invite code %s; `lifebuoy-server invite --role "
                    "technician` makes more; start with --no-demo to skip this set-up)\n",
                    demo_invite_name.c_str(), invite_link(config.host, bound.value(), *demo_invite).c_str(),
                    demo_invite->display.c_str());
    }
    std::fflush(stdout);
    lb::server::PeriodicTimer escalation(
        server.io_context(), std::chrono::seconds(triage_config.escalation.check_interval_seconds), [&service, &calls] {
            calls.submit([&service] {
                auto pass = service.run_escalation_pass();
                if (!pass)
                    std::fprintf(stderr, "lifebuoy-server: escalation pass: %s (%s)\n", pass.error().message.c_str(),
                                 pass.error().code.c_str());
            });
        });
    escalation.start();
    server.run(/*handle_signals=*/true);
    escalation.stop();
    calls.stop();      // the running call finishes; queued ones are dropped (their sessions are gone)
    committer.stop();  // stores the pushes still queued (their answers are not sent: the devices retry)
    std::printf("lifebuoy-server stopped\n");
    return 0;
}
