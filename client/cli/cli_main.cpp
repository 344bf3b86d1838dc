// cli_main.cpp — lifebuoy-cli: the native Lifebuoy client on the command line, for people, scripts,
// integration tests and load generators. The same engine as the browser's, over a SQLite file.
//
//   lifebuoy-cli --data DIR [--server URL] [--json] [--offline] [--timeout S] COMMAND …
//     enroll --invite CODE [--name NAME]     sign this device in with an invite code
//     enroll --guest NAME EMAIL              or as a guest (where the help desk allows it)
//     enroll --sign-in NAME  < passphrase    or as yourself on another device (passphrase on stdin)
//     enroll --recover LINK                  or as a guest, with the recovery link of their first device
//     passphrase --sign-in-name NAME < passphrase   back up your key to sign in elsewhere
//     recovery-link                          a guest's recovery secret (the part after #recover=)
//     file --title T --description D [--category C] [--impact I] [--urgency U] [--site S] [--asset-tag A]
//          [--contact portal|email|phone] [--contact-detail NUMBER_OR_ADDRESS]
//     list [--status open|closed|STATUS] [--query Q] [--sort updated|created|number|priority] [--limit N] [--offset N]
//     show NUMBER|ID                         one ticket with its conversation
//     comment NUMBER|ID TEXT [--internal]    reply (technicians: --internal for an internal note)
//     update NUMBER|ID [--status S] [--urgency U] [--impact I] [--category C] [--title T] [--priority P --reason R] [--assignee USER_ID|none] …
//     sync                                   send and fetch until caught up (or --timeout)
//     status                                 the engine, storage and sync state (no network)
//     desk                                   the help desk's sites and categories (as last synced)
// Every action is saved on the device first (durably) and then sent in one best-effort sync pass;
// offline it stays saved and goes with the next run that reaches the server.
// Output: text for people; --json prints {"ok":true,"result":…} or {"ok":false,"error":{code,
// message}} on stdout. Exit codes: 0 done; 1 the engine refused (not_found, forbidden, …);
// 2 bad usage; 3 storage (data folder in use, disk full, …); 4 sync (server unreachable, enrolment
// refused, not caught up by the deadline).
// Not here: the engine (client/engine), HTTP and storage (client/engine/platform/native_*).
#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>
#include <CLI/CLI.hpp>

#include "cli_output.h"
#include "cli_session.h"
#include "lifebuoy/version.h"

namespace {

using lb::cli::CliSession;
using nlohmann::json;

enum ExitCode : int { kDone = 0, kRefused = 1, kUsage = 2, kStorage = 3, kSync = 4 };

bool g_json = false;

int exit_code_for(const std::string& code) {
    if (code == "bad_arguments" || code == "usage") return kUsage;
    if (code.rfind("storage", 0) == 0 || code == "quota_exceeded") return kStorage;
    if (code == "offline" || code == "deadline" || code == "not_enrolled" || code == "stopped" ||
        code == "enroll_failed" || code == "sync_blocked" || code == "unauthenticated")
        return kSync;
    return kRefused;
}

int fail(const lb::Error& error, int exit_code = -1) {
    if (g_json) {
        std::printf("%s\n",
                    json{{"ok", false}, {"error", {{"code", error.code}, {"message", error.message}}}}.dump(2).c_str());
    } else {
        std::fprintf(stderr, "lifebuoy-cli: %s (%s)\n", error.message.c_str(), error.code.c_str());
    }
    return exit_code >= 0 ? exit_code : exit_code_for(error.code);
}

int done(const json& result) {
    if (g_json) std::printf("%s\n", json{{"ok", true}, {"result", result}}.dump(2).c_str());
    return kDone;
}

// After a local action: a note about the sync pass (the action itself already succeeded).
void note_sync(const lb::engine::SyncRunReport& report) {
    if (!g_json && !report.caught_up) std::fprintf(stderr, "note: %s\n", lb::cli::describe_sync_run(report).c_str());
}

// "1042", "#1042" or a 32-hex-digit ticket id → the ticket id.
lb::Result<std::string> resolve_ticket(CliSession& session, std::string ref) {
    if (ref.size() == 32 && ref.find_first_not_of("0123456789abcdef") == std::string::npos) return ref;
    if (!ref.empty() && ref.front() == '#') ref.erase(0, 1);
    if (ref.empty() || ref.size() > 15 || ref.find_first_not_of("0123456789") != std::string::npos)
        return lb::make_error("bad_arguments", "a ticket is named by its number (1042) or its 32-hex-digit id");
    const std::int64_t number = std::stoll(ref);
    for (std::size_t offset = 0;; offset += 500) {
        auto page = session.call("list_tickets", {{"sort", "number"}, {"offset", offset}, {"limit", 500}});
        if (!page) return page.error();
        const json& rows = page.value()["rows"];
        for (const json& row : rows)
            if (row.value("number", json()).is_number_integer() && row["number"].get<std::int64_t>() == number)
                return row["id"].get<std::string>();
        if (rows.size() < 500) break;
    }
    return lb::make_error("not_found", "no ticket #" + ref + " on this device (sync first?)");
}

// One line from stdin (a passphrase: never an argument, which other users could see in `ps`).
std::string read_secret_line() {
    std::string line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar()) line.push_back(static_cast<char>(c));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string host_name() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "this computer";
    return name;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"lifebuoy-cli — the Lifebuoy IT help desk from the command line"};
    app.set_version_flag("--version", lb::kProductVersion);
    app.require_subcommand(1);
    app.footer(
        "Exit codes: 0 done; 1 the engine refused (not_found, forbidden, …); 2 bad usage; 3 storage (data folder in "
        "use, disk full); 4 sync (server unreachable, enrolment refused, not caught up in time).");
    app.fallthrough();
    lb::cli::CliOptions options;
    app.add_option("--data", options.data_dir, "This device's data folder (created if missing)")
        ->envname("LIFEBUOY_CLI_DATA")
        ->required();
    app.add_option(
        "--server", options.server,
        "The help desk, http://HOST:PORT (else $LIFEBUOY_SERVER, the enrolled one, or http://127.0.0.1:8080)");
    app.add_flag("--json", g_json, "Print results as JSON: {\"ok\":true,\"result\":…} or {\"ok\":false,\"error\":…}");
    app.add_flag("--offline", options.offline, "Do not contact the server (changes stay saved on this device)");
    app.add_option("--timeout", options.timeout_seconds, "Seconds a sync may take (default 15)")
        ->check(CLI::Range(1, 3600));

    auto* enroll = app.add_subcommand(
        "enroll", "Sign this device in: with an invite code, as a guest, with your passphrase, or a recovery link");
    std::string invite, display_name, sign_in_name, recovery;
    std::vector<std::string> guest;
    auto* invite_opt = enroll->add_option("--invite", invite, "The invite code from the help desk");
    auto* guest_opt = enroll->add_option("--guest", guest, "Continue as a guest: NAME EMAIL")->expected(2);
    auto* sign_in_opt = enroll->add_option("--sign-in", sign_in_name,
                                           "Another device of yours: your sign-in name (the passphrase is read from stdin)");
    auto* recover_opt = enroll->add_option("--recover", recovery, "A guest's recovery link (or the part after #recover=)");
    invite_opt->excludes(guest_opt)->excludes(sign_in_opt)->excludes(recover_opt);
    guest_opt->excludes(sign_in_opt)->excludes(recover_opt);
    sign_in_opt->excludes(recover_opt);
    enroll->add_option("--name", display_name, "Your name (with --invite)");

    auto* passphrase = app.add_subcommand(
        "passphrase", "Choose a sign-in name and passphrase (read from stdin) to sign in on your other devices");
    std::string new_sign_in_name;
    passphrase->add_option("--sign-in-name", new_sign_in_name, "The name to sign in with")->required();
    auto* recovery_link = app.add_subcommand("recovery-link", "A guest's recovery link secret (keep it private)");

    auto* file = app.add_subcommand("file", "File a new ticket");
    std::string title, description, category, impact, urgency = "medium", site, asset_tag, contact, contact_detail;
    file->add_option("--title", title, "A short summary")->required();
    file->add_option("--description", description, "What happened")->required();
    file->add_option("--category", category, "Category id (e.g. network, hardware)");
    file->add_option("--impact", impact, "high, medium or low (not for guests)");
    file->add_option("--urgency", urgency, "high, medium or low (default medium)");
    file->add_option("--site", site, "Where you are");
    file->add_option("--asset-tag", asset_tag, "The device's asset tag");
    file->add_option("--contact", contact, "How to hear back: portal (default), email or phone");
    file->add_option("--contact-detail", contact_detail, "The number to call, or the address to write to");

    auto* list = app.add_subcommand("list", "List the tickets on this device (after a sync pass)");
    std::string status_filter, query, sort = "updated";
    std::size_t limit = 50, offset = 0;
    list->add_option("--status", status_filter, "open, closed or one status");
    list->add_option("--query", query, "Text in the title or description");
    list->add_option("--sort", sort, "updated, created, number or priority");
    list->add_option("--limit", limit, "At most this many rows (≤ 500)");
    list->add_option("--offset", offset, "Skip this many rows");

    auto* show = app.add_subcommand("show", "Show one ticket and its conversation");
    std::string ticket_ref;
    show->add_option("ticket", ticket_ref, "Ticket number or id")->required();

    auto* comment = app.add_subcommand("comment", "Add a reply to a ticket");
    std::string comment_text;
    bool internal = false;
    comment->add_option("ticket", ticket_ref, "Ticket number or id")->required();
    comment->add_option("text", comment_text, "The reply")->required();
    comment->add_flag("--internal", internal, "An internal note (technicians only)");

    auto* update = app.add_subcommand("update", "Change fields of a ticket (what your role allows)");
    update->add_option("ticket", ticket_ref, "Ticket number or id")->required();
    std::string u_status, u_urgency, u_impact, u_category, u_title, u_description, u_site, u_asset, u_resolution,
        u_satisfaction, u_contact, u_contact_detail, u_priority, u_reason, u_assignee;
    update->add_option("--status", u_status, "new status (e.g. in_progress, resolved, closed)");
    update->add_option("--urgency", u_urgency, "high, medium or low");
    update->add_option("--impact", u_impact, "high, medium or low");
    update->add_option("--category", u_category, "category id");
    update->add_option("--title", u_title, "new title");
    update->add_option("--description", u_description, "new description");
    update->add_option("--site", u_site, "site");
    update->add_option("--asset-tag", u_asset, "asset tag");
    update->add_option("--contact", u_contact, "how to hear back: portal, email or phone");
    update->add_option("--contact-detail", u_contact_detail, "the number to call or the address (with --contact)");
    update->add_option("--resolution-note", u_resolution, "how it was solved (with --status resolved)");
    update->add_option("--satisfaction-comment", u_satisfaction, "the requester's words on the help desk's work");
    update->add_option("--priority", u_priority, "critical, high, medium, low or planning (help desk; with --reason)");
    update->add_option("--reason", u_reason, "why the priority changes (kept as an internal note)");
    update->add_option("--assignee", u_assignee, "a technician's user id, or none (help desk)");

    auto* sync = app.add_subcommand("sync", "Send what is waiting and fetch what changed, until caught up");
    auto* status = app.add_subcommand("status", "Engine, storage and sync state (no network)");
    auto* desk = app.add_subcommand("desk", "The help desk's sites and categories, as last synced (no network)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kUsage;
    }

    auto opened = CliSession::open(options);
    if (!opened) return fail(opened.error());
    CliSession& session = *opened.value();

    if (enroll->parsed()) {
        json args{{"device_label", "lifebuoy-cli on " + host_name()}, {"platform", "cli"}};
        if (!invite.empty()) {
            args["invite"] = invite;
            if (!display_name.empty()) args["display_name"] = display_name;
        } else if (guest.size() == 2) {
            args["guest"] = true;
            args["display_name"] = guest[0];
            args["email"] = guest[1];
        } else if (!sign_in_name.empty()) {
            args["sign_in"] = {{"name", sign_in_name}, {"passphrase", read_secret_line()}};
        } else if (!recovery.empty()) {
            const auto at = recovery.find("#recover=");
            args["recover"] = at == std::string::npos ? recovery : recovery.substr(at + 9);
        } else {
            return fail(lb::make_error("bad_arguments",
                                       "enroll needs --invite CODE, --guest NAME EMAIL, --sign-in NAME or --recover LINK"));
        }
        if (options.offline) return fail(lb::make_error("offline", "enrolment needs the server (drop --offline)"));
        auto started = session.call("enroll", args);
        if (!started) return fail(started.error());
        auto report = session.sync_until_caught_up();
        auto state = session.call("sync_status");
        if (!state) return fail(state.error());
        if (!state.value().value("enrolled", false)) {
            lb::Error why = report.error.value_or(lb::make_error("enroll_failed", "the device is not enrolled"));
            return fail(lb::make_error("enroll_failed", why.message + " (" + why.code + ")"), kSync);
        }
        if (auto s = session.remember_server(); !s) return fail(s.error());
        if (!g_json) {
            std::printf("Enrolled with %s as %s (user %s)\n", session.server().text().c_str(),
                        state.value().value("role", std::string()).c_str(),
                        state.value().value("user_id", std::string()).c_str());
            note_sync(report);
        }
        json result = state.value();
        result["sync_run"] = lb::cli::sync_run_json(report);
        return done(result);
    }

    if (passphrase->parsed()) {
        auto set = session.call("set_passphrase", {{"sign_in_name", new_sign_in_name}, {"passphrase", read_secret_line()}});
        if (!set) return fail(set.error());
        auto report = session.sync_until_caught_up();
        auto state = session.call("sync_status");
        if (!state) return fail(state.error());
        const json backup = state.value()["key_backup"]["passphrase"];
        if (!backup.is_object() || backup.value("state", "") != "stored") {
            const std::string why = backup.is_object() && backup.contains("message")
                                        ? backup.value("message", "") + " (" + backup.value("code", "") + ")"
                                        : "not stored on the server yet: it is sent at the next sync";
            return fail(lb::make_error("backup_not_stored", why), kSync);
        }
        if (!g_json)
            std::printf("Passphrase set: sign in on another device as \"%s\"\n", backup.value("sign_in_name", "").c_str());
        return done(backup);
    }

    if (recovery_link->parsed()) {
        auto link = session.call("recovery_link");
        if (!link) return fail(link.error());
        if (!g_json) std::printf("#recover=%s\n", link.value().value("secret", "").c_str());
        return done(link.value());
    }

    if (file->parsed()) {
        json args{{"title", title}, {"description", description}, {"urgency", urgency}};
        for (auto [name, value] : {std::pair{"category", &category}, std::pair{"impact", &impact},
                                   std::pair{"site", &site}, std::pair{"asset_tag", &asset_tag},
                                   std::pair{"contact", &contact}, std::pair{"contact_detail", &contact_detail}})
            if (!value->empty()) args[name] = *value;
        auto created = session.call("create_ticket", args);
        if (!created) return fail(created.error());
        const std::string id = created.value()["ticket_id"].get<std::string>();
        auto report = session.sync_once();
        auto shown = session.call("get_ticket", {{"id", id}});
        if (!shown) return fail(shown.error());
        const json& ticket = shown.value()["ticket"];
        if (!g_json) {
            std::printf("Ticket %s: %s\n", id.c_str(), lb::cli::describe_sync_state(ticket["sync"]).c_str());
            note_sync(report);
        }
        return done({{"ticket_id", id},
                     {"number", ticket["number"]},
                     {"sync", ticket["sync"]},
                     {"sync_run", lb::cli::sync_run_json(report)}});
    }

    if (list->parsed()) {
        auto report = session.sync_once();
        json filter = json::object();
        if (!status_filter.empty()) filter["status"] = status_filter;
        if (!query.empty()) filter["query"] = query;
        auto rows =
            session.call("list_tickets", {{"filter", filter}, {"sort", sort}, {"limit", limit}, {"offset", offset}});
        if (!rows) return fail(rows.error());
        if (!g_json) {
            lb::cli::print_ticket_list(rows.value());
            note_sync(report);
        }
        json result = rows.value();
        result["sync_run"] = lb::cli::sync_run_json(report);
        return done(result);
    }

    if (show->parsed() || comment->parsed() || update->parsed()) {
        auto report = session.sync_once();  // a ticket filed elsewhere may only now arrive
        auto id = resolve_ticket(session, ticket_ref);
        if (!id) return fail(id.error());
        if (comment->parsed()) {
            json args{{"ticket_id", id.value()},
                      {"body", comment_text},
                      {"kind", internal ? "internal_note" : "public_reply"}};
            auto added = session.call("add_comment", args);
            if (!added) return fail(added.error());
            report = session.sync_once();
            if (!g_json)
                std::printf("Comment %s saved on this device\n",
                            added.value()["comment_id"].get<std::string>().c_str());
        } else if (update->parsed()) {
            json fields = json::object();
            for (auto [name, value] : {std::pair{"status", &u_status}, std::pair{"urgency", &u_urgency},
                                       std::pair{"impact", &u_impact}, std::pair{"category", &u_category},
                                       std::pair{"title", &u_title}, std::pair{"description", &u_description},
                                       std::pair{"site", &u_site}, std::pair{"asset_tag", &u_asset},
                                       std::pair{"contact", &u_contact}, std::pair{"contact_detail", &u_contact_detail},
                                       std::pair{"resolution_note", &u_resolution},
                                       std::pair{"satisfaction_comment", &u_satisfaction}})
                if (!value->empty()) fields[name] = *value;
            if (!u_priority.empty()) fields["priority"] = u_priority;
            if (!u_assignee.empty()) fields["assignee"] = u_assignee == "none" ? json(nullptr) : json(u_assignee);
            if (fields.empty())
                return fail(lb::make_error("bad_arguments", "update needs at least one field to change"));
            json update_args{{"id", id.value()}, {"fields", fields}};
            if (!u_reason.empty()) update_args["reason"] = u_reason;
            auto updated = session.call("update_ticket", update_args);
            if (!updated) return fail(updated.error());
            report = session.sync_once();
        }
        auto shown = session.call("get_ticket", {{"id", id.value()}});
        if (!shown) return fail(shown.error());
        if (!g_json) {
            if (show->parsed())
                lb::cli::print_ticket(shown.value());
            else
                std::printf("Ticket %s: %s\n", id.value().c_str(),
                            lb::cli::describe_sync_state(shown.value()["ticket"]["sync"]).c_str());
            note_sync(report);
        }
        json result = shown.value();
        result["sync_run"] = lb::cli::sync_run_json(report);
        return done(result);
    }

    if (sync->parsed()) {
        auto report = session.sync_until_caught_up();
        auto state = session.call("sync_status");
        if (!state) return fail(state.error());
        if (!report.caught_up) return fail(report.error.value_or(lb::make_error("deadline", "not caught up")), kSync);
        if (!g_json) {
            std::printf("Synced with %s\n", session.server().text().c_str());
            lb::cli::print_sync_status(state.value());
        }
        json result = state.value();
        result["sync_run"] = lb::cli::sync_run_json(report);
        return done(result);
    }

    if (status->parsed()) {
        auto state = session.call("status");
        if (!state) return fail(state.error());
        auto detail = session.call("sync_status");
        if (detail) state.value()["sync"] = detail.value();
        state.value()["server"] = session.server().text();
        if (!g_json) {
            std::printf("server: %s\n", session.server().text().c_str());
            lb::cli::print_status(state.value());
        }
        return done(state.value());
    }
    if (desk->parsed()) {
        auto sites = session.call("sites");
        if (!sites) return fail(sites.error());
        auto categories = session.call("categories");
        if (!categories) return fail(categories.error());
        json result{{"sites", sites.value()}, {"categories", categories.value()}};
        if (!g_json) lb::cli::print_desk(result);
        return done(result);
    }
    return fail(lb::make_error("usage", "no command given (see --help)"), kUsage);
}
