// Per-task overheads of the runner that do not involve MPI or HDF5: building a
// task's parameter point and seed, and a message round trip through
// Boost.Serialization.
//   build/runner_bench

#include <benchmark/benchmark.h>

#include "core/seed.hpp"
#include "runner/messages.hpp"
#include "runner/mpi.hpp"

namespace {

using namespace mechsweep::runner;

void BM_DeriveSeed(benchmark::State& state) {
  std::uint64_t task = 0;
  for (auto _ : state) benchmark::DoNotOptimize(mechsweep::derive_seed(12345, task++));
}
BENCHMARK(BM_DeriveSeed);

void BM_RequestRoundTrip(benchmark::State& state) {
  WorkRequest request;
  for (std::int64_t i = 0; i < state.range(0); ++i) request.reports.push_back({static_cast<std::uint64_t>(i), 1, 1e-3, ""});
  for (auto _ : state) {
    const auto back = deserialize<WorkRequest>(serialize(request));
    benchmark::DoNotOptimize(back.reports.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RequestRoundTrip)->Arg(1)->Arg(64)->Arg(4096);

}  // namespace

BENCHMARK_MAIN();
