// The fpre.obedience binding: the column table, the construction's promises
// read back from the row (exact implementation, symmetry, surjectivity), the
// guess gain shrinking with the grid, and plan-time rejection.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;

const Experiment& obedience() { return testing::registered("fpre.obedience"); }

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides, std::uint64_t seed = 5) {
  const ParamPoint point = testing::point_with(obedience(), overrides);
  obedience().validate(point);
  ResultRow row(obedience().info().columns);
  obedience().run(point, seed, row);
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

// A floor on every agent's share keeps each agent above its worst outcome on
// path, so α > 0 and the critical grid is finite (spec §2.5): obedient at
// m′_crit, not one grid point below, and never above the uniform D/α bound.
TEST(FpreObedienceBinding, PositiveFloorMakesTheCriticalGridFinite) {
  const std::vector<std::pair<std::string, ParamValue>> setting = {
      {"denominator", std::int64_t{4}}, {"min_share", std::int64_t{1}}, {"scf", std::string("favour_agent_1")}};
  auto with_grid = [&](std::int64_t grid) {
    auto overrides = setting;
    overrides.emplace_back("grid", grid);
    return run(overrides);
  };
  const ResultRow row = with_grid(16);
  ASSERT_GT(column(row, "alpha"), 0.0);
  const double critical = column(row, "m_crit_expost");
  ASSERT_TRUE(std::isfinite(critical));
  ASSERT_GE(critical, 2.0);
  EXPECT_LE(critical, std::ceil(column(row, "d_over_alpha")));
  EXPECT_EQ(column(with_grid(static_cast<std::int64_t>(critical)), "obedient_expost"), 1.0);
  EXPECT_EQ(column(with_grid(static_cast<std::int64_t>(critical) - 1), "obedient_expost"), 0.0);
  EXPECT_EQ(column(run({{"denominator", std::int64_t{4}}, {"scf", std::string("favour_agent_1")}}), "m_crit_expost"),
            std::numeric_limits<double>::infinity());
}

// Members who both get less than the fair share reach o* by sending the same
// index, so the FPRE is not coalition-proof (spec §2.9, KAT-D1) — reported,
// not blocked. Coalitions of one reach only what obedience analysis covers.
TEST(FpreObedienceBinding, CoalitionsReachPermutationsAndProfitFromTheFallback) {
  const std::vector<std::pair<std::string, ParamValue>> three = {{"agents", std::int64_t{3}},
                                                                  {"denominator", std::int64_t{6}},
                                                                  {"scf", std::string("random_deterministic")}};
  const ResultRow pair = run(three);
  EXPECT_EQ(column(pair, "coalition_contains_all_permutations"), 1.0);
  EXPECT_GE(column(pair, "coalition_reachable_outcomes"), 2.0);
  EXPECT_GT(column(pair, "coalition_profitable_share"), 0.0);
  EXPECT_GT(column(pair, "max_coalition_gain"), 0.0);
  EXPECT_LE(column(pair, "coalition_strictly_profitable_share"), column(pair, "coalition_profitable_share"));
  auto alone = three;
  alone.emplace_back("coalition_size", std::int64_t{0});
  EXPECT_EQ(column(run(alone), "coalition_reachable_outcomes"), 0.0);
}

TEST(FpreObedienceBinding, RejectsAFloorNoOutcomeMeetsAndOversizedCoalitions) {
  const auto rejected_param = [](const std::vector<std::pair<std::string, ParamValue>>& overrides) -> std::string {
    try {
      obedience().validate(testing::point_with(obedience(), overrides));
    } catch (const InvalidParams& error) {
      return error.param();
    }
    return "";
  };
  EXPECT_EQ(rejected_param({{"denominator", std::int64_t{4}}, {"min_share", std::int64_t{3}}}), "min_share");
  EXPECT_EQ(rejected_param({{"denominator", std::int64_t{4}}, {"min_share", std::int64_t{2}}}), "");
  EXPECT_EQ(rejected_param({{"coalition_size", std::int64_t{3}}}), "coalition_size");
  EXPECT_EQ(rejected_param({{"agents", std::int64_t{3}}, {"denominator", std::int64_t{6}},
                            {"coalition_size", std::int64_t{3}}}),
            "");
}

// environment = k pins the instance across tasks (common random numbers);
// environment = 0 draws it from the task seed.
TEST(FpreObedienceBinding, NamedEnvironmentIsTheSameInEveryTask) {
  const std::vector<std::pair<std::string, ParamValue>> pinned = {{"environment", std::int64_t{3}},
                                                                   {"scf", std::string("random_deterministic")},
                                                                   {"types", std::int64_t{3}}};
  const std::vector<std::pair<std::string, ParamValue>> unpinned = {{"scf", std::string("random_deterministic")},
                                                                     {"types", std::int64_t{3}}};
  bool unpinned_differs = false;
  for (const char* name : {"reach", "alpha", "max_bic_violation", "orbits", "asymmetry_fraction"}) {
    EXPECT_EQ(column(run(pinned, 11), name), column(run(pinned, 12), name)) << name;
    unpinned_differs = unpinned_differs || column(run(unpinned, 11), name) != column(run(unpinned, 12), name);
  }
  EXPECT_TRUE(unpinned_differs);
}

}  // namespace
}  // namespace mechsweep
