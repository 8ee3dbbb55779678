#include "mechanisms/fpre/ic.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

}  // namespace

Scf scf_from_outcomes(const Environment& env, const std::vector<Outcome>& values) {
  if (static_cast<std::int64_t>(values.size()) != env.profiles().size()) {
    reject("μ has " + std::to_string(values.size()) + " values; expected one per type profile (" +
           std::to_string(env.profiles().size()) + ")");
  }
  Scf mu;
  for (std::size_t t = 0; t < values.size(); ++t) {
    const auto o = env.find(values[t]);
    if (!o)
      reject("μ(t = " + std::to_string(t) + ") = " + to_string(values[t]) + " is not in 𝒪; expected an outcome of 𝒪");
    mu.push_back(*o);
  }
  return mu;
}

void require_scf(const Environment& env, const Scf& mu) {
  if (static_cast<std::int64_t>(mu.size()) != env.profiles().size()) {
    reject("μ has " + std::to_string(mu.size()) + " values; expected one per type profile (" +
           std::to_string(env.profiles().size()) + ")");
  }
  for (std::size_t t = 0; t < mu.size(); ++t) {
    if (mu[t] < 0 || mu[t] >= env.outcome_count()) {
      reject("μ(t = " + std::to_string(t) + ") = outcome " + std::to_string(mu[t]) +
             " is not in 𝒪; expected an outcome index in [0, " + std::to_string(env.outcome_count()) + ")");
    }
  }
}

std::vector<int> scf_image(const Scf& mu) {
  const std::set<int> image(mu.begin(), mu.end());
  return {image.begin(), image.end()};
}

bool target_permutation_closed(const Environment& env, const Scf& mu) {
  for (const int o : scf_image(mu)) {
    for (int j = 0; j + 1 < env.agents(); ++j) {
      if (!env.find(swap_adjacent(env.outcome(o), j))) return false;
    }
  }
  return true;
}

void require_valid_target(const Environment& env, const Scf& mu) {
  require_scf(env, mu);
  for (const int o : scf_image(mu)) {
    for (int j = 0; j + 1 < env.agents(); ++j) {
      const Outcome swapped = swap_adjacent(env.outcome(o), j);
      if (!env.find(swapped)) {
        reject("𝒪 is not closed under permutations of the target outcome " + to_string(env.outcome(o)) + ": " +
               to_string(swapped) + " is missing; expected every permutation of μ(Θ) in 𝒪");
      }
    }
  }
}

IcReport check_ic(const Environment& env, const Scf& mu) {
  require_scf(env, mu);
  IcReport report;
  const ProfileSpace& profiles = env.profiles();
  bool first_bic = true;
  bool first_dsic = true;
  for (int i = 0; i < env.agents(); ++i) {
    for (int ti = 0; ti < profiles.types(i); ++ti) {
      const Rational& marginal = env.marginal(i, ti);
      if (marginal == 0) ++report.zero_probability_types;
      for (int tr = 0; tr < profiles.types(i); ++tr) {
        if (tr == ti) continue;
        Rational interim = 0;
        bool strict = false;
        for (std::int64_t t = 0; t < profiles.size(); ++t) {
          if (profiles.type_of(t, i) != ti) continue;
          const std::int64_t lie = profiles.with_type(t, i, tr);
          const Rational gain = env.u(i, t, mu[lie]) - env.u(i, t, mu[t]);
          if (gain < 0) strict = true;
          if (first_dsic || gain > report.max_dsic_violation) {
            report.max_dsic_violation = gain;
            first_dsic = false;
            if (gain > 0) report.dsic_witness = IcWitness{i, ti, tr, t, gain};
          }
          if (marginal != 0) interim += env.prior(t) * gain;
        }
        if (!strict) {
          report.strict_dsic = false;
          if (!report.not_strict_witness) report.not_strict_witness = IcWitness{i, ti, tr, -1, Rational{0}};
        }
        if (marginal != 0) {
          interim /= marginal;
          if (first_bic || interim > report.max_bic_violation) {
            report.max_bic_violation = interim;
            first_bic = false;
            if (interim > 0) report.bic_witness = IcWitness{i, ti, tr, -1, interim};
          }
        }
      }
    }
  }
  report.bic = report.max_bic_violation <= 0;
  report.weak_dsic = report.max_dsic_violation <= 0;
  report.strict_dsic = report.strict_dsic && report.weak_dsic;
  return report;
}

namespace {

// Counts (t, adjacent transposition) pairs with μ(t^π) ≠ μ(t)^π.
std::int64_t asymmetric_pairs(const Environment& env, const Scf& mu) {
  const ProfileSpace& profiles = env.profiles();
  std::int64_t failures = 0;
  for (std::int64_t t = 0; t < profiles.size(); ++t) {
    Profile profile = profiles.decode(t);
    for (int j = 0; j + 1 < env.agents(); ++j) {
      std::swap(profile[j], profile[j + 1]);
      const std::int64_t swapped = profiles.encode(profile);
      std::swap(profile[j], profile[j + 1]);
      if (env.outcome(mu[swapped]) != swap_adjacent(env.outcome(mu[t]), j)) ++failures;
    }
  }
  return failures;
}

}  // namespace

bool scf_is_symmetric(const Environment& env, const Scf& mu) {
  require_scf(env, mu);
  return env.profiles().equal_type_counts() && asymmetric_pairs(env, mu) == 0;
}

double scf_asymmetry_fraction(const Environment& env, const Scf& mu) {
  require_scf(env, mu);
  if (!env.profiles().equal_type_counts()) return 1.0;
  const auto pairs = static_cast<double>(env.profiles().size() * (env.agents() - 1));
  return static_cast<double>(asymmetric_pairs(env, mu)) / pairs;
}

PrincipalReport check_principal_expost_optimal(const Environment& env, const Scf& mu) {
  require_scf(env, mu);
  if (!env.has_principal()) reject("the environment has no principal utility u_0; expected one for §2.8");
  PrincipalReport report;
  for (std::int64_t t = 0; t < env.profiles().size(); ++t) {
    for (int o = 0; o < env.outcome_count(); ++o) {
      const Rational excess = env.u0(t, o) - env.u0(t, mu[t]);
      if (excess > report.max_violation) {
        report.max_violation = excess;
        report.profile = t;
        report.better_outcome = o;
      }
    }
  }
  report.expost_optimal = report.max_violation <= 0;
  return report;
}

}  // namespace mechsweep::fpre
