// coalition.examples: the paper's worked examples of paper 001 (spec 001 §3)
// evaluated against the named patterns [singletons 𝒮̲, all 𝒮̄, grand 𝒮̲ ∪ {I}].
//
//   parameter   type     default   range / choices        meaning
//   example     choice   example1  example1 | example2    §3.1 Example-1 family (public good, private values
//                                                         at φ = 0) or §3.2 Example 2 (common values)
//   agents      integer  2         1..4                   example1 only: n
//   types       integer  3         2..4                   example1 only: grid Θ_i = {0, 1/(k−1), …, 1}
//   cost_scale  real     0.5       [0, 10]                example1 only: c in f_i = −c θ_i² (paper: ½)
//   disposal    real     0         [0, 1e6]               0: X_fin = f(Θ); D > 0 adds the disposal outcomes
//                                                         (0, −D, …, −D) and (0, −D−1, …, −D−1)
//   mixing_deg  real     0         [0, 90]                example1 only: φ, u_i = (cos φ θ_i + sin φ Σ_{j≠i} θ_j) x_0 +
//   x_i monotonicity choice  full      full | skip            skip: IC table, interior test and CNTI only; RM, RCM
//                                                         and R𝒮M are reported UNDETERMINED (2) with zero counts
//
// Example 1 with n = 3, k = 3 (262,144 reflexive deception profiles) takes
// minutes a task with monotonicity; validate() rejects it unless
// monotonicity is skip (then milliseconds), which still gives the §3.1 IC grid.
//
// Columns: experiments/coalition_common/coalition_columns.hpp, plus `outcomes`
// (m of the built instance). Tasks draw nothing at random: the seed is unused.

#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "experiments/coalition_common/coalition_columns.hpp"
#include "mechanisms/coalition/examples.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/verdict.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace co = mechsweep::coalition;
namespace cols = coalition_columns;

bool is_example1(const ParamPoint& point) { return point.choice("example") == "example1"; }

int agents_of(const ParamPoint& point) { return is_example1(point) ? static_cast<int>(point.integer("agents")) : 2; }
int types_of(const ParamPoint& point) { return is_example1(point) ? static_cast<int>(point.integer("types")) : 2; }

std::vector<double> disposal_depths(const ParamPoint& point) {
  const double depth = point.real("disposal");
  if (depth == 0.0) return {};
  return {depth, depth + 1.0};
}

co::PublicGoodInstance build(const ParamPoint& point) {
  if (!is_example1(point)) return co::example2(disposal_depths(point));
  return co::example1(agents_of(point), static_cast<int>(point.integer("types")), point.real("cost_scale"),
                      disposal_depths(point), point.real("mixing_deg"));
}

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "coalition.examples";
  info.summary = "Paper 001: the Example-1 public-good family (n, k, cost scale, disposal, mixing) and Example 2";
  info.params = {
      choice_param("example", "example1", {"example1", "example2"},
                   "example1: the §3.1 public-good family; example2: §3.2, the 'coalitions help' example"),
      integer_param("agents", 2, 1, 4, "example1 only: n, the number of agents (example2 has 2)"),
      integer_param("types", 3, 2, 4, "example1 only: k grid points Θ_i = {0, 1/(k−1), …, 1}"),
      real_param("cost_scale", 0.5, 0.0, 10.0, "example1 only: c in f_i(θ) = −c θ_i² (the paper's case is 0.5)"),
      real_param("disposal", 0.0, 0.0, 1e6,
                 "0: X_fin = f(Θ); D > 0 adds the disposal outcomes (0, −D, …, −D) and (0, −D−1, …, −D−1)"),
      real_param("mixing_deg", 0.0, 0.0, 90.0,
                 "example1 only: φ in u_i = (cos φ θ_i + sin φ Σ_{j≠i} θ_j) x_0 + x_i (0: private values)"),
      choice_param("monotonicity", "full", {"full", "skip"},
                   "full: everything; skip: IC, interior and CNTI only (rm, rcm, rsm reported 2 = UNDETERMINED "
                   "with zero counts), for type grids too large to enumerate deceptions"),
  };
  info.columns = cols::columns([](const ParamPoint& p) { return static_cast<std::size_t>(agents_of(p)); },
                               [](const ParamPoint& p) { return static_cast<std::size_t>(types_of(p)); },
                               [](const ParamPoint&) { return cols::kNamedPatterns; });
  info.columns.push_back(integer_column("outcomes", "m = |X_fin|: distinct outcomes of f(Θ) plus disposals"));
  return info;
}

class CoalitionExamples final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    if (!is_example1(point) || point.choice("monotonicity") == "skip") return;
    const int n = agents_of(point);
    const int k = static_cast<int>(point.integer("types"));
    cols::check_deception_size(n, k, {"types", "agents", "monotonicity"},
                               "use fewer agents or types, or monotonicity: skip for the IC columns only");
  }

  void run(const ParamPoint& point, std::uint64_t /*seed*/, ResultRow& row) const override {
    validate(point);
    const co::PublicGoodInstance example = build(point);
    const std::vector<co::Pattern> patterns = cols::named_patterns(example.instance.agents());
    const co::InstanceAnalysis analysis =
        co::analyse(example.instance, patterns, {.monotonicity = point.choice("monotonicity") == "full", .limits = {}});
    cols::record(example.instance, analysis, patterns, row);
    row.set("outcomes", static_cast<double>(example.instance.outcomes()));
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::CoalitionExamples)
