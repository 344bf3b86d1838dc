// command_protocol.h — the versioned JSON messages between the UI module and the engine module.
//
//   request   {"v":1, "id":7, "cmd":"status", "args":{…}}
//   response  {"v":1, "id":7, "ok":true,  "result":{…}}
//             {"v":1, "id":7, "ok":false, "error":{"code":"unknown_command", "message":"…"}}
//   event     {"v":1, "event":"status_changed", "data":{…}}    (engine → UI, unsolicited)
//
// `id` pairs a response with its request; the engine answers every request exactly once.
// Decoding never throws: malformed input becomes an Error with code "bad_message".
// Not here: what each command does (client/engine/engine.h) or how bytes cross the Worker boundary
// (the platform layers).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lifebuoy/result.h"

namespace lb::commands {

inline constexpr std::size_t kMaxMessageBytes = 8 * 1024 * 1024;  // one command or reply

struct Request {
    std::uint64_t id = 0;
    std::string cmd;
    nlohmann::json args = nlohmann::json::object();
};

struct Response {
    std::uint64_t id = 0;
    bool ok = false;
    nlohmann::json result;  // when ok
    Error error;            // when !ok
};

struct Event {
    std::string name;
    nlohmann::json data = nlohmann::json::object();
};

std::string encode_request(const Request& request);
std::string encode_response(const Response& response);
std::string encode_event(const Event& event);

Result<Request> decode_request(std::string_view text);
// A message from the engine is either a response (has "id") or an event (has "event").
struct EngineMessage {
    bool is_event = false;
    Response response;
    Event event;
};
Result<EngineMessage> decode_engine_message(std::string_view text);

Response ok_response(std::uint64_t id, nlohmann::json result);
Response error_response(std::uint64_t id, std::string code, std::string message);

}  // namespace lb::commands
