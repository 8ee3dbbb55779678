#pragma once
// Incentive compatibility of a deterministic target SCF μ : Θ → 𝒪 (spec 000
// §1.6, §5.2), its symmetry, and the principal's ex-post optimality (§2.8).
//
//   BIC          E_{t−i|ti}[u_i(t, μ(t)) − u_i(t, μ(t'_i, t−i))] ≥ 0 for all i, t_i, t'_i
//                (types with p_i(t_i) = 0 are vacuous and counted)
//   weak DSIC    the same term ≥ 0 pointwise in t−i
//   strict DSIC  weak DSIC and, for each i and t_i ≠ t'_i, > 0 for some t−i
//                (spec §1.6 [derived reading]; a constant μ is never strict)
//
// Violations are reported as the largest gain from misreporting (> 0 means
// violated) with a witness.

#include <cstdint>
#include <optional>
#include <vector>

#include "mechanisms/fpre/environment.hpp"

namespace mechsweep::fpre {

// μ(t) as an outcome index per profile.
using Scf = std::vector<int>;

// μ from outcome vectors; throws "fpre: μ(t = k) = (...) is not in 𝒪".
Scf scf_from_outcomes(const Environment& env, const std::vector<Outcome>& values);
// Checks the size and range of μ; throws std::invalid_argument.
void require_scf(const Environment& env, const Scf& mu);
// The distinct outcomes μ(Θ) in increasing index order.
std::vector<int> scf_image(const Scf& mu);
// require_scf plus spec §6.2: every permutation of every μ(t) must lie in 𝒪
// (a symmetric rule's image is permutation-closed).
void require_valid_target(const Environment& env, const Scf& mu);
bool target_permutation_closed(const Environment& env, const Scf& mu);

struct IcWitness {
  int agent = 0;
  int true_type = 0;
  int reported_type = 0;
  std::int64_t profile = -1;  // the true profile t (DSIC); -1 for BIC
  Rational gain;              // gain from reporting reported_type instead of true_type
};

struct IcReport {
  bool bic = true;
  bool weak_dsic = true;
  bool strict_dsic = true;
  Rational max_bic_violation;   // max over (i, t_i, t'_i) of the interim gain of lying; ≤ 0 iff BIC
  Rational max_dsic_violation;  // max over (i, t, t'_i) of the ex-post gain of lying; ≤ 0 iff weak DSIC
  std::optional<IcWitness> bic_witness;
  std::optional<IcWitness> dsic_witness;
  std::optional<IcWitness> not_strict_witness;  // (i, t_i, t'_i) without a strict t−i
  int zero_probability_types = 0;               // (i, t_i) with p_i(t_i) = 0, vacuous for BIC
};

IcReport check_ic(const Environment& env, const Scf& mu);

// μ(t^π) = μ(t)^π for every t and every adjacent transposition π; needs
// equal type counts (false otherwise). asymmetry_fraction is the fraction of
// (t, transposition) pairs that fail (spec §4.2).
bool scf_is_symmetric(const Environment& env, const Scf& mu);
double scf_asymmetry_fraction(const Environment& env, const Scf& mu);

struct PrincipalReport {
  bool expost_optimal = true;
  Rational max_violation;  // max_t max_o u_0(t, o) − u_0(t, μ(t)) ≥ 0
  std::int64_t profile = -1;
  int better_outcome = -1;
};
// spec §2.8; throws if the environment has no principal utility.
PrincipalReport check_principal_expost_optimal(const Environment& env, const Scf& mu);

}  // namespace mechsweep::fpre
