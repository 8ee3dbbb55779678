#include "mechanisms/fpre/environment.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace mechsweep::fpre {
namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("fpre: " + message); }

std::string agent_name(int i) { return "agent " + std::to_string(i + 1); }

}  // namespace

Outcome make_outcome(std::initializer_list<std::int64_t> numerators, std::int64_t denominator) {
  Outcome x;
  x.reserve(numerators.size());
  for (const std::int64_t k : numerators) x.emplace_back(k, denominator);
  return x;
}

std::string to_string(const Rational& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string to_string(const Outcome& outcome) {
  std::string text = "(";
  for (std::size_t k = 0; k < outcome.size(); ++k) {
    if (k > 0) text += ", ";
    text += to_string(outcome[k]);
  }
  return text + ")";
}

Outcome permute(const Outcome& x, std::span<const int> pi) {
  Outcome y(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) y[k] = x[static_cast<std::size_t>(pi[k])];
  return y;
}

Outcome swap_adjacent(const Outcome& x, int j) {
  Outcome y = x;
  std::swap(y[static_cast<std::size_t>(j)], y[static_cast<std::size_t>(j) + 1]);
  return y;
}

bool is_symmetric(const Outcome& x) { return std::adjacent_find(x.begin(), x.end(), std::not_equal_to<>()) == x.end(); }

Rational exact_rational(double value, const std::string& what) {
  if (!std::isfinite(value)) reject(what + " is " + std::to_string(value) + "; expected a finite number");
  int exponent = 0;
  const double mantissa = std::frexp(value, &exponent);
  // value = mantissa · 2^exponent with |mantissa| < 1; 53 bits make it an integer.
  const auto scaled = static_cast<std::int64_t>(std::ldexp(mantissa, 53));
  Rational result{Integer{scaled}};
  const int shift = exponent - 53;
  const Integer power = Integer{1} << std::abs(shift);
  return shift >= 0 ? result * Rational{power} : result / Rational{power};
}

// ---- ProfileSpace -------------------------------------------------------------

ProfileSpace::ProfileSpace(std::vector<int> type_counts) : type_counts_(std::move(type_counts)) {
  size_ = 1;
  for (std::size_t i = 0; i < type_counts_.size(); ++i) {
    if (type_counts_[i] < 1)
      reject(agent_name(static_cast<int>(i)) + " has " + std::to_string(type_counts_[i]) +
             " types; expected at least 1");
    stride_.push_back(size_);
    if (size_ > kMaxProfiles / type_counts_[i]) {
      reject("the type space has more than " + std::to_string(kMaxProfiles) + " profiles; expected at most that");
    }
    size_ *= type_counts_[i];
  }
}

bool ProfileSpace::equal_type_counts() const {
  return std::adjacent_find(type_counts_.begin(), type_counts_.end(), std::not_equal_to<>()) == type_counts_.end();
}

Profile ProfileSpace::decode(std::int64_t index) const {
  Profile profile(type_counts_.size());
  for (std::size_t i = 0; i < type_counts_.size(); ++i) {
    profile[i] = static_cast<int>(index % type_counts_[i]);
    index /= type_counts_[i];
  }
  return profile;
}

std::int64_t ProfileSpace::encode(std::span<const int> profile) const {
  std::int64_t index = 0;
  for (std::size_t i = 0; i < type_counts_.size(); ++i) index += stride_[i] * profile[i];
  return index;
}

int ProfileSpace::type_of(std::int64_t index, int agent) const {
  return static_cast<int>((index / stride_[agent]) % type_counts_[agent]);
}

std::int64_t ProfileSpace::with_type(std::int64_t index, int agent, int type) const {
  return index + stride_[agent] * (type - type_of(index, agent));
}

// ---- Environment -------------------------------------------------------------

Environment::Environment(EnvironmentSpec spec) : spec_(std::move(spec)) {
  const int n = static_cast<int>(spec_.type_counts.size());
  if (n < 2 || n > kMaxAgents) {
    reject("n = " + std::to_string(n) + " agents; expected 2 ≤ n ≤ " + std::to_string(kMaxAgents));
  }
  profiles_ = ProfileSpace(spec_.type_counts);
  const std::int64_t profiles = profiles_.size();
  const auto outcomes = static_cast<std::int64_t>(spec_.outcomes.size());
  if (outcomes == 0) reject("the outcome set is empty; expected at least one outcome");
  for (std::size_t o = 0; o < spec_.outcomes.size(); ++o) {
    if (static_cast<int>(spec_.outcomes[o].size()) != n) {
      reject("outcome " + std::to_string(o) + " = " + to_string(spec_.outcomes[o]) + " has " +
             std::to_string(spec_.outcomes[o].size()) +
             " coordinates; expected an n-tuple with n = " + std::to_string(n));
    }
    if (!index_.emplace(spec_.outcomes[o], static_cast<int>(o)).second) {
      reject("outcome " + std::to_string(o) + " = " + to_string(spec_.outcomes[o]) +
             " repeats an earlier outcome; expected distinct outcomes");
    }
  }
  if (static_cast<std::int64_t>(spec_.prior.size()) != profiles) {
    reject("the prior has " + std::to_string(spec_.prior.size()) + " entries; expected one per type profile (" +
           std::to_string(profiles) + ")");
  }
  Rational total = 0;
  for (std::int64_t t = 0; t < profiles; ++t) {
    if (spec_.prior[t] < 0) {
      reject("prior entry p(t = " + std::to_string(t) + ") = " + to_string(spec_.prior[t]) + "; expected p(t) ≥ 0");
    }
    total += spec_.prior[t];
  }
  if (total != 1) reject("the prior sums to " + to_string(total) + "; expected exactly 1");
  if (static_cast<std::int64_t>(spec_.utility.size()) != n * profiles * outcomes) {
    reject("the utility table has " + std::to_string(spec_.utility.size()) +
           " entries; expected n·|Θ|·|O| = " + std::to_string(n * profiles * outcomes));
  }
  if (!spec_.principal.empty() && static_cast<std::int64_t>(spec_.principal.size()) != profiles * outcomes) {
    reject("the principal's utility table has " + std::to_string(spec_.principal.size()) +
           " entries; expected |Θ|·|O| = " + std::to_string(profiles * outcomes));
  }
  if (static_cast<int>(spec_.worst.size()) != n) {
    reject("the worst-outcome family has " + std::to_string(spec_.worst.size()) + " entries; expected one per agent (" +
           std::to_string(n) + ")");
  }
  for (int i = 0; i < n; ++i) {
    if (spec_.worst[i] < 0 || spec_.worst[i] >= outcomes) {
      reject("worst outcome o̲^" + std::to_string(i + 1) + " has index " + std::to_string(spec_.worst[i]) +
             "; expected an outcome index in [0, " + std::to_string(outcomes) + ")");
    }
  }
  if (spec_.fallback < 0 || spec_.fallback >= outcomes) {
    reject("the fallback o* has index " + std::to_string(spec_.fallback) + "; expected an outcome index in [0, " +
           std::to_string(outcomes) + ")");
  }
  marginals_.assign(static_cast<std::size_t>(n), {});
  for (int i = 0; i < n; ++i) marginals_[i].assign(static_cast<std::size_t>(profiles_.types(i)), Rational{0});
  for (std::int64_t t = 0; t < profiles; ++t) {
    for (int i = 0; i < n; ++i) marginals_[i][profiles_.type_of(t, i)] += spec_.prior[t];
  }
}

std::optional<int> Environment::find(const Outcome& x) const {
  const auto it = index_.find(x);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

// ---- validation (spec §1.2, §1.3, §5.1, §6.2) ----------------------------------

ValidationReport validate(const Environment& env) {
  ValidationReport report;
  const int n = env.agents();
  const std::int64_t profiles = env.profiles().size();
  const int fallback = env.fallback();
  // A1(i): o̲^i is i's worst for every t.
  for (int i = 0; i < n && report.worst_is_worst; ++i) {
    for (std::int64_t t = 0; t < profiles && report.worst_is_worst; ++t) {
      for (int o = 0; o < env.outcome_count(); ++o) {
        if (env.u(i, t, o) < env.u(i, t, env.worst(i))) {
          report.worst_is_worst = false;
          report.problems.push_back("Assumption 1(i) fails: " + agent_name(i) + " at profile t = " + std::to_string(t) +
                                    " has u(" + to_string(env.outcome(o)) + ") = " + to_string(env.u(i, t, o)) +
                                    " < u(o̲^" + std::to_string(i + 1) + " = " + to_string(env.outcome(env.worst(i))) +
                                    ") = " + to_string(env.u(i, t, env.worst(i))) +
                                    "; expected o̲^i to be i's worst outcome");
          break;
        }
      }
    }
  }
  // A1(i): the other agents are treated equally in i's punishment.
  for (int i = 0; i < n; ++i) {
    const Outcome& w = env.outcome(env.worst(i));
    const int first = i == 0 ? 1 : 0;
    for (int j = 0; j < n; ++j) {
      if (j != i && w[j] != w[first]) {
        report.worst_others_equal = false;
        report.problems.push_back("Assumption 1(i) fails: o̲^" + std::to_string(i + 1) + " = " + to_string(w) +
                                  " gives " + agent_name(j) + " " + to_string(w[j]) + " but " + agent_name(first) +
                                  " " + to_string(w[first]) + "; expected o̲^i_j = o̲^i_k for all j, k ≠ i");
        break;
      }
    }
  }
  // A1(ii): o* symmetric and dominated by others' punishments.
  if (!is_symmetric(env.outcome(fallback))) {
    report.fallback_symmetric = false;
    report.problems.push_back("Assumption 1(ii) fails: the fallback o* = " + to_string(env.outcome(fallback)) +
                              " is not symmetric; expected o*_i = o*_j for all i, j");
  }
  for (int i = 0; i < n && report.fallback_dominated; ++i) {
    for (int j = 0; j < n && report.fallback_dominated; ++j) {
      if (i == j) continue;
      for (std::int64_t t = 0; t < profiles; ++t) {
        if (env.u(i, t, env.worst(j)) < env.u(i, t, fallback)) {
          report.fallback_dominated = false;
          report.problems.push_back(
              "Assumption 1(ii) fails: " + agent_name(i) + " at profile t = " + std::to_string(t) + " has u(o̲^" +
              std::to_string(j + 1) + ") = " + to_string(env.u(i, t, env.worst(j))) +
              " < u(o*) = " + to_string(env.u(i, t, fallback)) + "; expected u_i(o̲^j) ≥ u_i(o*) for i ≠ j");
          break;
        }
      }
    }
  }
  report.assumption1_ok =
      report.worst_is_worst && report.worst_others_equal && report.fallback_symmetric && report.fallback_dominated;
  // Permutation consistency (spec §1.2 [derived]): o̲^i = (b,…,a,…,b).
  const Outcome& w0 = env.outcome(env.worst(0));
  const Rational a = w0[0];
  const Rational b = w0[1];
  for (int i = 0; i < n && report.worst_family_consistent; ++i) {
    const Outcome& w = env.outcome(env.worst(i));
    for (int j = 0; j < n; ++j) {
      const Rational& expected = j == i ? a : b;
      if (w[j] != expected) {
        report.worst_family_consistent = false;
        report.problems.push_back(
            "the worst-outcome family is not permutation-consistent: o̲^" + std::to_string(i + 1) + " = " +
            to_string(w) + " but o̲^1 = " + to_string(w0) + "; expected o̲^i = (b,…,b,a,b,…,b) with a = " + to_string(a) +
            " at position i and b = " + to_string(b) + " elsewhere (spec 000 §1.2), or ν^ε is not symmetric");
        break;
      }
    }
  }
  // Definition 1 preconditions (spec §1.3).
  report.has_symmetric_outcome =
      std::any_of(env.outcomes().begin(), env.outcomes().end(), [](const Outcome& x) { return is_symmetric(x); });
  if (!report.has_symmetric_outcome) {
    report.problems.push_back(
        "𝒪 has no symmetric outcome; expected at least one (a symmetric rule maps (x,…,x) to one)");
  }
  for (int o = 0; o < env.outcome_count() && report.outcomes_permutation_closed; ++o) {
    for (int j = 0; j + 1 < n; ++j) {
      if (!env.find(swap_adjacent(env.outcome(o), j))) {
        report.outcomes_permutation_closed = false;
        break;
      }
    }
  }
  return report;
}

void require_valid(const Environment& env) {
  const ValidationReport report = validate(env);
  if (!report.problems.empty()) reject(report.problems.front());
}

// ---- builders ---------------------------------------------------------------

std::vector<Rational> tabulate_utility(const ProfileSpace& profiles, const std::vector<Outcome>& outcomes,
                                       const std::function<Rational(int, const Profile&, const Outcome&)>& u) {
  std::vector<Rational> table;
  table.reserve(static_cast<std::size_t>(profiles.agents() * profiles.size()) * outcomes.size());
  for (int i = 0; i < profiles.agents(); ++i) {
    for (std::int64_t t = 0; t < profiles.size(); ++t) {
      const Profile profile = profiles.decode(t);
      for (const Outcome& o : outcomes) table.push_back(u(i, profile, o));
    }
  }
  return table;
}

std::vector<Rational> independent_prior(const ProfileSpace& profiles,
                                        const std::vector<std::vector<Rational>>& marginals) {
  if (static_cast<int>(marginals.size()) != profiles.agents()) {
    reject("independent prior: " + std::to_string(marginals.size()) + " marginals; expected one per agent (" +
           std::to_string(profiles.agents()) + ")");
  }
  for (int i = 0; i < profiles.agents(); ++i) {
    if (static_cast<int>(marginals[i].size()) != profiles.types(i)) {
      reject("independent prior: the marginal of " + agent_name(i) + " has " + std::to_string(marginals[i].size()) +
             " entries; expected " + std::to_string(profiles.types(i)));
    }
  }
  std::vector<Rational> prior(static_cast<std::size_t>(profiles.size()));
  for (std::int64_t t = 0; t < profiles.size(); ++t) {
    Rational p = 1;
    for (int i = 0; i < profiles.agents(); ++i) p *= marginals[i][profiles.type_of(t, i)];
    prior[t] = p;
  }
  return prior;
}

std::vector<Rational> uniform_prior(const ProfileSpace& profiles) {
  return std::vector<Rational>(static_cast<std::size_t>(profiles.size()), Rational{1, profiles.size()});
}

std::vector<Outcome> worst_family_from_template(int n, const Rational& a, const Rational& b) {
  std::vector<Outcome> family;
  for (int i = 0; i < n; ++i) {
    Outcome w(static_cast<std::size_t>(n), b);
    w[i] = a;
    family.push_back(w);
  }
  return family;
}

std::vector<Outcome> permutation_closure(const std::vector<Outcome>& outcomes) {
  std::vector<Outcome> closure;
  for (Outcome x : outcomes) {
    std::sort(x.begin(), x.end());
    do {
      closure.push_back(x);
    } while (std::next_permutation(x.begin(), x.end()));
  }
  std::sort(closure.begin(), closure.end());
  closure.erase(std::unique(closure.begin(), closure.end()), closure.end());
  return closure;
}

}  // namespace mechsweep::fpre
