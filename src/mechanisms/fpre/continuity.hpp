#pragma once
// Proposition 3 (approximate continuity) and the countable-types grid
// (spec 000 §1.7.3, §2.6, §2.7, §3.3, §4.2).
//
// The continuous rule family (spec §1.7.3). A message τ_i ∈ ℝ splits into the
// index k_i = ⌊τ_i⌋ and the password part w_i = τ_i − k_i ∈ [0, 1).
//   passwords   ε_k ~ U(1/3, 2/3), i.i.d. over k ∈ ℕ (drawn lazily per index)
//   widths      β_1 = j·z/ℓ with j uniform on {1, …, ℓ}, independent of ε;
//               β_0 = β_1 − c·z/ℓ  [erratum: the paper prints β_1 − 1/ℓ]
//   ramp        q(w, k) = 0 if |w − ε_k| ≤ β_0; (|w − ε_k| − β_0)/(β_1 − β_0)
//               if β_0 < |w − ε_k| < β_1; 1 if |w − ε_k| ≥ β_1; q = 1 for k < 0
//   rule        ν^{ε,β}(τ) = Q·o̲ + (1 − Q)·ν*(k),  Q = 1 − Π_i (1 − q(w_i, k_i))
//   advice      τ̃_i(o) = k_i + ε_{k_i} for ν*(k) = o, so q = 0 on path.
//
// Parameters (ContinuityParams):
//   name          type          default  range            meaning
//   n             int           2        ≥ 2              agents
//   z             double        0.01     (0, 1/3)         outer band half-width bound (β_1 ≤ z)
//   ell           std::int64_t  100      1 … 10^9         ℓ, number of β levels
//   c             double        1        (0, 1]           band fraction: β_1 − β_0 = c·z/ℓ
//   guess_password double       0.5      [0, 1)           w' of a different-index guess
//   same_index_distance double  0 → (1 − c/2)·z/ℓ, the middle of the first band
//                                        (0, 1/3)         |w' − ε_{k_i}| of a same-index deviation
//
// Metrics (spec §4.2, Prop 3 row). "Escape" means the outcome leaves {o̲, ν(τ)}:
//   * different-index guess (k' ≠ k_i, others obey): escape ⇔ Q < 1. Exact:
//     E_j[3·|(w' − β_1, w' + β_1) ∩ (1/3, 2/3)|] = 3z(ℓ+1)/ℓ at w' = 1/2, z ≤ 1/6;
//   * same-index deviation at distance d: escape ⇔ 0 < Q < 1 ⇔ β_0 < d < β_1,
//     exactly #{j ∈ 1..ℓ : j ∈ (dℓ/z, dℓ/z + c)}/ℓ — 1/ℓ inside a band, 0 on the
//     grid (the band is open) and for d ≥ z;
//   * joint (all n agents guess fresh indices at w', common β) [derived here]:
//     the probability that at least one agent's term is not benign (q < 1),
//     1 − E_j[(1 − p(β_1))^n] — exactly the event whose complement the paper's
//     product bounds, so the exact counterpart of η̄ = 1 − [1 − max{6z, 1/ℓ}]^n
//     (the paper multiplies per-agent bounds as if independent; β is common);
//   * bounds: paper η̄, union n·max{6z, 1/ℓ}, single-agent max{6z, 1/ℓ};
//   * strict improvement with linear utilities under the demonstration base rule
//     below, and a Lipschitz check against n·ℓ/(c·z)·diam (spec §1.7.3 item 9).
//
// Demonstration base rule (for improvement and Lipschitz metrics): outcomes are
// free-disposal shares x ∈ [0,1]^n, Σx ≤ 1, with the common symmetric worst
// o̲ = 0 and ν*(k)_i = (k_i + 1)/(Σ_j (k_j + 1) + 1) — symmetric, with
// diam = sup_k ‖ν*(k) − o̲‖_1 = 1 in the ℓ1 metric. The on-path base profile is
// k = (0, 1, …, n−1); agent 0 deviates, a different-index guess goes to the
// fresh index n (so it prefers the guessed outcome: s' > s). Utilities u_i = x_i.
//
// Countable types (spec §2.7): password grid {1/m, …, (m−1)/m}, m' = m − 1
// points, guess success 1/m', η achieved 1/m' when an improving guess exists
// and 0 otherwise; any m > 1 + 1/η is η-unimprovable (Claim B).

#include <boost/multiprecision/cpp_int.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace mechsweep::fpre {

using Rational = boost::multiprecision::cpp_rational;

struct ContinuityParams {
  int n = 2;
  double z = 0.01;
  std::int64_t ell = 100;
  double c = 1.0;
  double guess_password = 0.5;
  double same_index_distance = 0.0;  // 0 → (1 − c/2)·z/ℓ
};

// Throws std::invalid_argument("fpre: …") for out-of-range or non-finite inputs.
void validate(const ContinuityParams& params);

// The band half-widths for level j ∈ {1, …, ℓ}.
struct Band {
  double beta0 = 0.0;
  double beta1 = 0.0;
};
Band band(const ContinuityParams& params, std::int64_t level);

// q(w, k) for a given password ε_k and band; spec §1.7.3 item 5.
double ramp(double password_part, double password, const Band& band);

// A message split into index and password part (τ = k + w).
struct Message {
  std::int64_t index = 0;
  double password = 0.0;  // w ∈ [0, 1)
};
Message split(double tau);

// One realised rule ν^{ε,β} of the family: ε drawn lazily from a table seed,
// β from the level j. Evaluation is O(n).
class ContinuousRule {
 public:
  ContinuousRule(const ContinuityParams& params, std::uint64_t table_seed, std::int64_t level);
  // A fixed band (no β randomisation; level 0), as in Prop 2(2)'s demonstration.
  // Requires 0 ≤ β_0 < β_1 ≤ 1/3 so that q = 1 near the cell edges.
  ContinuousRule(int n, std::uint64_t table_seed, Band widths);
  // Draws (ε, j) from one seed: the level uniform on {1, …, ℓ}.
  static ContinuousRule draw(const ContinuityParams& params, std::uint64_t seed);

  double password(std::int64_t index) const;  // ε_k ∈ (1/3, 2/3)
  const Band& widths() const { return band_; }
  std::int64_t level() const { return level_; }

  double term(const Message& message) const;                      // q(w_i, k_i) of one message
  double failure_weight(std::span<const Message> profile) const;  // Q
  double failure_weight(std::span<const double> tau) const;
  // ν^{ε,β} with the demonstration base rule (o̲ = 0): (1 − Q)·ν*(k).
  std::vector<double> evaluate(std::span<const Message> profile) const;
  std::vector<double> evaluate(std::span<const double> tau) const;
  // The recommended message k + ε_k.
  Message recommend(std::int64_t index) const { return {index, password(index)}; }

 private:
  int n_;
  std::uint64_t table_seed_;
  std::int64_t level_;
  Band band_;
};

// Pr_ε[|w − ε| < r] for ε ~ U(1/3, 2/3): the chance that a guess w at an index
// whose password the guesser does not know lands within r of it.
double guess_hit_probability(double password_part, double radius);

// The demonstration base rule ν*(k)_i = (k_i + 1)/(Σ_j (k_j + 1) + 1); k_i ≥ 0.
std::vector<double> demo_base_rule(std::span<const std::int64_t> indices);

// Closed forms in double precision.
double max_term(const ContinuityParams& params);                    // max{6z, 1/ℓ}
double eta_bound_paper(const ContinuityParams& params);             // 1 − (1 − max)^n
double eta_union_bound(const ContinuityParams& params);             // n·max
double eta_single_bound(const ContinuityParams& params);            // max
double different_index_escape(const ContinuityParams& params);      // at w' = guess_password
double different_index_escape_sup(const ContinuityParams& params);  // sup over w' (w' = 1/2)
double same_index_escape(const ContinuityParams& params);           // at d = same_index_distance
double joint_escape(const ContinuityParams& params);                // all n guess at w'
double eta_single_exact(const ContinuityParams& params);            // max(sup different-index, 1/ℓ)
double improvement_probability(const ContinuityParams& params);     // demo rule, linear u
double lipschitz_bound(const ContinuityParams& params);             // n·ℓ/(c·z)·diam (spec)
double lipschitz_bound_tight(const ContinuityParams& params);       // ℓ/(c·z)·diam (ℓ1 in τ)
double demo_diameter();                                             // 1

// Exact rational evaluations (w' = 1/2 for the different-index and joint terms).
struct ExactContinuity {
  Rational max_term;
  Rational eta_bound_paper;
  Rational eta_union_bound;
  Rational eta_single_bound;
  Rational different_index_escape;  // at w' = 1/2
  Rational same_index_escape;       // at distance d
  Rational joint_escape;            // all n at w' = 1/2
};
// Requires 0 < z < 1/3, 1 ≤ ℓ ≤ 10^6, 0 < c ≤ 1, d > 0, n ≥ 2.
ExactContinuity exact_continuity(int n, const Rational& z, std::int64_t ell, const Rational& c,
                                 const Rational& distance);

struct Estimate {
  double mean = 0.0;
  double standard_error = 0.0;  // sqrt(p̂(1 − p̂)/N)
  std::uint64_t samples = 0;
};

// One call per sweep point (spec §4.2). Exact columns are closed forms; the
// Monte-Carlo columns use `samples` independent rule draws, seeded by `seed`.
struct ContinuityReport {
  double max_term = 0.0;
  double eta_bound_paper = 0.0;
  double eta_union_bound = 0.0;
  double eta_single_bound = 0.0;
  double eta_single_exact = 0.0;
  double different_index_escape_exact = 0.0;
  Estimate different_index_escape_mc;
  double same_index_distance = 0.0;
  double same_index_escape_exact = 0.0;
  Estimate same_index_escape_mc;
  double joint_escape_exact = 0.0;
  Estimate joint_escape_mc;
  double improvement_exact = 0.0;  // strict improvement, different-index guess
  Estimate improvement_mc;
  Estimate same_index_improvement_mc;  // 0 for linear utilities (spec §2.6)
  double diameter = 1.0;
  double lipschitz_bound = 0.0;        // spec: n·ℓ/(c·z)·diam
  double lipschitz_bound_tight = 0.0;  // ℓ/(c·z)·diam
  double lipschitz_empirical = 0.0;    // largest sampled ‖Δν‖_1/‖Δτ‖_1
  double max_z_score = 0.0;            // max |MC − exact|/SE over the MC columns
  bool bound_violated = false;         // must be false
};
ContinuityReport analyse_continuity(const ContinuityParams& params, std::uint64_t seed, std::uint64_t samples);

// Which η̄ a parameter pair must push strictly below the target η.
enum class EtaCriterion : std::uint8_t {
  paper,         // 1 − [1 − max{6z, 1/ℓ}]^n
  union_bound,   // n·max{6z, 1/ℓ}
  single_agent,  // max{6z, 1/ℓ}
  exact_single,  // max{E_j[min(6β_1, 1)], 1/ℓ}
};
const char* label(EtaCriterion criterion);
EtaCriterion parse_eta_criterion(const std::string& text);

struct EtaSolution {
  double z = 0.0;
  std::int64_t ell = 0;
  double achieved = 0.0;         // the criterion's η̄ at (z, ℓ), < target
  double z_supremum = 0.0;       // z must stay strictly below this at ℓ
  double lipschitz_bound = 0.0;  // n·ℓ/(c·z)·diam
};
// Smallest ℓ that works, and z a relative 1e-6 below its supremum at that ℓ.
// Choice rule: among all pairs reaching the target this minimises the
// Lipschitz constant ℓ/z up to the 1e-6 margin (larger ℓ never allows a
// proportionally larger z under any criterion).
EtaSolution solve_for_eta(int n, double eta, double c, EtaCriterion criterion);

// Countable types (spec §2.7).
struct PasswordGrid {
  std::int64_t m = 0;        // grid {1/m, …, (m−1)/m}
  std::int64_t m_prime = 0;  // m − 1 points
  Rational guess_success;    // 1/m'
};
PasswordGrid password_grid(std::int64_t m);      // m ≥ 2
PasswordGrid grid_for_eta(const Rational& eta);  // smallest m with 1/(m−1) < η
PasswordGrid grid_for_eta(double eta);
std::vector<Rational> grid_passwords(std::int64_t m);  // 1/m, …, (m−1)/m
// η achieved by the finite FPRE: 1/m' if an improving guess exists, else 0 (Claim A).
Rational countable_eta(std::int64_t m, bool improving_guess_exists);

}  // namespace mechsweep::fpre
