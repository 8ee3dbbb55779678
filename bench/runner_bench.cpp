// Per-task overheads of the runner, each piece alone: building a task's
// parameter point and seed, running one synthetic.trivial task through the
// executor, the work such a task does, one idle MPI probe (what the computing
// master does between its tasks), a message round trip through
// Boost.Serialization, and the store layout of a plan (every task's
// parameters, seed and ragged offsets), whose size grows with the task count.
// bench/RESULTS.md compares them with the dispatch rates of bench/dispatch.sh.
//   build/bench/runner_bench

#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "core/seed.hpp"
#include "runner/executor.hpp"
#include "runner/messages.hpp"
#include "runner/mpi.hpp"
#include "runner/runner.hpp"
#include "sweep/config.hpp"

namespace {

using namespace mechsweep;
using namespace mechsweep::runner;

// configs/trivial.yaml with n = 0 and `tasks` values of x: bench/dispatch.sh's sweep.
SweepPlan trivial_plan(std::int64_t tasks) {
  const std::vector<std::string> overrides = {"params.n=0",
                                              "sweep.x={linspace: [0, 1, " + std::to_string(tasks) + "]}"};
  return load_plan(std::filesystem::path(MECHSWEEP_SOURCE_DIR) / "configs" / "trivial.yaml", overrides);
}

void BM_DeriveSeed(benchmark::State& state) {
  std::uint64_t task = 0;
  for (auto _ : state) benchmark::DoNotOptimize(derive_seed(12345, task++));
}
BENCHMARK(BM_DeriveSeed);

// What a synthetic.trivial task with n = 0, spin = 0 computes (bench/bare_dispatch.cpp's task).
void BM_TrivialWork(benchmark::State& state) {
  std::uint64_t task = 0;
  for (auto _ : state) {
    boost::random::mt19937_64 engine(derive_seed(1, task++));
    boost::random::uniform_01<double> uniform;
    benchmark::DoNotOptimize(uniform(engine));
  }
}
BENCHMARK(BM_TrivialWork);

void BM_PlanPoint(benchmark::State& state) {
  const SweepPlan plan = trivial_plan(200000);
  std::uint64_t task = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(plan.point(task));
    task = (task + 1) % plan.task_count();
  }
}
BENCHMARK(BM_PlanPoint);

// One task through TaskExecutor::run_task: point, seed, experiment, row checks, timing.
void BM_RunTask(benchmark::State& state) {
  const SweepPlan plan = trivial_plan(200000);
  const TaskExecutor executor(plan, 0);
  ResultRow row(plan.experiment().info().columns);
  std::uint64_t task = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(executor.run_task(task, row).status);
    task = (task + 1) % plan.task_count();
  }
}
BENCHMARK(BM_RunTask);

// The master's check for requests between two of its own tasks, with none waiting.
void BM_IdleProbe(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(try_receive(MPI_COMM_WORLD).has_value());
}
BENCHMARK(BM_IdleProbe);

void BM_RequestRoundTrip(benchmark::State& state) {
  WorkRequest request;
  for (std::int64_t i = 0; i < state.range(0); ++i)
    request.reports.push_back({static_cast<std::uint64_t>(i), 1, 1e-3, ""});
  for (auto _ : state) {
    const auto back = deserialize<WorkRequest>(serialize(request));
    benchmark::DoNotOptimize(back.reports.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RequestRoundTrip)->Arg(1)->Arg(64)->Arg(4096);

// The layout every rank builds before creating or opening the store; its
// counter bytes_per_task is the heap it holds per task.
void BM_MakeLayout(benchmark::State& state) {
  const SweepPlan plan = trivial_plan(state.range(0));
  double bytes = 0;
  for (auto _ : state) {
    const store::StoreLayout layout = make_layout(plan);
    bytes = static_cast<double>(layout.seeds.capacity() * sizeof(std::uint64_t));
    for (const store::ParamColumn& column : layout.params) {
      std::visit([&](const auto& values) { bytes += static_cast<double>(values.capacity() * sizeof(values[0])); },
                 column.values);
    }
    for (const store::ResultColumnLayout& column : layout.results) {
      bytes += static_cast<double>(column.offsets.capacity() * sizeof(std::uint64_t));
    }
    benchmark::DoNotOptimize(layout.seeds.data());
  }
  state.counters["bytes_per_task"] = bytes / static_cast<double>(state.range(0));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MakeLayout)->RangeMultiplier(10)->Range(1000, 1000000)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  const MpiSession mpi(argc, argv);  // BM_IdleProbe probes MPI_COMM_WORLD
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
