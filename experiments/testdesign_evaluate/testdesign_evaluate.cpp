// testdesign.evaluate: the principal's payoff of one test design (paper 003,
// spec 003 §1.8, §5.3), by deterministic quadrature, with an optional Monte
// Carlo cross-check. The design is either given by its parameters (`custom`,
// `explicit`) or one of the paper's constructions (named_designs.hpp).
//
//   parameter     type     default         range / choices          meaning
//   angle_deg, cost_scale, setting, q, distribution, dist_scale, dist_offset:
//                 see experiments/testdesign_common/testdesign_params.hpp
//   procedure     choice   fixed_ab        simultaneous | fixed_ab | fixed_ba | random_undisclosed | random_disclosed
//   shift_a       real     1               [−10, 10]                δ_A, inward shift of test A in units of 1/η
//   shift_b       real     1               [−10, 10]                δ_B
//   rotate_a_deg  real     0               [−89, 89]                CCW rotation of test A's normal about Õ
//   rotate_b_deg  real     0               [−89, 89]                CCW rotation of test B's normal about Õ
//   mc_samples    integer  0               [0, 1e8]                 Monte Carlo cross-check draws (0 = skip)
//   design        choice   custom          custom | explicit | criteria | stringent | proposition1 | theorem2_s1 |
//                                          theorem2_menu | investment_shift | half_shift | lemma15 | perfect_tests
//   cost_model    choice   path_additive   path_additive | origin_additive (Section 6.2 class (ii))
//   normal_a_x, normal_a_y, offset_a, normal_b_x, normal_b_y, offset_b   real
//                 the tests {w·x ≥ b} in the canonical frame, design `explicit` only;
//                 w must be a unit vector (|‖w‖ − 1| ≤ 1e-9); default h⁺ at θ = 60°, η = 1
//
// Invalid combinations (nearly parallel tests, non-unit normals, perfect tests
// in the investment setting) are rejected when the plan is built (exit 2).

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/testdesign_common/testdesign_params.hpp"
#include "mechanisms/testdesign/distribution.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/named_designs.hpp"
#include "mechanisms/testdesign/perfect_tests.hpp"
#include "mechanisms/testdesign/testdesign.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace td = mechsweep::testdesign;
namespace common = testdesign_params;

constexpr double kUnitTolerance = 1e-9;
// The explicit design is "explicit", which named_designs.hpp does not know.
const std::string kExplicit = "explicit";

std::vector<std::string> design_labels() {
  std::vector<std::string> labels = common::labels(td::kDesignLabels);
  labels.insert(labels.begin() + 1, kExplicit);
  return labels;
}

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "testdesign.evaluate";
  info.summary = "Paper 003: the principal's value of one test design (tests, procedure, setting, type distribution)";
  std::vector<ParamSpec> params = common::criteria_params();
  params.push_back(choice_param("procedure", "fixed_ab", common::labels(td::kProcedureLabels),
                                "testing procedure (spec §1.6); the random ones apply A first with probability q"));
  for (ParamSpec& spec : common::setting_params()) params.push_back(std::move(spec));
  for (ParamSpec& spec : common::distribution_params()) params.push_back(std::move(spec));
  params.push_back(
      real_param("shift_a", 1.0, -10.0, 10.0, "δ_A: inward shift of test A in units of 1/η (1 gives h⁺; spec §1.3)"));
  params.push_back(real_param("shift_b", 1.0, -10.0, 10.0, "δ_B: inward shift of test B in units of 1/η"));
  params.push_back(real_param("rotate_a_deg", 0.0, -89.0, 89.0,
                              "ρ_A: counter-clockwise rotation of test A's normal about Õ, degrees"));
  params.push_back(real_param("rotate_b_deg", 0.0, -89.0, 89.0,
                              "ρ_B: counter-clockwise rotation of test B's normal about Õ, degrees"));
  params.push_back(
      integer_param("mc_samples", 0, 0.0, 1e8, "Monte Carlo cross-check draws from the task seed (0 = skip)"));
  params.push_back(choice_param("design", "custom", design_labels(),
                                "custom: the shift/rotate parameters; explicit: the normal/offset parameters; "
                                "otherwise one of the paper's constructions (named_designs.hpp)"));
  params.push_back(choice_param("cost_model", "path_additive", common::labels(td::kCostModelLabels),
                                "Section 6.2 cost class: (i) C(x0,x1)+C(x1,x2), or (ii) C(x0,x1)+C(x0,x2)"));
  params.push_back(real_param("normal_a_x", 1.0, -1e6, 1e6, "design explicit: x of test A's unit inward normal"));
  params.push_back(real_param("normal_a_y", 0.0, -1e6, 1e6, "design explicit: y of test A's unit inward normal"));
  params.push_back(real_param("offset_a", 1.0, -1e6, 1e6, "design explicit: test A is {w_A·x ≥ offset_a}"));
  params.push_back(real_param("normal_b_x", -0.5, -1e6, 1e6, "design explicit: x of test B's unit inward normal"));
  params.push_back(
      real_param("normal_b_y", std::sqrt(0.75), -1e6, 1e6, "design explicit: y of test B's unit inward normal"));
  params.push_back(real_param("offset_b", 1.0, -1e6, 1e6, "design explicit: test B is {w_B·x ≥ offset_b}"));
  info.params = std::move(params);
  info.columns = {
      real_column("first_best", "manipulation: F(H); investment: F(N_{1/η}(H)) (spec §1.8)"),
      real_column("value", "P(select a qualified agent), by quadrature"),
      real_column("ratio", "value / first_best; NaN when first_best ≤ 1e-12", true),
      real_column("selected_mass", "E[π]: probability of being selected"),
      real_column("viol_mass", "P(select an unqualified agent); ≈ 0 for a feasible design"),
      real_column("qualified_rejected_mass", "first_best − value"),
      integer_column("feasible", "1 if viol_mass ≤ 1e-9 (quadrature)"),
      integer_column("feasible_exact", "exact O(1) feasibility check for every type (1/0; spec §3, §2.7)"),
      real_column("share_stay", "mass of types already in H̃ (pass without moving)"),
      real_column("share_one_step", "mass of types moving once into H̃"),
      real_column("share_two_step", "mass of types using a two-step strategy (stay-and-project, zig-zag, refraction)"),
      real_column("share_none", "mass of types that do not participate"),
      real_column("expected_agent_cost",
                  "E[expected cost paid], utility units (η × path length); NaN for perfect_tests", true),
      real_column("agent_welfare", "E[max(0, best utility)]; NaN for perfect_tests", true),
      real_column("two_step_mass", "E[π·1{two-step}]: selection obtained through two-step strategies"),
      integer_column("condition_o", "1 if Condition O holds (spec §3, Theorem 3); −1 for perfect_tests"),
      real_column("reach_radius", "1/η"),
      real_column("test_angle_deg", "θ̃: interior angle of the (first) test wedge, degrees; NaN for perfect_tests",
                  true),
      real_column("quadrature_error", "summed Gauss–Kronrod error estimate of the quadrature (target 1e-10)"),
      real_column("mc_value", "Monte Carlo estimate of value (NaN when mc_samples = 0)", true),
      real_column("mc_stderr", "standard error of mc_value (NaN when mc_samples ≤ 1)", true),
  };
  return info;
}

// Spec §7.1: a test needs a unit normal (distances depend on it). A normal of
// another length is far more likely a typo than an intent, so it is an error
// that shows the normalised test rather than a silent rescaling.
td::HalfPlane explicit_test(const ParamPoint& point, const std::string& side) {
  const td::Vec2 normal{point.real("normal_" + side + "_x"), point.real("normal_" + side + "_y")};
  const double offset = point.real("offset_" + side);
  const double length = td::norm(normal);
  if (!(std::fabs(length - 1.0) <= kUnitTolerance)) {
    std::ostringstream message;
    message.precision(12);
    message << "the normal of test " << side << " (" << normal.x << ", " << normal.y << ") has length " << length
            << "; expected a unit vector (|length − 1| ≤ " << kUnitTolerance << ")";
    if (length > 0.0) {
      message << "; the same test with a unit normal is normal_" << side << " = (" << normal.x / length << ", "
              << normal.y / length << "), offset_" << side << " = " << offset / length;
    }
    throw InvalidParams("normal_" + side + "_x", message.str());
  }
  return {normal, offset};
}

struct Design {
  bool perfect_tests = false;
  td::Mechanism mechanism;
  td::Criteria criteria;
  td::Setting setting = td::Setting::manipulation;
};

Design make_design(const ParamPoint& point) {
  Design d;
  common::attribute_to({"angle_deg", "cost_scale"}, [&] { d.criteria = common::criteria(point); });
  d.setting = td::parse_setting(point.choice("setting"));
  const std::string& label = point.choice("design");
  const td::Procedure procedure = td::parse_procedure(point.choice("procedure"));
  const td::CostModel cost_model = td::parse_cost_model(point.choice("cost_model"));
  const double q = point.real("q");
  if (label == kExplicit) {
    const td::HalfPlane a = explicit_test(point, "a");
    const td::HalfPlane b = explicit_test(point, "b");
    common::attribute_to({"normal_b_x", "normal_b_y", "normal_a_x", "normal_a_y", "angle_deg"}, [&] {
      td::Instance instance = td::make_instance(d.criteria, a, b, procedure, q);
      instance.cost_model = cost_model;
      d.mechanism = instance;
    });
    return d;
  }
  const td::Design design = td::parse_design(label);
  if (design == td::Design::perfect_tests) {
    if (d.setting == td::Setting::investment) {
      throw InvalidParams("setting",
                          "design perfect_tests is a manipulation construction (Section 6.1); in the investment "
                          "setting the simultaneous criteria already reach the first best (Prop 2): use design "
                          "criteria with procedure simultaneous");
    }
    d.perfect_tests = true;
    return d;
  }
  const td::TestParams tests{point.real("shift_a"), point.real("shift_b"), point.real("rotate_a_deg"),
                             point.real("rotate_b_deg")};
  std::vector<std::string> blamed = {"design"};
  if (design == td::Design::custom) blamed = {"rotate_b_deg", "rotate_a_deg", "angle_deg"};
  common::attribute_to(std::move(blamed),
                       [&] { d.mechanism = td::make_design(design, d.criteria, procedure, q, tests, cost_model); });
  return d;
}

void record(ResultRow& row, const td::Evaluation& e) {
  row.set("first_best", e.first_best);
  row.set("value", e.value);
  row.set("ratio", e.ratio);
  row.set("selected_mass", e.selected_mass);
  row.set("viol_mass", e.viol_mass);
  row.set("qualified_rejected_mass", e.qualified_rejected_mass);
  row.set("feasible", e.feasible ? 1.0 : 0.0);
  row.set("feasible_exact", e.feasible_exact ? 1.0 : 0.0);
  row.set("share_stay", e.share_stay);
  row.set("share_one_step", e.share_one_step);
  row.set("share_two_step", e.share_two_step);
  row.set("share_none", e.share_none);
  row.set("expected_agent_cost", e.expected_agent_cost);
  row.set("agent_welfare", e.agent_welfare);
  row.set("two_step_mass", e.two_step_mass);
  row.set("condition_o", e.condition_o ? 1.0 : 0.0);
  row.set("quadrature_error", e.error_estimate);
}

// Section 6.1, Prop 3: the selected set of the adaptive perfect tests is
// exactly H (perfect_tests.hpp derives K*(x0) ≤ 1 ⇔ x0 ∈ H, and its tests check
// it pointwise against brute force), so every mass follows from F(H) and F(H⁺):
// the types in H⁺ pass where they stand, those in H \ H⁺ report themselves and
// then walk to the point the second test names.
void record_perfect_tests(ResultRow& row, const td::Criteria& criteria, const td::Distribution& distribution) {
  const td::Instance stringent = td::make_instance(criteria, td::Procedure::simultaneous, 1.0, td::kStringentTests);
  const td::Evaluation e = td::evaluate(stringent, td::Setting::manipulation, distribution);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  row.set("first_best", e.first_best);
  row.set("value", e.first_best);
  row.set("ratio", e.first_best > 1e-12 ? 1.0 : nan);
  row.set("selected_mass", e.first_best);
  row.set("viol_mass", 0.0);
  row.set("qualified_rejected_mass", 0.0);
  row.set("feasible", 1.0);
  row.set("feasible_exact", 1.0);
  row.set("share_stay", e.share_stay);
  row.set("share_one_step", 0.0);
  row.set("share_two_step", e.first_best - e.share_stay);
  row.set("share_none", e.total_mass - e.first_best);
  row.set("expected_agent_cost", nan);
  row.set("agent_welfare", nan);
  row.set("two_step_mass", e.first_best - e.share_stay);
  row.set("condition_o", -1.0);
  row.set("test_angle_deg", nan);
  row.set("quadrature_error", e.error_estimate);
}

class TestdesignEvaluate final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override { (void)make_design(point); }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    const Design d = make_design(point);
    const td::Distribution distribution = common::distribution(point, d.criteria);
    row.set("reach_radius", d.criteria.reach());
    const std::int64_t samples = point.integer("mc_samples");
    td::MonteCarloEstimate mc{std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), 0};
    if (d.perfect_tests) {
      record_perfect_tests(row, d.criteria, distribution);
      if (samples > 0) {
        mc = td::perfect_test_value(d.criteria, d.setting, distribution, seed, static_cast<std::uint64_t>(samples));
      }
    } else {
      record(row, td::evaluate(d.mechanism, d.setting, distribution));
      row.set("test_angle_deg", td::test_angle_deg(d.mechanism.items[0]));
      if (samples > 0) {
        mc = td::monte_carlo_value(d.mechanism, d.setting, distribution, seed, static_cast<std::uint64_t>(samples));
      }
    }
    row.set("mc_value", mc.value);
    row.set("mc_stderr", mc.standard_error);
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::TestdesignEvaluate)
