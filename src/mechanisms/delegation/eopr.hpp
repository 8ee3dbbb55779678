#pragma once
// Ex-post optimal polarized ray (EOPR) mechanisms (spec 002 §1.6, §2.7).
//
// Each agent either gets a menu of polarized rays from its endowment η_j = σ_j
// (plus the right to keep η_j) or the remedial menu {η_j} ∪ {x ≤ η_j}. A type
// picks a ray iff it lowers its workload (c·κ < 0; polarization makes at most
// one ray attractive), and every remedial agent takes the remedial set. For
// each choice profile the designer solves the selection LP
//   min Σ_{ray} y_j π_j·κ_j − Σ_{remedial} π_j·r_j
//   s.t. Σ_{ray} y_j κ_j = Σ_{remedial} r_j, 0 ≤ y_j ≤ ȳ_j, 0 ≤ r_j ≤ η_j,
// and the expected cost sums the profiles' costs weighted by the product of
// the choice probabilities (exact for uniform boxes).

#include <cstdint>
#include <span>
#include <vector>

#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

struct Menu {
  bool remedial = false;
  std::vector<std::vector<double>> rays;  // κ_j^k, each non-monotone, pairwise polarized
};

// Throws std::invalid_argument ("delegation: ...") unless every ray of agent
// j's menu has I entries, is non-monotone, and is polarized with every other
// ray of the menu (spec §1.6; a remedial menu's rays are checked too).
void check_menu(const Market& market, int agent, const Menu& menu);
// validate(market), one menu per agent, and check_menu for each.
void check_menus(const Market& market, const std::vector<Menu>& menus);

// choices[j]: −1 keeps the endowment, k ≥ 0 picks ray k (ignored for
// remedial agents, who always take the remedial set). Among the selections of
// least cost the one with the least trade volume, weighted up by agent index,
// is returned (a fixed tie-break, spec §6 item 22).
struct ProfileOutcome {
  double cost = 0.0;               // V(k_𝒥) = V_SQ + LP value
  double lp_value = 0.0;           // ≤ 0: y = r = 0 is feasible
  std::vector<double> allocation;  // agent-major expected assignment
};
ProfileOutcome eopr_profile(const Market& market, const std::vector<Menu>& menus, const std::vector<int>& choices);

struct EoprValue {
  double expected_cost = 0.0;
  std::uint64_t profiles = 0;                             // choice profiles with positive probability
  double worst_lp_value = 0.0;                            // max over profiles of the LP value (must be ≤ 0)
  std::vector<std::vector<double>> choice_probabilities;  // per agent: rays in order, then keep
};
// Throws std::invalid_argument for a ray that is monotone or of the wrong size,
// or for rays of one agent that are not pairwise polarized.
EoprValue eopr_expected_cost(const Market& market, const std::vector<Menu>& menus);

}  // namespace mechsweep::delegation
