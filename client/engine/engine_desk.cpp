// engine_desk.cpp — the desk-settings sync step (desk_settings.h): once a round, after the key
// steps, POST /api/v1/desk {"version": what this device holds}; the server answers the settings,
// or "unchanged". New settings change what the form offers (categories, sites) and the estimates.
// Not here: the settings themselves (desk_settings.cpp), the round's order (engine_sync.cpp).
#include "engine/engine.h"

namespace lb::engine {

using nlohmann::json;

std::optional<SyncRequest> Engine::next_desk_request() {
    if (!sync_.enrolled() || !desk_owed_) return std::nullopt;
    SyncRequest request;
    request.step = SyncStep::desk;
    request.method = "POST";
    request.path = "/api/v1/desk";
    request.body = json{{"version", desk_->version()}}.dump();
    request.bearer = sync_.device_token;
    return request;
}

Status Engine::on_desk_response(const json& body) {
    desk_owed_ = false;
    auto changed = desk_->apply(db_, body);
    if (!changed) return changed.error();
    if (changed.value()) {
        emit("desk_changed");     // the form's choices: categories, sites
        emit("tickets_changed");  // the estimates of tickets not triaged yet
    }
    return Ok{};
}

}  // namespace lb::engine
