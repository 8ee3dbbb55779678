#include "mechanisms/fpre/coalitions.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <stdexcept>

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

}  // namespace

CoalitionReach coalition_reach(const Environment& env, const Scf& mu, const BaseRule& base, std::int64_t t,
                               CoalitionMask coalition, bool with_fail_actions) {
  require_scf(env, mu);
  const int n = env.agents();
  if (coalition == 0 || coalition >= (CoalitionMask{1} << n)) {
    reject("coalition mask " + std::to_string(coalition) + " is not a non-empty subset of the " + std::to_string(n) +
           " agents");
  }
  if (t < 0 || t >= env.profiles().size()) {
    reject("profile " + std::to_string(t) + " is out of range; expected [0, " + std::to_string(env.profiles().size()) +
           ")");
  }
  std::vector<int> members;
  for (int i = 0; i < n; ++i) {
    if ((coalition >> i) & 1U) members.push_back(i);
  }
  const int on_path = mu[static_cast<std::size_t>(t)];
  const std::vector<std::int64_t> s_star = base.indices_for(on_path);
  const auto c = static_cast<int>(members.size());
  CoalitionReach reach;
  std::set<int> outcomes;
  // Enumerate s'_j = s*_{members[choice_j]} for j ∈ C as a base-|C| counter.
  std::vector<int> choice(static_cast<std::size_t>(c), 0);
  while (true) {
    std::vector<std::int64_t> s = s_star;
    for (int j = 0; j < c; ++j) s[members[j]] = s_star[members[choice[j]]];
    outcomes.insert(base.evaluate(s));
    ++reach.profiles;
    int pos = 0;
    while (pos < c && ++choice[pos] == c) choice[pos++] = 0;
    if (pos == c) break;
  }
  if (with_fail_actions) {
    for (const int i : members) outcomes.insert(env.worst(i));
    if (c >= 2) outcomes.insert(env.fallback());
  }
  reach.outcomes.assign(outcomes.begin(), outcomes.end());
  // Permutations fixing N∖C.
  reach.contains_all_permutations = true;
  std::vector<int> order = members;
  std::sort(order.begin(), order.end());
  do {
    std::vector<int> pi(static_cast<std::size_t>(n));
    std::iota(pi.begin(), pi.end(), 0);
    for (int j = 0; j < c; ++j) pi[members[j]] = order[j];
    const auto o = env.find(permute(env.outcome(on_path), pi));
    if (!o || !outcomes.contains(*o)) reach.contains_all_permutations = false;
  } while (std::next_permutation(order.begin(), order.end()));
  bool first = true;
  for (const int o : reach.outcomes) {
    bool all_weak = true;
    bool one_strict = false;
    bool all_strict = true;
    Rational least_gain;
    for (int j = 0; j < c; ++j) {
      const Rational gain = env.u(members[j], t, o) - env.u(members[j], t, on_path);
      if (j == 0 || gain < least_gain) least_gain = gain;
      all_weak = all_weak && gain >= 0;
      one_strict = one_strict || gain > 0;
      all_strict = all_strict && gain > 0;
    }
    reach.weakly_profitable = reach.weakly_profitable || (all_weak && one_strict);
    reach.strictly_profitable = reach.strictly_profitable || all_strict;
    if (first || least_gain > reach.max_coalition_gain) {
      reach.max_coalition_gain = least_gain;
      reach.best_outcome = o;
      first = false;
    }
  }
  return reach;
}

}  // namespace mechsweep::fpre
