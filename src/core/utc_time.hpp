#pragma once
// ISO-8601 UTC timestamps for the store's provenance attributes and /runs rows.

#include <ctime>
#include <string>

namespace mechsweep {

inline std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace mechsweep
