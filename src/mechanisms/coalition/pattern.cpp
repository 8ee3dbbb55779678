#include "mechanisms/coalition/pattern.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace mechsweep::coalition {

namespace {

// from_bits packs the non-singletons into a uint64: 2^6 − 6 − 1 = 57 fit, 2^7 − 8 do not.
constexpr int kMaxBitsAgents = 6;
// Enumerating labeled patterns or orbits beyond n = 4 means 2^26 patterns or more.
constexpr int kMaxEnumerationAgents = 4;

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("coalition: " + message); }

void check_agents(int agents, int max_agents, const char* what) {
  if (agents < 1 || agents > max_agents) {
    reject(std::string(what) + " needs 1.." + std::to_string(max_agents) + " agents, found " + std::to_string(agents));
  }
}

std::string members_string(Coalition s) {
  std::string out = "{";
  for (int i = 0; s != 0; ++i, s >>= 1) {
    if ((s & 1U) == 0) continue;
    if (out.size() > 1) out += ',';
    out += std::to_string(i);
  }
  return out + "}";
}

// The non-singleton coalitions of n agents in increasing mask order: ordinal k
// of from_bits is element k here.
std::vector<Coalition> non_singletons(int agents) {
  std::vector<Coalition> out;
  for (Coalition s = 1; s <= all_agents(agents); ++s) {
    if (std::popcount(s) >= 2) out.push_back(s);
  }
  return out;
}

Coalition image(Coalition s, const std::vector<int>& permutation) {
  Coalition out = 0;
  for (int i = 0; s != 0; ++i, s >>= 1) {
    if ((s & 1U) != 0) out |= singleton(permutation[i]);
  }
  return out;
}

// For every permutation of the agents, where each non-singleton ordinal goes.
std::vector<std::vector<int>> ordinal_permutations(int agents) {
  const std::vector<Coalition> masks = non_singletons(agents);
  std::vector<int> ordinal_of(std::size_t{1} << agents, -1);
  for (std::size_t k = 0; k < masks.size(); ++k) ordinal_of[masks[k]] = static_cast<int>(k);
  std::vector<int> permutation(agents);
  std::iota(permutation.begin(), permutation.end(), 0);
  std::vector<std::vector<int>> out;
  do {
    std::vector<int> map(masks.size());
    for (std::size_t k = 0; k < masks.size(); ++k) map[k] = ordinal_of[image(masks[k], permutation)];
    out.push_back(std::move(map));
  } while (std::next_permutation(permutation.begin(), permutation.end()));
  return out;
}

std::uint64_t apply(const std::vector<int>& map, std::uint64_t bits) {
  std::uint64_t out = 0;
  for (; bits != 0; bits &= bits - 1) out |= std::uint64_t{1} << map[std::countr_zero(bits)];
  return out;
}

void check_partition(const Partition& partition) {
  const int n = static_cast<int>(partition.size());
  check_agents(n, kMaxAgents, "a partition");
  std::vector<bool> used(n, false);
  for (int i = 0; i < n; ++i) {
    if (partition[i] < 0 || partition[i] >= n) {
      reject("partition gives agent " + std::to_string(i) + " block " + std::to_string(partition[i]) + ", outside 0.." +
             std::to_string(n - 1));
    }
    used[partition[i]] = true;
  }
  const int blocks = *std::max_element(partition.begin(), partition.end()) + 1;
  for (int b = 0; b < blocks; ++b) {
    if (!used[b]) {
      reject("partition uses blocks up to " + std::to_string(blocks - 1) + " but block " + std::to_string(b) +
             " is empty; expected blocks 0..B−1 without gaps");
    }
  }
}

std::vector<Coalition> blocks_of(const Partition& partition) {
  std::vector<Coalition> blocks;
  for (std::size_t i = 0; i < partition.size(); ++i) {
    const auto b = static_cast<std::size_t>(partition[i]);
    if (blocks.size() <= b) blocks.resize(b + 1, 0);
    blocks[b] |= singleton(static_cast<int>(i));
  }
  return blocks;
}

// Exact Σ c_k·2^k in base-2^32 limbs: the n = 6 Burnside sum is about 2^67.
class WideSum {
 public:
  void add_shifted(std::uint64_t value, int shift) {
    // value < 2^32 here, so value << (shift % 32) stays below 2^64.
    std::size_t limb = static_cast<std::size_t>(shift / 32);
    std::uint64_t carry = value << (shift % 32);
    for (; carry != 0; ++limb) {
      carry += limbs_.at(limb);
      limbs_[limb] = carry & 0xFFFFFFFFU;
      carry >>= 32;
    }
  }
  // Divides exactly by a small divisor and returns the quotient (< 2^64).
  std::uint64_t divide_exactly(std::uint64_t divisor) const {
    std::array<std::uint64_t, kLimbs> quotient{};
    std::uint64_t remainder = 0;
    for (std::size_t k = kLimbs; k-- > 0;) {
      const std::uint64_t current = (remainder << 32) | limbs_[k];
      quotient[k] = current / divisor;
      remainder = current % divisor;
    }
    if (remainder != 0 || quotient[2] != 0 || quotient[3] != 0) {
      throw std::logic_error("coalition: Burnside sum is not an exact multiple of n!");
    }
    return (quotient[1] << 32) | quotient[0];
  }

 private:
  static constexpr std::size_t kLimbs = 4;
  std::array<std::uint64_t, kLimbs> limbs_{};
};

}  // namespace

Pattern::Pattern(int agents, const std::vector<Coalition>& coalitions) : agents_(agents) {
  check_agents(agents, kMaxAgents, "a pattern");
  const Coalition everyone = all_agents(agents);
  for (Coalition s : coalitions) {
    if (s == 0) reject("the empty coalition cannot be in a pattern");
    if ((s & ~everyone) != 0) {
      const int outside = std::countr_zero(s & ~everyone);
      reject("coalition mask " + std::to_string(s) + " names agent " + std::to_string(outside) + ", outside 0.." +
             std::to_string(agents - 1));
    }
    members_.set(s);
  }
  for (int i = 0; i < agents; ++i) {
    if (!members_.test(singleton(i))) {
      reject("pattern over " + std::to_string(agents) + " agents is missing the singleton {" + std::to_string(i) + "}");
    }
  }
}

Pattern Pattern::singletons(int agents) { return with_singletons(agents, {}); }

Pattern Pattern::all(int agents) {
  check_agents(agents, kMaxAgents, "a pattern");
  std::vector<Coalition> every(all_agents(agents));
  std::iota(every.begin(), every.end(), Coalition{1});
  return Pattern(agents, every);
}

Pattern Pattern::with_singletons(int agents, const std::vector<Coalition>& extra) {
  check_agents(agents, kMaxAgents, "a pattern");
  std::vector<Coalition> coalitions = extra;
  for (int i = 0; i < agents; ++i) coalitions.push_back(singleton(i));
  return Pattern(agents, coalitions);
}

Pattern Pattern::from_bits(int agents, std::uint64_t non_singleton_bits) {
  check_agents(agents, kMaxBitsAgents, "a pattern from bits");
  const std::vector<Coalition> masks = non_singletons(agents);
  if (masks.size() < 64 && (non_singleton_bits >> masks.size()) != 0) {
    const int high = 63 - std::countl_zero(non_singleton_bits);
    reject("pattern bits set ordinal " + std::to_string(high) + ", but " + std::to_string(agents) +
           " agents have only " + std::to_string(masks.size()) + " non-singleton coalitions");
  }
  Pattern p;
  p.agents_ = agents;
  for (int i = 0; i < agents; ++i) p.members_.set(singleton(i));
  for (std::size_t k = 0; k < masks.size(); ++k) {
    if (((non_singleton_bits >> k) & 1U) != 0) p.members_.set(masks[k]);
  }
  return p;
}

std::vector<Coalition> Pattern::coalitions() const {
  std::vector<Coalition> out;
  out.reserve(members_.count());
  for (Coalition s = 1; s <= all_agents(agents_); ++s) {
    if (members_.test(s)) out.push_back(s);
  }
  return out;
}

std::uint64_t Pattern::non_singleton_bits() const {
  check_agents(agents_, kMaxBitsAgents, "non_singleton_bits");
  const std::vector<Coalition> masks = non_singletons(agents_);
  std::uint64_t bits = 0;
  for (std::size_t k = 0; k < masks.size(); ++k) {
    if (members_.test(masks[k])) bits |= std::uint64_t{1} << k;
  }
  return bits;
}

std::vector<Coalition> Pattern::up_set(Coalition s) const {
  std::vector<Coalition> out;
  for (Coalition t = 1; t <= all_agents(agents_); ++t) {
    if (members_.test(t) && (s & ~t) == 0) out.push_back(t);
  }
  return out;
}

bool Pattern::in_downward_closure(Coalition s) const {
  // D(𝒮) excludes ∅ by definition (spec §1.3).
  if (s == 0) return false;
  for (Coalition t = s; t <= all_agents(agents_); t = (t + 1) | s) {
    if (members_.test(t)) return true;
  }
  return false;
}

bool Pattern::is_subset_of(const Pattern& other) const {
  // Patterns over different agent sets are never compared as sub-patterns.
  return agents_ == other.agents_ && (members_ & ~other.members_).none();
}

Pattern Pattern::relabeled(const std::vector<int>& permutation) const {
  if (static_cast<int>(permutation.size()) != agents_) {
    reject("relabeling needs a permutation of " + std::to_string(agents_) + " agents, found " +
           std::to_string(permutation.size()) + " entries");
  }
  Coalition seen = 0;
  for (int target : permutation) {
    if (target < 0 || target >= agents_ || is_member(seen, target)) {
      reject("relabeling entry " + std::to_string(target) +
             " is out of range or repeated; expected a permutation of 0.." + std::to_string(agents_ - 1));
    }
    seen |= singleton(target);
  }
  Pattern p;
  p.agents_ = agents_;
  for (Coalition s = 1; s <= all_agents(agents_); ++s) {
    if (members_.test(s)) p.members_.set(image(s, permutation));
  }
  return p;
}

std::string Pattern::describe() const {
  std::string out;
  for (Coalition s = 1; s <= all_agents(agents_); ++s) {
    if (!members_.test(s) || std::popcount(s) < 2) continue;
    if (!out.empty()) out += ' ';
    out += members_string(s);
  }
  return out.empty() ? "singletons" : out;
}

Pattern size_bounded(int agents, int max_size) {
  check_agents(agents, kMaxAgents, "a size-bounded pattern");
  if (max_size < 1 || max_size > agents) {
    reject("size bound q = " + std::to_string(max_size) + " is outside 1.." + std::to_string(agents));
  }
  std::vector<Coalition> coalitions;
  for (Coalition s = 1; s <= all_agents(agents); ++s) {
    if (std::popcount(s) <= max_size) coalitions.push_back(s);
  }
  return Pattern(agents, coalitions);
}

Pattern party_blocks(const Partition& partition) {
  check_partition(partition);
  return Pattern::with_singletons(static_cast<int>(partition.size()), blocks_of(partition));
}

Pattern party_subsets(const Partition& partition) {
  check_partition(partition);
  std::vector<Coalition> coalitions;
  for (Coalition block : blocks_of(partition)) {
    // Walks the non-empty submasks of the block.
    for (Coalition s = block; s != 0; s = (s - 1) & block) coalitions.push_back(s);
  }
  return Pattern(static_cast<int>(partition.size()), coalitions);
}

Pattern connected_coalitions(int agents, const Edges& edges) {
  check_agents(agents, kMaxAgents, "a graph pattern");
  std::vector<Coalition> neighbours(agents, 0);
  for (const auto& [a, b] : edges) {
    if (a < 0 || a >= agents || b < 0 || b >= agents) {
      reject("edge (" + std::to_string(a) + "," + std::to_string(b) + ") has an endpoint outside 0.." +
             std::to_string(agents - 1));
    }
    if (a == b) reject("edge (" + std::to_string(a) + "," + std::to_string(b) + ") is a self loop");
    neighbours[a] |= singleton(b);
    neighbours[b] |= singleton(a);
  }
  std::vector<Coalition> coalitions;
  for (Coalition s = 1; s <= all_agents(agents); ++s) {
    Coalition reached = s & (~s + 1);
    for (Coalition previous = 0; reached != previous;) {
      previous = reached;
      for (Coalition r = reached; r != 0; r &= r - 1) reached |= neighbours[std::countr_zero(r)] & s;
    }
    if (reached == s) coalitions.push_back(s);
  }
  return Pattern(agents, coalitions);
}

Pattern random_pattern(int agents, double probability, std::uint64_t seed) {
  check_agents(agents, kMaxAgents, "a random pattern");
  if (!(probability >= 0.0 && probability <= 1.0)) {
    reject("inclusion probability " + std::to_string(probability) + " is outside [0, 1]");
  }
  // Uniform doubles from the top 53 bits rather than std::uniform_real_distribution,
  // whose algorithm differs between standard libraries.
  std::mt19937_64 engine(seed);
  std::vector<Coalition> coalitions;
  for (Coalition s = 1; s <= all_agents(agents); ++s) {
    if (std::popcount(s) < 2) continue;
    const double u = static_cast<double>(engine() >> 11) * 0x1.0p-53;
    if (u < probability) coalitions.push_back(s);
  }
  return Pattern::with_singletons(agents, coalitions);
}

std::vector<Partition> set_partitions(int agents) {
  check_agents(agents, kMaxAgents, "set partitions");
  std::vector<Partition> out;
  Partition current(agents, 0);
  // max_before[i] = the largest block among agents 0..i−1 (restricted growth).
  std::vector<int> max_before(agents, 0);
  for (;;) {
    out.push_back(current);
    int i = agents - 1;
    while (i > 0 && current[i] > max_before[i]) --i;
    if (i == 0) break;
    ++current[i];
    for (int j = i + 1; j < agents; ++j) {
      current[j] = 0;
      max_before[j] = std::max(max_before[j - 1], current[j - 1]);
    }
  }
  return out;
}

std::vector<Pattern> all_labeled_patterns(int agents) {
  check_agents(agents, kMaxEnumerationAgents, "enumerating labeled patterns");
  const std::uint64_t count = std::uint64_t{1} << non_singletons(agents).size();
  std::vector<Pattern> out;
  out.reserve(count);
  for (std::uint64_t bits = 0; bits < count; ++bits) out.push_back(Pattern::from_bits(agents, bits));
  return out;
}

std::vector<Pattern> isomorphism_class_patterns(int agents) {
  check_agents(agents, kMaxEnumerationAgents, "enumerating isomorphism classes");
  const auto maps = ordinal_permutations(agents);
  const std::uint64_t count = std::uint64_t{1} << non_singletons(agents).size();
  std::vector<Pattern> out;
  for (std::uint64_t bits = 0; bits < count; ++bits) {
    const bool smallest_in_orbit =
        std::all_of(maps.begin(), maps.end(), [&](const std::vector<int>& map) { return apply(map, bits) >= bits; });
    if (smallest_in_orbit) out.push_back(Pattern::from_bits(agents, bits));
  }
  return out;
}

std::vector<Pattern> downward_closed_patterns(int agents) {
  check_agents(agents, kMaxEnumerationAgents, "enumerating downward-closed patterns");
  std::vector<Pattern> out;
  for (Pattern& p : all_labeled_patterns(agents)) {
    bool closed = true;
    for (Coalition s : p.coalitions()) {
      // Removing one member at a time suffices: closure then follows by induction.
      for (Coalition r = s; r != 0 && closed; r &= r - 1) {
        const Coalition smaller = s & ~(r & (~r + 1));
        closed = smaller == 0 || p.contains(smaller);
      }
      if (!closed) break;
    }
    if (closed) out.push_back(std::move(p));
  }
  return out;
}

double count_isomorphism_classes(int agents) {
  check_agents(agents, kMaxBitsAgents, "counting isomorphism classes");
  const std::vector<Coalition> masks = non_singletons(agents);
  std::vector<int> permutation(agents);
  std::iota(permutation.begin(), permutation.end(), 0);
  // Permutations fixing 2^c patterns, by their number c of cycles on the non-singletons.
  std::vector<std::uint64_t> by_cycles(masks.size() + 1, 0);
  std::uint64_t permutations = 0;
  do {
    ++permutations;
    std::vector<bool> visited(std::size_t{1} << agents, false);
    int cycles = 0;
    for (Coalition s : masks) {
      if (visited[s]) continue;
      ++cycles;
      for (Coalition t = s; !visited[t]; t = image(t, permutation)) visited[t] = true;
    }
    ++by_cycles[cycles];
  } while (std::next_permutation(permutation.begin(), permutation.end()));
  WideSum sum;
  for (std::size_t c = 0; c < by_cycles.size(); ++c) sum.add_shifted(by_cycles[c], static_cast<int>(c));
  return static_cast<double>(sum.divide_exactly(permutations));
}

}  // namespace mechsweep::coalition
