#pragma once
// Symmetric rules with private advice: the FPRE of paper 000 (Daido &
// Tajika, "Mechanism Design with Private Communication to Neutralize
// Fairness Constraints", 2025; spec 000).
//
// A principal bound to symmetric formal rules draws a random rule ν^ε from a
// family indexed by a password table ε and privately tells each agent the
// message (base index, password) to send. If all pass, a symmetric base rule
// runs; if exactly agent i fails, i gets its worst outcome o̲^i; if two or
// more fail, the symmetric fallback o*. Every ν^ε is symmetric, yet ν^ε∘τ^ε
// equals any target μ, symmetric or not (Lemma 1, Prop 1, Corollary 1).
// This module builds the finite version (spec §0, §1.7.2): passwords on a
// grid of m' points, so a guess passes with probability 1/m' and obedience
// holds iff m' ≥ m'_crit (exactly computed).
//
//   file               spec                 what
//   environment.hpp    §1.1–1.3 §5.1 §6.2   finite environments, Assumption 1, worst-family consistency,
//                                           Definition 1 preconditions, builders
//   ic.hpp             §1.6 §2.8 §5.2       BIC / weak DSIC / strict DSIC of μ with witnesses,
//                                           μ symmetry, the principal's ex-post optimality
//   base_rule.hpp      §1.7.2 §5.3          canonical orbits and reps, K_min, colex subsets, ν_base, s*
//   construction.hpp   §1.7.2 §2.1–2.3 §5.5 lazy password table, ν^ε, τ̃^ε, τ^ε; symmetry /
//                                           surjectivity / exact-implementation checks
//   obedience.hpp      §2.1–2.3 §2.5 §2.7   ex-post and interim gains as affine / convex functions of
//                      §5.4                 1/m', m'_crit, α, α_refined, α_DS, D, η achieved
//   coalitions.hpp     §2.9                 coalition-reachable sets and profitable swaps
//   families.hpp       §4.1                 seeded priors, μ families, share environments
//   examples.hpp       §3.1 §3.2 §3.4       Example 1, Example 2, KAT-D1 settings
//   (negative.hpp, continuity.hpp: Propositions 2 and 3, written separately)
//
// Parameters of an `fpre.obedience` sweep point:
//
//   parameter      type      range                     meaning
//   agents         int       2..6 (exhaustive)         n
//   types          int       1..8                      L, types per agent
//   denominator    int       multiple of n(n−1)        share grid 1/d (outcome class size)
//   free_disposal  bool      false                     simplex (false) or Σx ≤ 1 (true)
//   grid           int       1..2^20, 0 = ∞            m', password grid size (η = 1/m')
//   prior          choice    independent_uniform | random_dirichlet | correlated_mixture
//   rho            rational  [0, 1], default 1/2       correlation weight of correlated_mixture
//   scf            choice    constant | random_deterministic | favour_agent_1
//   seed           uint64    any                       instance, μ and password seeds
//   draws          int       ≥ 1, default 16           password tables for the implementation check
//
// Metrics (spec §4.2): validate() flags, check_ic(), BaseRule::index_count()
// (K_min) and orbit_count() (R), check_exact_implementation().rate(),
// check_symmetry(), analyse_obedience() (gains, m'_crit, η, α, α_DS, D),
// coalition_reach(), check_principal_expost_optimal().
//
// Numbers are exact rationals throughout; agents are 0-based in the API and
// 1-based in messages. Errors are std::invalid_argument("fpre: ...").

#include "mechanisms/fpre/base_rule.hpp"     // IWYU pragma: export
#include "mechanisms/fpre/coalitions.hpp"    // IWYU pragma: export
#include "mechanisms/fpre/construction.hpp"  // IWYU pragma: export
#include "mechanisms/fpre/environment.hpp"   // IWYU pragma: export
#include "mechanisms/fpre/examples.hpp"      // IWYU pragma: export
#include "mechanisms/fpre/families.hpp"      // IWYU pragma: export
#include "mechanisms/fpre/ic.hpp"            // IWYU pragma: export
#include "mechanisms/fpre/obedience.hpp"     // IWYU pragma: export
