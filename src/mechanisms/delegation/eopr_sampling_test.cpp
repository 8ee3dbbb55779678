// EOPR by type sampling: it must agree with the exact enumeration, and it
// measures what enumeration cannot: per-agent welfare (≤ 0) and ex-post
// participation (never violated), spec 002 §3.1 and §4.3.

#include "mechanisms/delegation/eopr_sampling.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/test_helpers.hpp"

namespace mechsweep::delegation {
namespace {

using test_support::b2;

// K5 menus on B2: the sampled cost and trade rates match the exact answers,
// and each agent's welfare is E[(c_A − c_B)⁻]·Pr(partner trades) = −1/6 · 1/2.
TEST(DelegationEoprSampling, K5AgreesWithTheExactAnswer) {
  const Menu both{false, {{1, -1}, {-1, 1}}};
  const EoprSample sample = sample_eopr(b2(), {both, both}, 40000, 7);
  EXPECT_NEAR(sample.cost.mean, 5.5, 4.0 * sample.cost.standard_error);
  EXPECT_GT(sample.cost.standard_error, 0.0);
  EXPECT_NEAR(sample.any_trade_probability, 0.25, 0.01);
  EXPECT_NEAR(sample.mean_traders, 0.5, 0.02);
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(sample.welfare[j], -1.0 / 12.0, 0.004);
    EXPECT_EQ(sample.participation_violations[j], 0U);
    EXPECT_NEAR(sample.trade_volume[j], 0.5, 0.02);  // ‖(1,−1)‖₁ · Pr(trade) = 2 · 1/4
  }
  EXPECT_EQ(sample.distinct_profiles, 4U);  // buy or sell each; keeping is a measure-zero tie
}

TEST(DelegationEoprSampling, K6RemedialAgentIsNeverWorseOff) {
  const Market market = test_support::k6();
  const EoprSample sample =
      sample_eopr(market, {Menu{true, {}}, Menu{false, {{1, -1}}}, Menu{false, {{-1, 2}}}}, 40000, 3);
  EXPECT_NEAR(sample.cost.mean, 227.0 / 18.0, 4.0 * sample.cost.standard_error);
  EXPECT_LT(sample.welfare[0], 0.0);  // the donor sheds B whenever both others trade
  for (int j = 0; j < 3; ++j) EXPECT_EQ(sample.participation_violations[j], 0U);
}

// Property (spec §3.1): on random markets and polarized menus no agent is
// ever worse off, and sampling agrees with enumeration.
TEST(DelegationEoprSamplingProperty, NobodyWorseOffAndAgreesWithEnumeration) {
  std::mt19937_64 rng(19);
  const auto draw = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() % 1000) / 1000.0; };
  for (int trial = 0; trial < 12; ++trial) {
    Market market;
    market.agents = 2 + trial % 3;
    market.units = {static_cast<double>(market.agents), static_cast<double>(market.agents)};
    std::vector<Menu> menus;
    for (int j = 0; j < market.agents; ++j) {
      market.status_quo.insert(market.status_quo.end(), {1.0, 1.0});
      market.cost.insert(market.cost.end(), {draw(0.5, 3.0), draw(0.5, 3.0)});
      const double low_a = draw(0.5, 2.0), low_b = draw(0.5, 2.0);
      market.box_low.insert(market.box_low.end(), {low_a, low_b});
      market.box_high.insert(market.box_high.end(), {low_a + draw(0.2, 2.0), low_b + draw(0.2, 2.0)});
      market.slack.push_back(1.0);
      const double p1 = draw(0.4, 2.0);
      menus.push_back(trial % 4 == 0 && j == 0 ? Menu{true, {}} : Menu{false, {{1, -p1}, {-1, p1 + draw(0, 1)}}});
    }
    const EoprSample sample = sample_eopr(market, menus, 4000, static_cast<std::uint64_t>(trial));
    const double exact = eopr_expected_cost(market, menus).expected_cost;
    EXPECT_NEAR(sample.cost.mean, exact, 5.0 * sample.cost.standard_error + 1e-12) << "trial " << trial;
    EXPECT_LE(sample.cost.mean, status_quo_cost(market) + 1e-9);
    for (int j = 0; j < market.agents; ++j) {
      EXPECT_LE(sample.welfare[j], 1e-12) << "trial " << trial << " agent " << j;
      EXPECT_EQ(sample.participation_violations[j], 0U) << "trial " << trial << " agent " << j;
    }
  }
}

TEST(DelegationEoprSampling, DrawsComeFromTheSeedOnly) {
  const Menu both{false, {{1, -1}, {-1, 1}}};
  const EoprSample first = sample_eopr(b2(), {both, both}, 500, 42);
  const EoprSample again = sample_eopr(b2(), {both, both}, 500, 42);
  const EoprSample other = sample_eopr(b2(), {both, both}, 500, 43);
  EXPECT_EQ(first.cost.mean, again.cost.mean);
  EXPECT_EQ(first.welfare, again.welfare);
  EXPECT_NE(first.welfare, other.welfare);
  EXPECT_THROW(sample_eopr(b2(), {both, both}, 1, 42), std::invalid_argument);
}

// Ties (c·κ = 0) keep the endowment (spec §2.6 default tie-break).
TEST(DelegationEoprSampling, TiesKeepTheEndowment) {
  const Menu both{false, {{1, -1}, {-1, 1}}};
  const std::array<double, 2> indifferent = {1.5, 1.5};
  const std::array<double, 2> prefers_b = {1.8, 1.2};
  const std::array<double, 2> prefers_a = {1.2, 1.8};
  EXPECT_EQ(osp_choice(both, indifferent), -1);
  EXPECT_EQ(osp_choice(both, prefers_b), 1);  // (−1, 1)·c < 0: give up A for B
  EXPECT_EQ(osp_choice(both, prefers_a), 0);
}

}  // namespace
}  // namespace mechsweep::delegation
