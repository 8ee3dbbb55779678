// The fpre.continuity binding: the column table and spec 000 §3.3's numbers
// read back from the row.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;

const Experiment& continuity() { return testing::registered("fpre.continuity"); }

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  const ParamPoint point = testing::point_with(continuity(), overrides);
  continuity().validate(point);
  ResultRow row(continuity().info().columns);
  continuity().run(point, 3, row);
  return row;
}

TEST(FpreContinuityBinding, EveryColumnIsDocumented) {
  EXPECT_EQ(testing::missing_or_undocumented(continuity().info(), {"eta_bound_paper", "escape_different_exact",
                                                                   "escape_different_mc", "bound_violated",
                                                                   "solved_z", "solved_ell"}),
            std::vector<std::string>{});
}

// Spec §3.3: n = 2, z = 1/100, ℓ = 100 gives η̄ = 291/2500 and a
// different-index escape of 3z(ℓ+1)/ℓ = 303/10000; n = 3 gives 21177/125000.
TEST(FpreContinuityBinding, PaperNumbers) {
  const ResultRow two = run({{"samples", std::int64_t{20000}}});
  EXPECT_NEAR(column(two, "eta_bound_paper"), 291.0 / 2500.0, 1e-12);
  EXPECT_NEAR(column(two, "escape_different_exact"), 303.0 / 10000.0, 1e-12);
  EXPECT_NEAR(column(two, "escape_different_mc"), 303.0 / 10000.0, 5.0 * column(two, "escape_different_se"));
  EXPECT_EQ(column(two, "bound_violated"), 0.0);
  EXPECT_TRUE(std::isnan(column(two, "solved_z")));
  const ResultRow three = run({{"n", std::int64_t{3}}, {"samples", std::int64_t{1000}}});
  EXPECT_NEAR(column(three, "eta_bound_paper"), 21177.0 / 125000.0, 1e-12);
}

TEST(FpreContinuityBinding, SolvesForATargetEta) {
  const ResultRow row = run({{"samples", std::int64_t{1000}}, {"target_eta", 0.05}});
  EXPECT_GT(column(row, "solved_ell"), 0.0);
  EXPECT_GT(column(row, "solved_z"), 0.0);
  EXPECT_LT(column(row, "solved_eta"), 0.05);
  const ResultRow single =
      run({{"samples", std::int64_t{1000}}, {"target_eta", 0.05}, {"eta_criterion", std::string("exact_single")}});
  EXPECT_LE(column(single, "solved_ell"), column(row, "solved_ell"));  // the exact criterion needs no more
}

}  // namespace
}  // namespace mechsweep
