// The bucketed receiver and RSM policies (spec 004 §2.4, §3.6, §6.5 items 1,
// 6 and 7): the SM-1 known answers, Ĝ's polymatroid axioms, the vertex
// oracle against greedy on the tabulated Ĝ, the exact methods against each
// other, Lemma 4.7 against random multi-signal mappings, and the RSM
// policy's fake / canonical / true utilities against an independent
// value-level brute force.

#include "mechanisms/persuasion/bucketed_receiver.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

#include "mechanisms/persuasion/majorization.hpp"
#include "mechanisms/persuasion/min_norm.hpp"

namespace mechsweep::persuasion {
namespace {

std::vector<int> members(std::uint32_t mask, int n) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) {
    if ((mask >> i) & 1U) out.push_back(i);
  }
  return out;
}

std::vector<double> rank_table(const BucketedReceiver& receiver) {
  const int n = receiver.size();
  std::vector<double> table(std::size_t{1} << n);
  for (std::uint32_t mask = 0; mask < table.size(); ++mask) table[mask] = receiver.rank(members(mask, n));
  return table;
}

std::vector<double> table_greedy_vertex(std::span<const double> table, std::span<const int> order) {
  std::vector<double> u(order.size());
  std::uint32_t mask = 0;
  for (const int i : order) {
    const std::uint32_t next = mask | (1U << i);
    u[static_cast<std::size_t>(i)] = table[next] - table[mask];
    mask = next;
  }
  return u;
}

std::vector<std::vector<int>> all_orders(int n) {
  std::vector<int> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::vector<int>> orders;
  do {
    orders.push_back(order);
  } while (std::next_permutation(order.begin(), order.end()));
  return orders;
}

// ---------------------------------------------------------------------------
// SM-1 (§3.6): ε = 1, V = 4, select one; agent 0 deterministic 7/4, agents
// 1–3 i.i.d. {1: 3/4, 4: 1/4}.

Prior sm1_prior() {
  const ValueDistribution coin =
      make_distribution(std::vector<double>{1.0, 4.0}, std::vector<double>{0.75, 0.25}, "sm1");
  return {deterministic(1.75), coin, coin, coin};
}

BucketedReceiver sm1(OracleMethod method, std::int64_t samples = 20000) {
  BucketedOptions options;
  options.method = method;
  options.samples = samples;
  options.seed = 11;
  return BucketedReceiver(make_uniform(4, 1), sm1_prior(), 1.0, options);
}

double sm1_rank(std::uint32_t mask) {
  const int random_members = std::popcount(mask & 0b1110U);
  return 0.5 * ((mask != 0 ? 1.0 : 0.0) + 2.0 * (1.0 - std::pow(4.0, -random_members)));
}

TEST(PersuasionBucketedReceiver, Sm1MaximalMappings) {
  const BucketedReceiver receiver = sm1(OracleMethod::automatic);
  ASSERT_EQ(receiver.buckets().K, 2);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(receiver.mapping(i, 0).p_in, 1.0) << i;
  const MaximalMapping& fixed = receiver.mapping(0, 1);
  EXPECT_EQ(fixed.p_in, 0.0);
  EXPECT_EQ(fixed.side, OutSide::below);
  for (int i = 1; i < 4; ++i) {
    const MaximalMapping& m = receiver.mapping(i, 1);
    EXPECT_NEAR(m.p_in, 0.75, 1e-15);
    EXPECT_NEAR(m.in_mass[0], 0.25, 1e-15);  // value 4
    EXPECT_NEAR(m.in_mass[1], 0.5, 1e-15);   // value 1
    EXPECT_NEAR(m.in_mean, 2.0, 1e-15);
    EXPECT_NEAR(m.out_mean, 1.0, 1e-15);
    EXPECT_EQ(m.side, OutSide::below);
  }
  EXPECT_EQ(receiver.outcome_count(), 1 + 8);  // bucket 0 certain, bucket 1: 2^3 patterns
  EXPECT_LT(receiver.max_bayes_residual(), 1e-15);
}

TEST(PersuasionBucketedReceiver, Sm1RankMatchesClosedFormForEveryMethod) {
  for (const OracleMethod method : {OracleMethod::enumerate, OracleMethod::poisson_binomial, OracleMethod::automatic}) {
    SCOPED_TRACE(static_cast<int>(method));
    const BucketedReceiver receiver = sm1(method);
    EXPECT_TRUE(receiver.exact());
    const std::vector<double> table = rank_table(receiver);
    for (std::uint32_t mask = 0; mask < 16; ++mask) EXPECT_NEAR(table[mask], sm1_rank(mask), 1e-14) << mask;
    EXPECT_NEAR(receiver.welfare(), 95.0 / 64, 1e-14);
  }
  EXPECT_EQ(sm1(OracleMethod::automatic).method(), OracleMethod::poisson_binomial);
  const BucketedReceiver sampled = sm1(OracleMethod::monte_carlo, 40000);
  EXPECT_FALSE(sampled.exact());
  for (std::uint32_t mask = 0; mask < 16; ++mask) EXPECT_NEAR(sampled.rank(members(mask, 4)), sm1_rank(mask), 0.02);
}

// The equal vector 95/256 lies in B(Ĝ); an equal point of the base polytope
// maximises every Q_j (Q_j ≤ (j/n)·Ĝ(E)), so it is Û*. Wolfe's min-norm point
// on the vertex oracle must find it.
TEST(PersuasionBucketedReceiver, Sm1LeastMajorizedFakeUtilityIsEqual) {
  const BucketedReceiver receiver = sm1(OracleMethod::enumerate);
  const double share = 95.0 / 256;
  for (std::uint32_t mask = 1; mask < 16; ++mask) {
    EXPECT_LE(std::popcount(mask) * share, sm1_rank(mask) + 1e-15) << mask;
  }
  EXPECT_NEAR(4 * share, sm1_rank(15), 1e-15);
  const MinNormResult star = wolfe_min_norm_point(4, receiver.vertex_oracle());
  ASSERT_TRUE(star.converged);
  for (const double u : star.point) EXPECT_NEAR(u, share, 1e-9);

  std::vector<std::vector<int>> orders;
  std::vector<double> weights;
  for (const auto& entry : star.mixture) {
    orders.push_back(entry.order);
    weights.push_back(entry.weight);
  }
  const RsmUtilities policy = receiver.rsm_utilities(orders, weights);
  EXPECT_TRUE(policy.exact);
  for (int i = 0; i < 4; ++i) {
    const auto a = static_cast<std::size_t>(i);
    EXPECT_NEAR(policy.fake[a], share, 1e-9);
    EXPECT_GE(policy.canonical[a], policy.fake[a] - 1e-12);
    EXPECT_GE(policy.true_utility[a], policy.canonical[a] - 1e-12);
  }
  // Theorem 4.9's certificate holds for this policy itself.
  const std::vector<double> canonical_bound = receiver.canonical_certificate(star.point);
  const std::vector<double> true_bound = receiver.true_certificate(star.point);
  const std::vector<double> q_canonical = prefix_sums_smallest(policy.canonical);
  const std::vector<double> q_true = prefix_sums_smallest(policy.true_utility);
  for (std::size_t j = 0; j < 4; ++j) {
    const double count = static_cast<double>(j + 1);
    EXPECT_NEAR(canonical_bound[j], 2.0 * count * share, 1e-8);
    EXPECT_NEAR(true_bound[j], 4.0 * count * share, 1e-8);
    EXPECT_LE(q_canonical[j], canonical_bound[j] + 1e-9);
    EXPECT_LE(q_true[j], true_bound[j] + 1e-9);
  }
}

// Lemma 3.2's g(S; w) for a value vector w: blocks of equal value, highest
// first.
double scenario_rank_local(const Polymatroid& f, std::span<const double> w, std::uint32_t set_mask) {
  const int n = static_cast<int>(w.size());
  std::vector<double> levels(w.begin(), w.end());
  std::sort(levels.begin(), levels.end(), std::greater<>());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  std::vector<int> higher;
  double total = 0.0;
  for (const double level : levels) {
    std::vector<int> with = higher;
    for (int i = 0; i < n; ++i) {
      if (w[static_cast<std::size_t>(i)] == level && ((set_mask >> i) & 1U)) with.push_back(i);
    }
    total += level * (rank(f, with) - rank(f, higher));
    for (int i = 0; i < n; ++i) {
      if (w[static_cast<std::size_t>(i)] == level) higher.push_back(i);
    }
  }
  return total;
}

// §3.6 benchmark "FR with bucketed receiver: 101/256 each": full revelation
// with canonical utilities is full revelation on the canonical values
// m(bucket of v), whose polymatroid G_c contains the equal vector 101/256 in
// its base (the 1-majorized point; uniform tie-breaking gives agent 0 only
// 27/256). Theorem 4.9: K·Q_j(Û*) bounds it.
TEST(PersuasionBucketedReceiver, Sm1FullRevelationBenchmarkIsWithinK) {
  const BucketedReceiver receiver = sm1(OracleMethod::enumerate);
  const Prior prior = sm1_prior();
  const Buckets& buckets = receiver.buckets();
  const Polymatroid f = make_uniform(4, 1);
  std::vector<double> fr_canonical(16, 0.0);
  for (int scenario = 0; scenario < 8; ++scenario) {  // agents 1–3: bit set = value 4
    std::vector<double> w{buckets.canonical[static_cast<std::size_t>(buckets.bucket_of(1.75))]};
    double probability = 1.0;
    for (int i = 1; i < 4; ++i) {
      const bool high = (scenario >> (i - 1)) & 1;
      w.push_back(buckets.canonical[static_cast<std::size_t>(buckets.bucket_of(high ? 4.0 : 1.0))]);
      probability *= high ? 0.25 : 0.75;
    }
    for (std::uint32_t mask = 0; mask < 16; ++mask) fr_canonical[mask] += probability * scenario_rank_local(f, w, mask);
  }
  const double fr_share = 101.0 / 256;
  for (std::uint32_t mask = 1; mask < 16; ++mask) EXPECT_LE(std::popcount(mask) * fr_share, fr_canonical[mask] + 1e-15);
  EXPECT_NEAR(fr_canonical[15], 4 * fr_share, 1e-15);
  const std::vector<double> star(4, 95.0 / 256);
  const std::vector<double> bound = receiver.canonical_certificate(star);
  for (std::size_t j = 0; j < 4; ++j) {
    const double count = static_cast<double>(j + 1);
    EXPECT_LE(count * fr_share, bound[j]);
    EXPECT_GT(count * fr_share, count * star[j]);  // Û* < FR-canonical: the K-factor loss
  }
}

// ---------------------------------------------------------------------------
// Random instances.

Polymatroid random_family(std::mt19937_64& rng, int n, int which) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  switch (which % 7) {
    case 0:
      return make_uniform(n, 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(n)));
    case 1: {
      std::vector<int> group_of(static_cast<std::size_t>(n));
      for (int& g : group_of) g = static_cast<int>(rng() % 2);
      return make_partition(group_of, {1, 2});
    }
    case 2: {
      std::vector<double> cost(static_cast<std::size_t>(n));
      for (double& c : cost) c = 0.2 + unit(rng);
      return make_budget(1.3, cost);
    }
    case 3: {
      std::vector<double> p(static_cast<std::size_t>(n));
      for (double& c : p) c = 0.1 + 0.8 * unit(rng);
      return make_click(p);
    }
    case 4: {
      std::vector<double> phi{0.0};
      double step = 1.0;
      for (int t = 1; t <= n; ++t) {
        phi.push_back(phi.back() + step);
        step *= 0.3 + 0.7 * unit(rng);
      }
      return make_cardinality(phi);
    }
    case 5: {
      std::vector<double> leaf_cap(static_cast<std::size_t>(n));
      for (double& c : leaf_cap) c = 0.3 + unit(rng);
      return make_laminar_caps(leaf_cap, {{1.0, {0, 1}}});
    }
    default: {
      std::vector<double> cost(static_cast<std::size_t>(n));
      for (double& c : cost) c = 0.2 + unit(rng);
      return make_table(n, tabulate(make_budget(1.5, cost)).value);
    }
  }
}

Prior random_prior(std::mt19937_64& rng, int n, double V, const Buckets& buckets) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Prior prior;
  for (int i = 0; i < n; ++i) {
    const int support = 1 + static_cast<int>(rng() % 3);
    std::vector<double> values;
    std::vector<double> probabilities;
    double total = 0.0;
    for (int a = 0; a < support; ++a) {
      values.push_back(unit(rng) < 0.4 ? buckets.edges[rng() % buckets.edges.size()] : 1.0 + (V - 1.0) * unit(rng));
      probabilities.push_back(0.1 + unit(rng));
      total += probabilities.back();
    }
    for (double& p : probabilities) p /= total;
    prior.push_back(make_distribution(values, probabilities, "agent " + std::to_string(i)));
  }
  return prior;
}

struct Instance {
  Polymatroid f;
  Prior prior;
  double epsilon;
  double V;
};

Instance random_instance(std::mt19937_64& rng, int n, int family) {
  const double epsilon = (rng() % 2 == 0) ? 1.0 : 0.5;
  const double V = (rng() % 2 == 0) ? 4.0 : 6.0;
  const Buckets buckets = make_buckets(epsilon, V);
  return {random_family(rng, n, family), random_prior(rng, n, V, buckets), epsilon, V};
}

BucketedReceiver build(const Instance& instance, OracleMethod method, std::int64_t samples = 20000) {
  BucketedOptions options;
  options.method = method;
  options.samples = samples;
  options.value_scale = instance.V;
  options.seed = 3;
  return BucketedReceiver(instance.f, instance.prior, instance.epsilon, options);
}

// §6.5 item 1: Ĝ(∅) = 0, monotone, submodular, checked on every (S, i, j).
TEST(PersuasionBucketedReceiver, RankIsAPolymatroidOnRandomInstances) {
  std::mt19937_64 rng(4242);
  int uncertain_above = 0;  // the instances must exercise both out-sides
  int uncertain_below = 0;
  for (int instance_id = 0; instance_id < 21; ++instance_id) {
    const int n = 3 + instance_id % 3;
    const BucketedReceiver receiver = build(random_instance(rng, n, instance_id), OracleMethod::automatic);
    for (int k = 0; k < receiver.buckets().K; ++k) {
      for (int i = 0; i < n; ++i) {
        const MaximalMapping& m = receiver.mapping(i, k);
        if (m.p_in > 0.0 && m.p_in < 1.0) ++(m.side == OutSide::above ? uncertain_above : uncertain_below);
      }
    }
    const std::vector<double> table = rank_table(receiver);
    EXPECT_EQ(table[0], 0.0);
    for (std::uint32_t mask = 0; mask < table.size(); ++mask) {
      for (int i = 0; i < n; ++i) {
        if ((mask >> i) & 1U) continue;
        const double gain_i = table[mask | (1U << i)] - table[mask];
        EXPECT_GE(gain_i, -1e-12) << "instance " << instance_id;
        for (int j = 0; j < n; ++j) {
          if (j == i || ((mask >> j) & 1U)) continue;
          const double gain_i_after_j = table[mask | (1U << i) | (1U << j)] - table[mask | (1U << j)];
          EXPECT_LE(gain_i_after_j, gain_i + 1e-12) << "instance " << instance_id << " mask " << mask;
        }
      }
    }
  }
  EXPECT_GT(uncertain_above, 10);
  EXPECT_GT(uncertain_below, 10);
}

// The vertex oracle is the greedy vertex of the tabulated Ĝ for every order:
// it sums to Ĝ(E) and Σ_{i∈S} û_i ≤ Ĝ(S) (it lies in B(Ĝ)).
TEST(PersuasionBucketedReceiver, VertexOracleIsGreedyOnTheRankForEveryOrder) {
  std::mt19937_64 rng(99);
  for (int instance_id = 0; instance_id < 14; ++instance_id) {
    const int n = 3 + instance_id % 2;
    const BucketedReceiver receiver = build(random_instance(rng, n, instance_id), OracleMethod::automatic);
    const std::vector<double> table = rank_table(receiver);
    std::vector<double> u(static_cast<std::size_t>(n));
    for (const auto& order : all_orders(n)) {
      receiver.vertex(order, u);
      const std::vector<double> want = table_greedy_vertex(table, order);
      for (int i = 0; i < n; ++i) EXPECT_NEAR(u[static_cast<std::size_t>(i)], want[static_cast<std::size_t>(i)], 1e-12);
      EXPECT_NEAR(std::accumulate(u.begin(), u.end(), 0.0), table.back(), 1e-12);
      for (std::uint32_t mask = 1; mask < table.size(); ++mask) {
        double sum = 0.0;
        for (const int i : members(mask, n)) sum += u[static_cast<std::size_t>(i)];
        EXPECT_LE(sum, table[mask] + 1e-12);
      }
    }
  }
}

// The polynomial oracles agree with enumeration on rank and vertex.
TEST(PersuasionBucketedReceiver, PolynomialOraclesMatchEnumeration) {
  std::mt19937_64 rng(515);
  const std::pair<int, OracleMethod> cases[] = {{0, OracleMethod::poisson_binomial},
                                                {1, OracleMethod::poisson_binomial},
                                                {4, OracleMethod::poisson_binomial},
                                                {3, OracleMethod::click_product}};
  for (int repeat = 0; repeat < 3; ++repeat) {
    for (const auto& [family, method] : cases) {
      const int n = 4 + repeat % 2;
      const Instance instance = random_instance(rng, n, family);
      const BucketedReceiver fast = build(instance, method);
      const BucketedReceiver slow = build(instance, OracleMethod::enumerate);
      EXPECT_EQ(fast.method(), method);
      const std::vector<double> fast_table = rank_table(fast);
      const std::vector<double> slow_table = rank_table(slow);
      for (std::size_t mask = 0; mask < fast_table.size(); ++mask)
        EXPECT_NEAR(fast_table[mask], slow_table[mask], 1e-12);
      std::vector<double> a(static_cast<std::size_t>(n));
      std::vector<double> b(static_cast<std::size_t>(n));
      for (const auto& order : all_orders(n)) {
        fast.vertex(order, a);
        slow.vertex(order, b);
        for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12);
      }
    }
  }
}

// Monte Carlo uses one fixed sample: rank() and vertex() describe the same
// sample-average polymatroid exactly, repeat bit for bit, and approach the
// exact values.
TEST(PersuasionBucketedReceiver, MonteCarloIsOneFixedSamplePolymatroid) {
  std::mt19937_64 rng(8);
  const Instance instance = random_instance(rng, 4, 2);
  const BucketedReceiver sampled = build(instance, OracleMethod::monte_carlo, 3000);
  const BucketedReceiver again = build(instance, OracleMethod::monte_carlo, 3000);
  const BucketedReceiver exact = build(instance, OracleMethod::enumerate);
  const std::vector<double> table = rank_table(sampled);
  const std::vector<double> exact_table = rank_table(exact);
  std::vector<double> u(4);
  std::vector<double> v(4);
  for (const auto& order : all_orders(4)) {
    sampled.vertex(order, u);
    again.vertex(order, v);
    EXPECT_EQ(u, v);
    const std::vector<double> want = table_greedy_vertex(table, order);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(u[i], want[i], 1e-12);
  }
  for (std::size_t mask = 0; mask < table.size(); ++mask) EXPECT_NEAR(table[mask], exact_table[mask], 0.05);
}

// ---------------------------------------------------------------------------
// Lemma 4.7 and an independent brute force over signal profiles.

struct Signal {
  double probability;
  int label;                  // the receiver's bucket for this signal
  double mean;                // its posterior mean
  std::vector<double> joint;  // Pr[value = values[a] and this signal], per a
};

// E_μ[ĝ_k(S; μ)] = E[m_k (f(P_{>k} ∪ (S ∩ E'_k)) − f(P_{>k}))] over independent
// per-agent signals.
double expected_bucket_rank(const Polymatroid& f, const std::vector<std::vector<Signal>>& signals, int k, double m_k,
                            std::uint32_t set_mask) {
  const int n = static_cast<int>(signals.size());
  std::vector<std::size_t> pick(static_cast<std::size_t>(n), 0);
  double total = 0.0;
  while (true) {
    double probability = 1.0;
    std::vector<int> above;
    std::vector<int> with;
    for (int i = 0; i < n; ++i) {
      const Signal& s = signals[static_cast<std::size_t>(i)][pick[static_cast<std::size_t>(i)]];
      probability *= s.probability;
      if (s.label > k) above.push_back(i);
    }
    with = above;
    for (int i = 0; i < n; ++i) {
      const Signal& s = signals[static_cast<std::size_t>(i)][pick[static_cast<std::size_t>(i)]];
      if (s.label == k && ((set_mask >> i) & 1U)) with.push_back(i);
    }
    total += probability * m_k * (rank(f, with) - rank(f, above));
    int i = 0;
    while (i < n && ++pick[static_cast<std::size_t>(i)] == signals[static_cast<std::size_t>(i)].size()) {
      pick[static_cast<std::size_t>(i)] = 0;
      ++i;
    }
    if (i == n) break;
  }
  return total;
}

std::vector<Signal> maximal_signals(const BucketedReceiver& receiver, int agent, int k) {
  const MaximalMapping& m = receiver.mapping(agent, k);
  const ValueDistribution& d = receiver.prior()[static_cast<std::size_t>(agent)];
  std::vector<Signal> out;
  if (m.p_in > 0.0) out.push_back({m.p_in, k, m.in_mean, m.in_mass});
  if (m.p_in < 1.0) {
    std::vector<double> rest(d.probabilities);
    for (std::size_t a = 0; a < rest.size(); ++a) rest[a] -= m.in_mass[a];
    const int label = std::clamp(receiver.buckets().bucket_of(m.out_mean), m.side == OutSide::below ? 0 : k + 1,
                                 m.side == OutSide::below ? k - 1 : receiver.buckets().K - 1);
    out.push_back({1.0 - m.p_in, label, m.out_mean, rest});
  }
  return out;
}

// A random independent mapping with 2–3 signals: for each value a random law
// over the signals; each signal's label is the bucket of its posterior mean.
std::vector<Signal> random_signals(std::mt19937_64& rng, const ValueDistribution& d, const Buckets& buckets) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int count = 2 + static_cast<int>(rng() % 2);
  std::vector<Signal> signals(static_cast<std::size_t>(count));
  for (auto& s : signals) s.joint.assign(d.values.size(), 0.0);
  for (std::size_t a = 0; a < d.values.size(); ++a) {
    std::vector<double> law(static_cast<std::size_t>(count));
    double total = 0.0;
    for (double& x : law) {
      x = unit(rng) < 0.3 ? 0.0 : unit(rng);
      total += x;
    }
    if (total == 0.0) {
      law[0] = 1.0;
      total = 1.0;
    }
    for (int s = 0; s < count; ++s)
      signals[static_cast<std::size_t>(s)].joint[a] = d.probabilities[a] * law[static_cast<std::size_t>(s)] / total;
  }
  std::vector<Signal> out;
  for (auto& s : signals) {
    s.probability = std::accumulate(s.joint.begin(), s.joint.end(), 0.0);
    if (s.probability <= 0.0) continue;
    double weighted = 0.0;
    for (std::size_t a = 0; a < d.values.size(); ++a) weighted += s.joint[a] * d.values[a];
    s.mean = weighted / s.probability;
    s.label = buckets.bucket_of(s.mean);
    out.push_back(s);
  }
  return out;
}

// §6.5 item 7 (Lemma 4.7): the maximal mapping dominates every independent
// mapping bucket by bucket and set by set; and (1/K)Σ_k of the brute force
// with the maximal signals is the receiver's Ĝ.
TEST(PersuasionBucketedReceiver, MaximalMappingsDominateRandomMappings) {
  std::mt19937_64 rng(2718);
  int comparisons = 0;
  for (int instance_id = 0; instance_id < 14; ++instance_id) {
    const int n = 3;
    const Instance instance = random_instance(rng, n, instance_id);
    const BucketedReceiver receiver = build(instance, OracleMethod::enumerate);
    const Buckets& buckets = receiver.buckets();
    std::vector<double> brute(std::size_t{1} << n, 0.0);
    for (int k = 0; k < buckets.K; ++k) {
      const double m_k = buckets.canonical[static_cast<std::size_t>(k)];
      std::vector<std::vector<Signal>> best(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) best[static_cast<std::size_t>(i)] = maximal_signals(receiver, i, k);
      for (int trial = 0; trial < 4; ++trial) {
        std::vector<std::vector<Signal>> other(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
          const auto a = static_cast<std::size_t>(i);
          other[a] = random_signals(rng, instance.prior[a], buckets);
        }
        for (std::uint32_t mask = 1; mask < brute.size(); ++mask) {
          EXPECT_GE(expected_bucket_rank(instance.f, best, k, m_k, mask),
                    expected_bucket_rank(instance.f, other, k, m_k, mask) - 1e-12)
              << "instance " << instance_id << " bucket " << k << " mask " << mask;
          ++comparisons;
        }
      }
      for (std::uint32_t mask = 0; mask < brute.size(); ++mask) {
        brute[mask] += expected_bucket_rank(instance.f, best, k, m_k, mask) / buckets.K;
      }
    }
    for (std::uint32_t mask = 0; mask < brute.size(); ++mask) {
      EXPECT_NEAR(receiver.rank(members(mask, n)), brute[mask], 1e-12);
    }
  }
  EXPECT_GT(comparisons, 500);
}

// The RSM policy evaluated at the VALUE level, independently of the
// posterior means the receiver stores: enumerate every agent's (value,
// signal) pair, run the receiver's greedy with key (label desc, position in
// π) via the rank oracle, and accumulate m_k·x (fake, in-signals only),
// m_label·x (canonical) and v·x (true: E[v x] = E[μ x]).
RsmUtilities brute_force_policy(const BucketedReceiver& receiver, const std::vector<int>& order) {
  const int n = receiver.size();
  const Buckets& buckets = receiver.buckets();
  const Polymatroid& f = receiver.rank_function();
  RsmUtilities out;
  out.fake.assign(static_cast<std::size_t>(n), 0.0);
  out.canonical.assign(static_cast<std::size_t>(n), 0.0);
  out.true_utility.assign(static_cast<std::size_t>(n), 0.0);
  std::vector<int> position(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) position[static_cast<std::size_t>(order[static_cast<std::size_t>(t)])] = t;
  for (int k = 0; k < buckets.K; ++k) {
    // Per agent: (value index, signal) pairs with their joint probability.
    struct Pair {
      double probability;
      double value;
      int label;
      bool in;
    };
    std::vector<std::vector<Pair>> pairs(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const ValueDistribution& d = receiver.prior()[static_cast<std::size_t>(i)];
      for (const Signal& s : maximal_signals(receiver, i, k)) {
        for (std::size_t a = 0; a < d.values.size(); ++a) {
          if (s.joint[a] > 0.0)
            pairs[static_cast<std::size_t>(i)].push_back({s.joint[a], d.values[a], s.label, s.label == k});
        }
      }
    }
    std::vector<std::size_t> pick(static_cast<std::size_t>(n), 0);
    while (true) {
      double probability = 1.0;
      std::vector<int> agents(static_cast<std::size_t>(n));
      std::iota(agents.begin(), agents.end(), 0);
      for (int i = 0; i < n; ++i)
        probability *= pairs[static_cast<std::size_t>(i)][pick[static_cast<std::size_t>(i)]].probability;
      const auto& chosen = [&](int i) -> const Pair& {
        return pairs[static_cast<std::size_t>(i)][pick[static_cast<std::size_t>(i)]];
      };
      std::sort(agents.begin(), agents.end(), [&](int a, int b) {
        return chosen(a).label != chosen(b).label
                   ? chosen(a).label > chosen(b).label
                   : position[static_cast<std::size_t>(a)] < position[static_cast<std::size_t>(b)];
      });
      std::vector<int> prefix;
      for (const int i : agents) {
        const double before = rank(f, prefix);
        prefix.push_back(i);
        const double x = rank(f, prefix) - before;
        const double w = probability / buckets.K;
        const auto a = static_cast<std::size_t>(i);
        if (chosen(i).in) out.fake[a] += w * buckets.canonical[static_cast<std::size_t>(k)] * x;
        out.canonical[a] += w * buckets.canonical[static_cast<std::size_t>(chosen(i).label)] * x;
        out.true_utility[a] += w * chosen(i).value * x;
      }
      int i = 0;
      while (i < n && ++pick[static_cast<std::size_t>(i)] == pairs[static_cast<std::size_t>(i)].size()) {
        pick[static_cast<std::size_t>(i)] = 0;
        ++i;
      }
      if (i == n) break;
    }
  }
  return out;
}

// Fake utilities of a one-order policy are that order's vertex; canonical ≥
// fake (canonical counts every bucket); true ≥ canonical (m ≤ μ) and
// true ≤ (1+ε)·canonical; all three match the value-level brute force.
TEST(PersuasionBucketedReceiver, RsmPolicyUtilitiesMatchBruteForceAndAreOrdered) {
  std::mt19937_64 rng(31337);
  for (int instance_id = 0; instance_id < 14; ++instance_id) {
    const int n = 3 + instance_id % 2;
    const Instance instance = random_instance(rng, n, instance_id);
    const BucketedReceiver receiver = build(instance, OracleMethod::automatic);
    ASSERT_TRUE(receiver.policy_exact());
    const auto orders = all_orders(n);
    const std::vector<int>& order = orders[rng() % orders.size()];
    const RsmUtilities policy = receiver.rsm_utilities(std::span(&order, 1), std::vector<double>{1.0});
    const RsmUtilities brute = brute_force_policy(receiver, order);
    std::vector<double> vertex(static_cast<std::size_t>(n));
    receiver.vertex(order, vertex);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      EXPECT_NEAR(policy.fake[i], vertex[i], 1e-12);
      EXPECT_NEAR(policy.fake[i], brute.fake[i], 1e-12);
      EXPECT_NEAR(policy.canonical[i], brute.canonical[i], 1e-12);
      EXPECT_NEAR(policy.true_utility[i], brute.true_utility[i], 1e-12);
      EXPECT_GE(policy.canonical[i], policy.fake[i] - 1e-12);
      EXPECT_GE(policy.true_utility[i], policy.canonical[i] - 1e-12);
      EXPECT_LE(policy.true_utility[i], (1.0 + instance.epsilon) * policy.canonical[i] + 1e-12);
    }
  }
}

TEST(PersuasionBucketedReceiver, RsmMixtureFakeUtilityIsTheMixtureOfVertices) {
  std::mt19937_64 rng(404);
  const int n = 4;
  const Instance instance = random_instance(rng, n, 5);
  const BucketedReceiver receiver = build(instance, OracleMethod::enumerate);
  const auto orders = all_orders(n);
  const std::vector<std::vector<int>> mixture{orders[3], orders[17], orders[22]};
  const std::vector<double> weights{0.2, 0.5, 0.3};
  const RsmUtilities policy = receiver.rsm_utilities(mixture, weights);
  std::vector<double> want(static_cast<std::size_t>(n), 0.0);
  std::vector<double> u(static_cast<std::size_t>(n));
  for (std::size_t r = 0; r < mixture.size(); ++r) {
    receiver.vertex(mixture[r], u);
    for (std::size_t i = 0; i < u.size(); ++i) want[i] += weights[r] * u[i];
  }
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(policy.fake[i], want[i], 1e-12);
}

// Beyond the enumeration limit each sampled pattern draws its priority order
// from the mixture (systematic sampling), so a mixture costs what one order
// does; the estimate must still converge to the exact mixture.
TEST(PersuasionBucketedReceiver, SampledRsmPolicyDrawsOrdersFromTheMixture) {
  std::mt19937_64 rng(405);
  const int n = 5;
  const Instance instance = random_instance(rng, n, 5);
  const BucketedReceiver exact = build(instance, OracleMethod::enumerate);
  BucketedOptions options;
  options.method = OracleMethod::monte_carlo;
  options.samples = 400000;
  options.enumeration_limit = 1;
  options.value_scale = instance.V;
  options.seed = 9;
  const BucketedReceiver sampled(instance.f, instance.prior, instance.epsilon, options);
  ASSERT_TRUE(exact.policy_exact());
  ASSERT_FALSE(sampled.policy_exact());
  const auto orders = all_orders(n);
  const std::vector<std::vector<int>> mixture{orders[7], orders[40], orders[99], orders[118]};
  const std::vector<double> weights{0.1, 0.4, 0.3, 0.2};
  const RsmUtilities want = exact.rsm_utilities(mixture, weights);
  const RsmUtilities got = sampled.rsm_utilities(mixture, weights);
  EXPECT_FALSE(got.exact);
  double scale = 0.0;
  for (const double u : want.true_utility) scale = std::max(scale, u);
  for (int i = 0; i < n; ++i) {
    const auto a = static_cast<std::size_t>(i);
    EXPECT_NEAR(got.fake[a], want.fake[a], 0.01 * scale) << i;
    EXPECT_NEAR(got.canonical[a], want.canonical[a], 0.01 * scale) << i;
    EXPECT_NEAR(got.true_utility[a], want.true_utility[a], 0.01 * scale) << i;
  }
}

// Theorem 4.9 on random instances: the RSM policy realising Û* (Wolfe's
// mixture) has fake utilities Û* and satisfies its own certificate.
TEST(PersuasionBucketedReceiver, LeastMajorizedPolicySatisfiesItsCertificate) {
  std::mt19937_64 rng(1212);
  for (int instance_id = 0; instance_id < 7; ++instance_id) {
    const int n = 4;
    const BucketedReceiver receiver = build(random_instance(rng, n, instance_id), OracleMethod::automatic);
    const MinNormResult star = wolfe_min_norm_point(n, receiver.vertex_oracle());
    ASSERT_TRUE(star.converged);
    std::vector<std::vector<int>> orders;
    std::vector<double> weights;
    for (const auto& entry : star.mixture) {
      orders.push_back(entry.order);
      weights.push_back(entry.weight);
    }
    const RsmUtilities policy = receiver.rsm_utilities(orders, weights);
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) EXPECT_NEAR(policy.fake[i], star.point[i], 1e-8);
    const std::vector<double> q_canonical = prefix_sums_smallest(policy.canonical);
    const std::vector<double> q_true = prefix_sums_smallest(policy.true_utility);
    const std::vector<double> canonical_bound = receiver.canonical_certificate(star.point);
    const std::vector<double> true_bound = receiver.true_certificate(star.point);
    const std::vector<double> q_star = prefix_sums_smallest(star.point);
    const double K = receiver.buckets().K;
    for (std::size_t j = 0; j < static_cast<std::size_t>(n); ++j) {
      EXPECT_NEAR(canonical_bound[j], K * q_star[j], 1e-12);
      EXPECT_NEAR(true_bound[j], (1.0 + receiver.buckets().epsilon) * K * q_star[j], 1e-12);
      EXPECT_LE(q_canonical[j], canonical_bound[j] + 1e-8);
      EXPECT_LE(q_true[j], true_bound[j] + 1e-8);
    }
  }
}

// ---------------------------------------------------------------------------
// Edge cases (§6.3) and rejected inputs (§6.4).

TEST(PersuasionBucketedReceiver, SingleBucketRankIsTheConstraintItself) {
  std::mt19937_64 rng(5);
  const Polymatroid f = random_family(rng, 4, 2);
  const Prior prior{make_distribution(std::vector<double>{1.0, 1.4}, std::vector<double>{0.5, 0.5}, "a"),
                    deterministic(1.2), deterministic(1.0),
                    make_distribution(std::vector<double>{1.1, 1.3}, std::vector<double>{0.3, 0.7}, "d")};
  const BucketedReceiver receiver(f, prior, 1.0);
  ASSERT_EQ(receiver.buckets().K, 1);
  EXPECT_EQ(receiver.outcome_count(), 1);
  for (std::uint32_t mask = 0; mask < 16; ++mask)
    EXPECT_NEAR(receiver.rank(members(mask, 4)), rank(f, members(mask, 4)), 1e-15);
  const std::vector<int> order{2, 0, 3, 1};
  const RsmUtilities policy = receiver.rsm_utilities(std::span(&order, 1), std::vector<double>{1.0});
  std::vector<double> greedy(4);
  greedy_vertex(f, order, greedy);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_NEAR(policy.fake[i], greedy[i], 1e-15);
    EXPECT_NEAR(policy.canonical[i], greedy[i], 1e-15);
    EXPECT_NEAR(policy.true_utility[i], prior[i].mean() * greedy[i], 1e-15);
  }
}

TEST(PersuasionBucketedReceiver, DeterministicAgentsLeaveNothingToEnumerate) {
  const Prior prior{deterministic(1.0), deterministic(3.0), deterministic(3.0), deterministic(7.5)};
  const BucketedReceiver receiver(make_uniform(4, 2), prior, 1.0);
  ASSERT_EQ(receiver.buckets().K, 3);
  EXPECT_EQ(receiver.outcome_count(), 3);
  // Each agent is in its own bucket only; agent 3 outranks, agents 1, 2 tie.
  std::vector<double> u(4);
  receiver.vertex(std::vector<int>{2, 1, 0, 3}, u);
  // Bucket [4, 7.5]: agent 3 alone → 4·1/3; bucket [2,4): agent 3 above takes
  // one slot, agent 2 first → 2/3; bucket [1,2): agents 1–3 above → 0.
  EXPECT_NEAR(u[0], 0.0, 1e-15);
  EXPECT_NEAR(u[1], 0.0, 1e-15);
  EXPECT_NEAR(u[2], 2.0 / 3, 1e-15);
  EXPECT_NEAR(u[3], 4.0 / 3, 1e-15);
}

TEST(PersuasionBucketedReceiver, InvalidInputsAreRejected) {
  const Prior prior = sm1_prior();
  EXPECT_THROW(BucketedReceiver(make_uniform(3, 1), prior, 1.0), std::invalid_argument);
  EXPECT_THROW(BucketedReceiver(make_uniform(4, 1), prior, 0.0), std::invalid_argument);
  EXPECT_THROW(BucketedReceiver(make_uniform(4, 1), Prior{}, 1.0), std::invalid_argument);
  BucketedOptions small_scale;
  small_scale.value_scale = 3.0;  // below the largest value 4
  EXPECT_THROW(BucketedReceiver(make_uniform(4, 1), prior, 1.0, small_scale), std::invalid_argument);
  BucketedOptions tiny_limit;
  tiny_limit.method = OracleMethod::enumerate;
  tiny_limit.enumeration_limit = 4;
  EXPECT_THROW(BucketedReceiver(make_uniform(4, 1), prior, 1.0, tiny_limit), std::invalid_argument);
  BucketedOptions pb;
  pb.method = OracleMethod::poisson_binomial;
  EXPECT_THROW(BucketedReceiver(make_budget(1.0, {1, 1, 1, 1}), prior, 1.0, pb), std::invalid_argument);
  BucketedOptions click;
  click.method = OracleMethod::click_product;
  EXPECT_THROW(BucketedReceiver(make_uniform(4, 1), prior, 1.0, click), std::invalid_argument);
  BucketedOptions no_samples;
  no_samples.samples = 0;
  EXPECT_THROW(BucketedReceiver(make_uniform(4, 1), prior, 1.0, no_samples), std::invalid_argument);

  const BucketedReceiver receiver = sm1(OracleMethod::automatic);
  std::vector<double> u(4);
  EXPECT_THROW(receiver.vertex(std::vector<int>{0, 1, 1, 3}, u), std::invalid_argument);
  EXPECT_THROW(receiver.vertex(std::vector<int>{0, 1, 2}, u), std::invalid_argument);
  EXPECT_THROW((void)receiver.rank(std::vector<int>{0, 0}), std::invalid_argument);
  EXPECT_THROW((void)receiver.rank(std::vector<int>{4}), std::invalid_argument);
  const std::vector<std::vector<int>> orders{{0, 1, 2, 3}};
  EXPECT_THROW((void)receiver.rsm_utilities(orders, std::vector<double>{0.5}), std::invalid_argument);
  EXPECT_THROW((void)receiver.rsm_utilities(orders, std::vector<double>{1.0, 0.0}), std::invalid_argument);
  EXPECT_THROW((void)receiver.mapping(4, 0), std::invalid_argument);
  EXPECT_THROW((void)receiver.mapping(0, 2), std::invalid_argument);
}

}  // namespace
}  // namespace mechsweep::persuasion
