#pragma once
// Proposition 2 (negative results) as constructive demonstrations
// (spec 000 §2.4, §4.2 "Negative results", §5.5, §6.1 item 11).
//
// (1) Strict monotonicity. T = {0, …, L−1} in increasing order; outcomes are
// vectors in ℝ^n with the coordinatewise strict partial order (o' > o iff
// o' ≥ o everywhere and o' ≠ o). A family M of rules (equally likely members
// of an FPRE) that are all strictly monotone fails unimprovability: with the
// utility u_i(t, o) = r(o) for a strictly order-preserving r (here r(o) = Σ_j o_j,
// which needs no enumeration of 𝒪), a recommended τ_i < L−1 and the deviation
// τ'_i = τ_i + 1 give ν(τ'_i, τ_{−i}) > ν(τ) for every ν ∈ M and every τ_{−i}:
// improvement probability exactly 1. A maximal τ_i = L−1 uses u = −r and
// τ'_i = τ_i − 1 (spec §2.4 step 4; needs L ≥ 2). [erratum §6.1 item 11: the
// printed proof needs a non-maximal recommendation.]
//
// Demonstration family: free-disposal shares ν(τ)_i = σ(τ_i)/n with σ strictly
// increasing into (0, 1), a different random σ per member (symmetric, strictly
// monotone).
//
// (2) Continuity. The Prop 3 family with a FIXED band (no β randomisation) and
// β_0 > 0 (spec §2.4 "finite demonstration"). Agent 0 of the on-path base
// profile (0, 1, …, n−1) guesses the fresh index n with password part w'
// (default 1/2); on the plateau |w' − ε_n| ≤ β_0 it gets ν*(n, k_{−0}), which
// it strictly prefers (demonstration base rule of continuity.hpp, u_i = x_i).
// The plateau probability is 6β_0 at w' = 1/2 for β_0 ≤ 1/6 (the lower bound
// "applies"), and the exact strict-improvement probability is
// Pr[|w' − ε| < β_0 + θ(β_1 − β_0)], θ = 1 − s/s', which is ≥ it.
//
// Parameters (FixedBandParams):
//   name            type    default  range                meaning
//   n               int     2        ≥ 2                  agents
//   beta0           double  0.05     (0, beta1)           plateau half-width
//   beta1           double  0.1      (beta0, 1/3)         outer half-width
//   guess_password  double  0.5      [0, 1)               w' of the guess

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "mechanisms/fpre/continuity.hpp"

namespace mechsweep::fpre {

using ShareOutcome = std::vector<double>;
using FiniteRule = std::function<ShareOutcome(std::span<const int>)>;  // T^n → 𝒪, T = {0, …, L−1}
using ShareUtility = std::function<double(const ShareOutcome&)>;

struct MonotoneFamily {
  int agents = 2;
  int types = 2;                  // L = |T|
  std::vector<FiniteRule> rules;  // equally likely members of M
};

// Coordinatewise strict dominance: a ≥ b everywhere and a ≠ b.
bool strictly_dominates(std::span<const double> a, std::span<const double> b);

// Exhaustive checks over T^n (requires L^n ≤ 10^6).
bool is_strictly_monotone(const FiniteRule& rule, int agents, int types);
bool is_symmetric(const FiniteRule& rule, int agents, int types);

// Throws std::invalid_argument("fpre: …") unless n ≥ 2, L ≥ 2, M is non-empty,
// and every member maps into finite n-vectors and is strictly monotone (the
// class is non-empty; spec §6.2 "strict-monotone mode").
void validate(const MonotoneFamily& family);

// Demonstration family of `members` rules ν(τ)_i = σ_m(τ_i)/n.
MonotoneFamily demo_monotone_family(int agents, int types, std::size_t members, std::uint64_t seed);

struct MonotoneCertificate {
  std::size_t agent = 0;
  int recommended = 0;  // τ_i (common to every member's recommendation)
  int deviation = 0;    // τ'_i = τ_i ± 1
  int direction = +1;   // +1: u = r, deviate up; −1: u = −r, deviate down
  std::uint64_t members = 0;
  std::uint64_t dominated = 0;           // members with ν(τ') > ν(τ) (or < for −1)
  std::uint64_t improved = 0;            // members with u(ν(τ')) > u(ν(τ))
  double improvement_probability = 0.0;  // improved/members: exactly 1
};

// Prop 2(1). recommendations[m] is member m's recommended profile; all share
// the agent's entry τ_i (the event Def 2 conditions on).
MonotoneCertificate certify_monotone_failure(const MonotoneFamily& family, std::size_t agent,
                                             std::span<const std::vector<int>> recommendations);

// For a given utility (not chosen adversarially): the fraction of members where
// moving τ_i by `step` (±1) strictly improves u (spec §2.4 step 6).
double monotone_improvement_probability(const MonotoneFamily& family, std::size_t agent,
                                        std::span<const std::vector<int>> recommendations, int step,
                                        const ShareUtility& utility);

struct FixedBandParams {
  int n = 2;
  double beta0 = 0.05;
  double beta1 = 0.1;
  double guess_password = 0.5;
};
void validate(const FixedBandParams& params);

struct ContinuityCounterexample {
  std::int64_t deviation_index = 0;     // k' = n (fresh)
  double deviation_password = 0.0;      // w'
  double on_path_share = 0.0;           // s = ν*(k)_0
  double guessed_share = 0.0;           // s' = ν*(k', k_{−0})_0 > s
  double plateau_probability = 0.0;     // Pr[|w' − ε| ≤ β_0], exact
  bool lower_bound_applicable = false;  // plateau inside (1/3, 2/3): 6β_0 exact
  double lower_bound = 0.0;             // 6β_0 when applicable, else the plateau probability
  double improvement_exact = 0.0;       // ≥ lower_bound
  Estimate plateau_mc;
  Estimate improvement_mc;
};

// Prop 2(2): exact values and a seeded Monte Carlo over ε (β fixed).
ContinuityCounterexample demonstrate_continuity_failure(const FixedBandParams& params, std::uint64_t seed,
                                                        std::uint64_t samples);

}  // namespace mechsweep::fpre
