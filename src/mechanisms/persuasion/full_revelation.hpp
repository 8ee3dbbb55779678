#pragma once
// Full revelation with an exact receiver (spec 004 §2.1–2.2, §4.3, §5): the
// per-scenario rank g(S; v) of Lemma 3.2, the polymatroid G(S) = E_v g(S; v)
// of Theorem 3.1, and its vertex oracle D1 — expected receiver greedy with
// value ties broken by one priority order — computed exactly by scenario
// enumeration, by the polynomial oracles (Poisson-binomial DP for uniform and
// partition matroids, the product formula for click), or by Monte Carlo over
// one fixed seeded sample of scenarios.
//
// Methods (OracleOptions::method; `automatic` picks the first that applies):
//   poisson_binomial  uniform and partition matroids: u_i = Σ_x P(v_i = x)·x·
//                     Pr[fewer than k agents rank ahead of i], one prefix/suffix
//                     Poisson-binomial DP per distinct value, O(n·k·D) per call
//                     (D distinct values over all agents); per group for partition.
//   click_product     click ranks: prefix/suffix products, O(n·D) per call.
//   enumerate         any family, all Π s_i scenarios (error above
//                     enumeration_limit); each scenario is a stable counting sort
//                     by value plus the family's Greedy.
//   monte_carlo       any family: `samples` scenarios drawn once at construction
//                     from `seed` (supports ≤ 65535 atoms); every call averages
//                     over that same sample, so the sampled G is itself a
//                     polymatroid and all calls are mutually consistent.
// Asking for poisson_binomial or click_product on another family is an error.
// G(S) is computed everywhere through Lemma 3.2: g(S; v) is the receiver's
// greedy with S first inside each value block, so G(S) = Σ_{i∈S} u_i for the
// D1 vertex whose order lists S first (exact, one vertex call).
// Table ranks are checked with require_polymatroid; every other family is
// re-validated through its make_* function; priors through make_distribution.
// All members are const and allocate their own buffers: safe to share across
// threads.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "mechanisms/persuasion/polymatroid.hpp"
#include "mechanisms/persuasion/prior.hpp"

namespace mechsweep::persuasion {

enum class OracleMethod { automatic, enumerate, poisson_binomial, click_product, monte_carlo };
OracleMethod parse_oracle_method(std::string_view name);
std::string_view to_string(OracleMethod method);

struct OracleOptions {
  OracleMethod method = OracleMethod::automatic;
  // automatic: the polynomial oracle where the family has one, else
  // enumeration up to this many scenarios, else Monte Carlo.
  std::int64_t enumeration_limit = std::int64_t{1} << 16;
  std::int64_t samples = 20000;  // Monte Carlo scenarios (one fixed sample)
  std::uint64_t seed = 0;
};

// Lemma 3.2: g(S; v) = Σ_l w_l [f(P_{<l} ∪ (S ∩ E_l)) − f(P_{<l})] for one
// value vector v > 0.
double scenario_rank(const Polymatroid& f, std::span<const double> values, std::span<const int> set);

class FullRevelation {
 public:
  FullRevelation(Polymatroid f, Prior prior, OracleOptions options = {});

  int size() const;
  OracleMethod method() const;  // the resolved method (never automatic)
  bool exact() const;           // false for Monte Carlo
  const Polymatroid& rank_function() const;
  const Prior& prior() const;

  // D1: u_i = E_v[v_i x_i] with x the receiver's greedy on P(f), key
  // (value descending, position in `order`); `order` lists agents from the
  // highest priority. A vertex of B(G).
  void vertex(std::span<const int> order, std::span<double> out) const;
  // G(S) = E_v g(S; v).
  double rank(std::span<const int> set) const;
  double welfare() const;  // G(E), the same for every FR policy (D3)
  // Value ties broken uniformly at random: the average of all n! vertices.
  // Exact for uniform, partition and click ranks at any n (i's position in its
  // tied block is uniform, so tied rivals are ahead independently with
  // probability τ, τ ~ U[0,1]; the resulting polynomial in τ is integrated by
  // Gauss–Legendre), and for every family with n ≤ 8 (every within-block order
  // of every scenario). Otherwise (and always under monte_carlo) random
  // within-block orders drawn from `seed`: max(1, ⌈samples / scenarios⌉) per
  // enumerated scenario, one per Monte Carlo scenario. Σ_i is always G(E).
  std::vector<double> uniform_tie_break() const;
  // W_FR(S) = E_v max_{x ∈ P(f)} Σ_{i∈S} v_i x_i (greedy restricted to S).
  double coalition_value(std::span<const int> set) const;
  // UB_j (spec §4.3), j = 1..n: min(min_{|S|=j} W_FR(S), (j/n)·G(E)), valid
  // for every policy and receiver (Jensen). The minimum over S is exhaustive
  // for n ≤ 12; otherwise the chain S_j = the j agents with the smallest
  // W({i}) = θ_i f({i}) (every S gives a valid bound). For enumerate and
  // monte_carlo the chain costs scenarios·n² greedy steps; above 2·10⁸ only
  // (j/n)·G(E) is returned.
  std::vector<double> upper_bound_prefix() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// No revelation: μ_i = θ_i for every agent, ties broken uniformly at random
// (FullRevelation on the deterministic prior of means, uniform_tie_break()).
// Agents with bit-identical means tie.
std::vector<double> no_revelation(const Polymatroid& f, const Prior& prior, OracleOptions options = {});

}  // namespace mechsweep::persuasion
