// engine_client.cpp — request/reply pairing for the UI ⇄ engine channel.
#include "commands/engine_client.h"

namespace lb::commands {

EngineClient::EngineClient(Transport transport, EventHandler on_event)
    : transport_(std::move(transport)), on_event_(std::move(on_event)) {}

void EngineClient::send(const std::string& cmd, nlohmann::json args, ReplyHandler on_reply) {
    Request request;
    request.id = next_id_++;
    request.cmd = cmd;
    request.args = std::move(args);
    pending_.emplace(request.id, std::move(on_reply));
    transport_(encode_request(request));
}

bool EngineClient::on_message(std::string_view encoded) {
    auto message = decode_engine_message(encoded);
    if (!message) return false;
    if (message.value().is_event) {
        if (on_event_) on_event_(message.value().event);
        return true;
    }
    const Response& response = message.value().response;
    auto it = pending_.find(response.id);
    if (it == pending_.end()) return false;
    ReplyHandler handler = std::move(it->second);
    pending_.erase(it);
    if (handler) handler(response);
    return true;
}

}  // namespace lb::commands
