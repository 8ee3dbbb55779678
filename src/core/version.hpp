#pragma once
#include <string>

namespace mechsweep {
std::string version();     // "0.1.0"
std::string git_commit();  // short hash, "-dirty" when built from a modified tree
}  // namespace mechsweep
