#pragma once
// The Lemma 2 witness type space (spec 001 §2.2, §2.8 item 5, §6.1 item 7):
// why a violation of robust coalitional monotonicity (RCM, Definition 5) rules
// out robust coalitional implementation (Proposition 2).
//
// What the construction proves. Take an unacceptable reflexive β at which RCM
// fails: for every candidate whistle-blower (i, θ_i, θ'_i ∈ β_i(θ_i)) some
// conjecture ψ_i^{(θ_i,θ'_i)} ∈ Δ(Γ_{−i}(β)) leaves no reward y ∈ Y_i with a
// strict expected gain for i. Build the type space below and the type maps α.
// If σ* is a good interim strong equilibrium of any mechanism, then σ*∘α is an
// interim (𝒮̲) equilibrium: a profitable unilateral deviation of a T¹ type
// (θ_i, θ'_i) would define a reward h that no coalition containing i can beat
// (σ* is a good strong equilibrium, Definition 11 (ii)) and that beats f
// under ψ_i^{(θ_i,θ'_i)} (Definition 11 (i)), i.e. a reward in Y_i the
// failing conjecture rules out; a T² type is certain of truthful partners, so
// it already gets its truthful outcome. Yet σ*∘α is bad at the T¹ profile ((θ_j, θ'_j))_j with
// f(θ) ≠ f(θ'), which exists because β is unacceptable. So every mechanism has
// a bad interim equilibrium on this type space, and f is not robustly
// coalitionally implementable. Here σ* is truth-telling in the direct
// mechanism, which is a good interim strong equilibrium in every type space
// exactly when RCIC holds (spec §2.8 item 1); the executable check is then
// "σ*∘α is a bad interim 𝒮̲ equilibrium of the direct mechanism".
//
// Why reflexive: a T² type "θ" believes the others are the T¹ types
// ((θ_j, θ_j))_{j≠i}, which exist only when θ_j ∈ β_j(θ_j). The reflexivity
// reduction of spec §2.2 makes this no loss: RCM fails at some reflexive β
// whenever it fails at all.
//
// Conjecture source. failing_conjectures() asks whistle_clause() (the exact
// singleton clause of monotonicity.hpp) for every (i, θ_i, θ'_i), including the
// truthful θ'_i = θ_i, over the reward set Y_i = Y_{{i}}[𝒮̄] (every coalition
// containing i). A FALSE singleton clause comes with the LP dual as its failing
// conjecture. The paper's ψ_i carries no index, but it must depend on
// (i, θ_i, θ'_i) (spec §6.1 item 7), hence one conjecture per T¹ type.
//
// Indexing (all 0-based; payoff types, profiles and Θ_{−i} as in
// environment.hpp; type profiles and beliefs as in type_space.hpp):
//   * agent i's types are T¹_i followed by T²_i, so
//     |T_i| = Σ_{θ_i} |β_i(θ_i)| + |Θ|;
//   * T¹_i lists (θ_i, θ'_i) with θ_i ascending, then θ'_i ∈ β_i(θ_i)
//     ascending; Lemma2Witness::first_stage_type(i, θ_i, θ'_i) is its index;
//   * T²_i type "θ" (θ a full payoff profile index) has index |T¹_i| + θ;
//   * a conjecture pair (θ_{−i}, θ'_{−i}) uses indices within
//     Θ_{−i} = embed(all_agents(n) & ~singleton(i)); Γ_{−i}(β) is listed with
//     θ_{−i} major, θ'_{−i} minor (the MonotonicityEngine order).

#include <cstddef>
#include <vector>

#include "mechanisms/coalition/deception.hpp"
#include "mechanisms/coalition/environment.hpp"
#include "mechanisms/coalition/monotonicity.hpp"
#include "mechanisms/coalition/type_space.hpp"

namespace mechsweep::coalition {

// ψ_i^{(θ_i,θ'_i)}: a distribution over the pairs of Γ_{−i}(β).
struct FailingConjecture {
  int agent = 0;
  int truth = 0;   // θ_i
  int report = 0;  // θ'_i ∈ β_i(θ_i)
  std::vector<ConjecturePair> gamma;
  std::vector<double> weights;  // one per pair of gamma, summing to 1
};

// conjectures[i] lists agent i's conjectures in T¹_i order.
using Lemma2Conjectures = std::vector<std::vector<FailingConjecture>>;

// Γ_{−i}(β) = {(θ_{−i}, θ'_{−i}) : θ'_j ∈ β_j(θ_j) ∀ j ≠ i}, θ_{−i} major.
// Throws std::invalid_argument when β does not fit the instance.
std::vector<ConjecturePair> conjecture_pairs(const Instance& instance, const DeceptionProfile& beta, int agent);

// One failing conjecture per (i, θ_i, θ'_i ∈ β_i(θ_i)). Throws
// std::invalid_argument ("coalition: …") when β does not fit the instance, is
// not reflexive or is acceptable, or when some clause is TRUE or undetermined
// (then β does not witness a failure of RCM).
Lemma2Conjectures failing_conjectures(const Instance& instance, const DeceptionProfile& beta,
                                      const ClauseOptions& options = {});

struct Lemma2Witness {
  TypeSpace types;
  // σ*∘α in the direct mechanism: T¹ type (θ_i, θ'_i) reports θ'_i, T² type θ
  // reports θ_i.
  StrategyProfile deceptive;
  // Step 3's α_i : T_i → T_i, (θ_i, θ'_i) ↦ (θ'_i, θ'_i) on T¹ and the identity
  // on T², so σ*∘α can be formed for any mechanism's σ*.
  std::vector<std::vector<int>> alpha;
  // first_stage[i][t] = (θ_i, θ'_i) for t ∈ T¹_i.
  std::vector<std::vector<std::pair<int, int>>> first_stage;
  // The first T¹ type profile ((θ_j, θ'_j))_j, in type-profile order, with
  // f(θ) ≠ f(θ'): where σ*∘α is bad.
  std::size_t bad_profile = 0;

  int first_stage_count(int agent) const { return static_cast<int>(first_stage[agent].size()); }
  // −1 when θ'_i ∉ β_i(θ_i).
  int first_stage_type(int agent, int truth, int report) const;
  int second_stage_type(int agent, std::size_t payoff_profile) const {
    return first_stage_count(agent) + static_cast<int>(payoff_profile);
  }
};

// Steps 1–3 of the construction (Step 4, the revising rule, is
// marginal_revision, the checker's default). Throws std::invalid_argument when
// β does not fit, is not reflexive or is acceptable, or when the conjectures
// do not match β: wrong count or order, a pair outside Γ_{−i}(β), or weights
// that are negative, non-finite or do not sum to 1 within 1e-9.
Lemma2Witness lemma2_type_space(const Instance& instance, const DeceptionProfile& beta,
                                const Lemma2Conjectures& conjectures);

}  // namespace mechsweep::coalition
