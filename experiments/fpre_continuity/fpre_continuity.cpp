// fpre.continuity: Proposition 3 of paper 000 (spec 000 §1.7.3, §2.6, §3.3,
// §4.2): the continuous password rule family for n agents with band bound z,
// ℓ width levels and band fraction c. One task computes the paper's bound on
// the probability η that a deviation escapes {worst outcome, on-path outcome},
// the union and single-agent bounds, the exact escape probabilities, a seeded
// Monte Carlo check of each, the strict-improvement probability, the
// Lipschitz check, and (target_eta > 0) the (z, ℓ) the solver needs to reach a
// target η under the chosen criterion.
//
//   parameter       type     default  range / choices                         meaning
//   n               integer  2        [2, 50]                                 agents
//   z               real     0.01     [1e-9, 0.3333]                          outer band bound (β_1 ≤ z)
//   ell             integer  100      [1, 1e9]                                ℓ, width levels
//   c               real     1        [1e-6, 1]                               band fraction: β_1 − β_0 = c·z/ℓ
//   guess_password  real     0.5      [0, 0.999999]                           w' of a different-index guess
//   samples         integer  20000    [100, 1e8]                              Monte Carlo draws per column
//   target_eta      real     0        [0, 0.999999]                           0: no solve; else the η to reach
//   eta_criterion   choice   paper    paper | union_bound | single_agent | exact_single
//                                                                             which bound must fall below it
//
// The Monte Carlo draws come from the task seed only.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "mechanisms/fpre/continuity.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace fp = mechsweep::fpre;

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "fpre.continuity";
  info.summary = "Paper 000: Proposition 3's continuous rules — η bounds, exact and Monte Carlo escapes, (z, ℓ) for a target η";
  info.params = {
      integer_param("n", 2, 2, 50, "agents"),
      real_param("z", 0.01, 1e-9, 0.3333, "z, the outer band bound (β_1 ≤ z < 1/3)"),
      integer_param("ell", 100, 1, 1e9, "ℓ, the number of band-width levels"),
      real_param("c", 1.0, 1e-6, 1.0, "band fraction: β_1 − β_0 = c·z/ℓ (the spec's corrected band)"),
      real_param("guess_password", 0.5, 0.0, 0.999999, "w', the password part of a different-index guess"),
      integer_param("samples", 20000, 100, 1e8, "Monte Carlo draws per estimated column"),
      real_param("target_eta", 0.0, 0.0, 0.999999, "0: no solve; else the η the (z, ℓ) solver must reach"),
      choice_param("eta_criterion", "paper", {"paper", "union_bound", "single_agent", "exact_single"},
                   "the bound that must fall strictly below target_eta"),
  };
  auto& c = info.columns;
  c.push_back(real_column("max_term", "max{6z, 1/ℓ}"));
  c.push_back(real_column("eta_bound_paper", "η̄ = 1 − [1 − max{6z, 1/ℓ}]^n, the paper's bound"));
  c.push_back(real_column("eta_union_bound", "n·max{6z, 1/ℓ}"));
  c.push_back(real_column("eta_single_bound", "max{6z, 1/ℓ}, one deviator"));
  c.push_back(real_column("eta_single_exact", "max{E_j[min(6β_1, 1)], 1/ℓ}"));
  c.push_back(real_column("escape_different_exact", "Pr(Q < 1) for a different-index guess, exact"));
  c.push_back(real_column("escape_different_mc", "the same, Monte Carlo"));
  c.push_back(real_column("escape_different_se", "its standard error"));
  c.push_back(real_column("escape_same_exact", "Pr(0 < Q < 1) for a same-index deviation in the first band, exact"));
  c.push_back(real_column("escape_same_mc", "the same, Monte Carlo"));
  c.push_back(real_column("escape_joint_exact", "1 − E_j[(1 − p(β_1))^n]: every agent guesses, common β, exact"));
  c.push_back(real_column("escape_joint_mc", "the same, Monte Carlo"));
  c.push_back(real_column("improvement_exact", "Pr(strict improvement) of a different-index guess, linear utilities"));
  c.push_back(real_column("improvement_mc", "the same, Monte Carlo"));
  c.push_back(real_column("same_index_improvement_mc", "Monte Carlo strict improvement of a same-index deviation (0)"));
  c.push_back(real_column("lipschitz_bound", "n·ℓ/(c·z)·diam (spec §1.7.3 item 9)"));
  c.push_back(real_column("lipschitz_bound_tight", "ℓ/(c·z)·diam, the bound without the factor n"));
  c.push_back(real_column("lipschitz_empirical", "largest sampled ‖Δν‖₁/‖Δτ‖₁"));
  c.push_back(real_column("max_z_score", "max |Monte Carlo − exact| / standard error over the estimated columns"));
  c.push_back(integer_column("bound_violated", "1 if an exact value exceeds its bound or the Lipschitz check fails"));
  c.push_back(real_column("solved_z", "z reaching target_eta (NaN without a target)", true));
  c.push_back(integer_column("solved_ell", "ℓ reaching target_eta (0 without a target)"));
  c.push_back(real_column("solved_eta", "the criterion's η̄ at the solved (z, ℓ) (NaN without a target)", true));
  c.push_back(real_column("solved_lipschitz", "n·ℓ/(c·z)·diam at the solved pair (NaN without a target)", true));
  return info;
}

fp::ContinuityParams params_of(const ParamPoint& point) {
  fp::ContinuityParams params;
  params.n = static_cast<int>(point.integer("n"));
  params.z = point.real("z");
  params.ell = point.integer("ell");
  params.c = point.real("c");
  params.guess_password = point.real("guess_password");
  return params;
}

class FpreContinuity final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    try {
      fp::validate(params_of(point));
    } catch (const std::invalid_argument& error) {
      throw InvalidParams(std::vector<std::string>{"z", "ell", "c", "guess_password"}, error.what());
    }
  }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    const fp::ContinuityParams params = params_of(point);
    const fp::ContinuityReport report =
        fp::analyse_continuity(params, seed, static_cast<std::uint64_t>(point.integer("samples")));
    row.set("max_term", report.max_term);
    row.set("eta_bound_paper", report.eta_bound_paper);
    row.set("eta_union_bound", report.eta_union_bound);
    row.set("eta_single_bound", report.eta_single_bound);
    row.set("eta_single_exact", report.eta_single_exact);
    row.set("escape_different_exact", report.different_index_escape_exact);
    row.set("escape_different_mc", report.different_index_escape_mc.mean);
    row.set("escape_different_se", report.different_index_escape_mc.standard_error);
    row.set("escape_same_exact", report.same_index_escape_exact);
    row.set("escape_same_mc", report.same_index_escape_mc.mean);
    row.set("escape_joint_exact", report.joint_escape_exact);
    row.set("escape_joint_mc", report.joint_escape_mc.mean);
    row.set("improvement_exact", report.improvement_exact);
    row.set("improvement_mc", report.improvement_mc.mean);
    row.set("same_index_improvement_mc", report.same_index_improvement_mc.mean);
    row.set("lipschitz_bound", report.lipschitz_bound);
    row.set("lipschitz_bound_tight", report.lipschitz_bound_tight);
    row.set("lipschitz_empirical", report.lipschitz_empirical);
    row.set("max_z_score", report.max_z_score);
    row.set("bound_violated", report.bound_violated ? 1 : 0);
    const double target = point.real("target_eta");
    if (target > 0.0) {
      const fp::EtaSolution solution =
          fp::solve_for_eta(params.n, target, params.c, fp::parse_eta_criterion(point.choice("eta_criterion")));
      row.set("solved_z", solution.z);
      row.set("solved_ell", static_cast<double>(solution.ell));
      row.set("solved_eta", solution.achieved);
      row.set("solved_lipschitz", solution.lipschitz_bound);
    } else {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      row.set("solved_z", nan);
      row.set("solved_ell", 0);
      row.set("solved_eta", nan);
      row.set("solved_lipschitz", nan);
    }
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::FpreContinuity)
