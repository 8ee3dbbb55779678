// Known answers of spec 002 §3.2 for the benchmarks, Lemma 1, Lemma 2's
// bilateral trade and the polarization predicate.

#include <gtest/gtest.h>

#include <array>
#include <boost/rational.hpp>
#include <vector>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/test_helpers.hpp"
#include "mechanisms/delegation/trade.hpp"

namespace mechsweep::delegation {
namespace {

double exact(boost::rational<long> value) { return boost::rational_cast<double>(value); }

using test_support::b2;

TEST(DelegationBenchmarks, BaseInstanceCosts) {
  EXPECT_DOUBLE_EQ(status_quo_cost(b2()), 6.0);
  EXPECT_DOUBLE_EQ(first_best_cost(b2()), 4.0);
}

// K7a: V_ND(β) = max(4, 12 − 6β) on B2; at β = 1 the status quo is the only
// non-choice allocation (Corollary 1); at β = 1.2, m_1 = (1.6, 0.4) and Lemma 1 binds at 0.8.
TEST(DelegationBenchmarks, K7BestNonChoiceAllocation) {
  for (const double beta : {1.0, 1.1, 1.2, 1.25, 4.0 / 3.0, 2.0}) {
    SCOPED_TRACE(beta);
    const NonChoiceOptimum optimum = best_non_choice(b2(beta));
    EXPECT_NEAR(optimum.cost, std::max(4.0, 12.0 - 6.0 * beta), 1e-9);
    EXPECT_TRUE(satisfies_status_quo(b2(beta), optimum.allocation));
  }
  const NonChoiceOptimum at_one = best_non_choice(b2(1.0));
  for (std::size_t e = 0; e < 4; ++e) EXPECT_NEAR(at_one.allocation[e], 1.0, 1e-9);
  const NonChoiceOptimum at = best_non_choice(b2(1.2));
  const std::vector<double> expected = {1.6, 0.4, 0.4, 1.6};
  for (std::size_t e = 0; e < 4; ++e) EXPECT_NEAR(at.allocation[e], expected[e], 1e-9);
  const Lemma1Bound bound = lemma1_bound(b2(1.2), at.allocation);
  EXPECT_TRUE(bound.boxes_intersect);
  EXPECT_NEAR(bound.lhs, 0.8, 1e-9);
  EXPECT_NEAR(bound.rhs, 0.8, 1e-9);
}

// K7b: boxes that do not intersect: V_ND = the first best 4 with β = 1.
TEST(DelegationBenchmarks, K7SeparatedBoxesReachTheFirstBest) {
  Market market = b2();
  market.box_low = {1, 3, 3, 1};
  market.box_high = {2, 4, 4, 2};
  EXPECT_NEAR(best_non_choice(market).cost, 4.0, 1e-9);
  EXPECT_FALSE(lemma1_bound(market, market.status_quo).boxes_intersect);
}

// Lemma 1 is necessary: every allocation passing the exact SQ test satisfies it.
TEST(DelegationBenchmarks, Lemma1HoldsForEveryAcceptedConstantAllocation) {
  int accepted = 0;
  for (int a = 0; a <= 20; ++a) {
    for (int b = 0; b <= 20; ++b) {
      const double x = 0.1 * a, y = 0.1 * b;
      const std::vector<double> m = {x, y, 2.0 - x, 2.0 - y};
      const Market market = b2(1.2);
      if (!satisfies_status_quo(market, m)) continue;
      ++accepted;
      const Lemma1Bound bound = lemma1_bound(market, m);
      EXPECT_LE(bound.lhs, bound.rhs + 1e-9) << x << " " << y;
    }
  }
  EXPECT_GT(accepted, 1);
}

// K3: G(p) = Pr(c_A < p c_B) on U[1,2]².
TEST(DelegationTrade, K3ChoiceProbabilities) {
  const Market market = b2();
  const std::vector<std::pair<double, boost::rational<long>>> cases = {
      {0.6, {1, 30}},   {2.0 / 3.0, {1, 12}}, {0.8, {9, 40}}, {1.0, {1, 2}},
      {1.25, {31, 40}}, {1.5, {11, 12}},      {1.8, {89, 90}}};
  for (const auto& [p, g] : cases) {
    const std::array<double, 2> direction = {1.0, -p};
    EXPECT_NEAR(uniform_probability_negative(market, 0, direction), exact(g), 1e-12) << p;
  }
  Market wide = b2();
  wide.box_high = {4, 4, 4, 4};
  const std::array<double, 2> twice = {-1.0, 2.0};  // Pr(c_A > 2c_B) = 1/9
  EXPECT_NEAR(uniform_probability_negative(wide, 0, twice), 1.0 / 9.0, 1e-12);
  const std::array<double, 2> thrice = {1.0, -3.0};  // Pr(c_A < 3c_B) = 53/54
  EXPECT_NEAR(uniform_probability_negative(wide, 0, thrice), 53.0 / 54.0, 1e-12);
}

// K4: γ = (1, −1) between agents 1 and 2 of B2: all four conditions, gain 0.5.
TEST(DelegationTrade, K4BilateralTrade) {
  const BilateralTrade trade{0, 1, {1.0, -1.0}};
  const BilateralCheck check = check_bilateral(b2(), trade);
  EXPECT_TRUE(check.feasible);
  EXPECT_TRUE(check.lowers_cost);
  EXPECT_TRUE(check.first_may_accept);
  EXPECT_TRUE(check.second_may_accept);
  EXPECT_TRUE(check.improves());
  const BilateralValue value = bilateral_value(b2(), trade);
  EXPECT_NEAR(value.accept_first, 0.5, 1e-12);
  EXPECT_NEAR(value.accept_second, 0.5, 1e-12);
  EXPECT_NEAR(value.gain, 0.5, 1e-12);
  EXPECT_NEAR(value.expected_cost, 5.5, 1e-12);
  // The reversed direction (agent 1 sells A) never improves.
  EXPECT_FALSE(check_bilateral(b2(), {0, 1, {-1.0, 1.0}}).improves());
  // Too large a trade is infeasible.
  EXPECT_FALSE(check_bilateral(b2(), {0, 1, {2.0, -2.0}}).feasible);
}

// Over γ = t(1, −r) with the largest feasible t, the gain
// min(1, 1/r)(1 + r)G(r)(1 − G(r)) peaks at r = 1 (spec K4).
TEST(DelegationTrade, K4BestRateIsOne) {
  double best = 0.0, best_rate = 0.0;
  for (int k = 1; k <= 40; ++k) {
    const double r = 0.05 * k + 0.5;
    const double scale = std::min(1.0, 1.0 / r);
    const double gain = bilateral_value(b2(), {0, 1, {scale, -scale * r}}).gain;
    if (gain > best) best = gain, best_rate = r;
  }
  EXPECT_NEAR(best_rate, 1.0, 1e-12);
  EXPECT_NEAR(best, 0.5, 1e-12);
}

// K1: the polarization predicate.
TEST(DelegationTrade, K1Polarization) {
  using V = std::vector<double>;
  EXPECT_TRUE(polarized(V{1, -1}, V{-1, 2}));
  EXPECT_TRUE(polarized(V{1, -1}, V{-1, 1}));  // the boundary case
  EXPECT_FALSE(polarized(V{1, -2}, V{-1, 1}));
  EXPECT_FALSE(polarized(V{1, -1, 0}, V{0, -1, 1}));
  EXPECT_TRUE(polarized(V{1, 1, -1}, V{-1, 1, 1}));
  const std::array<V, 3> cyclic = {V{1, 1, -1}, V{-1, 1, 1}, V{1, -1, 1}};
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = a + 1; b < 3; ++b) EXPECT_TRUE(polarized(cyclic[a], cyclic[b]));
  }
  EXPECT_FALSE(polarized(V{1, 1, -2}, V{-2, 1, 1}));
  EXPECT_FALSE(non_monotone(V{1, 0, 0}));
  EXPECT_FALSE(non_monotone(V{-1, 0, 0}));
  EXPECT_TRUE(non_monotone(V{1, -1}));
}

TEST(DelegationMarket, RejectsBadInput) {
  const auto message_of = [](const Market& market) {
    try {
      validate(market);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  Market market = b2();
  market.status_quo = {1, 1, 1, 0.5};
  EXPECT_NE(message_of(market).find("assigns 1.5 units of task 1, expected n = 2"), std::string::npos);
  market = b2();
  market.box_low[0] = 0.0;
  EXPECT_NE(message_of(market).find("costs must be positive"), std::string::npos);
  market = b2();
  market.slack = {0.5, 1.0};
  EXPECT_NE(message_of(market).find("slack β of agent 0 is below 1"), std::string::npos);
  market = b2();
  market.cost.pop_back();
  EXPECT_NE(message_of(market).find("cost has 3 entries, expected 4"), std::string::npos);
  market = b2();
  market.tasks = 1;
  EXPECT_NE(message_of(market).find("at least 2 task types"), std::string::npos);
  EXPECT_THROW(check_bilateral(b2(), {0, 0, {1.0, -1.0}}), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::delegation
