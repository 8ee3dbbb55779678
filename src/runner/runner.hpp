#pragma once
// `mechsweep run` and `mechsweep resume`: rank 0 validates and owns the store
// lock, every rank opens the store, then rank 0 schedules tasks (and computes
// some itself when there are few ranks) while the workers compute and write.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "runner/mpi.hpp"
#include "store/store.hpp"
#include "sweep/plan.hpp"

namespace mechsweep::runner {

enum class MasterRole { automatic, compute, schedule_only };

struct RunOptions {
  std::filesystem::path config;
  std::filesystem::path out;  // empty: "<config stem>.h5" in the working directory
  std::vector<std::string> overrides;
  bool force = false;
  bool quiet = false;
  MasterRole master_role = MasterRole::automatic;
  std::string shard;  // "I/K": run only shard I of K (the store still holds the whole plan); empty: all tasks
};

struct ResumeOptions {
  std::filesystem::path store;
  bool quiet = false;
  MasterRole master_role = MasterRole::automatic;
};

// Both return the process exit status (same on every rank): ExitStatus::
// interrupted when SIGTERM, SIGUSR1 or SIGINT stopped the segment with tasks
// left, which `resume` then runs (a shard store resumes only its shard).
ExitStatus run_sweep(const RunOptions& options, MpiSession& mpi);
ExitStatus resume_sweep(const ResumeOptions& options, MpiSession& mpi);

// The store layout for a plan: /params columns, result columns with ragged
// offsets, and task seeds.
store::StoreLayout make_layout(const SweepPlan& plan);

}  // namespace mechsweep::runner
