#include "runner/runner.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include "core/utc_time.hpp"
#include "runner/executor.hpp"
#include "runner/messages.hpp"
#include "runner/progress.hpp"
#include "runner/scheduler.hpp"
#include "runner/signals.hpp"
#include "store/lock.hpp"
#include "sweep/config.hpp"

namespace mechsweep::runner {
namespace {

void print_error(const std::exception& e) { std::fprintf(stderr, "mechsweep: error: %s\n", e.what()); }

// What rank 0 learns over a segment, for the summary and /runs.
struct Tally {
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::vector<TaskReport> first_failures;
  int stop_signal = 0;  // the first stop signal of any rank, or 0

  void absorb(const std::vector<TaskReport>& reports, ChunkSizer& sizer) {
    for (const TaskReport& r : reports) {
      sizer.record(r.seconds);
      if (r.status == store::kDone) {
        ++done;
      } else {
        ++failed;
        if (first_failures.size() < 10) first_failures.push_back(r);
      }
    }
  }
};

bool master_computes(MasterRole role, int ranks) {
  switch (role) {
    case MasterRole::compute: return true;
    case MasterRole::schedule_only: return ranks == 1;
    case MasterRole::automatic: return ranks <= 4;  // on a few cores an idle master wastes a core
  }
  return true;
}

struct SegmentContext {
  const SweepPlan& plan;
  store::ResultStore& store;
  MpiSession& mpi;
  bool quiet;
  MasterRole role;
  std::optional<Shard> shard;  // the slice this store runs, if it is a shard
};

// The tasks a segment is about: the whole plan, or the store's shard.
std::uint64_t scope_first(const SegmentContext& ctx) { return ctx.shard ? ctx.shard->first(ctx.plan.task_count()) : 0; }
std::uint64_t scope_end(const SegmentContext& ctx) {
  return ctx.shard ? ctx.shard->end(ctx.plan.task_count()) : ctx.plan.task_count();
}

Tally master_loop(const SegmentContext& ctx, std::vector<std::uint64_t> pending, std::uint64_t already_done) {
  const int workers = ctx.mpi.size() - 1;
  const bool computes = master_computes(ctx.role, ctx.mpi.size());
  const int computing_ranks = workers + (computes ? 1 : 0);
  const std::uint64_t total = scope_end(ctx) - scope_first(ctx);
  TaskQueue queue(std::move(pending));
  ChunkSizer sizer;
  Tally tally;
  ProgressReporter progress(total, already_done, stderr, ctx.quiet);
  TaskExecutor executor(ctx.plan, ctx.mpi.rank());
  int active_workers = workers;

  // After a stop signal (the master's own, or one a worker reports) no chunk
  // is handed out: chunks in flight end after their current task, and tasks
  // that were never started stay pending for `resume`.
  auto stopping = [&] {
    if (tally.stop_signal == 0) tally.stop_signal = StopSignals::received();
    return tally.stop_signal != 0;
  };
  auto handle = [&](const Envelope& envelope) {
    const auto request = deserialize<WorkRequest>(envelope.bytes);
    tally.absorb(request.reports, sizer);
    if (tally.stop_signal == 0) tally.stop_signal = request.stop_signal;
    if (envelope.tag == kFinal) {
      --active_workers;
    } else {
      WorkAssignment assignment;
      if (!stopping()) assignment.tasks = queue.take(sizer.next(queue.remaining(), computing_ranks));
      send_bytes(serialize(assignment), envelope.source, kAssign, ctx.mpi.comm());
    }
    progress.update(already_done + tally.done, tally.failed);
  };
  auto serve_waiting = [&] {
    while (auto envelope = try_receive(ctx.mpi.comm())) handle(*envelope);
    return !stopping();
  };

  while (true) {
    serve_waiting();
    if (computes && !queue.empty() && !stopping()) {
      const auto chunk = queue.take(sizer.next(queue.remaining(), computing_ranks));
      // Requests are served between the master's own tasks, so a worker never
      // waits longer than one task for its next chunk.
      tally.absorb(executor.run_chunk(chunk, ctx.store, serve_waiting), sizer);
      progress.update(already_done + tally.done, tally.failed);
    } else if (active_workers > 0) {
      handle(wait_receive(ctx.mpi.comm()));
    } else {
      break;
    }
  }
  progress.finish(already_done + tally.done, tally.failed);
  return tally;
}

void worker_loop(const SegmentContext& ctx) {
  TaskExecutor executor(ctx.plan, ctx.mpi.rank());
  std::vector<TaskReport> reports;
  send_bytes(serialize(WorkRequest{{}, StopSignals::received()}), 0, kRequest, ctx.mpi.comm());
  while (true) {
    const auto assignment = deserialize<WorkAssignment>(wait_receive(ctx.mpi.comm()).bytes);
    // A signalled worker computes no further chunk; its kFinal tells the master.
    const int stop_signal = StopSignals::received();
    if (assignment.is_stop() || stop_signal != 0) {
      send_bytes(serialize(WorkRequest{std::move(reports), stop_signal}), 0, kFinal, ctx.mpi.comm());
      return;
    }
    // Ask for the next chunk before computing this one (prefetch).
    send_bytes(serialize(WorkRequest{std::move(reports), stop_signal}), 0, kRequest, ctx.mpi.comm());
    reports = executor.run_chunk(assignment.tasks, ctx.store, [] { return StopSignals::received() == 0; });
  }
}

// One run segment (a `run` or a `resume`) over the pending tasks of its scope.
ExitStatus execute_segment(const SegmentContext& ctx, const std::string& kind, std::vector<std::uint64_t> pending,
                           std::uint64_t already_done, const std::filesystem::path& file) {
  const std::size_t segment = ctx.store.begin_segment(kind, ctx.mpi.size(), utc_timestamp());
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t scope = scope_end(ctx) - scope_first(ctx);
  const std::string of_shard = ctx.shard ? " of shard " + ctx.shard->text() : "";
  const std::size_t to_run = pending.size();
  if (ctx.mpi.is_master() && !ctx.quiet) {
    std::fprintf(stderr, "mechsweep: %s %s: %zu of %llu tasks%s on %d rank%s -> %s\n", kind.c_str(),
                 ctx.plan.experiment().info().name.c_str(), to_run, static_cast<unsigned long long>(scope),
                 of_shard.c_str(), ctx.mpi.size(), ctx.mpi.size() == 1 ? "" : "s", file.string().c_str());
  }
  Tally tally;
  if (ctx.mpi.is_master()) {
    tally = master_loop(ctx, std::move(pending), already_done);
  } else {
    worker_loop(ctx);
  }
  quiet_barrier(ctx.mpi.comm());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Stopped by a signal with tasks left: the segment is closed as not finished
  // (with its figures), and the exit status says so.
  const bool interrupted = tally.stop_signal != 0 && tally.done + tally.failed < to_run;
  ctx.store.end_segment(segment, wall, static_cast<std::int64_t>(tally.done), static_cast<std::int64_t>(tally.failed),
                        !interrupted);

  int status = static_cast<int>(ExitStatus::ok);
  if (ctx.mpi.is_master()) {
    if (tally.failed > 0) {
      status = static_cast<int>(ExitStatus::tasks_failed);
      std::fprintf(stderr, "mechsweep: %llu task%s failed (first %zu shown; all are in /tasks/error):\n",
                   static_cast<unsigned long long>(tally.failed), tally.failed == 1 ? "" : "s",
                   tally.first_failures.size());
      for (const TaskReport& r : tally.first_failures) {
        std::fprintf(stderr, "  task %llu: %s\n", static_cast<unsigned long long>(r.task), r.error.c_str());
      }
    }
    // Rank 0's CPU time shows whether the master computed, or idled without spinning.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       1e-6 * static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    std::printf("%s: %llu done, %llu failed in %.2f s (%.1f tasks/s, %d ranks; rank 0 used %.2f s CPU)\n",
                file.string().c_str(), static_cast<unsigned long long>(tally.done),
                static_cast<unsigned long long>(tally.failed), wall,
                wall > 0 ? static_cast<double>(tally.done + tally.failed) / wall : 0.0, ctx.mpi.size(), cpu);
    std::fflush(stdout);
    if (interrupted) {
      status = static_cast<int>(ExitStatus::interrupted);
      const std::uint64_t done_in_scope = already_done + tally.done;
      std::fprintf(stderr,
                   "mechsweep: interrupted by %s: %llu of %llu tasks%s done; `mechsweep resume %s` finishes the run\n",
                   signal_name(tally.stop_signal), static_cast<unsigned long long>(done_in_scope),
                   static_cast<unsigned long long>(scope), of_shard.c_str(), file.string().c_str());
      std::fflush(stderr);
    }
  }
  return static_cast<ExitStatus>(broadcast_int(status, ctx.mpi.comm()));
}

// Runs `prepare` on rank 0 only; an Error there is printed and its exit status
// shared, so every rank stops before any collective store call.
template <class Prepare>
ExitStatus prepare_on_master(MpiSession& mpi, Prepare prepare) {
  int status = 0;
  if (mpi.is_master()) {
    try {
      prepare();
    } catch (const Error& e) {
      print_error(e);
      status = static_cast<int>(e.status());
    } catch (const std::exception& e) {
      print_error(e);
      status = static_cast<int>(ExitStatus::runtime_error);
    }
  }
  return static_cast<ExitStatus>(broadcast_int(status, mpi.comm()));
}

}  // namespace

store::StoreLayout make_layout(const SweepPlan& plan) {
  const ExperimentInfo& info = plan.experiment().info();
  const std::uint64_t n = plan.task_count();
  store::StoreLayout layout;
  layout.task_count = n;
  layout.experiment = info.name;
  layout.config_text = plan.config_text();
  layout.config_hash = plan.config_hash();
  layout.seeds.resize(n);
  for (const ParamSpec& spec : info.params) {
    store::ParamColumn column{spec.name, {}, spec.doc};
    switch (spec.type) {
      case ParamType::real: column.values = std::vector<double>(n); break;
      case ParamType::integer: column.values = std::vector<std::int64_t>(n); break;
      case ParamType::choice: column.values = std::vector<std::string>(n); break;
    }
    layout.params.push_back(std::move(column));
  }
  for (const ColumnSpec& spec : info.columns) {
    store::ResultColumnLayout column;
    column.name = spec.name;
    column.is_integer = spec.type == ColumnType::integer;
    column.is_ragged = spec.is_ragged();
    column.doc = spec.doc;
    if (column.is_ragged) column.offsets.assign(1, 0);
    layout.results.push_back(std::move(column));
  }
  for (std::uint64_t task = 0; task < n; ++task) {
    const ParamPoint point = plan.point(task);
    layout.seeds[task] = plan.task_seed(task);
    for (std::size_t p = 0; p < point.size(); ++p) {
      std::visit(
          [&](auto& values) {
            using Vector = std::decay_t<decltype(values)>;
            values[task] = std::get<typename Vector::value_type>(point.value(p));
          },
          layout.params[p].values);
    }
    for (std::size_t c = 0; c < info.columns.size(); ++c) {
      if (info.columns[c].is_ragged()) {
        auto& offsets = layout.results[c].offsets;
        offsets.push_back(offsets.back() + info.columns[c].ragged_length(point));
      }
    }
  }
  return layout;
}

ExitStatus run_sweep(const RunOptions& options, MpiSession& mpi) {
  const StopSignals signals;
  std::unique_ptr<store::StoreLock> lock;
  std::string config_text;
  std::filesystem::path out = options.out;
  const ExitStatus prepared = prepare_on_master(mpi, [&] {
    if (!options.shard.empty()) (void)parse_shard(options.shard);
    const SweepPlan plan = load_plan(options.config, options.overrides);
    if (out.empty()) out = options.config.stem().string() + ".h5";
    lock = std::make_unique<store::StoreLock>(out);
    if (std::filesystem::exists(out)) {
      if (!options.force) {
        throw Error("store '" + out.string() + "' already exists; pass --force to overwrite it, or run `mechsweep resume " +
                    out.string() + "` to finish it");
      }
      std::filesystem::remove(out);
    }
    config_text = plan.config_text();
  });
  if (prepared != ExitStatus::ok) return prepared;

  config_text = broadcast_string(config_text, mpi.comm());
  out = broadcast_string(out.string(), mpi.comm());
  const SweepPlan plan = plan_from_text(config_text, options.config.string());
  store::StoreLayout layout = make_layout(plan);
  if (!options.shard.empty()) layout.shard = parse_shard(options.shard);  // valid: rank 0 checked it
  auto store = store::ResultStore::create(out, layout, mpi.comm());
  const SegmentContext ctx{plan, store, mpi, options.quiet, options.master_role, layout.shard};
  std::vector<std::uint64_t> pending;
  if (mpi.is_master()) {
    for (std::uint64_t k = scope_first(ctx); k < scope_end(ctx); ++k) pending.push_back(k);
  }
  return execute_segment(ctx, "run", std::move(pending), 0, out);
}

ExitStatus resume_sweep(const ResumeOptions& options, MpiSession& mpi) {
  const StopSignals signals;
  std::unique_ptr<store::StoreLock> lock;
  std::string config_text;
  std::optional<Shard> shard;
  const ExitStatus prepared = prepare_on_master(mpi, [&] {
    if (!std::filesystem::exists(options.store)) throw Error("store '" + options.store.string() + "' does not exist");
    lock = std::make_unique<store::StoreLock>(options.store);
    config_text = store::read_config_text(options.store);
    if (fnv1a_hex(config_text) != store::read_config_hash(options.store)) {
      throw Error("store '" + options.store.string() + "': its config text does not match its config_hash attribute; refusing to resume");
    }
    (void)plan_from_text(config_text, "store:" + options.store.string());
    shard = store::read_shard(options.store);
  });
  if (prepared != ExitStatus::ok) return prepared;

  config_text = broadcast_string(config_text, mpi.comm());
  const SweepPlan plan = plan_from_text(config_text, "store:" + options.store.string());
  auto store = store::ResultStore::open(options.store, make_layout(plan), mpi.comm());
  // Only rank 0 uses the shard (to pick the tasks); the workers take what it hands out.
  const SegmentContext ctx{plan, store, mpi, options.quiet, options.master_role, shard};
  std::vector<std::uint64_t> pending;
  std::uint64_t already_done = 0;
  if (mpi.is_master()) {
    const auto status = store.read_status();
    for (std::uint64_t k = scope_first(ctx); k < scope_end(ctx) && k < status.size(); ++k) {
      if (status[k] == store::kDone) {
        ++already_done;
      } else {
        pending.push_back(k);  // pending, and failed tasks get another try
      }
    }
  }
  return execute_segment(ctx, "resume", std::move(pending), already_done, options.store);
}

}  // namespace mechsweep::runner
