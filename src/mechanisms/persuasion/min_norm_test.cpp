#include "mechanisms/persuasion/min_norm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/seed.hpp"
#include "mechanisms/persuasion/majorization.hpp"

namespace mechsweep::persuasion {
namespace {

constexpr double kExact = 1e-12;
constexpr double kWolfe = 1e-9;

// A rank table from the spec's listing: agents 1..n are bits 0..n−1.
struct NamedSet {
  std::vector<int> agents;  // 1-based, as in the spec
  double value;
};
std::vector<double> table_from(int n, const std::vector<NamedSet>& sets) {
  std::vector<double> table(std::size_t{1} << n, -1.0);
  table[0] = 0.0;
  for (const auto& set : sets) {
    std::uint32_t mask = 0;
    for (int agent : set.agents) mask |= std::uint32_t{1} << (agent - 1);
    table[mask] = set.value;
  }
  return table;
}

struct KnownAnswer {
  std::string id;
  int n;
  std::vector<double> table;
  std::vector<double> star;     // U*
  std::vector<double> star_q;   // Q(U*)
  std::vector<double> uniform;  // uniform tie-break (average of all n! vertices)
};

// spec §3.5.
std::vector<KnownAnswer> fr_instances() {
  std::vector<KnownAnswer> instances;
  instances.push_back(
      {"FR-A",
       3,
       table_from(3, {{{1}, 1}, {{2}, 2}, {{3}, 0}, {{1, 2}, 2}, {{1, 3}, 1}, {{2, 3}, 2}, {{1, 2, 3}, 2}}),
       {1, 1, 0},
       {0, 1, 2},
       {0.5, 1.5, 0}});
  const double single = 13.0 / 8;
  const double pair = 19.0 / 8;
  instances.push_back({"FR-B",
                       3,
                       table_from(3, {{{1}, single},
                                      {{2}, single},
                                      {{3}, single},
                                      {{1, 2}, pair},
                                      {{1, 3}, pair},
                                      {{2, 3}, pair},
                                      {{1, 2, 3}, 11.0 / 4}}),
                       {11.0 / 12, 11.0 / 12, 11.0 / 12},
                       {11.0 / 12, 11.0 / 6, 11.0 / 4},
                       {11.0 / 12, 11.0 / 12, 11.0 / 12}});
  instances.push_back({"FR-C",
                       4,
                       table_from(4, {{{1}, 9.0 / 8},
                                      {{2}, 2.0},
                                      {{3}, 13.0 / 8},
                                      {{4}, 1.0 / 8},
                                      {{1, 2}, 25.0 / 8},
                                      {{1, 3}, 21.0 / 8},
                                      {{1, 4}, 9.0 / 8},
                                      {{2, 3}, 29.0 / 8},
                                      {{2, 4}, 17.0 / 8},
                                      {{3, 4}, 13.0 / 8},
                                      {{1, 2, 3}, 31.0 / 8},
                                      {{1, 2, 4}, 25.0 / 8},
                                      {{1, 3, 4}, 21.0 / 8},
                                      {{2, 3, 4}, 29.0 / 8},
                                      {{1, 2, 3, 4}, 31.0 / 8}}),
                       {1.0, 11.0 / 8, 11.0 / 8, 1.0 / 8},
                       {1.0 / 8, 9.0 / 8, 5.0 / 2, 31.0 / 8},
                       {19.0 / 24, 7.0 / 4, 31.0 / 24, 1.0 / 24}});
  instances.push_back({"FR-D",
                       3,
                       table_from(3, {{{1}, 5.0 / 8},
                                      {{2}, 1.0},
                                      {{3}, 9.0 / 8},
                                      {{1, 2}, 13.0 / 8},
                                      {{1, 3}, 11.0 / 8},
                                      {{2, 3}, 13.0 / 8},
                                      {{1, 2, 3}, 15.0 / 8}}),
                       {5.0 / 8, 5.0 / 8, 5.0 / 8},
                       {5.0 / 8, 5.0 / 4, 15.0 / 8},
                       {7.0 / 16, 3.0 / 4, 11.0 / 16}});
  instances.push_back({"FR-E",
                       3,
                       table_from(3, {{{1}, 85.0 / 128},
                                      {{2}, 85.0 / 128},
                                      {{3}, 41.0 / 128},
                                      {{1, 2}, 147.0 / 128},
                                      {{1, 3}, 115.0 / 128},
                                      {{2, 3}, 115.0 / 128},
                                      {{1, 2, 3}, 169.0 / 128}}),
                       {0.5, 0.5, 41.0 / 128},
                       {41.0 / 128, 105.0 / 128, 169.0 / 128},
                       {69.0 / 128, 69.0 / 128, 31.0 / 128}});
  return instances;
}

std::vector<int> zero_based(std::vector<int> order) {
  for (int& agent : order) --agent;
  return order;
}

std::vector<double> vertex_of(const VertexOracle& oracle, int n, const std::vector<int>& order) {
  std::vector<double> vertex(n);
  oracle(order, vertex);
  return vertex;
}

void expect_vector_near(const std::vector<double>& actual, const std::vector<double>& expected, double tol,
                        const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], tol) << what << " index " << i;
}

// Weights ≥ 0 summing to 1, each order a permutation, and Σ w_r vertex_r = point.
void expect_mixture_realises(const MinNormResult& result, int n, const VertexOracle& oracle, double tol,
                             const std::string& what) {
  ASSERT_FALSE(result.mixture.empty()) << what;
  double total = 0.0;
  for (const auto& entry : result.mixture) {
    EXPECT_GE(entry.weight, 0.0) << what;
    total += entry.weight;
    std::vector<int> sorted = entry.order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> identity(n);
    std::iota(identity.begin(), identity.end(), 0);
    EXPECT_EQ(sorted, identity) << what;
  }
  EXPECT_NEAR(total, 1.0, kExact) << what;
  expect_vector_near(mixture_point(n, result.mixture, oracle), result.point, tol, what + " mixture");
}

double squared_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return sum;
}

std::vector<int> members(std::uint32_t mask, int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) {
    if ((mask >> i) & 1u) out.push_back(i);
  }
  return out;
}

// x ∈ B(G): x(S) ≤ G(S) for every S and x(E) = G(E).
void expect_in_base_polytope(const std::vector<double>& x, const std::vector<double>& table, int n, double tol,
                             const std::string& what) {
  for (std::uint32_t mask = 1; mask < table.size(); ++mask) {
    double sum = 0.0;
    for (int i : members(mask, n)) sum += x[i];
    EXPECT_LE(sum, table[mask] + tol) << what << " set " << mask;
  }
  EXPECT_NEAR(std::accumulate(x.begin(), x.end(), 0.0), table.back(), tol) << what;
}

// spec §3.5 fixed-priority vertices (the oracle is greedy on the table).
TEST(MinNormOracle, TableGreedyGivesTheSpecVertices) {
  const auto instances = fr_instances();
  const VertexOracle frc = table_vertex_oracle(4, instances[2].table);
  expect_vector_near(vertex_of(frc, 4, zero_based({1, 2, 3, 4})), {9.0 / 8, 2.0, 3.0 / 4, 0.0}, kExact, "FR-C 1234");
  expect_vector_near(vertex_of(frc, 4, zero_based({4, 3, 2, 1})), {1.0 / 4, 2.0, 3.0 / 2, 1.0 / 8}, kExact,
                     "FR-C 4321");
  const VertexOracle frd = table_vertex_oracle(3, instances[3].table);
  expect_vector_near(vertex_of(frd, 3, zero_based({3, 2, 1})), {1.0 / 4, 1.0 / 2, 9.0 / 8}, kExact, "FR-D 321");
  const VertexOracle fre = table_vertex_oracle(3, instances[4].table);
  expect_vector_near(vertex_of(fre, 3, zero_based({1, 2, 3})), {85.0 / 128, 31.0 / 64, 11.0 / 64}, kExact, "FR-E 123");
}

// spec §3.5: the sample mixtures realise U*.
TEST(MinNormOracle, SpecMixturesRealiseTheStarPoints) {
  const auto instances = fr_instances();
  const std::vector<WeightedOrder> frc{{zero_based({2, 4, 1, 3}), 1.0 / 6}, {zero_based({4, 1, 3, 2}), 5.0 / 6}};
  expect_vector_near(mixture_point(4, frc, table_vertex_oracle(4, instances[2].table)), instances[2].star, kExact,
                     "FR-C");
  const std::vector<WeightedOrder> frd{{zero_based({1, 2, 3}), 0.25}, {zero_based({1, 3, 2}), 0.75}};
  expect_vector_near(mixture_point(3, frd, table_vertex_oracle(3, instances[3].table)), instances[3].star, kExact,
                     "FR-D");
  const std::vector<WeightedOrder> fre{{zero_based({3, 1, 2}), 0.5}, {zero_based({3, 2, 1}), 0.5}};
  expect_vector_near(mixture_point(3, fre, table_vertex_oracle(3, instances[4].table)), instances[4].star, kExact,
                     "FR-E");
}

// spec §3.5 "uniform" column = the average over all n! priority orders, and
// U* strictly majorizes it where the two differ.
TEST(MinNormKnownAnswers, UniformTieBreakIsTheVertexAverageAndIsMajorizedByStar) {
  for (const auto& instance : fr_instances()) {
    const VertexOracle oracle = table_vertex_oracle(instance.n, instance.table);
    std::vector<int> order(instance.n);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> average(instance.n, 0.0);
    int count = 0;
    do {
      const auto vertex = vertex_of(oracle, instance.n, order);
      for (int i = 0; i < instance.n; ++i) average[i] += vertex[i];
      ++count;
    } while (std::next_permutation(order.begin(), order.end()));
    for (double& value : average) value /= count;
    expect_vector_near(average, instance.uniform, kExact, instance.id);
    EXPECT_TRUE(majorizes(instance.star, instance.uniform, 1.0, kExact)) << instance.id;
  }
}

// spec §3.5: A1 is exact; U* and Q(U*) as tabulated; levels strictly increase.
TEST(MinNormKnownAnswers, DecompositionGivesTheSpecStarPointsExactly) {
  for (const auto& instance : fr_instances()) {
    const LexicographicBase base = decomposition_min_norm_point(instance.n, instance.table);
    expect_vector_near(base.point, instance.star, kExact, instance.id);
    expect_vector_near(prefix_sums_smallest(base.point), instance.star_q, kExact, instance.id);
    EXPECT_TRUE(std::is_sorted(base.levels.begin(), base.levels.end())) << instance.id;
    ASSERT_EQ(base.levels.size(), base.level_sets.size());
    int covered = 0;
    for (std::size_t t = 0; t < base.levels.size(); ++t) {
      covered += static_cast<int>(base.level_sets[t].size());
      for (int i : base.level_sets[t]) EXPECT_EQ(base.point[i], base.levels[t]);
    }
    EXPECT_EQ(covered, instance.n) << instance.id;
  }
  // FR-C has three levels: {4} at 1/8, {1} at 1, {2, 3} at 11/8.
  const LexicographicBase frc = decomposition_min_norm_point(4, fr_instances()[2].table);
  ASSERT_EQ(frc.levels.size(), 3u);
  EXPECT_EQ(frc.level_sets[0], std::vector<int>{3});
  EXPECT_EQ(frc.level_sets[1], std::vector<int>{0});
  EXPECT_EQ(frc.level_sets[2], (std::vector<int>{1, 2}));
}

TEST(MinNormKnownAnswers, WolfeFindsTheSpecStarPointsWithARealisingMixture) {
  for (const auto& instance : fr_instances()) {
    const VertexOracle oracle = table_vertex_oracle(instance.n, instance.table);
    const MinNormResult result = wolfe_min_norm_point(instance.n, oracle);
    EXPECT_TRUE(result.converged) << instance.id;
    expect_vector_near(result.point, instance.star, kWolfe, instance.id);
    expect_vector_near(prefix_sums_smallest(result.point), instance.star_q, kWolfe, instance.id);
    expect_mixture_realises(result, instance.n, oracle, kWolfe, instance.id);
    EXPECT_LE(static_cast<int>(result.mixture.size()), instance.n + 1) << instance.id;
    EXPECT_LE(result.gap, 1e-12) << instance.id;
    EXPECT_EQ(result.oracle_calls, result.iterations + 2) << instance.id;  // start + one per major cycle + final
  }
}

TEST(MinNormKnownAnswers, FrankWolfeIsWithinItsCertifiedDistance) {
  for (const auto& instance : fr_instances()) {
    const VertexOracle oracle = table_vertex_oracle(instance.n, instance.table);
    MinNormOptions options;
    options.max_iterations = 3000;
    const MinNormResult result = frank_wolfe_min_norm_point(instance.n, oracle, options);
    // ‖x − U*‖² ≤ gap, the Frank–Wolfe certificate (spec §2.2 A2).
    EXPECT_LE(squared_distance(result.point, instance.star), result.gap + 1e-15) << instance.id;
    EXPECT_LE(result.gap, 1e-3) << instance.id;
    expect_mixture_realises(result, instance.n, oracle, 1e-9, instance.id);
  }
  // spec §2.2: FW on FR-C reaches gap ≈ 8.7e-5 after 3000 steps and is not yet converged.
  const auto instances = fr_instances();
  const auto& frc = instances[2];
  MinNormOptions options;
  options.max_iterations = 3000;
  const MinNormResult result = frank_wolfe_min_norm_point(4, table_vertex_oracle(4, frc.table), options);
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(result.iterations, 3000);
  EXPECT_LT(result.gap, 1e-3);
  EXPECT_GT(result.gap, 1e-7);
}

TEST(MinNormKnownAnswers, CaratheodoryKeepsAtMostNPlusOneVertices) {
  const auto instances = fr_instances();
  const auto& frc = instances[2];
  const VertexOracle oracle = table_vertex_oracle(4, frc.table);
  std::vector<CandidateVertex> candidates;
  std::vector<int> order{0, 1, 2, 3};
  do {
    candidates.push_back({order, vertex_of(oracle, 4, order)});
  } while (std::next_permutation(order.begin(), order.end()));
  const CaratheodoryResult result = caratheodory_decomposition(frc.star, candidates);
  EXPECT_LE(result.mixture.size(), 5u);
  EXPECT_LE(result.lp_residual, 1e-9);
  EXPECT_LE(result.max_error, 1e-9);
  expect_vector_near(mixture_point(4, result.mixture, oracle), frc.star, 1e-9, "Carathéodory");

  // A target outside the hull: the L1 residual is positive and reported.
  const std::vector<double> outside{2.0, 2.0, 0.0, -0.125};
  EXPECT_GT(caratheodory_decomposition(outside, candidates).lp_residual, 0.1);
}

// Random monotone submodular tables: sums of concave-of-cardinality terms on
// random subsets, budget terms min(B, Σ c) and click terms 1 − Π(1 − p).
std::vector<double> random_polymatroid_table(int n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::size_t size = std::size_t{1} << n;
  std::vector<double> table(size, 0.0);
  const int terms = 1 + static_cast<int>(rng() % 3);
  for (int term = 0; term < terms; ++term) {
    const int kind = static_cast<int>(rng() % 3);
    if (kind == 0) {
      std::uint32_t support = 0;
      while (support == 0) support = static_cast<std::uint32_t>(rng()) & static_cast<std::uint32_t>(size - 1);
      std::vector<double> increments(n);
      for (double& value : increments) value = unit(rng);
      std::sort(increments.rbegin(), increments.rend());
      std::vector<double> phi(n + 1, 0.0);
      for (int k = 1; k <= n; ++k) phi[k] = phi[k - 1] + increments[k - 1];
      for (std::uint32_t mask = 0; mask < size; ++mask) table[mask] += phi[std::popcount(mask & support)];
    } else if (kind == 1) {
      std::vector<double> cost(n);
      double total = 0.0;
      for (double& value : cost) total += value = unit(rng);
      const double budget = (0.2 + 0.8 * unit(rng)) * total;
      for (std::uint32_t mask = 0; mask < size; ++mask) {
        double spent = 0.0;
        for (int i : members(mask, n)) spent += cost[i];
        table[mask] += std::min(budget, spent);
      }
    } else {
      std::vector<double> p(n);
      for (double& value : p) value = 0.9 * unit(rng);
      for (std::uint32_t mask = 0; mask < size; ++mask) {
        double miss = 1.0;
        for (int i : members(mask, n)) miss *= 1.0 - p[i];
        table[mask] += 1.0 - miss;
      }
    }
  }
  return table;
}

// spec §6.5 items 3–5 and 9 on seeded random polymatroids.
TEST(MinNormProperties, WolfeMatchesDecompositionAndDominatesEveryVertex) {
  for (int trial = 0; trial < 24; ++trial) {
    const int n = 3 + trial % 6;
    const std::vector<double> table = random_polymatroid_table(n, derive_seed(4004, static_cast<std::uint64_t>(trial)));
    const std::string what = "trial " + std::to_string(trial) + " n=" + std::to_string(n);
    const VertexOracle oracle = table_vertex_oracle(n, table);
    const LexicographicBase exact = decomposition_min_norm_point(n, table);
    const MinNormResult wolfe = wolfe_min_norm_point(n, oracle);
    EXPECT_TRUE(wolfe.converged) << what;
    expect_vector_near(wolfe.point, exact.point, kWolfe, what);
    expect_mixture_realises(wolfe, n, oracle, kWolfe, what);
    expect_in_base_polytope(exact.point, table, n, 1e-12, what + " A1");
    expect_in_base_polytope(wolfe.point, table, n, kWolfe, what + " Wolfe");
    EXPECT_NEAR(std::accumulate(exact.point.begin(), exact.point.end(), 0.0), table.back(), 1e-12) << what;

    if (n > 6) continue;
    const std::vector<double> star_q = prefix_sums_smallest(exact.point);
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    do {
      const std::vector<double> q = prefix_sums_smallest(vertex_of(oracle, n, order));
      for (int j = 0; j < n; ++j) ASSERT_GE(star_q[j], q[j] - 1e-12) << what << " j=" << j + 1;
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

TEST(MinNormProperties, FrankWolfeCertificateHoldsOnRandomPolymatroids) {
  for (int trial = 0; trial < 6; ++trial) {
    const int n = 3 + trial;
    const std::vector<double> table = random_polymatroid_table(n, derive_seed(4005, static_cast<std::uint64_t>(trial)));
    const LexicographicBase exact = decomposition_min_norm_point(n, table);
    MinNormOptions options;
    options.max_iterations = 300;
    const MinNormResult fw = frank_wolfe_min_norm_point(n, table_vertex_oracle(n, table), options);
    EXPECT_LE(squared_distance(fw.point, exact.point), fw.gap + 1e-15) << "trial " << trial;
  }
}

// A long mixture (a Frank–Wolfe record, here 40 random orders with random
// weights) collapses to ≤ n + 1 orders with the same point.
TEST(MinNormProperties, ReducedMixtureKeepsAtMostNPlusOneOrders) {
  for (int trial = 0; trial < 3; ++trial) {
    const int n = 5 + trial;
    const std::uint64_t seed = derive_seed(4008, static_cast<std::uint64_t>(trial));
    const VertexOracle oracle = table_vertex_oracle(n, random_polymatroid_table(n, seed));
    std::mt19937_64 rng(seed + 1);
    std::vector<WeightedOrder> mixture(40);
    double total = 0.0;
    for (auto& entry : mixture) {
      entry.order.resize(n);
      std::iota(entry.order.begin(), entry.order.end(), 0);
      std::shuffle(entry.order.begin(), entry.order.end(), rng);
      total += entry.weight = std::uniform_real_distribution<double>(0.1, 1.0)(rng);
    }
    for (auto& entry : mixture) entry.weight /= total;
    const CaratheodoryResult reduced = reduce_mixture(n, mixture, oracle);
    EXPECT_LE(reduced.mixture.size(), static_cast<std::size_t>(n + 1)) << "trial " << trial;
    EXPECT_LE(reduced.max_error, 1e-9) << "trial " << trial;
    expect_vector_near(mixture_point(n, reduced.mixture, oracle), mixture_point(n, mixture, oracle), 1e-9,
                       "reduced mixture");
  }
}

TEST(MinNormProperties, DecompositionAcceptsARankFunction) {
  const std::vector<double> table = random_polymatroid_table(5, derive_seed(4006, 0));
  const LexicographicBase from_table = decomposition_min_norm_point(5, table);
  const LexicographicBase from_function =
      decomposition_min_norm_point(5, [&](std::uint32_t mask) { return table[mask]; });
  EXPECT_EQ(from_table.point, from_function.point);
  EXPECT_EQ(from_table.levels, from_function.levels);
}

// Closed forms with a cheap oracle at larger n: a partition matroid's base
// polytope is a product of uniform ones, so U*_i = k_g / |E_g|; a budget
// min(B, Σ c) gives the water-filling U*_i = min(c_i, λ) with Σ U* = B.
TEST(MinNormScaling, WolfeSolvesPartitionMatroidsAtNinety) {
  const int n = 90;
  std::vector<int> group_of(n);
  const std::vector<int> capacity{1, 3, 7, 2};
  for (int i = 0; i < n; ++i) group_of[i] = (i * 7 + i / 5) % 4;
  std::vector<int> group_size(4, 0);
  for (int g : group_of) ++group_size[g];
  const VertexOracle oracle = [&](std::span<const int> order, std::span<double> vertex) {
    std::vector<int> used(4, 0);
    for (int agent : order) vertex[agent] = used[group_of[agent]]++ < capacity[group_of[agent]] ? 1.0 : 0.0;
  };
  const MinNormResult result = wolfe_min_norm_point(n, oracle);
  EXPECT_TRUE(result.converged);
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR(result.point[i], static_cast<double>(capacity[group_of[i]]) / group_size[group_of[i]], kWolfe) << i;
  }
  expect_mixture_realises(result, n, oracle, kWolfe, "partition");
}

TEST(MinNormScaling, WolfeWaterFillsABudgetAtSixty) {
  const int n = 60;
  std::mt19937_64 rng(derive_seed(4007, 0));
  std::uniform_real_distribution<double> unit(0.05, 1.0);
  std::vector<double> cost(n);
  for (double& value : cost) value = unit(rng);
  const double budget = 0.4 * std::accumulate(cost.begin(), cost.end(), 0.0);
  const VertexOracle oracle = [&](std::span<const int> order, std::span<double> vertex) {
    double spent = 0.0;
    for (int agent : order) {
      const double next = std::min(budget, spent + cost[agent]);
      vertex[agent] = next - spent;
      spent = next;
    }
  };
  // λ with Σ min(c_i, λ) = B, by bisection (monotone in λ).
  double low = 0.0;
  double high = 1.0;
  for (int round = 0; round < 200; ++round) {
    const double mid = 0.5 * (low + high);
    double total = 0.0;
    for (double c : cost) total += std::min(c, mid);
    (total < budget ? low : high) = mid;
  }
  const MinNormResult result = wolfe_min_norm_point(n, oracle);
  EXPECT_TRUE(result.converged);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(result.point[i], std::min(cost[i], low), kWolfe) << i;
}

TEST(MinNormValidation, RejectsBadInput) {
  EXPECT_THROW(decomposition_min_norm_point(2, std::vector<double>{0.0, 1.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(decomposition_min_norm_point(2, std::vector<double>{0.5, 1.0, 1.0, 1.5}), std::invalid_argument);
  EXPECT_THROW(decomposition_min_norm_point(0, std::vector<double>{0.0}), std::invalid_argument);
  EXPECT_THROW(table_vertex_oracle(2, {0.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(parse_min_norm_method("simplex"), std::invalid_argument);
  EXPECT_EQ(parse_min_norm_method(to_string(MinNormMethod::frank_wolfe)), MinNormMethod::frank_wolfe);
  const VertexOracle oracle = table_vertex_oracle(2, {0.0, 1.0, 1.0, 1.5});
  MinNormOptions options;
  options.tolerance = -1.0;
  EXPECT_THROW(wolfe_min_norm_point(2, oracle, options), std::invalid_argument);
  options.tolerance = 1e-12;
  options.max_iterations = -1;
  EXPECT_THROW(frank_wolfe_min_norm_point(2, oracle, options), std::invalid_argument);
  // Vertices with different sums cannot come from one base polytope.
  const VertexOracle inconsistent = [](std::span<const int> order, std::span<double> vertex) {
    vertex[order[0]] = 1.0;
    vertex[order[1]] = order[0] == 0 ? 0.0 : 0.5;
  };
  EXPECT_THROW(wolfe_min_norm_point(2, inconsistent), std::invalid_argument);
}

// A supermodular "rank": the union of the level-1 minimisers is no minimiser.
TEST(MinNormValidation, DecompositionRejectsANonSubmodularTable) {
  try {
    decomposition_min_norm_point(2, std::vector<double>{0.0, 1.0, 1.0, 3.0});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("not submodular"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mechsweep::persuasion
