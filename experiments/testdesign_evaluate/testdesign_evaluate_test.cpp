// The testdesign.evaluate binding: registration, parameter and column tables,
// one row per point, and invalid points failing with std::invalid_argument.

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

const Experiment& testdesign() { return testing::registered("testdesign.evaluate"); }

ParamPoint point_with(const std::vector<std::pair<std::string, ParamValue>>& overrides) {
  return testing::point_with(testdesign(), overrides);
}

TEST(TestdesignEvaluateBinding, DeclaresTheInterfaceParametersAndColumns) {
  const ExperimentInfo& info = testdesign().info();
  std::vector<std::string> params;
  for (const ParamSpec& spec : info.params) params.push_back(spec.name);
  EXPECT_EQ(params, (std::vector<std::string>{"angle_deg",    "cost_scale",   "procedure",   "setting",    "q",
                                              "distribution", "dist_scale",   "dist_offset", "shift_a",    "shift_b",
                                              "rotate_a_deg", "rotate_b_deg", "mc_samples",  "design",     "cost_model",
                                              "normal_a_x",   "normal_a_y",   "offset_a",    "normal_b_x", "normal_b_y",
                                              "offset_b"}));
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
  EXPECT_EQ(column(a, "feasible_exact"), column(a, "feasible"));
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

std::string invalid_params_message(const ParamPoint& point, std::string* param = nullptr) {
  try {
    testdesign().validate(point);
  } catch (const InvalidParams& e) {
    if (param != nullptr) *param = e.param();
    return e.what();
  }
  return "(valid)";
}

// The plan-time check names the parameter to change; the runner never sees these points.
TEST(TestdesignEvaluateBinding, ValidateNamesTheParameterAtFault) {
  std::string param;
  const std::string normal = invalid_params_message(
      point_with({{"design", std::string("explicit")}, {"normal_a_x", 2.0}, {"offset_a", 1.0}}), &param);
  EXPECT_EQ(param, "normal_a_x");
  EXPECT_NE(normal.find("has length 2"), std::string::npos) << normal;
  EXPECT_NE(normal.find("unit vector"), std::string::npos) << normal;
  EXPECT_NE(normal.find("normal_a = (1, 0), offset_a = 0.5"), std::string::npos) << normal;
  EXPECT_NE(invalid_params_message(
                point_with({{"design", std::string("explicit")}, {"normal_b_x", 0.0}, {"normal_b_y", 0.0}}), &param)
                .find("has length 0"),
            std::string::npos);
  EXPECT_EQ(param, "normal_b_x");
  // Non-unit normals are errors only where they are used.
  EXPECT_EQ(invalid_params_message(point_with({{"normal_a_x", 2.0}})), "(valid)");
  invalid_params_message(point_with({{"rotate_b_deg", 59.9}}), &param);
  EXPECT_EQ(param, "rotate_b_deg");
  // Explicit parallel tests: w_B = −w_A.
  invalid_params_message(point_with({{"design", std::string("explicit")}, {"normal_b_x", -1.0}, {"normal_b_y", 0.0}}),
                         &param);
  EXPECT_EQ(param, "normal_b_x");
  const std::string perfect = invalid_params_message(
      point_with({{"design", std::string("perfect_tests")}, {"setting", std::string("investment")}}), &param);
  EXPECT_EQ(param, "setting");
  EXPECT_NE(perfect.find("Prop 2"), std::string::npos) << perfect;
  EXPECT_EQ(invalid_params_message(point_with({{"design", std::string("theorem2_menu")}})), "(valid)");
}

// spec §4.4 (θ = 60°, η = 1, uniform on [−5, 5]²): the menu of Theorem 2 and the
// perfect tests of Section 6.1 reach F(H) = 0.17783122; the explicit normals of
// h⁺ reproduce the custom design; Monte Carlo agrees with every quadrature.
TEST(TestdesignEvaluateBinding, NamedDesignsReproduceTheUniformSquareKnownAnswers) {
  const ExperimentInfo& info = testdesign().info();
  const auto run = [&](const std::vector<std::pair<std::string, ParamValue>>& overrides) {
    ResultRow row(info.columns);
    auto with_mc = overrides;
    with_mc.emplace_back("mc_samples", std::int64_t{40000});
    testdesign().run(point_with(with_mc), 11, row);
    EXPECT_NEAR(column(row, "mc_value"), column(row, "value"), 5.0 * column(row, "mc_stderr"));
    return row;
  };
  const ResultRow menu = run({{"design", std::string("theorem2_menu")}});
  EXPECT_NEAR(column(menu, "value"), 0.17783122, 5e-9);
  EXPECT_EQ(column(menu, "viol_mass"), 0.0);
  EXPECT_EQ(column(menu, "feasible_exact"), 1.0);
  const ResultRow perfect = run({{"design", std::string("perfect_tests")}});
  EXPECT_NEAR(column(perfect, "value"), 0.17783122, 5e-9);
  EXPECT_EQ(column(perfect, "condition_o"), -1.0);
  const ResultRow simultaneous =
      run({{"design", std::string("stringent")}, {"procedure", std::string("simultaneous")}});
  EXPECT_NEAR(column(simultaneous, "value"), 0.17098268, 5e-9);
  const ResultRow proposition1 =
      run({{"design", std::string("proposition1")}, {"procedure", std::string("simultaneous")}});
  EXPECT_NEAR(column(proposition1, "value"), 0.17152020, 5e-9);
  const ResultRow explicit_tests = run({{"design", std::string("explicit")}});
  EXPECT_NEAR(column(explicit_tests, "value"), 0.17152020, 5e-9);
  // Section 6.2 class (ii): the split strategies select more than the path-additive ones never do less.
  const ResultRow origin = run({{"cost_model", std::string("origin_additive")}});
  EXPECT_EQ(column(origin, "feasible"), column(origin, "feasible_exact"));
  for (const std::string design : {"criteria", "theorem2_s1", "investment_shift", "half_shift", "lemma15"}) {
    const ResultRow row = run({{"design", design}, {"setting", std::string("investment")}});
    EXPECT_EQ(column(row, "feasible"), column(row, "feasible_exact")) << design;
  }
}

}  // namespace
}  // namespace mechsweep
