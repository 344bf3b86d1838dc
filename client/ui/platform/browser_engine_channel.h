// browser_engine_channel.h — the UI's end of the Worker that runs the engine module.
#pragma once

#include <functional>
#include <string>

namespace lb::ui::platform {

// Starts the engine Worker from `worker_url`; every message it posts goes to on_message.
// If the Worker fails to load, on_message receives an "engine_failed" event.
void start_engine_worker(const char* worker_url, std::function<void(const std::string&)> on_message);
void post_to_engine(const std::string& message);

}  // namespace lb::ui::platform
