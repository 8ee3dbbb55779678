// Proposition 3's replica economy (spec 002 §2.10): N = 1 is the economy
// itself (K5, K6), the cell LP is exact for EOPR at N > 1 (against the
// per-profile enumeration on the N-fold market), the per-capita cost never
// falls below the LM value of the same menus and approaches it like N^{-1/2}.

#include "mechanisms/delegation/replica.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/test_helpers.hpp"

namespace mechsweep::delegation {
namespace {

using test_support::b2;
using Mixtures = std::vector<std::vector<std::pair<double, Menu>>>;

const Menu kBuyAndSell{false, {{1, -1}, {-1, 1}}};  // K5: p1 = p2 = 1
const Menu kBuy{false, {{1, -1}}};
const Menu kSell{false, {{-1, 1}}};

using test_support::k6;
const std::vector<Menu> kK6Menus = {Menu{true, {}}, Menu{false, {{1, -1}}}, Menu{false, {{-1, 2}}}};

// The N-fold market as an ordinary market: agent j's copies are agents
// j·N … j·N + N − 1, with N·n units. EOPR on it is the replica economy.
Market replicate(const Market& market, int replicas) {
  Market big;
  big.tasks = market.tasks;
  big.agents = market.agents * replicas;
  for (double units : market.units) big.units.push_back(units * replicas);
  for (int j = 0; j < market.agents; ++j) {
    for (int copy = 0; copy < replicas; ++copy) {
      for (int i = 0; i < market.tasks; ++i) {
        big.status_quo.push_back(market.at(market.status_quo, j, i));
        big.cost.push_back(market.at(market.cost, j, i));
        big.box_low.push_back(market.at(market.box_low, j, i));
        big.box_high.push_back(market.at(market.box_high, j, i));
      }
      big.slack.push_back(market.slack[j]);
    }
  }
  return big;
}

ReplicaOptions exact(int replicas) {
  ReplicaOptions options;
  options.replicas = replicas;
  return options;
}

ReplicaOptions sampled(int replicas, std::uint64_t draws, std::uint64_t seed) {
  ReplicaOptions options;
  options.replicas = replicas;
  options.draws = draws;
  options.exact_limit = 0;
  options.seed = seed;
  return options;
}

// B2 with K5's menus: group 1 buyers b ~ Bin(N, ½) trade one-for-one with
// group 2 sellers s ~ Bin(N, ½), each pair saving 2 (the other pairings save
// nothing), so V(N) = 6N − 2·min(b, s) and the gap to the LM value 5 is
// E|b − s|/N = E|Bin(2N, ½) − N|/N.
double k5_gap_closed_form(int replicas) {
  const int trials = 2 * replicas;
  double mean_absolute = 0.0;
  for (int k = 0; k <= trials; ++k) {
    const double log_pmf =
        std::lgamma(trials + 1.0) - std::lgamma(k + 1.0) - std::lgamma(trials - k + 1.0) - trials * std::log(2.0);
    mean_absolute += std::exp(log_pmf) * std::abs(k - replicas);
  }
  return mean_absolute / replicas;
}

TEST(ReplicaEconomy, K5AtOneReplicaIsTheEconomy) {
  const ReplicaEstimate estimate = replica_cost(b2(), {kBuyAndSell, kBuyAndSell}, exact(1));
  EXPECT_TRUE(estimate.exact);
  EXPECT_EQ(estimate.standard_error, 0.0);
  EXPECT_NEAR(estimate.per_capita_cost, 5.5, 1e-12);
  EXPECT_NEAR(estimate.per_capita_cost, eopr_expected_cost(b2(), {kBuyAndSell, kBuyAndSell}).expected_cost, 1e-12);
  EXPECT_NEAR(estimate.large_market_value, 5.0, 1e-12);
  EXPECT_NEAR(estimate.gap, 0.5, 1e-12);
  EXPECT_EQ(estimate.draws, 4u);  // (buy, sell)² per group
}

TEST(ReplicaEconomy, K6AtOneReplicaIsTheEconomy) {
  const ReplicaEstimate estimate = replica_cost(k6(), kK6Menus, exact(1));
  EXPECT_TRUE(estimate.exact);
  EXPECT_NEAR(estimate.per_capita_cost / (227.0 / 18.0), 1.0, 1e-12);
  EXPECT_NEAR(estimate.per_capita_cost, eopr_expected_cost(k6(), kK6Menus).expected_cost, 1e-12);
}

TEST(ReplicaLargeMarket, K5MenusValueFive) {
  const MenuLargeMarket lm = large_market_menu_value(b2(), {kBuyAndSell, kBuyAndSell});
  EXPECT_NEAR(lm.value, 5.0, 1e-12);
  // Agent 1 buys A with probability ½ along the full ray (1,−1), agent 2 sells it.
  ASSERT_EQ(lm.allocation.size(), 4u);
  EXPECT_NEAR(lm.allocation[0], 1.5, 1e-9);
  EXPECT_NEAR(lm.allocation[1], 0.5, 1e-9);
  EXPECT_NEAR(lm.allocation[2], 0.5, 1e-9);
  EXPECT_NEAR(lm.allocation[3], 1.5, 1e-9);
  EXPECT_NEAR(allocation_cost(b2(), lm.allocation), lm.value, 1e-9);
  // K6 (derived by hand): agent 3's full ray (−1,2) with weight 1/9, agent 2's
  // (1,−1) with weight ½·α₂ and the remedial agent shedding r clear when
  // α₂ ∈ [2/9, 4/9]; the cost change is 1.5·α₂ − 10/9, least at α₂ = 2/9:
  // −7/9, twice the economy's −7/18.
  const MenuLargeMarket k6_lm = large_market_menu_value(k6(), kK6Menus);
  EXPECT_NEAR(k6_lm.value, 13.0 - 7.0 / 9.0, 1e-12);
  EXPECT_NEAR(k6_lm.allocation[0], 1.0, 1e-9);              // the remedial agent keeps its A
  EXPECT_NEAR(k6_lm.allocation[1], 1.0 - 1.0 / 9.0, 1e-9);  // and sheds 1/9 of a B
  for (int i = 0; i < 2; ++i) {
    double column = 0.0;
    for (int j = 0; j < 3; ++j) column += k6_lm.allocation[j * 2 + i];
    EXPECT_NEAR(column, 3.0, 1e-9);  // LM-MC
  }
}

// The spec's claim that the cell LP is exact for EOPR: the replica economy at
// N = 2, 3 equals per-profile EOPR enumeration on the N-fold market.
TEST(ReplicaEconomy, CellLpIsExactForEopr) {
  for (int replicas : {2, 3}) {
    const Market big = replicate(b2(), replicas);
    const std::vector<Menu> big_menus(big.agents, kBuyAndSell);
    EXPECT_NEAR(replica_cost(b2(), {kBuyAndSell, kBuyAndSell}, exact(replicas)).per_capita_cost * replicas,
                eopr_expected_cost(big, big_menus).expected_cost, 1e-10)
        << "B2, N = " << replicas;
  }
  const Market big = replicate(k6(), 2);
  std::vector<Menu> big_menus;
  for (const Menu& menu : kK6Menus) big_menus.insert(big_menus.end(), 2, menu);
  EXPECT_NEAR(replica_cost(k6(), kK6Menus, exact(2)).per_capita_cost * 2,
              eopr_expected_cost(big, big_menus).expected_cost, 1e-10);
}

TEST(ReplicaEconomy, PerCapitaCostIsAtLeastTheLargeMarketValue) {
  struct Case {
    Market market;
    std::vector<Menu> menus;
  };
  Market three = k6();  // K6 with every agent on a two-price menu
  const std::vector<Case> cases = {
      {b2(), {kBuyAndSell, kBuyAndSell}},
      {b2(), {kBuy, kSell}},
      {k6(), kK6Menus},
      {three, {Menu{false, {{1, -0.8}}}, kBuyAndSell, Menu{false, {{1, -2}, {-1, 2}}}}},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const double lm = large_market_menu_value(cases[c].market, cases[c].menus).value;
    EXPECT_LE(lm, status_quo_cost(cases[c].market) + 1e-12);
    // Three ray groups at N = 8 would be 9³ LPs: too slow under ASan.
    const int largest = c + 1 < cases.size() ? 8 : 4;
    for (int replicas : {1, 2, largest}) {
      const ReplicaEstimate estimate = replica_cost(cases[c].market, cases[c].menus, exact(replicas));
      ASSERT_TRUE(estimate.exact);
      EXPECT_NEAR(estimate.large_market_value, lm, 1e-12);
      EXPECT_GE(estimate.gap, -1e-9) << "case " << c << ", N = " << replicas;
      EXPECT_LE(estimate.per_capita_cost, status_quo_cost(cases[c].market) + 1e-9);
    }
  }
}

// Proposition 3 on B2 with K5's menus: the gap is E|Bin(2N,½) − N|/N, so it
// shrinks and gap·√N stays near 1/√π ≈ 0.564 (N = 4: 0.2734, 16: 0.1400,
// 64: 0.0704). N = 64 is sampled (4225 exact LPs are slow under ASan).
TEST(ReplicaEconomy, GapShrinksLikeInverseSquareRoot) {
  double previous = 1.0;
  for (int replicas : {4, 16, 64}) {
    const ReplicaOptions options = replicas < 64 ? exact(replicas) : sampled(replicas, 2000, 5);
    const ReplicaEstimate estimate = replica_cost(b2(), {kBuyAndSell, kBuyAndSell}, options);
    const double tolerance = estimate.exact ? 1e-10 : 4.0 * estimate.standard_error;
    EXPECT_NEAR(estimate.gap, k5_gap_closed_form(replicas), tolerance) << "N = " << replicas;
    EXPECT_NEAR(estimate.large_market_value, 5.0, 1e-12);
    EXPECT_LT(estimate.gap, previous) << "N = " << replicas;
    EXPECT_GT(estimate.gap, 0.0);
    EXPECT_LT(estimate.gap * std::sqrt(replicas), 3.0) << "N = " << replicas;
    previous = estimate.gap;
  }
}

TEST(ReplicaEconomy, SampledAgreesWithExact) {
  for (int replicas : {4, 8}) {
    const ReplicaEstimate truth = replica_cost(k6(), kK6Menus, exact(replicas));
    const ReplicaEstimate estimate = replica_cost(k6(), kK6Menus, sampled(replicas, 4000, 7));
    ASSERT_FALSE(estimate.exact);
    EXPECT_EQ(estimate.draws, 4000u);
    EXPECT_GT(estimate.standard_error, 0.0);
    EXPECT_NEAR(estimate.per_capita_cost, truth.per_capita_cost, 4.0 * estimate.standard_error) << "N = " << replicas;
    EXPECT_NEAR(estimate.large_market_value, truth.large_market_value, 1e-12);
  }
  const ReplicaEstimate truth = replica_cost(b2(), {kBuyAndSell, kBuyAndSell}, exact(16));
  const ReplicaEstimate estimate = replica_cost(b2(), {kBuyAndSell, kBuyAndSell}, sampled(16, 4000, 3));
  EXPECT_NEAR(estimate.per_capita_cost, truth.per_capita_cost, 4.0 * estimate.standard_error);
  // Three cells per ray group (buy, sell, keep) next to K6's remedial agent:
  // the binomial chain must condition each cell on the mass left after the
  // earlier ones.
  const std::vector<Menu> three_cells = {Menu{true, {}}, Menu{false, {{1, -1}, {-1, 1.25}}},
                                         Menu{false, {{1, -1}, {-1, 2}}}};
  const ReplicaEstimate three_truth = replica_cost(k6(), three_cells, exact(4));
  const ReplicaEstimate three = replica_cost(k6(), three_cells, sampled(4, 4000, 9));
  EXPECT_LT(three_truth.per_capita_cost, status_quo_cost(k6()) - 0.1);
  EXPECT_NEAR(three.per_capita_cost, three_truth.per_capita_cost, 4.0 * three.standard_error);
}

TEST(ReplicaEconomy, SeedDeterminesTheSample) {
  const ReplicaEstimate first = replica_cost(k6(), kK6Menus, sampled(6, 300, 11));
  const ReplicaEstimate again = replica_cost(k6(), kK6Menus, sampled(6, 300, 11));
  const ReplicaEstimate other = replica_cost(k6(), kK6Menus, sampled(6, 300, 12));
  EXPECT_EQ(first.per_capita_cost, again.per_capita_cost);
  EXPECT_EQ(first.standard_error, again.standard_error);
  EXPECT_NE(first.per_capita_cost, other.per_capita_cost);
}

TEST(ReplicaMixed, WeightOneIsThePlainCall) {
  for (int replicas : {1, 5}) {
    const ReplicaEstimate plain = replica_cost(k6(), kK6Menus, exact(replicas));
    Mixtures mixtures;
    for (const Menu& menu : kK6Menus) mixtures.push_back({{1.0, menu}});
    const ReplicaEstimate mixed = replica_cost_mixed(k6(), mixtures, exact(replicas));
    EXPECT_EQ(mixed.per_capita_cost, plain.per_capita_cost);
    EXPECT_EQ(mixed.large_market_value, plain.large_market_value);
    EXPECT_EQ(mixed.draws, plain.draws);
    // A zero-weight alternative changes nothing either.
    mixtures[1].push_back({0.0, Menu{false, {{-1, 1}}}});
    EXPECT_NEAR(replica_cost_mixed(k6(), mixtures, exact(replicas)).per_capita_cost, plain.per_capita_cost, 1e-12);
  }
  const ReplicaEstimate sampled_plain = replica_cost(k6(), kK6Menus, sampled(5, 200, 4));
  Mixtures mixtures;
  for (const Menu& menu : kK6Menus) mixtures.push_back({{1.0, menu}});
  EXPECT_EQ(replica_cost_mixed(k6(), mixtures, sampled(5, 200, 4)).per_capita_cost, sampled_plain.per_capita_cost);
}

// Group 1 half on buy-only, half on sell-only: at N = 2 the largest
// remainder gives one copy each, which is EOPR on the doubled market with
// those menus; the LM value is that of the realised shares.
TEST(ReplicaMixed, SplitsCopiesByLargestRemainder) {
  const Mixtures mixtures = {{{0.5, kBuy}, {0.5, kSell}}, {{1.0, kBuyAndSell}}};
  const Market big = replicate(b2(), 2);
  const double enumerated = eopr_expected_cost(big, {kBuy, kSell, kBuyAndSell, kBuyAndSell}).expected_cost;
  const ReplicaEstimate estimate = replica_cost_mixed(b2(), mixtures, exact(2));
  EXPECT_NEAR(estimate.per_capita_cost * 2, enumerated, 1e-10);
  EXPECT_NEAR(estimate.large_market_value, large_market_mixture_value(b2(), mixtures).value, 1e-12);
  EXPECT_GE(estimate.gap, -1e-9);
  // N = 3: shares 1.5/1.5 → the tie goes to the earlier menu (2 buy-only, 1 sell-only).
  const Mixtures realised = {{{2.0 / 3.0, kBuy}, {1.0 / 3.0, kSell}}, {{1.0, kBuyAndSell}}};
  const ReplicaEstimate three = replica_cost_mixed(b2(), mixtures, exact(3));
  EXPECT_NEAR(three.large_market_value, large_market_mixture_value(b2(), realised).value, 1e-12);
  EXPECT_NEAR(three.per_capita_cost, replica_cost_mixed(b2(), realised, exact(3)).per_capita_cost, 1e-12);
  EXPECT_GE(three.gap, -1e-9);
}

TEST(ReplicaEconomy, RejectsBadInputs) {
  const std::vector<Menu> k5 = {kBuyAndSell, kBuyAndSell};
  EXPECT_THROW(replica_cost(b2(), {kBuyAndSell}, exact(1)), std::invalid_argument);
  EXPECT_THROW(replica_cost(b2(), {Menu{false, {{1, 1}}}, kBuy}, exact(1)), std::invalid_argument);
  EXPECT_THROW(replica_cost(b2(), {Menu{false, {{1, -2}, {-1, 1}}}, kBuy}, exact(1)), std::invalid_argument);
  EXPECT_THROW(replica_cost(b2(), k5, exact(0)), std::invalid_argument);
  EXPECT_THROW(replica_cost(b2(), k5, exact((1 << 20) + 1)), std::invalid_argument);
  EXPECT_THROW(replica_cost(b2(), k5, sampled(2, 0, 1)), std::invalid_argument);
  EXPECT_THROW(large_market_menu_value(b2(), {kBuy}), std::invalid_argument);
  Market broken = b2();
  broken.status_quo[0] = 2.0;  // σ no longer clears
  EXPECT_THROW(replica_cost(broken, k5, exact(1)), std::invalid_argument);

  EXPECT_THROW(replica_cost_mixed(b2(), {{{1.0, kBuy}}}, exact(1)), std::invalid_argument);
  EXPECT_THROW(replica_cost_mixed(b2(), {{{1.0, kBuy}}, {}}, exact(1)), std::invalid_argument);
  EXPECT_THROW(replica_cost_mixed(b2(), {{{0.6, kBuy}, {0.6, kSell}}, {{1.0, kSell}}}, exact(1)),
               std::invalid_argument);
  EXPECT_THROW(replica_cost_mixed(b2(), {{{1.5, kBuy}, {-0.5, kSell}}, {{1.0, kSell}}}, exact(1)),
               std::invalid_argument);
  EXPECT_THROW(replica_cost_mixed(b2(), {{{1.0, Menu{false, {{-1, -1}}}}}, {{1.0, kSell}}}, exact(1)),
               std::invalid_argument);
  EXPECT_THROW(large_market_mixture_value(b2(), {{{0.5, kBuy}}, {{1.0, kSell}}}), std::invalid_argument);
  // Weights within 1e-9 of summing to 1 are accepted.
  EXPECT_NO_THROW(replica_cost_mixed(b2(), {{{0.5, kBuy}, {0.5 + 5e-10, kSell}}, {{1.0, kSell}}}, exact(2)));
}

}  // namespace
}  // namespace mechsweep::delegation
