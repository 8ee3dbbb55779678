#pragma once
// The canonical mechanisms of Theorems 1 and 2 (spec 001 §2.3, §2.4, §5.6) and
// certificates for Claims 1–6 on finite type spaces.
//
// Messages. Agent i sends m_i = (m¹_i, m²_i, m³_i, m⁴_i):
//   m¹_i ∈ Θ_i      the reported payoff type;
//   m²_i ∈ {B, NB}  whether i blows the whistle;
//   m³_i            one reward function y_S : Θ_{−S} → Δ(X) per coalition
//                   S ∋ i with S ∈ D(𝒮), stored as |Θ_{−S}|·m probabilities
//                   (component c = index of θ_{−S} within Θ_{−S}); it must lie
//                   in Y_S[𝒮] (spec §6.3). Coalitions outside D(𝒮) never become
//                   S*, so tables for them are rejected rather than ignored;
//   m⁴_i = z ∈ ℕ    an integer, z ≥ 0.
// m³ is held through a shared pointer so that a Message copies in O(1): the
// certificate loops build one message profile per outsider type profile.
// An omitted m³ component stands for the constant y¹ (the first menu item
// below), which lies in Y_S[𝒮]; so the shorthand never leaves the paper's
// message space, and NB messages need no tables at all.
//
// Outcome g(m):
//   Rule 1: nobody blows ⇒ f(m¹).
//   Rule 2: W = the blowers, i* = min W, S* = W if W ∈ D(𝒮) else {i*},
//           y = the S*-component of m³_{i*}, z = m⁴_{i*}:
//             g = z/(z+1)·y(m¹_{−S*}) + Σ_k w_k·ŷ^k,
//           with w_k = 0.5^k/(z+1) for k < K and 0.5^{K−1}/(z+1) on ŷ^K, the
//           finite-K convention of §2.3, so the "noise lottery" Σ_k w_k·ŷ^k
//           has total weight 1/(z+1). For S* = I, y has one component.
//   The other blowers' m³ and m⁴ are ignored. Theorem 1 is the case
//   𝒮 = 𝒮̄ (then every W ∈ D(𝒮̄), so S* = W); Theorem 2 with 𝒮 = 𝒮̲ is the
//   Bergemann–Morris-style mechanism with S* = {i*}.
//
// The menu Ŷ_S[𝒮]. From interior_reward_test (spec §5.5): the constants
// ā_i, a̲_i for i ∈ S in increasing i. They are universally dominated (weakly
// below f for every agent at every state), so they satisfy every key of every
// reward set and mixing them into any y keeps y's witnesses (Def 9 (ii)); and
// i ∈ S ranks ā_i over a̲_i by ≥ t*_i under every belief (Def 9 (i)). The
// constructor rejects an InteriorTest that did not pass: without Ŷ the
// mechanism is not defined. It does NOT check R𝒮IC or R𝒮M: the mechanism is
// well defined without them, and the certificates below are exactly where
// those hypotheses show up (a missing certificate means a hypothesis fails).
//
// The z = 0 pitfall (spec §6.1 item 6). With z = 0 the reward gets weight 0,
// so Claim 2's Case 1 deviation "switch to a better ŷ^k, keep z" gains nothing.
// This library keeps M⁴ = ℕ and, in Case 1, switches AND raises z by one:
// since E_{ŷ^k} > E_L ≥ E_y, the switched component gains strictly whatever z
// was. With several possible S* (Claim 5) every component with E_y ≤ E_L is
// switched, so raising z cannot hurt any component.
//
// Certificates (CanonicalCertifier, for one finite type space):
//   * Claims 3/6, EXHAUSTIVE over no-whistle profiles: every NB report profile
//     σ¹ ∈ ∏ Θ_i^{T_i} can be enumerated; a bad one gets an explicit coalition
//     deviation (S ∈ 𝒮, t*_S, y ∈ Y_S[𝒮], K*) built as in Claim 6 from
//     best_reward_against and the K* bound, then verified by recomputing every
//     member's interim utility with the exact outcome function.
//   * Claims 2/5, SAMPLED whistle profiles: given any profile with a whistle,
//     the smallest blower's Case 1/2 deviation, verified the same way.
//   * Claims 1/4, SAMPLED deviations from truthful NB: random Rule-1 and
//     Rule-2 deviations by S ∈ 𝒮 with rewards drawn from Y; none may make every
//     member strictly better off when the instance satisfies R𝒮IC.
// Why not enumerate equilibria: the message space is infinite (Y is a
// continuum, z ∈ ℕ). Truncating z or the reward menu creates spurious
// whistle-blowing equilibria at the cap (spec §6.2 item 14), because Claim 2
// needs "raise z" to be always available; a brute-force census of a truncated
// mechanism would therefore be evidence about the truncation, not the theorem.
// The certificates instead exhibit, for each non-equilibrium, the deviation the
// proof promises, in the untruncated mechanism.
//
// Numbers: gains are "strict" when they exceed Instance::tie(). K* is the
// paper's bound (smallest integer above max (E_f − E_L)/(E_y − E_f)) raised,
// if needed, so that the gain also clears the tie band.
//
// Lifetimes: the mechanism keeps references to the instance and a copy of the
// pattern; the certifier keeps references to the mechanism and the type space.
// Neither is thread-safe (reward sets are built lazily, solver counters are
// shared).

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "mechanisms/coalition/environment.hpp"
#include "mechanisms/coalition/interior.hpp"
#include "mechanisms/coalition/monotonicity.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/reward.hpp"
#include "mechanisms/coalition/type_space.hpp"

namespace mechsweep::coalition {

// m³: reward table per coalition, each |Θ_{−S}|·m probabilities.
using RewardProposal = std::map<Coalition, std::vector<double>>;

struct Message {
  int report = 0;                                 // m¹
  bool whistle = false;                           // m² (true = B)
  std::shared_ptr<const RewardProposal> rewards;  // m³ (null: every component omitted)
  std::uint64_t integer = 0;                      // m⁴ = z
};

Message no_whistle(int report);
Message blow_whistle(int report, RewardProposal rewards, std::uint64_t integer);

// How g treated a message profile.
struct RuleApplied {
  int rule = 1;               // 1 or 2
  Coalition blowers = 0;      // W
  int proposer = -1;          // i* (rule 2)
  Coalition target = 0;       // S* (rule 2)
  std::uint64_t integer = 0;  // z (rule 2)
};

class CanonicalMechanism {
 public:
  // Throws std::invalid_argument ("coalition: …") if the pattern or the
  // interior test does not fit the instance (agent count, lottery lengths),
  // if the test did not pass, or if a menu lottery is not universally dominated.
  CanonicalMechanism(const Instance& instance, const Pattern& pattern, const InteriorTest& interior);
  CanonicalMechanism(Instance&&, const Pattern&, const InteriorTest&) = delete;

  const Instance& instance() const { return *instance_; }
  const Pattern& pattern() const { return pattern_; }
  int agents() const { return instance_->agents(); }

  // Ŷ_S[𝒮] = (ā_i, a̲_i)_{i∈S} and the noise lottery Σ_k 0.5^k ŷ^k (finite-K
  // weights, normalised to 1; g scales it by 1/(z+1)). S must be in D(𝒮).
  const std::vector<std::vector<double>>& menu(Coalition s) const;
  std::vector<double> menu_weights(Coalition s) const;
  std::span<const double> noise(Coalition s) const;
  // Y_S[𝒮] with Up(S, 𝒮), built on first use. S must be in D(𝒮).
  const RewardSet& reward_set(Coalition s) const;
  // |Θ_{−S}|: the number of components of an S-table.
  std::size_t reward_components(Coalition s) const;
  // The reward g uses for i*'s S-component: the table, or the constant y¹ spread
  // over all components when omitted.
  std::vector<double> reward_of(const Message& message, Coalition s) const;

  // Throws std::invalid_argument naming the agent, the coalition and the
  // problem: report out of range; a table for a coalition without i or outside
  // D(𝒮); a wrong size; a component that is not a lottery (negative,
  // non-finite, or not summing to 1 within 1e-9); a reward outside Y_S[𝒮].
  void validate_message(int agent, const Message& message) const;

  RuleApplied rule(std::span<const Message> messages) const;
  // g(m). Checks only what indexing needs (count, reports, table sizes):
  // membership in Y is validate_message's job, too costly to repeat here.
  std::vector<double> outcome(std::span<const Message> messages) const;
  // The same with messages by pointer, for loops that must not copy them.
  void outcome(std::span<const Message* const> messages, std::vector<double>& lottery) const;

 private:
  struct Target {
    std::vector<std::vector<double>> menu;
    std::vector<double> noise;
  };
  const Target& target(Coalition s) const;

  const Instance* instance_;
  Pattern pattern_;
  std::vector<Target> targets_;  // by coalition mask; empty menu outside D(𝒮)
  struct RewardCache;
  std::shared_ptr<RewardCache> rewards_;
};

// σ[i][t_i]: a message per type.
using MessageStrategy = std::vector<std::vector<Message>>;
// σ_i(t_i) = (reports[i][t_i], NB, —, 0).
MessageStrategy no_whistle_strategy(const StrategyProfile& reports);

// Claims 3 and 6: coalition S at t*_S deviates to (σ¹_i(t*_i), B, y, K*).
struct CoalitionCertificate {
  Coalition coalition = 0;
  std::size_t realized = 0;        // t*_S, index within T_S
  std::vector<int> types;          // t*_i per member, increasing agent order
  std::vector<double> reward;      // y ∈ Y_S[𝒮], |Θ_{−S}|·m
  double conjectured_value = 0.0;  // min over members of E_{ψ_i}[v_i(γ, y)] (best_reward_against)
  std::uint64_t paper_bound = 0;   // smallest integer above max_i (E_f − E_L)/(E_y − E_f), 0 if all E_f < E_L
  std::uint64_t integer = 0;       // K* used (≥ paper_bound)
  std::vector<Message> messages;   // m'_S per member
  std::vector<double> gains;       // verified interim gain per member, all > tie
};

// Claims 2 and 5: the smallest blower j deviates unilaterally at t*_j.
struct WhistleCertificate {
  int agent = 0;                    // j
  int type = 0;                     // t*_j
  bool switched = false;            // Case 1 (some component replaced by a menu item)
  std::vector<Coalition> replaced;  // the replaced S*-components
  Message message;                  // j's deviation
  double gain = 0.0;                // verified interim gain, > tie
};

struct ReportCensus {
  std::uint64_t profiles = 0;
  std::uint64_t bad = 0;
  std::uint64_t certified = 0;
  std::uint64_t by_singleton = 0;  // certified with |S| = 1
  std::optional<StrategyProfile> first_uncertified;
};

struct TruthSample {
  std::uint64_t samples = 0;                             // deviations evaluated
  std::uint64_t rule_two = 0;                            // with at least one whistle
  std::uint64_t rejected_rewards = 0;                    // drawn rewards outside Y, redrawn
  std::uint64_t profitable = 0;                          // every member strictly better off
  double best_min_gain = 0.0;                            // max over samples of min over members' gains
  std::optional<CoalitionCertificate> first_profitable;  // messages and gains only
};

class CanonicalCertifier {
 public:
  // Posteriors follow `rule` (default: marginal_revision). Throws
  // std::invalid_argument if the type space does not fit the instance.
  CanonicalCertifier(const CanonicalMechanism& mechanism, const TypeSpace& types, const RevisingRule& rule = {});

  // Member's interim expected utility at t*_S (index within T_S) when S plays
  // `deviation` (one message per member; empty = σ_S(t*_S)) and the others σ,
  // under his coalition posterior (S ∈ 𝒮). The one evaluator behind every claim.
  double interim_utility(const MessageStrategy& sigma, Coalition s, std::size_t realized,
                         std::span<const Message> deviation, int member) const;
  // Each member's utility of `deviation` minus that of σ_S(t*_S).
  std::vector<double> interim_gains(const MessageStrategy& sigma, Coalition s, std::size_t realized,
                                    std::span<const Message> deviation) const;

  // f(σ¹(t)) ≠ f(θ̂(t)) at some t.
  bool is_bad(const StrategyProfile& reports) const;
  // Claims 3/6 for an NB profile: the first verified deviation in (S ∈ 𝒮 by
  // mask, t*_S) order, or nullopt when σ¹ is good or nothing works.
  std::optional<CoalitionCertificate> dissolve(const StrategyProfile& reports) const;
  // Every NB profile (refuses more than cap).
  ReportCensus certify_all_reports(std::uint64_t cap = kMaxDirectProfiles) const;

  // Claims 2/5: nullopt when nobody blows (or, were the theorem wrong, when the
  // deviation fails verification). Messages of σ must be valid.
  std::optional<WhistleCertificate> stop_whistle(const MessageStrategy& sigma) const;

  // Claims 1/4: `samples` random deviations from truthful NB.
  TruthSample sample_truthful_deviations(std::uint64_t samples, std::uint64_t seed) const;

  // A random member of Y_S[𝒮] (f(θ_S, ·), a menu constant, or a mixture of
  // them; random lotteries kept only when in Y); `rejected` counts redraws.
  std::vector<double> random_reward(Coalition s, std::mt19937_64& rng, std::uint64_t* rejected = nullptr) const;

  const SolverCounters& counters() const { return counters_; }

 private:
  void evaluate(const MessageStrategy& sigma, Coalition s, std::size_t realized, std::span<const Message> deviation,
                std::vector<double>& utilities) const;
  void check_strategy(const MessageStrategy& sigma) const;
  void check_reports(const StrategyProfile& reports) const;

  const CanonicalMechanism& mechanism_;
  const TypeSpace& types_;
  InterimChecker checker_;
  mutable SolverCounters counters_;
  struct ConjectureCache;
  std::shared_ptr<ConjectureCache> conjectures_;  // best_reward_against results, shared by similar profiles
};

// "{0,2}" with 0-indexed agents.
std::string coalition_name(Coalition s);

}  // namespace mechsweep::coalition
