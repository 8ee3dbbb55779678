#pragma once
// Proposition 3: from the large market back to finite markets (spec 002 §1.7,
// §2.9, §2.10).
//
// Large market (LM). Fixed menus reach, for agent j, the expected allocations
//   ray menu:      x_j = η_j + Σ_k q_j^k α_j^k κ̂_j^k,  α_j^k ∈ [0, 1],
//   remedial menu: 0 ≤ x_j ≤ η_j,
// where κ̂_j^k is ray k scaled to full length (η_j + κ̂ lies on the boundary of
// R^I_+) and q_j^k = Pr(c·κ_j^k < 0) its choice probability (spec §2.9, the
// generator of ℱ_j). The LM value of the menus is min Σ_j π_j·x_j subject to
// Σ_j x_j = n: market clearing only in expectation (LM-MC, spec §1.7).
//
// Replica economy N. N copies of every agent (group j) with i.i.d. types and
// N·n^i units of task i; every copy of agent j gets agent j's menu. A draw
// fixes the counts d_j^k of group j's copies that pick ray k (the rest keep
// η_j): d_j ~ Multinomial(N, (q_j^1, …, q_j^K, q_j^keep)). EOPR then solves the
// cell LP (spec §2.10)
//   min Σ_{j,k} α_j^k π_j·κ̂_j^k − Σ_{remedial j} π_j·r_j
//   s.t. Σ_{j,k} α_j^k κ̂_j^k − Σ_{remedial j} r_j = 0,
//        0 ≤ α_j^k ≤ d_j^k (in full rays),  0 ≤ r_j ≤ N·η_j,
// and the draw costs N·V_SQ + the LP value.
//
// Why the cell LP is exact, not a bound: the per-profile EOPR LP (eopr.hpp)
// gives each of the d_j^k copies in a cell its own y ∈ [0, 1] (full rays) on
// the same direction κ̂_j^k with the same cost π_j·κ̂_j^k, so it only sees the
// cell totals α_j^k = Σ y ∈ [0, d_j^k]; conversely any α is reached by y = α/d
// for every copy. Remedial copies of one group likewise only enter through
// their sum r_j ∈ [0, N·η_j]. The two LPs have the same value, the per-draw
// cost depends on the counts alone, and the LP's size does not grow with N.
// At N = 1 the replica economy is the economy itself, so replica_cost equals
// eopr_expected_cost.
//
// Proposition 3 says (1/N)·E[V(N)] → the LM value. Averaging a draw-wise
// optimal solution over draws gives an LM-feasible point (E[α] ≤ E[d] = N·q,
// clearing holds in every draw, hence in expectation), so the per-capita cost
// is never below the LM value: the gap is ≥ 0 (up to LP tolerance) and shrinks
// like O(N^{-1/2}), the size of the counts' fluctuations.
//
// Randomised menus (Proposition 3: "give each menu to ⌊εN⌋ agents of group
// j"): agent j's mixture {(w_m, menu_m)} splits the N copies of group j into
// cohorts of sizes given by the largest remainder of w_m·N (deterministic;
// ties go to the earlier menu), and each cohort is multinomial on its own
// menu's cells.

#include <cstdint>
#include <utility>
#include <vector>

#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

struct MenuLargeMarket {
  double value = 0.0;              // min Σ_j π_j·x_j under LM-MC
  std::vector<double> allocation;  // agent-major optimal x (one optimum; the LP may have several)
};
// LM value of fixed menus (the N → ∞ limit of the replica economy). K5: 5 on B2.
MenuLargeMarket large_market_menu_value(const Market& market, const std::vector<Menu>& menus);
// The same for randomised menus: agent j's reachable set is Σ_m w_m·(menu m's set).
MenuLargeMarket large_market_mixture_value(const Market& market,
                                           const std::vector<std::vector<std::pair<double, Menu>>>& mixtures);

struct ReplicaOptions {
  int replicas = 1;                   // N ∈ [1, 2^20]
  std::uint64_t draws = 2000;         // count vectors sampled when not exact (≥ 1)
  std::uint64_t exact_limit = 20000;  // enumerate when there are at most this many count vectors
  std::uint64_t seed = 0;             // the only source of randomness
};

struct ReplicaEstimate {
  double per_capita_cost = 0.0;     // (1/N)·E[V(N)]
  double standard_error = 0.0;      // of per_capita_cost; 0 when exact
  bool exact = false;               // every count vector enumerated
  std::uint64_t draws = 0;          // count vectors enumerated or sampled
  double large_market_value = 0.0;  // LM value of the simulated menus
  double gap = 0.0;                 // per_capita_cost − large_market_value (≥ 0 when exact)
};

// Proposition 3's replica economy with every copy of agent j on menus[j].
// Throws std::invalid_argument ("delegation: ...") for invalid markets or
// menus (check_menus), replicas outside [1, 2^20] or draws = 0.
ReplicaEstimate replica_cost(const Market& market, const std::vector<Menu>& menus, const ReplicaOptions& options);

// Randomised menus: mixtures[j] lists (weight, menu), weights ≥ 0 summing to 1
// (±1e-9). large_market_value is the LM value at the realised cohort shares
// (size/N), so the gap keeps its sign at every N; it tends to the LM value of
// the weights themselves (large_market_mixture_value) as N grows.
ReplicaEstimate replica_cost_mixed(const Market& market,
                                   const std::vector<std::vector<std::pair<double, Menu>>>& mixtures,
                                   const ReplicaOptions& options);

}  // namespace mechsweep::delegation
