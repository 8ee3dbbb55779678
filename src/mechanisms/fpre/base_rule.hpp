#pragma once
// The canonical symmetric base rule ν_base : S^n → 𝒪 of spec 000 §1.7.2
// [derived proposal, so that known answers are deterministic].
//
//  1. The target outcomes O_tgt (μ(Θ) for implementation, or all of 𝒪 for
//     literal surjectivity) split into S_n-orbits; the canonical
//     representative of an orbit is its coordinates sorted ascending, and the
//     distinct representatives ρ_0 < … < ρ_{R−1} are sorted lexicographically.
//  2. K_min(n, R) = min{K ≥ n : C(K, n) ≥ R}.
//  3. Orbit r owns the r-th n-subset of S = {0,…,K−1} in colex order.
//  4. ν_base(s): if the entries of s are distinct and {s_1,…,s_n} is owned by
//     orbit r, agent i gets ρ_r[rank of s_i among the entries]; else o*.
//  5. s*(o): the subset {a_0 < … < a_{n−1}} of o's orbit, given to the agents
//     in the order (o_i, i) ascending; ν_base(s*(o)) = o.
//
// ν_base is symmetric by construction; its image is the permutation closure of
// O_tgt plus o*. Every permutation of a target must be an outcome of 𝒪
// (spec §6.2), or construction throws.

#include <cstdint>
#include <span>
#include <vector>

#include "mechanisms/fpre/environment.hpp"

namespace mechsweep::fpre {

// C(k, n), saturating at INT64_MAX.
std::int64_t binomial(std::int64_t k, int n);
// min{K ≥ n : C(K, n) ≥ R}; R ≥ 1.
std::int64_t k_min(int n, std::int64_t orbits);
// The r-th (0-based) n-subset of ℕ in colex order, ascending.
std::vector<std::int64_t> colex_subset(std::int64_t rank, int n);
// Σ_j C(a_j, j + 1) for an ascending subset a.
std::int64_t colex_rank(std::span<const std::int64_t> subset);
// The canonical orbit representative: coordinates sorted ascending.
Outcome canonical_representative(const Outcome& x);

class BaseRule {
 public:
  // Targets are outcome indices of env; `indices` = K, or 0 for K_min.
  // Throws when K < K_min or when a permutation of a target is not in 𝒪.
  BaseRule(const Environment& env, std::span<const int> targets, std::int64_t indices = 0);

  int agents() const { return agents_; }
  std::int64_t index_count() const { return indices_; }
  std::int64_t orbit_count() const { return static_cast<std::int64_t>(representatives_.size()); }
  std::int64_t minimal_index_count() const { return k_min(agents_, orbit_count()); }
  const std::vector<Outcome>& representatives() const { return representatives_; }
  int fallback() const { return fallback_; }

  // ν_base(s) as an outcome index; entries must lie in [0, K).
  int evaluate(std::span<const std::int64_t> s) const;
  // s*(o) for a target outcome (or a permutation of one); throws otherwise.
  std::vector<std::int64_t> indices_for(int outcome) const;
  // Distinct outcomes ν_base can produce (permutations of targets and o*), sorted.
  const std::vector<int>& image() const { return image_; }

 private:
  int orbit_of(const Outcome& x) const;

  const Environment* env_;
  int agents_;
  std::int64_t indices_;
  int fallback_;
  std::vector<Outcome> representatives_;
  std::vector<int> image_;
};

}  // namespace mechsweep::fpre
