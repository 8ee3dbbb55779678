#include "mechanisms/coalition/lemma2.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "mechanisms/coalition/reward.hpp"

namespace mechsweep::coalition {

namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("coalition: " + message); }

// Checked before acceptable(), which indexes β without checking it.
void check_deception(const Instance& instance, const DeceptionProfile& beta) {
  const int n = instance.agents();
  if (static_cast<int>(beta.size()) != n) {
    reject("the Lemma 2 construction needs a deception for each of the " + std::to_string(n) + " agents, found " +
           std::to_string(beta.size()));
  }
  for (int i = 0; i < n; ++i) {
    const int k = instance.profiles().types(i);
    if (static_cast<int>(beta[i].size()) != k) {
      reject("β_" + std::to_string(i) + " has " + std::to_string(beta[i].size()) + " entries, but agent " +
             std::to_string(i) + " has " + std::to_string(k) + " payoff types");
    }
    for (int t = 0; t < k; ++t) {
      const bool beyond = k < 32 && (beta[i][t] >> k) != 0;
      if (beta[i][t] == 0 || beyond) {
        reject("β_" + std::to_string(i) + "(" + std::to_string(t) + ") must be a non-empty subset of Θ_" +
               std::to_string(i));
      }
    }
  }
}

// The construction needs a reflexive, unacceptable β (see lemma2.hpp).
void check_witness_deception(const Instance& instance, const DeceptionProfile& beta) {
  check_deception(instance, beta);
  for (int i = 0; i < instance.agents(); ++i) {
    if (!is_reflexive(beta[i])) {
      reject("the Lemma 2 construction needs a reflexive deception; " + describe(beta) + " is not");
    }
  }
  if (acceptable(instance, beta)) {
    reject("the Lemma 2 construction needs an unacceptable deception; " + describe(beta) + " is acceptable");
  }
}

std::vector<std::vector<std::pair<int, int>>> first_stage_types(const Instance& instance,
                                                                const DeceptionProfile& beta) {
  std::vector<std::vector<std::pair<int, int>>> first(beta.size());
  for (std::size_t i = 0; i < beta.size(); ++i) {
    const int k = instance.profiles().types(static_cast<int>(i));
    for (int truth = 0; truth < k; ++truth) {
      for (int report = 0; report < k; ++report) {
        if (((beta[i][truth] >> report) & 1U) != 0) first[i].emplace_back(truth, report);
      }
    }
  }
  return first;
}

int find_first_stage(const std::vector<std::pair<int, int>>& first, int truth, int report) {
  for (std::size_t t = 0; t < first.size(); ++t) {
    if (first[t].first == truth && first[t].second == report) return static_cast<int>(t);
  }
  return -1;
}

}  // namespace

int Lemma2Witness::first_stage_type(int agent, int truth, int report) const {
  return find_first_stage(first_stage[agent], truth, report);
}

std::vector<ConjecturePair> conjecture_pairs(const Instance& instance, const DeceptionProfile& beta, int agent) {
  check_deception(instance, beta);
  const int n = instance.agents();
  if (agent < 0 || agent >= n) reject("agent " + std::to_string(agent) + " is outside 0.." + std::to_string(n - 1));
  const ProfileSpace& profiles = instance.profiles();
  const auto outside = profiles.embed(all_agents(n) & ~singleton(agent));
  std::vector<ConjecturePair> gamma;
  for (std::size_t a = 0; a < outside.size(); ++a) {
    for (std::size_t b = 0; b < outside.size(); ++b) {
      bool allowed = true;
      for (int j = 0; j < n && allowed; ++j) {
        if (j == agent) continue;
        allowed = ((beta[j][profiles.type_of(outside[a], j)] >> profiles.type_of(outside[b], j)) & 1U) != 0;
      }
      if (allowed) gamma.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b)});
    }
  }
  return gamma;
}

Lemma2Conjectures failing_conjectures(const Instance& instance, const DeceptionProfile& beta,
                                      const ClauseOptions& options) {
  check_witness_deception(instance, beta);
  const int n = instance.agents();
  const auto first = first_stage_types(instance, beta);
  SolverCounters counters;
  Lemma2Conjectures conjectures(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    // Y_i = Y_{{i}}[𝒮̄]: the keys of every coalition that contains i.
    std::vector<Coalition> up_set;
    for (Coalition c = 1; c <= all_agents(n); ++c) {
      if (is_member(c, i)) up_set.push_back(c);
    }
    const RewardSet rewards(instance, singleton(i), up_set);
    const auto gamma = conjecture_pairs(instance, beta, i);
    for (const auto& [truth, report] : first[i]) {
      // Within Θ_{{i}} the index of θ_i is θ_i itself.
      ClauseResult clause = whistle_clause(instance, rewards, static_cast<std::size_t>(truth),
                                           static_cast<std::size_t>(report), gamma, counters, options);
      const std::string candidate =
          "agent " + std::to_string(i) + " at θ_i = " + std::to_string(truth) + " reporting " + std::to_string(report);
      if (clause.truth != Truth::no) {
        reject("the whistle-blowing clause of " + candidate + " is " + label(clause.truth) + ", so " + describe(beta) +
               " does not witness a failure of robust coalitional monotonicity");
      }
      if (clause.failing_conjecture.size() != gamma.size()) {
        throw std::logic_error("coalition: the FALSE clause of " + candidate + " came without a failing conjecture");
      }
      conjectures[i].push_back({i, truth, report, gamma, std::move(clause.failing_conjecture)});
    }
  }
  return conjectures;
}

Lemma2Witness lemma2_type_space(const Instance& instance, const DeceptionProfile& beta,
                                const Lemma2Conjectures& conjectures) {
  check_witness_deception(instance, beta);
  const int n = instance.agents();
  const ProfileSpace& profiles = instance.profiles();
  auto first = first_stage_types(instance, beta);

  if (static_cast<int>(conjectures.size()) != n) {
    reject("the Lemma 2 construction needs conjectures for each of the " + std::to_string(n) + " agents, found " +
           std::to_string(conjectures.size()));
  }
  // Every conjecture must sit on Γ_{−i}(β): its pairs are the T¹ profiles of
  // the others, so anything else would have no type to put weight on.
  for (int i = 0; i < n; ++i) {
    if (conjectures[i].size() != first[i].size()) {
      reject("agent " + std::to_string(i) + " has " + std::to_string(first[i].size()) +
             " types (θ_i, θ'_i ∈ β_i(θ_i)) but " + std::to_string(conjectures[i].size()) + " conjectures");
    }
    const auto gamma = conjecture_pairs(instance, beta, i);
    for (std::size_t t = 0; t < first[i].size(); ++t) {
      const FailingConjecture& psi = conjectures[i][t];
      const std::string where = "agent " + std::to_string(i) + ", conjecture " + std::to_string(t);
      if (psi.agent != i || psi.truth != first[i][t].first || psi.report != first[i][t].second) {
        reject(where + " is for (agent " + std::to_string(psi.agent) + ", " + std::to_string(psi.truth) + ", " +
               std::to_string(psi.report) + ") but the type there is (" + std::to_string(first[i][t].first) + ", " +
               std::to_string(first[i][t].second) + ")");
      }
      if (psi.weights.size() != psi.gamma.size()) reject(where + " needs one weight per pair");
      double total = 0.0;
      for (std::size_t g = 0; g < psi.gamma.size(); ++g) {
        const double w = psi.weights[g];
        if (!std::isfinite(w) || w < 0.0) reject(where + ": weight " + std::to_string(g) + " is not a probability");
        total += w;
        if (w == 0.0) continue;
        bool in_gamma = false;
        for (const ConjecturePair& pair : gamma) {
          in_gamma = in_gamma || (pair.outsider_truth == psi.gamma[g].outsider_truth &&
                                  pair.outsider_report == psi.gamma[g].outsider_report);
        }
        if (!in_gamma) reject(where + ": pair " + std::to_string(g) + " with positive weight is outside Γ_{−i}(β)");
      }
      if (std::abs(total - 1.0) > 1e-9) reject(where + ": the weights sum to " + std::to_string(total) + ", not 1");
    }
  }

  std::vector<int> counts(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) counts[i] = static_cast<int>(first[i].size() + profiles.size());
  const ProfileSpace type_profiles(counts);

  std::vector<std::vector<int>> payoff_type(static_cast<std::size_t>(n));
  std::vector<std::vector<std::vector<double>>> beliefs(static_cast<std::size_t>(n));
  std::array<int, kMaxAgents> t{};
  const auto others_index = [&](int i) {
    t[i] = 0;
    return type_profiles.project(type_profiles.profile_of(std::span<const int>(t.data(), static_cast<std::size_t>(n))),
                                 all_agents(n) & ~singleton(i));
  };
  for (int i = 0; i < n; ++i) {
    const std::size_t others = type_profiles.count(all_agents(n) & ~singleton(i));
    const auto outside = profiles.embed(all_agents(n) & ~singleton(i));
    // Step 1: T¹ type (θ_i, θ'_i) believes ψ_i^{(θ_i,θ'_i)}, moved onto the
    // others' T¹ types ((θ_j, θ'_j))_{j≠i}.
    for (std::size_t k = 0; k < first[i].size(); ++k) {
      payoff_type[i].push_back(first[i][k].first);
      std::vector<double> belief(others, 0.0);
      const FailingConjecture& psi = conjectures[i][k];
      for (std::size_t g = 0; g < psi.gamma.size(); ++g) {
        if (psi.weights[g] == 0.0) continue;
        for (int j = 0; j < n; ++j) {
          if (j == i) continue;
          t[j] = find_first_stage(first[j], profiles.type_of(outside[psi.gamma[g].outsider_truth], j),
                                  profiles.type_of(outside[psi.gamma[g].outsider_report], j));
        }
        belief[others_index(i)] += psi.weights[g];
      }
      beliefs[i].push_back(std::move(belief));
    }
    // Step 2: T² type θ is certain the others are truthful T¹ types
    // ((θ_j, θ_j)), which exist because β is reflexive.
    for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
      payoff_type[i].push_back(profiles.type_of(theta, i));
      std::vector<double> belief(others, 0.0);
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        const int own = profiles.type_of(theta, j);
        t[j] = find_first_stage(first[j], own, own);
      }
      belief[others_index(i)] = 1.0;
      beliefs[i].push_back(std::move(belief));
    }
  }

  // Step 3: α and σ*∘α with σ* truth-telling in the direct mechanism.
  std::vector<std::vector<int>> alpha(static_cast<std::size_t>(n));
  StrategyProfile deceptive(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    for (const auto& [truth, report] : first[i]) {
      alpha[i].push_back(find_first_stage(first[i], report, report));
      deceptive[i].push_back(report);
    }
    for (std::size_t theta = 0; theta < profiles.size(); ++theta) {
      alpha[i].push_back(static_cast<int>(first[i].size() + theta));
      deceptive[i].push_back(profiles.type_of(theta, i));
    }
  }

  Lemma2Witness witness{TypeSpace(profiles, std::move(payoff_type), std::move(beliefs)), std::move(deceptive),
                        std::move(alpha), std::move(first), 0};
  // The bad profile: odometer over T¹ profiles, agent 0 fastest (type-profile order).
  std::array<int, kMaxAgents> reported{};
  std::vector<int> digit(static_cast<std::size_t>(n), 0);
  while (true) {
    for (int i = 0; i < n; ++i) {
      t[i] = digit[i];
      reported[i] = witness.first_stage[i][digit[i]].second;
    }
    std::array<int, kMaxAgents> truth{};
    for (int i = 0; i < n; ++i) truth[i] = witness.first_stage[i][digit[i]].first;
    const std::size_t theta = profiles.profile_of(std::span<const int>(truth.data(), static_cast<std::size_t>(n)));
    const std::size_t theta_reported =
        profiles.profile_of(std::span<const int>(reported.data(), static_cast<std::size_t>(n)));
    if (!instance.scf().same_outcome(theta, theta_reported)) {
      witness.bad_profile = type_profiles.profile_of(std::span<const int>(t.data(), static_cast<std::size_t>(n)));
      return witness;
    }
    int i = 0;
    for (; i < n; ++i) {
      if (++digit[i] < witness.first_stage_count(i)) break;
      digit[i] = 0;
    }
    if (i == n) break;
  }
  throw std::logic_error("coalition: an unacceptable deception with no T¹ profile where f(θ) ≠ f(θ')");
}

}  // namespace mechsweep::coalition
