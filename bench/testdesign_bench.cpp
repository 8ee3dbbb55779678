// Cost of one testdesign.evaluate task, per procedure and distribution, and of
// the O(1) best response per type (the hot path of the Monte Carlo check).
//   build/testdesign_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/evaluate.hpp"

namespace {

using namespace mechsweep::testdesign;

Instance instance_for(Procedure procedure) {
  InstanceParams params;
  params.angle_deg = 45;
  params.procedure = procedure;
  params.q = 0.3;
  return make_instance(params);
}

void BM_Evaluate(benchmark::State& state) {
  const auto procedure = static_cast<Procedure>(state.range(0));
  const auto kind = static_cast<DistributionKind>(state.range(1));
  const Instance instance = instance_for(procedure);
  const Distribution distribution = make_distribution(kind, {1.0, 2.0}, 2.0);
  std::size_t rays = 0;
  for (auto _ : state) {
    const Evaluation e = evaluate(instance, Setting::investment, distribution);
    rays = e.rays;
    benchmark::DoNotOptimize(e.value);
  }
  state.counters["rays"] = static_cast<double>(rays);
  state.SetLabel(std::string(to_string(procedure)) + "/" + std::string(to_string(kind)));
}
BENCHMARK(BM_Evaluate)
    ->ArgsProduct({{0, 1, 2, 3, 4}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond);

void BM_BestResponsePerType(benchmark::State& state) {
  const Instance instance = instance_for(static_cast<Procedure>(state.range(0)));
  const Distribution distribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  boost::random::mt19937_64 engine(42);
  std::vector<Vec2> types(4096);
  for (Vec2& x : types) x = sample(distribution, engine);
  for (auto _ : state) {
    for (const Vec2& x : types) benchmark::DoNotOptimize(best_response(instance, x));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * types.size()));
  state.SetLabel(std::string(to_string(instance.procedure)));
}
BENCHMARK(BM_BestResponsePerType)->DenseRange(0, 4);

void BM_MonteCarloValue(benchmark::State& state) {
  const Instance instance = instance_for(Procedure::random_disclosed);
  const Distribution distribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(monte_carlo_value(instance, Setting::investment, distribution, 7, 100000).value);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 100000));
}
BENCHMARK(BM_MonteCarloValue)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
