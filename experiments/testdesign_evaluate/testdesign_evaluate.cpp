// testdesign.evaluate: the principal's payoff of one given test design
// (paper 003, spec 003 §1.8, §5.3), by deterministic quadrature, with an
// optional Monte Carlo cross-check.
//
//   parameter     type     default         range / choices          meaning
//   angle_deg     real     60              [0.5, 179.5]             θ, interior angle of the qualified wedge H
//   cost_scale    real     1               (0, 1e6]                 η; 1/η is the reach radius
//   procedure     choice   fixed_ab        simultaneous | fixed_ab | fixed_ba | random_undisclosed | random_disclosed
//   setting       choice   manipulation    manipulation | investment
//   q             real     0.5             [0, 1]                   P(test A first), random procedures only
//   distribution  choice   uniform_square  uniform_square | uniform_disk | gaussian
//   dist_scale    real     5               (0, 1e6]                 half-width / radius / σ
//   dist_offset   real     0               [−1e6, 1e6]              center = O + dist_offset·u_bis
//   shift_a       real     1               [−10, 10]                δ_A, inward shift of test A in units of 1/η
//   shift_b       real     1               [−10, 10]                δ_B
//   rotate_a_deg  real     0               [−89, 89]                CCW rotation of test A's normal about Õ
//   rotate_b_deg  real     0               [−89, 89]                CCW rotation of test B's normal about Õ
//   mc_samples    integer  0               [0, 1e8]                 Monte Carlo cross-check draws (0 = skip)
//
// Invalid combinations (e.g. rotations that make the tests nearly parallel)
// throw std::invalid_argument from the module, which the runner records as a
// failed task. Besides the metrics of spec §5.3 the row carries the
// quadrature's own error estimate.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "mechanisms/testdesign/distribution.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/testdesign.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace td = mechsweep::testdesign;

template <std::size_t N>
std::vector<std::string> labels(const std::array<std::string_view, N>& all) {
  return {all.begin(), all.end()};
}

ParamSpec real_param(std::string name, double default_value, double min, double max, std::string doc) {
  return ParamSpec{std::move(name), ParamType::real, default_value, min, max, {}, std::move(doc)};
}

ParamSpec choice_param(std::string name, std::string default_value, std::vector<std::string> choices, std::string doc) {
  return ParamSpec{std::move(name),
                   ParamType::choice,
                   std::move(default_value),
                   -std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::infinity(),
                   std::move(choices),
                   std::move(doc)};
}

ColumnSpec real_column(std::string name, std::string doc, bool nan_allowed = false) {
  return ColumnSpec{std::move(name), ColumnType::real, std::move(doc), nan_allowed, {}};
}

ColumnSpec integer_column(std::string name, std::string doc) {
  return ColumnSpec{std::move(name), ColumnType::integer, std::move(doc), false, {}};
}

// The smallest positive double: an inclusive lower bound that means "> 0".
const double kSmallestScale = std::nextafter(0.0, 1.0);

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "testdesign.evaluate";
  info.summary = "Paper 003: the principal's value of one test design (tests, procedure, setting, type distribution)";
  info.params = {
      real_param("angle_deg", 60.0, 0.5, 179.5, "θ: interior angle of the qualified wedge H, in degrees (spec §1.2)"),
      real_param("cost_scale", 1.0, kSmallestScale, 1e6,
                 "η > 0: cost per unit path length; 1/η is the reach radius (spec §1.4)"),
      choice_param("procedure", "fixed_ab", labels(td::kProcedureLabels),
                   "testing procedure (spec §1.6); the random ones apply A first with probability q"),
      choice_param("setting", "manipulation", labels(td::kSettingLabels),
                   "manipulation: x0 decides qualification; investment: the final attributes do (spec §1.5)"),
      real_param("q", 0.5, 0.0, 1.0, "P(test A first) for the random procedures; q ∈ {0,1} is a fixed order"),
      choice_param("distribution", "uniform_square", labels(td::kDistributionLabels), "type distribution F"),
      real_param("dist_scale", 5.0, kSmallestScale, 1e6,
                 "> 0: half-width of the square, radius of the disk, or σ of the Gaussian"),
      real_param("dist_offset", 0.0, -1e6, 1e6, "center of F = O + dist_offset·u_bis (u_bis: bisector of H)"),
      real_param("shift_a", 1.0, -10.0, 10.0, "δ_A: inward shift of test A in units of 1/η (1 gives h⁺; spec §1.3)"),
      real_param("shift_b", 1.0, -10.0, 10.0, "δ_B: inward shift of test B in units of 1/η"),
      real_param("rotate_a_deg", 0.0, -89.0, 89.0,
                 "ρ_A: counter-clockwise rotation of test A's normal about Õ, degrees"),
      real_param("rotate_b_deg", 0.0, -89.0, 89.0,
                 "ρ_B: counter-clockwise rotation of test B's normal about Õ, degrees"),
      ParamSpec{"mc_samples",
                ParamType::integer,
                std::int64_t{0},
                0.0,
                1e8,
                {},
                "Monte Carlo cross-check draws from the task seed (0 = skip)"},
  };
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
      real_column("expected_agent_cost", "E[expected cost paid], utility units (η × path length)"),
      real_column("agent_welfare", "E[max(0, best utility)]"),
      real_column("two_step_mass", "E[π·1{two-step}]: selection obtained through two-step strategies"),
      integer_column("condition_o", "1 if Condition O holds (spec §3, Theorem 3)"),
      real_column("reach_radius", "1/η"),
      real_column("test_angle_deg", "θ̃: interior angle of the test wedge, degrees"),
      real_column("quadrature_error", "summed Gauss–Kronrod error estimate of the quadrature (target 1e-10)"),
      real_column("mc_value", "Monte Carlo estimate of value (NaN when mc_samples = 0)", true),
      real_column("mc_stderr", "standard error of mc_value (NaN when mc_samples ≤ 1)", true),
  };
  return info;
}

class TestdesignEvaluate final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    td::InstanceParams params;
    params.angle_deg = point.real("angle_deg");
    params.cost_scale = point.real("cost_scale");
    params.procedure = td::parse_procedure(point.choice("procedure"));
    params.q = point.real("q");
    params.shift_a = point.real("shift_a");
    params.shift_b = point.real("shift_b");
    params.rotate_a_deg = point.real("rotate_a_deg");
    params.rotate_b_deg = point.real("rotate_b_deg");
    const td::Setting setting = td::parse_setting(point.choice("setting"));
    const td::Instance instance = td::make_instance(params);
    const td::Distribution distribution =
        td::make_distribution(td::parse_distribution_kind(point.choice("distribution")),
                              point.real("dist_offset") * instance.criteria.bisector, point.real("dist_scale"));

    const td::Evaluation e = td::evaluate(instance, setting, distribution);
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
    row.set("reach_radius", instance.criteria.reach());
    row.set("test_angle_deg", td::test_angle_deg(instance));
    row.set("quadrature_error", e.error_estimate);

    const std::int64_t samples = point.integer("mc_samples");
    if (samples > 0) {
      const td::MonteCarloEstimate mc =
          td::monte_carlo_value(instance, setting, distribution, seed, static_cast<std::uint64_t>(samples));
      row.set("mc_value", mc.value);
      row.set("mc_stderr", mc.standard_error);
    } else {
      row.set("mc_value", std::numeric_limits<double>::quiet_NaN());
      row.set("mc_stderr", std::numeric_limits<double>::quiet_NaN());
    }
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::TestdesignEvaluate)
