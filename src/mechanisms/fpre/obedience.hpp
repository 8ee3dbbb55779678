#pragma once
// Obedience of the finite FPRE (spec 000 §2.1–2.3, §2.5, §2.7, §5.4) as exact
// functions of the guess probability x = 1/m' (x = 0 is the continuum limit).
//
// With the password layer a deviation (s', w') to another base index s' ≠ s*_i
// passes with probability exactly x, whatever the deviator knows; a wrong
// password at its own index fails surely (→ o̲^i). So, others obeying:
//
//   ex post   gain(s') = x·[u_i(t,o') − u_i(t,o̲^i)] − [u_i(t,o) − u_i(t,o̲^i)],
//             o = μ(t), o' = ν_base(s', s*_{−i}(o))                    (spec §2.5)
//   interim   for true t_i and report t̂_i, the recommended base index s_i
//             leaks information about μ; within each group of t_{−i} with the
//             same s_i the agent picks the best of obey / fail / guess s', and
//             G(x) = Σ_groups max(obey, fail + x·slope) − truthful value
//             (conditional on t_i; misreport-then-guess included, §5.4)
//
// Critical grid m'_crit: the least m' ≥ 1 such that every gain at x = 1/m'
// is ≤ 0 (a tie is not an improvement, §6.3); ∞ when a gain stays positive
// as x → 0 (e.g. an agent at its worst utility on path who can gain, α = 0).
// Gains are non-increasing in m', so m' ≥ m'_crit ⟺ obedient.
//
// Gaps (§2.5 [derived]):
//   α         = min_{i,t,o∈μ(Θ)} u_i(t,o) − u_i(t,o̲^i)          (paper's α-gap)
//   α_refined = the same min over (i,t,o) for which some o' ∈ Im ν_base is
//               strictly better (indifferent agents cannot gain; §2.5 caveat)
//   α_DS      = min_{i,t,o∈Im ν_base} u_i(t,o) − u_i(t,o̲^i)
//   D         = max_{i,t,o∈Im ν_base} u_i(t,o) − u_i(t,o̲^i)
// m' ≥ D/α_refined suffices ex post and interim; m'·α_DS ≥ D suffices for
// weak-DS obedience against arbitrary passing reports of the others.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mechanisms/fpre/base_rule.hpp"
#include "mechanisms/fpre/environment.hpp"
#include "mechanisms/fpre/ic.hpp"

namespace mechsweep::fpre {

// intercept + slope·x.
struct Affine {
  Rational intercept;
  Rational slope;
  Rational at(const Rational& x) const { return intercept + slope * x; }
};

// The least m' ≥ 1 from which on obedience holds; infinite = never.
struct CriticalGrid {
  bool infinite = false;
  Integer value = 1;
  bool admits(std::int64_t grid) const { return !infinite && Integer{grid} >= value; }
  double as_double() const;  // +∞ when infinite
  std::string to_string() const;
  static CriticalGrid never() { return {true, 0}; }
};

// x = 1/m', or 0 for the continuum (grid = nullopt).
Rational guess_probability(std::optional<std::int64_t> grid);

struct ExPostCase {
  int agent = 0;
  std::int64_t profile = 0;
  int on_path = 0;               // μ(t)
  Affine best_gain;              // best deviation: fail or the best guess
  std::int64_t best_guess = -1;  // base index of the best guess; −1 if guessing never beats failing
  int guess_outcome = -1;        // ν_base(best_guess, s*_{−i})
  bool improving_guess = false;  // some guess reaches an outcome strictly better than μ(t)
  CriticalGrid critical;
};
// One case per (agent, profile), agent-major.
std::vector<ExPostCase> expost_cases(const Environment& env, const Scf& mu, const BaseRule& base);

struct InterimGroup {
  std::int64_t received_index = 0;  // the recommended base index s_i
  Rational obey;                    // Σ p(t−i|t_i)·u_i(t, μ(t̂_i,t−i)) over the group
  Rational fail;                    // Σ p(t−i|t_i)·u_i(t, o̲^i)
  Rational guess_slope;             // max_{s'≠s_i} Σ p(t−i|t_i)·[u_i(t,o') − u_i(t,o̲^i)]
};

struct InterimCase {
  int agent = 0;
  int true_type = 0;
  int reported_type = 0;
  Rational truthful;  // E[u_i(t, μ(t)) | t_i]
  std::vector<InterimGroup> groups;
  Rational gain(const Rational& x) const;  // G(x)
  CriticalGrid critical;
};
// One case per (agent, true type with p_i > 0, reported type).
std::vector<InterimCase> interim_cases(const Environment& env, const Scf& mu, const BaseRule& base);

struct GapReport {
  Rational alpha;
  std::optional<Rational> alpha_refined;  // nullopt: no agent can ever gain
  Rational alpha_ds;
  Rational reach;                        // D
  std::optional<Rational> d_over_alpha;  // D/α_refined; nullopt when α_refined is 0 or absent
};
GapReport utility_gaps(const Environment& env, const Scf& mu, const BaseRule& base);

struct ObedienceReport {
  std::optional<std::int64_t> grid;  // m'; nullopt = continuum
  Rational guess_probability;        // 1/m'
  bool improving_guess_exists = false;
  Rational eta_achieved;  // 1/m' if some guess strictly improves, else 0 (§2.7)
  Rational max_expost_gain;
  Rational max_interim_gain;  // includes misreport-then-guess
  CriticalGrid m_crit_expost;
  CriticalGrid m_crit_interim;
  bool obedient_expost = false;
  bool obedient_interim = false;
  bool obedient_ds_bound = false;  // m'·α_DS ≥ D (or continuum)
  GapReport gaps;
  std::optional<ExPostCase> expost_witness;  // a case with the largest gain
  std::optional<InterimCase> interim_witness;
};

ObedienceReport analyse_obedience(const Environment& env, const Scf& mu, const BaseRule& base,
                                  std::optional<std::int64_t> grid);

}  // namespace mechsweep::fpre
