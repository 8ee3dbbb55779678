#include "mechanisms/fpre/negative.hpp"

#include "mechanisms/fpre/errors.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/seed.hpp"

namespace mechsweep::fpre {
namespace {

constexpr std::uint64_t max_profiles = 1'000'000;

using detail::reject;
using detail::show;

std::string show_profile(std::span<const int> profile) {
  std::string out = "(";
  for (std::size_t i = 0; i < profile.size(); ++i) out += (i ? ", " : "") + std::to_string(profile[i]);
  return out + ")";
}

void check_shape(int agents, int types) {
  if (agents < 2) reject("n", std::to_string(agents), "at least 2 agents");
  if (types < 2) reject("types", std::to_string(types), "|T| ≥ 2 (strict monotonicity needs two types)");
  std::uint64_t count = 1;
  for (int i = 0; i < agents; ++i) {
    count *= static_cast<std::uint64_t>(types);
    if (count > max_profiles)
      reject("types^n", std::to_string(types) + "^" + std::to_string(agents), "at most 10^6 profiles");
  }
}

// Calls visit(profile) for every profile in T^n, lexicographically.
template <class Visit>
bool for_each_profile(int agents, int types, Visit visit) {
  std::vector<int> profile(static_cast<std::size_t>(agents), 0);
  while (true) {
    if (!visit(std::span<const int>(profile))) return false;
    std::size_t i = 0;
    while (i < profile.size() && ++profile[i] == types) profile[i++] = 0;
    if (i == profile.size()) return true;
  }
}

double total(const ShareOutcome& o) {
  double sum = 0.0;
  for (const double x : o) sum += x;
  return sum;
}

void check_recommendations(const MonotoneFamily& family, std::size_t agent,
                           std::span<const std::vector<int>> recommendations) {
  if (agent >= static_cast<std::size_t>(family.agents))
    reject("agent", std::to_string(agent), "an agent in [0, " + std::to_string(family.agents - 1) + "]");
  if (recommendations.size() != family.rules.size())
    reject("recommendations", std::to_string(recommendations.size()) + " profiles",
           "one per member (" + std::to_string(family.rules.size()) + ")");
  for (const auto& profile : recommendations) {
    if (profile.size() != static_cast<std::size_t>(family.agents))
      reject("recommendation size", std::to_string(profile.size()), std::to_string(family.agents) + " reports");
    for (const int t : profile)
      if (t < 0 || t >= family.types)
        reject("recommended report", std::to_string(t), "a type in [0, " + std::to_string(family.types - 1) + "]");
    if (profile[agent] != recommendations.front()[agent])
      reject("recommended report of agent " + std::to_string(agent), std::to_string(profile[agent]),
             "the same τ_i for every member (" + std::to_string(recommendations.front()[agent]) + ")");
  }
}

}  // namespace

bool strictly_dominates(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size()) return false;
  bool strict = false;
  for (std::size_t j = 0; j < a.size(); ++j) {
    if (a[j] < b[j]) return false;
    strict = strict || a[j] > b[j];
  }
  return strict;
}

bool is_strictly_monotone(const FiniteRule& rule, int agents, int types) {
  check_shape(agents, types);
  return for_each_profile(agents, types, [&](std::span<const int> profile) {
    const ShareOutcome here = rule(profile);
    std::vector<int> up(profile.begin(), profile.end());
    for (std::size_t i = 0; i < up.size(); ++i) {
      if (up[i] + 1 == types) continue;
      ++up[i];
      const bool ok = strictly_dominates(rule(up), here);
      --up[i];
      if (!ok) return false;
    }
    return true;
  });
}

bool is_symmetric(const FiniteRule& rule, int agents, int types) {
  check_shape(agents, types);
  // Adjacent transpositions generate S_n (spec §1.3).
  return for_each_profile(agents, types, [&](std::span<const int> profile) {
    const ShareOutcome here = rule(profile);
    std::vector<int> swapped(profile.begin(), profile.end());
    for (std::size_t i = 0; i + 1 < swapped.size(); ++i) {
      std::swap(swapped[i], swapped[i + 1]);
      ShareOutcome expected = here;
      std::swap(expected[i], expected[i + 1]);
      const bool ok = rule(swapped) == expected;
      std::swap(swapped[i], swapped[i + 1]);
      if (!ok) return false;
    }
    return true;
  });
}

void validate(const MonotoneFamily& family) {
  check_shape(family.agents, family.types);
  if (family.rules.empty()) reject("members", "0", "a non-empty family M");
  for (std::size_t m = 0; m < family.rules.size(); ++m) {
    if (!family.rules[m]) reject("member " + std::to_string(m), "an empty function", "a rule");
    std::string problem;
    for_each_profile(family.agents, family.types, [&](std::span<const int> profile) {
      const ShareOutcome o = family.rules[m](profile);
      if (o.size() != static_cast<std::size_t>(family.agents))
        problem = "an outcome of size " + std::to_string(o.size()) + " at " + show_profile(profile);
      else if (!std::all_of(o.begin(), o.end(), [](double x) { return std::isfinite(x); }))
        problem = "a non-finite outcome at " + show_profile(profile);
      return problem.empty();
    });
    if (!problem.empty())
      reject("member " + std::to_string(m), problem,
             "finite outcomes with " + std::to_string(family.agents) + " entries");
    if (!is_strictly_monotone(family.rules[m], family.agents, family.types))
      reject("member " + std::to_string(m), "a rule that is not strictly monotone",
             "strictly monotone rules (coordinatewise order; the class must be non-empty)");
  }
}

MonotoneFamily demo_monotone_family(int agents, int types, std::size_t members, std::uint64_t seed) {
  check_shape(agents, types);
  if (members == 0) reject("members", "0", "at least one member");
  MonotoneFamily family{agents, types, {}};
  for (std::size_t m = 0; m < members; ++m) {
    // σ(t) = (g_0 + … + g_t)/(g_0 + … + g_L), increments g ∈ [1, 2): strictly
    // increasing into (0, 1); shares σ/n keep Σ_i ν_i < 1 (free disposal).
    std::vector<double> sigma(static_cast<std::size_t>(types));
    double running = 0.0;
    for (int t = 0; t < types; ++t) {
      const std::uint64_t bits = derive_seed(derive_seed(seed, m), static_cast<std::uint64_t>(t));
      running += 1.0 + static_cast<double>(bits >> 11) * 0x1.0p-53;
      sigma[static_cast<std::size_t>(t)] = running;
    }
    const double top = running + 1.0;
    for (double& s : sigma) s /= top * static_cast<double>(agents);
    family.rules.emplace_back([sigma](std::span<const int> profile) {
      ShareOutcome out;
      out.reserve(profile.size());
      for (const int t : profile) out.push_back(sigma.at(static_cast<std::size_t>(t)));
      return out;
    });
  }
  return family;
}

MonotoneCertificate certify_monotone_failure(const MonotoneFamily& family, std::size_t agent,
                                             std::span<const std::vector<int>> recommendations) {
  validate(family);
  check_recommendations(family, agent, recommendations);
  MonotoneCertificate out;
  out.agent = agent;
  out.recommended = recommendations.front()[agent];
  // spec §2.4 steps 3–4: deviate up with u = r unless τ_i is maximal.
  out.direction = out.recommended + 1 < family.types ? +1 : -1;
  out.deviation = out.recommended + out.direction;
  out.members = family.rules.size();
  for (std::size_t m = 0; m < family.rules.size(); ++m) {
    const std::vector<int>& profile = recommendations[m];
    std::vector<int> deviated = profile;
    deviated[agent] = out.deviation;
    const ShareOutcome obey = family.rules[m](profile);
    const ShareOutcome deviate = family.rules[m](deviated);
    const bool dominated = out.direction > 0 ? strictly_dominates(deviate, obey) : strictly_dominates(obey, deviate);
    out.dominated += dominated ? 1U : 0U;
    const double sign = static_cast<double>(out.direction);
    out.improved += sign * total(deviate) > sign * total(obey) ? 1U : 0U;
  }
  out.improvement_probability = static_cast<double>(out.improved) / static_cast<double>(out.members);
  return out;
}

double monotone_improvement_probability(const MonotoneFamily& family, std::size_t agent,
                                        std::span<const std::vector<int>> recommendations, int step,
                                        const ShareUtility& utility) {
  validate(family);
  check_recommendations(family, agent, recommendations);
  if (step != 1 && step != -1) reject("step", std::to_string(step), "+1 or −1");
  if (!utility) reject("utility", "an empty function", "a utility over outcomes");
  const int target = recommendations.front()[agent] + step;
  if (target < 0 || target >= family.types)
    reject("deviation", std::to_string(target), "a type in [0, " + std::to_string(family.types - 1) + "]");
  std::uint64_t improved = 0;
  for (std::size_t m = 0; m < family.rules.size(); ++m) {
    std::vector<int> deviated = recommendations[m];
    deviated[agent] = target;
    improved += utility(family.rules[m](deviated)) > utility(family.rules[m](recommendations[m])) ? 1U : 0U;
  }
  return static_cast<double>(improved) / static_cast<double>(family.rules.size());
}

void validate(const FixedBandParams& params) {
  if (params.n < 2 || params.n > 1'000'000) reject("n", std::to_string(params.n), "an integer in [2, 1000000]");
  if (!std::isfinite(params.beta1) || params.beta1 <= 0.0 || params.beta1 >= 1.0 / 3.0)
    reject("beta1", show(params.beta1), "a finite value in (0, 1/3)");
  if (!std::isfinite(params.beta0) || params.beta0 <= 0.0 || params.beta0 >= params.beta1)
    reject("beta0", show(params.beta0), "a finite value in (0, beta1 = " + show(params.beta1) + ")");
  if (!std::isfinite(params.guess_password) || params.guess_password < 0.0 || params.guess_password >= 1.0)
    reject("guess_password", show(params.guess_password), "a finite password part in [0, 1)");
}

ContinuityCounterexample demonstrate_continuity_failure(const FixedBandParams& params, std::uint64_t seed,
                                                        std::uint64_t samples) {
  validate(params);
  const auto n = static_cast<std::size_t>(params.n);
  ContinuityCounterexample out;
  out.deviation_index = params.n;
  out.deviation_password = params.guess_password;
  std::vector<std::int64_t> k(n);
  for (std::size_t i = 0; i < n; ++i) k[i] = static_cast<std::int64_t>(i);
  out.on_path_share = demo_base_rule(k)[0];
  k[0] = params.n;
  out.guessed_share = demo_base_rule(k)[0];

  const double w = params.guess_password;
  // |w − ε| ≤ β_0 and < β_0 differ on a null set, so the open-interval hit
  // probability is the plateau probability.
  out.plateau_probability = guess_hit_probability(w, params.beta0);
  out.lower_bound_applicable = w - params.beta0 >= 1.0 / 3.0 && w + params.beta0 <= 2.0 / 3.0;
  out.lower_bound = out.lower_bound_applicable ? 6.0 * params.beta0 : out.plateau_probability;
  const double theta = 1.0 - out.on_path_share / out.guessed_share;
  out.improvement_exact = guess_hit_probability(w, params.beta0 + theta * (params.beta1 - params.beta0));

  const Band widths{params.beta0, params.beta1};
  std::uint64_t plateau = 0;
  std::uint64_t improved = 0;
  std::vector<Message> profile(n);
  for (std::uint64_t s = 0; s < samples; ++s) {
    const ContinuousRule rule(params.n, derive_seed(seed, s), widths);
    for (std::size_t i = 0; i < n; ++i) profile[i] = rule.recommend(static_cast<std::int64_t>(i));
    profile[0] = {out.deviation_index, w};
    plateau += rule.term(profile[0]) == 0.0 ? 1U : 0U;
    improved += rule.evaluate(profile)[0] > out.on_path_share ? 1U : 0U;
  }
  const auto estimate = [samples](std::uint64_t hits) {
    Estimate e;
    e.samples = samples;
    if (samples == 0) return e;
    e.mean = static_cast<double>(hits) / static_cast<double>(samples);
    e.standard_error = std::sqrt(e.mean * (1.0 - e.mean) / static_cast<double>(samples));
    return e;
  };
  out.plateau_mc = estimate(plateau);
  out.improvement_mc = estimate(improved);
  return out;
}

}  // namespace mechsweep::fpre
