// version.h — the product version and the protocol versions spoken between the parts.
#pragma once

namespace lb {

inline constexpr const char* kProductVersion = LIFEBUOY_VERSION;
// version of the JSON command messages between the UI and the engine (client/commands)
inline constexpr int kCommandProtocolVersion = 1;

}  // namespace lb
