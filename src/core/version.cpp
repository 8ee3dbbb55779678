#include "core/version.hpp"

#include "mechsweep_build_info.hpp"

namespace mechsweep {
std::string version() { return MECHSWEEP_VERSION; }
std::string git_commit() { return MECHSWEEP_GIT_COMMIT; }
}  // namespace mechsweep
