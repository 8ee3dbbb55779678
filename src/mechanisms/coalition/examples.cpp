#include "mechanisms/coalition/examples.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace mechsweep::coalition {

namespace {

// Outcome vectors are (x_0, x_1, …, x_n); duplicates in f(Θ) are one outcome,
// since acceptability compares outcomes (spec §6.2 item 5).
int outcome_index(std::vector<std::vector<double>>& outcomes, const std::vector<double>& x) {
  const auto found = std::find(outcomes.begin(), outcomes.end(), x);
  if (found != outcomes.end()) return static_cast<int>(found - outcomes.begin());
  outcomes.push_back(x);
  return static_cast<int>(outcomes.size()) - 1;
}

void add_disposals(std::vector<std::vector<double>>& outcomes, int agents, const std::vector<double>& disposal) {
  for (double depth : disposal) {
    if (!std::isfinite(depth) || depth <= 0.0) {
      throw std::invalid_argument("coalition: a disposal depth must be finite and positive, found " +
                                  std::to_string(depth));
    }
    std::vector<double> x(agents + 1, -depth);
    x[0] = 0.0;
    outcome_index(outcomes, x);
  }
}

// u_i(x, θ) = weight_i(θ)·x_0 + x_i over every outcome.
PublicGoodInstance public_good(const ProfileSpace& profiles, std::vector<std::vector<double>> outcomes,
                               const std::vector<int>& f, const std::vector<std::vector<double>>& weight) {
  const int n = profiles.agents();
  const int m = static_cast<int>(outcomes.size());
  std::vector<double> utility(static_cast<std::size_t>(n) * profiles.size() * m);
  for (int i = 0; i < n; ++i) {
    for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
      for (int x = 0; x < m; ++x) {
        utility[(i * profiles.size() + theta) * m + x] = weight[i][theta] * outcomes[x][0] + outcomes[x][i + 1];
      }
    }
  }
  Environment env(profiles.type_counts(), m, std::move(utility));
  Scf scf = Scf::deterministic(env, f);
  return {Instance(std::move(env), std::move(scf)), std::move(outcomes)};
}

}  // namespace

PublicGoodInstance example1(int agents, int types, double cost_scale, const std::vector<double>& disposal,
                            double mixing_deg) {
  if (types < 2)
    throw std::invalid_argument("coalition: the Example-1 grid needs types ≥ 2, found " + std::to_string(types));
  if (!std::isfinite(cost_scale) || cost_scale < 0.0) {
    throw std::invalid_argument("coalition: the cost scale c must be finite and ≥ 0, found " +
                                std::to_string(cost_scale));
  }
  if (!(mixing_deg >= 0.0 && mixing_deg <= 90.0)) {
    throw std::invalid_argument("coalition: the mixing angle must be in [0, 90] degrees, found " +
                                std::to_string(mixing_deg));
  }
  const ProfileSpace profiles(std::vector<int>(agents, types));
  const double phi = mixing_deg * std::numbers::pi / 180.0;
  // Exact at φ = 0 so that the paper's private-values case has exact ties.
  const double own = mixing_deg == 0.0 ? 1.0 : std::cos(phi);
  const double others = mixing_deg == 0.0 ? 0.0 : std::sin(phi);

  std::vector<std::vector<double>> outcomes;
  std::vector<int> f(profiles.size());
  std::vector<std::vector<double>> weight(agents, std::vector<double>(profiles.size()));
  for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
    std::vector<double> x(agents + 1, 0.0);
    double total = 0.0;
    for (int i = 0; i < agents; ++i) {
      const double value = static_cast<double>(profiles.type_of(theta, i)) / (types - 1);
      total += value;
      x[i + 1] = -cost_scale * value * value;
    }
    x[0] = total;
    f[theta] = outcome_index(outcomes, x);
    for (int i = 0; i < agents; ++i) {
      const double value = static_cast<double>(profiles.type_of(theta, i)) / (types - 1);
      weight[i][theta] = own * value + others * (total - value);
    }
  }
  add_disposals(outcomes, agents, disposal);
  return public_good(profiles, std::move(outcomes), f, weight);
}

PublicGoodInstance example2(const std::vector<double>& disposal) {
  const ProfileSpace profiles({2, 2});
  std::vector<std::vector<double>> outcomes = {{0, 0, 0}, {2, -1, -1}, {4, -4, -4}};
  add_disposals(outcomes, 2, disposal);
  std::vector<int> f(profiles.size());
  std::vector<std::vector<double>> weight(2, std::vector<double>(profiles.size()));
  for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
    const int s = profiles.type_of(theta, 0) + profiles.type_of(theta, 1);
    f[theta] = s;
    weight[0][theta] = weight[1][theta] = s;
  }
  return public_good(profiles, std::move(outcomes), f, weight);
}

}  // namespace mechsweep::coalition
