#pragma once
// Finite type spaces, finite mechanisms and interim 𝒮 equilibria (spec 001
// §1.2, §1.4, §1.5, §2.1, §3.2, §5.6; Definition 1 and Lemma 1).
//
// The paper's conditions are belief-free, so nothing in the verdict pipeline
// needs a type space. Type spaces exist here to *validate* the conditions on
// concrete beliefs (spec §2.8) and to build the paper's witnesses.
//
// A type space 𝒯 = (T_i, θ̂_i, π_i):
//   - T_i = {0, …, |T_i|−1}: agent i's (belief) types;
//   - θ̂_i : T_i → Θ_i, the payoff type of each type; it must be ONTO Θ_i,
//     because the paper's constructions (Claim 3's β) need every payoff type
//     represented;
//   - π_i(t_i) ∈ Δ(T_{−i}): an arbitrary belief, zeros and correlation allowed,
//     no common prior required. It is stored densely over the profiles of the
//     other agents in increasing agent order, lowest agent least significant
//     (the ProfileSpace convention, so index = types().project(t, ~{i})).
//
// Coalitions pool types (spec §1.2). Member i of S who learns t*_{S∖i} holds
// a posterior over the outsiders' types T_{−S}:
//   - Bayes when π_i(t*_i)[t*_{S∖i}] > 0;
//   - otherwise a revising rule. Its output is a distribution over T_{−S}, so
//     "probability 1 on the revealed partner profile" (spec §6.1 item 2) holds
//     by construction and only normalisation has to be validated. The default
//     (Lemma 2 Step 4) is the prior marginal π_i(t*_i)[t_{−S}], which is always
//     defined because π_i(t*_i) is a distribution.
// For a singleton this is π_i(t_i) itself; for S = I it is the point mass on
// the one empty outsider profile.
//
// A finite mechanism (M, g): message counts |M_i| and a lottery over the
// environment's X per message profile (mixed radix, agent 0 least
// significant). Pure strategies σ_i : T_i → M_i only (spec §6.2 item 12).
//
// Interim 𝒮 equilibrium (Definition 1): no S ∈ 𝒮, realized t*_S and joint
// message m'_S make EVERY member strictly better off in his own posterior
// expectation. Only the realized t*_S matters (spec §6.2 item 10), and members
// keep their own beliefs about outsiders (item 11): no common belief, no
// transfers. "Strictly" means gain > tolerance; with an Instance the tolerance
// is Instance::tie(), so the paper's exact ties stay ties.
//
// Parameters of the witness and random constructions:
//
//   construction         parameter           meaning
//   lemma1_type_space    IcViolation         (S, θ*_S, θ'_S, θ^i_{−S}); T_i ≅ Θ_i
//   example2_type_space  epsilon ∈ (0, ½)    Table 3.1 common prior (ε², ε; 1−ε−2ε², ε²)
//   random_type_space    types_per_payoff    r ≥ 1: |T_i| = r·k_i, θ̂_i(t) = t mod k_i
//                        zero_probability    each belief entry is 0 with this chance
//                        seed                std::mt19937_64 seed (deterministic)
//   enumerate_direct_profiles  cap           refuse more than cap = 10^6 profiles

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "mechanisms/coalition/environment.hpp"
#include "mechanisms/coalition/ic.hpp"
#include "mechanisms/coalition/pattern.hpp"

namespace mechsweep::coalition {

class TypeSpace {
 public:
  // payoff_type[i][t] = θ̂_i(t); beliefs[i][t] = π_i(t) over T_{−i}. Throws
  // std::invalid_argument ("coalition: agent i, type t: …") for a wrong size,
  // a θ̂ value outside Θ_i, a θ̂ that is not onto, or a belief that has a
  // negative or non-finite entry or does not sum to 1 within 1e-9.
  TypeSpace(const ProfileSpace& payoff_profiles, std::vector<std::vector<int>> payoff_type,
            std::vector<std::vector<std::vector<double>>> beliefs);

  int agents() const { return types_.agents(); }
  int types(int i) const { return types_.types(i); }
  // T = ∏ T_i as mixed-radix profiles.
  const ProfileSpace& profiles() const { return types_; }
  const ProfileSpace& payoff_profiles() const { return payoff_profiles_; }

  int payoff_type(int i, int t) const { return payoff_type_[i][t]; }
  // θ̂(t) as a profile index of Θ.
  std::size_t payoff_profile(std::size_t type_profile) const { return payoff_profile_[type_profile]; }
  // π_i(t_i) over T_{−i}.
  std::span<const double> belief(int i, int t) const { return beliefs_[i][t]; }
  // π_i(t_i)[t_{−i}] read off a full type profile t.
  double prior(int i, std::size_t type_profile) const {
    return joint_[static_cast<std::size_t>(i) * types_.size() + type_profile];
  }

 private:
  ProfileSpace payoff_profiles_;
  ProfileSpace types_;
  std::vector<std::vector<int>> payoff_type_;
  std::vector<std::vector<std::vector<double>>> beliefs_;
  std::vector<std::size_t> payoff_profile_;  // by type profile
  std::vector<double> joint_;                // [i][t]: π_i(t_i)[t_{−i}], so inner loops index one array
};

// Member `member` of `coalition`, at realized t*_S (an index within T_S), when
// Bayes is undefined: a distribution over T_{−S} (index within T_{−S}).
using RevisingRule =
    std::function<std::vector<double>(const TypeSpace& types, Coalition coalition, int member, std::size_t realized)>;

// Lemma 2 Step 4: the prior marginal π_i(t*_i)[t_{−S}] (the default rule).
std::vector<double> marginal_revision(const TypeSpace& types, Coalition coalition, int member, std::size_t realized);
// Uniform over T_{−S}: a second legitimate rule, for robustness tests.
std::vector<double> uniform_revision(const TypeSpace& types, Coalition coalition, int member, std::size_t realized);

// Member i's posterior over T_{−S} (spec §1.2). An empty rule means
// marginal_revision. Throws std::invalid_argument if i ∉ S, realized is out of
// range, or the rule's output is not a distribution over T_{−S}.
std::vector<double> coalition_posterior(const TypeSpace& types, Coalition coalition, int member, std::size_t realized,
                                        const RevisingRule& rule = {});

class FiniteMechanism {
 public:
  // lotteries[message profile · outcomes + x]. Throws std::invalid_argument
  // for an empty message set, a wrong-size table or a lottery that is negative,
  // non-finite or does not sum to 1 within 1e-9.
  FiniteMechanism(std::vector<int> message_counts, int outcomes, std::vector<double> lotteries);

  int agents() const { return messages_.agents(); }
  int outcomes() const { return outcomes_; }
  const ProfileSpace& messages() const { return messages_; }
  std::span<const double> outcome(std::size_t message_profile) const {
    return {lotteries_.data() + message_profile * outcomes_, static_cast<std::size_t>(outcomes_)};
  }

 private:
  ProfileSpace messages_;
  int outcomes_;
  std::vector<double> lotteries_;
};

// M_i = Θ_i, g = f.
FiniteMechanism direct_mechanism(const Instance& instance);

// σ[i][t_i] ∈ M_i.
using StrategyProfile = std::vector<std::vector<int>>;
// σ_i(t_i) = θ̂_i(t_i), i.e. truth-telling in the direct mechanism.
StrategyProfile truthful_strategies(const TypeSpace& types);

// A profitable coalitional deviation: members in increasing agent order.
struct Deviation {
  Coalition coalition = 0;
  std::vector<int> types;     // t*_i
  std::vector<int> messages;  // m'_i
  std::vector<double> gains;  // each member's interim gain, all > tolerance
};

// Precomputes every posterior (S ∈ 𝒮, t*_S, i ∈ S) once, so that many
// profiles can be checked against one type space. Holds references: the
// environment (or instance) and the type space must outlive the checker.
class InterimChecker {
 public:
  // Throws std::invalid_argument if the environment, type space and pattern
  // disagree on agents or payoff types, tolerance < 0, or a revision is invalid.
  InterimChecker(const Environment& env, const TypeSpace& types, const Pattern& pattern, double tolerance,
                 const RevisingRule& rule = {});
  // tolerance = instance.tie().
  InterimChecker(const Instance& instance, const TypeSpace& types, const Pattern& pattern,
                 const RevisingRule& rule = {});

  double tolerance() const { return tolerance_; }
  // Member i's posterior over T_{−S} at t*_S (index within T_S); S ∈ 𝒮.
  std::span<const double> posterior(Coalition coalition, int member, std::size_t realized) const;

  // The first profitable deviation in (S by mask, t*_S, m'_S) order, or none:
  // σ is an interim 𝒮 equilibrium iff this returns nothing. Throws
  // std::invalid_argument if σ or the mechanism does not fit.
  std::optional<Deviation> find_deviation(const FiniteMechanism& mechanism, const StrategyProfile& sigma) const;
  // The same, restricted to one coalition S ∈ 𝒮.
  std::optional<Deviation> find_deviation_by(Coalition coalition, const FiniteMechanism& mechanism,
                                             const StrategyProfile& sigma) const;
  // Each member's interim gain from m'_S at t*_S (per-member vectors in
  // increasing agent order), whether or not it is profitable.
  std::vector<double> gains(const FiniteMechanism& mechanism, const StrategyProfile& sigma, Coalition coalition,
                            std::span<const int> realized_types, std::span<const int> messages) const;

 private:
  struct Block {  // one coalition of the pattern
    Coalition coalition;
    std::vector<int> members;
    std::vector<double> posteriors;  // [t*_S][member k][t_{−S}]
  };
  const Block& block(Coalition coalition) const;
  void check_fit(const FiniteMechanism& mechanism, const StrategyProfile& sigma) const;
  std::optional<Deviation> scan(const Block& block, const FiniteMechanism& mechanism, const StrategyProfile& sigma,
                                std::vector<std::size_t>& outsider_messages) const;

  const Environment* env_;
  const TypeSpace* types_;
  double tolerance_;
  std::vector<Block> blocks_;
};

std::optional<Deviation> find_profitable_deviation(const Instance& instance, const TypeSpace& types,
                                                   const FiniteMechanism& mechanism, const StrategyProfile& sigma,
                                                   const Pattern& pattern, const RevisingRule& rule = {});
bool is_interim_equilibrium(const Instance& instance, const TypeSpace& types, const FiniteMechanism& mechanism,
                            const StrategyProfile& sigma, const Pattern& pattern, const RevisingRule& rule = {});

// Type profiles t (in increasing index order) with g(σ(t)) ≠ f(θ̂(t)), lotteries
// compared within 1e-9: σ is good iff this is empty.
std::vector<std::size_t> bad_type_profiles(const Instance& instance, const TypeSpace& types,
                                           const FiniteMechanism& mechanism, const StrategyProfile& sigma);

// Lemma 1 (spec §2.1): T_i ≅ Θ_i with θ̂ the identity; member i's type θ*_i
// believes (θ*_{S∖i}, θ^i_{−S}) with probability 1, every other type is uniform.
// Throws std::invalid_argument for a witness that does not fit the instance.
TypeSpace lemma1_type_space(const Instance& instance, const IcViolation& violation);
// Example 2 (spec §3.2): the posteriors of Table 3.1; type t is payoff type t.
TypeSpace example2_type_space(double epsilon);
// Random beliefs: normalised Exp(1) draws with independent zeros (at least one
// positive entry per belief), drawn per agent and type, so no common prior.
TypeSpace random_type_space(const ProfileSpace& payoff_profiles, int types_per_payoff_type, double zero_probability,
                            std::uint64_t seed);

struct DirectCensus {
  std::uint64_t profiles = 0;  // ∏ k_i^{|T_i|}
  std::uint64_t good = 0;
  std::uint64_t equilibria = 0;
  std::uint64_t good_equilibria = 0;
  std::uint64_t bad_equilibria = 0;
  std::optional<StrategyProfile> first_bad_equilibrium;  // in odometer order, agent 0's type 0 fastest
};

inline constexpr std::uint64_t kMaxDirectProfiles = 1'000'000;

// Every pure profile of the direct mechanism, classified as good/bad and as
// an interim 𝒮 equilibrium or not (spec §5.6). Throws std::invalid_argument
// above `cap` profiles.
DirectCensus enumerate_direct_profiles(const Instance& instance, const TypeSpace& types, const Pattern& pattern,
                                       const RevisingRule& rule = {}, std::uint64_t cap = kMaxDirectProfiles);

}  // namespace mechsweep::coalition
