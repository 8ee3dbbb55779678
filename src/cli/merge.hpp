#pragma once
// mechsweep merge OUT SHARD.h5 [SHARD.h5 ...] [--force]: joins stores of one
// config (typically the shards of `run --shard I/K`) into one store that is
// what a single `run` of the config would have written: identical /params,
// /results, /tasks/status, /tasks/error and /tasks/seed. Only /tasks/seconds,
// /tasks/rank (copied from the input that ran each task) and /runs (every
// input's segments in the order given, then one `merge` row) differ.
//
// Every task must be done or failed in some input; a task done in several
// inputs must have bit-identical results there. Otherwise nothing is written.
// OUT is written as OUT.partial and renamed at the end, so a merge that fails
// or is killed never leaves a partial OUT (nor touches an existing one).
//
// Runs as one process, without mpirun. Every check reads the inputs without
// MPI; only the writing initialises MPI, as a singleton, so that OUT is
// written by the same code as a `run` store.

#include <filesystem>
#include <vector>

#include "core/error.hpp"

namespace mechsweep::cli {

struct MergeOptions {
  std::filesystem::path out;
  std::vector<std::filesystem::path> inputs;
  bool force = false;
};

// `argc` and `argv` go to MPI_Init.
ExitStatus merge_stores(const MergeOptions& options, int& argc, char**& argv);

}  // namespace mechsweep::cli
