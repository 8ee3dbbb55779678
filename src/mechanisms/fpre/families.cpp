#include "mechanisms/fpre/families.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

#include "core/seed.hpp"

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

std::vector<Rational> dirichlet_marginal(int size, std::mt19937_64& rng) {
  std::exponential_distribution<double> gamma1(1.0);
  std::vector<std::int64_t> weights;
  std::int64_t total = 0;
  for (int k = 0; k < size; ++k) {
    const auto w = 1 + static_cast<std::int64_t>(std::min(999.0, 250.0 * gamma1(rng)));
    weights.push_back(w);
    total += w;
  }
  std::vector<Rational> marginal;
  for (const std::int64_t w : weights) marginal.emplace_back(w, total);
  return marginal;
}

void shares(int n, int d, bool free_disposal, Outcome& prefix, int left, std::vector<Outcome>& out) {
  if (static_cast<int>(prefix.size()) == n - 1) {
    for (int last = free_disposal ? 0 : left; last <= left; ++last) {
      Outcome x = prefix;
      x.emplace_back(last, d);
      out.push_back(x);
    }
    return;
  }
  for (int k = 0; k <= left; ++k) {
    prefix.emplace_back(k, d);
    shares(n, d, free_disposal, prefix, left - k, out);
    prefix.pop_back();
  }
}

}  // namespace

PriorFamily parse_prior_family(std::string_view name) {
  if (name == "independent_uniform") return PriorFamily::independent_uniform;
  if (name == "random_dirichlet") return PriorFamily::random_dirichlet;
  if (name == "correlated_mixture") return PriorFamily::correlated_mixture;
  reject("unknown prior family '" + std::string(name) +
         "'; expected independent_uniform, random_dirichlet or correlated_mixture");
}

ScfFamily parse_scf_family(std::string_view name) {
  if (name == "constant") return ScfFamily::constant;
  if (name == "random_deterministic") return ScfFamily::random_deterministic;
  if (name == "favour_agent_1") return ScfFamily::favour_agent_1;
  reject("unknown SCF family '" + std::string(name) + "'; expected constant, random_deterministic or favour_agent_1");
}

std::string_view to_string(PriorFamily family) {
  switch (family) {
    case PriorFamily::independent_uniform:
      return "independent_uniform";
    case PriorFamily::random_dirichlet:
      return "random_dirichlet";
    case PriorFamily::correlated_mixture:
      return "correlated_mixture";
  }
  return "?";
}

std::string_view to_string(ScfFamily family) {
  switch (family) {
    case ScfFamily::constant:
      return "constant";
    case ScfFamily::random_deterministic:
      return "random_deterministic";
    case ScfFamily::favour_agent_1:
      return "favour_agent_1";
  }
  return "?";
}

std::vector<Rational> make_prior(const ProfileSpace& profiles, PriorFamily family, std::uint64_t seed,
                                 const Rational& rho) {
  const int n = profiles.agents();
  std::vector<std::vector<Rational>> marginals;
  if (family == PriorFamily::random_dirichlet) {
    std::mt19937_64 rng(derive_seed(seed, 1));
    for (int i = 0; i < n; ++i) marginals.push_back(dirichlet_marginal(profiles.types(i), rng));
    return independent_prior(profiles, marginals);
  }
  std::vector<Rational> prior = uniform_prior(profiles);
  if (family == PriorFamily::independent_uniform) return prior;
  if (rho < 0 || rho > 1) reject("correlation ρ = " + to_string(rho) + "; expected 0 ≤ ρ ≤ 1");
  std::vector<std::int64_t> diagonal;
  for (int a = 0; a < profiles.types(0); ++a) {
    Profile t(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) t[i] = a % profiles.types(i);
    diagonal.push_back(profiles.encode(t));
  }
  for (auto& p : prior) p *= (1 - rho);
  for (const std::int64_t t : diagonal) prior[t] += rho / static_cast<std::int64_t>(diagonal.size());
  return prior;
}

Scf make_scf(const Environment& env, ScfFamily family, std::uint64_t seed, const Rational& min_share) {
  std::vector<int> allowed;
  for (int o = 0; o < env.outcome_count(); ++o) {
    const Outcome& x = env.outcome(o);
    if (std::all_of(x.begin(), x.end(), [&](const Rational& share) { return share >= min_share; })) {
      allowed.push_back(o);
    }
  }
  if (allowed.empty()) {
    reject("scf: no outcome gives every agent at least min_share = " + to_string(min_share) +
           "; expected a floor of at most 1/n of what the outcomes divide");
  }
  const std::int64_t profiles = env.profiles().size();
  Scf mu(static_cast<std::size_t>(profiles));
  const auto argmax = [&allowed](std::int64_t t, auto&& score) {
    int best = allowed.front();
    for (const int o : allowed) {
      if (score(t, o) > score(t, best)) best = o;
    }
    return best;
  };
  switch (family) {
    case ScfFamily::constant: {
      const int o = argmax(0, [&env](std::int64_t t, int x) { return env.u(0, t, x); });
      std::fill(mu.begin(), mu.end(), o);
      break;
    }
    case ScfFamily::random_deterministic: {
      std::mt19937_64 rng(derive_seed(seed, 2));
      std::uniform_int_distribution<std::size_t> pick(0, allowed.size() - 1);
      for (auto& o : mu) o = allowed[pick(rng)];
      break;
    }
    case ScfFamily::favour_agent_1: {
      const auto score = [&env](std::int64_t t, int x) {
        Rational total = 2 * env.u(0, t, x);
        for (int i = 1; i < env.agents(); ++i) total += env.u(i, t, x);
        return total;
      };
      for (std::int64_t t = 0; t < profiles; ++t) mu[static_cast<std::size_t>(t)] = argmax(t, score);
      break;
    }
  }
  return mu;
}

Environment make_share_environment(const ShareEnvironmentParams& params) {
  const int n = params.agents;
  const int d = params.denominator;
  if (n < 2) reject("share environment: n = " + std::to_string(n) + " agents; expected n ≥ 2");
  if (d < 1) reject("share environment: denominator " + std::to_string(d) + "; expected ≥ 1");
  if (!params.free_disposal && (d % n != 0 || d % (n - 1) != 0)) {
    reject("share environment: denominator " + std::to_string(d) +
           " cannot express o* = 1/n and o̲^i = 1/(n−1); expected a multiple of n(n−1)");
  }
  EnvironmentSpec spec;
  spec.type_counts.assign(static_cast<std::size_t>(n), params.types);
  Outcome prefix;
  shares(n, d, params.free_disposal, prefix, d, spec.outcomes);
  const ProfileSpace profiles(spec.type_counts);
  std::mt19937_64 rng(derive_seed(params.seed, 3));
  std::uniform_int_distribution<int> weight(1, 5);
  std::vector<std::vector<int>> w(static_cast<std::size_t>(n));
  for (auto& row : w) {
    for (int k = 0; k < params.types; ++k) row.push_back(weight(rng));
  }
  spec.utility = tabulate_utility(
      profiles, spec.outcomes, [&w](int i, const Profile& t, const Outcome& x) { return Rational{w[i][t[i]]} * x[i]; });
  for (std::int64_t t = 0; t < profiles.size(); ++t) {
    const Profile profile = profiles.decode(t);
    for (const Outcome& x : spec.outcomes) {
      Rational total = 0;
      for (int i = 0; i < n; ++i) total += Rational{w[i][profile[i]]} * x[i];
      spec.principal.push_back(total);
    }
  }
  spec.prior = make_prior(profiles, params.prior, params.seed, params.rho);
  const auto index_of = [&spec](const Outcome& x) {
    return static_cast<int>(std::find(spec.outcomes.begin(), spec.outcomes.end(), x) - spec.outcomes.begin());
  };
  if (params.free_disposal) {
    const int zero = index_of(Outcome(static_cast<std::size_t>(n), Rational{0}));
    spec.worst.assign(static_cast<std::size_t>(n), zero);
    spec.fallback = zero;
  } else {
    for (const Outcome& x : worst_family_from_template(n, Rational{0}, Rational{1, n - 1}))
      spec.worst.push_back(index_of(x));
    spec.fallback = index_of(Outcome(static_cast<std::size_t>(n), Rational{1, n}));
  }
  return Environment(std::move(spec));
}

}  // namespace mechsweep::fpre
