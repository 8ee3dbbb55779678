// Cost of one testdesign.evaluate task, per procedure and distribution; its
// growth with the quadrature tolerance; a cheap-talk menu; one
// testdesign.optimal search per procedure; and the O(1) best response per type
// (the hot path of the Monte Carlo check); and the value as a weighted sum over
// a grid of types (BM_GridValue), which bench/numpy/testdesign_numpy.py
// computes with NumPy on the same grid (`--dump_grid` prints its instance and
// values as JSON instead of timing).
//   build/bench/testdesign_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

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

// The value of the simultaneous h⁺ tests (θ = 45°, η = 1, manipulation,
// Gaussian F) as a density-weighted sum over an M × M midpoint grid on the
// square F's centre ± 6σ: the computation bench/numpy/testdesign_numpy.py
// does in NumPy on the same grid, one best response per point. The grid and
// weights are built outside the timing, in both.
struct Grid {
  std::vector<Vec2> points;
  std::vector<double> weights;
};

constexpr double kGridHalfWidth = 6.0;  // in units of σ

Grid midpoint_grid(const Distribution& distribution, int m) {
  const double half = kGridHalfWidth * distribution.scale;
  const double step = 2.0 * half / m;
  Grid grid;
  grid.points.reserve(static_cast<std::size_t>(m) * static_cast<std::size_t>(m));
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < m; ++j) {
      const Vec2 x{distribution.center.x - half + (i + 0.5) * step, distribution.center.y - half + (j + 0.5) * step};
      grid.points.push_back(x);
      grid.weights.push_back(density(distribution, x) * step * step);
    }
  }
  return grid;
}

double grid_value(const Mechanism& mechanism, const Grid& grid) {
  double value = 0.0;
  for (std::size_t p = 0; p < grid.points.size(); ++p) {
    value += grid.weights[p] * value_contribution(mechanism, Setting::manipulation, grid.points[p]);
  }
  return value;
}

const Distribution kGridDistribution = make_distribution(DistributionKind::gaussian, {1.0, 2.0}, 2.0);

void BM_GridValue(benchmark::State& state) {
  const Mechanism mechanism = instance_for(Procedure::simultaneous);
  const Grid grid = midpoint_grid(kGridDistribution, static_cast<int>(state.range(0)));
  double value = 0.0;
  for (auto _ : state) {
    value = grid_value(mechanism, grid);
    benchmark::DoNotOptimize(value);
  }
  state.counters["value"] = value;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * grid.points.size()));
  state.SetComplexityN(static_cast<std::int64_t>(grid.points.size()));
}
BENCHMARK(BM_GridValue)->RangeMultiplier(2)->Range(64, 2048)->Complexity()->Unit(benchmark::kMillisecond);

// ---- --dump_grid: BM_GridValue's instance and values as JSON, for bench/numpy/testdesign_numpy.py

void print_half_plane(const HalfPlane& h) { std::printf("[%.17g, %.17g, %.17g]", h.normal.x, h.normal.y, h.offset); }

void dump_grid() {
  const Instance instance = instance_for(Procedure::simultaneous);
  std::printf("{\"criteria\": [");
  print_half_plane(instance.criteria.wedge.sides[0]);
  std::printf(", ");
  print_half_plane(instance.criteria.wedge.sides[1]);
  std::printf("], \"tests\": [");
  print_half_plane(instance.tests.sides[0]);
  std::printf(", ");
  print_half_plane(instance.tests.sides[1]);
  const Wedge& tests = instance.tests;
  std::printf("], \"test_vertex\": [%.17g, %.17g], \"test_edges\": [[%.17g, %.17g], [%.17g, %.17g]]", tests.vertex.x,
              tests.vertex.y, tests.edges[0].x, tests.edges[0].y, tests.edges[1].x, tests.edges[1].y);
  std::printf(", \"cost_scale\": %.17g, \"center\": [%.17g, %.17g], \"sigma\": %.17g, \"half_width\": %.17g",
              instance.criteria.cost_scale, kGridDistribution.center.x, kGridDistribution.center.y,
              kGridDistribution.scale, kGridHalfWidth);
  std::printf(", \"exact_value\": %.17g, \"grid_values\": {",
              evaluate(instance, Setting::manipulation, kGridDistribution).value);
  bool first = true;
  for (int m = 64; m <= 2048; m *= 2) {
    std::printf("%s\"%d\": %.17g", first ? "" : ", ", m, grid_value(instance, midpoint_grid(kGridDistribution, m)));
    first = false;
  }
  std::printf("}}\n");
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--dump_grid") {
      dump_grid();
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
