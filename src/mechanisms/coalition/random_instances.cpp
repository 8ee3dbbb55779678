#include "mechanisms/coalition/random_instances.hpp"

#include <random>
#include <stdexcept>
#include <string>

#include "core/seed.hpp"

namespace mechsweep::coalition {

Environment random_environment(const std::vector<int>& type_counts, int outcomes, UtilityModel model,
                               std::uint64_t seed) {
  const ProfileSpace profiles(type_counts);
  const int n = profiles.agents();
  if (outcomes < 1) throw std::invalid_argument("coalition: outcomes must be ≥ 1, found " + std::to_string(outcomes));
  std::mt19937_64 rng(seed);
  const auto draw = [&] { return static_cast<double>(rng() % 10); };
  std::vector<double> utility(static_cast<std::size_t>(n) * profiles.size() * outcomes);
  const auto at = [&](int i, std::size_t theta, int x) -> double& {
    return utility[(static_cast<std::size_t>(i) * profiles.size() + theta) * outcomes + x];
  };
  switch (model) {
    case UtilityModel::iid:
      for (double& u : utility) u = draw();
      break;
    case UtilityModel::private_values:
      for (int i = 0; i < n; ++i) {
        std::vector<double> own(static_cast<std::size_t>(profiles.types(i)) * outcomes);
        for (double& v : own) v = draw();
        for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
          for (int x = 0; x < outcomes; ++x) at(i, theta, x) = own[profiles.type_of(theta, i) * outcomes + x];
        }
      }
      break;
    case UtilityModel::common_value:
      for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
        for (int x = 0; x < outcomes; ++x) {
          const double v = draw();
          for (int i = 0; i < n; ++i) at(i, theta, x) = v;
        }
      }
      break;
  }
  return Environment(type_counts, outcomes, std::move(utility));
}

std::uint64_t deterministic_scf_count(const Environment& env) {
  constexpr std::uint64_t kSaturated = std::uint64_t{1} << 63;
  std::uint64_t count = 1;
  const auto m = static_cast<std::uint64_t>(env.outcomes());
  for (std::size_t theta = 0; theta < env.profiles().size(); ++theta) {
    if (count > kSaturated / m) return kSaturated;
    count *= m;
  }
  return count;
}

Scf make_scf(const Environment& env, ScfFamily family, std::uint64_t seed, std::uint64_t index) {
  const std::size_t profiles = env.profiles().size();
  const int m = env.outcomes();
  std::vector<int> choice(profiles, 0);
  const auto argmax = [&](std::size_t theta, auto&& value) {
    int best = 0;
    for (int x = 1; x < m; ++x) {
      if (value(theta, x) > value(theta, best)) best = x;
    }
    return best;
  };
  switch (family) {
    case ScfFamily::efficient:
      for (std::size_t theta = 0; theta < profiles; ++theta) {
        choice[theta] = argmax(theta, [&](std::size_t t, int x) {
          double total = 0.0;
          for (int i = 0; i < env.agents(); ++i) total += env.utility(i, t, x);
          return total;
        });
      }
      break;
    case ScfFamily::dictatorial:
      for (std::size_t theta = 0; theta < profiles; ++theta) {
        choice[theta] = argmax(theta, [&](std::size_t t, int x) { return env.utility(0, t, x); });
      }
      break;
    case ScfFamily::constant:
      break;
    case ScfFamily::random: {
      // A stream of its own, so the SCF does not reuse the utilities' draws.
      std::mt19937_64 rng(derive_seed(seed, 0x5cf));
      for (int& x : choice) x = static_cast<int>(rng() % static_cast<std::uint64_t>(m));
      break;
    }
    case ScfFamily::enumerated: {
      if (index >= deterministic_scf_count(env)) {
        throw std::invalid_argument("coalition: SCF index " + std::to_string(index) +
                                    " is outside [0, m^|Θ| = " + std::to_string(deterministic_scf_count(env)) + ")");
      }
      for (int& x : choice) {
        x = static_cast<int>(index % static_cast<std::uint64_t>(m));
        index /= static_cast<std::uint64_t>(m);
      }
      break;
    }
  }
  return Scf::deterministic(env, choice);
}

Instance random_instance(const std::vector<int>& type_counts, int outcomes, UtilityModel model, ScfFamily family,
                         std::uint64_t seed, std::uint64_t index) {
  Environment env = random_environment(type_counts, outcomes, model, seed);
  Scf scf = make_scf(env, family, seed, index);
  return Instance(std::move(env), std::move(scf));
}

}  // namespace mechsweep::coalition
