#include "mechanisms/fpre/base_rule.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

constexpr std::int64_t kSaturated = std::numeric_limits<std::int64_t>::max();

}  // namespace

std::int64_t binomial(std::int64_t k, int n) {
  if (n < 0 || k < n) return 0;
  Integer value = 1;
  for (int j = 1; j <= n; ++j) {
    value = value * (k - n + j) / j;  // exact: C(k−n+j, j) after each step
    if (value > kSaturated) return kSaturated;
  }
  return value.convert_to<std::int64_t>();
}

std::int64_t k_min(int n, std::int64_t orbits) {
  if (n < 1) reject("K_min needs n ≥ 1 agents; got n = " + std::to_string(n));
  if (orbits < 1) reject("K_min needs R ≥ 1 orbits; got R = " + std::to_string(orbits));
  std::int64_t k = n;
  while (binomial(k, n) < orbits) ++k;
  return k;
}

std::vector<std::int64_t> colex_subset(std::int64_t rank, int n) {
  std::vector<std::int64_t> subset(static_cast<std::size_t>(n));
  for (int j = n; j >= 1; --j) {
    // The largest a with C(a, j) ≤ rank (a ≥ j − 1, C(j − 1, j) = 0).
    std::int64_t a = j - 1;
    while (binomial(a + 1, j) <= rank) ++a;
    subset[static_cast<std::size_t>(j - 1)] = a;
    rank -= binomial(a, j);
  }
  return subset;
}

std::int64_t colex_rank(std::span<const std::int64_t> subset) {
  std::int64_t rank = 0;
  for (std::size_t j = 0; j < subset.size(); ++j) rank += binomial(subset[j], static_cast<int>(j + 1));
  return rank;
}

Outcome canonical_representative(const Outcome& x) {
  Outcome rep = x;
  std::sort(rep.begin(), rep.end());
  return rep;
}

BaseRule::BaseRule(const Environment& env, std::span<const int> targets, std::int64_t indices)
    : env_(&env), agents_(env.agents()), fallback_(env.fallback()) {
  if (targets.empty()) reject("the base rule needs at least one target outcome; got none");
  std::set<Outcome> reps;
  for (const int o : targets) {
    if (o < 0 || o >= env.outcome_count()) {
      reject("target outcome index " + std::to_string(o) + " is not in 𝒪; expected [0, " +
             std::to_string(env.outcome_count()) + ")");
    }
    reps.insert(canonical_representative(env.outcome(o)));
  }
  representatives_.assign(reps.begin(), reps.end());
  const std::int64_t needed = k_min(agents_, orbit_count());
  indices_ = indices == 0 ? needed : indices;
  if (indices_ < needed) {
    reject("K = " + std::to_string(indices_) + " base indices cannot reach R = " + std::to_string(orbit_count()) +
           " outcome orbits with n = " + std::to_string(agents_) + "; expected K ≥ K_min = " + std::to_string(needed));
  }
  std::set<int> image{fallback_};
  for (const Outcome& rep : representatives_) {
    Outcome x = rep;
    do {
      const auto o = env.find(x);
      if (!o) {
        reject("𝒪 is not closed under permutations of the target orbit of " + to_string(rep) + ": " + to_string(x) +
               " is missing; expected every permutation of a target in 𝒪");
      }
      image.insert(*o);
    } while (std::next_permutation(x.begin(), x.end()));
  }
  image_.assign(image.begin(), image.end());
}

int BaseRule::orbit_of(const Outcome& x) const {
  const Outcome rep = canonical_representative(x);
  const auto it = std::lower_bound(representatives_.begin(), representatives_.end(), rep);
  if (it == representatives_.end() || *it != rep) return -1;
  return static_cast<int>(it - representatives_.begin());
}

int BaseRule::evaluate(std::span<const std::int64_t> s) const {
  std::vector<std::int64_t> sorted(s.begin(), s.end());
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return fallback_;
  const std::int64_t rank = colex_rank(sorted);
  if (rank >= orbit_count()) return fallback_;
  const Outcome& rep = representatives_[static_cast<std::size_t>(rank)];
  Outcome x(static_cast<std::size_t>(agents_));
  for (int i = 0; i < agents_; ++i) {
    const auto position = std::lower_bound(sorted.begin(), sorted.end(), s[i]) - sorted.begin();
    x[i] = rep[static_cast<std::size_t>(position)];
  }
  return *env_->find(x);  // present: the constructor checked the closure
}

std::vector<std::int64_t> BaseRule::indices_for(int outcome) const {
  const Outcome& x = env_->outcome(outcome);
  const int orbit = orbit_of(x);
  if (orbit < 0) {
    reject("outcome " + to_string(x) + " is not a target of the base rule; expected a permutation of a target");
  }
  const std::vector<std::int64_t> subset = colex_subset(orbit, agents_);
  std::vector<int> order(static_cast<std::size_t>(agents_));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return x[a] < x[b]; });
  std::vector<std::int64_t> s(static_cast<std::size_t>(agents_));
  for (int j = 0; j < agents_; ++j) s[order[j]] = subset[static_cast<std::size_t>(j)];
  return s;
}

}  // namespace mechsweep::fpre
