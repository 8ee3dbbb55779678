// mechsweep: sweep economic mechanisms across MPI ranks into one HDF5 store.
//
//   mechsweep list [EXPERIMENT]
//   mechsweep plan CONFIG [--set key=value ...]
//   mpirun -np N mechsweep run CONFIG [--out FILE] [--set key=value ...] [--force] [--shard I/K]
//   mpirun -np N mechsweep resume FILE
//   mechsweep status FILE
//   mechsweep merge OUT SHARD.h5 [SHARD.h5 ...] [--force]
//   mechsweep submit CONFIG [--nodes N --ntasks-per-node M --time T --partition P --array K] [--dry-run]
//   mechsweep aggregate FILE [--by a,b] [--metric m ...] [--stat mean,ci,...] [--where c ...] [--csv OUT | --md]
//   mechsweep inspect FILE [--task K | --where c ...]
//   mechsweep plot FILE [--out-dir DIR]

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>

#include "cli/aggregate.hpp"
#include "cli/commands.hpp"
#include "cli/inspect.hpp"
#include "cli/merge.hpp"
#include "cli/plot.hpp"
#include "cli/submit.hpp"
#include "core/error.hpp"
#include "core/shard.hpp"
#include "core/version.hpp"
#include "runner/runner.hpp"

namespace {

using mechsweep::ExitStatus;
using mechsweep::runner::MasterRole;

const std::map<std::string, MasterRole> kMasterRoles{
    {"auto", MasterRole::automatic}, {"compute", MasterRole::compute}, {"schedule", MasterRole::schedule_only}};

int as_int(ExitStatus status) { return static_cast<int>(status); }

void add_master_role_option(CLI::App& command, MasterRole& role) {
  command.add_option("--master", role, "Rank 0 computes tasks too: auto (when ranks <= 4), compute or schedule")
      ->transform(CLI::CheckedTransformer(kMasterRoles));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mechsweep " + mechsweep::version() + ": parameter sweeps of economic mechanisms over MPI into HDF5"};
  app.require_subcommand(1);
  app.set_version_flag("--version", mechsweep::version() + " (" + mechsweep::git_commit() + ")");

  std::string list_only;
  auto* list = app.add_subcommand("list", "List the experiments, their parameters and result columns");
  list->add_option("experiment", list_only, "Show only this experiment");

  std::string config;
  std::vector<std::string> overrides;
  auto* plan = app.add_subcommand("plan", "Validate a config and show its tasks, axes and store size; runs nothing");
  plan->add_option("config", config, "YAML sweep config")->required();
  plan->add_option("--set", overrides, "Override a config key: dotted.key=yaml-value (repeatable)");

  mechsweep::runner::RunOptions run_options;
  auto* run = app.add_subcommand("run", "Run a sweep (under mpirun/srun, or as one process)");
  run->add_option("config", run_options.config, "YAML sweep config")->required();
  run->add_option("--out,-o", run_options.out, "Store to write (default: <config stem>.h5)");
  run->add_option("--set", run_options.overrides, "Override a config key: dotted.key=yaml-value (repeatable)");
  run->add_flag("--force", run_options.force, "Overwrite an existing store");
  run->add_flag("--quiet,-q", run_options.quiet, "No progress output");
  run->add_option("--shard", run_options.shard,
                  "Run only shard I of K (I/K, 0 <= I < K): the contiguous tasks [I*T/K, (I+1)*T/K); "
                  "`mechsweep merge` joins the shards' stores");
  add_master_role_option(*run, run_options.master_role);

  mechsweep::runner::ResumeOptions resume_options;
  auto* resume = app.add_subcommand("resume", "Finish an interrupted run; the config comes from the store");
  resume->add_option("store", resume_options.store, "Store of the interrupted run")->required();
  resume->add_flag("--quiet,-q", resume_options.quiet, "No progress output");
  add_master_role_option(*resume, resume_options.master_role);

  std::string status_store;
  auto* status = app.add_subcommand("status", "Show tasks done, failed and pending, and the run segments");
  status->add_option("store", status_store, "Store to inspect")->required();

  mechsweep::cli::MergeOptions merge_options;
  auto* merge = app.add_subcommand("merge", "Join the stores of one config's shards into one store (one process)");
  merge->add_option("out", merge_options.out, "Store to write")->required();
  merge->add_option("stores", merge_options.inputs, "Stores to join (the shards)")->required();
  merge->add_flag("--force", merge_options.force, "Overwrite an existing OUT");

  mechsweep::cli::SubmitOptions submit_options;
  auto* submit = app.add_subcommand("submit", "Write a SLURM batch script for a sweep and submit it with sbatch");
  mechsweep::cli::add_submit_options(*submit, submit_options);

  mechsweep::cli::AggregateOptions aggregate_options;
  auto* aggregate = app.add_subcommand(
      "aggregate", "Group a store's done tasks by columns and summarise metrics (mean with CI, std, quantiles...)");
  mechsweep::cli::add_aggregate_options(*aggregate, aggregate_options);

  mechsweep::cli::InspectOptions inspect_options;
  auto* inspect = app.add_subcommand("inspect", "Show one task, or the rows matching --where, parameters beside results");
  mechsweep::cli::add_inspect_options(*inspect, inspect_options);

  mechsweep::cli::PlotOptions plot_options;
  auto* plot = app.add_subcommand("plot", "Draw the store's experiment figures as PNGs (Python, matplotlib)");
  mechsweep::cli::add_plot_options(*plot, plot_options);

  // CLI11 would only say "A subcommand is required" for a misspelt command.
  if (argc > 1 && argv[1][0] != '-') {
    std::string known;
    bool found = false;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
      found = found || command->get_name() == argv[1];
      known += (known.empty() ? "" : ", ") + command->get_name();
    }
    if (!found) {
      std::fprintf(stderr, "mechsweep: error: unknown command '%s'; the commands are %s (see mechsweep --help)\n",
                   argv[1], known.c_str());
      return as_int(ExitStatus::bad_input);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : as_int(ExitStatus::bad_input);
  }

  try {
    if (list->parsed()) return as_int(mechsweep::cli::list_experiments(list_only));
    if (plan->parsed()) return as_int(mechsweep::cli::plan_sweep(config, overrides));
    if (status->parsed()) return as_int(mechsweep::cli::show_status(status_store));
    if (submit->parsed()) return as_int(mechsweep::cli::submit_sweep(submit_options));
    if (aggregate->parsed()) return as_int(mechsweep::cli::aggregate_store(aggregate_options));
    if (inspect->parsed()) return as_int(mechsweep::cli::inspect_store(inspect_options));
    if (plot->parsed()) return as_int(mechsweep::cli::plot_store(plot_options));
    if (merge->parsed()) return as_int(mechsweep::cli::merge_stores(merge_options, argc, argv));
    // Flags are checked before MPI starts (rank 0 checks the config itself).
    if (run->parsed() && !run_options.shard.empty()) (void)mechsweep::parse_shard(run_options.shard);
    mechsweep::runner::MpiSession mpi(argc, argv);
    try {
      return as_int(run->parsed() ? mechsweep::runner::run_sweep(run_options, mpi)
                                  : mechsweep::runner::resume_sweep(resume_options, mpi));
    } catch (const std::exception& e) {
      // Past the validation barrier every rank is inside collective work, so
      // one rank's failure has to take the others down with it.
      std::fprintf(stderr, "mechsweep: error on rank %d: %s\n", mpi.rank(), e.what());
      MPI_Abort(mpi.comm(), as_int(ExitStatus::runtime_error));
    }
  } catch (const mechsweep::Error& e) {
    std::fprintf(stderr, "mechsweep: error: %s\n", e.what());
    return as_int(e.status());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mechsweep: error: %s\n", e.what());
    return as_int(ExitStatus::runtime_error);
  }
  return 0;
}
