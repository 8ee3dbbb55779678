#include "mechanisms/coalition/environment.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::coalition {

namespace {

constexpr double kNormalisationTolerance = 1e-9;

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("coalition: " + message); }

}  // namespace

int coalition_size(Coalition s) { return std::popcount(s); }
int first_member(Coalition s) { return std::countr_zero(s); }

ProfileSpace::ProfileSpace(std::vector<int> type_counts) : type_counts_(std::move(type_counts)) {
  const int n = static_cast<int>(type_counts_.size());
  if (n < 1 || n > kMaxAgents) {
    reject("the number of agents must be in [1, " + std::to_string(kMaxAgents) + "], found " + std::to_string(n));
  }
  size_ = 1;
  for (int i = 0; i < n; ++i) {
    if (type_counts_[i] < 1) {
      reject("agent " + std::to_string(i) + " needs at least one payoff type, found " +
             std::to_string(type_counts_[i]));
    }
    stride_.push_back(size_);
    size_ *= static_cast<std::size_t>(type_counts_[i]);
    if (size_ > (std::size_t{1} << 24)) reject("the type space has more than 2^24 profiles");
  }
  embed_.resize(std::size_t{1} << n);
  for (Coalition s = 0; s < embed_.size(); ++s) {
    std::vector<std::size_t> offsets{0};
    for (int i = 0; i < n; ++i) {
      if (!is_member(s, i)) continue;
      std::vector<std::size_t> next;
      next.reserve(offsets.size() * type_counts_[i]);
      // Agent i is more significant than the members before it, so it varies slowest.
      for (int t = 0; t < type_counts_[i]; ++t) {
        for (std::size_t o : offsets) next.push_back(o + static_cast<std::size_t>(t) * stride_[i]);
      }
      offsets = std::move(next);
    }
    embed_[s] = std::move(offsets);
  }
}

std::size_t ProfileSpace::profile_of(std::span<const int> types) const {
  if (types.size() != type_counts_.size()) reject("a profile needs one type per agent");
  std::size_t profile = 0;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (types[i] < 0 || types[i] >= type_counts_[i]) {
      reject("agent " + std::to_string(i) + "'s type " + std::to_string(types[i]) + " is outside [0, " +
             std::to_string(type_counts_[i]) + ")");
    }
    profile += static_cast<std::size_t>(types[i]) * stride_[i];
  }
  return profile;
}

std::size_t ProfileSpace::project(std::size_t profile, Coalition s) const {
  std::size_t index = 0;
  std::size_t radix = 1;
  for (int i = 0; i < agents(); ++i) {
    if (!is_member(s, i)) continue;
    index += static_cast<std::size_t>(type_of(profile, i)) * radix;
    radix *= static_cast<std::size_t>(type_counts_[i]);
  }
  return index;
}

Environment::Environment(std::vector<int> type_counts, int outcomes, std::vector<double> utility)
    : profiles_(std::move(type_counts)), outcomes_(outcomes), utility_(std::move(utility)) {
  if (outcomes_ < 1) reject("an environment needs at least one outcome, found " + std::to_string(outcomes_));
  const std::size_t expected = static_cast<std::size_t>(agents()) * profiles_.size() * outcomes_;
  if (utility_.size() != expected) {
    reject("the utility table has " + std::to_string(utility_.size()) +
           " entries, expected n·|Θ|·m = " + std::to_string(expected));
  }
  for (std::size_t e = 0; e < utility_.size(); ++e) {
    if (!std::isfinite(utility_[e])) {
      const std::size_t x = e % outcomes_;
      const std::size_t profile = (e / outcomes_) % profiles_.size();
      const std::size_t agent = e / outcomes_ / profiles_.size();
      reject("utility u_" + std::to_string(agent) + "(x=" + std::to_string(x) + ", θ=" + std::to_string(profile) +
             ") is not finite");
    }
  }
}

double Environment::expected_utility(int i, std::size_t profile, std::span<const double> lottery) const {
  const auto row = utility_row(i, profile);
  double total = 0.0;
  for (int x = 0; x < outcomes_; ++x) total += lottery[x] * row[x];
  return total;
}

Scf::Scf(const Environment& env, std::vector<double> lotteries)
    : outcomes_(env.outcomes()), lotteries_(std::move(lotteries)) {
  const std::size_t profiles = env.profiles().size();
  if (lotteries_.size() != profiles * outcomes_) {
    reject("the SCF table has " + std::to_string(lotteries_.size()) + " entries, expected |Θ|·m = " +
           std::to_string(profiles * outcomes_) + " (an SCF must be defined on every profile)");
  }
  for (std::size_t profile = 0; profile < profiles; ++profile) {
    double total = 0.0;
    for (int x = 0; x < outcomes_; ++x) {
      const double p = lotteries_[profile * outcomes_ + x];
      if (!std::isfinite(p) || p < 0.0) {
        std::ostringstream message;
        message << "f(θ=" << profile << ") gives outcome " << x << " probability " << p
                << "; a lottery needs finite, non-negative probabilities";
        reject(message.str());
      }
      total += p;
    }
    if (std::abs(total - 1.0) > kNormalisationTolerance) {
      std::ostringstream message;
      message << "f(θ=" << profile << ") sums to " << total << "; a lottery must sum to 1";
      reject(message.str());
    }
  }
}

Scf Scf::deterministic(const Environment& env, std::span<const int> outcome_of_profile) {
  const std::size_t profiles = env.profiles().size();
  if (outcome_of_profile.size() != profiles) {
    reject("a deterministic SCF needs one outcome per profile: found " + std::to_string(outcome_of_profile.size()) +
           ", expected " + std::to_string(profiles));
  }
  std::vector<double> table(profiles * env.outcomes(), 0.0);
  for (std::size_t profile = 0; profile < profiles; ++profile) {
    const int x = outcome_of_profile[profile];
    if (x < 0 || x >= env.outcomes()) {
      reject("f(θ=" + std::to_string(profile) + ") = outcome " + std::to_string(x) + ", outside [0, " +
             std::to_string(env.outcomes()) + ")");
    }
    table[profile * env.outcomes() + x] = 1.0;
  }
  return Scf(env, std::move(table));
}

bool Scf::same_outcome(std::size_t a, std::size_t b) const {
  for (int x = 0; x < outcomes_; ++x) {
    if (std::abs(lotteries_[a * outcomes_ + x] - lotteries_[b * outcomes_ + x]) > kNormalisationTolerance) return false;
  }
  return true;
}

Instance::Instance(Environment env, Scf scf)
    : env_(std::move(env)), scf_(std::move(scf)), size_(env_.profiles().size()) {
  if (scf_.table().size() != size_ * static_cast<std::size_t>(env_.outcomes())) {
    reject("the SCF and the environment disagree on |Θ|·m");
  }
  const int n = env_.agents();
  uf_.resize(static_cast<std::size_t>(n) * size_ * size_);
  for (int i = 0; i < n; ++i) {
    for (std::size_t truth = 0; truth < size_; ++truth) {
      for (std::size_t report = 0; report < size_; ++report) {
        uf_[(static_cast<std::size_t>(i) * size_ + truth) * size_ + report] =
            env_.expected_utility(i, truth, scf_.lottery(report));
      }
    }
  }
  double scale = 0.0;
  for (double u : env_.utility_table()) scale = std::max(scale, std::abs(u));
  tie_ = std::max(1e-12, 1e-9 * scale);
}

}  // namespace mechsweep::coalition
