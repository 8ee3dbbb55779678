#include "mechanisms/fpre/construction.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

#include "core/seed.hpp"

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

// A^n, or −1 when it exceeds `cap`.
std::int64_t profile_count(std::int64_t alphabet, int n, std::int64_t cap) {
  std::int64_t count = 1;
  for (int i = 0; i < n; ++i) {
    if (count > cap / alphabet) return -1;
    count *= alphabet;
  }
  return count;
}

void decode_profile(std::int64_t index, std::int64_t alphabet, std::vector<std::int64_t>& profile) {
  for (auto& letter : profile) {
    letter = index % alphabet;
    index /= alphabet;
  }
}

std::vector<std::vector<int>> permutations_to_check(int n, bool all) {
  std::vector<std::vector<int>> result;
  std::vector<int> pi(static_cast<std::size_t>(n));
  std::iota(pi.begin(), pi.end(), 0);
  if (all) {
    do {
      result.push_back(pi);
    } while (std::next_permutation(pi.begin(), pi.end()));
    return result;
  }
  for (int j = 0; j + 1 < n; ++j) {
    std::vector<int> swap = pi;
    std::swap(swap[j], swap[j + 1]);
    result.push_back(swap);
  }
  return result;
}

}  // namespace

// ---- PasswordTable -------------------------------------------------------------

PasswordTable::PasswordTable(std::uint64_t seed, std::int64_t grid) : seed_(seed), grid_(grid) {
  if (grid < 1) reject("password grid m' = " + std::to_string(grid) + "; expected m' ≥ 1");
}

std::int64_t PasswordTable::password(std::int64_t index) const {
  const auto m = static_cast<std::uint64_t>(grid_);
  // Reject the top partial block so that the result is exactly uniform on W.
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - (std::numeric_limits<std::uint64_t>::max() % m + 1) % m;
  std::uint64_t word = derive_seed(seed_, static_cast<std::uint64_t>(index));
  while (word > limit) word = splitmix64(word);
  return static_cast<std::int64_t>(word % m);
}

// ---- Fpre ----------------------------------------------------------------------

Fpre::Fpre(const Environment& env, BaseRule base, std::int64_t grid) : env_(&env), base_(std::move(base)), grid_(grid) {
  if (grid < 1) reject("password grid m' = " + std::to_string(grid) + "; expected m' ≥ 1");
}

std::int64_t Fpre::alphabet_size() const {
  const std::int64_t k = base_.index_count();
  if (k > std::numeric_limits<std::int64_t>::max() / grid_) return std::numeric_limits<std::int64_t>::max();
  return k * grid_;
}

double Fpre::log10_family_size() const {
  return static_cast<double>(base_.index_count()) * std::log10(static_cast<double>(grid_));
}

bool Fpre::passes(const FiniteMessage& m, const PasswordTable& eps) const {
  return m.index >= 0 && m.index < base_.index_count() && m.password >= 0 && m.password < grid_ &&
         m.password == eps.password(m.index);
}

int Fpre::evaluate(std::span<const FiniteMessage> tau, const PasswordTable& eps) const {
  if (static_cast<int>(tau.size()) != base_.agents()) {
    reject("ν^ε got " + std::to_string(tau.size()) + " messages; expected one per agent (" +
           std::to_string(base_.agents()) + ")");
  }
  int failures = 0;
  int failing = -1;
  for (std::size_t i = 0; i < tau.size(); ++i) {
    if (!passes(tau[i], eps)) {
      ++failures;
      failing = static_cast<int>(i);
    }
  }
  if (failures == 0) {
    std::vector<std::int64_t> s(tau.size());
    for (std::size_t i = 0; i < tau.size(); ++i) s[i] = tau[i].index;
    return base_.evaluate(s);
  }
  if (failures == 1) return env_->worst(failing);
  return env_->fallback();
}

std::vector<FiniteMessage> Fpre::recommend(int outcome, const PasswordTable& eps) const {
  const std::vector<std::int64_t> s = base_.indices_for(outcome);
  std::vector<FiniteMessage> tau;
  tau.reserve(s.size());
  for (const std::int64_t index : s) tau.push_back({index, eps.password(index)});
  return tau;
}

std::vector<FiniteMessage> Fpre::recommend(const Scf& mu, std::int64_t t, const PasswordTable& eps) const {
  return recommend(mu[static_cast<std::size_t>(t)], eps);
}

BaseRule base_rule_for(const Environment& env, const Scf& mu, std::int64_t indices) {
  require_scf(env, mu);
  const std::vector<int> targets = scf_image(mu);
  return BaseRule(env, targets, indices);
}

// ---- Definition 1 checks ---------------------------------------------------------

SymmetryCheck check_symmetry(const Environment& env, std::int64_t alphabet, const MessageRule& rule,
                             const SymmetryOptions& options) {
  const int n = env.agents();
  if (alphabet < 1) reject("symmetry check: alphabet size " + std::to_string(alphabet) + "; expected ≥ 1");
  SymmetryCheck check;
  const auto perms = permutations_to_check(n, options.all_permutations);
  const std::int64_t total = profile_count(alphabet, n, options.exhaustive_limit);
  check.exhaustive = total >= 0;
  const std::int64_t rounds = check.exhaustive ? total : options.samples;
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::int64_t> letter(0, alphabet - 1);
  std::vector<std::int64_t> tau(static_cast<std::size_t>(n));
  std::vector<std::int64_t> moved(static_cast<std::size_t>(n));
  for (std::int64_t r = 0; r < rounds; ++r) {
    if (check.exhaustive) {
      decode_profile(r, alphabet, tau);
    } else {
      for (auto& x : tau) x = letter(rng);
    }
    const Outcome& base = env.outcome(rule(tau));
    for (const auto& pi : perms) {
      for (int k = 0; k < n; ++k) moved[k] = tau[static_cast<std::size_t>(pi[k])];
      ++check.pairs;
      if (env.outcome(rule(moved)) != permute(base, pi)) {
        if (check.violations == 0) check.witness = tau;
        ++check.violations;
      }
    }
  }
  return check;
}

SymmetryCheck check_symmetry(const Fpre& fpre, const PasswordTable& eps, const SymmetryOptions& options) {
  const MessageRule rule = [&](std::span<const std::int64_t> codes) {
    std::vector<FiniteMessage> tau;
    tau.reserve(codes.size());
    for (const std::int64_t code : codes) tau.push_back(fpre.decode(code));
    return fpre.evaluate(tau, eps);
  };
  return check_symmetry(fpre.environment(), fpre.alphabet_size(), rule, options);
}

SurjectivityCheck check_surjective(const Environment& env, std::int64_t alphabet, const MessageRule& rule,
                                   std::span<const int> required, std::int64_t exhaustive_limit) {
  SurjectivityCheck check;
  check.required.assign(required.begin(), required.end());
  const int n = env.agents();
  const std::int64_t total = profile_count(alphabet, n, exhaustive_limit);
  check.exhaustive = total >= 0;
  std::set<int> reached;
  if (check.exhaustive) {
    std::vector<std::int64_t> tau(static_cast<std::size_t>(n));
    for (std::int64_t r = 0; r < total; ++r) {
      decode_profile(r, alphabet, tau);
      reached.insert(rule(tau));
    }
  }
  for (const int o : required) {
    if (!reached.contains(o)) check.missing.push_back(o);
  }
  return check;
}

SurjectivityCheck check_surjective(const Fpre& fpre, const PasswordTable& eps, std::int64_t exhaustive_limit) {
  const Environment& env = fpre.environment();
  const int n = env.agents();
  std::set<int> required(fpre.base().image().begin(), fpre.base().image().end());
  // With m' = 1 every letter of A passes, so o̲^i lies outside ν^ε(A^n).
  if (fpre.grid() >= 2) {
    for (int i = 0; i < n; ++i) required.insert(env.worst(i));
  }
  const std::vector<int> list(required.begin(), required.end());
  const MessageRule rule = [&](std::span<const std::int64_t> codes) {
    std::vector<FiniteMessage> tau;
    for (const std::int64_t code : codes) tau.push_back(fpre.decode(code));
    return fpre.evaluate(tau, eps);
  };
  SurjectivityCheck check = check_surjective(env, fpre.alphabet_size(), rule, list, exhaustive_limit);
  if (check.exhaustive) return check;
  // Witness profiles (spec §1.7.1 step 6: ν^ε inherits surjectivity from ν).
  std::set<int> reached;
  for (const int o : list) {
    if (o == env.fallback()) {
      const std::vector<FiniteMessage> diagonal(static_cast<std::size_t>(n), FiniteMessage{0, eps.password(0)});
      reached.insert(fpre.evaluate(diagonal, eps));
      continue;
    }
    if (std::binary_search(fpre.base().image().begin(), fpre.base().image().end(), o)) {
      reached.insert(fpre.evaluate(fpre.recommend(o, eps), eps));
    }
  }
  for (int i = 0; i < n && fpre.grid() >= 2; ++i) {
    std::vector<FiniteMessage> tau(static_cast<std::size_t>(n), FiniteMessage{0, eps.password(0)});
    tau[static_cast<std::size_t>(i)].password = (eps.password(0) + 1) % fpre.grid();  // wrong password
    reached.insert(fpre.evaluate(tau, eps));
  }
  check.missing.clear();
  for (const int o : list) {
    if (!reached.contains(o)) check.missing.push_back(o);
  }
  return check;
}

ImplementationCheck check_exact_implementation(const Fpre& fpre, const Scf& mu, std::uint64_t seed, int draws) {
  const Environment& env = fpre.environment();
  require_scf(env, mu);
  ImplementationCheck check;
  check.draws = draws;
  for (int d = 0; d < draws; ++d) {
    const std::uint64_t table_seed = derive_seed(seed, static_cast<std::uint64_t>(d));
    const PasswordTable eps = fpre.table(table_seed);
    for (std::int64_t t = 0; t < env.profiles().size(); ++t) {
      ++check.checks;
      if (fpre.evaluate(fpre.recommend(mu, t, eps), eps) == mu[static_cast<std::size_t>(t)]) {
        ++check.matches;
      } else if (!check.failing_profile) {
        check.failing_profile = t;
        check.failing_seed = table_seed;
      }
    }
  }
  return check;
}

}  // namespace mechsweep::fpre
