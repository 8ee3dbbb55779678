#pragma once
// mechsweep aggregate FILE --by a,b [--metric m ...] [--stat mean,ci,...]
//                          [--where COND ...] [--name N | --csv OUT | --md]
// A streaming group-by over a store: it reads the rows in blocks, keeps one
// running summary per cell (postprocess/group_stats.hpp), and counts the
// failed and pending tasks it skips. The table goes to /aggregates/<name> in
// the store (and is printed), or only to CSV or Markdown.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace mechsweep::cli {

struct AggregateOptions {
  std::filesystem::path store;
  std::vector<std::string> by;       // cell columns; none: one cell of every row
  std::vector<std::string> metrics;  // none: every scalar numeric result column
  std::vector<std::string> stats{"mean", "ci", "std", "count"};
  std::vector<std::string> where;
  double level = 0.95;
  std::string name;                  // default: the --by columns joined by '+', or "all"
  std::string csv;                   // a file, or "-" for stdout
  bool markdown = false;
  std::uint64_t block_rows = 1 << 16;
};

void add_aggregate_options(CLI::App& command, AggregateOptions& options);
ExitStatus aggregate_store(const AggregateOptions& options);

}  // namespace mechsweep::cli
