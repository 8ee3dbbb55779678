#pragma once
// Maximal mappings (spec 004 §2.4 Def 4.6 and Algorithm A3, §6.2, §6.3): for
// one agent's prior and one bucket, the Bayes-plausible signalling scheme that
// maximises Pr[posterior mean ∈ bucket]. One "in" signal suffices (a mixture
// of means inside a bucket stays inside), and the optimum pools, by a
// fractional-knapsack greedy, every value on the bucket's side of the prior
// mean with the cheapest values on the other side until the pooled mean hits
// the bucket edge facing the prior mean:
//   a ≤ θ < b (or θ ≤ V in the closed last bucket): no information, p_in = 1;
//   θ < a: pool "from below", in-mean = a, the out-signal lies below a;
//   θ ≥ b: pool "from above", in-mean = b, the out-signal lies above b.
// So every maximal mapping is ternary (in, or out on one fixed side), the
// structure Lemma 4.7 relies on.
//
// Boundary (§6.2 option (b)): pooling from above stops at t = b EXACTLY, the
// supremum of Pr[in] over the half-open bucket [a, b), and the "in" signal is
// assigned to bucket k BY LABEL: the receiver is told "bucket k" rather than
// re-bucketing a mean that sits on (or, after rounding, just past) b. The
// last bucket is closed at V, and θ ≤ V always, so it never pools from above.
// Edge tests use Buckets::kRelativeTolerance, as Buckets::bucket_of does, so
// the case chosen here agrees with the receiver's bucketing of θ.
//
// Deterministic agents get p_in = 1 in their own bucket and 0 elsewhere;
// p_in = 0 also arises when no support value lies on the far side of the edge.
//
// maximal_mapping_lp() solves the same problem as the LP of Def 4.6 with Clp
// (variables y_v ∈ [0, π_v], maximise Σ y_v s.t. a·Σy_v ≤ Σ y_v v ≤ b·Σy_v).
// The LP's bucket is closed, which is exactly option (b); it exists to check
// A3 (§6.5 item 6), not for production use.

#include <vector>

#include "mechanisms/persuasion/buckets.hpp"
#include "mechanisms/persuasion/prior.hpp"

namespace mechsweep::persuasion {

// Where the "out" signal's posterior mean lies relative to the bucket.
enum class OutSide { none, below, above };

struct MaximalMapping {
  int bucket = 0;                // 0-based, as in Buckets
  double p_in = 0.0;             // Pr[signal "in"]
  std::vector<double> in_mass;   // y_v, aligned with ValueDistribution::values
  double in_mean = 0.0;          // E[v | in]; 0 when p_in = 0
  double out_mean = 0.0;         // E[v | out]; 0 when p_in = 1
  OutSide side = OutSide::none;  // none exactly when p_in = 1
  // Pr[send "in" | value = values[index]] = y_v / π_v.
  double in_probability(const ValueDistribution& prior, int index) const;
};

MaximalMapping maximal_mapping(const ValueDistribution& prior, const Buckets& buckets, int bucket);

// p_in·in_mean + (1 − p_in)·out_mean − θ (0 up to rounding).
double bayes_plausibility_residual(const MaximalMapping& mapping, const ValueDistribution& prior);

struct LpMapping {
  double p_in = 0.0;
  std::vector<double> in_mass;
};
// Def 4.6 as an LP over the closed interval [lower, upper]; Clp.
LpMapping maximal_mapping_lp(const ValueDistribution& prior, double lower, double upper);

}  // namespace mechsweep::persuasion
