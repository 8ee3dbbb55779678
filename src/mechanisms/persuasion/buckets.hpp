#pragma once
// The bucketed receiver's partition of posterior means (spec 004 §1.4, §2.4,
// §6.1 items 1 and 3, §6.2, §6.3).
//
// η = 1+ε and K = max(1, ⌈ln V / ln η⌉); bucket k (0-based here, I_{k+1} in
// the spec) is [η^k, η^{k+1}), except that the last edge is V and the last
// bucket is CLOSED at V (erratum §6.1.3: the paper's I_K = [V/η, V) misses V).
// When V is not a power of η the last bucket is shorter; that is deliberate.
// The canonical value of bucket k is its lower endpoint m_k = η^k, so fake
// (canonical) utility never exceeds true utility (§6.2).
//
// Floating point: ⌈ln V / ln η⌉ is taken with a relative tolerance so that an
// exact power (V = 4, ε = 1) gives K = 2 rather than 3, and bucket_of() keeps
// a mean that lands a rounding error below a lower edge in that edge's bucket
// (pooling "from below" targets the lower edge exactly, §6.2).
//
//   parameter  type    constraint
//   epsilon    double  finite, > 0
//   V          double  finite, ≥ 1
//   K          int     ≤ kMaxBuckets (10^4), else rejected (§6.4)

#include <vector>

namespace mechsweep::persuasion {

struct Buckets {
  static constexpr int kMaxBuckets = 10000;
  // Relative tolerance for "on an edge" (bucket_of, the maximal mappings).
  static constexpr double kRelativeTolerance = 1e-12;

  double epsilon = 1.0;
  double V = 1.0;
  int K = 1;
  std::vector<double> edges;      // size K+1: edges[0] = 1, edges[k] = η^k, edges[K] = V
  std::vector<double> canonical;  // size K: m_k = edges[k]

  // The bucket of a posterior mean: the k with edges[k] ≤ mean < edges[k+1]
  // (last bucket: ≤ V), each edge relaxed by kRelativeTolerance downwards.
  // Throws for a mean outside [1, V] beyond that tolerance.
  int bucket_of(double mean) const;
  double lower(int bucket) const { return edges[static_cast<std::size_t>(bucket)]; }
  double upper(int bucket) const { return edges[static_cast<std::size_t>(bucket) + 1]; }
  bool is_last(int bucket) const { return bucket == K - 1; }
};

// Validates ε and V (throws std::invalid_argument naming the parameter).
Buckets make_buckets(double epsilon, double V);

}  // namespace mechsweep::persuasion
