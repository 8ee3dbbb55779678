// Maximal mappings, Algorithm A3 (spec 004 §2.4 Def 4.6, §3.7, §6.2, §6.3,
// §6.5 item 6): the known-answer tables, Bayes plausibility, and agreement
// with Def 4.6's LP solved by Clp.

#include "mechanisms/persuasion/maximal_mapping.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace mechsweep::persuasion {
namespace {

ValueDistribution dist(std::vector<double> values, std::vector<double> probabilities) {
  return make_distribution(values, probabilities, "test prior");
}

struct Expected {
  double p_in;
  std::vector<double> in_mass;  // aligned with the descending values
  double in_mean;
  double out_mean;
  OutSide side;
};

void expect_mapping(const ValueDistribution& prior, const Buckets& buckets, int bucket, const Expected& want) {
  SCOPED_TRACE("bucket " + std::to_string(bucket));
  const MaximalMapping got = maximal_mapping(prior, buckets, bucket);
  EXPECT_EQ(got.bucket, bucket);
  EXPECT_NEAR(got.p_in, want.p_in, 1e-12);
  ASSERT_EQ(got.in_mass.size(), want.in_mass.size());
  for (std::size_t v = 0; v < want.in_mass.size(); ++v) EXPECT_NEAR(got.in_mass[v], want.in_mass[v], 1e-12) << v;
  EXPECT_NEAR(got.in_mean, want.in_mean, 1e-12);
  EXPECT_NEAR(got.out_mean, want.out_mean, 1e-12);
  EXPECT_EQ(got.side, want.side);
  EXPECT_NEAR(bayes_plausibility_residual(got, prior), 0.0, 1e-14);
}

// §3.7 uses ε = 1 and V = 8: buckets [1,2), [2,4), [4,8] (the last closed).
// Both priors need V = 8 to be given; the second prior's largest value is 6.
TEST(PersuasionMaximalMapping, SpecTableTwoPointPrior) {
  const Buckets buckets = make_buckets(1.0, 8.0);
  const ValueDistribution prior = dist({1.0, 8.0}, {0.5, 0.5});  // stored as {8, 1}
  EXPECT_DOUBLE_EQ(prior.mean(), 4.5);
  // θ ≥ b: pool from above to the right endpoint, out-signal reveals 8.
  expect_mapping(prior, buckets, 0, {7.0 / 12, {1.0 / 12, 0.5}, 2.0, 8.0, OutSide::above});
  expect_mapping(prior, buckets, 1, {7.0 / 8, {3.0 / 8, 0.5}, 4.0, 8.0, OutSide::above});
  expect_mapping(prior, buckets, 2, {1.0, {0.5, 0.5}, 4.5, 0.0, OutSide::none});
}

// The spec prints θ = 11/4 for this prior; its mean is 1/2 + 2/4 + 6/4 = 5/2.
// The table's rows are right for θ = 5/2 (Bayes plausibility of the [4,8]
// row: ½·4 + ½·1 = 5/2).
TEST(PersuasionMaximalMapping, SpecTableThreePointPrior) {
  const Buckets buckets = make_buckets(1.0, 8.0);
  const ValueDistribution prior = dist({1.0, 2.0, 6.0}, {0.5, 0.25, 0.25});  // stored as {6, 2, 1}
  EXPECT_DOUBLE_EQ(prior.mean(), 2.5);
  expect_mapping(prior, buckets, 0, {7.0 / 8, {1.0 / 8, 0.25, 0.5}, 2.0, 6.0, OutSide::above});
  expect_mapping(prior, buckets, 1, {1.0, {0.25, 0.25, 0.5}, 2.5, 0.0, OutSide::none});
  // θ < a: pool from below to the left endpoint, out-signal reveals 1.
  expect_mapping(prior, buckets, 2, {0.5, {0.25, 0.25, 0.0}, 4.0, 1.0, OutSide::below});
}

TEST(PersuasionMaximalMapping, SignalLawIsInMassOverPriorMass) {
  const Buckets buckets = make_buckets(1.0, 8.0);
  const ValueDistribution prior = dist({1.0, 2.0, 6.0}, {0.5, 0.25, 0.25});
  const MaximalMapping mapping = maximal_mapping(prior, buckets, 0);
  EXPECT_NEAR(mapping.in_probability(prior, 0), 0.5, 1e-15);  // value 6
  EXPECT_EQ(mapping.in_probability(prior, 1), 1.0);           // value 2
  EXPECT_EQ(mapping.in_probability(prior, 2), 1.0);           // value 1
}

TEST(PersuasionMaximalMapping, DeterministicAgentsAreInOnlyTheirOwnBucket) {
  const Buckets buckets = make_buckets(1.0, 8.0);
  for (const double value : {1.0, 1.5, 2.0, 3.0, 4.0, 7.0, 8.0}) {
    SCOPED_TRACE(value);
    const ValueDistribution prior = deterministic(value);
    const int own = buckets.bucket_of(value);
    for (int k = 0; k < buckets.K; ++k) {
      const MaximalMapping mapping = maximal_mapping(prior, buckets, k);
      EXPECT_EQ(mapping.p_in, k == own ? 1.0 : 0.0) << k;
      EXPECT_EQ(mapping.side, k == own ? OutSide::none : (k < own ? OutSide::above : OutSide::below)) << k;
      if (k != own) {
        EXPECT_EQ(mapping.out_mean, value);
      }
      if (k == own) {
        EXPECT_EQ(mapping.in_mean, value);
      }
    }
  }
}

// p_in = 0: below the bucket with no value reaching a; above it with no value
// strictly below b. Mass sitting exactly on b cannot be pooled into [a, b)
// (the supremum over the half-open bucket is 0), although the closed LP of
// Def 4.6 would count it.
TEST(PersuasionMaximalMapping, NoValueOnTheFarSideGivesZeroProbability) {
  const Buckets buckets = make_buckets(1.0, 8.0);
  const ValueDistribution low = dist({1.0, 1.5}, {0.5, 0.5});
  const MaximalMapping from_below = maximal_mapping(low, buckets, 2);
  EXPECT_EQ(from_below.p_in, 0.0);
  EXPECT_EQ(from_below.side, OutSide::below);
  EXPECT_DOUBLE_EQ(from_below.out_mean, 1.25);
  EXPECT_EQ(from_below.in_mean, 0.0);

  const ValueDistribution high = dist({5.0, 6.0}, {0.5, 0.5});
  const MaximalMapping from_above = maximal_mapping(high, buckets, 0);
  EXPECT_EQ(from_above.p_in, 0.0);
  EXPECT_EQ(from_above.side, OutSide::above);
  EXPECT_DOUBLE_EQ(from_above.out_mean, 5.5);

  const ValueDistribution on_edge = dist({2.0, 6.0}, {0.5, 0.5});
  EXPECT_EQ(maximal_mapping(on_edge, buckets, 0).p_in, 0.0);
  EXPECT_NEAR(maximal_mapping_lp(on_edge, 1.0, 2.0).p_in, 0.5, 1e-9);
  // With any mass strictly below b the edge mass is pooled in, as the LP says.
  const ValueDistribution straddling = dist({1.0, 2.0, 6.0}, {0.1, 0.4, 0.5});
  const MaximalMapping pooled = maximal_mapping(straddling, buckets, 0);
  EXPECT_NEAR(pooled.p_in, maximal_mapping_lp(straddling, 1.0, 2.0).p_in, 1e-9);
  EXPECT_NEAR(pooled.in_mass[1], 0.4, 1e-15);
}

TEST(PersuasionMaximalMapping, SingleBucketNeverReveals) {
  const Buckets buckets = make_buckets(1.0, 1.5);  // K = 1: [1, 1.5]
  ASSERT_EQ(buckets.K, 1);
  const ValueDistribution prior = dist({1.0, 1.2, 1.5}, {0.2, 0.3, 0.5});
  const MaximalMapping mapping = maximal_mapping(prior, buckets, 0);
  EXPECT_EQ(mapping.p_in, 1.0);
  EXPECT_EQ(mapping.side, OutSide::none);
  EXPECT_DOUBLE_EQ(mapping.in_mean, prior.mean());
}

TEST(PersuasionMaximalMapping, BucketIndexOutOfRangeIsRejected) {
  const Buckets buckets = make_buckets(1.0, 4.0);
  EXPECT_THROW((void)maximal_mapping(deterministic(2.0), buckets, 2), std::invalid_argument);
  EXPECT_THROW((void)maximal_mapping(deterministic(2.0), buckets, -1), std::invalid_argument);
  EXPECT_THROW((void)maximal_mapping(deterministic(5.0), buckets, 0), std::invalid_argument);  // θ > V
}

// Random priors whose supports mix bucket edges (η^t, where ties with the
// boundary happen) and arbitrary reals in [1, V].
ValueDistribution random_prior(std::mt19937_64& rng, const Buckets& buckets) {
  std::uniform_int_distribution<int> support(1, 6);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int s = support(rng);
  std::vector<double> values;
  std::vector<double> probabilities;
  double total = 0.0;
  for (int a = 0; a < s; ++a) {
    if (unit(rng) < 0.4) {
      values.push_back(buckets.edges[std::uniform_int_distribution<std::size_t>(0, buckets.edges.size() - 1)(rng)]);
    } else {
      values.push_back(1.0 + (buckets.V - 1.0) * unit(rng));
    }
    probabilities.push_back(0.05 + unit(rng));
    total += probabilities.back();
  }
  for (double& p : probabilities) p /= total;
  return make_distribution(values, probabilities, "random prior");
}

Buckets random_buckets(std::mt19937_64& rng) {
  const double scales[] = {2.0, 4.0, 8.0, 16.0, 100.0};
  const double epsilons[] = {1.0, 0.5, 0.25};
  return make_buckets(epsilons[rng() % 3], scales[rng() % 5]);
}

// §6.5 item 6: output is a Bayes-plausible ternary mapping with the in-mean
// inside the bucket and the out-mean on its side.
TEST(PersuasionMaximalMapping, RandomMappingsAreBayesPlausibleTernaryAndInBucket) {
  std::mt19937_64 rng(20240604);
  int checked = 0;
  for (int instance = 0; instance < 300; ++instance) {
    const Buckets buckets = random_buckets(rng);
    const ValueDistribution prior = random_prior(rng, buckets);
    for (int k = 0; k < buckets.K; ++k) {
      const MaximalMapping m = maximal_mapping(prior, buckets, k);
      EXPECT_NEAR(bayes_plausibility_residual(m, prior), 0.0, 1e-13 * buckets.V);
      ASSERT_GE(m.p_in, 0.0);
      ASSERT_LE(m.p_in, 1.0);
      double mass = 0.0;
      for (std::size_t v = 0; v < prior.values.size(); ++v) {
        EXPECT_GE(m.in_mass[v], 0.0);
        EXPECT_LE(m.in_mass[v], prior.probabilities[v]);
        mass += m.in_mass[v];
      }
      EXPECT_NEAR(mass, m.p_in, 1e-14);
      if (m.p_in > 0.0) {
        EXPECT_GE(m.in_mean, buckets.lower(k) * (1.0 - 1e-12));
        EXPECT_LE(m.in_mean, buckets.upper(k) * (1.0 + 1e-12));
      }
      if (m.p_in < 1.0) {
        ASSERT_NE(m.side, OutSide::none);
        if (m.side == OutSide::below) {
          EXPECT_LT(m.out_mean, buckets.lower(k));
        }
        // p_in = 0 leaves out_mean = θ, which may sit on b itself (bucket k+1).
        if (m.side == OutSide::above) {
          EXPECT_GE(m.out_mean, buckets.upper(k) * (1.0 - 1e-12));
        }
        if (m.side == OutSide::above && m.p_in > 0.0) {
          EXPECT_GT(m.out_mean, buckets.upper(k));
        }
      } else {
        EXPECT_EQ(m.side, OutSide::none);
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 600);
}

// §6.5 item 6: A3 attains Def 4.6's LP optimum. The LP's bucket is closed,
// which is the spec's option (b); they differ only where all of the mass that
// could be pooled from above sits exactly on b (see the test above).
TEST(PersuasionMaximalMapping, ClosedFormEqualsLpOptimumOnRandomInstances) {
  std::mt19937_64 rng(77);
  int compared = 0;
  for (int instance = 0; instance < 150; ++instance) {
    const Buckets buckets = random_buckets(rng);
    const ValueDistribution prior = random_prior(rng, buckets);
    for (int k = 0; k < buckets.K; ++k) {
      const MaximalMapping m = maximal_mapping(prior, buckets, k);
      const bool edge_only =
          !buckets.is_last(k) && prior.mean() >= buckets.upper(k) && !(prior.min() < buckets.upper(k));
      const double want = edge_only ? 0.0 : maximal_mapping_lp(prior, buckets.lower(k), buckets.upper(k)).p_in;
      EXPECT_NEAR(m.p_in, want, 1e-7) << "instance " << instance << " bucket " << k;
      ++compared;
    }
  }
  EXPECT_GE(compared, 300);
}

}  // namespace
}  // namespace mechsweep::persuasion
