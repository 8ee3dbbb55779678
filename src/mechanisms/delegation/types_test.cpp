// Pluggable type distributions: Beta-distributed costs on the boxes. Beta(1,1)
// must reproduce the exact uniform probabilities, other shapes must change
// them in the predicted direction, and every mechanism must run on them.

#include "mechanisms/delegation/types.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/eopr_sampling.hpp"
#include "mechanisms/delegation/large_market.hpp"
#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/test_helpers.hpp"

namespace mechsweep::delegation {
namespace {

using test_support::b2;

constexpr int kSample = 8192;
const double kSampleError = 4.0 * 0.5 / std::sqrt(static_cast<double>(kSample));  // 4 standard errors at worst

Market with_beta(Market market, double a, double b, std::uint64_t seed = 5) {
  market.types = std::make_shared<BetaTypes>(market.agents, market.tasks, a, b, kSample, seed);
  return market;
}

TEST(DelegationTypes, BetaOneOneIsUniform) {
  const Market uniform = b2();
  const Market beta = with_beta(b2(), 1.0, 1.0);
  EXPECT_FALSE(exact_probabilities(beta));
  EXPECT_TRUE(exact_probabilities(uniform));
  std::mt19937_64 rng(2);
  for (int trial = 0; trial < 40; ++trial) {
    const std::array<double, 2> ray = {0.1 + static_cast<double>(rng() % 100) / 50.0,
                                       -0.1 - static_cast<double>(rng() % 100) / 50.0};
    EXPECT_NEAR(probability_negative(beta, 1, ray), uniform_probability_negative(uniform, 1, ray), kSampleError);
  }
}

// Beta(5,5) piles types near the box centre (1.5, 1.5), where c_A < 1.2 c_B
// holds, so that ray is taken more often than under uniform types; and the
// sampled probability matches a fresh sample of draw().
TEST(DelegationTypes, ConcentratedTypesShiftChoices) {
  const Market beta = with_beta(b2(), 5.0, 5.0);
  const std::array<double, 2> ray = {1.0, -1.2};
  const double concentrated = probability_negative(beta, 0, ray);
  EXPECT_GT(concentrated, uniform_probability_negative(b2(), 0, ray) + 0.05);
  std::mt19937_64 rng(99);
  std::vector<double> costs;
  int negative = 0;
  constexpr int kDraws = 20000;
  for (int s = 0; s < kDraws; ++s) {
    draw_types(beta, rng, costs);
    EXPECT_GE(costs[0], 1.0);
    EXPECT_LE(costs[0], 2.0);
    negative += costs[0] * ray[0] + costs[1] * ray[1] < 0.0 ? 1 : 0;
  }
  EXPECT_NEAR(concentrated, static_cast<double>(negative) / kDraws, kSampleError);
}

// The sample lives in unit coordinates, so scaling the boxes (K10) keeps every probability.
TEST(DelegationTypes, ScalingTheBoxesKeepsProbabilities) {
  const Market beta = with_beta(b2(), 2.0, 0.5);
  Market scaled = beta;
  for (double& x : scaled.box_low) x *= 3.0;
  for (double& x : scaled.box_high) x *= 3.0;
  const std::array<double, 2> ray = {1.0, -0.9};
  EXPECT_EQ(probability_negative(beta, 0, ray), probability_negative(scaled, 0, ray));
}

// Every mechanism runs on Beta types: EOPR by enumeration and by sampling
// agree, nobody is worse off, and the large market is flagged inexact.
TEST(DelegationTypes, MechanismsRunOnBetaTypes) {
  const Market beta = with_beta(b2(), 3.0, 1.5);
  const Menu both{false, {{1, -1}, {-1, 1}}};
  const EoprValue exact = eopr_expected_cost(beta, {both, both});
  EXPECT_LE(exact.expected_cost, 6.0 + 1e-12);
  const EoprSample sample = sample_eopr(beta, {both, both}, 20000, 4);
  EXPECT_NEAR(sample.cost.mean, exact.expected_cost, 5.0 * sample.cost.standard_error + 2.0 * kSampleError);
  for (int j = 0; j < 2; ++j) {
    EXPECT_LE(sample.welfare[j], 0.0);
    EXPECT_EQ(sample.participation_violations[j], 0U);
  }
  LargeMarketOptions options;
  options.max_iterations = 30;
  const LargeMarketSolution lm = solve_large_market(beta, options);
  EXPECT_FALSE(lm.exact_support);
  EXPECT_LE(lm.primal_value, 6.0 + 1e-9);
  EXPECT_GE(lm.primal_value, 4.0 - 1e-9);
}

TEST(DelegationTypes, RejectsBadShapesAndSizes) {
  EXPECT_THROW(BetaTypes(2, 2, 0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(BetaTypes(2, 2, 1.0, std::nan("")), std::invalid_argument);
  EXPECT_THROW(BetaTypes(2, 2, 1.0, 1.0, 0), std::invalid_argument);
  Market market = b2();
  market.types = std::make_shared<BetaTypes>(3, 2, 1.0, 1.0, 16);
  EXPECT_THROW(validate(market), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::delegation
