#pragma once
// Fair multi-agent persuasion with submodular constraints (paper 004, Bai,
// Munagala, Shen & Zhu; spec 004).
//
// A sender sees the agents' independent values v_i ~ D_i (finite supports in
// [1, V]) and sends each agent's signal independently; the receiver turns
// signals into posterior means μ and picks a welfare-maximising allocation in
// a polymatroid P(f); the sender breaks ties. Agent i's utility is μ_i·x_i.
// Fairness is majorization: Q_j(U), the sum of the j smallest expected
// utilities, should be close to the best achievable for every j at once.
//
//   file                   spec            what
//   polymatroid.hpp        §1.3 §6.4       rank functions (uniform, partition, laminar caps, budget, click,
//                                          concave of cardinality, explicit table) behind one variant; greedy
//                                          vertices, base-polytope membership, the polymatroid validator
//   prior.hpp              §1.1 §6.3 §6.4  finite value distributions, validated, ties kept exact
//   full_revelation.hpp    §2.1 §2.2 §4.3  g(S; v) of Lemma 3.2; G(S) = E_v g and its vertex oracle D1 by
//                          §5              enumeration, Poisson-binomial DP, click products or Monte Carlo;
//                                          uniform tie-breaking, no revelation, W_FR(S) and UB_j
//   majorization.hpp       §1.6 §1.7 §4.2  Q_j, the empirical ratio α̂ (0/0 = 1), welfare, min, Nash, Gini
//   min_norm.hpp           §2.2 A1 A2 D2   U* as the min-norm point of B(G): Wolfe, Frank–Wolfe, exact
//                                          decomposition (A1, n ≤ 20), Carathéodory mixtures of priority orders
//   mwu.hpp                §2.3            Theorem 3.3's multiplicative weights, the reference path
//   buckets.hpp            §1.4 §6.1       K = ⌈ln V / ln(1+ε)⌉ buckets, last one closed at V
//   maximal_mapping.hpp    §2.4 A3         Def 4.6's maximal mappings in closed form (and the LP, for tests)
//   bucketed_receiver.hpp  §2.4 A4         Ĝ and its vertex oracle, the randomised single-mean policy's fake,
//                                          canonical and true utilities, Theorem 4.9's certificate
//   appendix.hpp           §3.1–§3.4       Appendices A–C; posterior-mean priors of independent signal schemes
//
// Parameters of a persuasion.market sweep point (the experiment's header has
// the full table):
//
//   parameter      type     range                                   meaning
//   agents         int      1..1000                                 n (market size)
//   distribution   choice   two_point | random_two_point |          the value distributions D_i
//                           uniform_grid | geometric | random_grid
//   value_scale    real     ≥ 1                                     V
//   constraint     choice   uniform | partition | laminar |         the polymatroid f
//                           budget | click
//   capacity       real     (0, 1]                                  k/n, k_g/|E_g|, B/Σc
//   epsilon        real     ≥ 0                                     bucket width (0: exact receiver only)
//   oracle         choice   automatic | enumerate | monte_carlo     how E_v is taken
//
// Values are doubles compared exactly (ties are the fairness lever of full
// revelation, spec §6.3); every Monte Carlo sample is drawn once from a seed.

#include "mechanisms/persuasion/appendix.hpp"           // IWYU pragma: export
#include "mechanisms/persuasion/bucketed_receiver.hpp"  // IWYU pragma: export
#include "mechanisms/persuasion/full_revelation.hpp"    // IWYU pragma: export
#include "mechanisms/persuasion/majorization.hpp"       // IWYU pragma: export
#include "mechanisms/persuasion/min_norm.hpp"           // IWYU pragma: export
#include "mechanisms/persuasion/mwu.hpp"                // IWYU pragma: export
#include "mechanisms/persuasion/polymatroid.hpp"        // IWYU pragma: export
#include "mechanisms/persuasion/prior.hpp"              // IWYU pragma: export
