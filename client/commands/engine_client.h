// engine_client.h — the UI's side of the command channel to the engine.
//
// send() encodes a request and hands it to the transport (a Worker in the browser, a direct call
// in tests); the reply arrives later through on_message(), which runs the request's callback.
// Events from the engine go to the event handler. Nothing here blocks. Replies that never arrive
// are the transport's problem to report; pending() tells how many are outstanding.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "commands/command_protocol.h"

namespace lb::commands {

class EngineClient {
public:
    using Transport = std::function<void(const std::string& encoded_request)>;
    using ReplyHandler = std::function<void(const Response&)>;
    using EventHandler = std::function<void(const Event&)>;

    EngineClient(Transport transport, EventHandler on_event);

    void send(const std::string& cmd, nlohmann::json args, ReplyHandler on_reply);
    // Feeds one message from the engine. Returns false (and drops it) when it cannot be decoded.
    bool on_message(std::string_view encoded);
    std::size_t pending() const { return pending_.size(); }

private:
    Transport transport_;
    EventHandler on_event_;
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, ReplyHandler> pending_;
};

}  // namespace lb::commands
