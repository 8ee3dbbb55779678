#pragma once
// mechsweep inspect FILE [--task K | --where COND ...] [--columns a,b] [--limit N]
// Shows rows of a store with their parameters and results side by side: one
// task in full (ragged columns included), or a table of the rows that match.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace mechsweep::cli {

struct InspectOptions {
  std::filesystem::path store;
  std::optional<std::uint64_t> task;
  std::vector<std::string> where;
  std::vector<std::string> columns;  // none: every parameter and result, then status
  std::uint64_t limit = 20;          // rows shown; 0: all
};

void add_inspect_options(CLI::App& command, InspectOptions& options);
ExitStatus inspect_store(const InspectOptions& options);

}  // namespace mechsweep::cli
