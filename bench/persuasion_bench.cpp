// The persuasion module's (paper 004, spec 004 §5) main computations and their
// growth in the market size n, at n = 10, 30, 100, 300, 1000 with the
// polynomial oracles (the issue: "n up to 1000 with the polynomial oracles and
// Frank–Wolfe; put the curve of time against n in a benchmark").
//
// Instances (<family> in the names is <constraint>_<prior>):
//   uniform    min(|S|, k), k = n/4 (at least 1): the Poisson-binomial oracle.
//   partition  4 contiguous groups of about n/4 agents, cap max(1, ⌊n/16⌋)
//              each: the same oracle once per group.
//   click      1 − Π(1 − p_i), p_i ~ U[0.1, 0.5] (seed 7): the product oracle.
//   appendix   every agent {V = 10 w.p. 1/√n, 1 otherwise} (Appendix A's
//              family, the experiment's `two_point`): all agents identical, so
//              U* is symmetric.
//   hetero     agent i {10 w.p. q_i, 1 otherwise}, q_i ~ U(0, 1) from seed 7
//              (the experiment's `random_two_point`): U* has several levels.
// In both priors every agent has the same two values, so D = 2 distinct values
// and every agent ties with every other at both levels: the oracles walk two
// levels, and the tie-break integrals see tied blocks of size n.
//
//   BM_FrVertex/<family>/n        one D1 vertex (FullRevelation::vertex) for a
//                                 fixed seeded priority order. Uniform: one
//                                 prefix/suffix Poisson-binomial DP per level,
//                                 truncated at k, O(D·n·k) = O(n²); partition
//                                 Σ_g O(D·n_g·k_g) = O(n²)/16; click O(D·n).
//   BM_MajorizedPoint/<family>/n  U*, the whole min-norm computation as
//                                 persuasion.market runs it: Wolfe with
//                                 tolerance 1e-9 (the experiment's default),
//                                 at most 20000 major cycles (its default cap
//                                 too). Counters:
//                                 iterations, oracle calls, largest corral,
//                                 converged. Cost = calls × vertex + the corral
//                                 updates O(n·k + k²), k ≤ n + 1 the corral size;
//                                 spec §5 expects O(n)–O(n²) cycles, so O(n³)
//                                 or more for uniform (RESULTS.md has the
//                                 measured counts: far fewer).
//   BM_MajorizedPointFw/<family>/n  the same by plain Frank–Wolfe with exact line
//                                 search, capped at 2000 steps (it needs
//                                 O(G(E)²/tol) steps, so at 1e-9 it mostly
//                                 stops at the cap): steps × (vertex + an
//                                 O(n log n) argsort), plus the gap it
//                                 reached (counter `gap`, ⟨x, x − s⟩ ≥
//                                 ‖x − U*‖², and `rel_gap` = gap / ‖x‖²).
//   BM_UniformTieBreak/<family>/n FR with value ties broken uniformly at
//                                 random: per level a Gauss–Legendre rule with
//                                 ⌈T/2⌉ nodes over the tied block (T = n here),
//                                 each node a DP, so O(n²·k) = O(n³) uniform,
//                                 O(n³)/128 partition, O(n²) click.
//   BM_UpperBound/<family>/n      UB_j for j = 1..n (spec §4.3) by the
//                                 heuristic chain (n > 12; exhaustive below):
//                                 n coalition values of growing sets, so
//                                 Σ_j O(j·min(j, k)) = O(n³) uniform, O(n²) click.
//   BM_BucketedVertex/<family>/n  the Section-4 receiver (ε = 1, V = 10, so K =
//                                 4 buckets), one vertex of B(Ĝ) by the
//                                 Poisson-binomial DP, O(K·n·k) = O(n²).
//   BM_RsmPolicy/<family>/n       rsm_utilities for the mixture that realises
//                                 Û* (Wolfe on B(Ĝ) at tolerance 1e-9, computed
//                                 once per n outside the timing): enumeration of
//                                 the in/out patterns while Σ_k 2^{n'_k} ≤ 2^16,
//                                 else 20000 Monte Carlo patterns per bucket
//                                 (the default), each a sorted greedy, so
//                                 O(K·samples·n) past n ≈ 15.
// Instances are built once per (family, n) and cached, so the timings hold the
// computation alone. Growth is fitted by Google Benchmark's Complexity() (auto);
// `--dump_vertices` prints every BM_FrVertex instance (inputs and the vertex) as
// JSON instead of timing, for bench/numpy/persuasion_numpy.py.
// RESULTS.md quotes ratios of the `_min` over randomly interleaved repetitions:
//   build/bench/persuasion_bench --benchmark_repetitions=3
//       --benchmark_enable_random_interleaving=true --benchmark_min_time=0.1
//       --benchmark_report_aggregates_only=true --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "mechanisms/persuasion/bucketed_receiver.hpp"
#include "mechanisms/persuasion/full_revelation.hpp"
#include "mechanisms/persuasion/min_norm.hpp"
#include "mechanisms/persuasion/polymatroid.hpp"
#include "mechanisms/persuasion/prior.hpp"

namespace {

namespace ps = mechsweep::persuasion;

constexpr std::uint64_t kSeed = 7;
constexpr double kValueScale = 10.0;  // V
constexpr double kEpsilon = 1.0;      // bucket width of the Section-4 receiver
constexpr double kTolerance = 1e-9;   // persuasion.market's min_norm_tolerance
// persuasion.market's min_norm_iterations. No instance here reaches it (the
// most is 1.7k major cycles, partition_hetero at n = 300); counter `converged`
// would say so.
constexpr std::int64_t kWolfeCap = 20000;
// Frank–Wolfe's cap: 2000 steps of the n = 1000 uniform oracle take about 2 s.
constexpr std::int64_t kFrankWolfeCap = 2000;

enum class Constraint { uniform, partition, click };
enum class PriorKind { appendix, hetero };

// A uniform double in [0, 1) from the top 53 bits (platform independent).
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

ps::Polymatroid make_constraint(Constraint constraint, int n) {
  switch (constraint) {
    case Constraint::uniform:
      return ps::make_uniform(n, std::max(1, n / 4));
    case Constraint::partition: {
      constexpr int kGroups = 4;
      std::vector<int> group_of(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) group_of[static_cast<std::size_t>(i)] = i * kGroups / n;
      return ps::make_partition(std::move(group_of), std::vector<int>(kGroups, std::max(1, n / 16)));
    }
    case Constraint::click: {
      std::mt19937_64 rng(kSeed);
      std::vector<double> p(static_cast<std::size_t>(n));
      for (double& value : p) value = 0.1 + 0.4 * uniform01(rng);
      return ps::make_click(std::move(p));
    }
  }
  return ps::make_uniform(n, 1);
}

ps::Prior make_prior(PriorKind kind, int n) {
  std::mt19937_64 rng(kSeed + 1);
  ps::Prior prior;
  prior.reserve(static_cast<std::size_t>(n));
  const double values[] = {kValueScale, 1.0};
  for (int i = 0; i < n; ++i) {
    const double q = kind == PriorKind::appendix ? 1.0 / std::sqrt(static_cast<double>(n)) : uniform01(rng);
    const double probabilities[] = {q, 1.0 - q};
    prior.push_back(ps::make_distribution(values, probabilities, "agent " + std::to_string(i)));
  }
  return prior;
}

// A fixed seeded priority order (highest first).
std::vector<int> shuffled_order(int n) {
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(kSeed + 2);
  for (std::size_t t = order.size(); t > 1; --t) std::swap(order[t - 1], order[rng() % t]);
  return order;
}

using Key = std::tuple<Constraint, PriorKind, int>;

// Instances are built once per (constraint, prior, n): construction validates
// the rank function (20000 sampled axiom checks above n = 12), which is not
// what these benchmarks measure.
const ps::FullRevelation& full_revelation(Constraint constraint, PriorKind kind, int n) {
  static std::map<Key, std::unique_ptr<ps::FullRevelation>> cache;
  auto& slot = cache[{constraint, kind, n}];
  if (!slot) slot = std::make_unique<ps::FullRevelation>(make_constraint(constraint, n), make_prior(kind, n));
  return *slot;
}

const ps::BucketedReceiver& bucketed_receiver(Constraint constraint, PriorKind kind, int n) {
  static std::map<Key, std::unique_ptr<ps::BucketedReceiver>> cache;
  auto& slot = cache[{constraint, kind, n}];
  if (!slot) {
    ps::BucketedOptions options;
    options.seed = kSeed;
    options.value_scale = kValueScale;
    slot = std::make_unique<ps::BucketedReceiver>(make_constraint(constraint, n), make_prior(kind, n), kEpsilon,
                                                  options);
  }
  return *slot;
}

// Û* on B(Ĝ) by Wolfe, as persuasion.market computes it before the policy.
const ps::MinNormResult& fake_star(Constraint constraint, PriorKind kind, int n) {
  static std::map<Key, std::unique_ptr<ps::MinNormResult>> cache;
  auto& slot = cache[{constraint, kind, n}];
  if (!slot) {
    ps::MinNormOptions options;
    options.tolerance = kTolerance;
    options.max_iterations = kWolfeCap;
    slot = std::make_unique<ps::MinNormResult>(
        ps::wolfe_min_norm_point(n, bucketed_receiver(constraint, kind, n).vertex_oracle(), options));
  }
  return *slot;
}

ps::VertexOracle fr_oracle(const ps::FullRevelation& fr) {
  return [&fr](std::span<const int> order, std::span<double> out) { fr.vertex(order, out); };
}

// The smallest repetition: with --benchmark_repetitions it is the figure least
// disturbed by other load on the machine (RESULTS.md quotes it).
double minimum(const std::vector<double>& values) { return *std::min_element(values.begin(), values.end()); }

void market_sizes(benchmark::internal::Benchmark* b) {
  for (const int n : {10, 30, 100, 300, 1000}) b->Arg(n);
}

// ---- full revelation: D1, U*, uniform ties, UB_j --------------------------------

void BM_FrVertex(benchmark::State& state, Constraint constraint, PriorKind kind) {
  const int n = static_cast<int>(state.range(0));
  const ps::FullRevelation& fr = full_revelation(constraint, kind, n);
  const std::vector<int> order = shuffled_order(n);
  std::vector<double> out(static_cast<std::size_t>(n));
  for (auto _ : state) {
    fr.vertex(order, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(n);
}

void majorized_point(benchmark::State& state, Constraint constraint, PriorKind kind, ps::MinNormMethod method) {
  const int n = static_cast<int>(state.range(0));
  const ps::FullRevelation& fr = full_revelation(constraint, kind, n);
  const ps::VertexOracle oracle = fr_oracle(fr);
  ps::MinNormOptions options;
  options.tolerance = kTolerance;
  options.max_iterations = method == ps::MinNormMethod::wolfe ? kWolfeCap : kFrankWolfeCap;
  ps::MinNormResult result;
  for (auto _ : state) {
    result = ps::min_norm_point(n, oracle, method, options);
    benchmark::DoNotOptimize(result.point.data());
  }
  state.SetComplexityN(n);
  state.counters["iterations"] = static_cast<double>(result.iterations);
  state.counters["oracle_calls"] = static_cast<double>(result.oracle_calls);
  state.counters["converged"] = result.converged ? 1 : 0;
  state.counters["gap"] = result.gap;
  const double norm2 = std::inner_product(result.point.begin(), result.point.end(), result.point.begin(), 0.0);
  state.counters["rel_gap"] = norm2 > 0.0 ? result.gap / norm2 : 0.0;
  if (method == ps::MinNormMethod::wolfe) state.counters["corral"] = result.max_corral_size;
  state.counters["mixture"] = static_cast<double>(result.mixture.size());
}

void BM_MajorizedPoint(benchmark::State& state, Constraint constraint, PriorKind kind) {
  majorized_point(state, constraint, kind, ps::MinNormMethod::wolfe);
}

void BM_MajorizedPointFw(benchmark::State& state, Constraint constraint, PriorKind kind) {
  majorized_point(state, constraint, kind, ps::MinNormMethod::frank_wolfe);
}

void BM_UniformTieBreak(benchmark::State& state, Constraint constraint, PriorKind kind) {
  const int n = static_cast<int>(state.range(0));
  const ps::FullRevelation& fr = full_revelation(constraint, kind, n);
  for (auto _ : state) {
    std::vector<double> u = fr.uniform_tie_break();
    benchmark::DoNotOptimize(u.data());
  }
  state.SetComplexityN(n);
}

void BM_UpperBound(benchmark::State& state, Constraint constraint, PriorKind kind) {
  const int n = static_cast<int>(state.range(0));
  const ps::FullRevelation& fr = full_revelation(constraint, kind, n);
  for (auto _ : state) {
    std::vector<double> bound = fr.upper_bound_prefix();
    benchmark::DoNotOptimize(bound.data());
  }
  state.SetComplexityN(n);
}

// ---- Section 4: the bucketed receiver --------------------------------------------

void BM_BucketedVertex(benchmark::State& state, Constraint constraint, PriorKind kind) {
  const int n = static_cast<int>(state.range(0));
  const ps::BucketedReceiver& receiver = bucketed_receiver(constraint, kind, n);
  const std::vector<int> order = shuffled_order(n);
  std::vector<double> out(static_cast<std::size_t>(n));
  for (auto _ : state) {
    receiver.vertex(order, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetComplexityN(n);
  state.counters["K"] = receiver.buckets().K;
}

void BM_RsmPolicy(benchmark::State& state, Constraint constraint, PriorKind kind) {
  const int n = static_cast<int>(state.range(0));
  const ps::BucketedReceiver& receiver = bucketed_receiver(constraint, kind, n);
  const ps::MinNormResult& star = fake_star(constraint, kind, n);
  std::vector<std::vector<int>> orders;
  std::vector<double> weights;
  for (const ps::WeightedOrder& entry : star.mixture) {
    orders.push_back(entry.order);
    weights.push_back(entry.weight);
  }
  for (auto _ : state) {
    ps::RsmUtilities policy = receiver.rsm_utilities(orders, weights);
    benchmark::DoNotOptimize(policy.true_utility.data());
  }
  state.SetComplexityN(n);
  state.counters["mixture"] = static_cast<double>(orders.size());
  state.counters["exact"] = receiver.policy_exact() ? 1 : 0;
  state.counters["star_iterations"] = static_cast<double>(star.iterations);
}

// Every full-revelation kernel on all six instances.
#define PERSUASION_INSTANCES(bm, unit)                                                             \
  BENCHMARK_CAPTURE(bm, uniform_appendix, Constraint::uniform, PriorKind::appendix)                \
      ->Apply(market_sizes)                                                                        \
      ->Complexity()                                                                               \
      ->ComputeStatistics("min", minimum)                                                          \
      ->Unit(unit);                                                                                \
  BENCHMARK_CAPTURE(bm, uniform_hetero, Constraint::uniform, PriorKind::hetero)                    \
      ->Apply(market_sizes)                                                                        \
      ->Complexity()                                                                               \
      ->ComputeStatistics("min", minimum)                                                          \
      ->Unit(unit);                                                                                \
  BENCHMARK_CAPTURE(bm, partition_appendix, Constraint::partition, PriorKind::appendix)            \
      ->Apply(market_sizes)                                                                        \
      ->Complexity()                                                                               \
      ->ComputeStatistics("min", minimum)                                                          \
      ->Unit(unit);                                                                                \
  BENCHMARK_CAPTURE(bm, partition_hetero, Constraint::partition, PriorKind::hetero)                \
      ->Apply(market_sizes)                                                                        \
      ->Complexity()                                                                               \
      ->ComputeStatistics("min", minimum)                                                          \
      ->Unit(unit);                                                                                \
  BENCHMARK_CAPTURE(bm, click_appendix, Constraint::click, PriorKind::appendix)                    \
      ->Apply(market_sizes)                                                                        \
      ->Complexity()                                                                               \
      ->ComputeStatistics("min", minimum)                                                          \
      ->Unit(unit);                                                                                \
  BENCHMARK_CAPTURE(bm, click_hetero, Constraint::click, PriorKind::hetero)                        \
      ->Apply(market_sizes)                                                                        \
      ->Complexity()                                                                               \
      ->ComputeStatistics("min", minimum)                                                          \
      ->Unit(unit)

PERSUASION_INSTANCES(BM_FrVertex, benchmark::kMicrosecond);
PERSUASION_INSTANCES(BM_MajorizedPoint, benchmark::kMillisecond);
PERSUASION_INSTANCES(BM_MajorizedPointFw, benchmark::kMillisecond);
PERSUASION_INSTANCES(BM_UniformTieBreak, benchmark::kMillisecond);
PERSUASION_INSTANCES(BM_UpperBound, benchmark::kMillisecond);

// Section 4 on the uniform constraint (the experiment's default), both priors.
BENCHMARK_CAPTURE(BM_BucketedVertex, uniform_appendix, Constraint::uniform, PriorKind::appendix)
    ->Apply(market_sizes)
    ->Complexity()
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_BucketedVertex, uniform_hetero, Constraint::uniform, PriorKind::hetero)
    ->Apply(market_sizes)
    ->Complexity()
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_RsmPolicy, uniform_appendix, Constraint::uniform, PriorKind::appendix)
    ->Apply(market_sizes)
    ->Complexity()
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RsmPolicy, uniform_hetero, Constraint::uniform, PriorKind::hetero)
    ->Apply(market_sizes)
    ->Complexity()
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMillisecond);

// ---- --dump_vertices: the D1 vertices as JSON, for bench/numpy/persuasion_numpy.py -------

void print_array(std::span<const double> values) {
  std::printf("[");
  for (std::size_t i = 0; i < values.size(); ++i) std::printf("%s%.17g", i == 0 ? "" : ",", values[i]);
  std::printf("]");
}

void print_array(std::span<const int> values) {
  std::printf("[");
  for (std::size_t i = 0; i < values.size(); ++i) std::printf("%s%d", i == 0 ? "" : ",", values[i]);
  std::printf("]");
}

// Every (constraint, prior, n) that BM_FrVertex times, with its inputs (rank
// function, prior, order) and the vertex it computes: the NumPy comparison
// recomputes the vertex from these inputs, so both sides see the same numbers.
void dump_vertices() {
  const std::pair<Constraint, const char*> constraints[] = {
      {Constraint::uniform, "uniform"}, {Constraint::partition, "partition"}, {Constraint::click, "click"}};
  const std::pair<PriorKind, const char*> priors[] = {{PriorKind::appendix, "appendix"}, {PriorKind::hetero, "hetero"}};
  std::printf("[\n");
  bool first = true;
  for (const auto& [constraint, constraint_name] : constraints) {
    for (const auto& [kind, prior_name] : priors) {
      for (const int n : {10, 30, 100, 300, 1000}) {
        const ps::FullRevelation& fr = full_revelation(constraint, kind, n);
        const std::vector<int> order = shuffled_order(n);
        std::vector<double> vertex(static_cast<std::size_t>(n));
        fr.vertex(order, vertex);
        std::printf("%s{\"name\": \"%s_%s/%d\", \"constraint\": \"%s\", \"n\": %d", first ? "" : ",\n", constraint_name,
                    prior_name, n, constraint_name, n);
        first = false;
        if (const auto* uniform = std::get_if<ps::UniformMatroid>(&fr.rank_function())) {
          std::printf(", \"k\": %d", uniform->k);
        } else if (const auto* partition = std::get_if<ps::PartitionMatroid>(&fr.rank_function())) {
          std::printf(", \"group_of\": ");
          print_array(partition->group_of);
          std::printf(", \"capacity\": ");
          print_array(partition->capacity);
        } else {
          std::printf(", \"p\": ");
          print_array(std::get<ps::Click>(fr.rank_function()).p);
        }
        std::printf(", \"values\": [");
        for (int i = 0; i < n; ++i) {
          std::printf("%s", i == 0 ? "" : ",");
          print_array(fr.prior()[static_cast<std::size_t>(i)].values);
        }
        std::printf("], \"probabilities\": [");
        for (int i = 0; i < n; ++i) {
          std::printf("%s", i == 0 ? "" : ",");
          print_array(fr.prior()[static_cast<std::size_t>(i)].probabilities);
        }
        std::printf("], \"order\": ");
        print_array(order);
        std::printf(", \"vertex\": ");
        print_array(vertex);
        std::printf("}");
      }
    }
  }
  std::printf("\n]\n");
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--dump_vertices") {
      dump_vertices();
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
