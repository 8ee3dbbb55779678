#include "solvers/lp.hpp"

#include <gtest/gtest.h>

#include <array>

namespace mechsweep::solvers {
namespace {

// max x + y  s.t.  x + 2y ≤ 4,  3x + y ≤ 6,  x, y ≥ 0: optimum (8/5, 6/5), value
// 14/5, row duals (2/5, 1/5); with integer x, y the optimum is 2.
LinearProgram textbook(bool integer) {
  LinearProgram lp;
  const int x = lp.add_column(0.0, kInfinity, 1.0, integer);
  const int y = lp.add_column(0.0, kInfinity, 1.0, integer);
  const std::array<std::pair<int, double>, 2> first{{{x, 1.0}, {y, 2.0}}};
  const std::array<std::pair<int, double>, 2> second{{{x, 3.0}, {y, 1.0}}};
  lp.add_row(first, -kInfinity, 4.0);
  lp.add_row(second, -kInfinity, 6.0);
  return lp;
}

TEST(LinearProgram, SolvesTheTextbookLpWithDuals) {
  const auto solution = textbook(false).maximize();
  ASSERT_EQ(solution.status, LinearProgram::Status::optimal);
  EXPECT_NEAR(solution.objective, 14.0 / 5.0, 1e-12);
  EXPECT_NEAR(solution.primal[0], 8.0 / 5.0, 1e-12);
  EXPECT_NEAR(solution.primal[1], 6.0 / 5.0, 1e-12);
  EXPECT_NEAR(solution.row_duals[0], 2.0 / 5.0, 1e-12);
  EXPECT_NEAR(solution.row_duals[1], 1.0 / 5.0, 1e-12);
}

TEST(LinearProgram, SolvesTheIntegerVersionWithCbc) {
  const auto solution = textbook(true).maximize();
  ASSERT_EQ(solution.status, LinearProgram::Status::optimal);
  EXPECT_NEAR(solution.objective, 2.0, 1e-9);
}

TEST(LinearProgram, ReportsInfeasibility) {
  for (bool integer : {false, true}) {
    LinearProgram lp = textbook(integer);
    const std::array<std::pair<int, double>, 1> at_least{{{0, 1.0}}};
    lp.add_row(at_least, 5.0, kInfinity);
    EXPECT_EQ(lp.maximize().status, LinearProgram::Status::infeasible) << "integer=" << integer;
  }
}

// A feasible homogeneous system with free columns and a zero objective, which
// Clp's dual simplex alone declared infeasible: γ = (−2, 2) satisfies it.
TEST(LinearProgram, FreeColumnsWithZeroObjectiveAreFeasible) {
  LinearProgram lp;
  lp.add_column(-kInfinity, kInfinity, 0.0);
  lp.add_column(-kInfinity, kInfinity, 0.0);
  const std::array<std::pair<int, double>, 2> delta{{{0, 2.103 - 1.047}, {1, 0.969 - 0.867}}};
  const std::array<std::pair<int, double>, 2> first{{{0, 2.7929}, {1, 1.8515}}};
  const std::array<std::pair<int, double>, 2> second{{{0, 1.703}, {1, 2.8977}}};
  lp.add_row(delta, -kInfinity, -1.0);
  lp.add_row(first, -kInfinity, -1.0);
  lp.add_row(second, 1.0, kInfinity);
  const auto solution = lp.maximize();
  ASSERT_EQ(solution.status, LinearProgram::Status::optimal);
  const double g0 = solution.primal[0], g1 = solution.primal[1];
  EXPECT_LE((2.103 - 1.047) * g0 + (0.969 - 0.867) * g1, -1.0 + 1e-9);
  EXPECT_LE(2.7929 * g0 + 1.8515 * g1, -1.0 + 1e-9);
  EXPECT_GE(1.703 * g0 + 2.8977 * g1, 1.0 - 1e-9);
}

}  // namespace
}  // namespace mechsweep::solvers
