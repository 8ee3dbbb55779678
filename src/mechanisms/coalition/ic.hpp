#pragma once
// Robust 𝒮 incentive compatibility (spec 001 §1.8, §5.1; Definitions 4 and 7).
//
// IC(S) holds iff for every θ*_S ≠ θ'_S some member i ∈ S is weakly worse off
// reporting θ'_S in *every* outsider state θ_{−S} (∃ i, then ∀ θ_{−S}). Then
// R𝒮IC = ∧_{S∈𝒮} IC(S), RCIC = R𝒮̄IC and EPIC = R𝒮̲IC. The table is computed
// once per (environment, f) and reused for every pattern.

#include <cstdint>
#include <optional>
#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

class Pattern;

// A profitable joint misreport: at true θ*_S the coalition reports θ'_S, and
// each member i (in increasing agent order) strictly gains when the outsiders'
// types are gaining_outsiders[i-th member]. Indices are within Θ_S / Θ_{−S}.
struct IcViolation {
  Coalition coalition = 0;
  std::size_t truth = 0;   // θ*_S
  std::size_t report = 0;  // θ'_S
  std::vector<std::size_t> gaining_outsiders;
};

struct CoalitionIc {
  bool holds = true;
  std::uint64_t violations = 0;        // (θ*_S, θ'_S) pairs with a strict gain for every member
  std::optional<IcViolation> witness;  // the first violation, in (θ*_S, θ'_S) order
};

class IcTable {
 public:
  explicit IcTable(const Instance& instance);

  const CoalitionIc& of(Coalition s) const { return by_coalition_[s]; }
  bool holds(Coalition s) const { return by_coalition_[s].holds; }
  bool holds_for(const Pattern& pattern) const;  // R𝒮IC
  bool epic() const;                             // every singleton
  bool rcic() const;                             // every coalition
  std::uint64_t total_violations() const;
  // Weak Pareto efficiency of f within f(Θ) at every profile: IC(I) (spec §1.8).
  bool weak_pareto_within_image() const { return holds(all_agents(agents_)); }

 private:
  int agents_;
  std::vector<CoalitionIc> by_coalition_;  // index = mask; entry 0 unused
};

// IC(S) alone, with its count and first witness.
CoalitionIc coalition_ic(const Instance& instance, Coalition s);

}  // namespace mechsweep::coalition
