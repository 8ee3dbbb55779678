#pragma once
// Coalitional deviations from the finite FPRE (spec 000 §2.9, KAT-D1/D2).
//
// The password test is coordinate-wise with one table ε, so members of a
// coalition C can exchange their recommended messages without failing any
// check. With the others obeying at the on-path outcome o = μ(t), C reaches
//   {ν_base(s'_C, s*_{−C}) : s'_j ∈ {s*_k : k ∈ C} for j ∈ C}   (|C|^{|C|} profiles),
// which under the canonical base rule is {o^π : π fixes N∖C} ∪ {o*}; with
// "fail" actions also o̲^i (i ∈ C) and o*. The FPRE is not coalition-proof
// whenever one of these is Pareto-better for the members — the paper says
// so; blocking it is outside its scope.

#include <cstdint>
#include <vector>

#include "mechanisms/fpre/base_rule.hpp"
#include "mechanisms/fpre/environment.hpp"
#include "mechanisms/fpre/ic.hpp"

namespace mechsweep::fpre {

// Bit i is agent i (0-based).
using CoalitionMask = std::uint32_t;

struct CoalitionReach {
  std::int64_t profiles = 0;               // |C|^{|C|} message exchanges tried
  std::vector<int> outcomes;               // distinct reachable outcomes, sorted by index
  bool contains_all_permutations = false;  // every o^π with π fixing N∖C
  bool weakly_profitable = false;          // some reachable o': all members ≥, one >
  bool strictly_profitable = false;        // some reachable o': all members >
  Rational max_coalition_gain;             // max over reachable o' of min_{j∈C} u_j(o') − u_j(o)
  int best_outcome = -1;                   // the maximiser
};

// Coalition C at true profile t (others obey). with_fail_actions adds the
// outcomes of members sending failing messages.
CoalitionReach coalition_reach(const Environment& env, const Scf& mu, const BaseRule& base, std::int64_t t,
                               CoalitionMask coalition, bool with_fail_actions = false);

}  // namespace mechsweep::fpre
