#pragma once
// Robust coalitional implementation (paper 001, Guo & Yannelis 2020; spec 001).
//
// n agents with finite payoff types Θ_i, finite outcomes X, lotteries Δ(X),
// interdependent utilities u_i(x, θ) and a social choice function f. A
// coalition pattern 𝒮 lists the coalitions that can form (always every
// singleton). The module decides, for finite environments, the conditions of
// the paper's Theorems 1–2 and Propositions 1–2 and their verdicts:
//
//   file                      spec       what
//   environment.hpp           §1.1       environments, SCFs, the UF table, profile indexing, the tie band
//   pattern.hpp               §1.3 §4.2  patterns, named families, labeled / isomorphism-class enumeration
//   ic.hpp                    §1.8 §5.1  IC(S) per coalition with counts and witnesses; EPIC, RCIC, R𝒮IC
//   deception.hpp             §1.7       deceptions, acceptability
//   reward.hpp                §1.9 §5.2  reward sets Y_S[𝒮] as pruned disjunctive keys, membership
//   monotonicity.hpp          §1.10–1.11 whistle-blowing clauses (Clp/Cbc), RM, RCM, R𝒮M with counts
//                             §5.2–5.3
//   interior.hpp              §5.5       the sufficient interior-reward LP, CNTI
//   verdict.hpp               §2         YES / NO / UNKNOWN per target; analyse() for one (env, f)
//   type_space.hpp            §1.2 §1.5  finite type spaces, revising rules, the interim 𝒮-equilibrium
//                             §2.1       checker, the Lemma 1 and Example 2 type spaces
//   canonical_mechanism.hpp   §2.3–2.4   the Theorem 1/2 mechanism and its Claim 2/3/5/6 certificates
//   examples.hpp              §3         Examples 1 (with the cost scale c) and 2
//   random_instances.hpp      §4.1       random environments and SCF families for sweeps
//
// LPs and MILPs go through src/solvers/lp.hpp (Clp and Cbc).
//
// Parameters of a sweep point (coalition.patterns; coalition.examples uses
// examples.hpp's table instead):
//
//   parameter       type    range      meaning
//   agents          int     1..4       n
//   types           int     1..3       k = |Θ_i| for every agent
//   outcomes        int     1..8       m = |X|
//   utility_model   choice  iid | private | common
//   scf_family      choice  efficient | dictatorial | constant | random | enumerated
//   pattern_family  choice  named | size_bounded | party_blocks | party_subsets | connected |
//                           labeled | isomorphism_classes | random
//
// Numbers are doubles with a tie band (environment.hpp); the paper's examples
// have exact ties and land on them. Monotonicity is exact for singleton
// whistle-blowers and for the grand coalition, a TRUE/FALSE/UNDETERMINED
// sandwich for 2 ≤ |S| ≤ n−1 (spec §5.2).

#include "mechanisms/coalition/environment.hpp"  // IWYU pragma: export
#include "mechanisms/coalition/examples.hpp"     // IWYU pragma: export
#include "mechanisms/coalition/ic.hpp"           // IWYU pragma: export
#include "mechanisms/coalition/pattern.hpp"      // IWYU pragma: export
#include "mechanisms/coalition/verdict.hpp"      // IWYU pragma: export
