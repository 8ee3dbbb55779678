// The FPRE module's (paper 000, spec 000 §5) main computations and their growth
// in n agents, L types per agent, K base indices and m' passwords:
//   BM_CheckIc/n/L          check_ic (BIC, weak and strict DSIC of μ): every
//                           (i, t, t'_i) once, so n·L^{n+1} terms (spec §5.2);
//                           expect linear growth in that count (Complexity oN).
//   BM_Obedience/n/L        analyse_obedience at m' = 16: ex post (i, t, s') and
//                           interim with double deviations (i, t_i, t̂_i, groups of
//                           t−i, s'), both O(n·L^{n+1}·K) in exact rationals (§5.4);
//                           here μ's image is one orbit (R = 1), so K = K_min = n.
//   BM_FpreEvaluate/m'      ν^ε(τ^ε(t)) on path, one item per profile (n = 3, L = 4),
//   BM_FpreRecommend/m'     and τ^ε(t): O(n log n) plus the base rule, and flat in
//                           m' = 2^4 … 2^40 because the password table is lazy (one
//                           counter hash per index, §5.3); expect O(1).
//   BM_FpreEvaluateOrbits/d the same against K: n = 2, L = 1, every share k/d of
//   BM_FpreRecommendOrbits/d the simplex a target, so R = d/2 + 1 orbits and
//                           K = K_min(2, R) ≈ √d; 512 outcomes per iteration.
//                           Evaluation ranks a subset (n binomials) and finds the
//                           outcome in 𝒪 (log |𝒪| rational comparisons);
//                           recommendation finds the orbit (log R) and unranks a
//                           colex subset by a scan over K. Expect slow growth.
//   BM_Continuity/N         analyse_continuity (Prop 3 Monte Carlo, n = 2) with N
//   BM_ContinuityAgents/n   rule draws, and at N = 10^4 against n: O(N·n) plus a
//                           constant per draw (§5.5); expect linear in N.
// Environments are simplex share environments (make_share_environment) with
// d = 12, a multiple of n(n−1) for n ≤ 4 (at the minimal d = 2 for n = 2 the
// floor would leave only o*), and μ = favour_agent_1 with floor 1/d, so μ is
// asymmetric and every agent stays above o̲^i on path. Each iteration stays
// well under a second. Every benchmark also reports the "min" over
// repetitions, the figure least disturbed by other load on a shared machine:
//   build/bench/fpre_bench --benchmark_counters_tabular=true
//       --benchmark_repetitions=5 --benchmark_enable_random_interleaving=true
//       --benchmark_min_time=0.2 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "mechanisms/fpre/base_rule.hpp"
#include "mechanisms/fpre/construction.hpp"
#include "mechanisms/fpre/continuity.hpp"
#include "mechanisms/fpre/families.hpp"
#include "mechanisms/fpre/ic.hpp"
#include "mechanisms/fpre/obedience.hpp"

namespace {

using namespace mechsweep::fpre;

constexpr int kDenominator = 12;
constexpr std::uint64_t kSeed = 7;

Environment share_environment(int agents, int types, int denominator) {
  ShareEnvironmentParams params;
  params.agents = agents;
  params.types = types;
  params.denominator = denominator;
  params.seed = kSeed;
  return make_share_environment(params);
}

// A share environment with the rule that favours agent 1: what the IC,
// obedience and hot-path benchmarks measure.
struct FavourAgentOne {
  FavourAgentOne(int agents, int types)
      : env(share_environment(agents, types, kDenominator)),
        mu(make_scf(env, ScfFamily::favour_agent_1, kSeed, Rational(1, kDenominator))) {}
  Environment env;
  Scf mu;
};

// The smallest repetition: with --benchmark_repetitions it is the figure least
// disturbed by other load on the machine (RESULTS.md quotes it).
double minimum(const std::vector<double>& values) { return *std::min_element(values.begin(), values.end()); }

// n·L^{n+1}: the (i, t, t'_i) terms of spec §5.2.
std::int64_t ic_terms(int agents, int types) {
  std::int64_t terms = agents;
  for (int k = 0; k <= agents; ++k) terms *= types;
  return terms;
}

// (n, L): L = 2..8 at n = 2, n = 2..4 at L = 2, and a few more points.
void ic_grid(benchmark::internal::Benchmark* b) {
  for (int types = 2; types <= 8; ++types) b->Args({2, types});
  for (int types = 2; types <= 4; ++types) b->Args({3, types});
  for (int types = 2; types <= 3; ++types) b->Args({4, types});
}

void BM_CheckIc(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const int types = static_cast<int>(state.range(1));
  const FavourAgentOne instance(agents, types);
  for (auto _ : state) benchmark::DoNotOptimize(check_ic(instance.env, instance.mu).bic);
  state.SetComplexityN(ic_terms(agents, types));
  state.counters["terms"] = static_cast<double>(ic_terms(agents, types));
}
BENCHMARK(BM_CheckIc)
    ->Apply(ic_grid)
    ->Complexity(benchmark::oN)
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);

void BM_Obedience(benchmark::State& state) {
  const int agents = static_cast<int>(state.range(0));
  const int types = static_cast<int>(state.range(1));
  const FavourAgentOne instance(agents, types);
  const Environment& env = instance.env;
  const Scf& mu = instance.mu;
  const BaseRule base = base_rule_for(env, mu);
  // DoNotOptimize gets the report, not the bool: DoNotOptimize(bool&) (benchmark
  // 1.7's "+m,r" asm) made this counter wrong under GCC 12 -O3 (valgrind:
  // uninitialised read).
  bool obedient = false;
  for (auto _ : state) {
    ObedienceReport report = analyse_obedience(env, mu, base, 16);
    benchmark::DoNotOptimize(report);
    obedient = report.obedient_interim;
  }
  state.SetComplexityN(ic_terms(agents, types) * base.index_count());
  state.counters["K"] = static_cast<double>(base.index_count());
  state.counters["R"] = static_cast<double>(base.orbit_count());
  state.counters["obedient"] = obedient ? 1 : 0;
}
BENCHMARK(BM_Obedience)
    ->Apply(ic_grid)
    ->Complexity(benchmark::oN)
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);

// ---- the evaluation hot path against m' ----------------------------------------

constexpr int kHotAgents = 3;
constexpr int kHotTypes = 4;

void BM_FpreEvaluate(benchmark::State& state) {
  const std::int64_t grid = state.range(0);
  const FavourAgentOne instance(kHotAgents, kHotTypes);
  const Environment& env = instance.env;
  const Scf& mu = instance.mu;
  const Fpre fpre(env, base_rule_for(env, mu), grid);
  const PasswordTable eps = fpre.table(kSeed);
  const std::int64_t profiles = env.profiles().size();
  std::vector<std::vector<FiniteMessage>> advice;
  for (std::int64_t t = 0; t < profiles; ++t) {
    advice.push_back(fpre.recommend(mu, t, eps));
    if (fpre.evaluate(advice.back(), eps) != mu[static_cast<std::size_t>(t)]) {
      state.SkipWithError("ν^ε(τ^ε(t)) ≠ μ(t)");
      return;
    }
  }
  for (auto _ : state) {
    for (const auto& tau : advice) benchmark::DoNotOptimize(fpre.evaluate(tau, eps));
  }
  state.SetItemsProcessed(state.iterations() * profiles);
  state.SetComplexityN(grid);
}
BENCHMARK(BM_FpreEvaluate)
    ->RangeMultiplier(16)
    ->Range(std::int64_t{1} << 4, std::int64_t{1} << 40)
    ->Complexity(benchmark::o1)
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);

void BM_FpreRecommend(benchmark::State& state) {
  const std::int64_t grid = state.range(0);
  const FavourAgentOne instance(kHotAgents, kHotTypes);
  const Environment& env = instance.env;
  const Scf& mu = instance.mu;
  const Fpre fpre(env, base_rule_for(env, mu), grid);
  const PasswordTable eps = fpre.table(kSeed);
  const std::int64_t profiles = env.profiles().size();
  for (auto _ : state) {
    for (std::int64_t t = 0; t < profiles; ++t) benchmark::DoNotOptimize(fpre.recommend(mu, t, eps));
  }
  state.SetItemsProcessed(state.iterations() * profiles);
  state.SetComplexityN(grid);
}
BENCHMARK(BM_FpreRecommend)
    ->RangeMultiplier(16)
    ->Range(std::int64_t{1} << 4, std::int64_t{1} << 40)
    ->Complexity(benchmark::o1)
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);

// ---- the same against K (many orbits) ------------------------------------------

constexpr std::int64_t kOrbitGrid = std::int64_t{1} << 20;
constexpr int kOrbitSample = 512;  // outcomes per iteration, evenly spread over 𝒪

// A base rule whose targets are all of 𝒪, so K grows with the denominator.
std::vector<int> every_outcome(const Environment& env) {
  std::vector<int> targets(static_cast<std::size_t>(env.outcome_count()));
  for (int o = 0; o < env.outcome_count(); ++o) targets[static_cast<std::size_t>(o)] = o;
  return targets;
}

// kOrbitSample outcome indices spread evenly over 𝒪 (repeating when |𝒪| is
// smaller), so that every point does the same number of items per iteration.
std::vector<int> orbit_sample(const Environment& env) {
  std::vector<int> sample;
  for (std::int64_t j = 0; j < kOrbitSample; ++j)
    sample.push_back(static_cast<int>(j * env.outcome_count() / kOrbitSample));
  return sample;
}

void BM_FpreEvaluateOrbits(benchmark::State& state) {
  const int denominator = static_cast<int>(state.range(0));
  const Environment env = share_environment(2, 1, denominator);
  const Fpre fpre(env, BaseRule(env, every_outcome(env)), kOrbitGrid);
  const PasswordTable eps = fpre.table(kSeed);
  std::vector<std::vector<FiniteMessage>> advice;
  for (const int o : orbit_sample(env)) {
    advice.push_back(fpre.recommend(o, eps));
    if (fpre.evaluate(advice.back(), eps) != o) {
      state.SkipWithError("ν^ε(τ̃^ε(o)) ≠ o");
      return;
    }
  }
  for (auto _ : state) {
    for (const auto& tau : advice) benchmark::DoNotOptimize(fpre.evaluate(tau, eps));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(advice.size()));
  state.SetComplexityN(fpre.base().index_count());
  state.counters["K"] = static_cast<double>(fpre.base().index_count());
  state.counters["R"] = static_cast<double>(fpre.base().orbit_count());
}
BENCHMARK(BM_FpreEvaluateOrbits)
    ->RangeMultiplier(4)
    ->Range(16, 1 << 16)
    ->Complexity()
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);

void BM_FpreRecommendOrbits(benchmark::State& state) {
  const int denominator = static_cast<int>(state.range(0));
  const Environment env = share_environment(2, 1, denominator);
  const Fpre fpre(env, BaseRule(env, every_outcome(env)), kOrbitGrid);
  const PasswordTable eps = fpre.table(kSeed);
  const std::vector<int> sample = orbit_sample(env);
  for (auto _ : state) {
    for (const int o : sample) benchmark::DoNotOptimize(fpre.recommend(o, eps));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sample.size()));
  state.SetComplexityN(fpre.base().index_count());
  state.counters["K"] = static_cast<double>(fpre.base().index_count());
}
BENCHMARK(BM_FpreRecommendOrbits)
    ->RangeMultiplier(4)
    ->Range(16, 1 << 16)
    ->Complexity()
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMicrosecond);

// ---- Proposition 3 Monte Carlo -------------------------------------------------

void BM_Continuity(benchmark::State& state) {
  const auto samples = static_cast<std::uint64_t>(state.range(0));
  const ContinuityParams params;  // n = 2, z = 0.01, ℓ = 100, c = 1
  for (auto _ : state) benchmark::DoNotOptimize(analyse_continuity(params, kSeed, samples).max_z_score);
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Continuity)
    ->RangeMultiplier(10)
    ->Range(1000, 100000)
    ->Complexity(benchmark::oN)
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMillisecond);

void BM_ContinuityAgents(benchmark::State& state) {
  ContinuityParams params;
  params.n = static_cast<int>(state.range(0));
  constexpr std::uint64_t kSamples = 10000;
  for (auto _ : state) benchmark::DoNotOptimize(analyse_continuity(params, kSeed, kSamples).max_z_score);
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ContinuityAgents)
    ->RangeMultiplier(2)
    ->Range(2, 16)
    ->Complexity(benchmark::oN)
    ->ComputeStatistics("min", minimum)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
