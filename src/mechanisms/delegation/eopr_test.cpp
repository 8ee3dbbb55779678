// EOPR known answers (spec 002 §3.2 K3, K5, K6, K8) and the §3.1 robustness
// checks on random polarized menus.

#include "mechanisms/delegation/eopr.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/probability.hpp"
#include "mechanisms/delegation/test_helpers.hpp"
#include "mechanisms/delegation/trade.hpp"

namespace mechsweep::delegation {
namespace {

Market uniform_market(std::vector<double> units, std::vector<double> status_quo, std::vector<double> cost, double low,
                      double high) {
  Market market;
  market.agents = static_cast<int>(status_quo.size() / units.size());
  market.tasks = static_cast<int>(units.size());
  market.units = std::move(units);
  market.status_quo = std::move(status_quo);
  market.cost = std::move(cost);
  market.box_low.assign(market.cost.size(), low);
  market.box_high.assign(market.cost.size(), high);
  market.slack.assign(market.agents, 1.0);
  return market;
}

using test_support::b2;

// An independent reference for I = 2: clip agent 0's box by {κ·c ≤ 0}
// (Sutherland–Hodgman) and take the shoelace area.
double clipped_area_fraction(const Market& market, const std::array<double, 2>& ray) {
  const double x0 = market.box_low[0], x1 = market.box_high[0], y0 = market.box_low[1], y1 = market.box_high[1];
  const std::array<std::array<double, 2>, 4> corners = {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}};
  const auto value = [&](const std::array<double, 2>& p) { return ray[0] * p[0] + ray[1] * p[1]; };
  std::vector<std::array<double, 2>> clipped;
  for (std::size_t k = 0; k < corners.size(); ++k) {
    const auto& a = corners[k];
    const auto& b = corners[(k + 1) % corners.size()];
    const double va = value(a), vb = value(b);
    if (va <= 0.0) clipped.push_back(a);
    if ((va < 0.0 && vb > 0.0) || (va > 0.0 && vb < 0.0)) {
      const double t = va / (va - vb);
      clipped.push_back({a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])});
    }
  }
  double twice = 0.0;
  for (std::size_t k = 0; k < clipped.size(); ++k) {
    const auto& a = clipped[k];
    const auto& b = clipped[(k + 1) % clipped.size()];
    twice += a[0] * b[1] - b[0] * a[1];
  }
  return 0.5 * std::abs(twice) / ((x1 - x0) * (y1 - y0));
}

// K5: buy (1,−1) and sell (−1,1) for both agents of B2: E[V] = 5.5; one ray
// each (agent 1 buys, agent 2 sells) gives the same.
TEST(DelegationEopr, K5BaseInstance) {
  const Menu both{false, {{1, -1}, {-1, 1}}};
  const EoprValue value = eopr_expected_cost(b2(), {both, both});
  EXPECT_NEAR(value.expected_cost, 5.5, 1e-9);
  EXPECT_LE(value.worst_lp_value, 1e-12);
  for (const auto& q : value.choice_probabilities) {
    EXPECT_NEAR(q[0], 0.5, 1e-12);
    EXPECT_NEAR(q[1], 0.5, 1e-12);
    EXPECT_NEAR(q[2], 0.0, 1e-12);
  }
  const EoprValue single = eopr_expected_cost(b2(), {Menu{false, {{1, -1}}}, Menu{false, {{-1, 1}}}});
  EXPECT_NEAR(single.expected_cost, 5.5, 1e-9);
}

// K6: a remedial agent absorbs the trade of two ray agents: E[V] = 227/18.
TEST(DelegationEopr, K6RemedialAgent) {
  const Market market = test_support::k6();
  EXPECT_DOUBLE_EQ(status_quo_cost(market), 13.0);
  const EoprValue value = eopr_expected_cost(market, {Menu{true, {}}, Menu{false, {{1, -1}}}, Menu{false, {{-1, 2}}}});
  EXPECT_NEAR(value.choice_probabilities[1][0], 0.5, 1e-12);
  EXPECT_NEAR(value.choice_probabilities[2][0], 1.0 / 9.0, 1e-12);
  EXPECT_NEAR(value.expected_cost, 227.0 / 18.0, 1e-9);
  // The profile where both trade sheds one B from the remedial agent.
  const ProfileOutcome both =
      eopr_profile(market, {Menu{true, {}}, Menu{false, {{1, -1}}}, Menu{false, {{-1, 2}}}}, {-1, 0, 0});
  EXPECT_NEAR(both.lp_value, -7.0, 1e-9);
  EXPECT_NEAR(both.allocation[0], 1.0, 1e-9);
  EXPECT_NEAR(both.allocation[1], 0.0, 1e-9);
}

// Spec §6 item 22: two identical sellers could split the trade any way; the
// fixed tie-break gives it all to the lower-index one, and a profile without
// any saving does not trade.
TEST(DelegationEopr, TieBreakIsFixed) {
  const Market market = uniform_market({3, 3}, {1, 1, 1, 1, 1, 1}, {1, 2, 2, 1, 2, 1}, 1.0, 2.0);
  const std::vector<Menu> menus = {Menu{false, {{1, -1}}}, Menu{false, {{-1, 1}}}, Menu{false, {{-1, 1}}}};
  const ProfileOutcome outcome = eopr_profile(market, menus, {0, 0, 0});
  EXPECT_NEAR(outcome.lp_value, -2.0, 1e-9);
  const std::vector<double> expected = {2, 0, 0, 2, 1, 1};
  for (std::size_t e = 0; e < expected.size(); ++e) EXPECT_NEAR(outcome.allocation[e], expected[e], 1e-9) << e;
  const ProfileOutcome idle = eopr_profile(market, menus, {-1, 0, 0});
  EXPECT_EQ(idle.allocation, market.status_quo);
}

// K8: identical performance: every profile costs exactly V_SQ.
TEST(DelegationEopr, K8IdenticalPerformanceGainsNothing) {
  const Market market = uniform_market({2, 2}, {1, 1, 1, 1}, {1, 2, 1, 2}, 1.0, 2.0);
  const Menu both{false, {{1, -1}, {-1, 1}}};
  EXPECT_NEAR(eopr_expected_cost(market, {both, both}).expected_cost, status_quo_cost(market), 1e-12);
}

// K3 in three dimensions, and the inclusion–exclusion volume against the
// exact I = 2 area on random boxes and rays.
TEST(DelegationEopr, ChoiceProbabilities) {
  const Market cube = uniform_market({1, 1, 1}, {1, 1, 1}, {1, 1, 1}, 1.0, 2.0);
  const std::array<double, 3> two_to_one = {1, 1, -2};
  EXPECT_NEAR(uniform_probability_negative(cube, 0, two_to_one), 0.5, 1e-12);
  const std::array<double, 3> one_to_one = {1, 1, -1};
  EXPECT_NEAR(uniform_probability_negative(cube, 0, one_to_one), 0.0, 1e-12);
  std::mt19937_64 rng(3);
  const auto draw = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() % 1000) / 1000.0; };
  for (int trial = 0; trial < 200; ++trial) {
    Market market = b2();
    market.box_low[0] = draw(0.5, 2.0);
    market.box_high[0] = market.box_low[0] + draw(0.1, 2.0);
    market.box_low[1] = draw(0.5, 2.0);
    market.box_high[1] = market.box_low[1] + draw(0.1, 2.0);
    const std::array<double, 2> ray = {draw(0.1, 2.0), -draw(0.1, 2.0)};
    EXPECT_NEAR(uniform_probability_negative(market, 0, ray), clipped_area_fraction(market, ray), 1e-9);
  }
}

// Spec §3.1: every profile's LP value is ≤ 0 (never worse than the status
// quo), on random markets with random polarized two-price menus.
TEST(DelegationEoprProperty, NeverWorseThanTheStatusQuo) {
  std::mt19937_64 rng(11);
  const auto draw = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() % 1000) / 1000.0; };
  int improved = 0;
  for (int trial = 0; trial < 40; ++trial) {
    const int agents = 2 + trial % 3;
    std::vector<double> status_quo, cost;
    for (int j = 0; j < agents; ++j) {
      status_quo.insert(status_quo.end(), {1.0, 1.0});
      cost.insert(cost.end(), {draw(0.5, 3.0), draw(0.5, 3.0)});
    }
    const Market market =
        uniform_market({static_cast<double>(agents), static_cast<double>(agents)}, status_quo, cost, 1.0, 3.0);
    std::vector<Menu> menus;
    for (int j = 0; j < agents; ++j) {
      // Buy A at p1, sell A at p2 ≥ p1: polarized (spec K2a).
      const double p1 = draw(0.4, 2.0);
      const double p2 = p1 + draw(0.0, 1.0);
      menus.push_back(trial % 4 == 0 && j == 0 ? Menu{true, {}} : Menu{false, {{1, -p1}, {-1, p2}}});
    }
    const EoprValue value = eopr_expected_cost(market, menus);
    EXPECT_LE(value.worst_lp_value, 1e-9);
    EXPECT_LE(value.expected_cost, status_quo_cost(market) + 1e-9);
    improved += value.expected_cost < status_quo_cost(market) - 1e-9 ? 1 : 0;
  }
  EXPECT_GT(improved, 0);
}

TEST(DelegationEopr, RejectsInvalidMenus) {
  EXPECT_THROW(eopr_expected_cost(b2(), {Menu{false, {{1, 1}}}, Menu{}}), std::invalid_argument);
  EXPECT_THROW(eopr_expected_cost(b2(), {Menu{false, {{1, -2}, {-1, 1}}}, Menu{}}), std::invalid_argument);
  EXPECT_THROW(eopr_expected_cost(b2(), {Menu{}}), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::delegation
