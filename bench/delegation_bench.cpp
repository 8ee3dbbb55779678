// The delegation module's main computations and their growth: the exact EOPR
// expectation (one selection LP pair per choice profile, 3^J profiles), the
// same by type sampling, the large-market column generation (J pricing calls
// per round), and the replica economy's cell LPs against N.
//   build/bench/delegation_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/eopr_sampling.hpp"
#include "mechanisms/delegation/large_market.hpp"
#include "mechanisms/delegation/replica.hpp"

namespace {

using namespace mechsweep::delegation;

// J agents on the π circle of the base instance B2 (π_j = 1.5 + (cos, sin)(135° + 360° j/J)/√2),
// σ_j = (1, 1), types U[1,2]², every agent with K5's menu.
Market circle_market(int agents) {
  Market market;
  market.agents = agents;
  market.units = {static_cast<double>(agents), static_cast<double>(agents)};
  for (int j = 0; j < agents; ++j) {
    const double phi = (135.0 + 360.0 * j / agents) * std::numbers::pi / 180.0;
    market.status_quo.insert(market.status_quo.end(), {1.0, 1.0});
    market.cost.insert(market.cost.end(),
                       {1.5 + std::cos(phi) / std::numbers::sqrt2, 1.5 + std::sin(phi) / std::numbers::sqrt2});
    market.box_low.insert(market.box_low.end(), {1.0, 1.0});
    market.box_high.insert(market.box_high.end(), {2.0, 2.0});
    market.slack.push_back(1.0);
  }
  return market;
}

std::vector<Menu> k5_menus(int agents) { return std::vector<Menu>(agents, Menu{false, {{1, -1}, {-1, 1}}}); }

void BM_EoprExact(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const Market market = circle_market(agents);
  const std::vector<Menu> menus = k5_menus(agents);
  for (auto _ : state) benchmark::DoNotOptimize(eopr_expected_cost(market, menus).expected_cost);
  state.counters["profiles"] = std::pow(2.0, agents);  // keeping has probability 0
}
BENCHMARK(BM_EoprExact)->DenseRange(2, 8, 2)->Unit(benchmark::kMillisecond);

void BM_EoprSampled(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const Market market = circle_market(agents);
  const std::vector<Menu> menus = k5_menus(agents);
  for (auto _ : state) benchmark::DoNotOptimize(sample_eopr(market, menus, 2000, 1).cost.mean);
}
BENCHMARK(BM_EoprSampled)->DenseRange(2, 8, 2)->Arg(16)->Unit(benchmark::kMillisecond);

void BM_LargeMarket(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const Market market = circle_market(agents);
  int iterations = 0;
  for (auto _ : state) iterations = solve_large_market(market).iterations;
  state.counters["rounds"] = iterations;
}
BENCHMARK(BM_LargeMarket)->RangeMultiplier(2)->Range(2, 32)->Unit(benchmark::kMillisecond);

void BM_Replica(benchmark::State& state) {
  const Market market = circle_market(2);
  ReplicaOptions options;
  options.replicas = static_cast<int>(state.range(0));
  options.draws = 2000;
  options.exact_limit = 0;  // always sampled, so the cost is per draw
  for (auto _ : state) benchmark::DoNotOptimize(replica_cost(market, k5_menus(2), options).per_capita_cost);
}
BENCHMARK(BM_Replica)->RangeMultiplier(8)->Range(1, 4096)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
