#pragma once
// The paper's constructive route to the 1-majorized full-revelation point
// (Theorem 3.3, spec 004 §2.3): multiplicative weights (Hedge) over the hard
// constraints E[u_i] − U_i ≥ 0 with the D1 vertex oracle as the "A" oracle,
// a binary search for each OPT_j = max Q_j(U), a combined run for all j, and
// the policy read off the iterations' priority orders.
//
// This is the correctness reference, not the production path (spec §2.3
// "Cost warning": T_it ≈ 1.8·10¹¹ for n = 100); Wolfe's algorithm
// (min_norm.hpp) computes the same point exactly. Every run can therefore be
// capped; a capped run reports that its δ' guarantee no longer holds.
//
// Parameters (spec §2.3, standard Hedge analysis):
//   δ' = δ/n                      additive accuracy per coordinate
//   ρ                            width: |c_i| ≤ ρ for c = u − U (caller's bound, or
//                                max(max_i G({i}), G(E)) computed from the oracle)
//   ε_mw = δ'/(2ρ)                step
//   T_it = ⌈4ρ² ln n / δ'²⌉        iterations per run (at least 1)
//   w_i ← w_i (1 − ε_mw c_i/ρ)     then renormalised; p = w
// For a distribution p:
//   A = max_{u ∈ B(G)} p·u        the vertex for argsort(p descending)
//   B = min_{U ∈ P_T} p·U         closed form for one j (spec §2.3); a Clp LP over
//                                the sorted coordinates for all j at once (step 4)
//   A < B proves the targets infeasible (exactly, not just approximately).
// A run that finishes without that proof returns averages with Q_j(Ū) ≥ T and
// Ū_i − ū_i ≤ δ', so OPT*_j ≥ T − j·δ': every OPT_j comes with the certified
// bracket [OPT_j − j·δ', upper], upper being the smallest target proven
// infeasible (or (j/n)·G(E)).
//
// Step 4 runs with targets max(0, OPT_j − j·δ'): the binary search can
// overshoot OPT*_j by up to j·δ', and U* meets every lowered target at once
// (spec §2.2 D4), so the combined program stays feasible.

#include <cstdint>
#include <span>
#include <vector>

#include "mechanisms/persuasion/min_norm.hpp"

namespace mechsweep::persuasion {

struct MwuSchedule {
  double delta_prime = 0.0;              // δ' = δ/n
  double width = 0.0;                    // ρ
  double step = 0.0;                     // ε_mw = δ'/(2ρ)
  std::int64_t required_iterations = 0;  // T_it (saturates at INT64_MAX)
};
// δ > 0, width ρ > 0, n ≥ 1.
MwuSchedule mwu_schedule(int n, double delta, double width);

// Step 3 (Hoeffding): N ≥ R² n² ln(2n/β) / (2δ²) sampled scenarios give every
// coordinate within δ/n with probability ≥ 1 − β (R = per-coordinate range,
// V·max_i f({i})). Saturates at INT64_MAX.
std::int64_t hoeffding_sample_size(double range, int n, double delta, double beta);
// The per-coordinate half-width δ/n that N samples certify: R·sqrt(ln(2n/β)/(2N)).
double hoeffding_half_width(double range, int n, std::int64_t samples, double beta);

// B for one j: min p·U over {U ≥ 0 : Q_j(U) ≥ target} =
// min_{z=0..j−1} target/(j−z) · (sum of the n−z smallest p_i), attained by
// U_i = 0 on the z agents with the largest p and target/(j−z) elsewhere.
// Writes the minimiser; p ≥ 0, 1 ≤ j ≤ n, target ≥ 0.
double prefix_target_minimum(std::span<const double> p, int j, double target, std::span<double> minimiser);
// B for all j: min p·U over {U ≥ 0 : Q_j(U) ≥ targets[j−1] ∀j}. By
// rearrangement the minimiser is sorted against p, so the LP runs on sorted
// coordinates 0 ≤ y_1 ≤ … ≤ y_n (n columns, n rows) through Clp.
double prefix_targets_minimum(std::span<const double> p, std::span<const double> targets, std::span<double> minimiser);

struct MwuOptions {
  double delta = 0.1;                        // δ > 0 (δ' = δ/n)
  double width = 0.0;                        // ρ > 0, or 0: max(max_i G({i}), G(E))
  std::int64_t max_iterations = 0;           // cap per step-2 run; 0: T_it
  std::int64_t max_combined_iterations = 0;  // cap of the step-4 run; 0: T_it
  int binary_search_rounds = 0;              // 0: ⌈log₂(G(E)/δ)⌉ (at least 1)
};

struct PrefixOptimum {
  int j = 0;
  double value = 0.0;  // OPT_j: the largest target not proven infeasible (0 if none was)
  double lower = 0.0;  // value − j·δ': certified lower bound on OPT*_j unless capped
  double upper = 0.0;  // certified upper bound on OPT*_j
  std::int64_t iterations = 0;
  bool capped = false;  // a round that found no infeasibility stopped at the cap
};

// Step 2: binary search on T over [0, (j/n)·G(E)] with one Hedge run per round.
PrefixOptimum mwu_max_prefix_sum(int n, const VertexOracle& oracle, int j, const MwuOptions& options);

struct MwuResult {
  std::vector<double> utilities;         // ū = E[u] under the extracted policy (∈ B(G))
  std::vector<double> target_utilities;  // Ū, the average easy-set point of step 4
  std::vector<PrefixOptimum> prefix;     // OPT_j for j = 1..n
  // Step 5: the uniform mixture over the step-4 iterations' orders
  // argsort(p_t descending), identical orders merged; it realises `utilities`.
  std::vector<WeightedOrder> mixture;
  MwuSchedule schedule;
  std::int64_t iterations = 0;        // over all runs
  std::int64_t oracle_calls = 0;      // vertex-oracle calls over all runs
  double max_primal_violation = 0.0;  // max_i (Ū_i − ū_i); ≤ δ' when certified
  double max_cost = 0.0;              // max |c_i| seen; above ρ voids the Hedge bound
  bool iteration_cap_hit = false;
  bool combined_infeasible = false;  // step 4 proved its targets infeasible (numerics)
  bool certified = false;            // no cap hit, max_cost ≤ ρ, combined run feasible
};

// Steps 2, 4 and 5 for n ≥ 1 agents.
MwuResult mwu_majorized_point(int n, const VertexOracle& oracle, const MwuOptions& options);

}  // namespace mechsweep::persuasion
