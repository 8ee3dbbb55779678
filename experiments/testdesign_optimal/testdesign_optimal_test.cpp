// The testdesign.optimal binding: per-procedure optima, the winner, and the
// known answers of spec §4.4 on the uniform square (θ = 60°, η = 1).

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;

const Experiment& optimal() { return testing::registered("testdesign.optimal"); }

ParamPoint point_with(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  return testing::point_with(optimal(), overrides);
}

// spec §4.4: V*_sim = 0.17098268 (closed form h⁺); the optimal fixed order is
// at least V(h⁺, 1) = 0.17152020 and at most F(H) = 0.17783122 = the menu.
TEST(TestdesignOptimalBinding, UniformSquareKnownAnswersAndWinner) {
  const ExperimentInfo& info = optimal().info();
  ResultRow row(info.columns);
  optimal().run(point_with({{"random_starts", std::int64_t{0}},
                            {"max_evaluations", std::int64_t{40}},
                            {"procedure", std::string("all")}}),
                3, row);
  EXPECT_NEAR(column(row, "first_best"), 0.17783122, 5e-9);
  EXPECT_NEAR(column(row, "objective_simultaneous"), 0.17098268, 5e-9);
  EXPECT_EQ(column(row, "method_simultaneous"), 0.0);
  EXPECT_EQ(column(row, "shift_a_simultaneous"), 1.0);
  EXPECT_GE(column(row, "objective_fixed_ab"), 0.17152020 - 5e-9);  // the spec rounds to 8 digits
  EXPECT_LE(column(row, "objective_fixed_ab"), 0.17783122 + 1e-9);
  EXPECT_NEAR(column(row, "menu_value"), 0.17783122, 5e-9);
  for (const std::string procedure :
       {"simultaneous", "fixed_ab", "fixed_ba", "random_undisclosed", "random_disclosed"}) {
    EXPECT_EQ(column(row, "met_" + procedure), 1.0) << procedure;
    EXPECT_LE(column(row, "viol_" + procedure), 1e-9) << procedure;
    // Theorem 1 (manipulation): no procedure beats the better fixed order.
    EXPECT_LE(column(row, "objective_" + procedure),
              std::fmax(column(row, "objective_fixed_ab"), column(row, "objective_fixed_ba")) + 1e-9)
        << procedure;
  }
  EXPECT_GE(column(row, "winner_objective"), column(row, "best_named_value") - 1e-12);
  const int winner = static_cast<int>(column(row, "winner"));
  EXPECT_TRUE(winner == 1 || winner == 2) << winner;
  EXPECT_GE(column(row, "margin"), 0.0);
}

TEST(TestdesignOptimalBinding, OneProcedureLeavesTheOthersNanAndKeepsItsResult) {
  const ExperimentInfo& info = optimal().info();
  ResultRow all(info.columns);
  ResultRow one(info.columns);
  const std::vector<std::pair<std::string, ParamValue>> base = {{"setting", std::string("investment")},
                                                                {"angle_deg", 20.0},
                                                                {"distribution", std::string("gaussian")},
                                                                {"dist_scale", 2.0},
                                                                {"dist_offset", 2.0},
                                                                {"random_starts", std::int64_t{1}},
                                                                {"max_evaluations", std::int64_t{30}}};
  auto only = base;
  only.emplace_back("procedure", std::string("fixed_ab"));
  auto every = base;
  every.emplace_back("procedure", std::string("all"));
  optimal().run(point_with(only), 9, one);
  optimal().run(point_with(every), 9, all);
  EXPECT_TRUE(std::isnan(column(one, "objective_fixed_ba")));
  EXPECT_TRUE(std::isnan(column(one, "margin")));
  EXPECT_EQ(column(one, "winner"), 1.0);
  // Each procedure draws from its own stream, so restricting the task changes nothing.
  EXPECT_EQ(column(one, "objective_fixed_ab"), column(all, "objective_fixed_ab"));
  // Prop 2: simultaneous criteria reach the investment first best and win; fixed orders fall short below 90°.
  EXPECT_NEAR(column(all, "objective_simultaneous"), column(all, "first_best"), 1e-9);
  EXPECT_EQ(column(all, "winner"), 0.0);
  EXPECT_LT(column(all, "objective_fixed_ab"), column(all, "first_best") - 1e-3);
  EXPECT_TRUE(std::isnan(column(all, "menu_value")));
}

TEST(TestdesignOptimalBinding, ObjectiveTwoMinimisesTheUnqualifiedMass) {
  const ExperimentInfo& info = optimal().info();
  ResultRow row(info.columns);
  optimal().run(point_with({{"objective", std::string("p2")},
                            {"procedure", std::string("fixed_ab")},
                            {"distribution", std::string("gaussian")},
                            {"dist_scale", 2.0},
                            {"dist_offset", 1.0},
                            {"random_starts", std::int64_t{0}},
                            {"max_evaluations", std::int64_t{40}}}),
                4, row);
  EXPECT_EQ(column(row, "met_fixed_ab"), 1.0);
  EXPECT_LE(column(row, "rejected_fixed_ab"), 1e-9);
  EXPECT_NEAR(column(row, "objective_fixed_ab"), column(row, "viol_fixed_ab"), 0.0);
  EXPECT_TRUE(std::isnan(column(row, "best_named_value")));
}

}  // namespace
}  // namespace mechsweep
