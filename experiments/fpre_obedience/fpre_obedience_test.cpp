// The fpre.obedience binding: the column table, the construction's promises
// read back from the row (exact implementation, symmetry, surjectivity), the
// guess gain shrinking with the grid, and plan-time rejection.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;

const Experiment& obedience() { return testing::registered("fpre.obedience"); }

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  const ParamPoint point = testing::point_with(obedience(), overrides);
  obedience().validate(point);
  ResultRow row(obedience().info().columns);
  obedience().run(point, 5, row);
  return row;
}

TEST(FpreObedienceBinding, EveryColumnIsDocumented) {
  EXPECT_EQ(testing::missing_or_undocumented(obedience().info(), {"implementation_rate", "k_min", "max_expost_gain",
                                                                  "m_crit_interim", "eta_achieved", "mu_bic"}),
            std::vector<std::string>{});
}

TEST(FpreObedienceBinding, ConstructionKeepsItsPromises) {
  for (const char* scf : {"constant", "random_deterministic", "favour_agent_1"}) {
    const ResultRow row = run({{"scf", std::string(scf)}, {"types", std::int64_t{3}}});
    EXPECT_EQ(column(row, "implementation_rate"), 1.0) << scf;
    EXPECT_EQ(column(row, "nu_symmetric"), 1.0) << scf;
    EXPECT_EQ(column(row, "nu_surjective"), 1.0) << scf;
    EXPECT_EQ(column(row, "assumption1_ok"), 1.0) << scf;
    EXPECT_GE(column(row, "k_min"), 2.0) << scf;
  }
}

// A guess passes with probability 1/m′: the ex-post gain scales like 1/m′
// and vanishes in the continuum, where η = 0.
TEST(FpreObedienceBinding, GuessGainsShrinkWithTheGrid) {
  const ResultRow coarse = run({{"scf", std::string("constant")}, {"grid", std::int64_t{4}}});
  const ResultRow fine = run({{"scf", std::string("constant")}, {"grid", std::int64_t{400}}});
  const ResultRow continuum = run({{"scf", std::string("constant")}, {"grid", std::int64_t{0}}});
  EXPECT_GT(column(coarse, "max_expost_gain"), 0.0);
  EXPECT_NEAR(column(fine, "max_expost_gain"), column(coarse, "max_expost_gain") / 100.0, 1e-12);
  EXPECT_EQ(column(coarse, "eta_achieved"), 0.25);
  EXPECT_EQ(column(continuum, "max_expost_gain"), 0.0);
  EXPECT_EQ(column(continuum, "eta_achieved"), 0.0);
  EXPECT_EQ(column(continuum, "obedient_interim"), 1.0);
}

TEST(FpreObedienceBinding, RejectsASimplexGridWithoutFairShares) {
  const auto rejects = [](std::int64_t agents, std::int64_t denominator) {
    try {
      obedience().validate(
          testing::point_with(obedience(), {{"agents", agents}, {"denominator", denominator}}));
    } catch (const InvalidParams& error) {
      return error.param() == "denominator";
    }
    return false;
  };
  EXPECT_TRUE(rejects(2, 3));
  EXPECT_TRUE(rejects(3, 4));
  EXPECT_FALSE(rejects(3, 6));
  EXPECT_FALSE(rejects(2, 4));
}

}  // namespace
}  // namespace mechsweep
