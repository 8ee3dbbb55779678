#pragma once
// When choice has value (spec 002 §2.4, §2.5, §3.2 K9): Theorem 1's
// hypotheses and conditions as flags, Proposition 1's constructive improving
// bilateral trade as the witness, and the complete-information benchmark with
// ex-post participation that bounds every OSP mechanism with η = σ from below.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "mechanisms/delegation/market.hpp"
#include "mechanisms/delegation/trade.hpp"

namespace mechsweep::delegation {

struct Theorem1Report {
  bool common_box = false;           // H: every C_j is the same bounded box
  bool positive_status_quo = false;  // H: σ_j(i) > 0 for all i, j
  bool nondegenerate = false;        // (i): C is not a single point
  bool performance_differs = false;  // (i): π_{j'} ≠ π_{j''} for some pair
  bool full_dimension = false;       // c̲^i < c̄^i for every i (Corollary 1's condition)
  bool baseline_slack = false;       // β_j = 1 for all j
  // Proposition 1's construction, when (i) and H hold: the trade with the
  // largest expected gain among the constructed candidates.
  std::optional<BilateralTrade> witness;
  double witness_gain = 0.0;
  // Corollary 1 (β ≡ 1, full dimension): V_ND(1) − V_SQ, which must be 0.
  std::optional<double> non_choice_gap;
  bool hypotheses() const { return common_box && positive_status_quo; }
  bool condition_i() const { return nondegenerate && performance_differs; }
};
Theorem1Report theorem1(const Market& market);

// The per-profile complete-information LP: min Σπ·x s.t. market clearing and
// c_j·x_j ≤ c_j·σ_j for every agent. `costs` is agent-major like σ.
double complete_information_cost(const Market& market, std::span<const double> costs);

// E_c of the above with c uniform on the boxes; draws from `seed` only.
MonteCarloEstimate complete_information_bound(const Market& market, std::uint64_t samples, std::uint64_t seed);

}  // namespace mechsweep::delegation
