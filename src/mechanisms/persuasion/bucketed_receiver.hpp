#pragma once
// The bucketed (bounded-rational) receiver of spec 004 §1.4 and the Section-4
// machinery built on it (§2.4: Lemma 4.3, Cor 4.5, Algorithm A4 steps 2–6).
//
// The receiver rounds each posterior mean to its bucket's canonical value m_k
// (buckets.hpp) and runs greedy on P(f). A randomised single-mean (RSM) policy
// draws a bucket k uniformly, tells the receiver k, and lets every agent send
// its maximal mapping for k (maximal_mapping.hpp): "in" (mean in bucket k,
// labelled k) with probability p_ik, otherwise "out" on the fixed side
// side_ik. With these ternary, independent outcomes the fake utilities that
// RSM policies can reach form the polymatroid of Cor 4.5 with rank
//
//   Ĝ(S) = (1/K) Σ_k E[ m_k ( f(Above_k ∪ (S ∩ In_k)) − f(Above_k) ) ],
//
// In_k the agents "in", Above_k those out on side "above" (they outrank
// bucket k; agents out below do not matter to bucket-k fake utility). Its base
// polytope's vertex for a priority order π is the expected bucketed-receiver
// greedy with ties broken by π, counting only bucket-k agents:
//
//   û_i = (1/K) Σ_k E[ 1{i∈In_k} m_k ( f(Above_k ∪ (pred_π(i)∩In_k) ∪ {i})
//                                     − f(Above_k ∪ (pred_π(i)∩In_k)) ) ].
//
// vertex() and rank() have the signatures of FullRevelation's, so the
// min-norm / decomposition machinery (min_norm.hpp) runs on B(Ĝ) unchanged.
//
// How the expectations are taken (OracleMethod, the vocabulary of
// full_revelation.hpp; an uncertain agent is one with 0 < p_ik < 1):
//   enumerate         all 2^{n'_k} in/out patterns of the uncertain agents of
//                     every bucket; refused above enumeration_limit patterns
//   poisson_binomial  ranks that depend on counts only (uniform, cardinality,
//                     partition per group): Poisson-binomial DP, O(K n cap)
//                     per call (O(K n cap²) for a cardinality vertex)
//   click_product     click ranks: closed-form products, O(K n)
//   monte_carlo       one fixed sample of `samples` patterns per bucket,
//                     regenerated from `seed` on every call, so rank() and
//                     vertex() describe the same (sample-average) polymatroid
//   automatic         poisson_binomial / click_product where they apply, else
//                     enumerate within the limit, else monte_carlo.
//
// The policy itself (A4 step 5, rsm_utilities): draw π from a mixture of
// priority orders, draw k, send maximal-mapping signals; the receiver learns
// k, buckets every posterior (the in-signal by its label k, out-signals by
// their mean) and runs greedy with the key (canonical value m descending,
// then position in π). The SAME π breaks the ties in every bucket, active or
// not (spec §6.2's fixed rule); this rule matters for canonical and true
// utilities but not for fake ones. Those are computed by enumeration within
// the limit, else on the Monte Carlo sample (the same sample as above).
//
//   option             type     default  meaning
//   method             enum     automatic
//   enumeration_limit  int64    2^16     max Σ_k 2^{n'_k} patterns enumerated
//   samples            int64    20000    Monte Carlo patterns per bucket
//   seed               uint64   0        Monte Carlo seed (derive_seed(seed, k))
//   value_scale        double   0        V; 0 takes the prior's largest value

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "mechanisms/persuasion/buckets.hpp"
#include "mechanisms/persuasion/full_revelation.hpp"
#include "mechanisms/persuasion/maximal_mapping.hpp"
#include "mechanisms/persuasion/min_norm.hpp"
#include "mechanisms/persuasion/polymatroid.hpp"
#include "mechanisms/persuasion/prior.hpp"

namespace mechsweep::persuasion {

struct BucketedOptions {
  OracleMethod method = OracleMethod::automatic;
  std::int64_t enumeration_limit = std::int64_t{1} << 16;
  std::int64_t samples = 20000;
  std::uint64_t seed = 0;
  double value_scale = 0.0;
};

// Per-agent expected utilities of an RSM policy (A4 step 6).
struct RsmUtilities {
  std::vector<double> fake;          // Û_i = (1/K) Σ_k E[1{i in bucket k} m_k x_i]
  std::vector<double> canonical;     // (1/K) Σ_k E[m_{bucket of μ_i} x_i], every allocated agent
  std::vector<double> true_utility;  // (1/K) Σ_k E[μ_i x_i], μ_i the sent signal's posterior mean
  bool exact = true;                 // false: Monte Carlo
};

class BucketedReceiver {
 public:
  BucketedReceiver(Polymatroid f, Prior prior, double epsilon, BucketedOptions options = {});

  int size() const;
  const Buckets& buckets() const;
  const Polymatroid& rank_function() const;
  const Prior& prior() const;
  OracleMethod method() const;  // resolved for rank() and vertex() (never automatic)
  bool exact() const;           // false for Monte Carlo
  bool policy_exact() const;    // whether rsm_utilities() enumerates

  // A3 for agent i and bucket k (0-based).
  const MaximalMapping& mapping(int agent, int bucket) const;
  // max over (i, k) of |Bayes-plausibility residual| (spec §4.2 diagnostics).
  double max_bayes_residual() const;
  // Σ_k 2^{n'_k}, saturating at INT64_MAX: the patterns enumeration visits.
  std::int64_t outcome_count() const;

  // Ĝ(S); S lists distinct agents.
  double rank(std::span<const int> set) const;
  double welfare() const;  // Ĝ(E)
  // The vertex of B(Ĝ) for `order` (a permutation, highest priority first).
  void vertex(std::span<const int> order, std::span<double> out) const;
  // The same two, as the callables the min-norm machinery takes; they share
  // this receiver's (immutable) state.
  VertexOracle vertex_oracle() const;
  std::function<double(std::span<const int>)> rank_oracle() const;

  // The RSM policy with priority orders drawn from {(orders[r], weights[r])}
  // (weights ≥ 0 summing to 1 within 1e-9), e.g. the decomposition of Û*.
  RsmUtilities rsm_utilities(std::span<const std::vector<int>> orders, std::span<const double> weights) const;

  // Theorem 4.9's certificate for any independent policy facing this
  // receiver, given Û* (the least-majorized point of B(Ĝ)): Q_j(U^canonical)
  // ≤ K·Q_j(Û*) and Q_j(U^true) ≤ (1+ε)·K·Q_j(Û*), j = 1..n (index j − 1).
  std::vector<double> canonical_certificate(std::span<const double> fake_star) const;
  std::vector<double> true_certificate(std::span<const double> fake_star) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace mechsweep::persuasion
