// fpre.obedience: the finite FPRE of paper 000 (spec 000 §1.7.2, §2.1–2.3,
// §4.2) on seeded share-division environments. One task builds the
// environment (n agents, L types each, shares on the grid (1/d)ℤ, a prior), a
// target SCF μ from a family, the canonical symmetric base rule and the
// password layer on a grid of m′ passwords, and records validation, IC of μ,
// the construction's size and checks (symmetry, surjectivity, exact
// implementation on sampled password tables), and obedience: the largest ex
// post and interim gains of a deviation as exact rationals in 1/m′, the
// critical grids, the utility gaps α, α_DS, D, and the η achieved.
//
//   parameter            type     default              range / choices                    meaning
//   agents               integer  2                    [2, 3]                             n
//   types                integer  2                    [2, 4]                             L, types per agent
//   denominator          integer  2                    [1, 12]                            d: shares on (1/d)ℤ
//   outcome_set          choice   simplex              simplex | free_disposal            Σx = 1 (needs n | d and
//                                                                                          (n−1) | d) or Σx ≤ 1
//   prior                choice   independent_uniform  independent_uniform | random_dirichlet | correlated_mixture
//   rho                  real     0.5                  [0, 1]                             correlation weight (mixture)
//   scf                  choice   favour_agent_1       constant | random_deterministic | favour_agent_1
//   grid                 integer  16                   [0, 1e9]                           m′ passwords; 0 = the continuum
//   implementation_draws integer  8                    [1, 1000]                          password tables sampled
//   min_share            integer  0                    [0, 12]                            μ gives every agent ≥ min_share/d
//                                                                                          (n·min_share ≤ d); > 0 makes α > 0
//   coalition_size       integer  2                    [0, 3]                             C = agents 1..c swap messages
//                                                                                          (0: no coalition columns; c ≤ n)
//   environment          integer  0                    [0, 1e9]                           0: environment and μ from the task
//                                                                                          seed; k ≥ 1: instance k, the same
//                                                                                          in every task naming k
//
// Rationals are stored as doubles; m′_crit is +∞ when no grid makes the agents
// obedient. The environment, μ and the password tables come from the task seed.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/seed.hpp"
#include "mechanisms/fpre/coalitions.hpp"
#include "mechanisms/fpre/construction.hpp"
#include "mechanisms/fpre/environment.hpp"
#include "mechanisms/fpre/families.hpp"
#include "mechanisms/fpre/ic.hpp"
#include "mechanisms/fpre/obedience.hpp"
#include "sweep/experiment.hpp"

namespace mechsweep::experiments {
namespace {

namespace fp = mechsweep::fpre;

double to_double(const fp::Rational& value) { return static_cast<double>(value); }

ExperimentInfo make_info() {
  ExperimentInfo info;
  info.name = "fpre.obedience";
  info.summary = "Paper 000: FPRE on share-division environments — validation, IC of μ, construction, obedience vs m′";
  info.params = {
      integer_param("agents", 2, 2, 3, "n, agents"),
      integer_param("types", 2, 2, 4, "L, types per agent"),
      integer_param("denominator", 2, 1, 12, "d: outcomes are shares on the grid (1/d)ℤ"),
      choice_param("outcome_set", "simplex", {"simplex", "free_disposal"},
                   "simplex: Σx = 1, worst = nothing for i (needs n | d and (n−1) | d); free_disposal: Σx ≤ 1"),
      choice_param("prior", "independent_uniform", {"independent_uniform", "random_dirichlet", "correlated_mixture"},
                   "the common prior over type profiles (seeded)"),
      real_param("rho", 0.5, 0.0, 1.0, "correlation weight of correlated_mixture"),
      choice_param("scf", "favour_agent_1", {"constant", "random_deterministic", "favour_agent_1"},
                   "the target SCF μ (seeded where random)"),
      integer_param("grid", 16, 0, 1e9, "m′, passwords per index; 0 = the continuum (guesses never pass)"),
      integer_param("implementation_draws", 8, 1, 1000, "password tables sampled for the exact-implementation check"),
      integer_param("min_share", 0, 0, 12,
                    "μ only picks outcomes giving every agent ≥ min_share/d; > 0 keeps agents above their worst "
                    "outcome (α > 0, finite m′_crit)"),
      integer_param("coalition_size", 2, 0, 3,
                    "the coalition {1, …, c} that exchanges recommended messages (spec §2.9); 0 skips it"),
      integer_param("environment", 0, 0, 1e9,
                    "0: draw the environment and μ from the task seed; k ≥ 1: instance k, identical in every task "
                    "naming k, so sweeps over min_share or grid compare one environment (common random numbers)"),
  };
  auto& c = info.columns;
  const auto flag = [&](const char* name, const char* doc) { c.push_back(integer_column(name, doc)); };
  const auto real = [&](const char* name, const char* doc, bool nan = false) {
    c.push_back(real_column(name, doc, nan));
  };
  flag("assumption1_ok", "Assumption 1 holds (worst outcomes and symmetric fallback)");
  flag("worst_family_consistent", "the worst outcomes are permutations of one pattern (spec §1.2)");
  flag("outcomes_permutation_closed", "𝒪 is closed under permuting agents");
  flag("mu_bic", "μ is Bayesian incentive compatible");
  flag("mu_weak_dsic", "μ is weakly dominant-strategy IC");
  flag("mu_strict_dsic", "μ is strictly dominant-strategy IC");
  real("max_bic_violation", "largest interim gain from lying under μ (≤ 0 iff BIC)");
  real("max_dsic_violation", "largest ex-post gain from lying under μ (≤ 0 iff weak DSIC)");
  flag("mu_symmetric", "μ(t^π) = μ(t)^π for all t and transpositions");
  real("asymmetry_fraction", "fraction of (t, transposition) pairs where μ is not symmetric");
  flag("orbits", "R, outcome orbits the base rule must reach");
  flag("k_min", "K_min = least K ≥ n with C(K, n) ≥ R");
  real("log10_family_size", "log10 |M| = K·log10 m′ (0 for the continuum)");
  flag("nu_symmetric", "the drawn ν^ε is symmetric (exhaustive or sampled)");
  flag("nu_surjective", "ν^ε reaches every required outcome");
  real("implementation_rate", "fraction of (t, ε) with ν^ε(τ^ε(t)) = μ(t) (must be 1)");
  real("max_expost_gain", "largest ex-post gain of a deviation at m′ (exact, stored as double)");
  real("max_interim_gain", "largest interim gain of a strategy, misreport-then-guess included");
  real("m_crit_expost", "least m′ with ex-post obedience (+∞: none)");
  real("m_crit_interim", "least m′ with interim obedience (+∞: none)");
  real("eta_achieved", "η = 1/m′ when some guess strictly improves, else 0");
  real("alpha", "α, the least on-path gap over each agent's worst outcome");
  real("alpha_ds", "α_DS, the dominant-strategy gap");
  real("reach", "D, the largest utility reachable by a guess over the on-path utility");
  real("d_over_alpha", "D/α (refined); NaN when α is 0 or no agent can gain", true);
  flag("obedient_expost", "ex-post obedience at m′");
  flag("obedient_interim", "interim obedience at m′");
  flag("obedient_ds_bound", "m′·α_DS ≥ D (the sufficient dominant-strategy bound)");
  flag("coalition_reachable_outcomes", "most outcomes C reaches by exchanging messages, over profiles t");
  flag("coalition_contains_all_permutations", "at every t, C reaches every o^π with π fixing the non-members");
  real("coalition_profitable_share", "fraction of profiles t where a reachable outcome is weakly Pareto-better for C");
  real("coalition_strictly_profitable_share", "fraction of profiles t where one is strictly better for every member");
  real("max_coalition_gain", "max over t and reachable o′ of min_{j∈C} u_j(o′) − u_j(μ(t)); > 0: not coalition-proof");
  return info;
}

fp::ShareEnvironmentParams environment_params(const ParamPoint& point, std::uint64_t seed) {
  fp::ShareEnvironmentParams params;
  params.agents = static_cast<int>(point.integer("agents"));
  params.types = static_cast<int>(point.integer("types"));
  params.denominator = static_cast<int>(point.integer("denominator"));
  params.free_disposal = point.choice("outcome_set") == "free_disposal";
  params.prior = fp::parse_prior_family(point.choice("prior"));
  params.rho = fp::exact_rational(point.real("rho"), "rho");
  params.seed = seed;
  return params;
}

class FpreObedience final : public Experiment {
 public:
  const ExperimentInfo& info() const override {
    static const ExperimentInfo kInfo = make_info();
    return kInfo;
  }

  void validate(const ParamPoint& point) const override {
    const auto n = point.integer("agents"), d = point.integer("denominator");
    const auto floor = point.integer("min_share"), coalition = point.integer("coalition_size");
    if (n * floor > d) {
      throw InvalidParams("min_share", "min_share = " + std::to_string(floor) + " with " + std::to_string(n) +
                                           " agents and denominator " + std::to_string(d) +
                                           ": no outcome gives everyone " + std::to_string(floor) + "/" +
                                           std::to_string(d) + "; expected n·min_share ≤ denominator");
    }
    if (coalition > n) {
      throw InvalidParams("coalition_size", "coalition_size = " + std::to_string(coalition) + " with only " +
                                                std::to_string(n) + " agents; expected at most agents");
    }
    if (point.choice("outcome_set") == "simplex" && (d % n != 0 || d % (n - 1) != 0)) {
      throw InvalidParams("denominator", "denominator = " + std::to_string(d) + " with " + std::to_string(n) +
                                             " agents on the simplex: the fair share 1/n and the worst outcome's "
                                             "1/(n−1) need d divisible by " + std::to_string(n) + " and " +
                                             std::to_string(n - 1));
    }
  }

  void run(const ParamPoint& point, std::uint64_t seed, ResultRow& row) const override {
    const std::int64_t instance = point.integer("environment");
    // Salted so instance k never collides with a task seed's stream.
    const std::uint64_t instance_seed =
        instance == 0 ? seed : derive_seed(0x66707265'656e7600ULL, static_cast<std::uint64_t>(instance));
    const fp::Environment env = fp::make_share_environment(environment_params(point, instance_seed));
    const fp::Scf mu = fp::make_scf(env, fp::parse_scf_family(point.choice("scf")), instance_seed,
                                    fp::Rational(point.integer("min_share"), point.integer("denominator")));
    const fp::ValidationReport validation = fp::validate(env);
    row.set("assumption1_ok", validation.assumption1_ok ? 1 : 0);
    row.set("worst_family_consistent", validation.worst_family_consistent ? 1 : 0);
    row.set("outcomes_permutation_closed", validation.outcomes_permutation_closed ? 1 : 0);
    const fp::IcReport ic = fp::check_ic(env, mu);
    row.set("mu_bic", ic.bic ? 1 : 0);
    row.set("mu_weak_dsic", ic.weak_dsic ? 1 : 0);
    row.set("mu_strict_dsic", ic.strict_dsic ? 1 : 0);
    row.set("max_bic_violation", to_double(ic.max_bic_violation));
    row.set("max_dsic_violation", to_double(ic.max_dsic_violation));
    row.set("mu_symmetric", fp::scf_is_symmetric(env, mu) ? 1 : 0);
    row.set("asymmetry_fraction", fp::scf_asymmetry_fraction(env, mu));

    const fp::BaseRule base = fp::base_rule_for(env, mu);
    row.set("orbits", static_cast<double>(base.orbit_count()));
    row.set("k_min", static_cast<double>(base.minimal_index_count()));
    const std::int64_t grid = point.integer("grid");
    // The continuum cannot be tabulated: the construction checks use a grid of 2^20.
    const fp::Fpre fpre(env, base, grid == 0 ? std::int64_t{1} << 20 : grid);
    row.set("log10_family_size", grid == 0 ? 0.0 : fpre.log10_family_size());
    const fp::PasswordTable eps = fpre.table(seed);
    fp::SymmetryOptions symmetry;
    symmetry.seed = seed;
    row.set("nu_symmetric", fp::check_symmetry(fpre, eps, symmetry).symmetric() ? 1 : 0);
    row.set("nu_surjective", fp::check_surjective(fpre, eps).surjective() ? 1 : 0);
    row.set("implementation_rate",
            fp::check_exact_implementation(fpre, mu, seed, static_cast<int>(point.integer("implementation_draws")))
                .rate());

    const fp::ObedienceReport obedience =
        fp::analyse_obedience(env, mu, base, grid == 0 ? std::nullopt : std::optional<std::int64_t>(grid));
    row.set("max_expost_gain", to_double(obedience.max_expost_gain));
    row.set("max_interim_gain", to_double(obedience.max_interim_gain));
    row.set("m_crit_expost", obedience.m_crit_expost.as_double());
    row.set("m_crit_interim", obedience.m_crit_interim.as_double());
    row.set("eta_achieved", to_double(obedience.eta_achieved));
    row.set("alpha", to_double(obedience.gaps.alpha));
    row.set("alpha_ds", to_double(obedience.gaps.alpha_ds));
    row.set("reach", to_double(obedience.gaps.reach));
    row.set("d_over_alpha", obedience.gaps.d_over_alpha ? to_double(*obedience.gaps.d_over_alpha)
                                                        : std::numeric_limits<double>::quiet_NaN());
    row.set("obedient_expost", obedience.obedient_expost ? 1 : 0);
    row.set("obedient_interim", obedience.obedient_interim ? 1 : 0);
    row.set("obedient_ds_bound", obedience.obedient_ds_bound ? 1 : 0);
    record_coalition(env, mu, base, static_cast<int>(point.integer("coalition_size")), row);
  }

 private:
  // Over every true profile, with the others obeying (spec §2.9, §4.2).
  static void record_coalition(const fp::Environment& env, const fp::Scf& mu, const fp::BaseRule& base, int size,
                               ResultRow& row) {
    if (size == 0) {
      for (const char* name : {"coalition_reachable_outcomes", "coalition_contains_all_permutations"}) {
        row.set(name, 0);
      }
      for (const char* name : {"coalition_profitable_share", "coalition_strictly_profitable_share",
                               "max_coalition_gain"}) {
        row.set(name, 0.0);
      }
      return;
    }
    const fp::CoalitionMask members = (fp::CoalitionMask{1} << size) - 1;
    const std::int64_t profiles = env.profiles().size();
    std::size_t most_outcomes = 0;
    bool all_permutations = true;
    std::int64_t weakly = 0, strictly = 0;
    fp::Rational max_gain;
    for (std::int64_t t = 0; t < profiles; ++t) {
      const fp::CoalitionReach reach = fp::coalition_reach(env, mu, base, t, members);
      most_outcomes = std::max(most_outcomes, reach.outcomes.size());
      all_permutations = all_permutations && reach.contains_all_permutations;
      weakly += reach.weakly_profitable ? 1 : 0;
      strictly += reach.strictly_profitable ? 1 : 0;
      if (t == 0 || reach.max_coalition_gain > max_gain) max_gain = reach.max_coalition_gain;
    }
    row.set("coalition_reachable_outcomes", static_cast<double>(most_outcomes));
    row.set("coalition_contains_all_permutations", all_permutations ? 1 : 0);
    row.set("coalition_profitable_share", static_cast<double>(weakly) / static_cast<double>(profiles));
    row.set("coalition_strictly_profitable_share", static_cast<double>(strictly) / static_cast<double>(profiles));
    row.set("max_coalition_gain", to_double(max_gain));
  }
};

}  // namespace
}  // namespace mechsweep::experiments

MECHSWEEP_REGISTER_EXPERIMENT(mechsweep::experiments::FpreObedience)
