#pragma once
// Interior reward properties and conditional no total indifference (spec 001
// §1.12, §1.13, §5.5; Definitions 6, 9 and 12).
//
// Interior reward properties. Def 6 (coalitional) and Def 9 (𝒮) ask for a
// countable menu Ŷ inside the reward set Y with (i) two menu items that agent
// i ranks strictly under *every* belief and (ii) closure of Y under mixing any
// y ∈ Y with menu items. Clause (ii) quantifies over the infinite, non-convex
// Y (a union of polytopes), so no exact finite test is known. The test here is
// only sufficient:
//
//   W = {a ∈ Δ(X) : u_j(a, θ) ≤ u_j(f(θ), θ) ∀ j ∈ I, ∀ θ ∈ Θ}
//
// is the polytope of "universally dominated" lotteries. A constant reward in W
// satisfies every disjunct of every key of every reward set, and mixing it into
// any y keeps y's witness at each key, because it is weakly below f for every
// agent at every state. So if for each agent i the LP
//
//   t*_i = max t  s.t.  ā_i, a̲_i ∈ W,  u_i(ā_i, θ) − u_i(a̲_i, θ) ≥ t  ∀ θ
//
// has t*_i > 0, then Ŷ_i = {ā_i, a̲_i} gives Def 6 and Ŷ_S[𝒮] = ∪_{i∈S}{ā_i, a̲_i}
// gives Def 9 for every pattern and every S ∈ D(𝒮): under any belief the
// expected difference is ≥ t*_i. A margin within the tie band (or an empty W)
// proves nothing, and the property is then UNKNOWN, not false: it is not
// necessary for implementation either.
//
// CNTI (Def 12, Bergemann–Morris 2011). With the B&M reward set
//
//   R = R_i(θ'_{−i}) = {a ∈ Δ(X) : u_i(a, (θ''_i, θ'_{−i})) ≤ u_i(f(θ''_i, θ'_{−i}), (θ''_i, θ'_{−i})) ∀ θ''_i},
//
// CNTI holds at (i, θ_i, θ'_{−i}) iff no belief φ ∈ Δ(Θ_{−i}) makes
// w_φ(x) = Σ_{θ_{−i}} φ(θ_{−i}) u_i(x, (θ_i, θ_{−i})) constant on R. The
// smallest spread min_φ [max_R w_φ − min_R w_φ] is not an LP as it stands (a
// max minus a min), but dualising both inner programs (C a ≤ c the k_i rows of
// R, the free μ, μ' pricing Σ_x a_x = 1) turns it into the §5.5 LP
//
//   min c·λ + μ + c·λ' − μ'  s.t.  Cᵀλ + μ1 ≥ w_φ,  −Cᵀλ' + μ'1 ≤ w_φ,  λ, λ' ≥ 0,  φ ∈ Δ.
//
// Clp is handed the LP dual of that program instead, which is the interior LP
// again with R in place of W:
//
//   max t  s.t.  ā, a̲ ∈ R,  u_i(ā, (θ_i, θ_{−i})) − u_i(a̲, (θ_i, θ_{−i})) ≥ t  ∀ θ_{−i},
//
// and φ is read off its row duals. The two optima are equal, but the §5.5 side
// has an unbounded optimal face whenever a row of R is tight on all of R (R a
// single point, say): (λ, μ) can run along (e_r, −c_r) for free, Clp's dual
// simplex leaves them near 1e10, and c·λ + μ cancels to an
// error of order 1e-6, far outside the tie band (seen on random integer
// instances). The max-t side lives on a compact polytope, and it reports an
// empty R as infeasibility (no pair exists, so CNTI fails there) where the
// §5.5 side would be unbounded. The test suite solves the §5.5 LP literally and
// checks both against brute force over φ. CNTI implies the interior 𝒮̲ reward
// property (Corollary 1, Step 1), a route independent of the W test.
//
// Indices: θ_i is a type of agent i; θ'_{−i} is an index into Θ_{−i} in the
// order of ProfileSpace::embed(all_agents(n) & ~singleton(i)); beliefs φ are
// vectors over that same order. Decisions use Instance::tie as the band.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

// The best rankable pair of universally dominated lotteries for one agent.
// margin = min_θ [u_i(upper, θ) − u_i(lower, θ)], recomputed from the returned
// lotteries (so it describes exactly what is returned). When W is empty there
// is no pair: margin is −∞ and both lotteries are empty.
struct InteriorPair {
  double margin = 0.0;
  std::vector<double> upper;  // ā_i
  std::vector<double> lower;  // a̲_i
};

struct InteriorTest {
  std::vector<InteriorPair> agents;  // by agent
  // Every margin exceeds the tie band: the interior coalitional property and
  // every interior 𝒮 property hold. false means UNKNOWN, never "fails".
  bool passes = false;
  double min_margin = 0.0;  // over agents; −∞ when W is empty
};

InteriorTest interior_reward_test(const Instance& instance);

// a ∈ W within the tie band: a is a probability vector (within 1e-9) and
// u_j(a, θ) ≤ u_j(f(θ), θ) + tie for every agent j and profile θ. Throws
// std::invalid_argument when the length is not the number of outcomes.
bool universally_dominated(const Instance& instance, std::span<const double> lottery);

// One (i, θ_i, θ'_{−i}) point of CNTI: gap = min_φ [max_R w_φ − min_R w_φ] and
// a minimising φ. When R is empty, empty_reward_set is set, gap is 0 and the
// belief is uniform (any belief fails). Throws std::invalid_argument for an
// agent, type or θ'_{−i} index out of range.
struct CntiPoint {
  double gap = 0.0;
  std::vector<double> belief;  // φ over Θ_{−i}
  bool empty_reward_set = false;
};

CntiPoint cnti_point(const Instance& instance, int agent, int type, std::size_t others);

// A point where CNTI fails: the agent cannot rank any two rewards in
// R_i(θ'_{−i}) under `belief`.
struct CntiWitness {
  int agent = 0;
  int type = 0;                // θ_i
  std::size_t others = 0;      // θ'_{−i}, index into Θ_{−i}
  std::vector<double> belief;  // the minimising φ over Θ_{−i}
  double gap = 0.0;
  bool empty_reward_set = false;
};

struct CntiResult {
  bool holds = true;
  std::uint64_t failing_points = 0;    // (i, θ_i, θ'_{−i}) with gap ≤ tie
  std::optional<CntiWitness> witness;  // the first, in (i, θ_i, θ'_{−i}) order
};

CntiResult conditional_no_total_indifference(const Instance& instance);

}  // namespace mechsweep::coalition
