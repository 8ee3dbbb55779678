#include "mechanisms/persuasion/prior.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "mechanisms/persuasion/errors.hpp"

namespace mechsweep::persuasion {
namespace {

using detail::reject;
using detail::show;

}  // namespace

double ValueDistribution::mean() const {
  double total = 0.0;
  for (std::size_t a = 0; a < values.size(); ++a) total += values[a] * probabilities[a];
  return total;
}

ValueDistribution make_distribution(std::span<const double> values, std::span<const double> probabilities,
                                    const std::string& what) {
  if (values.size() != probabilities.size()) {
    reject(what + " probability count", std::to_string(probabilities.size()),
           std::to_string(values.size()) + " (one per value)");
  }
  if (values.empty()) reject(what + " support size", "0", "≥ 1 (a non-empty support)");
  double total = 0.0;
  for (std::size_t a = 0; a < values.size(); ++a) {
    if (!std::isfinite(values[a]) || values[a] <= 0.0) {
      reject(what + " value[" + std::to_string(a) + "]", show(values[a]), "finite > 0");
    }
    if (!std::isfinite(probabilities[a]) || probabilities[a] < 0.0) {
      reject(what + " probability[" + std::to_string(a) + "]", show(probabilities[a]), "finite ≥ 0");
    }
    total += probabilities[a];
  }
  if (std::abs(total - 1.0) > 1e-12) reject(what + " probability sum", show(total), "1 (within 1e-12)");

  // Zero-probability atoms must not create blocks or ties (spec §6.3); equal
  // values are one atom.
  std::vector<std::size_t> atoms;
  for (std::size_t a = 0; a < values.size(); ++a) {
    if (probabilities[a] > 0.0) atoms.push_back(a);
  }
  std::stable_sort(atoms.begin(), atoms.end(), [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
  ValueDistribution out;
  for (const std::size_t a : atoms) {
    if (!out.values.empty() && out.values.back() == values[a]) {
      out.probabilities.back() += probabilities[a];
    } else {
      out.values.push_back(values[a]);
      out.probabilities.push_back(probabilities[a]);
    }
  }
  const double kept = std::accumulate(out.probabilities.begin(), out.probabilities.end(), 0.0);
  if (kept != 1.0) {
    for (double& p : out.probabilities) p /= kept;
  }
  return out;
}

ValueDistribution deterministic(double value) {
  const double one = 1.0;
  return make_distribution({&value, 1}, {&one, 1}, "deterministic value");
}

double value_scale(const Prior& prior) {
  if (prior.empty()) reject("number of agents", "0", "≥ 1");
  double V = 0.0;
  for (std::size_t i = 0; i < prior.size(); ++i) {
    if (prior[i].values.empty()) reject("agent " + std::to_string(i) + " support size", "0", "≥ 1");
    V = std::max(V, prior[i].max());
  }
  return V;
}

void require_normalised(const Prior& prior, double V) {
  if (!std::isfinite(V) || V < 1.0) reject("value scale V", show(V), "finite ≥ 1");
  for (std::size_t i = 0; i < prior.size(); ++i) {
    for (const double v : prior[i].values) {
      if (!(v >= 1.0 && v <= V))
        reject("agent " + std::to_string(i) + " value", show(v), "in [1, V = " + show(V) + "]");
    }
  }
}

std::int64_t scenario_count(const Prior& prior) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t count = 1;
  for (const auto& d : prior) {
    const std::int64_t s = d.support();
    if (s == 0) return 0;
    if (count > kMax / s) return kMax;
    count *= s;
  }
  return count;
}

}  // namespace mechsweep::persuasion
