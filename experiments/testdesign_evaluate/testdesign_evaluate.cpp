// testdesign.evaluate (paper 003): the principal's payoff of one given design
// (criteria angle, cost scale, tests, procedure, setting, type distribution),
// by the exact polar decomposition of src/mechanisms/testdesign/evaluate.hpp,
// with an optional Monte Carlo cross-check drawn from the task seed.
//
// | parameter     | type    | default        | meaning                                                   |
// |---------------|---------|----------------|-----------------------------------------------------------|
// | angle_deg     | real    | 60             | θ, interior angle of the qualified wedge H                |
// | cost_scale    | real    | 1              | η; the reach radius is 1/η                                |
// | procedure     | choice  | fixed_ab       | simultaneous, fixed_ab, fixed_ba, random_undisclosed, random_disclosed |
// | setting       | choice  | manipulation   | manipulation or investment                                |
// | q             | real    | 0.5            | P(test A first) in the random procedures                  |
// | distribution  | choice  | uniform_square | uniform_square, uniform_disk, gaussian                    |
// | dist_scale    | real    | 5              | half-width / radius / σ of the type distribution          |
// | dist_offset   | real    | 0              | its center is O + dist_offset·u_bis                       |
// | shift_a/b     | real    | 1              | inward shift of each test in units of 1/η (1 = h⁺)        |
// | rotate_a/b_deg| real    | 0              | CCW rotation of each test normal about the test vertex    |
// | mc_samples    | integer | 0              | Monte Carlo cross-check samples (0 = skip)                |

#include <cmath>
#include <limits>

#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/testdesign.hpp"
#include "sweep/experiment.hpp"

namespace {

using namespace mechsweep;
namespace td = mechsweep::testdesign;

std::vector<std::string> labels(std::span<const std::string_view> values) {
  return {values.begin(), values.end()};
}

const double kPositive = std::nextafter(0.0, 1.0);  // (0, …] as an inclusive bound

class TestDesignEvaluate final : public Experiment {
 public:
  const ExperimentInfo& info() const override { return info_; }

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
    const td::Instance instance = td::make_instance(params);
    const td::Setting setting = td::parse_setting(point.choice("setting"));
    const td::Vec2 center = point.real("dist_offset") * instance.criteria.bisector;
    const td::Distribution distribution =
        td::make_distribution(td::parse_distribution_kind(point.choice("distribution")), center, point.real("dist_scale"));

    const td::Evaluation e = td::evaluate(instance, setting, distribution);
    if (!e.converged) throw std::runtime_error("quadrature did not converge (error estimate " + std::to_string(e.error_estimate) + ")");
    row.set("first_best", e.first_best);
    row.set("value", e.value);
    row.set("ratio", e.ratio);
    row.set("selected_mass", e.selected_mass);
    row.set("viol_mass", e.viol_mass);
    row.set("qualified_rejected_mass", e.qualified_rejected_mass);
    row.set("feasible", e.feasible ? 1 : 0);
    row.set("feasible_exact", e.feasible_exact ? (*e.feasible_exact ? 1 : 0) : -1);
    row.set("share_stay", e.share_stay);
    row.set("share_one_step", e.share_one_step);
    row.set("share_two_step", e.share_two_step);
    row.set("share_none", e.share_none);
    row.set("expected_agent_cost", e.expected_agent_cost);
    row.set("agent_welfare", e.agent_welfare);
    row.set("two_step_mass", e.two_step_mass);
    row.set("condition_o", e.condition_o ? 1 : 0);
    row.set("reach_radius", instance.criteria.reach());
    row.set("test_angle_deg", td::test_angle_deg(instance));
    row.set("quadrature_error", e.error_estimate);
    const auto samples = static_cast<std::uint64_t>(point.integer("mc_samples"));
    if (samples > 0) {
      const td::MonteCarloEstimate mc = td::monte_carlo_value(instance, setting, distribution, seed, samples);
      row.set("mc_value", mc.value);
      row.set("mc_stderr", mc.standard_error);
    }
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();
  ExperimentInfo info_{
      "testdesign.evaluate",
      "Paper 003: value, feasibility and agent behaviour of a given test design (exact quadrature)",
      {
          {"angle_deg", ParamType::real, 60.0, 0.5, 179.5, {}, "theta, interior angle of the qualified wedge H (deg)"},
          {"cost_scale", ParamType::real, 1.0, kPositive, 1e6, {}, "eta, cost per unit of movement; reach = 1/eta"},
          {"procedure", ParamType::choice, std::string("fixed_ab"), 0, 0, labels(td::kProcedureLabels),
           "testing procedure"},
          {"setting", ParamType::choice, std::string("manipulation"), 0, 0, labels(td::kSettingLabels),
           "manipulation: x0 decides qualification; investment: final attributes do"},
          {"q", ParamType::real, 0.5, 0.0, 1.0, {}, "P(test A first) in the random procedures"},
          {"distribution", ParamType::choice, std::string("uniform_square"), 0, 0, labels(td::kDistributionLabels),
           "type distribution F"},
          {"dist_scale", ParamType::real, 5.0, kPositive, 1e6, {}, "half-width (square), radius (disk) or sigma"},
          {"dist_offset", ParamType::real, 0.0, -1e6, 1e6, {}, "F is centred at O + dist_offset * u_bis"},
          {"shift_a", ParamType::real, 1.0, -10.0, 10.0, {}, "inward shift of test A, units of 1/eta (1 = h+)"},
          {"shift_b", ParamType::real, 1.0, -10.0, 10.0, {}, "inward shift of test B, units of 1/eta (1 = h+)"},
          {"rotate_a_deg", ParamType::real, 0.0, -89.0, 89.0, {}, "CCW rotation of test A's normal about the test vertex"},
          {"rotate_b_deg", ParamType::real, 0.0, -89.0, 89.0, {}, "CCW rotation of test B's normal about the test vertex"},
          {"mc_samples", ParamType::integer, std::int64_t{0}, 0, 1e8, {}, "Monte Carlo cross-check samples (0 = skip)"},
      },
      {
          {"first_best", ColumnType::real, "F(H) (manipulation) or F(N_{1/eta}(H)) (investment)", false, {}},
          {"value", ColumnType::real, "P(select a qualified agent), objective P_I", false, {}},
          {"ratio", ColumnType::real, "value / first_best (NaN if first_best ~ 0)", true, {}},
          {"selected_mass", ColumnType::real, "E[selection probability]", false, {}},
          {"viol_mass", ColumnType::real, "P(select an unqualified agent); 0 when feasible", false, {}},
          {"qualified_rejected_mass", ColumnType::real, "first_best - value", false, {}},
          {"feasible", ColumnType::integer, "viol_mass <= 1e-9", false, {}},
          {"feasible_exact", ColumnType::integer, "exact O(1) vertex check (spec §3); -1 in investment", false, {}},
          {"share_stay", ColumnType::real, "mass already in the test set (no move)", false, {}},
          {"share_one_step", ColumnType::real, "mass moving once into the test set", false, {}},
          {"share_two_step", ColumnType::real, "mass using a two-step strategy", false, {}},
          {"share_none", ColumnType::real, "mass not attempting selection", false, {}},
          {"expected_agent_cost", ColumnType::real, "E[cost paid], utility units", false, {}},
          {"agent_welfare", ColumnType::real, "E[max(0, best utility)]", false, {}},
          {"two_step_mass", ColumnType::real, "E[selection probability bought with two steps]", false, {}},
          {"condition_o", ColumnType::integer, "Condition O holds (spec §3, Theorem 3)", false, {}},
          {"reach_radius", ColumnType::real, "1 / eta", false, {}},
          {"test_angle_deg", ColumnType::real, "test wedge angle theta~ (deg)", false, {}},
          {"quadrature_error", ColumnType::real, "summed Gauss-Kronrod error estimate", false, {}},
          {"mc_value", ColumnType::real, "Monte Carlo value from the task seed (NaN if mc_samples = 0)", true, {}},
          {"mc_stderr", ColumnType::real, "its standard error", true, {}},
      }};
};

}  // namespace

MECHSWEEP_REGISTER_EXPERIMENT(TestDesignEvaluate)
