#include "core/test_rejection.hpp"
#include "mechanisms/persuasion/polymatroid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

#include "mechanisms/persuasion/prior.hpp"

namespace mechsweep::persuasion {
namespace {

using mechsweep::module_tests::rejection;

std::vector<int> members_of(std::uint32_t mask, int n) {
  std::vector<int> members;
  for (int i = 0; i < n; ++i) {
    if (mask >> i & 1U) members.push_back(i);
  }
  return members;
}

// A random laminar family on n agents: recursively split ranges, with a node
// per range kept at random and a random cap; agents are shuffled so that nodes
// are not intervals.
Polymatroid random_laminar(int n, std::mt19937_64& rng) {
  std::vector<int> agents(static_cast<std::size_t>(n));
  std::iota(agents.begin(), agents.end(), 0);
  std::shuffle(agents.begin(), agents.end(), rng);
  std::uniform_real_distribution<double> cap(0.2, 3.0);
  std::vector<LaminarCaps::Node> nodes;
  auto split = [&](auto&& self, int lo, int hi) -> void {
    if (hi - lo < 1) return;
    if (rng() % 3 != 0) nodes.push_back({cap(rng), {agents.begin() + lo, agents.begin() + hi}});
    if (hi - lo == 1) return;
    const int mid = lo + 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo - 1));
    self(self, lo, mid);
    self(self, mid, hi);
  };
  split(split, 0, n);
  std::vector<double> leaf(static_cast<std::size_t>(n));
  for (auto& c : leaf) c = rng() % 4 == 0 ? std::numeric_limits<double>::infinity() : cap(rng);
  // An infinite leaf cap needs an enclosing node.
  nodes.push_back({cap(rng) + 1.0, agents});
  return make_laminar_caps(leaf, nodes);
}

std::vector<Polymatroid> sample_families(int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<int> group_of(static_cast<std::size_t>(n));
  for (auto& g : group_of) g = static_cast<int>(rng() % 3);
  std::vector<double> cost(static_cast<std::size_t>(n)), p(static_cast<std::size_t>(n));
  for (auto& c : cost) c = 0.25 * static_cast<double>(rng() % 5);
  for (auto& x : p) x = rng() % 5 == 0 ? 1.0 : unit(rng);
  std::vector<double> phi{0.0};
  double step = 2.0;
  for (int t = 1; t <= n; ++t) {
    step *= unit(rng);
    phi.push_back(phi.back() + step);
  }
  return {make_uniform(n, 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(n))),
          make_partition(group_of, {1, 2, 0}),
          random_laminar(n, rng),
          make_budget(1.0 + unit(rng), cost),
          make_click(p),
          make_cardinality(phi)};
}

TEST(Polymatroid, ClosedFormRanksOnSmallSets) {
  const std::vector<int> s{0, 2, 3};
  EXPECT_EQ(rank(make_uniform(5, 2), s), 2.0);
  EXPECT_EQ(rank(make_partition({0, 0, 1, 1, 1}, {1, 1}), s), 2.0);
  EXPECT_DOUBLE_EQ(rank(make_budget(1.0, {0.5, 0.5, 0.25, 0.125}), s), 0.875);
  EXPECT_DOUBLE_EQ(rank(make_click({0.5, 0.5, 0.25, 0.5}), s), 1.0 - 0.5 * 0.75 * 0.5);
  EXPECT_DOUBLE_EQ(rank(make_cardinality({0.0, 1.0, 1.9, 2.5}), std::vector<int>{0, 1}), 1.9);
  // Laminar: caps 1 on {0,1} and 1.5 on {0,1,2}; leaves 0.75 each.
  const Polymatroid laminar = make_laminar_caps({0.75, 0.75, 0.75, 0.75}, {{1.0, {0, 1}}, {1.5, {0, 1, 2}}});
  EXPECT_DOUBLE_EQ(rank(laminar, std::vector<int>{0, 1}), 1.0);
  EXPECT_DOUBLE_EQ(rank(laminar, std::vector<int>{0, 1, 2}), 1.5);
  EXPECT_DOUBLE_EQ(rank(laminar, std::vector<int>{0, 1, 2, 3}), 2.25);
  EXPECT_DOUBLE_EQ(rank(laminar, std::vector<int>{0, 2}), 1.5);
  EXPECT_EQ(describe(make_uniform(5, 2)), "uniform(n=5, k=2)");
  EXPECT_EQ(describe(make_click({0.5, 0.5, 0.25})), "click(n=3)");
}

TEST(Polymatroid, GreedyIncrementsSumToTheRankOfEveryPrefix) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 2 + trial % 7;
    for (const Polymatroid& f : sample_families(n, rng)) {
      std::vector<int> order(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), rng);
      std::vector<double> x(static_cast<std::size_t>(n));
      greedy_vertex(f, order, x);
      double prefix = 0.0;
      for (int t = 0; t < n; ++t) {
        prefix += x[order[t]];
        const std::span<const int> head(order.data(), static_cast<std::size_t>(t) + 1);
        ASSERT_NEAR(prefix, rank(f, head), 1e-12) << describe(f) << " t=" << t;
      }
      EXPECT_TRUE(in_base_polytope(f, x, 1e-9)) << describe(f);
    }
  }
}

// The laminar greedy (min of own cap and ancestors' residuals) against the
// recursive rank min(c_A, Σ children) on random laminar families.
TEST(Polymatroid, LaminarGreedyMatchesRecursiveRank) {
  std::mt19937_64 rng(12);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + trial % 9;
    const Polymatroid f = random_laminar(n, rng);
    const auto& laminar = std::get<LaminarCaps>(f);
    for (int i = 0; i < n; ++i) {
      for (std::size_t t = 1; t < laminar.ancestors[i].size(); ++t) {
        const auto& inner = laminar.nodes[laminar.ancestors[i][t - 1]].members;
        const auto& outer = laminar.nodes[laminar.ancestors[i][t]].members;
        ASSERT_LE(inner.size(), outer.size()) << "ancestors are innermost first";
      }
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    LaminarCaps::Greedy greedy(laminar);
    double total = 0.0;
    for (int t = 0; t < n; ++t) {
      total += greedy.add(order[t]);
      ASSERT_NEAR(total, laminar.rank(std::span<const int>(order.data(), static_cast<std::size_t>(t) + 1)), 1e-12);
    }
    EXPECT_TRUE(validate_rank(f).valid()) << validate_rank(f).first_problem;
  }
}

TEST(Polymatroid, EveryFamilyPassesExhaustiveValidation) {
  std::mt19937_64 rng(13);
  for (int n = 1; n <= 7; ++n) {
    for (const Polymatroid& f : sample_families(n, rng)) {
      const RankValidation check = validate_rank(f);
      EXPECT_TRUE(check.valid()) << describe(f) << ": " << check.first_problem;
      EXPECT_TRUE(check.exhaustive);
      const TableRank table = tabulate(f);
      EXPECT_TRUE(validate_rank(table).valid());
      for (std::uint32_t mask = 0; mask < table.value.size(); ++mask) {
        ASSERT_NEAR(table.value[mask], rank(f, members_of(mask, n)), 1e-15);
      }
    }
  }
}

TEST(Polymatroid, ValidationFindsEachBrokenAxiom) {
  // f(S) = |S|² is supermodular; f(∅) = 1; a dip makes it non-monotone.
  std::vector<double> square(8), shifted(8), dip(8);
  for (std::uint32_t mask = 0; mask < 8; ++mask) {
    const double size = std::popcount(mask);
    square[mask] = size * size;
    shifted[mask] = std::min(size, 1.0) + 1.0;
    dip[mask] = std::min(size, 2.0);
  }
  dip[7] = 1.0;
  const RankValidation a = validate_rank(make_table(3, square));
  EXPECT_FALSE(a.submodular);
  EXPECT_TRUE(a.monotone);
  EXPECT_NE(a.first_problem.find("submodular"), std::string::npos) << a.first_problem;
  EXPECT_FALSE(validate_rank(make_table(3, shifted)).normalized);
  EXPECT_FALSE(validate_rank(make_table(3, dip)).monotone);
  EXPECT_NE(rejection([&] { require_polymatroid(make_table(3, square)); }).find("not a polymatroid"),
            std::string::npos);
  EXPECT_NE(rejection([&] { require_polymatroid(make_table(3, shifted)); }).find("f(∅) = 1"), std::string::npos);
  EXPECT_EQ(rejection([&] { require_polymatroid(make_uniform(3, 1)); }), "");
}

TEST(Polymatroid, SampledValidationAboveTwelveAgents) {
  std::vector<double> p(16, 0.3);
  const RankValidation click = validate_rank(make_click(p), 1e-12, 7, 2000);
  EXPECT_FALSE(click.exhaustive);
  EXPECT_TRUE(click.valid()) << click.first_problem;
  EXPECT_GT(click.checks, 2000);
  std::vector<double> square(std::size_t{1} << 13);
  for (std::uint32_t mask = 0; mask < square.size(); ++mask) square[mask] = std::pow(std::popcount(mask), 2.0);
  EXPECT_FALSE(validate_rank(make_table(13, square), 1e-12, 7, 2000).submodular);
}

std::vector<int> identity21() {
  std::vector<int> order(21);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

TEST(Polymatroid, BasePolytopeClosedFormsAgreeWithExhaustiveCheck) {
  std::mt19937_64 rng(14);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const std::vector<Polymatroid> families{make_uniform(5, 2), make_partition({0, 1, 0, 1, 1}, {1, 2}),
                                          make_cardinality({0.0, 1.0, 1.9, 2.5, 2.9, 3.0})};
  for (const Polymatroid& f : families) {
    const Polymatroid table = tabulate(f);
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<int> order(5);
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), rng);
      std::vector<double> x(5), y(5);
      greedy_vertex(f, order, x);
      std::shuffle(order.begin(), order.end(), rng);
      greedy_vertex(f, order, y);
      // A convex combination plus a random perturbation that keeps x(E).
      const double w = unit(rng);
      std::vector<double> z(5);
      for (int i = 0; i < 5; ++i) z[i] = w * x[i] + (1 - w) * y[i];
      const int a = static_cast<int>(rng() % 5), b = static_cast<int>(rng() % 5);
      const double shift = (unit(rng) - 0.5) * 0.2 * (trial % 2);
      z[a] += shift;
      z[b] -= shift;
      ASSERT_EQ(in_base_polytope(f, z), in_base_polytope(table, z)) << describe(f);
    }
    std::vector<double> short_sum(5, 0.0);
    EXPECT_FALSE(in_base_polytope(f, short_sum));
  }
  // Above kMaxTableAgents only the closed forms apply; a click vertex needs the exhaustive test.
  const Polymatroid click = make_click(std::vector<double>(21, 0.1));
  std::vector<double> x(21);
  greedy_vertex(click, identity21(), x);
  EXPECT_NE(rejection([&] { in_base_polytope(click, x); }).find("base polytope test n"), std::string::npos);
  const Polymatroid uniform = make_uniform(21, 3);
  greedy_vertex(uniform, identity21(), x);
  EXPECT_TRUE(in_base_polytope(uniform, x));
  std::swap(x[0], x[20]);
  x[1] += 0.5;
  x[20] -= 0.5;
  EXPECT_FALSE(in_base_polytope(uniform, x));
}

TEST(Polymatroid, MakeFunctionsRejectBadParameters) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(rejection([] { make_uniform(3, -1); }), "persuasion: uniform matroid k = -1, expected ≥ 0");
  EXPECT_NE(rejection([] { make_partition({0, 2}, {1, 1}); }).find("group_of[1] = 2"), std::string::npos);
  EXPECT_NE(rejection([] { make_partition({0, 0}, {-1}); }).find("capacity[0] = -1"), std::string::npos);
  EXPECT_NE(rejection([] {
              make_laminar_caps({1, 1, 1}, {{1.0, {0, 1}}, {1.0, {1, 2}}});
            }).find("nested or disjoint"),
            std::string::npos);
  EXPECT_NE(rejection([] { make_laminar_caps({1, 1}, {{-1.0, {0}}}); }).find("cap"), std::string::npos);
  EXPECT_NE(rejection([] { make_laminar_caps({1, 1}, {{1.0, {0, 0}}}); }).find("distinct"), std::string::npos);
  EXPECT_NE(rejection([] { make_laminar_caps({1, 1}, {{1.0, {5}}}); }).find("member = 5"), std::string::npos);
  EXPECT_NE(rejection([&] { make_laminar_caps({inf, 1}, {}); }).find("enclosing"), std::string::npos);
  EXPECT_EQ(rejection([&] { make_laminar_caps({inf, 1}, {{2.0, {0}}}); }), "");
  EXPECT_NE(rejection([] { make_budget(0.0, {1.0}); }).find("budget B = 0"), std::string::npos);
  EXPECT_NE(rejection([] { make_budget(1.0, {-0.5}); }).find("cost[0]"), std::string::npos);
  EXPECT_NE(rejection([&] { make_budget(1.0, {inf}); }).find("cost[0]"), std::string::npos);
  EXPECT_NE(rejection([] { make_click({0.5, 1.5}); }).find("p[1] = 1.5"), std::string::npos);
  EXPECT_NE(rejection([] { make_click({std::nan("")}); }).find("p[0]"), std::string::npos);
  EXPECT_NE(rejection([] { make_cardinality({0.5, 1.0}); }).find("phi[0]"), std::string::npos);
  EXPECT_NE(rejection([] { make_cardinality({0.0, 1.0, 0.5}); }).find("non-decreasing"), std::string::npos);
  EXPECT_NE(rejection([] { make_cardinality({0.0, 1.0, 2.5}); }).find("concave"), std::string::npos);
  EXPECT_NE(rejection([] { make_table(21, {}); }).find("table n = 21"), std::string::npos);
  EXPECT_NE(rejection([] { make_table(2, {0, 1, 1}); }).find("table size = 3"), std::string::npos);
  std::vector<double> vertex(3);
  EXPECT_NE(rejection([&] {
              greedy_vertex(make_uniform(3, 1), std::vector<int>{0, 0, 1}, vertex);
            }).find("permutation"),
            std::string::npos);
}

TEST(Prior, MakeDistributionDropsZeroAtomsMergesTiesAndSortsDescending) {
  const std::vector<double> values{1.0, 3.0, 2.0, 3.0, 5.0};
  const std::vector<double> probabilities{0.25, 0.25, 0.25, 0.25, 0.0};
  const ValueDistribution d = make_distribution(values, probabilities, "agent 0");
  EXPECT_EQ(d.values, (std::vector<double>{3.0, 2.0, 1.0}));
  EXPECT_EQ(d.probabilities, (std::vector<double>{0.5, 0.25, 0.25}));
  EXPECT_EQ(d.support(), 3);
  EXPECT_DOUBLE_EQ(d.mean(), 2.25);
  EXPECT_EQ(d.max(), 3.0);
  EXPECT_EQ(d.min(), 1.0);
  EXPECT_EQ(deterministic(1.5).values, std::vector<double>{1.5});
}

TEST(Prior, RejectsInputsListedInSpecSection64) {
  auto make = [](std::vector<double> v, std::vector<double> p) {
    return rejection([&] { make_distribution(v, p, "agent 2"); });
  };
  EXPECT_EQ(make({1.0, 2.0}, {-0.5, 1.5}), "persuasion: agent 2 probability[0] = -0.5, expected finite ≥ 0");
  EXPECT_NE(make({1.0, 2.0}, {0.5, 0.6}).find("probability sum = 1.1"), std::string::npos);
  EXPECT_NE(make({0.0, 2.0}, {0.5, 0.5}).find("value[0] = 0"), std::string::npos);
  EXPECT_NE(make({-1.0}, {1.0}).find("value[0] = -1"), std::string::npos);
  EXPECT_NE(make({}, {}).find("support size = 0"), std::string::npos);
  EXPECT_NE(make({1.0}, {std::nan("")}).find("probability[0]"), std::string::npos);
  EXPECT_NE(make({1.0, 2.0}, {1.0}).find("probability count"), std::string::npos);
  EXPECT_EQ(make({1.0, 2.0}, {0.5, 0.5 + 5e-13}), "");
}

TEST(Prior, ValueScaleNormalisationAndScenarioCount) {
  Prior prior{make_distribution(std::vector<double>{1.0, 4.0}, std::vector<double>{0.5, 0.5}, "a"), deterministic(2.0),
              make_distribution(std::vector<double>{1.0, 2.0, 3.0}, std::vector<double>{0.2, 0.3, 0.5}, "b")};
  EXPECT_EQ(value_scale(prior), 4.0);
  EXPECT_EQ(rejection([&] { require_normalised(prior, 4.0); }), "");
  EXPECT_NE(rejection([&] { require_normalised(prior, 3.0); }).find("agent 0 value = 4"), std::string::npos);
  EXPECT_NE(rejection([&] { require_normalised(prior, 0.5); }).find("value scale V = 0.5"), std::string::npos);
  prior.push_back(deterministic(0.5));
  EXPECT_NE(rejection([&] { require_normalised(prior, 4.0); }).find("agent 3 value = 0.5"), std::string::npos);
  EXPECT_EQ(scenario_count(prior), 6);
  const Prior wide(70, make_distribution(std::vector<double>{1.0, 2.0, 3.0, 4.0}, std::vector<double>(4, 0.25), "w"));
  EXPECT_EQ(scenario_count(wide), std::numeric_limits<std::int64_t>::max());
  EXPECT_NE(rejection([] { value_scale({}); }).find("number of agents = 0"), std::string::npos);
}

}  // namespace
}  // namespace mechsweep::persuasion
