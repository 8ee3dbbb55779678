#pragma once
// Benchmarks that need no choice (spec 002 §2.1, §2.2, §3.2 base instance):
// the status quo, the first best, and the best non-choice allocation V_ND(β),
// the designer's best constant expected assignment that every type in every
// box accepts. Lemma 1's necessary bound on constant allocations is a check.

#include <vector>

#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

// V_SQ = Σ_j π_j·σ_j.
double status_quo_cost(const Market& market);
// V_FB = Σ_i n^i min_j π_j(i): every unit to its cheapest agent, ignoring incentives.
double first_best_cost(const Market& market);
// Σ_j π_j·m_j for an expected assignment m (agent-major, like σ).
double allocation_cost(const Market& market, const std::vector<double>& allocation);

// Exact interim SQ for a constant m on boxes: with d = m_j − β_j σ_j,
// Σ_i c̄ d⁺ − c̲ d⁻ ≤ 0 for every agent (spec §2.1 "exact SQ test").
bool satisfies_status_quo(const Market& market, const std::vector<double>& allocation, double tolerance = 1e-9);

// Lemma 1: Σ_ij (c̄_j^i − ĉ^i)(m_j(i) − β_j σ_j(i))⁺ ≤ Σ_ij ĉ^i (β_j − 1) σ_j(i),
// ĉ^i = max_j c̲_j^i. The lemma assumes ∩_j C_j ≠ ∅; boxes_intersect says whether it holds.
struct Lemma1Bound {
  bool boxes_intersect = false;
  double lhs = 0.0;
  double rhs = 0.0;
};
Lemma1Bound lemma1_bound(const Market& market, const std::vector<double>& allocation);

// V_ND(β): min Σπ·m s.t. the exact SQ test and market clearing, as one LP
// (spec §2.1 "CONSTRUCT").
struct NonChoiceOptimum {
  double cost = 0.0;
  std::vector<double> allocation;  // agent-major
};
NonChoiceOptimum best_non_choice(const Market& market);

}  // namespace mechsweep::delegation
