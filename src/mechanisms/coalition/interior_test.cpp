#include "mechanisms/coalition/interior.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/coalition/examples.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::coalition {

using solvers::kInfinity;
using solvers::LinearProgram;
namespace {

double expected(const Instance& instance, int agent, std::size_t profile, const std::vector<double>& lottery) {
  return instance.env().expected_utility(agent, profile, lottery);
}

// The returned pair must be a certificate on its own: both lotteries in W and
// the difference at least the claimed margin at every state.
void expect_certificate(const Instance& instance, int agent, const InteriorPair& pair, double margin) {
  SCOPED_TRACE("agent " + std::to_string(agent));
  EXPECT_NEAR(pair.margin, margin, 1e-9);
  ASSERT_EQ(pair.upper.size(), static_cast<std::size_t>(instance.outcomes()));
  ASSERT_EQ(pair.lower.size(), static_cast<std::size_t>(instance.outcomes()));
  EXPECT_TRUE(universally_dominated(instance, pair.upper));
  EXPECT_TRUE(universally_dominated(instance, pair.lower));
  for (std::size_t theta = 0; theta < instance.profiles().size(); ++theta) {
    EXPECT_GE(expected(instance, agent, theta, pair.upper) - expected(instance, agent, theta, pair.lower),
              margin - 1e-9)
        << "at profile " << theta;
  }
}

void expect_margins(const Instance& instance, double margin) {
  const InteriorTest test = interior_reward_test(instance);
  ASSERT_EQ(test.agents.size(), static_cast<std::size_t>(instance.agents()));
  for (int i = 0; i < instance.agents(); ++i) expect_certificate(instance, i, test.agents[i], margin);
  EXPECT_NEAR(test.min_margin, margin, 1e-9);
  EXPECT_EQ(test.passes, margin > 0.0);
}

int outcome_of(const PublicGoodInstance& example, const std::vector<double>& x) {
  const auto found = std::find(example.outcomes.begin(), example.outcomes.end(), x);
  if (found == example.outcomes.end()) throw std::logic_error("outcome not in the example");
  return static_cast<int>(found - example.outcomes.begin());
}

// n = 2, Θ_i = {0, 1}, three outcomes; utility[i][θ][x] with θ in profile order.
Instance two_by_two(const std::vector<double>& utility, const std::vector<int>& f) {
  Environment env({2, 2}, 3, utility);
  Scf scf = Scf::deterministic(env, f);
  return Instance(std::move(env), std::move(scf));
}

TEST(InteriorRewardTest, ExampleOneVariantAHasMarginOneEighth) {
  expect_margins(example1(2, 3, 0.5).instance, 1.0 / 8.0);
}

TEST(InteriorRewardTest, ExampleOneVariantBHasMarginOneQuarter) {
  expect_margins(example1(2, 2, 0.5).instance, 1.0 / 4.0);
}

// The spec (§3.1, §5.5, KAT-2) says t* = 1 here, which is the margin of the two
// disposals against each other. The LP does better: f(0,0) = (0,0,0) gives
// every agent 0 ≤ u_j(f(θ), θ) at every θ, so it is in W, and it beats the
// deeper disposal (0,−6,−6) by 6 at every θ. Nothing beats 6: at θ = (0,0) any
// ā ∈ W has u_1 ≤ 0 and any lottery has u_1 ≥ −6.
TEST(InteriorRewardTest, ExampleOneVariantBWithDisposalHasMarginSix) {
  expect_margins(example1(2, 2, 0.5, {5.0, 6.0}).instance, 6.0);
}

TEST(InteriorRewardTest, ExampleTwoHasMarginOne) { expect_margins(example2().instance, 1.0); }

// The spec (KAT-3) says the results do not change with these disposals; the
// verdict does not, but the margin does: x¹ = (0,0,0) ∈ W beats (0,−11,−11) by
// 11 at every θ, and at s = 0 no ā ∈ W has utility above 0 while nothing is
// below −11.
TEST(InteriorRewardTest, ExampleTwoWithDisposalHasMarginEleven) {
  expect_margins(example2({10.0, 11.0}).instance, 11.0);
}

// Spec §3.1: for agent 1, ā = ½f(0,0) + ½f(0,1) and a̲ = ½f(0,0) + ½f(1,0)
// differ by exactly ¼ everywhere, and ā ties u_1(f(θ), θ) at θ_1 = 1, θ_2 = 0.
TEST(InteriorRewardTest, ExampleOneVariantBSpecPairIsDominated) {
  const PublicGoodInstance example = example1(2, 2, 0.5);
  const Instance& instance = example.instance;
  std::vector<double> upper(instance.outcomes(), 0.0);
  std::vector<double> lower(instance.outcomes(), 0.0);
  upper[outcome_of(example, {0, 0, 0})] += 0.5;
  upper[outcome_of(example, {1, 0, -0.5})] += 0.5;
  lower[outcome_of(example, {0, 0, 0})] += 0.5;
  lower[outcome_of(example, {1, -0.5, 0})] += 0.5;
  EXPECT_TRUE(universally_dominated(instance, upper));
  EXPECT_TRUE(universally_dominated(instance, lower));
  for (std::size_t theta = 0; theta < instance.profiles().size(); ++theta) {
    EXPECT_DOUBLE_EQ(expected(instance, 0, theta, upper) - expected(instance, 0, theta, lower), 0.25);
  }
  const std::size_t one_zero = instance.profiles().profile_of(std::vector<int>{1, 0});
  EXPECT_DOUBLE_EQ(expected(instance, 0, one_zero, upper), instance.uf(0, one_zero, one_zero));
}

TEST(InteriorRewardTest, ExampleTwoSpecPairIsDominated) {
  const PublicGoodInstance example = example2();
  const std::vector<double> upper{0.0, 1.0, 0.0};
  const std::vector<double> lower{0.5, 0.0, 0.5};
  EXPECT_TRUE(universally_dominated(example.instance, upper));
  EXPECT_TRUE(universally_dominated(example.instance, lower));
}

TEST(InteriorRewardTest, UniversalDominanceRejectsBetterAndMalformedLotteries) {
  const PublicGoodInstance example = example1(2, 2, 0.5);
  const Instance& instance = example.instance;
  // f(1,1) = (2, −½, −½) gives agent 1 utility 3/2 > ½ = u_1(f(1,0), (1,0)).
  std::vector<double> high(instance.outcomes(), 0.0);
  high[outcome_of(example, {2, -0.5, -0.5})] = 1.0;
  EXPECT_FALSE(universally_dominated(instance, high));
  std::vector<double> short_mass(instance.outcomes(), 0.0);
  short_mass[outcome_of(example, {0, 0, 0})] = 0.9;
  EXPECT_FALSE(universally_dominated(instance, short_mass));
  const std::vector<double> wrong_length{1.0};
  EXPECT_THROW(universally_dominated(instance, wrong_length), std::invalid_argument);
}

// Constant f = outcome 0, weakly above the other two outcomes for everybody.
// Agent 0 values (5, 3, 1) at θ_0 = 0 and (2, 1, 0) at θ_0 = 1, so the best
// uniform gap is 2 (δ_0 over δ_2); agent 1 values (5, 1, 4) everywhere: gap 4.
TEST(InteriorRewardTest, ConstantScfWithTwoRankedOutcomesBelowItPasses) {
  std::vector<double> utility;
  for (int theta = 0; theta < 4; ++theta) {
    const bool low_type = theta % 2 == 0;
    const std::vector<double> row = low_type ? std::vector<double>{5, 3, 1} : std::vector<double>{2, 1, 0};
    utility.insert(utility.end(), row.begin(), row.end());
  }
  for (int theta = 0; theta < 4; ++theta) utility.insert(utility.end(), {5.0, 1.0, 4.0});
  const Instance instance = two_by_two(utility, {0, 0, 0, 0});
  const InteriorTest test = interior_reward_test(instance);
  ASSERT_EQ(test.agents.size(), 2U);
  expect_certificate(instance, 0, test.agents[0], 2.0);
  expect_certificate(instance, 1, test.agents[1], 4.0);
  EXPECT_NEAR(test.min_margin, 2.0, 1e-9);
  EXPECT_TRUE(test.passes);
}

// Constant f = the worst outcome for everybody: W = {δ_0}, so no two rewards
// can be ranked; the property is UNKNOWN (the paper still implements f).
TEST(InteriorRewardTest, ConstantWorstScfIsUnknown) {
  std::vector<double> utility;
  for (int row = 0; row < 8; ++row) utility.insert(utility.end(), {0.0, 1.0, 2.0});
  const Instance instance = two_by_two(utility, {0, 0, 0, 0});
  const InteriorTest test = interior_reward_test(instance);
  ASSERT_EQ(test.agents.size(), 2U);
  for (const InteriorPair& pair : test.agents) {
    EXPECT_NEAR(pair.margin, 0.0, 1e-9);
    EXPECT_NEAR(pair.upper[0], 1.0, 1e-9);
    EXPECT_NEAR(pair.lower[0], 1.0, 1e-9);
  }
  EXPECT_NEAR(test.min_margin, 0.0, 1e-9);
  EXPECT_FALSE(test.passes);
}

// One agent, two types: f gives the worst outcome at each type, and the two
// worst outcomes differ, so no lottery is below f at both types.
Instance empty_w_instance() {
  Environment env({2}, 2, {0.0, 1.0, 1.0, 0.0});
  Scf scf = Scf::deterministic(env, std::vector<int>{0, 1});
  return Instance(std::move(env), std::move(scf));
}

TEST(InteriorRewardTest, EmptyDominatedSetIsUnknown) {
  const InteriorTest test = interior_reward_test(empty_w_instance());
  ASSERT_EQ(test.agents.size(), 1U);
  EXPECT_TRUE(std::isinf(test.agents[0].margin) && test.agents[0].margin < 0.0);
  EXPECT_TRUE(test.agents[0].upper.empty());
  EXPECT_TRUE(test.agents[0].lower.empty());
  EXPECT_FALSE(test.passes);
}

// Agent 0's utility is (0, 1, ½) when θ_1 = 0 and (1, 0, ½) when θ_1 = 1, and f
// always gives him his best outcome, so R_0 is the whole simplex but the
// belief φ = (½, ½) makes him indifferent: CNTI fails at all 2 × 2 of his
// points. Agent 1 has private values with the same two rows and is never
// indifferent.
TEST(CntiTest, FailsWhereABeliefMakesTheAgentIndifferent) {
  std::vector<double> utility;
  const std::vector<double> first{0.0, 1.0, 0.5};
  const std::vector<double> second{1.0, 0.0, 0.5};
  for (int theta = 0; theta < 4; ++theta) {
    const auto& row = theta / 2 == 0 ? first : second;  // θ_1 = theta / 2
    utility.insert(utility.end(), row.begin(), row.end());
  }
  for (int theta = 0; theta < 4; ++theta) {
    const auto& row = theta / 2 == 0 ? first : second;
    utility.insert(utility.end(), row.begin(), row.end());
  }
  const Instance instance = two_by_two(utility, {1, 1, 0, 0});
  const CntiResult result = conditional_no_total_indifference(instance);
  EXPECT_FALSE(result.holds);
  EXPECT_EQ(result.failing_points, 4U);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_EQ(result.witness->agent, 0);
  EXPECT_EQ(result.witness->type, 0);
  EXPECT_EQ(result.witness->others, 0U);
  EXPECT_FALSE(result.witness->empty_reward_set);
  EXPECT_NEAR(result.witness->gap, 0.0, 1e-9);
  ASSERT_EQ(result.witness->belief.size(), 2U);
  EXPECT_NEAR(result.witness->belief[0], 0.5, 1e-9);
  EXPECT_NEAR(result.witness->belief[1], 0.5, 1e-9);
  for (int type = 0; type < 2; ++type) {
    for (std::size_t others = 0; others < 2; ++others) {
      EXPECT_NEAR(cnti_point(instance, 1, type, others).gap, 1.0, 1e-9);
    }
  }
}

// Constant f = outcome 0, agent 0 values (0, 1, 1): R_0 = {δ_0}, a single point,
// so every w_φ is constant on it. Agent 1 values (1, 0, 0) and R_1 is everything.
TEST(CntiTest, FailsWhereTheRewardSetIsAPoint) {
  std::vector<double> utility;
  for (int theta = 0; theta < 4; ++theta) utility.insert(utility.end(), {0.0, 1.0, 1.0});
  for (int theta = 0; theta < 4; ++theta) utility.insert(utility.end(), {1.0, 0.0, 0.0});
  const Instance instance = two_by_two(utility, {0, 0, 0, 0});
  const CntiResult result = conditional_no_total_indifference(instance);
  EXPECT_FALSE(result.holds);
  EXPECT_EQ(result.failing_points, 4U);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_EQ(result.witness->agent, 0);
  EXPECT_FALSE(result.witness->empty_reward_set);
  EXPECT_NEAR(result.witness->gap, 0.0, 1e-9);
  EXPECT_NEAR(cnti_point(instance, 1, 0, 0).gap, 1.0, 1e-9);
}

TEST(CntiTest, FailsWhereTheRewardSetIsEmpty) {
  const CntiResult result = conditional_no_total_indifference(empty_w_instance());
  EXPECT_FALSE(result.holds);
  EXPECT_EQ(result.failing_points, 2U);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_TRUE(result.witness->empty_reward_set);
  EXPECT_EQ(result.witness->belief, std::vector<double>{1.0});
}

// Private values and two disposal points below everything: the agent always
// ranks the two disposals, by exactly 1 at least.
TEST(CntiTest, HoldsInExampleOneVariantBWithDisposal) {
  const Instance instance = example1(2, 2, 0.5, {5.0, 6.0}).instance;
  const CntiResult result = conditional_no_total_indifference(instance);
  EXPECT_TRUE(result.holds);
  EXPECT_EQ(result.failing_points, 0U);
  EXPECT_FALSE(result.witness.has_value());
}

// Example 2: every R_i(θ'_{−i}) is the whole simplex over {x¹, x², x³} and no
// belief makes (s·x_0 + x_i) constant on it.
TEST(CntiTest, HoldsInExampleTwo) {
  const CntiResult result = conditional_no_total_indifference(example2().instance);
  EXPECT_TRUE(result.holds);
  EXPECT_EQ(result.failing_points, 0U);
}

TEST(CntiTest, RejectsOutOfRangePoints) {
  const Instance instance = example2().instance;
  EXPECT_THROW(cnti_point(instance, 2, 0, 0), std::invalid_argument);
  EXPECT_THROW(cnti_point(instance, 0, 2, 0), std::invalid_argument);
  EXPECT_THROW(cnti_point(instance, 0, 0, 2), std::invalid_argument);
}

// max_R w·a − min_R w·a by two LPs over R = R_i(θ'_{−i}); nullopt when R = ∅.
std::optional<double> brute_force_spread(const Instance& instance, int agent, int type, std::size_t others,
                                         const std::vector<double>& belief) {
  const ProfileSpace& profiles = instance.profiles();
  const auto opponents = profiles.embed(all_agents(instance.agents()) & ~singleton(agent));
  const int m = instance.outcomes();
  std::vector<double> w(m, 0.0);
  for (std::size_t s = 0; s < opponents.size(); ++s) {
    const std::size_t state = profiles.with_type(opponents[s], agent, type);
    for (int x = 0; x < m; ++x) w[x] += belief[s] * instance.env().utility(agent, state, x);
  }
  double extreme[2] = {0.0, 0.0};
  for (int sign : {1, -1}) {
    LinearProgram lp;
    std::vector<std::pair<int, double>> terms;
    for (int x = 0; x < m; ++x) terms.emplace_back(lp.add_column(0.0, kInfinity, sign * w[x]), 1.0);
    lp.add_row(terms, 1.0, 1.0);
    for (int t = 0; t < profiles.types(agent); ++t) {
      const std::size_t state = profiles.with_type(opponents[others], agent, t);
      terms.clear();
      for (int x = 0; x < m; ++x) terms.emplace_back(x, instance.env().utility(agent, state, x));
      lp.add_row(terms, -kInfinity, instance.uf(agent, state, state));
    }
    const auto solution = lp.maximize();
    if (solution.status == LinearProgram::Status::infeasible) return std::nullopt;
    if (solution.status != LinearProgram::Status::optimal) throw std::runtime_error("brute-force LP failed");
    extreme[sign == 1 ? 0 : 1] = sign * solution.objective;
  }
  return extreme[0] - extreme[1];
}

// The §5.5 LP exactly as the spec writes it, in (φ, λ, μ, λ', μ'): its optimum
// is −max of the negated objective. R must be non-empty.
double spec_dual_gap(const Instance& instance, int agent, int type, std::size_t others) {
  const ProfileSpace& profiles = instance.profiles();
  const auto opponents = profiles.embed(all_agents(instance.agents()) & ~singleton(agent));
  const int m = instance.outcomes();
  std::vector<std::size_t> states;
  for (int t = 0; t < profiles.types(agent); ++t) states.push_back(profiles.with_type(opponents[others], agent, t));
  LinearProgram lp;
  const int phi = lp.columns();
  for (std::size_t s = 0; s < opponents.size(); ++s) lp.add_column(0.0, 1.0, 0.0);
  const int lambda = lp.columns();
  for (std::size_t state : states) lp.add_column(0.0, kInfinity, -instance.uf(agent, state, state));
  const int mu = lp.add_column(-kInfinity, kInfinity, -1.0);
  const int lambda_low = lp.columns();
  for (std::size_t state : states) lp.add_column(0.0, kInfinity, -instance.uf(agent, state, state));
  const int mu_low = lp.add_column(-kInfinity, kInfinity, 1.0);
  std::vector<std::pair<int, double>> terms;
  for (std::size_t s = 0; s < opponents.size(); ++s) terms.emplace_back(phi + static_cast<int>(s), 1.0);
  lp.add_row(terms, 1.0, 1.0);
  for (int x = 0; x < m; ++x) {
    std::vector<std::pair<int, double>> high;
    std::vector<std::pair<int, double>> low;
    for (std::size_t r = 0; r < states.size(); ++r) {
      const double c = instance.env().utility(agent, states[r], x);
      high.emplace_back(lambda + static_cast<int>(r), c);
      low.emplace_back(lambda_low + static_cast<int>(r), -c);
    }
    high.emplace_back(mu, 1.0);
    low.emplace_back(mu_low, 1.0);
    for (std::size_t s = 0; s < opponents.size(); ++s) {
      const double w = instance.env().utility(agent, profiles.with_type(opponents[s], agent, type), x);
      high.emplace_back(phi + static_cast<int>(s), -w);
      low.emplace_back(phi + static_cast<int>(s), -w);
    }
    lp.add_row(high, 0.0, kInfinity);
    lp.add_row(low, -kInfinity, 0.0);
  }
  const auto solution = lp.maximize();
  if (solution.status != LinearProgram::Status::optimal) throw std::runtime_error("the §5.5 LP failed");
  return -solution.objective;
}

Instance random_instance(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> utility(2 * 4 * 3);
  for (double& u : utility) u = static_cast<double>(rng() % 10);
  std::vector<int> f(4);
  for (int& x : f) x = static_cast<int>(rng() % 3);
  return two_by_two(utility, f);
}

// The minimiser of a convex piecewise-linear spread is a kink, and near a kink
// two vertices of R nearly tie for w_φ; Clp's optimality tolerance (1e-7) can
// then return the wrong one and understate the spread by about 1e-7. At the
// kink itself the tie is exact and harmless. With integer utilities the kinks
// are fractions with small denominators, so the search result is snapped to
// the simplest fraction within 1e-6.
double snap_to_small_fraction(double s) {
  for (int q = 1; q <= 1000; ++q) {
    const double p = std::round(s * q);
    if (std::abs(s - p / q) <= 1e-6) return p / q;
  }
  return s;
}

// With n = k = 2, Θ_{−i} has two points and φ = (s, 1 − s). The spread is
// convex in s (a max of linear functions minus a min of them), so a grid plus
// a golden-section search finds its minimum.
TEST(CntiTest, MatchesBruteForceOnRandomInstances) {
  int empty_points = 0;
  int failing_points = 0;
  int holding_points = 0;
  for (std::uint64_t seed : {1U, 2U, 3U, 4U, 5U}) {
    const Instance instance = random_instance(seed);
    for (int agent = 0; agent < 2; ++agent) {
      for (int type = 0; type < 2; ++type) {
        for (std::size_t others = 0; others < 2; ++others) {
          SCOPED_TRACE("seed " + std::to_string(seed) + " agent " + std::to_string(agent) + " type " +
                       std::to_string(type) + " others " + std::to_string(others));
          const CntiPoint point = cnti_point(instance, agent, type, others);
          const auto spread = [&](double s) { return brute_force_spread(instance, agent, type, others, {s, 1 - s}); };
          const auto at_zero = spread(0.0);
          ASSERT_EQ(point.empty_reward_set, !at_zero.has_value());
          if (point.empty_reward_set) {
            ++empty_points;
            continue;
          }
          EXPECT_GE(point.gap, -1e-9);
          // Same optimum as the spec's (φ, λ, μ, λ', μ') form, which Clp only
          // solves to about 1e-5 here: its optimal face can be unbounded.
          EXPECT_NEAR(spec_dual_gap(instance, agent, type, others), point.gap, 1e-4);
          // The LP's belief attains its value.
          ASSERT_EQ(point.belief.size(), 2U);
          EXPECT_NEAR(point.belief[0] + point.belief[1], 1.0, 1e-12);
          EXPECT_NEAR(*spread(point.belief[0]), point.gap, 1e-7);
          // No grid belief does better.
          for (int g = 0; g <= 20; ++g) EXPECT_GE(*spread(g / 20.0), point.gap - 1e-7) << "at s = " << g / 20.0;
          // Golden-section search: one new evaluation per step.
          const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
          double low = 0.0;
          double high = 1.0;
          double left = high - ratio * (high - low);
          double right = low + ratio * (high - low);
          double at_left = *spread(left);
          double at_right = *spread(right);
          while (high - low > 1e-7) {
            if (at_left <= at_right) {
              high = right;
              right = left;
              at_right = at_left;
              left = high - ratio * (high - low);
              at_left = *spread(left);
            } else {
              low = left;
              left = right;
              at_left = at_right;
              right = low + ratio * (high - low);
              at_right = *spread(right);
            }
          }
          EXPECT_NEAR(*spread(snap_to_small_fraction((low + high) / 2.0)), point.gap, 1e-7);
          (instance.strictly_greater(point.gap, 0.0) ? holding_points : failing_points) += 1;
        }
      }
    }
  }
  // The seeds exercise every branch, so the comparison is not vacuous.
  EXPECT_GT(holding_points, 0);
  EXPECT_GT(failing_points, 0);
  EXPECT_GT(empty_points, 0);
  std::printf("CNTI brute force: %d holding, %d failing, %d empty-R points\n", holding_points, failing_points,
              empty_points);
}

}  // namespace
}  // namespace mechsweep::coalition
