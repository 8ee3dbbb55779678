#pragma once
// Robust (coalitional / 𝒮) monotonicity (spec 001 §1.10–1.11, §5.2–5.3;
// Definitions 5 and 8).
//
// A deception β is dissolved when some candidate coalition S, at true types
// θ_S and reports θ'_S ∈ β_S(θ_S), satisfies the whistle-blowing clause
//   ∀ (ψ_i)_{i∈S} ∈ Δ(Γ_{−S}(β))^S  ∃ y ∈ Y_S[𝒮]  ∀ i ∈ S:  E_{ψ_i} v_i(γ, y) > 0,
// v_i(γ, y) = u_i(y(θ'_{−S}), (θ_S, θ_{−S})) − u_i(f(θ'_S, θ'_{−S}), (θ_S, θ_{−S}))
// for γ = (θ_{−S}, θ'_{−S}). The clause depends on β only through the pair set
// Γ_{−S}(β) and on 𝒮 only through Up(S, 𝒮); it is memoised on exactly that.
//
// How a clause is decided (spec §5.2), block by block of the reward set:
//   * |S| = 1: exactly, as ∃ y ∈ conv(Y) with v > 0 pointwise (R1, R2);
//   * |S| ≥ 2: a sandwich. ∃ y ∈ Y pointwise ⇒ TRUE; no y ∈ conv(Y)
//     pointwise, or a point-mass conjecture profile with no y ∈ Y ⇒ FALSE;
//     otherwise UNDETERMINED (exact when Y is convex or Γ has one pair, R4).
// "y ∈ Y" and "y ∈ conv(Y)" are LPs over the union's pieces (Clp; Balas's
// disjunctive formulation for the hull) while a block has at most
// ClauseOptions::piece_limit pieces, and beyond that a MILP (Cbc) and column
// generation with MILP pricing.
//
// Monotonicity targets:
//   target      candidates S     reward set          deceptions
//   rm          singletons       Y_{{i}}[𝒮̲] (B&M)   reflexive (exact, Lemma 2 reduction)
//   rcm         singletons       Y_i = Y_{{i}}[𝒮̄]    reflexive (exact, Lemma 2 reduction)
//   pattern 𝒮   every S ∈ 𝒮      Y_S[𝒮]              all (reflexive beyond
//                                                     MonotonicityOptions::max_deceptions,
//                                                     flagged heuristic)

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "mechanisms/coalition/deception.hpp"
#include "mechanisms/coalition/environment.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/reward.hpp"

namespace mechsweep::coalition {

// Three-valued truth (spec §2: TRUE / FALSE / UNDETERMINED).
enum class Truth : std::uint8_t { no = 0, yes = 1, undetermined = 2 };
const char* label(Truth truth);

// γ = (θ_{−S}, θ'_{−S}), both as indices within Θ_{−S}.
struct ConjecturePair {
  std::uint32_t outsider_truth = 0;
  std::uint32_t outsider_report = 0;
};

struct ClauseOptions {
  std::uint64_t piece_limit = 16;         // per block: pieces one by one (Balas for the hull) up to this, MILP beyond
  std::uint64_t point_mass_limit = 4096;  // conjecture profiles tried for |S| ≥ 2
  int column_generation_rounds = 200;
};

struct SolverCounters {
  std::uint64_t clauses = 0;  // distinct clauses decided
  std::uint64_t lps = 0;
  std::uint64_t milps = 0;
  std::uint64_t column_generation_rounds = 0;
};

struct ClauseResult {
  Truth truth = Truth::no;
  // When TRUE via a single reward: y over Θ_{−S} (components()·m entries).
  std::vector<double> reward;
  // When FALSE for a singleton S = {i}: a conjecture ψ_i over Γ (weights by
  // pair, summing to 1) under which no reward in Y gives i a strict gain —
  // the input of the Lemma 2 type space (spec §2.2).
  std::vector<double> failing_conjecture;
};

// One whistle-blowing clause. truth_s / report_s index Θ_S.
ClauseResult whistle_clause(const Instance& instance, const RewardSet& rewards, std::size_t truth_s,
                            std::size_t report_s, std::span<const ConjecturePair> gamma, SolverCounters& counters,
                            const ClauseOptions& options = {});

// A reward y ∈ Y_S[𝒮] maximising min_{i∈S} E_{ψ_i} v_i(γ, y) for given member
// conjectures (beliefs[k] weights the pairs of gamma for the k-th member of S in
// increasing agent order). The value is capped at 1; nullopt when Y is empty.
// This is the reward a whistle-blower proposes in Claims 3 and 6.
struct ConjecturedReward {
  double value = 0.0;
  std::vector<double> reward;  // components()·m
};
std::optional<ConjecturedReward> best_reward_against(const Instance& instance, const RewardSet& rewards,
                                                     std::size_t truth_s, std::size_t report_s,
                                                     std::span<const ConjecturePair> gamma,
                                                     std::span<const std::vector<double>> beliefs,
                                                     SolverCounters& counters, const ClauseOptions& options = {});

struct MonotonicityOptions {
  ClauseOptions clause;
  std::uint64_t max_deceptions = 2'000'000;  // all-β enumeration limit for patterns
};

struct MonotonicityResult {
  Truth holds = Truth::yes;
  bool reflexive_only = false;  // deceptions enumerated were the reflexive ones
  bool heuristic = false;       // reflexive only where that is not proven sufficient
  std::uint64_t deceptions = 0;
  std::uint64_t unacceptable = 0;
  std::uint64_t dissolved = 0;
  std::uint64_t dissolved_by_singleton = 0;
  std::uint64_t dissolved_only_by_coalition = 0;  // the "value of coalitions" counter
  std::uint64_t undissolved = 0;
  std::uint64_t undetermined = 0;
  int largest_needed_coalition = 0;  // max over β of the smallest dissolving |S|
  std::optional<DeceptionProfile> first_undissolved;
};

// Caches reward sets and clauses for one (environment, f), so that RM, RCM and
// every pattern's R𝒮M share work (spec §4.4).
class MonotonicityEngine {
 public:
  // The engine keeps a reference: the instance must outlive it.
  explicit MonotonicityEngine(const Instance& instance, MonotonicityOptions options = {});
  MonotonicityEngine(Instance&&, MonotonicityOptions = {}) = delete;
  ~MonotonicityEngine();
  MonotonicityEngine(const MonotonicityEngine&) = delete;
  MonotonicityEngine& operator=(const MonotonicityEngine&) = delete;

  // RM = R𝒮̲M and RCM. Reflexive deceptions decide them (spec §2.2);
  // all_deceptions enumerates every β for counts comparable to spec §7.
  MonotonicityResult robust_monotonicity(bool all_deceptions = false);
  MonotonicityResult robust_coalitional_monotonicity(bool all_deceptions = false);
  MonotonicityResult pattern_monotonicity(const Pattern& pattern);  // R𝒮M

  const SolverCounters& counters() const { return counters_; }

 private:
  struct Candidate {
    Coalition coalition;
    std::uint32_t up_set;  // bit S̄ set ⇔ S̄ ∈ Up(S, 𝒮)
  };
  MonotonicityResult evaluate(const std::vector<Candidate>& candidates, bool reflexive_only, bool heuristic);
  const RewardSet& reward_set(Coalition s, std::uint32_t up_set);
  std::array<std::uint64_t, 2> conjecture_support(Coalition s, const DeceptionProfile& beta) const;
  Truth clause(const Candidate& candidate, std::size_t truth_s, std::size_t report_s,
               const std::array<std::uint64_t, 2>& support);

  const Instance& instance_;
  MonotonicityOptions options_;
  SolverCounters counters_;
  struct Caches;
  std::unique_ptr<Caches> caches_;
};

}  // namespace mechsweep::coalition
