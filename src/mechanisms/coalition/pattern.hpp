#pragma once
// Coalition patterns (spec 001 §1.3, §4.2): the family 𝒮 of coalitions that can
// form. A pattern always holds every singleton and never the empty set; the
// constructor rejects anything else. It is stored as a set of coalition masks
// (bit S set ⇔ S ∈ 𝒮), so membership, subset tests and up-sets are bit logic.
//
// Families (the `pattern_family` parameter of coalition.patterns):
//
//   family               parameter          pattern
//   singletons           —                  𝒮̲ = {{i}} (Bergemann–Morris)
//   all                  —                  𝒮̄ = 2^I ∖ {∅} (strong equilibrium)
//   grand                —                  𝒮̲ ∪ {I}
//   size_bounded         q ∈ 1..n           {S : |S| ≤ q}
//   party_blocks         a partition P      𝒮̲ ∪ {blocks of P}
//   party_subsets        a partition P      𝒮̲ ∪ {all subsets of blocks of P}
//   connected            a graph G          {S : S connected in G}
//   random               p, seed            each non-singleton independently with probability p
//   labeled              n ≤ 4              every labeled pattern (2^{2^n−n−1})
//   isomorphism_classes  n ≤ 4              one canonical pattern per orbit under relabeling agents

#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "mechanisms/coalition/environment.hpp"

namespace mechsweep::coalition {

class Pattern {
 public:
  // Throws std::invalid_argument when a coalition is empty or names an agent
  // outside 0..n−1, or when a singleton is missing. Duplicates are merged.
  Pattern(int agents, const std::vector<Coalition>& coalitions);

  static Pattern singletons(int agents);
  static Pattern all(int agents);
  // Singletons plus the given non-singleton coalitions (singletons added for you).
  static Pattern with_singletons(int agents, const std::vector<Coalition>& extra);
  // Singletons plus the non-singleton coalitions whose ordinal bits are set;
  // non-singletons are numbered in increasing mask order (n ≤ 6: 57 bits).
  static Pattern from_bits(int agents, std::uint64_t non_singleton_bits);

  int agents() const { return agents_; }
  bool contains(Coalition s) const { return members_.test(s); }
  // Sorted by mask.
  std::vector<Coalition> coalitions() const;
  std::size_t size() const { return members_.count(); }
  std::uint64_t non_singleton_bits() const;  // inverse of from_bits; n ≤ 6

  // Up(S, 𝒮) = {S̄ ∈ 𝒮 : S ⊆ S̄}, as a set of masks.
  std::vector<Coalition> up_set(Coalition s) const;
  // S ∈ D(𝒮): S lies inside some member of 𝒮.
  bool in_downward_closure(Coalition s) const;
  bool is_subset_of(const Pattern& other) const;
  // The pattern with agent i renamed permutation[i].
  Pattern relabeled(const std::vector<int>& permutation) const;

  // "{0,1} {2}"-style listing of the non-singletons, or "singletons".
  std::string describe() const;

  friend bool operator==(const Pattern&, const Pattern&) = default;

 private:
  Pattern() = default;
  int agents_ = 0;
  std::bitset<(1U << kMaxAgents)> members_;
};

// A partition of the agents as a block index per agent (blocks 0..B−1).
using Partition = std::vector<int>;
// An undirected graph on the agents as an edge list.
using Edges = std::vector<std::pair<int, int>>;

Pattern size_bounded(int agents, int max_size);
Pattern party_blocks(const Partition& partition);
Pattern party_subsets(const Partition& partition);
Pattern connected_coalitions(int agents, const Edges& edges);
// Deterministic in (agents, probability, seed).
Pattern random_pattern(int agents, double probability, std::uint64_t seed);

// All set partitions of n agents in restricted-growth form (Bell(n) of them).
std::vector<Partition> set_partitions(int agents);
// Every labeled pattern (n ≤ 4), in increasing non_singleton_bits order.
std::vector<Pattern> all_labeled_patterns(int agents);
// One pattern per isomorphism class (n ≤ 4): the member of its orbit with the
// smallest non_singleton_bits, in increasing order of that value.
std::vector<Pattern> isomorphism_class_patterns(int agents);
// Downward-closed labeled patterns (simplicial complexes on n vertices), n ≤ 4.
std::vector<Pattern> downward_closed_patterns(int agents);
// Burnside count of isomorphism classes, valid for n ≤ 6 (exact as a double
// up to 2^53; n = 6 gives about 2.0·10^14).
double count_isomorphism_classes(int agents);

}  // namespace mechsweep::coalition
