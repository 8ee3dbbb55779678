// The generic OSP check (spec 002 §2.8) on two-price menus with EOPR selection:
// polarized menus pass, non-polarized ones fail on the positive orthant, and
// the bounded-support exception K2b passes on its box.

#include "mechanisms/delegation/osp_check.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/test_helpers.hpp"

namespace mechsweep::delegation {
namespace {

using test_support::b2;

// Action 0 keeps the endowment, action k ≥ 1 takes ray k − 1; EOPR selects.
FiniteProtocol protocol_of(const Market& market, const std::vector<Menu>& menus) {
  FiniteProtocol protocol;
  protocol.tasks = market.tasks;
  for (const Menu& menu : menus) protocol.actions.push_back(1 + static_cast<int>(menu.rays.size()));
  const int a0 = protocol.actions[0], a1 = protocol.actions[1];
  for (int k1 = 0; k1 < a1; ++k1) {
    for (int k0 = 0; k0 < a0; ++k0) {
      protocol.outcomes.push_back(eopr_profile(market, menus, {k0 - 1, k1 - 1}).allocation);
    }
  }
  return protocol;
}

// Myopically optimal: the ray that lowers the workload most, else keep.
Strategy myopic(const std::vector<Menu>& menus) {
  return [menus](int agent, std::span<const double> type) {
    int best = 0;
    double best_change = 0.0;
    for (std::size_t k = 0; k < menus[agent].rays.size(); ++k) {
      double change = 0.0;
      for (std::size_t i = 0; i < type.size(); ++i) change += type[i] * menus[agent].rays[k][i];
      if (change < best_change) best = static_cast<int>(k) + 1, best_change = change;
    }
    return best;
  };
}

std::vector<std::vector<double>> grid(double low, double high, int steps) {
  std::vector<std::vector<double>> types;
  for (int a = 0; a <= steps; ++a) {
    for (int b = 0; b <= steps; ++b) {
      types.push_back({low + (high - low) * a / steps, low + (high - low) * b / steps});
    }
  }
  return types;
}

TEST(DelegationOsp, PolarizedTwoPriceMenusAreObviouslyStrategyProof) {
  const std::vector<Menu> menus = {Menu{false, {{1, -1}, {-1, 2}}}, Menu{false, {{1, -1.5}, {-1, 1.5}}}};
  const auto types = grid(0.2, 5.0, 24);
  EXPECT_FALSE(check_osp(protocol_of(b2(), menus), myopic(menus), {types, types}).has_value());
}

// K1/K2: (1,−2) and (−1,1) are not polarized: a type such as c = (1, 0.75)
// gains from both, so the worst case of either (no counterpart trades) loses
// to the best case of the other. The partner's rays mirror agent 0's so that
// both can execute (with J = 2 only mirrored rays ever clear).
TEST(DelegationOsp, NonPolarizedMenuFailsOnThePositiveOrthant) {
  const std::vector<Menu> menus = {Menu{false, {{1, -2}, {-1, 1}}}, Menu{false, {{-1, 2}, {1, -1}}}};
  const auto types = grid(0.2, 5.0, 24);
  const auto violation = check_osp(protocol_of(b2(), menus), myopic(menus), {types, types});
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->agent, 0);
  EXPECT_GT(violation->worst_of_action, violation->best_of_deviation);
}

// K2b: buy at 3 and sell at 2.5 is not polarized, yet on C = [1,2]² every type
// strictly prefers buying and dislikes selling, so it is OSP there.
TEST(DelegationOsp, K2bBoundedSupportException) {
  const std::vector<Menu> menus = {Menu{false, {{1, -3}, {-1, 2.5}}}, Menu{false, {{-1, 3}, {1, -2.5}}}};
  const auto box = grid(1.0, 2.0, 20);
  EXPECT_FALSE(check_osp(protocol_of(b2(), menus), myopic(menus), {box, box}).has_value());
  const auto wide = grid(0.2, 5.0, 24);
  EXPECT_TRUE(check_osp(protocol_of(b2(), menus), myopic(menus), {wide, wide}).has_value());
}

TEST(DelegationOsp, RejectsMalformedTables) {
  FiniteProtocol protocol;
  protocol.actions = {2, 2};
  protocol.outcomes = {{1, 1, 1, 1}};
  const Strategy keep = [](int, std::span<const double>) { return 0; };
  EXPECT_THROW(check_osp(protocol, keep, {{{1, 1}}, {{1, 1}}}), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::delegation
