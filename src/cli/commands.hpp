#pragma once
// The subcommands that need no MPI: list, plan, status. Each prints to stdout
// and returns the process exit status.

#include <filesystem>
#include <span>
#include <string>

#include "core/error.hpp"

namespace mechsweep::cli {

ExitStatus list_experiments(const std::string& only);
ExitStatus plan_sweep(const std::filesystem::path& config, std::span<const std::string> overrides);
ExitStatus show_status(const std::filesystem::path& store);

}  // namespace mechsweep::cli
