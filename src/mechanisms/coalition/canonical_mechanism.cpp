#include "mechanisms/coalition/canonical_mechanism.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <string_view>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace mechsweep::coalition {

namespace {

constexpr double kLotteryTolerance = 1e-9;

std::vector<int> members_of(Coalition s, int n) {
  std::vector<int> members;
  for (int i = 0; i < n; ++i) {
    if (is_member(s, i)) members.push_back(i);
  }
  return members;
}

std::string agent_name(int i) { return "agent " + std::to_string(i); }

// Σ_x y_x u_i(x, θ) for one lottery row of a table.
double row_utility(const Environment& env, int i, std::size_t profile, const double* lottery) {
  const auto u = env.utility_row(i, profile);
  double value = 0.0;
  for (std::size_t x = 0; x < u.size(); ++x) value += lottery[x] * u[x];
  return value;
}

// The smallest integer k ≥ 0 with k·gap > excess, i.e. above excess/gap
// (0 when excess < 0); nullopt when it does not fit comfortably in 64 bits.
std::optional<std::uint64_t> integer_above(double excess, double gap) {
  if (excess < 0.0) return std::uint64_t{0};
  const double ratio = excess / gap;
  if (!std::isfinite(ratio) || ratio > 1e15) return std::nullopt;
  return static_cast<std::uint64_t>(std::floor(ratio)) + 1;
}

}  // namespace

std::string coalition_name(Coalition s) {
  std::string name = "{";
  bool first = true;
  for (int i = 0; i < 32; ++i) {
    if (!is_member(s, i)) continue;
    if (!first) name += ",";
    name += std::to_string(i);
    first = false;
  }
  return name + "}";
}

Message no_whistle(int report) { return Message{report, false, nullptr, 0}; }

Message blow_whistle(int report, RewardProposal rewards, std::uint64_t integer) {
  return Message{report, true, std::make_shared<const RewardProposal>(std::move(rewards)), integer};
}

// ---------------------------------------------------------------------------
// The mechanism

struct CanonicalMechanism::RewardCache {
  std::mutex mutex;
  std::vector<std::unique_ptr<RewardSet>> sets;  // by mask
};

CanonicalMechanism::CanonicalMechanism(const Instance& instance, const Pattern& pattern, const InteriorTest& interior)
    : instance_(&instance), pattern_(pattern), rewards_(std::make_shared<RewardCache>()) {
  const int n = instance.agents();
  const auto m = static_cast<std::size_t>(instance.outcomes());
  if (pattern.agents() != n) {
    throw std::invalid_argument("coalition: the pattern has " + std::to_string(pattern.agents()) +
                                " agents but the instance has " + std::to_string(n));
  }
  if (interior.agents.size() != static_cast<std::size_t>(n)) {
    throw std::invalid_argument("coalition: the interior test covers " + std::to_string(interior.agents.size()) +
                                " agents but the instance has " + std::to_string(n));
  }
  if (!interior.passes) {
    throw std::invalid_argument("coalition: the interior reward test did not pass (min margin " +
                                std::to_string(interior.min_margin) +
                                "), so no menu Ŷ is available and the canonical mechanism is undefined");
  }
  for (int i = 0; i < n; ++i) {
    const InteriorPair& pair = interior.agents[i];
    for (const auto* lottery : {&pair.upper, &pair.lower}) {
      const char* which = lottery == &pair.upper ? "upper" : "lower";
      if (lottery->size() != m) {
        throw std::invalid_argument("coalition: " + agent_name(i) + ": the interior " + which + " lottery has " +
                                    std::to_string(lottery->size()) + " entries, expected " + std::to_string(m));
      }
      // Ŷ must lie in every Y_S[𝒮] and keep mixtures in it (spec §6.3).
      if (!universally_dominated(instance, *lottery)) {
        throw std::invalid_argument("coalition: " + agent_name(i) + ": the interior " + which +
                                    " lottery is not universally dominated");
      }
    }
  }
  const Coalition grand = all_agents(n);
  targets_.resize(std::size_t{grand} + 1);
  rewards_->sets.resize(std::size_t{grand} + 1);
  for (Coalition s = 1; s <= grand; ++s) {
    if (!pattern.in_downward_closure(s)) continue;
    Target& target = targets_[s];
    for (int i = 0; i < n; ++i) {
      if (!is_member(s, i)) continue;
      target.menu.push_back(interior.agents[i].upper);
      target.menu.push_back(interior.agents[i].lower);
    }
    target.noise.assign(m, 0.0);
    const auto weights = menu_weights(s);
    for (std::size_t k = 0; k < target.menu.size(); ++k) {
      for (std::size_t x = 0; x < m; ++x) target.noise[x] += weights[k] * target.menu[k][x];
    }
  }
}

const CanonicalMechanism::Target& CanonicalMechanism::target(Coalition s) const {
  if (s == 0 || s >= targets_.size() || targets_[s].menu.empty()) {
    throw std::invalid_argument("coalition: coalition " + coalition_name(s) + " is not in D(𝒮) of the pattern " +
                                pattern_.describe());
  }
  return targets_[s];
}

const std::vector<std::vector<double>>& CanonicalMechanism::menu(Coalition s) const { return target(s).menu; }

std::vector<double> CanonicalMechanism::menu_weights(Coalition s) const {
  const std::size_t items = static_cast<std::size_t>(2 * coalition_size(s));
  std::vector<double> weights(items);
  double w = 1.0;
  for (std::size_t k = 0; k + 1 < items; ++k) weights[k] = w *= 0.5;
  weights[items - 1] = w;  // ŷ^K repeats forever: Σ_{k≥K} 0.5^k = 0.5^{K−1}
  return weights;
}

std::span<const double> CanonicalMechanism::noise(Coalition s) const { return target(s).noise; }

const RewardSet& CanonicalMechanism::reward_set(Coalition s) const {
  target(s);
  std::lock_guard lock(rewards_->mutex);
  auto& slot = rewards_->sets[s];
  if (!slot) {
    const auto up = pattern_.up_set(s);
    slot = std::make_unique<RewardSet>(*instance_, s, up);
  }
  return *slot;
}

std::size_t CanonicalMechanism::reward_components(Coalition s) const {
  return instance_->profiles().count(all_agents(agents()) & ~s);
}

std::vector<double> CanonicalMechanism::reward_of(const Message& message, Coalition s) const {
  if (message.rewards) {
    const auto found = message.rewards->find(s);
    if (found != message.rewards->end()) return found->second;
  }
  const auto& constant = target(s).menu.front();
  std::vector<double> y;
  for (std::size_t c = 0; c < reward_components(s); ++c) y.insert(y.end(), constant.begin(), constant.end());
  return y;
}

void CanonicalMechanism::validate_message(int agent, const Message& message) const {
  const int n = agents();
  if (agent < 0 || agent >= n) {
    throw std::invalid_argument("coalition: agent " + std::to_string(agent) + " is outside 0.." +
                                std::to_string(n - 1));
  }
  const std::string who = "coalition: " + agent_name(agent) + ": ";
  const int k = instance_->profiles().types(agent);
  if (message.report < 0 || message.report >= k) {
    throw std::invalid_argument(who + "reported type " + std::to_string(message.report) + " is outside 0.." +
                                std::to_string(k - 1));
  }
  if (!message.rewards) return;
  const auto m = static_cast<std::size_t>(instance_->outcomes());
  for (const auto& [s, table] : *message.rewards) {
    const std::string where = who + "reward table for coalition " + coalition_name(s) + ": ";
    if (s == 0 || s > all_agents(n) || !is_member(s, agent)) {
      throw std::invalid_argument(where + "the coalition does not contain the agent");
    }
    if (!pattern_.in_downward_closure(s)) {
      throw std::invalid_argument(where + "the coalition is not in D(𝒮), so it can never be S*");
    }
    const std::size_t components = reward_components(s);
    if (table.size() != components * m) {
      throw std::invalid_argument(where + "has " + std::to_string(table.size()) + " entries, expected " +
                                  std::to_string(components * m) + " (|Θ_{−S}| = " + std::to_string(components) +
                                  " components × " + std::to_string(m) + " outcomes)");
    }
    for (std::size_t c = 0; c < components; ++c) {
      double total = 0.0;
      for (std::size_t x = 0; x < m; ++x) {
        const double p = table[c * m + x];
        if (!std::isfinite(p) || p < 0.0) {
          throw std::invalid_argument(where + "component " + std::to_string(c) + " has entry " + std::to_string(p) +
                                      " for outcome " + std::to_string(x) + ", not a probability");
        }
        total += p;
      }
      if (std::abs(total - 1.0) > kLotteryTolerance) {
        throw std::invalid_argument(where + "component " + std::to_string(c) + " sums to " + std::to_string(total) +
                                    ", not 1");
      }
    }
    if (!reward_set(s).contains(table)) {
      throw std::invalid_argument(where + "the reward lies outside Y_S[𝒮]: some key has no member weakly worse off");
    }
  }
}

RuleApplied CanonicalMechanism::rule(std::span<const Message> messages) const {
  const int n = agents();
  if (messages.size() != static_cast<std::size_t>(n)) {
    throw std::invalid_argument("coalition: the mechanism needs " + std::to_string(n) + " messages, got " +
                                std::to_string(messages.size()));
  }
  RuleApplied applied;
  for (int i = 0; i < n; ++i) {
    if (messages[i].whistle) applied.blowers |= singleton(i);
  }
  if (applied.blowers == 0) return applied;
  applied.rule = 2;
  applied.proposer = first_member(applied.blowers);
  applied.target = pattern_.in_downward_closure(applied.blowers) ? applied.blowers : singleton(applied.proposer);
  applied.integer = messages[applied.proposer].integer;
  return applied;
}

std::vector<double> CanonicalMechanism::outcome(std::span<const Message> messages) const {
  if (messages.size() != static_cast<std::size_t>(agents())) {
    throw std::invalid_argument("coalition: the mechanism needs " + std::to_string(agents()) + " messages, got " +
                                std::to_string(messages.size()));
  }
  std::array<const Message*, kMaxAgents> pointers{};
  for (std::size_t i = 0; i < messages.size(); ++i) pointers[i] = &messages[i];
  std::vector<double> lottery;
  outcome(std::span<const Message* const>(pointers.data(), messages.size()), lottery);
  return lottery;
}

void CanonicalMechanism::outcome(std::span<const Message* const> messages, std::vector<double>& lottery) const {
  const int n = agents();
  const ProfileSpace& profiles = instance_->profiles();
  const auto m = static_cast<std::size_t>(instance_->outcomes());
  if (messages.size() != static_cast<std::size_t>(n)) {
    throw std::invalid_argument("coalition: the mechanism needs " + std::to_string(n) + " messages, got " +
                                std::to_string(messages.size()));
  }
  std::array<int, kMaxAgents> reports{};
  Coalition blowers = 0;
  for (int i = 0; i < n; ++i) {
    const Message& message = *messages[i];
    if (message.report < 0 || message.report >= profiles.types(i)) {
      throw std::invalid_argument("coalition: " + agent_name(i) + ": reported type " + std::to_string(message.report) +
                                  " is out of range");
    }
    reports[i] = message.report;
    if (message.whistle) blowers |= singleton(i);
  }
  const std::size_t reported = profiles.profile_of(std::span<const int>(reports.data(), static_cast<std::size_t>(n)));
  lottery.resize(m);
  if (blowers == 0) {  // Rule 1
    const auto f = instance_->scf().lottery(reported);
    std::copy(f.begin(), f.end(), lottery.begin());
    return;
  }
  // Rule 2
  const int proposer = first_member(blowers);
  const Coalition target_set = pattern_.in_downward_closure(blowers) ? blowers : singleton(proposer);
  const Target& chosen = target(target_set);
  const Message& proposal = *messages[proposer];
  const double* y = chosen.menu.front().data();
  if (proposal.rewards) {
    const auto found = proposal.rewards->find(target_set);
    if (found != proposal.rewards->end()) {
      const std::size_t components = reward_components(target_set);
      if (found->second.size() != components * m) {
        throw std::invalid_argument("coalition: " + agent_name(proposer) + ": reward table for coalition " +
                                    coalition_name(target_set) + " has the wrong size");
      }
      const std::size_t c = profiles.project(reported, all_agents(n) & ~target_set);
      y = found->second.data() + c * m;
    }
  }
  const auto z = static_cast<double>(proposal.integer);
  const double reward_weight = z / (z + 1.0);
  const double noise_weight = 1.0 / (z + 1.0);
  for (std::size_t x = 0; x < m; ++x) lottery[x] = reward_weight * y[x] + noise_weight * chosen.noise[x];
}

MessageStrategy no_whistle_strategy(const StrategyProfile& reports) {
  MessageStrategy sigma(reports.size());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    for (int report : reports[i]) sigma[i].push_back(no_whistle(report));
  }
  return sigma;
}

// ---------------------------------------------------------------------------
// Certificates

// Claims 3/6 ask the same conjectured-reward question for many profiles that
// agree where it matters (σ¹ on the outsiders' types); one LP answers all.
struct CanonicalCertifier::ConjectureCache {
  using Key = std::tuple<Coalition, std::size_t, std::size_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>,
                         std::vector<std::vector<double>>>;
  std::map<Key, std::optional<ConjecturedReward>> results;
};

CanonicalCertifier::CanonicalCertifier(const CanonicalMechanism& mechanism, const TypeSpace& types,
                                       const RevisingRule& rule)
    : mechanism_(mechanism),
      types_(types),
      checker_(mechanism.instance(), types, mechanism.pattern(), rule),
      conjectures_(std::make_shared<ConjectureCache>()) {}

namespace {

// A per-agent, per-type table (messages or reports) must match the type space.
template <typename Profile>
void check_shape(const Profile& profile, const TypeSpace& types, std::string_view what) {
  const int n = types.agents();
  if (profile.size() != static_cast<std::size_t>(n)) {
    throw std::invalid_argument("coalition: a " + std::string(what) + " profile needs " + std::to_string(n) +
                                " agents, got " + std::to_string(profile.size()));
  }
  for (int i = 0; i < n; ++i) {
    if (profile[i].size() != static_cast<std::size_t>(types.types(i))) {
      throw std::invalid_argument("coalition: " + agent_name(i) + ": the " + std::string(what) + " strategy has " +
                                  std::to_string(profile[i].size()) + " entries for " + std::to_string(types.types(i)) +
                                  " types");
    }
  }
}

}  // namespace

void CanonicalCertifier::check_strategy(const MessageStrategy& sigma) const { check_shape(sigma, types_, "message"); }

void CanonicalCertifier::check_reports(const StrategyProfile& reports) const {
  check_shape(reports, types_, "report");
  for (int i = 0; i < mechanism_.agents(); ++i) {
    for (int report : reports[i]) {
      if (report < 0 || report >= mechanism_.instance().profiles().types(i)) {
        throw std::invalid_argument("coalition: " + agent_name(i) + ": report " + std::to_string(report) +
                                    " is outside Θ_i");
      }
    }
  }
}

void CanonicalCertifier::evaluate(const MessageStrategy& sigma, Coalition s, std::size_t realized,
                                  std::span<const Message> deviation, std::vector<double>& utilities) const {
  const int n = mechanism_.agents();
  const auto members = members_of(s, n);
  if (!deviation.empty() && deviation.size() != members.size()) {
    throw std::invalid_argument("coalition: a deviation of " + coalition_name(s) + " needs " +
                                std::to_string(members.size()) + " messages, got " + std::to_string(deviation.size()));
  }
  const ProfileSpace& type_profiles = types_.profiles();
  if (realized >= type_profiles.count(s)) {
    throw std::invalid_argument("coalition: realized types " + std::to_string(realized) + " out of range for " +
                                coalition_name(s));
  }
  const Environment& env = mechanism_.instance().env();
  const auto inside = type_profiles.embed(s)[realized];
  const auto outside = type_profiles.embed(all_agents(n) & ~s);
  std::vector<std::span<const double>> posteriors;
  for (int i : members) posteriors.push_back(checker_.posterior(s, i, realized));
  utilities.assign(members.size(), 0.0);
  std::array<const Message*, kMaxAgents> messages{};
  std::vector<double> lottery;
  for (std::size_t o = 0; o < outside.size(); ++o) {
    bool relevant = false;
    for (const auto& posterior : posteriors) relevant = relevant || posterior[o] > 0.0;
    if (!relevant) continue;
    const std::size_t t = inside + outside[o];
    for (int a = 0, k = 0; a < n; ++a) {
      const bool deviates = is_member(s, a) && !deviation.empty();
      messages[a] = deviates ? &deviation[k] : &sigma[a][type_profiles.type_of(t, a)];
      if (is_member(s, a)) ++k;
    }
    mechanism_.outcome(std::span<const Message* const>(messages.data(), static_cast<std::size_t>(n)), lottery);
    const std::size_t theta = types_.payoff_profile(t);
    for (std::size_t k = 0; k < members.size(); ++k) {
      if (posteriors[k][o] > 0.0) utilities[k] += posteriors[k][o] * env.expected_utility(members[k], theta, lottery);
    }
  }
}

double CanonicalCertifier::interim_utility(const MessageStrategy& sigma, Coalition s, std::size_t realized,
                                           std::span<const Message> deviation, int member) const {
  check_strategy(sigma);
  if (!is_member(s, member)) {
    throw std::invalid_argument("coalition: " + agent_name(member) + " is not in " + coalition_name(s));
  }
  std::vector<double> utilities;
  evaluate(sigma, s, realized, deviation, utilities);
  return utilities[static_cast<std::size_t>(std::popcount(s & (singleton(member) - 1)))];
}

std::vector<double> CanonicalCertifier::interim_gains(const MessageStrategy& sigma, Coalition s, std::size_t realized,
                                                      std::span<const Message> deviation) const {
  check_strategy(sigma);
  std::vector<double> deviating;
  std::vector<double> staying;
  evaluate(sigma, s, realized, deviation, deviating);
  evaluate(sigma, s, realized, {}, staying);
  for (std::size_t k = 0; k < deviating.size(); ++k) deviating[k] -= staying[k];
  return deviating;
}

bool CanonicalCertifier::is_bad(const StrategyProfile& reports) const {
  check_reports(reports);
  const int n = mechanism_.agents();
  const Instance& instance = mechanism_.instance();
  const ProfileSpace& type_profiles = types_.profiles();
  std::array<int, kMaxAgents> reported{};
  for (std::size_t t = 0; t < type_profiles.size(); ++t) {
    for (int a = 0; a < n; ++a) reported[a] = reports[a][type_profiles.type_of(t, a)];
    const std::size_t r = instance.profiles().profile_of(std::span<const int>(reported.data(), std::size_t(n)));
    if (!instance.scf().same_outcome(types_.payoff_profile(t), r)) return true;
  }
  return false;
}

std::optional<CoalitionCertificate> CanonicalCertifier::dissolve(const StrategyProfile& reports) const {
  if (!is_bad(reports)) return std::nullopt;
  const int n = mechanism_.agents();
  const Instance& instance = mechanism_.instance();
  const Environment& env = instance.env();
  const ProfileSpace& payoffs = instance.profiles();
  const ProfileSpace& type_profiles = types_.profiles();
  const auto m = static_cast<std::size_t>(instance.outcomes());
  const double tie = instance.tie();
  const MessageStrategy sigma = no_whistle_strategy(reports);

  std::vector<std::size_t> reported(type_profiles.size());
  std::array<int, kMaxAgents> row{};
  for (std::size_t t = 0; t < type_profiles.size(); ++t) {
    for (int a = 0; a < n; ++a) row[a] = reports[a][type_profiles.type_of(t, a)];
    reported[t] = payoffs.profile_of(std::span<const int>(row.data(), std::size_t(n)));
  }

  for (Coalition s : mechanism_.pattern().coalitions()) {
    const RewardSet& rewards = mechanism_.reward_set(s);
    if (rewards.empty()) continue;
    const Coalition others = all_agents(n) & ~s;
    const auto members = members_of(s, n);
    const auto outside = type_profiles.embed(others);
    const auto noise = mechanism_.noise(s);
    for (std::size_t realized = 0; realized < type_profiles.count(s); ++realized) {
      const std::size_t inside = type_profiles.embed(s)[realized];
      const std::size_t truth_s = payoffs.project(types_.payoff_profile(inside + outside[0]), s);
      const std::size_t report_s = payoffs.project(reported[inside + outside[0]], s);
      // ψ_i: member i's posterior over T_{−S} pushed through (θ̂_{−S}, σ¹_{−S}).
      std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> index;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
      std::vector<std::vector<double>> beliefs(members.size());
      for (std::size_t k = 0; k < members.size(); ++k) {
        const auto posterior = checker_.posterior(s, members[k], realized);
        for (std::size_t o = 0; o < outside.size(); ++o) {
          if (posterior[o] <= 0.0) continue;
          const std::size_t t = inside + outside[o];
          const std::pair key{static_cast<std::uint32_t>(payoffs.project(types_.payoff_profile(t), others)),
                              static_cast<std::uint32_t>(payoffs.project(reported[t], others))};
          const auto [it, fresh] = index.try_emplace(key, pairs.size());
          if (fresh) pairs.push_back(key);
          beliefs[k].resize(pairs.size(), 0.0);
          beliefs[k][it->second] += posterior[o];
        }
      }
      for (auto& belief : beliefs) belief.resize(pairs.size(), 0.0);

      ConjectureCache::Key key{s, truth_s, report_s, pairs, beliefs};
      auto cached = conjectures_->results.find(key);
      if (cached == conjectures_->results.end()) {
        std::vector<ConjecturePair> gamma;
        for (const auto& [truth, report] : pairs) gamma.push_back({truth, report});
        cached = conjectures_->results
                     .emplace(std::move(key),
                              best_reward_against(instance, rewards, truth_s, report_s, gamma, beliefs, counters_))
                     .first;
      }
      const auto& best = cached->second;
      if (!best || best->value <= tie) continue;

      // The solver's lottery can be off by its feasibility tolerance; the
      // message must be an exact lottery in Y.
      std::vector<double> y = best->reward;
      for (std::size_t c = 0; c < rewards.components(); ++c) {
        double total = 0.0;
        for (std::size_t x = 0; x < m; ++x) total += y[c * m + x] = std::max(0.0, y[c * m + x]);
        for (std::size_t x = 0; x < m; ++x) y[c * m + x] /= total;
      }
      if (!rewards.contains(y)) continue;

      // E_f, E_y, E_L per member, then K* (Claim 3's bound, maximised over S).
      std::uint64_t paper_bound = 0;
      std::uint64_t integer = 0;
      bool usable = true;
      for (std::size_t k = 0; k < members.size() && usable; ++k) {
        const auto posterior = checker_.posterior(s, members[k], realized);
        double e_f = 0.0;
        double e_y = 0.0;
        double e_l = 0.0;
        for (std::size_t o = 0; o < outside.size(); ++o) {
          const double q = posterior[o];
          if (q <= 0.0) continue;
          const std::size_t t = inside + outside[o];
          const std::size_t theta = types_.payoff_profile(t);
          e_f += q * instance.uf(members[k], theta, reported[t]);
          e_y += q * row_utility(env, members[k], theta, y.data() + payoffs.project(reported[t], others) * m);
          e_l += q * env.expected_utility(members[k], theta, noise);
        }
        const double gap = e_y - e_f;
        if (gap <= tie) {
          usable = false;
          break;
        }
        const auto paper = integer_above(e_f - e_l, gap);
        // Also clear the tie band: K·gap − (E_f − E_L) > (K+1)·tie.
        const auto banded = integer_above(e_f - e_l + tie, gap - tie);
        if (!paper || !banded) {
          usable = false;
          break;
        }
        paper_bound = std::max(paper_bound, *paper);
        integer = std::max({integer, *paper, *banded});
      }
      if (!usable) continue;

      CoalitionCertificate certificate;
      certificate.coalition = s;
      certificate.realized = realized;
      for (int i : members) certificate.types.push_back(type_profiles.type_of(inside, i));
      certificate.conjectured_value = best->value;
      certificate.paper_bound = paper_bound;
      auto proposal = std::make_shared<const RewardProposal>(RewardProposal{{s, y}});
      certificate.reward = std::move(y);
      // Rounding can leave a gain a hair inside the band at the exact bound;
      // a larger K only moves the outcome closer to y.
      for (int attempt = 0; attempt < 4; ++attempt, integer = 2 * integer + 1) {
        certificate.integer = integer;
        certificate.messages.clear();
        for (std::size_t k = 0; k < members.size(); ++k) {
          certificate.messages.push_back(Message{reports[members[k]][certificate.types[k]], true, proposal, integer});
        }
        bool valid = true;
        for (std::size_t k = 0; k < members.size(); ++k) {
          try {
            mechanism_.validate_message(members[k], certificate.messages[k]);
          } catch (const std::invalid_argument&) {
            valid = false;
          }
        }
        if (!valid) break;
        certificate.gains = interim_gains(sigma, s, realized, certificate.messages);
        if (std::all_of(certificate.gains.begin(), certificate.gains.end(), [&](double g) { return g > tie; })) {
          return certificate;
        }
      }
    }
  }
  return std::nullopt;
}

ReportCensus CanonicalCertifier::certify_all_reports(std::uint64_t cap) const {
  const int n = mechanism_.agents();
  const ProfileSpace& payoffs = mechanism_.instance().profiles();
  ReportCensus census;
  double count = 1.0;
  for (int i = 0; i < n; ++i) count *= std::pow(static_cast<double>(payoffs.types(i)), types_.types(i));
  if (count > static_cast<double>(cap)) {
    throw std::invalid_argument("coalition: " + std::to_string(count) + " report profiles exceed the cap of " +
                                std::to_string(cap));
  }
  StrategyProfile reports(n);
  for (int i = 0; i < n; ++i) reports[i].assign(types_.types(i), 0);
  while (true) {
    ++census.profiles;
    if (is_bad(reports)) {
      ++census.bad;
      const auto certificate = dissolve(reports);
      if (certificate) {
        ++census.certified;
        if (coalition_size(certificate->coalition) == 1) ++census.by_singleton;
      } else if (!census.first_uncertified) {
        census.first_uncertified = reports;
      }
    }
    // Odometer: agent 0's type 0 fastest.
    int i = 0;
    std::size_t t = 0;
    for (; i < n; ++i) {
      for (t = 0; t < reports[i].size(); ++t) {
        if (++reports[i][t] < payoffs.types(i)) break;
        reports[i][t] = 0;
      }
      if (t < reports[i].size()) break;
    }
    if (i == n) break;
  }
  return census;
}

std::optional<WhistleCertificate> CanonicalCertifier::stop_whistle(const MessageStrategy& sigma) const {
  check_strategy(sigma);
  const int n = mechanism_.agents();
  const Instance& instance = mechanism_.instance();
  const Environment& env = instance.env();
  const ProfileSpace& payoffs = instance.profiles();
  const ProfileSpace& type_profiles = types_.profiles();
  const auto m = static_cast<std::size_t>(instance.outcomes());
  const double tie = instance.tie();

  int j = -1;
  int type = -1;
  for (int i = 0; i < n && j < 0; ++i) {
    for (int t = 0; t < types_.types(i); ++t) {
      if (sigma[i][t].whistle) {
        j = i;
        type = t;
        break;
      }
    }
  }
  if (j < 0) return std::nullopt;
  const Message& current = sigma[j][type];
  if (current.integer == std::numeric_limits<std::uint64_t>::max()) {
    throw std::invalid_argument("coalition: " + agent_name(j) + ": the integer cannot be raised");
  }

  // Per possible S*: φ_j(S) and the unnormalised E_y, E_L and E_{ŷ^k}.
  struct Component {
    double weight = 0.0;
    double reward = 0.0;
    double noise = 0.0;
    std::vector<double> menu;
  };
  std::map<Coalition, Component> components;
  const Coalition self = singleton(j);
  const auto posterior = checker_.posterior(self, j, static_cast<std::size_t>(type));
  const auto outside = type_profiles.embed(all_agents(n) & ~self);
  const std::size_t inside = type_profiles.embed(self)[static_cast<std::size_t>(type)];
  std::array<Message, kMaxAgents> profile{};
  std::array<int, kMaxAgents> reports{};
  for (std::size_t o = 0; o < outside.size(); ++o) {
    const double q = posterior[o];
    if (q <= 0.0) continue;
    const std::size_t t = inside + outside[o];
    for (int a = 0; a < n; ++a) {
      profile[a] = a == j ? current : sigma[a][type_profiles.type_of(t, a)];
      reports[a] = profile[a].report;
    }
    const RuleApplied applied = mechanism_.rule(std::span<const Message>(profile.data(), std::size_t(n)));
    const Coalition target = applied.target;  // i* = j: nobody below j ever blows
    const std::size_t theta = types_.payoff_profile(t);
    const std::size_t reported = payoffs.profile_of(std::span<const int>(reports.data(), std::size_t(n)));
    const auto y = mechanism_.reward_of(current, target);
    const std::size_t c = payoffs.project(reported, all_agents(n) & ~target);
    Component& component = components[target];
    const auto& menu = mechanism_.menu(target);
    component.menu.resize(menu.size(), 0.0);
    component.weight += q;
    component.reward += q * row_utility(env, j, theta, y.data() + c * m);
    component.noise += q * env.expected_utility(j, theta, mechanism_.noise(target));
    for (std::size_t k = 0; k < menu.size(); ++k) component.menu[k] += q * env.expected_utility(j, theta, menu[k]);
  }

  WhistleCertificate certificate;
  certificate.agent = j;
  certificate.type = type;
  RewardProposal proposal = current.rewards ? *current.rewards : RewardProposal{};
  for (const auto& [target, component] : components) {
    // Case 1 for this component: E_y ≤ E_L (within the band) ⇒ take the best ŷ^k.
    if (component.reward > component.noise + tie) continue;
    const auto best = std::max_element(component.menu.begin(), component.menu.end()) - component.menu.begin();
    const auto& constant = mechanism_.menu(target)[static_cast<std::size_t>(best)];
    std::vector<double> y;
    for (std::size_t c = 0; c < mechanism_.reward_components(target); ++c) {
      y.insert(y.end(), constant.begin(), constant.end());
    }
    proposal[target] = std::move(y);
    certificate.replaced.push_back(target);
  }
  certificate.switched = !certificate.replaced.empty();
  // Raise z in both cases: the z = 0 fix of Case 1, and the whole of Case 2.
  certificate.message =
      Message{current.report, true, std::make_shared<const RewardProposal>(std::move(proposal)), current.integer + 1};
  mechanism_.validate_message(j, certificate.message);
  certificate.gain = interim_gains(sigma, self, static_cast<std::size_t>(type), std::span(&certificate.message, 1))[0];
  if (!(certificate.gain > tie)) return std::nullopt;
  return certificate;
}

std::vector<double> CanonicalCertifier::random_reward(Coalition s, std::mt19937_64& rng,
                                                      std::uint64_t* rejected) const {
  const int n = mechanism_.agents();
  const Instance& instance = mechanism_.instance();
  const ProfileSpace& payoffs = instance.profiles();
  const auto m = static_cast<std::size_t>(instance.outcomes());
  const RewardSet& rewards = mechanism_.reward_set(s);
  const auto& menu = mechanism_.menu(s);
  const std::size_t components = mechanism_.reward_components(s);
  const auto others = payoffs.embed(all_agents(n) & ~s);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto section = [&] {  // f(θ_S, ·) for a random θ_S
    const std::size_t inside =
        payoffs.embed(s)[std::uniform_int_distribution<std::size_t>(0, payoffs.count(s) - 1)(rng)];
    std::vector<double> y;
    for (std::size_t c = 0; c < components; ++c) {
      const auto f = instance.scf().lottery(inside + others[c]);
      y.insert(y.end(), f.begin(), f.end());
    }
    return y;
  };
  const auto constant = [&](const std::vector<double>& lottery) {
    std::vector<double> y;
    for (std::size_t c = 0; c < components; ++c) y.insert(y.end(), lottery.begin(), lottery.end());
    return y;
  };
  const auto mix = [](std::vector<double> a, const std::vector<double>& b, double weight) {
    for (std::size_t e = 0; e < a.size(); ++e) a[e] = (1.0 - weight) * a[e] + weight * b[e];
    return a;
  };
  for (int attempt = 0; attempt < 32; ++attempt) {
    std::vector<double> y;
    switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
      case 0:
        y = section();
        break;
      case 1:
        y = constant(menu[std::uniform_int_distribution<std::size_t>(0, menu.size() - 1)(rng)]);
        break;
      case 2:  // in Y whenever the section is, by Def 9 (ii)
        y = mix(section(), constant(menu[std::uniform_int_distribution<std::size_t>(0, menu.size() - 1)(rng)]),
                unit(rng));
        break;
      case 3:  // Y is not convex: this may leave it
        y = mix(section(), section(), unit(rng));
        break;
      default:  // an arbitrary lottery per component: often outside Y
        y.resize(components * m);
        for (std::size_t c = 0; c < components; ++c) {
          double total = 0.0;
          for (std::size_t x = 0; x < m; ++x) total += y[c * m + x] = -std::log(1.0 - unit(rng));
          for (std::size_t x = 0; x < m; ++x) y[c * m + x] /= total;
        }
        break;
    }
    if (rewards.contains(y)) return y;
    if (rejected != nullptr) ++*rejected;
  }
  return constant(menu.front());  // always in Y
}

TruthSample CanonicalCertifier::sample_truthful_deviations(std::uint64_t samples, std::uint64_t seed) const {
  const int n = mechanism_.agents();
  const Instance& instance = mechanism_.instance();
  const ProfileSpace& payoffs = instance.profiles();
  const ProfileSpace& type_profiles = types_.profiles();
  const double tie = instance.tie();
  StrategyProfile truth(n);
  for (int i = 0; i < n; ++i) {
    for (int t = 0; t < types_.types(i); ++t) truth[i].push_back(types_.payoff_type(i, t));
  }
  const MessageStrategy sigma = no_whistle_strategy(truth);
  const auto coalitions = mechanism_.pattern().coalitions();
  std::mt19937_64 rng(seed);
  constexpr std::array<std::uint64_t, 8> kIntegers{0, 0, 1, 2, 3, 10, 100, 100000};
  TruthSample sample;
  sample.best_min_gain = -std::numeric_limits<double>::infinity();
  for (std::uint64_t draw = 0; draw < samples; ++draw) {
    const Coalition s = coalitions[std::uniform_int_distribution<std::size_t>(0, coalitions.size() - 1)(rng)];
    const std::size_t realized = std::uniform_int_distribution<std::size_t>(0, type_profiles.count(s) - 1)(rng);
    const std::size_t inside = type_profiles.embed(s)[realized];
    const auto members = members_of(s, n);
    Coalition blowers = 0;
    for (int i : members) {
      if (rng() % 2 == 0) blowers |= singleton(i);
    }
    std::vector<Message> deviation;
    std::shared_ptr<const RewardProposal> proposal;
    std::uint64_t integer = 0;
    if (blowers != 0) {
      ++sample.rule_two;
      proposal = std::make_shared<const RewardProposal>(
          RewardProposal{{blowers, random_reward(blowers, rng, &sample.rejected_rewards)}});
      integer = kIntegers[rng() % kIntegers.size()];
    }
    for (int i : members) {
      const int own = types_.payoff_type(i, type_profiles.type_of(inside, i));
      const int report = rng() % 2 == 0 ? own : std::uniform_int_distribution<int>(0, payoffs.types(i) - 1)(rng);
      deviation.push_back(is_member(blowers, i) ? Message{report, true, proposal, integer} : no_whistle(report));
    }
    const auto gains = interim_gains(sigma, s, realized, deviation);
    ++sample.samples;
    const double worst = *std::min_element(gains.begin(), gains.end());
    sample.best_min_gain = std::max(sample.best_min_gain, worst);
    if (worst > tie) {
      ++sample.profitable;
      if (!sample.first_profitable) {
        CoalitionCertificate found;
        found.coalition = s;
        found.realized = realized;
        for (int i : members) found.types.push_back(type_profiles.type_of(inside, i));
        found.integer = integer;
        found.messages = deviation;
        found.gains = gains;
        sample.first_profitable = std::move(found);
      }
    }
  }
  return sample;
}

}  // namespace mechsweep::coalition
