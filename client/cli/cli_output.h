// cli_output.h — how lifebuoy-cli shows engine results to a person (plain text on stdout); with
// --json it prints the result object instead (cli_main.cpp), so scripts never parse this text.
// Not here: errors (cli_main.cpp prints them on stderr).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "engine/platform/native_sync_driver.h"

namespace lb::cli {

// "saved on this device", "sent, waiting for the help desk", "received as #1001", "not accepted: …"
std::string describe_sync_state(const nlohmann::json& sync);
// One line about a sync run: "synced" or "not synced: <why>".
std::string describe_sync_run(const engine::SyncRunReport& report);
// The report as JSON: {caught_up, exchanges, failures, error: {code, message}|null}.
nlohmann::json sync_run_json(const engine::SyncRunReport& report);

void print_ticket_list(const nlohmann::json& list);    // list_tickets result
void print_ticket(const nlohmann::json& ticket);       // get_ticket result
void print_sync_status(const nlohmann::json& status);  // sync_status result
void print_status(const nlohmann::json& status);       // status result
void print_desk(const nlohmann::json& desk);           // {sites: sites result, categories: categories result}

}  // namespace lb::cli
