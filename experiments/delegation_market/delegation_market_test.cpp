// The delegation.market binding: the parameter and column tables, the spec's
// known answers on the default point (base instance B2, spec 002 §3.2) read
// back from the row, and plan-time rejection of menus that cannot be OSP.

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
using testing::ragged;

const Experiment& market() { return testing::registered("delegation.market"); }

ResultRow run(const std::vector<std::pair<std::string, ParamValue>>& overrides, std::uint64_t seed = 1) {
  const ParamPoint point = testing::point_with(market(), overrides);
  market().validate(point);
  ResultRow row(market().info().columns);
  market().run(point, seed, row);
  return row;
}

// Cheap defaults for the tests: fewer type draws.
std::vector<std::pair<std::string, ParamValue>> quick(std::vector<std::pair<std::string, ParamValue>> overrides = {}) {
  overrides.emplace_back("samples", std::int64_t{400});
  return overrides;
}

TEST(DelegationMarketBinding, EveryColumnIsDocumented) {
  EXPECT_EQ(testing::missing_or_undocumented(
                market().info(), {"v_sq", "v_fb", "v_nd", "v_ci", "v_eopr", "v_lm", "lm_gap", "v_lm_menus",
                                  "v_replica", "replica_gap", "choice_probability", "welfare", "ir_violations"}),
            std::vector<std::string>{});
}

// The default point is B2 with K5's menus: V_SQ = 6, V_FB = 4, V_ND(1) = 6
// (Corollary 1), E[V_EOPR] = 5.5, the menus' LM value 5, and at N = 1 the
// replica economy is the economy itself.
TEST(DelegationMarketBinding, DefaultPointIsTheBaseInstance) {
  const ResultRow row = run(quick());
  EXPECT_NEAR(column(row, "v_sq"), 6.0, 1e-12);
  EXPECT_NEAR(column(row, "v_fb"), 4.0, 1e-12);
  EXPECT_NEAR(column(row, "v_nd"), 6.0, 1e-9);
  EXPECT_NEAR(column(row, "v_eopr"), 5.5, 1e-9);
  EXPECT_EQ(column(row, "eopr_exact"), 1.0);
  EXPECT_NEAR(column(row, "v_lm_menus"), 5.0, 1e-9);
  EXPECT_NEAR(column(row, "v_replica"), 5.5, 1e-9);
  EXPECT_NEAR(column(row, "replica_gap"), 0.5, 1e-9);
  // Proposition 1's constructed trade improves, but no trade beats K4's best (gain 0.5).
  EXPECT_LT(column(row, "v_bilateral"), 6.0);
  EXPECT_GE(column(row, "v_bilateral"), 5.5 - 1e-9);
  EXPECT_NEAR(column(row, "corollary1_gap"), 0.0, 1e-9);
  EXPECT_EQ(column(row, "thm1_hypotheses"), 1.0);
  EXPECT_EQ(column(row, "osp_full_cone"), 1.0);
  EXPECT_EQ(column(row, "osp_on_boxes"), 1.0);
  // The LM optimum is below the menus' LM value and above the first best.
  EXPECT_LE(column(row, "v_lm"), 5.0 + 1e-9);
  EXPECT_GE(column(row, "v_lm"), 4.0 - 1e-9);
  EXPECT_NEAR(column(row, "lm_gap"), 0.0, 1e-6);
  EXPECT_EQ(column(row, "participation_violations"), 0.0);
  for (const double w : ragged(row, "welfare")) EXPECT_LE(w, 0.0);
  for (const double q : ragged(row, "choice_probability")) EXPECT_NEAR(q, 1.0, 1e-12);
  EXPECT_EQ(ragged(row, "lm_prices").size(), 2U);
  EXPECT_NEAR(column(row, "gain_eopr"), 0.5, 1e-9);
  EXPECT_NEAR(column(row, "fb_share_eopr"), 0.25, 1e-9);
}

// K7a: V_ND(1.2) = 4.8; K8: identical performance gains nothing.
TEST(DelegationMarketBinding, SlackAndIdenticalPerformance) {
  EXPECT_NEAR(column(run(quick({{"slack", 1.2}})), "v_nd"), 4.8, 1e-9);
  const ResultRow null_case = run(quick({{"cost_spread", 0.0}}));
  EXPECT_NEAR(column(null_case, "v_eopr"), column(null_case, "v_sq"), 1e-12);
  EXPECT_NEAR(column(null_case, "v_lm"), column(null_case, "v_sq"), 1e-9);
}

TEST(DelegationMarketBinding, ReplicasApproachTheLargeMarketValue) {
  const ResultRow few = run(quick({{"replicas", std::int64_t{4}}}));
  const ResultRow many = run(quick({{"replicas", std::int64_t{64}}}));
  EXPECT_GE(column(few, "replica_gap"), -1e-9);
  EXPECT_LT(column(many, "replica_gap"), column(few, "replica_gap"));
}

// Sampled EOPR when the profiles exceed the limit; it stays within 5 standard errors of the exact value.
TEST(DelegationMarketBinding, SampledEoprAgreesWithEnumeration) {
  const ResultRow sampled = run(quick({{"exact_profiles", std::int64_t{1}}, {"samples", std::int64_t{4000}}}));
  EXPECT_EQ(column(sampled, "eopr_exact"), 0.0);
  EXPECT_NEAR(column(sampled, "v_eopr"), 5.5, 5.0 * column(sampled, "v_eopr_se"));
  EXPECT_TRUE(std::isnan(column(sampled, "eopr_worst_lp")));
}

TEST(DelegationMarketBinding, LargerMarketsAreConsistent) {
  const auto larger = quick({{"tasks", std::int64_t{3}},
                             {"agents", std::int64_t{4}},
                             {"status_quo", std::string("dirichlet")},
                             {"cost_direction", std::string("random")},
                             {"rays_per_agent", std::int64_t{3}},
                             {"remedial_agents", std::int64_t{1}},
                             {"lm_iterations", std::int64_t{30}}});
  const ResultRow row = run(larger);
  EXPECT_LE(column(row, "v_eopr"), column(row, "v_sq") + 1e-9);
  EXPECT_LE(column(row, "v_fb"), column(row, "v_lm") + 1e-9);
  EXPECT_LE(column(row, "v_lm"), column(row, "v_sq") + 1e-9);
  EXPECT_EQ(column(row, "lm_exact"), 0.0);
  EXPECT_EQ(column(row, "participation_violations"), 0.0);
  EXPECT_EQ(ragged(row, "welfare").size(), 4U);
  // The same seed reproduces the row, including the seeded Dirichlet split.
  const ResultRow again = run(larger);
  EXPECT_EQ(column(row, "v_sq"), column(again, "v_sq"));
  EXPECT_EQ(column(row, "v_eopr"), column(again, "v_eopr"));
  EXPECT_EQ(column(row, "v_lm"), column(again, "v_lm"));
  EXPECT_NE(column(row, "v_sq"), column(run(larger, 2), "v_sq"));
}

// Beta(a, a) types are symmetric, so K5's menus still trade half the time;
// the probabilities are sampled and the LM program is flagged inexact.
TEST(DelegationMarketBinding, BetaTypes) {
  const ResultRow row = run(quick({{"type_shape", std::string("beta")}, {"beta_a", 4.0}, {"beta_b", 4.0}}));
  EXPECT_EQ(column(row, "lm_exact"), 0.0);
  EXPECT_NEAR(column(row, "v_eopr"), 5.5, 0.03);
  EXPECT_LE(column(row, "v_lm"), column(row, "v_sq") + 1e-9);
  EXPECT_EQ(column(row, "participation_violations"), 0.0);
}

TEST(DelegationMarketBinding, RejectsMenusThatCannotBeOsp) {
  const auto rejects = [](const std::vector<std::pair<std::string, ParamValue>>& overrides, const std::string& param) {
    try {
      market().validate(testing::point_with(market(), overrides));
    } catch (const InvalidParams& error) {
      return error.param() == param;
    }
    return false;
  };
  EXPECT_TRUE(rejects({{"rays_per_agent", std::int64_t{3}}}, "rays_per_agent"));
  EXPECT_TRUE(rejects({{"exchange_rate", 0.5}}, "exchange_rate"));
  EXPECT_FALSE(rejects({{"exchange_rate", 0.5}, {"rays_per_agent", std::int64_t{1}}}, "exchange_rate"));
  EXPECT_TRUE(rejects({{"remedial_agents", std::int64_t{3}}}, "remedial_agents"));
  EXPECT_TRUE(rejects({{"cost_groups", std::int64_t{5}}}, "cost_groups"));
}

}  // namespace
}  // namespace mechsweep
