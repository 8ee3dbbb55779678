// Theorem 1's flags and Proposition 1's witness (spec 002 §2.4–2.5), and the
// complete-information benchmark K9.

#include "mechanisms/delegation/theorem1.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/test_helpers.hpp"

namespace mechsweep::delegation {
namespace {

using test_support::b2;

TEST(DelegationTheorem1, BaseInstanceHasAnImprovingWitness) {
  const Theorem1Report report = theorem1(b2());
  EXPECT_TRUE(report.hypotheses());
  EXPECT_TRUE(report.condition_i());
  EXPECT_TRUE(report.full_dimension);
  ASSERT_TRUE(report.non_choice_gap.has_value());
  EXPECT_NEAR(*report.non_choice_gap, 0.0, 1e-9);  // Corollary 1: V_ND(1) = V_SQ
  ASSERT_TRUE(report.witness.has_value());
  EXPECT_TRUE(check_bilateral(b2(), *report.witness).improves());
  EXPECT_GT(report.witness_gain, 0.0);
  EXPECT_LE(report.witness_gain, 0.5 + 1e-9);  // K4: the best bilateral trade gains 0.5
}

// Proposition 1 on random markets satisfying H and (i), with I = 2 or 3.
TEST(DelegationTheorem1, WitnessExistsWheneverConditionOneHolds) {
  std::mt19937_64 rng(5);
  const auto draw = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() % 1000) / 1000.0; };
  for (int trial = 0; trial < 30; ++trial) {
    Market market;
    market.tasks = 2 + trial % 2;
    market.agents = 2 + trial % 3;
    const int cells = market.tasks * market.agents;
    market.units.assign(market.tasks, static_cast<double>(market.agents));
    market.status_quo.assign(cells, 1.0);
    market.cost.clear();
    for (int e = 0; e < cells; ++e) market.cost.push_back(draw(0.0, 3.0));
    std::vector<double> low(market.tasks), high(market.tasks);
    for (int i = 0; i < market.tasks; ++i) low[i] = draw(0.5, 2.0), high[i] = low[i] + draw(0.1, 2.0);
    for (int j = 0; j < market.agents; ++j) {
      market.box_low.insert(market.box_low.end(), low.begin(), low.end());
      market.box_high.insert(market.box_high.end(), high.begin(), high.end());
    }
    market.slack.assign(market.agents, 1.0);
    const Theorem1Report report = theorem1(market);
    ASSERT_TRUE(report.hypotheses() && report.condition_i()) << trial;
    ASSERT_TRUE(report.witness.has_value()) << trial;
    EXPECT_TRUE(check_bilateral(market, *report.witness).improves()) << trial;
    EXPECT_GT(report.witness_gain, 0.0) << trial;
    EXPECT_NEAR(*report.non_choice_gap, 0.0, 1e-9) << trial;
  }
}

TEST(DelegationTheorem1, NegativeControls) {
  Market same = b2();
  same.cost = {1, 2, 1, 2};  // K8: identical performance
  EXPECT_FALSE(theorem1(same).performance_differs);
  EXPECT_FALSE(theorem1(same).witness.has_value());
  Market point = b2();
  point.box_high = point.box_low;  // a degenerate C
  EXPECT_FALSE(theorem1(point).nondegenerate);
  EXPECT_FALSE(theorem1(point).witness.has_value());
  Market apart = b2();  // K7b: supports not common
  apart.box_low = {1, 3, 3, 1};
  apart.box_high = {2, 4, 4, 2};
  EXPECT_FALSE(theorem1(apart).common_box);
}

// K9: on B2 the per-profile gain V_SQ − V_CI(c) is 0 if r1 > r2,
// 1 + min(r2, 1) if r1 ≤ min(r2, 1), and 1 + 1/r1 if 1 < r1 ≤ r2 (r_j = c_jA/c_jB).
TEST(DelegationCompleteInformation, K9ClosedForm) {
  std::mt19937_64 rng(9);
  const auto draw = [&] { return 1.0 + static_cast<double>(rng() % 1000) / 1000.0; };
  for (int trial = 0; trial < 200; ++trial) {
    const std::vector<double> costs = {draw(), draw(), draw(), draw()};
    const double r1 = costs[0] / costs[1], r2 = costs[2] / costs[3];
    const double expected = r1 > r2 ? 0.0 : r1 <= std::min(r2, 1.0) ? 1.0 + std::min(r2, 1.0) : 1.0 + 1.0 / r1;
    EXPECT_NEAR(status_quo_cost(b2()) - complete_information_cost(b2(), costs), expected, 1e-9)
        << "r1 " << r1 << " r2 " << r2;
  }
}

TEST(DelegationCompleteInformation, BoundSitsBetweenFirstBestAndEopr) {
  const MonteCarloEstimate a = complete_information_bound(b2(), 2000, 1);
  const MonteCarloEstimate b = complete_information_bound(b2(), 2000, 1);
  EXPECT_EQ(a.mean, b.mean);  // seeded
  EXPECT_GE(a.mean, first_best_cost(b2()) - 1e-9);
  EXPECT_LT(a.mean + 4.0 * a.standard_error, 5.5);  // below the EOPR value of K5
  EXPECT_THROW(complete_information_bound(b2(), 1, 1), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::delegation
