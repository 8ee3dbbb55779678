#pragma once
// Majorization and the numbers the runner records about a utility vector
// (spec 004 §1.6, §1.7, §4.2).
//
// Q_j(U) is the sum of the j smallest coordinates of U (j = 1..n). U
// α-majorizes W when α·Q_j(U) ≥ Q_j(W) for every j (spec §1.6, §3.2
// terminology), and the empirical approximation ratio of U against benchmark
// prefix sums B_j is α̂ = max_j B_j / Q_j(U) (spec §1.7). Zero-utility agents
// are an expected edge case (spec §6.3: G({i}) = 0), so the ratio defines
// 0/0 := 1 and x/0 := +∞ instead of producing NaN.
//
// Vectors are indexed from 0 (agent i at index i, Q_j at index j − 1).
// Non-finite entries and mismatched lengths throw std::invalid_argument.

#include <span>
#include <vector>

namespace mechsweep::persuasion {

// Q_1..Q_n: sort ascending, then prefix sums. O(n log n).
std::vector<double> prefix_sums_smallest(std::span<const double> u);

struct ApproximationRatio {
  double ratio = 1.0;  // max_j B_j / Q_j(U); +∞ when some B_j > 0 meets Q_j(U) = 0
  int argmax_j = 0;    // the maximising j (1-based; the smallest such j); 0 for n = 0
};

// α̂(U; B) = max_j B_j / Q_j(U) with 0/0 := 1 and x/0 := +∞ (spec §1.7).
// Values with |x| ≤ zero_tol count as 0, so that a benchmark computed with
// rounding (1e-17 instead of 0) does not turn a 0/0 into +∞.
ApproximationRatio approximation_ratio_at(std::span<const double> benchmark_prefix, std::span<const double> u,
                                          double zero_tol = 0.0);
double approximation_ratio(std::span<const double> benchmark_prefix, std::span<const double> u, double zero_tol = 0.0);

// α·Q_j(u) ≥ Q_j(w) − tol for all j: u α-majorizes w (α > 0, tol ≥ 0).
bool majorizes(std::span<const double> u, std::span<const double> w, double alpha = 1.0, double tol = 1e-9);

// The scalar summaries of spec §4.2. A coordinate ≤ zero_tol counts as a
// zero-utility agent, and then Nash welfare is −∞.
struct UtilitySummary {
  double welfare = 0.0;       // Σ U_i
  double min = 0.0;           // min U_i (0 for n = 0)
  double nash_welfare = 0.0;  // Σ log U_i
  int zero_count = 0;         // #{i : U_i ≤ zero_tol}
  double gini = 0.0;          // Σ_i Σ_k |U_i − U_k| / (2 n Σ U); 0 when Σ U = 0
};
UtilitySummary summarize_utilities(std::span<const double> u, double zero_tol = 0.0);

}  // namespace mechsweep::persuasion
