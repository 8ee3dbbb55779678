// One coalition.patterns work unit — every check of spec 001 for one
// (environment, f) against every pattern — and its growth with n, k and m; the
// IC table alone; and the same analysis with every hull and union forced
// through Cbc (piece_limit = 0) to show what the piece-by-piece LPs save.
//   build/bench/coalition_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <vector>

#include "mechanisms/coalition/random_instances.hpp"
#include "mechanisms/coalition/verdict.hpp"

namespace {

using namespace mechsweep::coalition;

constexpr int kInstances = 16;

// Random SCFs exercise the coalitional reward restriction (spec §5.7 run B),
// efficient ones the "RCIC holds" branch; alternate them.
std::vector<Instance> instances(int agents, int types, int outcomes) {
  std::vector<Instance> result;
  for (int seed = 0; seed < kInstances; ++seed) {
    const auto family = seed % 2 == 0 ? ScfFamily::random : ScfFamily::efficient;
    result.push_back(random_instance(std::vector<int>(agents, types), outcomes, UtilityModel::iid, family,
                                     static_cast<std::uint64_t>(seed)));
  }
  return result;
}

std::vector<Pattern> patterns_for(int agents) {
  return agents <= 3 ? all_labeled_patterns(agents) : isomorphism_class_patterns(agents);
}

void BM_AnalyseAllPatterns(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const int types = static_cast<int>(state.range(1));
  const int outcomes = static_cast<int>(state.range(2));
  AnalysisOptions options;
  if (state.range(3) == 0) options.limits.clause.piece_limit = 0;
  const auto cases = instances(agents, types, outcomes);
  const auto patterns = patterns_for(agents);
  std::size_t next = 0;
  double lps = 0, milps = 0;
  for (auto _ : state) {
    const auto analysis = analyse(cases[next], patterns, options);
    next = (next + 1) % cases.size();
    lps += static_cast<double>(analysis.counters.lps);
    milps += static_cast<double>(analysis.counters.milps);
    benchmark::DoNotOptimize(analysis.coalitional);
  }
  state.counters["patterns"] = static_cast<double>(patterns.size());
  state.counters["lps"] = benchmark::Counter(lps, benchmark::Counter::kAvgIterations);
  state.counters["milps"] = benchmark::Counter(milps, benchmark::Counter::kAvgIterations);
}
// (n, k, m, piece route on/off). The first line is the reference
// instance size (n = 2, k = 2, m = 3).
BENCHMARK(BM_AnalyseAllPatterns)
    ->Args({2, 2, 3, 1})
    ->Args({2, 2, 3, 0})
    ->Args({2, 2, 4, 1})
    ->Args({2, 2, 6, 1})
    ->Args({2, 3, 3, 1})
    ->Args({3, 2, 3, 1})
    ->Unit(benchmark::kMillisecond);

void BM_IcTable(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const auto cases = instances(agents, 3, 4);
  std::size_t next = 0;
  for (auto _ : state) {
    const IcTable table(cases[next]);
    next = (next + 1) % cases.size();
    benchmark::DoNotOptimize(table.rcic());
  }
}
BENCHMARK(BM_IcTable)->DenseRange(2, 5)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
