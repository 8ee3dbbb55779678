// Coalition patterns: the counts of spec 001 §4.2, the validation of §6.2
// item 7, and the set semantics of up-sets, downward closure and relabeling.

#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/test_helpers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>

namespace mechsweep::coalition {
namespace {

using ::testing::HasSubstr;

using test_support::invalid_argument_message;

bool has_all_singletons(const Pattern& p) {
  for (int i = 0; i < p.agents(); ++i) {
    if (!p.contains(singleton(i))) return false;
  }
  return !p.contains(0);
}

std::vector<std::vector<int>> all_permutations(int n) {
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::vector<std::vector<int>> out;
  do {
    out.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return out;
}

TEST(PatternCounts, LabeledPatternsAre2To2nMinusNMinus1) {
  const std::size_t expected[] = {1, 2, 16, 2048};
  for (int n = 1; n <= 4; ++n) {
    const auto patterns = all_labeled_patterns(n);
    EXPECT_EQ(patterns.size(), expected[n - 1]) << "n = " << n;
    for (std::size_t k = 0; k < patterns.size(); ++k) {
      EXPECT_EQ(patterns[k].non_singleton_bits(), k);
      EXPECT_TRUE(has_all_singletons(patterns[k]));
    }
  }
}

TEST(PatternCounts, IsomorphismClassesEnumerated) {
  const std::size_t expected[] = {1, 2, 8, 180};
  for (int n = 1; n <= 4; ++n) {
    const auto reps = isomorphism_class_patterns(n);
    EXPECT_EQ(reps.size(), expected[n - 1]) << "n = " << n;
    for (std::size_t k = 1; k < reps.size(); ++k) {
      EXPECT_LT(reps[k - 1].non_singleton_bits(), reps[k].non_singleton_bits());
    }
  }
}

TEST(PatternCounts, BurnsideMatchesEnumeration) {
  for (int n = 1; n <= 4; ++n) {
    EXPECT_EQ(count_isomorphism_classes(n), static_cast<double>(isomorphism_class_patterns(n).size())) << "n = " << n;
  }
}

TEST(PatternCounts, BurnsideForSixAgentsIsAnIntegerNear2e14) {
  const double classes = count_isomorphism_classes(6);
  EXPECT_GE(classes, 1.9e14);
  EXPECT_LE(classes, 2.1e14);
  EXPECT_EQ(classes, std::floor(classes));
  // Each orbit has at most 6! = 720 members, so classes ≥ 2^57 / 720.
  EXPECT_GE(classes, std::ldexp(1.0, 57) / 720.0);
  // n = 5 lies between the orbit bound and the labeled count.
  const double five = count_isomorphism_classes(5);
  EXPECT_EQ(five, std::floor(five));
  EXPECT_GE(five, std::ldexp(1.0, 26) / 120.0);
  EXPECT_LE(five, std::ldexp(1.0, 26));
  // Exact values from an independent big-integer Burnside sum (Python).
  EXPECT_EQ(five, 612032.0);
  EXPECT_EQ(classes, 200253854316544.0);
}

TEST(PatternCounts, DownwardClosedAreSimplicialComplexes) {
  const std::size_t expected[] = {1, 2, 9, 114};
  for (int n = 1; n <= 4; ++n) {
    const auto closed = downward_closed_patterns(n);
    EXPECT_EQ(closed.size(), expected[n - 1]) << "n = " << n;
    for (const Pattern& p : closed) {
      for (Coalition s = 1; s <= all_agents(n); ++s) {
        // Downward closed: D(𝒮) is 𝒮 itself.
        EXPECT_EQ(p.in_downward_closure(s), p.contains(s)) << p.describe() << " at " << s;
      }
    }
  }
}

TEST(PatternCounts, SetPartitionsAreBellNumbers) {
  const std::size_t bell[] = {1, 2, 5, 15, 52, 203};
  for (int n = 1; n <= 6; ++n) {
    const auto partitions = set_partitions(n);
    EXPECT_EQ(partitions.size(), bell[n - 1]) << "n = " << n;
    std::set<Partition> distinct(partitions.begin(), partitions.end());
    EXPECT_EQ(distinct.size(), partitions.size());
    for (const Partition& p : partitions) {
      // Restricted growth: each block index is at most one more than any before it.
      int highest = -1;
      for (int b : p) {
        EXPECT_LE(b, highest + 1);
        highest = std::max(highest, b);
      }
      EXPECT_NO_THROW(party_blocks(p));
    }
  }
  EXPECT_EQ(set_partitions(8).size(), 4140U);
}

TEST(PatternCounts, SizeBoundedGivesNDistinctPatterns) {
  for (int n = 1; n <= 6; ++n) {
    std::set<std::uint64_t> distinct;
    for (int q = 1; q <= n; ++q) {
      const Pattern p = size_bounded(n, q);
      distinct.insert(p.non_singleton_bits());
      for (Coalition s = 1; s <= all_agents(n); ++s) EXPECT_EQ(p.contains(s), coalition_size(s) <= q);
    }
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(size_bounded(n, 1), Pattern::singletons(n));
    EXPECT_EQ(size_bounded(n, n), Pattern::all(n));
  }
}

TEST(PatternValidation, MissingSingleton) {
  const std::string message = invalid_argument_message([] { Pattern(3, {1, 2, 3}); });
  EXPECT_THAT(message, HasSubstr("coalition: "));
  EXPECT_THAT(message, HasSubstr("missing the singleton {2}"));
}

TEST(PatternValidation, EmptyCoalition) {
  EXPECT_THAT(invalid_argument_message([] {
                Pattern(2, {0, 1, 2});
              }),
              HasSubstr("coalition: the empty coalition cannot be in a pattern"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::with_singletons(2, {0}); }), HasSubstr("empty coalition"));
}

TEST(PatternValidation, AgentOutOfRange) {
  EXPECT_THAT(invalid_argument_message([] {
                Pattern(3, {1, 2, 4, 9});
              }),
              HasSubstr("coalition mask 9 names agent 3, outside 0..2"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::singletons(0); }), HasSubstr("found 0"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::singletons(kMaxAgents + 1); }), HasSubstr("agents"));
}

TEST(PatternValidation, DuplicatesAreMerged) {
  const Pattern p(2, {1, 2, 3, 3, 1});
  EXPECT_EQ(p.size(), 3U);
  EXPECT_EQ(p, Pattern::all(2));
}

TEST(PatternValidation, BadSizeBound) {
  EXPECT_THAT(invalid_argument_message([] { size_bounded(3, 0); }), HasSubstr("q = 0 is outside 1..3"));
  EXPECT_THAT(invalid_argument_message([] { size_bounded(3, 4); }), HasSubstr("q = 4"));
}

TEST(PatternValidation, BadPartition) {
  EXPECT_THAT(invalid_argument_message([] { party_blocks({0, 2, 2}); }), HasSubstr("block 1 is empty"));
  EXPECT_THAT(invalid_argument_message([] { party_subsets({0, -1}); }), HasSubstr("block -1"));
  EXPECT_THAT(invalid_argument_message([] { party_blocks({}); }), HasSubstr("found 0"));
}

TEST(PatternValidation, BadProbability) {
  EXPECT_THAT(invalid_argument_message([] { random_pattern(3, 1.5, 1); }), HasSubstr("outside [0, 1]"));
  EXPECT_THAT(invalid_argument_message([] { random_pattern(3, -0.1, 1); }), HasSubstr("probability"));
  EXPECT_THAT(invalid_argument_message([] { random_pattern(3, std::nan(""), 1); }), HasSubstr("probability"));
}

TEST(PatternValidation, BadGraphBitsAndEnumerationSizes) {
  EXPECT_THAT(invalid_argument_message([] { connected_coalitions(3, {{0, 3}}); }), HasSubstr("outside 0..2"));
  EXPECT_THAT(invalid_argument_message([] { connected_coalitions(3, {{1, 1}}); }), HasSubstr("self loop"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::from_bits(3, 16); }), HasSubstr("only 4 non-singleton"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::from_bits(7, 0); }), HasSubstr("1..6 agents"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::singletons(7).non_singleton_bits(); }), HasSubstr("1..6"));
  EXPECT_THAT(invalid_argument_message([] { all_labeled_patterns(5); }), HasSubstr("1..4 agents"));
  EXPECT_THAT(invalid_argument_message([] { isomorphism_class_patterns(5); }), HasSubstr("1..4 agents"));
  EXPECT_THAT(invalid_argument_message([] { downward_closed_patterns(5); }), HasSubstr("1..4 agents"));
  EXPECT_THAT(invalid_argument_message([] { count_isomorphism_classes(7); }), HasSubstr("1..6 agents"));
  EXPECT_THAT(invalid_argument_message([] { Pattern::all(3).relabeled({0, 0, 1}); }), HasSubstr("permutation"));
}

TEST(PatternProperties, NamedPatterns) {
  const Pattern lower = Pattern::singletons(3);
  EXPECT_EQ(lower.coalitions(), (std::vector<Coalition>{1, 2, 4}));
  EXPECT_EQ(lower.describe(), "singletons");
  EXPECT_EQ(lower.non_singleton_bits(), 0U);
  const Pattern upper = Pattern::all(3);
  EXPECT_EQ(upper.size(), 7U);
  EXPECT_EQ(upper.describe(), "{0,1} {0,2} {1,2} {0,1,2}");
  EXPECT_EQ(upper.non_singleton_bits(), 0xFU);
  const Pattern grand = Pattern::with_singletons(3, {all_agents(3)});
  EXPECT_EQ(grand.describe(), "{0,1,2}");
  EXPECT_EQ(grand.coalitions(), (std::vector<Coalition>{1, 2, 4, 7}));
  // Non-singletons of 3 agents in mask order: 3, 5, 6, 7.
  EXPECT_EQ(grand.non_singleton_bits(), 0x8U);
  EXPECT_EQ(Pattern::from_bits(3, 0x2U).describe(), "{0,2}");
}

TEST(PatternProperties, UpSetAndDownwardClosure) {
  // {0,1}, {1,2} and the singletons of 3 agents.
  const Pattern p = Pattern::with_singletons(3, {0b011, 0b110});
  EXPECT_EQ(p.up_set(0b010), (std::vector<Coalition>{0b010, 0b011, 0b110}));
  EXPECT_EQ(p.up_set(0b001), (std::vector<Coalition>{0b001, 0b011}));
  EXPECT_EQ(p.up_set(0b011), (std::vector<Coalition>{0b011}));
  EXPECT_TRUE(p.up_set(0b101).empty());
  EXPECT_TRUE(p.up_set(0b111).empty());
  EXPECT_TRUE(p.in_downward_closure(0b001));
  EXPECT_TRUE(p.in_downward_closure(0b011));
  EXPECT_TRUE(p.in_downward_closure(0b110));
  EXPECT_FALSE(p.in_downward_closure(0b101));
  EXPECT_FALSE(p.in_downward_closure(0b111));
  EXPECT_FALSE(p.in_downward_closure(0));
  // With the grand coalition everything is in D(𝒮).
  const Pattern grand = Pattern::with_singletons(3, {0b111});
  for (Coalition s = 1; s <= 7; ++s) EXPECT_TRUE(grand.in_downward_closure(s));
  EXPECT_EQ(grand.up_set(0b100), (std::vector<Coalition>{0b100, 0b111}));
}

TEST(PatternProperties, SubsetSemantics) {
  const Pattern lower = Pattern::singletons(3);
  const Pattern pair = Pattern::with_singletons(3, {0b011});
  const Pattern upper = Pattern::all(3);
  EXPECT_TRUE(lower.is_subset_of(pair));
  EXPECT_TRUE(pair.is_subset_of(upper));
  EXPECT_TRUE(pair.is_subset_of(pair));
  EXPECT_FALSE(pair.is_subset_of(lower));
  EXPECT_FALSE(upper.is_subset_of(pair));
  EXPECT_FALSE(Pattern::with_singletons(3, {0b101}).is_subset_of(pair));
  for (const Pattern& p : all_labeled_patterns(3)) {
    EXPECT_TRUE(lower.is_subset_of(p));
    EXPECT_TRUE(p.is_subset_of(upper));
  }
}

TEST(PatternProperties, RelabelingKeepsClassRepresentatives) {
  for (int n = 1; n <= 4; ++n) {
    const auto reps = isomorphism_class_patterns(n);
    std::set<std::uint64_t> rep_bits;
    for (const Pattern& r : reps) rep_bits.insert(r.non_singleton_bits());
    const auto perms = all_permutations(n);
    for (const Pattern& r : reps) {
      for (const auto& perm : perms) {
        const Pattern image = r.relabeled(perm);
        EXPECT_EQ(image.size(), r.size());
        // The representative is the orbit minimum, so no relabeling goes below it.
        EXPECT_GE(image.non_singleton_bits(), r.non_singleton_bits());
        // An image of one representative is never another representative.
        if (image != r) {
          EXPECT_EQ(rep_bits.count(image.non_singleton_bits()), 0U) << image.describe();
        }
      }
    }
    // Every labeled pattern maps onto exactly one representative.
    std::size_t covered = 0;
    for (const Pattern& p : all_labeled_patterns(n)) {
      std::uint64_t smallest = p.non_singleton_bits();
      for (const auto& perm : perms) smallest = std::min(smallest, p.relabeled(perm).non_singleton_bits());
      covered += rep_bits.count(smallest);
    }
    EXPECT_EQ(covered, all_labeled_patterns(n).size());
  }
}

TEST(PatternProperties, RelabelMovesAgents) {
  const Pattern p = Pattern::with_singletons(3, {0b011});
  // Agent 0 → 2, 1 → 0, 2 → 1: {0,1} becomes {0,2}.
  EXPECT_EQ(p.relabeled({2, 0, 1}), Pattern::with_singletons(3, {0b101}));
  EXPECT_EQ(p.relabeled({0, 1, 2}), p);
}

TEST(PatternProperties, FromBitsRoundTrip) {
  for (std::uint64_t bits = 0; bits < 2048; ++bits) {
    const Pattern p = Pattern::from_bits(4, bits);
    EXPECT_EQ(p.non_singleton_bits(), bits);
    EXPECT_EQ(Pattern(4, p.coalitions()), p);
    EXPECT_EQ(p.size(), 4U + static_cast<std::size_t>(std::popcount(bits)));
  }
  EXPECT_EQ(Pattern::from_bits(6, (std::uint64_t{1} << 57) - 1), Pattern::all(6));
  EXPECT_EQ(Pattern::all(6).non_singleton_bits(), (std::uint64_t{1} << 57) - 1);
}

TEST(PatternProperties, RandomPatternIsDeterministic) {
  EXPECT_EQ(random_pattern(5, 0.5, 42), random_pattern(5, 0.5, 42));
  std::set<std::uint64_t> seen;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Pattern p = random_pattern(5, 0.5, seed);
    EXPECT_TRUE(has_all_singletons(p));
    seen.insert(p.non_singleton_bits());
  }
  EXPECT_GT(seen.size(), 15U);
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    EXPECT_EQ(random_pattern(4, 0.0, seed), Pattern::singletons(4));
    EXPECT_EQ(random_pattern(4, 1.0, seed), Pattern::all(4));
  }
  // About half of the 57 non-singletons of 6 agents at p = 1/2.
  const int included = std::popcount(random_pattern(6, 0.5, 7).non_singleton_bits());
  EXPECT_GT(included, 15);
  EXPECT_LT(included, 42);
  EXPECT_TRUE(has_all_singletons(random_pattern(8, 0.3, 1)));
}

TEST(PatternProperties, PartyPatterns) {
  for (int n = 1; n <= 5; ++n) {
    for (const Partition& partition : set_partitions(n)) {
      const Pattern blocks = party_blocks(partition);
      const Pattern subsets = party_subsets(partition);
      EXPECT_TRUE(has_all_singletons(blocks));
      EXPECT_TRUE(blocks.is_subset_of(subsets));
      for (Coalition s = 1; s <= all_agents(n); ++s) {
        bool within_one_block = true;
        for (int i = 0; i < n; ++i) {
          if (is_member(s, i) && partition[i] != partition[first_member(s)]) within_one_block = false;
        }
        EXPECT_EQ(subsets.contains(s), within_one_block);
      }
    }
  }
  // {0,2 | 1 | 3}: blocks adds only {0,2}.
  EXPECT_EQ(party_blocks({0, 1, 0, 2}), Pattern::with_singletons(4, {0b0101}));
  EXPECT_EQ(party_blocks({0, 0, 0}), Pattern::with_singletons(3, {0b111}));
  EXPECT_EQ(party_subsets({0, 0, 0}), Pattern::all(3));
  EXPECT_EQ(party_subsets({0, 1, 2}), Pattern::singletons(3));
}

TEST(PatternProperties, ConnectedCoalitions) {
  for (int n = 1; n <= 6; ++n) {
    Edges complete;
    for (int a = 0; a < n; ++a) {
      for (int b = a + 1; b < n; ++b) complete.emplace_back(a, b);
    }
    EXPECT_EQ(connected_coalitions(n, complete), Pattern::all(n));
    EXPECT_EQ(connected_coalitions(n, {}), Pattern::singletons(n));
  }
  const Pattern path = connected_coalitions(3, {{0, 1}, {1, 2}});
  EXPECT_EQ(path, Pattern::with_singletons(3, {0b011, 0b110, 0b111}));
  EXPECT_FALSE(path.contains(0b101));
  // Two disjoint edges on 4 agents: only the edges themselves join up.
  EXPECT_EQ(connected_coalitions(4, {{0, 1}, {2, 3}, {1, 0}}), Pattern::with_singletons(4, {0b0011, 0b1100}));
  // A star centred on 0: exactly the sets containing the centre (plus singletons).
  const Pattern star = connected_coalitions(4, {{0, 1}, {0, 2}, {0, 3}});
  for (Coalition s = 1; s <= 15; ++s) EXPECT_EQ(star.contains(s), coalition_size(s) == 1 || is_member(s, 0));
}

}  // namespace
}  // namespace mechsweep::coalition
