#pragma once
// mechsweep submit: writes the SLURM batch script for a sweep and hands it to
// sbatch (or, with --dry-run, only prints it). The script runs the sweep with
// mpirun under the allocation, resumes the store when one exists (so a
// requeued job continues where it stopped), asks SLURM for SIGUSR1 shortly
// before the time limit, and requeues itself when the runner reports that a
// signal interrupted it (exit status 4). With --array K the sweep is split
// into K shards, one per array task, each with its own store; `mechsweep
// merge` joins them.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace mechsweep::cli {

struct SubmitOptions {
  std::filesystem::path config;
  std::filesystem::path out;            // store (default <config stem>.h5); shards: <stem>.shard-<i>-of-<K>.h5
  std::vector<std::string> overrides;   // --set key=value, passed through to `run`
  int nodes = 1;
  int ntasks_per_node = 0;              // 0: leave it to SLURM
  std::string time;                     // --time, SLURM syntax (e.g. 01:00:00); empty: partition default
  std::string partition;                // empty: default partition
  int array = 0;                        // K > 0: a job array of K shards
  std::string job_name;                 // default: mechsweep-<config stem>
  int signal_lead_seconds = 120;        // SIGUSR1 this long before the time limit
  std::filesystem::path script;         // where to write the batch script (default <store stem>.sbatch)
  bool dry_run = false;                 // print the script, submit nothing
};

void add_submit_options(CLI::App& command, SubmitOptions& options);
ExitStatus submit_sweep(const SubmitOptions& options);

}  // namespace mechsweep::cli
