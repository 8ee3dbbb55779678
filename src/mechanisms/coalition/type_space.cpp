#include "mechanisms/coalition/type_space.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace mechsweep::coalition {

namespace {

constexpr double kNormalisationTolerance = 1e-9;

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("coalition: " + message); }

std::string describe(Coalition s) {
  std::string text = "{";
  bool first = true;
  for (int i = 0; s >> i != 0; ++i) {
    if (!is_member(s, i)) continue;
    if (!first) text += ",";
    text += std::to_string(i);
    first = false;
  }
  return text + "}";
}

std::string where(int i, int t) { return "agent " + std::to_string(i) + ", type " + std::to_string(t); }

// Throws unless `p` is a probability vector of the expected size; `what` says whose.
void require_distribution(std::span<const double> p, std::size_t expected, const std::string& what) {
  if (p.size() != expected) {
    reject(what + " has " + std::to_string(p.size()) + " entries, expected " + std::to_string(expected));
  }
  double total = 0.0;
  for (std::size_t e = 0; e < p.size(); ++e) {
    if (!std::isfinite(p[e]) || p[e] < 0.0) {
      std::ostringstream message;
      message << what << " gives entry " << e << " probability " << p[e]
              << "; probabilities must be finite and non-negative";
      reject(message.str());
    }
    total += p[e];
  }
  if (std::abs(total - 1.0) > kNormalisationTolerance) {
    std::ostringstream message;
    message.precision(17);
    message << what << " sums to " << total << ", expected 1 (within 1e-9)";
    reject(message.str());
  }
}

void require_coalition(const TypeSpace& types, Coalition s, int member, std::size_t realized) {
  const int n = types.agents();
  if (s == 0 || (s & ~all_agents(n)) != 0) reject("coalition " + describe(s) + " is not a coalition of the agents");
  if (member < 0 || member >= n || !is_member(s, member)) {
    reject("agent " + std::to_string(member) + " is not a member of coalition " + describe(s));
  }
  if (realized >= types.profiles().count(s)) {
    reject("realized type profile " + std::to_string(realized) + " of coalition " + describe(s) + " is outside [0, " +
           std::to_string(types.profiles().count(s)) + ")");
  }
}

void require_fit(const TypeSpace& types, int outcomes, const FiniteMechanism& mechanism, const StrategyProfile& sigma) {
  const int n = types.agents();
  if (mechanism.agents() != n) {
    reject("the mechanism has " + std::to_string(mechanism.agents()) + " agents, the type space " + std::to_string(n));
  }
  if (mechanism.outcomes() != outcomes) {
    reject("the mechanism's lotteries have " + std::to_string(mechanism.outcomes()) + " outcomes, the environment " +
           std::to_string(outcomes));
  }
  if (static_cast<int>(sigma.size()) != n) reject("a strategy profile needs one strategy per agent");
  for (int i = 0; i < n; ++i) {
    if (static_cast<int>(sigma[i].size()) != types.types(i)) {
      reject("agent " + std::to_string(i) + "'s strategy has " + std::to_string(sigma[i].size()) +
             " entries, expected " + std::to_string(types.types(i)) + " (one per type)");
    }
    for (int t = 0; t < types.types(i); ++t) {
      if (sigma[i][t] < 0 || sigma[i][t] >= mechanism.messages().types(i)) {
        reject(where(i, t) + ": message " + std::to_string(sigma[i][t]) + " is outside M_" + std::to_string(i) +
               " = [0, " + std::to_string(mechanism.messages().types(i)) + ")");
      }
    }
  }
}

// A uniform double in [0, 1) from the top 53 bits: the same on every platform,
// unlike std::uniform_real_distribution, so seeds reproduce everywhere.
double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

}  // namespace

// ---- type spaces -------------------------------------------------------------

TypeSpace::TypeSpace(const ProfileSpace& payoff_profiles, std::vector<std::vector<int>> payoff_type,
                     std::vector<std::vector<std::vector<double>>> beliefs)
    : payoff_profiles_(payoff_profiles), payoff_type_(std::move(payoff_type)), beliefs_(std::move(beliefs)) {
  const int n = payoff_profiles_.agents();
  if (static_cast<int>(payoff_type_.size()) != n) {
    reject("a type space needs a payoff map θ̂_i for each of the " + std::to_string(n) + " agents, found " +
           std::to_string(payoff_type_.size()));
  }
  std::vector<int> counts;
  for (int i = 0; i < n; ++i) {
    if (payoff_type_[i].empty()) reject("agent " + std::to_string(i) + " has no types");
    counts.push_back(static_cast<int>(payoff_type_[i].size()));
  }
  types_ = ProfileSpace(counts);

  for (int i = 0; i < n; ++i) {
    std::vector<bool> hit(static_cast<std::size_t>(payoff_profiles_.types(i)), false);
    for (int t = 0; t < types(i); ++t) {
      const int theta = payoff_type_[i][t];
      if (theta < 0 || theta >= payoff_profiles_.types(i)) {
        reject(where(i, t) + ": θ̂ value " + std::to_string(theta) + " is outside Θ_" + std::to_string(i) + " = [0, " +
               std::to_string(payoff_profiles_.types(i)) + ")");
      }
      hit[theta] = true;
    }
    for (int theta = 0; theta < payoff_profiles_.types(i); ++theta) {
      if (!hit[theta]) {
        reject("agent " + std::to_string(i) + ": θ̂ is not onto Θ_" + std::to_string(i) + "; no type has payoff type " +
               std::to_string(theta));
      }
    }
  }

  if (static_cast<int>(beliefs_.size()) != n) {
    reject("a type space needs beliefs for each of the " + std::to_string(n) + " agents, found " +
           std::to_string(beliefs_.size()));
  }
  for (int i = 0; i < n; ++i) {
    if (static_cast<int>(beliefs_[i].size()) != types(i)) {
      reject("agent " + std::to_string(i) + " has " + std::to_string(types(i)) + " types but " +
             std::to_string(beliefs_[i].size()) + " beliefs");
    }
    const std::size_t others = types_.count(all_agents(n) & ~singleton(i));
    for (int t = 0; t < types(i); ++t) require_distribution(beliefs_[i][t], others, where(i, t) + ": the belief");
  }

  payoff_profile_.resize(types_.size());
  joint_.resize(static_cast<std::size_t>(n) * types_.size());
  std::array<int, kMaxAgents> theta{};
  for (std::size_t t = 0; t < types_.size(); ++t) {
    for (int i = 0; i < n; ++i) theta[i] = payoff_type_[i][types_.type_of(t, i)];
    payoff_profile_[t] = payoff_profiles_.profile_of(std::span<const int>(theta.data(), static_cast<std::size_t>(n)));
    for (int i = 0; i < n; ++i) {
      joint_[static_cast<std::size_t>(i) * types_.size() + t] =
          beliefs_[i][types_.type_of(t, i)][types_.project(t, all_agents(n) & ~singleton(i))];
    }
  }
}

std::vector<double> marginal_revision(const TypeSpace& types, Coalition coalition, int member, std::size_t realized) {
  require_coalition(types, coalition, member, realized);
  const ProfileSpace& space = types.profiles();
  const std::size_t at = space.embed(coalition)[realized];
  const std::size_t own = space.with_type(0, member, space.type_of(at, member));
  const auto partners = space.embed(coalition & ~singleton(member));
  const auto outsiders = space.embed(all_agents(types.agents()) & ~coalition);
  std::vector<double> q(outsiders.size(), 0.0);
  for (std::size_t o = 0; o < outsiders.size(); ++o) {
    for (std::size_t p : partners) q[o] += types.prior(member, own + p + outsiders[o]);
  }
  return q;
}

std::vector<double> uniform_revision(const TypeSpace& types, Coalition coalition, int member, std::size_t realized) {
  require_coalition(types, coalition, member, realized);
  const std::size_t size = types.profiles().count(all_agents(types.agents()) & ~coalition);
  return std::vector<double>(size, 1.0 / static_cast<double>(size));
}

std::vector<double> coalition_posterior(const TypeSpace& types, Coalition coalition, int member, std::size_t realized,
                                        const RevisingRule& rule) {
  require_coalition(types, coalition, member, realized);
  const ProfileSpace& space = types.profiles();
  const std::size_t at = space.embed(coalition)[realized];
  const auto outsiders = space.embed(all_agents(types.agents()) & ~coalition);
  std::vector<double> q(outsiders.size());
  double partner_probability = 0.0;  // π_i(t*_i)[t*_{S∖i}]
  for (std::size_t o = 0; o < outsiders.size(); ++o) {
    q[o] = types.prior(member, at + outsiders[o]);
    partner_probability += q[o];
  }
  if (partner_probability > 0.0) {
    for (double& p : q) p /= partner_probability;
    return q;
  }
  q = rule ? rule(types, coalition, member, realized) : marginal_revision(types, coalition, member, realized);
  require_distribution(q, outsiders.size(),
                       "the revising rule's posterior of agent " + std::to_string(member) + " in coalition " +
                           describe(coalition) + " at realized profile " + std::to_string(realized));
  return q;
}

// ---- mechanisms and strategies -------------------------------------------------

FiniteMechanism::FiniteMechanism(std::vector<int> message_counts, int outcomes, std::vector<double> lotteries)
    : messages_(std::move(message_counts)), outcomes_(outcomes), lotteries_(std::move(lotteries)) {
  if (outcomes_ < 1) reject("a mechanism needs at least one outcome, found " + std::to_string(outcomes_));
  const std::size_t expected = messages_.size() * static_cast<std::size_t>(outcomes_);
  if (lotteries_.size() != expected) {
    reject("the outcome table has " + std::to_string(lotteries_.size()) +
           " entries, expected |M|·m = " + std::to_string(expected));
  }
  for (std::size_t profile = 0; profile < messages_.size(); ++profile) {
    require_distribution(outcome(profile), static_cast<std::size_t>(outcomes_),
                         "g(message profile " + std::to_string(profile) + ")");
  }
}

FiniteMechanism direct_mechanism(const Instance& instance) {
  return FiniteMechanism(instance.profiles().type_counts(), instance.outcomes(), instance.scf().table());
}

StrategyProfile truthful_strategies(const TypeSpace& types) {
  StrategyProfile sigma(static_cast<std::size_t>(types.agents()));
  for (int i = 0; i < types.agents(); ++i) {
    for (int t = 0; t < types.types(i); ++t) sigma[i].push_back(types.payoff_type(i, t));
  }
  return sigma;
}

// ---- the interim 𝒮-equilibrium checker -----------------------------------------

InterimChecker::InterimChecker(const Environment& env, const TypeSpace& types, const Pattern& pattern, double tolerance,
                               const RevisingRule& rule)
    : env_(&env), types_(&types), tolerance_(tolerance) {
  const int n = types.agents();
  if (env.agents() != n || env.profiles().type_counts() != types.payoff_profiles().type_counts()) {
    reject("the environment and the type space disagree on the agents' payoff types");
  }
  if (pattern.agents() != n) {
    reject("the pattern has " + std::to_string(pattern.agents()) + " agents, the type space " + std::to_string(n));
  }
  if (!std::isfinite(tolerance) || tolerance < 0.0) reject("the tie tolerance must be finite and non-negative");
  const ProfileSpace& space = types.profiles();
  for (Coalition s : pattern.coalitions()) {
    Block block{s, {}, {}};
    for (int i = 0; i < n; ++i) {
      if (is_member(s, i)) block.members.push_back(i);
    }
    const std::size_t outsiders = space.count(all_agents(n) & ~s);
    block.posteriors.reserve(space.count(s) * block.members.size() * outsiders);
    for (std::size_t r = 0; r < space.count(s); ++r) {
      for (int i : block.members) {
        const auto q = coalition_posterior(types, s, i, r, rule);
        block.posteriors.insert(block.posteriors.end(), q.begin(), q.end());
      }
    }
    blocks_.push_back(std::move(block));
  }
}

InterimChecker::InterimChecker(const Instance& instance, const TypeSpace& types, const Pattern& pattern,
                               const RevisingRule& rule)
    : InterimChecker(instance.env(), types, pattern, instance.tie(), rule) {}

const InterimChecker::Block& InterimChecker::block(Coalition coalition) const {
  for (const Block& b : blocks_) {
    if (b.coalition == coalition) return b;
  }
  reject("coalition " + describe(coalition) + " is not in the checker's pattern");
}

std::span<const double> InterimChecker::posterior(Coalition coalition, int member, std::size_t realized) const {
  const Block& b = block(coalition);
  require_coalition(*types_, coalition, member, realized);
  const std::size_t outsiders = types_->profiles().count(all_agents(types_->agents()) & ~coalition);
  const auto k = static_cast<std::size_t>(std::find(b.members.begin(), b.members.end(), member) - b.members.begin());
  return std::span<const double>(b.posteriors).subspan((realized * b.members.size() + k) * outsiders, outsiders);
}

void InterimChecker::check_fit(const FiniteMechanism& mechanism, const StrategyProfile& sigma) const {
  require_fit(*types_, env_->outcomes(), mechanism, sigma);
}

std::optional<Deviation> InterimChecker::scan(const Block& b, const FiniteMechanism& mechanism,
                                              const StrategyProfile& sigma,
                                              std::vector<std::size_t>& outsider_messages) const {
  const int n = types_->agents();
  const ProfileSpace& space = types_->profiles();
  const ProfileSpace& messages = mechanism.messages();
  const Coalition outside = all_agents(n) & ~b.coalition;
  const auto realized = space.embed(b.coalition);
  const auto outsiders = space.embed(outside);
  const auto joint_messages = messages.embed(b.coalition);
  const std::size_t size = b.members.size();
  const std::size_t width = outsiders.size();

  // σ_{−S}(t_{−S}) does not depend on t*_S or m'_S: compute it once per coalition.
  outsider_messages.assign(width, 0);
  for (std::size_t o = 0; o < width; ++o) {
    for (int j = 0; j < n; ++j) {
      if (!is_member(outside, j)) continue;
      outsider_messages[o] = messages.with_type(outsider_messages[o], j, sigma[j][space.type_of(outsiders[o], j)]);
    }
  }

  // Interim utility of member b.members[k] when S sends `sent` at t*_S = realized[r].
  const auto interim = [&](std::size_t r, std::size_t k, std::size_t sent) {
    const double* q = b.posteriors.data() + (r * size + k) * width;
    double total = 0.0;
    for (std::size_t o = 0; o < width; ++o) {
      if (q[o] == 0.0) continue;
      const std::size_t theta = types_->payoff_profile(realized[r] + outsiders[o]);
      total += q[o] * env_->expected_utility(b.members[k], theta, mechanism.outcome(sent + outsider_messages[o]));
    }
    return total;
  };

  std::array<double, kMaxAgents> baseline{};
  std::array<double, kMaxAgents> gain{};
  for (std::size_t r = 0; r < realized.size(); ++r) {
    std::size_t truthful = 0;  // σ_S(t*_S) as a message-profile offset
    for (int i : b.members) truthful = messages.with_type(truthful, i, sigma[i][space.type_of(realized[r], i)]);
    for (std::size_t k = 0; k < size; ++k) baseline[k] = interim(r, k, truthful);
    for (std::size_t sent : joint_messages) {
      if (sent == truthful) continue;
      bool profitable = true;
      for (std::size_t k = 0; k < size && profitable; ++k) {
        gain[k] = interim(r, k, sent) - baseline[k];
        profitable = gain[k] > tolerance_;
      }
      if (!profitable) continue;
      Deviation deviation;
      deviation.coalition = b.coalition;
      for (std::size_t k = 0; k < size; ++k) {
        deviation.types.push_back(space.type_of(realized[r], b.members[k]));
        deviation.messages.push_back(messages.type_of(sent, b.members[k]));
        deviation.gains.push_back(gain[k]);
      }
      return deviation;
    }
  }
  return std::nullopt;
}

std::optional<Deviation> InterimChecker::find_deviation(const FiniteMechanism& mechanism,
                                                        const StrategyProfile& sigma) const {
  check_fit(mechanism, sigma);
  std::vector<std::size_t> outsider_messages;
  outsider_messages.reserve(types_->profiles().size());
  for (const Block& b : blocks_) {
    if (auto deviation = scan(b, mechanism, sigma, outsider_messages)) return deviation;
  }
  return std::nullopt;
}

std::optional<Deviation> InterimChecker::find_deviation_by(Coalition coalition, const FiniteMechanism& mechanism,
                                                           const StrategyProfile& sigma) const {
  const Block& b = block(coalition);
  check_fit(mechanism, sigma);
  std::vector<std::size_t> outsider_messages;
  return scan(b, mechanism, sigma, outsider_messages);
}

std::vector<double> InterimChecker::gains(const FiniteMechanism& mechanism, const StrategyProfile& sigma,
                                          Coalition coalition, std::span<const int> realized_types,
                                          std::span<const int> messages) const {
  const Block& b = block(coalition);
  check_fit(mechanism, sigma);
  const std::size_t size = b.members.size();
  if (realized_types.size() != size || messages.size() != size) {
    reject("a deviation by " + describe(coalition) + " needs one type and one message per member");
  }
  const ProfileSpace& space = types_->profiles();
  const ProfileSpace& message_space = mechanism.messages();
  std::size_t at = 0;
  std::size_t truthful = 0;
  std::size_t sent = 0;
  for (std::size_t k = 0; k < size; ++k) {
    const int i = b.members[k];
    if (realized_types[k] < 0 || realized_types[k] >= space.types(i))
      reject(where(i, realized_types[k]) + " does not exist");
    if (messages[k] < 0 || messages[k] >= message_space.types(i)) {
      reject("agent " + std::to_string(i) + "'s message " + std::to_string(messages[k]) + " does not exist");
    }
    at = space.with_type(at, i, realized_types[k]);
    truthful = message_space.with_type(truthful, i, sigma[i][realized_types[k]]);
    sent = message_space.with_type(sent, i, messages[k]);
  }
  const std::size_t r = space.project(at, coalition);
  const auto outsiders = space.embed(all_agents(types_->agents()) & ~coalition);
  std::vector<double> result(size, 0.0);
  for (std::size_t o = 0; o < outsiders.size(); ++o) {
    std::size_t others = 0;
    for (int j = 0; j < types_->agents(); ++j) {
      if (!is_member(coalition, j))
        others = message_space.with_type(others, j, sigma[j][space.type_of(outsiders[o], j)]);
    }
    const std::size_t theta = types_->payoff_profile(at + outsiders[o]);
    for (std::size_t k = 0; k < size; ++k) {
      const double q = b.posteriors[(r * size + k) * outsiders.size() + o];
      result[k] += q * (env_->expected_utility(b.members[k], theta, mechanism.outcome(sent + others)) -
                        env_->expected_utility(b.members[k], theta, mechanism.outcome(truthful + others)));
    }
  }
  return result;
}

std::optional<Deviation> find_profitable_deviation(const Instance& instance, const TypeSpace& types,
                                                   const FiniteMechanism& mechanism, const StrategyProfile& sigma,
                                                   const Pattern& pattern, const RevisingRule& rule) {
  return InterimChecker(instance, types, pattern, rule).find_deviation(mechanism, sigma);
}

bool is_interim_equilibrium(const Instance& instance, const TypeSpace& types, const FiniteMechanism& mechanism,
                            const StrategyProfile& sigma, const Pattern& pattern, const RevisingRule& rule) {
  return !find_profitable_deviation(instance, types, mechanism, sigma, pattern, rule).has_value();
}

std::vector<std::size_t> bad_type_profiles(const Instance& instance, const TypeSpace& types,
                                           const FiniteMechanism& mechanism, const StrategyProfile& sigma) {
  if (instance.profiles().type_counts() != types.payoff_profiles().type_counts()) {
    reject("the instance and the type space disagree on the agents' payoff types");
  }
  require_fit(types, instance.outcomes(), mechanism, sigma);
  const ProfileSpace& space = types.profiles();
  std::vector<std::size_t> bad;
  for (std::size_t t = 0; t < space.size(); ++t) {
    std::size_t sent = 0;
    for (int i = 0; i < types.agents(); ++i)
      sent = mechanism.messages().with_type(sent, i, sigma[i][space.type_of(t, i)]);
    const auto got = mechanism.outcome(sent);
    const auto want = instance.scf().lottery(types.payoff_profile(t));
    for (int x = 0; x < instance.outcomes(); ++x) {
      if (std::abs(got[x] - want[x]) > kNormalisationTolerance) {
        bad.push_back(t);
        break;
      }
    }
  }
  return bad;
}

// ---- witness and random type spaces --------------------------------------------

TypeSpace lemma1_type_space(const Instance& instance, const IcViolation& violation) {
  const ProfileSpace& space = instance.profiles();
  const int n = space.agents();
  const Coalition s = violation.coalition;
  if (s == 0 || (s & ~all_agents(n)) != 0) reject("the IC violation names coalition " + describe(s));
  const Coalition outside = all_agents(n) & ~s;
  if (violation.truth >= space.count(s) || violation.report >= space.count(s)) {
    reject("the IC violation's θ*_S or θ'_S is outside Θ_S of " + describe(s));
  }
  if (violation.gaining_outsiders.size() != static_cast<std::size_t>(coalition_size(s))) {
    reject("the IC violation needs one gaining outsider state per member of " + describe(s));
  }
  for (std::size_t o : violation.gaining_outsiders) {
    if (o >= space.count(outside))
      reject("the IC violation's outsider state " + std::to_string(o) + " is outside Θ_{−S}");
  }
  const std::size_t truth = space.embed(s)[violation.truth];
  std::vector<std::vector<int>> payoff_type(static_cast<std::size_t>(n));
  std::vector<std::vector<std::vector<double>>> beliefs(static_cast<std::size_t>(n));
  std::size_t k = 0;  // position of i among the members
  for (int i = 0; i < n; ++i) {
    const Coalition others = all_agents(n) & ~singleton(i);
    const std::size_t width = space.count(others);
    for (int theta = 0; theta < space.types(i); ++theta) {
      payoff_type[i].push_back(theta);
      beliefs[i].emplace_back(width, 1.0 / static_cast<double>(width));
    }
    if (!is_member(s, i)) continue;
    // θ*_i is sure of (θ*_{S∖i}, θ^i_{−S}): the state in which it gains from θ'_S.
    const std::size_t state = truth + space.embed(outside)[violation.gaining_outsiders[k++]];
    auto& belief = beliefs[i][space.type_of(truth, i)];
    std::fill(belief.begin(), belief.end(), 0.0);
    belief[space.project(state, others)] = 1.0;
  }
  return TypeSpace(space, std::move(payoff_type), std::move(beliefs));
}

TypeSpace example2_type_space(double epsilon) {
  if (!(epsilon > 0.0 && epsilon < 0.5)) {
    reject("Example 2 needs 0 < ε < ½ so that every prior cell is positive, found " + std::to_string(epsilon));
  }
  const double e = epsilon;
  // Table 3.1: rows t_1, columns t_2.
  const double prior[2][2] = {{e * e, e}, {1.0 - e - 2.0 * e * e, e * e}};
  std::vector<std::vector<std::vector<double>>> beliefs(2);
  for (int t = 0; t < 2; ++t) {
    const double row = prior[t][0] + prior[t][1];
    beliefs[0].push_back({prior[t][0] / row, prior[t][1] / row});
    const double column = prior[0][t] + prior[1][t];
    beliefs[1].push_back({prior[0][t] / column, prior[1][t] / column});
  }
  return TypeSpace(ProfileSpace({2, 2}), {{0, 1}, {0, 1}}, std::move(beliefs));
}

TypeSpace random_type_space(const ProfileSpace& payoff_profiles, int types_per_payoff_type, double zero_probability,
                            std::uint64_t seed) {
  if (types_per_payoff_type < 1) {
    reject("a random type space needs at least one type per payoff type, found " +
           std::to_string(types_per_payoff_type));
  }
  if (!(zero_probability >= 0.0 && zero_probability < 1.0)) {
    reject("the zero probability must lie in [0, 1), found " + std::to_string(zero_probability));
  }
  const int n = payoff_profiles.agents();
  std::vector<int> counts;
  std::vector<std::vector<int>> payoff_type(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    counts.push_back(types_per_payoff_type * payoff_profiles.types(i));
    for (int t = 0; t < counts.back(); ++t) payoff_type[i].push_back(t % payoff_profiles.types(i));
  }
  const ProfileSpace space(counts);
  std::mt19937_64 rng(seed);
  std::vector<std::vector<std::vector<double>>> beliefs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const std::size_t width = space.count(all_agents(n) & ~singleton(i));
    for (int t = 0; t < counts[i]; ++t) {
      std::vector<double> belief(width, 0.0);
      double total = 0.0;
      for (double& p : belief) {
        if (unit(rng) < zero_probability) continue;
        p = -std::log1p(-unit(rng));  // Exp(1): normalised, a flat Dirichlet draw
        total += p;
      }
      if (total == 0.0) {
        const auto pick = static_cast<std::size_t>(unit(rng) * static_cast<double>(width));
        belief[std::min(pick, width - 1)] = 1.0;
        total = 1.0;
      }
      for (double& p : belief) p /= total;
      beliefs[i].push_back(std::move(belief));
    }
  }
  return TypeSpace(payoff_profiles, std::move(payoff_type), std::move(beliefs));
}

// ---- exhaustive enumeration of the direct mechanism ----------------------------

DirectCensus enumerate_direct_profiles(const Instance& instance, const TypeSpace& types, const Pattern& pattern,
                                       const RevisingRule& rule, std::uint64_t cap) {
  const int n = types.agents();
  if (instance.profiles().type_counts() != types.payoff_profiles().type_counts()) {
    reject("the instance and the type space disagree on the agents' payoff types");
  }
  DirectCensus census;
  census.profiles = 1;
  for (int i = 0; i < n; ++i) {
    for (int t = 0; t < types.types(i); ++t) {
      const auto k = static_cast<std::uint64_t>(instance.profiles().types(i));
      if (census.profiles > cap / k) {
        reject("the direct mechanism has more than " + std::to_string(cap) +
               " pure strategy profiles on this type space; refusing to enumerate them");
      }
      census.profiles *= k;
    }
  }
  const FiniteMechanism mechanism = direct_mechanism(instance);
  const InterimChecker checker(instance, types, pattern, rule);
  const ProfileSpace& space = types.profiles();
  StrategyProfile sigma(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) sigma[i].assign(static_cast<std::size_t>(types.types(i)), 0);

  for (;;) {
    bool good = true;
    for (std::size_t t = 0; t < space.size() && good; ++t) {
      std::size_t sent = 0;  // in the direct mechanism a message profile is a payoff profile
      for (int i = 0; i < n; ++i) sent = mechanism.messages().with_type(sent, i, sigma[i][space.type_of(t, i)]);
      good = instance.scf().same_outcome(sent, types.payoff_profile(t));
    }
    const bool equilibrium = !checker.find_deviation(mechanism, sigma).has_value();
    census.good += good ? 1 : 0;
    census.equilibria += equilibrium ? 1 : 0;
    census.good_equilibria += (good && equilibrium) ? 1 : 0;
    if (!good && equilibrium) {
      if (census.bad_equilibria == 0) census.first_bad_equilibrium = sigma;
      ++census.bad_equilibria;
    }
    // Odometer over (agent, type), agent 0's type 0 fastest.
    bool carried = true;
    for (int i = 0; i < n && carried; ++i) {
      for (int t = 0; t < types.types(i) && carried; ++t) {
        carried = ++sigma[i][t] == instance.profiles().types(i);
        if (carried) sigma[i][t] = 0;
      }
    }
    if (carried) break;
  }
  return census;
}

}  // namespace mechsweep::coalition
