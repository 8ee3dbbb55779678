#pragma once
// The paper's appendix examples (spec 004 §3.1–3.4, errata §6.1 items 6–9),
// each computed exactly and returned as scalars and short vectors so that the
// experiment `persuasion.appendix` can store one record per call.
//
// Appendix A (§3.1) rests on one observation: under independent signals the
// exact receiver sees only the posterior means μ_i, each a finitely supported
// random variable, and U_i = E[μ_i x_i]. So every independent signaling policy
// with uniform tie-breaking is "full revelation of the posterior means":
// FullRevelation(f, posterior_mean_prior(prior, schemes)).uniform_tie_break().
// Appendices B and C are small linear programs (Clp through solvers/lp.hpp).
//
// ─── appendix_a(n, options) ─── select one among agents 0..n (§3.1)
//   n        int ≥ 2   agents 1..n are i.i.d. {√n w.p. q, 1 otherwise}, q = 1/√n;
//                      agent 0 is deterministic 2 − q. n = 1 would make the prior
//                      degenerate (q = 1, V = 1: every agent is deterministic 1),
//                      so it is rejected. n ≤ kAppendixAMaxAgents.
//   options  OracleOptions for the FullRevelation oracle (automatic: the
//            Poisson-binomial oracle of the 1-uniform matroid).
//   Returns, for each policy (no revelation, full revelation, the designed
//   HIGH/LOW signal with p = 1/(nq)), U_0, U_i (i ≥ 1), welfare and min
//   utility; plus q, V = √n, the prior mean 2 − q, p, the HIGH and LOW
//   posteriors (LOW from Bayes' rule: (2 − q − p)/(1 − pq) = 2√n/(√n + 1); the
//   paper's printed value is a typo, §6.1 item 6), Pr[all LOW] = (1 − 1/n)^n,
//   the Bayes-plausibility residual and the max-min gain of the designed
//   policy over no revelation, which is Θ(√n) in utility units (§3.1
//   "discrepancy": the paper's Θ(1/n) is a selection probability).
//
// ─── appendix_b(n, M) ─── conv{u^(1..n)}, u^(j)_k = M^j for k ≥ j (§3.2)
//   n  int in [1, kAppendixBMaxAgents];  M  double, finite, M > n (default n³).
//   Every x(p) = Σ p_j u^(j) is sorted, so Q_j(x(p)) = Σ_{i≤j} p_i M^i (j−i+1)
//   and Q*_j = M^j. β* = 1/t* with t* = max t over the simplex subject to
//   Q_j(x(p)) ≥ t·M^j (row j divided by M^j for conditioning), solved by Clp
//   and, where the duality certificate holds (every case tried), exactly by
//   equalising all n ratios. The paper's bound is β* ≥ n/(1 + n²/M); uniform
//   p gives β* ≤ n.
//   Caveat (§6.1 item 7): the example ignores the receiver's welfare
//   maximisation — with v ≡ 1 the receiver would always pick u^(n). The bound
//   is about majorization over a feasible set, not about persuasion.
//
// ─── appendix_c1(n, N) ─── feasible allocations ≠ feasible utilities (§3.3)
//   n  int in [1, kAppendixC1MaxGroups];  N  double, finite, N > n^{2n} (the
//   theory needs N = ω(n^{2n}); N ≤ n^{2n} makes the partner value N − n^{2n}
//   non-positive).
//   2n agents (0-based here: group i = {i, 2n−1−i}, the spec's fixed indexing
//   g_i = {i, 2n+1−i} in 1-based terms), feasible set conv{1[g_1..g_n]}, i.e. a
//   distribution p over the groups; values v_i = n^{2i} and v_{2n+1−i} =
//   N − n^{2i} (1-based i ≤ n). Q_j(U) ≥ s ⇔ U(S) ≥ s for every j-subset S,
//   so Q*_j = max s over p of that LP (one row per j-subset), and the best
//   ratio α = min_p max_j Q*_j / Q_j(U(p)) = 1/τ* with τ* = max τ s.t.
//   U(S)/Q*_j ≥ τ for every S (|S| = j, all j). Every binding row then has
//   activity O(1); the Goel–Meyerson form (t_k ≤ U_k, t_k ≤ m) would sum
//   utilities from n² to N in one row, beyond Clp's absolute tolerances.
//   Q*_j and α are evaluated at the returned maximisers, so each is attained.
//   (The spec's n = 3 row misprints Q*_2, Q*_4 and Q*_5; the corrected closed
//   forms are in appendix_test.cpp.)
//
// ─── appendix_c2() ─── saturation is not enough (§3.4)
//   h = (0, 1, 1.9, 2.5), g(S) = h(|S|) on 3 elements; B(g)'s vertices are
//   the greedy vertices for the 6 orders (permutations of (1, 0.9, 0.6)); the
//   cut polytope conv(vertices) ∩ {x_0 − x_1 ≤ 0.39} has saturation function
//   max_{x∈cut} x(S) = g(S) on all 7 nonempty S, yet excludes the vertex
//   (1, 0.6, 0.9) and contains the new vertices (0.99, 0.6, 0.91) and
//   (1, 0.61, 0.89). (The paper's "x = 0.6 ↔ y+z = 1.5" is a typo for 1.9,
//   §6.1 item 9.)
//
// Rejected inputs throw std::invalid_argument("persuasion: <param> = <found>,
// expected …").

#include <span>
#include <vector>

#include "mechanisms/persuasion/full_revelation.hpp"
#include "mechanisms/persuasion/prior.hpp"

namespace mechsweep::persuasion {

// ─── Independent signaling schemes ──────────────────────────────────────────

// One agent's mapping rule (spec §1.2): law[s][σ] = Pr[σ | v = values[s]],
// where values[s] is the s-th support point of the agent's ValueDistribution
// (values sorted descending). Every row has the same number of signals ≥ 1 and
// sums to 1 within 1e-12.
struct SignalScheme {
  std::vector<std::vector<double>> law;
};

// One signal for every value: the posterior mean is the prior mean.
SignalScheme uninformative_scheme(const ValueDistribution& distribution);
// The signal names the value: the posterior-mean law is D_i itself.
SignalScheme revealing_scheme(const ValueDistribution& distribution);

// Posterior means closer than this (relative) are one mean. Floating-point
// Bayes' rule can split a tie that holds in exact arithmetic by an ulp, and
// ties between agents are the whole full-revelation lever (spec §6.3).
inline constexpr double kPosteriorTieTolerance = 1e-12;

// Agent i's distribution of μ_i(σ_i): one atom per signal with positive
// probability, at μ = E[v_i | σ] (Bayes' rule); signals with equal means are
// merged, and means within `tie_tolerance` (relative) of each other — within
// one agent or across agents — are snapped to the smallest of them. Validates
// the schemes against the prior (one per agent, one row per support point).
Prior posterior_mean_prior(const Prior& prior, const std::vector<SignalScheme>& schemes,
                           double tie_tolerance = kPosteriorTieTolerance);
// max_i |E[μ_i] − θ_i|: zero for a Bayes-plausible posterior-mean law, up to
// rounding and the snapping above.
double bayes_plausibility_residual(const Prior& prior, const Prior& posterior_means);

// ─── Appendix A (§3.1) ──────────────────────────────────────────────────────

// The uniform tie-break over n tied agents costs O(n²) per oracle call: ~1 s
// per policy at n = 10⁴ in Release, ~100 s at the cap.
inline constexpr int kAppendixAMaxAgents = 100'000;

// Agent 0: deterministic 2 − q; agents 1..n: {√n: q, 1: 1 − q}, q = 1/√n.
Prior appendix_a_prior(int n);

struct AppendixAPolicy {
  double agent0_utility = 0.0;  // U_0
  double other_utility = 0.0;   // U_i, i ≥ 1 (the mean over i; equal by symmetry)
  double other_spread = 0.0;    // max_{i≥1} U_i − min_{i≥1} U_i (rounding only)
  double welfare = 0.0;         // Σ_i U_i
  double min_utility = 0.0;     // min over all n + 1 agents (max-min fairness)
};

struct AppendixAResult {
  int n = 0;
  double q = 0.0;            // 1/√n
  double value_scale = 0.0;  // V = 1/q = √n
  double prior_mean = 0.0;   // 2 − q, every agent's θ_i
  AppendixAPolicy no_revelation;
  AppendixAPolicy full_revelation;                // ties uniform (the 1-majorized FR point by symmetry)
  AppendixAPolicy designed;                       // HIGH/LOW signal, ties uniform
  double designed_p = 0.0;                        // Pr[HIGH | v = √n] = 1/(nq)
  double high_posterior = 0.0;                    // E[v | HIGH] = √n
  double low_posterior = 0.0;                     // E[v | LOW] = (2 − q − p)/(1 − pq)
  double all_low_probability = 0.0;               // (1 − qp)^n = (1 − 1/n)^n
  double bayes_residual = 0.0;                    // max over the three policies
  double maxmin_gain = 0.0;                       // designed.min_utility / no_revelation.min_utility
  OracleMethod method = OracleMethod::automatic;  // the oracle that computed the utilities
};

AppendixAResult appendix_a(int n, OracleOptions options = {});

// ─── Appendix B (§3.2) ──────────────────────────────────────────────────────

inline constexpr int kAppendixBMaxAgents = 1000;

struct AppendixBResult {
  int n = 0;
  double M = 0.0;
  double beta_star = 0.0;            // 1/t*, the best majorization factor
  double t_star = 0.0;               // max_p min_j Q_j(x(p))/Q*_j
  double paper_bound = 0.0;          // n/(1 + n²/M) ≤ β*
  std::vector<double> p;             // an optimal mixture over u^(1..n)
  std::vector<double> prefix_ratio;  // Q_j(x(p))/Q*_j, j = 1..n (each ≥ t*)
  // true: p equalises every ratio and a dual solution of the same value
  // exists (see appendix.cpp), so β* is exact up to rounding; false: p and β*
  // are Clp's.
  bool certified = false;
  double lp_beta_star = 0.0;  // 1/min_j ratio of Clp's mixture (agrees within its tolerances)
};

AppendixBResult appendix_b(int n, double M);
// M = n³ (needs n ≥ 2 so that M > n).
AppendixBResult appendix_b(int n);

// ─── Appendix C(1) (§3.3) ───────────────────────────────────────────────────

// The programs have 4^n rows: n = 5 solves in ~0.5 s, n = 6 in ~40 s. (The
// values also span n^{2n}, 2·10⁹ at n = 6, near what doubles resolve.)
inline constexpr int kAppendixC1MaxGroups = 5;

struct AppendixC1Result {
  int n = 0;
  double N = 0.0;
  std::vector<double> values;       // v_1..v_{2n} (agent k at index k−1)
  std::vector<double> best_prefix;  // Q*_j, j = 1..2n
  double alpha = 0.0;               // min_p max_j Q*_j / Q_j(U(p))
  std::vector<double> p;            // an optimal distribution over g_1..g_n
  std::vector<double> utilities;    // U(p) at that p, 2n entries
  std::vector<double> prefix;       // Q_j(U(p)), j = 1..2n
};

AppendixC1Result appendix_c1(int n, double N);

// ─── Appendix C(2) (§3.4) ───────────────────────────────────────────────────

struct AppendixC2Result {
  std::vector<double> h;         // (0, 1, 1.9, 2.5)
  double cut = 0.0;              // x_0 − x_1 ≤ cut = 0.39
  std::vector<double> vertices;  // 6 × 3, row-major: greedy vertices of g for the orders in lexicographic order
  bool vertices_are_permutations = false;  // each is a permutation of (1, 0.9, 0.6)
  std::vector<double> saturation;          // max_{x ∈ cut polytope} x(S), S = bitmask 1..7
  std::vector<double> rank;                // g(S), same order
  double max_saturation_gap = 0.0;         // max_S |saturation − rank|
  bool removed_vertex_inside = true;       // (1, 0.6, 0.9) ∈ cut polytope (false: it is cut off)
  bool new_vertices_inside = false;        // (0.99, 0.6, 0.91) and (1, 0.61, 0.89) ∈ cut polytope
  double new_vertices_cut_gap = 0.0;       // max over the two of |x_0 − x_1 − cut| (0: on the cut)
};

AppendixC2Result appendix_c2();
// Whether a point of R³ is in conv(B(g) vertices) ∩ {x_0 − x_1 ≤ 0.39} (an LP
// feasibility problem over the convex weights).
bool appendix_c2_cut_polytope_contains(std::span<const double> point);

}  // namespace mechsweep::persuasion
