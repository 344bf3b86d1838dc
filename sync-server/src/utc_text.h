// utc_text.h — milliseconds since the epoch as UTC text for people and files: the admin commands'
// listings ("YYYY-MM-DD HH:MM") and the CSV export ("YYYY-MM-DDTHH:MM:SSZ"). Pure; proleptic
// Gregorian calendar (triage/civil_time.h), times before 1970 included; milliseconds dropped.
#pragma once

#include <cstdint>
#include <string>

namespace lb::server {

// "YYYY-MM-DDTHH:MM:SSZ"
std::string utc_timestamp(std::int64_t ms);
// "YYYY-MM-DD HH:MM"
std::string utc_minute(std::int64_t ms);

}  // namespace lb::server
