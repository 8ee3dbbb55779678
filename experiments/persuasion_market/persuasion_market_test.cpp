// The persuasion.market binding: columns, the promises each row must keep
// (D3: every FR policy has welfare G(E); U* majorizes NR and FR uniform; UB
// bounds every policy; Theorem 4.9's certificate), per-agent vectors of the
// right length, and plan-time rejection.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "experiments/binding_test_helpers.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

using testing::column;
using testing::ragged;

const Experiment& market() { return testing::registered("persuasion.market"); }

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides, std::uint64_t seed = 4) {
  const ParamPoint point = testing::point_with(market(), overrides);
  market().validate(point);
  ResultRow row(market().info().columns);
  market().run(point, seed, row);
  return row;
}

TEST(PersuasionMarketBinding, EveryColumnIsDocumented) {
  EXPECT_EQ(testing::missing_or_undocumented(market().info(), {"u_fr_star", "ub_prefix", "fr_star_ratio_upper",
                                                               "sm_certificate_ratio", "welfare_fr"}),
            std::vector<std::string>{});
}

TEST(PersuasionMarketBinding, EveryConstraintKeepsThePromisesOfSpecSection2) {
  for (const char* constraint : {"uniform", "partition", "laminar", "budget", "click"}) {
    for (const char* distribution : {"two_point", "random_grid"}) {
      const ResultRow row = run({{"constraint", std::string(constraint)},
                                 {"distribution", std::string(distribution)},
                                 {"agents", std::int64_t{5}}});
      const std::string where = std::string(constraint) + "/" + distribution;
      const double welfare = column(row, "welfare_fr");
      // D3: fairness costs no welfare under full revelation.
      EXPECT_NEAR(column(row, "fr_uniform_welfare"), welfare, 1e-9 * welfare) << where;
      EXPECT_NEAR(column(row, "fr_star_welfare"), welfare, 1e-9 * welfare) << where;
      EXPECT_EQ(column(row, "fr_star_majorizes"), 1.0) << where;
      EXPECT_EQ(column(row, "fr_star_converged"), 1.0) << where;
      // UB_j bounds every policy, so every upper ratio is ≥ 1 (up to rounding).
      for (const char* policy : {"nr", "fr_uniform", "fr_star", "sm"}) {
        EXPECT_GE(column(row, std::string(policy) + "_ratio_upper"), 1.0 - 1e-9) << where << " " << policy;
        EXPECT_GE(column(row, std::string(policy) + "_ratio_lower"), 1.0 - 1e-9) << where << " " << policy;
      }
      EXPECT_LE(column(row, "sm_certificate_ratio"), 1.0 + 1e-9) << where;
      EXPECT_EQ(ragged(row, "u_fr_star").size(), 5U) << where;
      EXPECT_EQ(ragged(row, "u_sm_true").size(), 5U) << where;
      const std::vector<double>& q = ragged(row, "q_fr_star");
      EXPECT_TRUE(std::is_sorted(q.begin(), q.end())) << where;
      EXPECT_NEAR(q.back(), welfare, 1e-9 * welfare) << where;
    }
  }
}

// Identical agents: U* is the equal split G(E)/n, which uniform ties also
// reach; Section 4 is skipped at ε = 0 and its vectors are empty.
TEST(PersuasionMarketBinding, SymmetricMarketSplitsWelfareEquallyAndEpsilonZeroSkipsSection4) {
  const ResultRow row = run({{"agents", std::int64_t{8}}, {"epsilon", 0.0}});
  const std::vector<double>& star = ragged(row, "u_fr_star");
  const double share = column(row, "welfare_fr") / 8.0;
  for (const double u : star) EXPECT_NEAR(u, share, 1e-9);
  EXPECT_NEAR(column(row, "fr_star_ratio_upper"), 1.0, 1e-9);
  EXPECT_TRUE(ragged(row, "u_sm_true").empty());
  EXPECT_TRUE(std::isnan(column(row, "sm_welfare")));
  EXPECT_EQ(column(row, "buckets"), 0.0);
}

// Heterogeneous priors: the 1-majorized point strictly beats uniform ties
// in some prefix sum on at least one seed, never loses one.
TEST(PersuasionMarketBinding, MajorizedSelectionBeatsUniformTies) {
  bool strictly_better = false;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const ResultRow row = run({{"distribution", std::string("random_grid")}, {"agents", std::int64_t{6}}}, seed);
    const std::vector<double>& star = ragged(row, "q_fr_star");
    const std::vector<double>& uniform = ragged(row, "q_fr_uniform");
    for (std::size_t j = 0; j < star.size(); ++j) {
      EXPECT_GE(star[j], uniform[j] - 1e-9) << seed << " " << j;
      strictly_better = strictly_better || star[j] > uniform[j] + 1e-6;
    }
  }
  EXPECT_TRUE(strictly_better);
}

TEST(PersuasionMarketBinding, RejectsImpossibleCombinationsAtPlanTime) {
  const auto rejected = [](const std::vector<std::pair<std::string, ParamValue>>& overrides) -> std::string {
    try {
      market().validate(testing::point_with(market(), overrides));
    } catch (const InvalidParams& error) {
      return error.param();
    }
    return "";
  };
  EXPECT_EQ(rejected({{"constraint", std::string("partition")}, {"groups", std::int64_t{7}}}), "groups");
  EXPECT_EQ(rejected({{"constraint", std::string("click")}, {"click_low", 0.6}}), "click_low");
  EXPECT_EQ(rejected({{"oracle", std::string("enumerate")}, {"agents", std::int64_t{17}}}), "oracle");
  EXPECT_EQ(rejected({{"oracle", std::string("monte_carlo")}, {"agents", std::int64_t{1000}},
                      {"samples", std::int64_t{100000}}}),
            "samples");
  EXPECT_EQ(rejected({{"constraint", std::string("partition")}, {"groups", std::int64_t{6}}}), "");
}

}  // namespace
}  // namespace mechsweep
