// Cost of one testdesign.evaluate task, per procedure and distribution; its
// growth with the quadrature tolerance; a cheap-talk menu; one
// testdesign.optimal search per procedure; and the O(1) best response per type
// (the hot path of the Monte Carlo check).
//   build/bench/testdesign_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>
#include <cmath>
#include <string>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/named_designs.hpp"
#include "mechanisms/testdesign/optimize.hpp"

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
BENCHMARK(BM_Evaluate)->ArgsProduct({{0, 1, 2, 3, 4}, {0, 1, 2}})->Unit(benchmark::kMillisecond);

// Per-point cost against the requested accuracy: abs_tol = 10^-k. The counter
// abs_error is the achieved |value − value at 1e-14|.
void BM_EvaluateTolerance(benchmark::State& state) {
  const auto procedure = static_cast<Procedure>(state.range(0));
  const Instance instance = instance_for(procedure);
  const Distribution distribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  QuadratureOptions reference_options;
  reference_options.abs_tol = 1e-14;
  reference_options.max_panels = 200000;
  const double reference = evaluate(instance, Setting::manipulation, distribution, reference_options).value;
  QuadratureOptions options;
  options.abs_tol = std::pow(10.0, -static_cast<double>(state.range(1)));
  Evaluation e;
  for (auto _ : state) {
    e = evaluate(instance, Setting::manipulation, distribution, options);
    // Through a const copy: benchmark 1.7's DoNotOptimize on a non-const
    // lvalue may hand back a clobbered double (fixed upstream in 1.8).
    const double value = e.value;
    benchmark::DoNotOptimize(value);
  }
  state.counters["rays"] = static_cast<double>(e.rays);
  state.counters["abs_error"] = std::fabs(e.value - reference);
  state.SetLabel(std::string(to_string(procedure)) + "/tol=1e-" + std::to_string(state.range(1)));
}
BENCHMARK(BM_EvaluateTolerance)->ArgsProduct({{0, 1, 3, 4}, {4, 6, 8, 10, 12}})->Unit(benchmark::kMillisecond);

// Theorem 2's menu against one of its items (the same quadrature over two menus of options).
void BM_EvaluateMenu(benchmark::State& state) {
  const Criteria criteria = make_criteria(45.0, 1.0);
  const Distribution distribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  const Mechanism mechanism = state.range(0) == 1
                                  ? make_design(Design::theorem2_menu, criteria, Procedure::fixed_ab, 1.0)
                                  : make_design(Design::proposition1, criteria, Procedure::fixed_ab, 1.0);
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(mechanism, Setting::manipulation, distribution).value);
  state.SetLabel(state.range(0) == 1 ? "theorem2_menu" : "proposition1 (one item)");
}
BENCHMARK(BM_EvaluateMenu)->DenseRange(0, 1)->Unit(benchmark::kMillisecond);

// One testdesign.optimal search (defaults of SearchOptions), manipulation;
// range(1) = 1 selects P_II.
void BM_Optimize(benchmark::State& state) {
  const auto procedure = static_cast<Procedure>(state.range(0));
  const Objective objective = state.range(1) == 1 ? Objective::p2 : Objective::p1;
  const Criteria criteria = make_criteria(45.0, 1.0);
  const Distribution distribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  OptimalTests result;
  for (auto _ : state) {
    result = optimize_tests(criteria, procedure, 0.3, Setting::manipulation, objective, distribution, 7);
    const double value = result.objective;
    benchmark::DoNotOptimize(value);
  }
  state.counters["evaluations"] = static_cast<double>(result.evaluations);
  state.counters["quadratures"] = static_cast<double>(result.quadratures);
  state.SetLabel(std::string(to_string(procedure)) + "/" + std::string(to_string(objective)));
}
BENCHMARK(BM_Optimize)
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({3, 0})
    ->Args({4, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond);

// The search at different quadrature tolerances (fixed order A→B, P_I).
void BM_OptimizeSearchTolerance(benchmark::State& state) {
  const Criteria criteria = make_criteria(45.0, 1.0);
  const Distribution distribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);
  SearchOptions options;
  options.search_abs_tol = std::pow(10.0, -static_cast<double>(state.range(0)));
  OptimalTests result;
  for (auto _ : state) {
    result = optimize_tests(criteria, Procedure::fixed_ab, 1.0, Setting::manipulation, Objective::p1, distribution, 7,
                            options);
    const double value = result.objective;
    benchmark::DoNotOptimize(value);
  }
  state.counters["objective"] = result.objective;
  state.SetLabel("search_abs_tol=1e-" + std::to_string(state.range(0)));
}
BENCHMARK(BM_OptimizeSearchTolerance)->DenseRange(5, 9, 2)->Iterations(2)->Unit(benchmark::kMillisecond);

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
