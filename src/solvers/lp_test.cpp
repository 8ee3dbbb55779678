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

}  // namespace
}  // namespace mechsweep::solvers
