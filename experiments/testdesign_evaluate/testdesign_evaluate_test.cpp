// The testdesign.evaluate binding: registration, parameter and column tables,
// one row per point, and invalid points failing with std::invalid_argument.

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "sweep/experiment.hpp"

namespace mechsweep {
namespace {

const Experiment& testdesign() {
  const Experiment* experiment = ExperimentRegistry::instance().find("testdesign.evaluate");
  if (experiment == nullptr) throw std::logic_error("testdesign.evaluate is not registered");
  return *experiment;
}

// The default point with some parameters overridden.
ParamPoint point_with(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  const ExperimentInfo& info = testdesign().info();
  std::vector<ParamValue> values;
  for (const ParamSpec& spec : info.params) {
    ParamValue value = spec.default_value;
    for (const auto& [name, v] : overrides) {
      if (name == spec.name) value = v;
    }
    values.push_back(value);
  }
  return ParamPoint(info.params, std::move(values));
}

double column(const ResultRow& row, const std::string& name) {
  const auto columns = row.columns();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return row.scalar(i);
  }
  throw std::logic_error("no column " + name);
}

TEST(TestdesignEvaluateBinding, DeclaresTheInterfaceParametersAndColumns) {
  const ExperimentInfo& info = testdesign().info();
  std::vector<std::string> params;
  for (const ParamSpec& spec : info.params) params.push_back(spec.name);
  EXPECT_EQ(params, (std::vector<std::string>{"angle_deg", "cost_scale", "procedure", "setting", "q", "distribution",
                                              "dist_scale", "dist_offset", "shift_a", "shift_b", "rotate_a_deg",
                                              "rotate_b_deg", "mc_samples"}));
  for (const std::string name : {"first_best",
                                 "value",
                                 "ratio",
                                 "selected_mass",
                                 "viol_mass",
                                 "qualified_rejected_mass",
                                 "feasible",
                                 "feasible_exact",
                                 "share_stay",
                                 "share_one_step",
                                 "share_two_step",
                                 "share_none",
                                 "expected_agent_cost",
                                 "agent_welfare",
                                 "two_step_mass",
                                 "condition_o",
                                 "reach_radius",
                                 "test_angle_deg",
                                 "mc_value",
                                 "mc_stderr"}) {
    bool found = false;
    for (const ColumnSpec& c : info.columns) found = found || c.name == name;
    EXPECT_TRUE(found) << name;
  }
  for (const ParamSpec& spec : info.params) EXPECT_FALSE(spec.doc.empty()) << spec.name;
  for (const ColumnSpec& c : info.columns) EXPECT_FALSE(c.doc.empty()) << c.name;
}

// spec §4.4: the default point is h⁺ with the fixed order A→B on the uniform square [−5, 5]².
TEST(TestdesignEvaluateBinding, DefaultPointReproducesTheUniformSquareKnownAnswer) {
  const ExperimentInfo& info = testdesign().info();
  ResultRow row(info.columns);
  testdesign().run(point_with({}), 1, row);
  EXPECT_NEAR(column(row, "first_best"), 0.17783122, 5e-9);
  EXPECT_NEAR(column(row, "value"), 0.17152020, 5e-9);
  EXPECT_EQ(column(row, "feasible"), 1.0);
  EXPECT_EQ(column(row, "feasible_exact"), 1.0);
  EXPECT_EQ(column(row, "reach_radius"), 1.0);
  EXPECT_NEAR(column(row, "test_angle_deg"), 60.0, 1e-12);
  EXPECT_TRUE(std::isnan(column(row, "mc_value")));
  EXPECT_TRUE(std::isnan(column(row, "mc_stderr")));
  for (std::size_t i = 0; i < info.columns.size(); ++i) {
    if (!info.columns[i].nan_allowed) {
      EXPECT_FALSE(std::isnan(row.scalar(i))) << info.columns[i].name;
    }
  }
}

TEST(TestdesignEvaluateBinding, MonteCarloColumnsUseTheTaskSeed) {
  const ExperimentInfo& info = testdesign().info();
  const ParamPoint point = point_with({{"setting", std::string("investment")},
                                       {"procedure", std::string("random_disclosed")},
                                       {"distribution", std::string("gaussian")},
                                       {"dist_scale", 1.5},
                                       {"mc_samples", std::int64_t{20000}}});
  ResultRow a(info.columns);
  ResultRow b(info.columns);
  ResultRow c(info.columns);
  testdesign().run(point, 5, a);
  testdesign().run(point, 5, b);
  testdesign().run(point, 6, c);
  EXPECT_EQ(column(a, "mc_value"), column(b, "mc_value"));
  EXPECT_NE(column(a, "mc_value"), column(c, "mc_value"));
  EXPECT_EQ(column(a, "feasible_exact"), -1.0);
  EXPECT_NEAR(column(a, "mc_value"), column(a, "value"), 5.0 * column(a, "mc_stderr"));
}

TEST(TestdesignEvaluateBinding, InvalidPointsThrowInvalidArgument) {
  const ExperimentInfo& info = testdesign().info();
  ResultRow row(info.columns);
  // θ̃ = θ + ρ_A − ρ_B = 60 + 0 − 59.9: nearly parallel tests.
  EXPECT_THROW(testdesign().run(point_with({{"rotate_b_deg", 59.9}}), 1, row), std::invalid_argument);
  EXPECT_THROW(testdesign().run(point_with({{"cost_scale", 0.0}}), 1, row), std::invalid_argument);
  EXPECT_THROW(testdesign().run(point_with({{"dist_scale", 0.0}}), 1, row), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep
