#pragma once
// Reward sets (spec 001 §1.9, §5.2 "Representing Y_S[𝒮]").
//
// Y_S[𝒮] is the set of reward functions y : Θ_{−S} → Δ(X) such that for every
// key κ = (S̄ ∈ Up(S, 𝒮), θ''_{S̄}, θ'_{S̄∖S}) some member j ∈ S̄ is weakly worse
// off than under truthful f in every outsider state:
//   u_j(y(θ'_{S̄∖S}, θ_{−S̄}), θ̄) ≤ u_j(f(θ̄), θ̄)  ∀ θ_{−S̄},  θ̄ = (θ''_{S̄}, θ_{−S̄}).
// It depends on 𝒮 only through the up-set Up(S, 𝒮). Y_i = Y_{{i}}[𝒮̄] and the
// Bergemann–Morris set is Y_{{i}}[𝒮̲].
//
// Each key is a disjunction over its members, so Y is a finite union of
// polytopes ("pieces", one per choice of a member at every key) and is not
// convex in general. RewardSet keeps the keys in a pruned form:
//   * a key whose member set is one agent is a plain linear row ("always" row);
//   * a disjunct that every lottery satisfies, or whose rows are all always
//     rows, makes its key vacuous: the key is dropped;
//   * a disjunct no lottery satisfies is dropped from its key (a key left with
//     no disjunct makes Y empty), and a key left with one becomes always rows;
//   * rows every lottery satisfies are dropped.
// The variables are y[c][x] for the components c ∈ Θ_{−S} (index within Θ_{−S})
// and outcomes x. Keys that touch several components couple them; components
// linked by keys form independent blocks, and Y is the product of its blocks.

#include <cstdint>
#include <span>
#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

// Σ_x y[component][x]·u_member(x, profile) ≤ u_member(f(profile), profile).
struct RewardRow {
  std::uint32_t component = 0;
  std::uint32_t member = 0;
  std::uint32_t profile = 0;
  friend bool operator==(const RewardRow&, const RewardRow&) = default;
  friend auto operator<=>(const RewardRow&, const RewardRow&) = default;
};

struct RewardDisjunct {
  std::vector<RewardRow> rows;
};

struct RewardKey {
  std::vector<RewardDisjunct> disjuncts;  // at least two after pruning
};

class RewardSet {
 public:
  // up_set: the coalitions S̄ ⊇ S whose keys apply (Up(S, 𝒮)); others are ignored.
  RewardSet(const Instance& instance, Coalition s, std::span<const Coalition> up_set);

  Coalition coalition() const { return coalition_; }
  std::size_t components() const { return components_; }
  bool empty() const { return empty_; }  // some key has no satisfiable disjunct
  const std::vector<RewardRow>& always_rows() const { return always_; }
  const std::vector<RewardKey>& keys() const { return keys_; }

  // Blocks of components coupled by keys: block_of(c), and the keys of each block.
  std::size_t blocks() const { return block_keys_.size(); }
  std::uint32_t block_of(std::size_t component) const { return block_of_[component]; }
  const std::vector<std::uint32_t>& block_keys(std::size_t block) const { return block_keys_[block]; }
  // Pieces of one block: ∏ over its keys of the disjunct count (saturating at 2^62).
  std::uint64_t block_pieces(std::size_t block) const;

  // Whether a block has any reward at all: −1 unknown, else 0/1. Filled lazily
  // by the clause solver, which is the only code that needs an LP for it.
  std::int8_t& block_nonempty(std::size_t block) const { return block_nonempty_[block]; }

  // y has components()·m entries, y[c·m + x]. Exact membership (within the tie band).
  bool contains(std::span<const double> y) const;

  // Row value: Σ_x y_x·u − u(f) for one lottery (≤ tie means the row holds).
  double row_excess(const RewardRow& row, std::span<const double> lottery) const;
  double row_bound(const RewardRow& row) const;
  std::span<const double> row_coefficients(const RewardRow& row) const;

 private:
  const Instance* instance_;
  Coalition coalition_;
  std::size_t components_;
  bool empty_ = false;
  std::vector<RewardRow> always_;
  std::vector<RewardKey> keys_;
  std::vector<std::uint32_t> block_of_;
  std::vector<std::vector<std::uint32_t>> block_keys_;
  mutable std::vector<std::int8_t> block_nonempty_;
};

}  // namespace mechsweep::coalition
