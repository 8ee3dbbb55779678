#include "mechanisms/fpre/examples.hpp"

#include <algorithm>

namespace mechsweep::fpre {
namespace {

int index_of(const std::vector<Outcome>& outcomes, const Outcome& x) {
  return static_cast<int>(std::find(outcomes.begin(), outcomes.end(), x) - outcomes.begin());
}

}  // namespace

Environment example1_environment(int n, const std::vector<Outcome>& targets) {
  const std::vector<Outcome> worst = worst_family_from_template(n, Rational{0}, Rational{1, n - 1});
  const Outcome fallback(static_cast<std::size_t>(n), Rational{1, n});
  std::vector<Outcome> seeds = targets;
  seeds.insert(seeds.end(), worst.begin(), worst.end());
  seeds.push_back(fallback);
  EnvironmentSpec spec;
  spec.type_counts.assign(static_cast<std::size_t>(n), 1);
  spec.outcomes = permutation_closure(seeds);
  const ProfileSpace profiles(spec.type_counts);
  spec.prior = uniform_prior(profiles);
  spec.utility =
      tabulate_utility(profiles, spec.outcomes, [](int i, const Profile&, const Outcome& x) { return x[i]; });
  for (const Outcome& w : worst) spec.worst.push_back(index_of(spec.outcomes, w));
  spec.fallback = index_of(spec.outcomes, fallback);
  return Environment(std::move(spec));
}

Environment example2_environment(int types) {
  EnvironmentSpec spec;
  spec.type_counts = {types, types};
  spec.outcomes = {make_outcome({2, 0}, 2), make_outcome({1, 1}, 2), make_outcome({0, 2}, 2)};
  const ProfileSpace profiles(spec.type_counts);
  spec.prior = uniform_prior(profiles);
  spec.utility = tabulate_utility(profiles, spec.outcomes,
                                  [](int i, const Profile&, const Outcome& x) { return i == 0 ? Rational{0} : x[1]; });
  spec.worst = {2, 0};
  spec.fallback = 1;
  return Environment(std::move(spec));
}

Environment kat_d1_environment() {
  EnvironmentSpec spec;
  spec.type_counts = {1, 1};
  spec.outcomes = {make_outcome({1, 2}), make_outcome({2, 1}), make_outcome({0, 0})};
  const ProfileSpace profiles(spec.type_counts);
  spec.prior = uniform_prior(profiles);
  // Agent 1 ranks B(2) > A(1) > ∅(0); agent 2 ranks A > B > ∅.
  spec.utility = tabulate_utility(profiles, spec.outcomes, [](int i, const Profile&, const Outcome& x) {
    const Rational& own = x[static_cast<std::size_t>(i)];
    if (own == 0) return Rational{0};
    if (i == 0) return own;
    return own == 1 ? Rational{2} : Rational{1};
  });
  spec.worst = {2, 2};
  spec.fallback = 2;
  return Environment(std::move(spec));
}

}  // namespace mechsweep::fpre
