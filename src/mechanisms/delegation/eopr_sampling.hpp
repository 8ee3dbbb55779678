#pragma once
// EOPR by sampling types (spec 002 §2.7, §4.3 "per agent"): what the exact
// enumeration of eopr.hpp does not give, or cannot afford.
//
// Each draw takes a type profile c uniform on the boxes, lets every agent make
// its OSP choice (the unique ray with c·κ < 0, else keep; ties keep, spec §2.6;
// remedial agents take the remedial set), and reads the selection LP's
// allocation x for that choice profile (cached: few profiles recur many
// times). It yields the expected cost when (K+1)^J profiles are too many to
// enumerate, and per agent the welfare E[c_j·(x_j − σ_j)] (≤ 0: nobody is
// ever worse off), the trade volume E‖x_j − σ_j‖₁ and the ex-post
// participation violations (must be 0), which depend on the type and not only
// on the choice.

#include <cstdint>
#include <vector>

#include "mechanisms/delegation/eopr.hpp"
#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

struct EoprSample {
  MonteCarloEstimate cost;
  std::vector<double> welfare;                              // per agent E[c_j·(x_j − σ_j)]
  std::vector<double> trade_volume;                         // per agent E‖x_j − σ_j‖₁
  std::vector<std::uint64_t> participation_violations;      // per agent: draws with c_j·(x_j − σ_j) > tolerance
  double any_trade_probability = 0.0;                       // Pr(some x_j ≠ σ_j)
  double mean_traders = 0.0;                                // E[#agents with x_j ≠ σ_j]
  std::uint64_t distinct_profiles = 0;                      // choice profiles met (LPs solved)
};

// The OSP choice of agent j at type c (one agent's row): −1 keeps, k takes ray k.
int osp_choice(const Menu& menu, std::span<const double> type);

// `samples` ≥ 2 draws from `seed` only. Validates the menus as eopr_expected_cost does.
EoprSample sample_eopr(const Market& market, const std::vector<Menu>& menus, std::uint64_t samples,
                       std::uint64_t seed, double tolerance = 1e-9);

}  // namespace mechsweep::delegation
