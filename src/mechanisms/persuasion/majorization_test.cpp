#include "mechanisms/persuasion/majorization.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "core/seed.hpp"

namespace mechsweep::persuasion {
namespace {

constexpr double kExact = 1e-12;
constexpr double kInf = std::numeric_limits<double>::infinity();

// spec §3.5 FR-C: the 1-majorized point and the uniform tie-break.
const std::vector<double> kFrcStar{1.0, 11.0 / 8, 11.0 / 8, 1.0 / 8};
const std::vector<double> kFrcUniform{19.0 / 24, 7.0 / 4, 31.0 / 24, 1.0 / 24};

void expect_vector_near(const std::vector<double>& actual, const std::vector<double>& expected, double tol) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], tol) << "index " << i;
}

TEST(Majorization, PrefixSumsSortAscendingThenAccumulate) {
  expect_vector_near(prefix_sums_smallest(std::vector<double>{3.0, 1.0, 2.0}), {1.0, 3.0, 6.0}, 0.0);
  EXPECT_TRUE(prefix_sums_smallest(std::vector<double>{}).empty());
}

// spec §3.5 table, Q columns of FR-C.
TEST(Majorization, PrefixSumsMatchTheFrcTable) {
  expect_vector_near(prefix_sums_smallest(kFrcStar), {1.0 / 8, 9.0 / 8, 5.0 / 2, 31.0 / 8}, kExact);
  expect_vector_near(prefix_sums_smallest(kFrcUniform), {1.0 / 24, 5.0 / 6, 17.0 / 8, 31.0 / 8}, kExact);
}

TEST(Majorization, RatioTakesTheWorstPrefixAndItsIndex) {
  // Q(u) = (1, 2, 4) against B = (1, 3, 6): ratios 1, 1.5, 1.5; the first maximiser is j = 2.
  const auto ratio = approximation_ratio_at(std::vector<double>{1.0, 3.0, 6.0}, std::vector<double>{2.0, 1.0, 1.0});
  EXPECT_NEAR(ratio.ratio, 1.5, kExact);
  EXPECT_EQ(ratio.argmax_j, 2);
}

// spec §1.7 and §6.3: 0/0 := 1, x/0 := +∞.
TEST(Majorization, RatioDefinesZeroOverZeroAsOne) {
  // FR-A: U* = (1, 1, 0) has Q = (0, 1, 2); a benchmark with B_1 = 0 is met exactly.
  const std::vector<double> benchmark{0.0, 1.0, 2.0};
  const auto ratio = approximation_ratio_at(benchmark, std::vector<double>{1.0, 1.0, 0.0});
  EXPECT_EQ(ratio.ratio, 1.0);
  EXPECT_EQ(ratio.argmax_j, 1);
  // Every ratio below 1 except the 0/0 one: the maximum is still the 0/0 := 1.
  EXPECT_EQ(approximation_ratio(std::vector<double>{0.0, 0.5, 1.0}, std::vector<double>{1.0, 1.0, 0.0}), 1.0);
}

TEST(Majorization, RatioDefinesPositiveOverZeroAsInfinity) {
  const auto ratio = approximation_ratio_at(std::vector<double>{0.25, 1.0, 2.0}, std::vector<double>{1.0, 1.0, 0.0});
  EXPECT_EQ(ratio.ratio, kInf);
  EXPECT_EQ(ratio.argmax_j, 1);
}

TEST(Majorization, ZeroToleranceTurnsRoundingIntoZero) {
  const std::vector<double> benchmark{1e-17, 1.0};
  const std::vector<double> u{0.0, 1.0};
  EXPECT_EQ(approximation_ratio(benchmark, u), kInf);
  EXPECT_EQ(approximation_ratio(benchmark, u, 1e-12), 1.0);
}

// FR-C: U* 1-majorizes the uniform tie-break; the uniform one needs α = 3
// (Q_1: (1/8)/(1/24)).
TEST(Majorization, StarMajorizesUniformTieBreakOnFrc) {
  EXPECT_TRUE(majorizes(kFrcStar, kFrcUniform));
  EXPECT_FALSE(majorizes(kFrcUniform, kFrcStar));
  EXPECT_TRUE(majorizes(kFrcUniform, kFrcStar, 3.0));
  EXPECT_FALSE(majorizes(kFrcUniform, kFrcStar, 2.99));
  EXPECT_NEAR(approximation_ratio(prefix_sums_smallest(kFrcStar), kFrcUniform), 3.0, kExact);
  EXPECT_NEAR(approximation_ratio(prefix_sums_smallest(kFrcUniform), kFrcStar), 1.0, kExact);
}

// spec §1.6 (Lemma 3.4 / Goel–Meyerson): Q_j(U) = max_M Σ min(U_i, M) − (n−j)M,
// attained at the j-th smallest U_i.
TEST(Majorization, PrefixSumsEqualTheGoelMeyersonProgram) {
  std::mt19937_64 rng(derive_seed(4, 1));
  std::uniform_real_distribution<double> value(0.0, 5.0);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 1 + trial % 7;
    std::vector<double> u(n);
    for (double& x : u) x = trial % 3 == 0 ? std::floor(value(rng)) : value(rng);  // some ties
    const std::vector<double> q = prefix_sums_smallest(u);
    std::vector<double> sorted = u;
    std::sort(sorted.begin(), sorted.end());
    const auto objective = [&](int j, double level) {
      double sum = 0.0;
      for (double x : u) sum += std::min(x, level);
      return sum - (n - j) * level;
    };
    for (int j = 1; j <= n; ++j) {
      EXPECT_NEAR(objective(j, sorted[j - 1]), q[j - 1], 1e-12);
      // Concave piecewise linear in M with breaks at the U_i: no M does better.
      for (int probe = 0; probe < 20; ++probe) EXPECT_LE(objective(j, value(rng) - 1.0), q[j - 1] + 1e-12);
      for (double level : u) EXPECT_LE(objective(j, level), q[j - 1] + 1e-12);
    }
  }
}

TEST(Majorization, SummaryOfAVectorWithAZeroAgent) {
  const UtilitySummary summary = summarize_utilities(std::vector<double>{3.0, 0.0, 1.0});
  EXPECT_NEAR(summary.welfare, 4.0, kExact);
  EXPECT_EQ(summary.min, 0.0);
  EXPECT_EQ(summary.zero_count, 1);
  EXPECT_EQ(summary.nash_welfare, -kInf);
  // Σ_i Σ_k |U_i − U_k| = 2·(3 + 1 + 2) = 12; 12 / (2·3·4) = 1/2.
  EXPECT_NEAR(summary.gini, 0.5, kExact);
}

TEST(Majorization, SummaryOfAPositiveVector) {
  const UtilitySummary summary = summarize_utilities(std::vector<double>{1.0, 2.0, 4.0});
  EXPECT_NEAR(summary.welfare, 7.0, kExact);
  EXPECT_EQ(summary.min, 1.0);
  EXPECT_EQ(summary.zero_count, 0);
  EXPECT_NEAR(summary.nash_welfare, std::log(8.0), kExact);
  // Pairwise |differences| 1, 3, 2 → 2·6 / (2·3·7) = 2/7.
  EXPECT_NEAR(summary.gini, 2.0 / 7, kExact);
  EXPECT_EQ(summarize_utilities(std::vector<double>{2.0, 2.0}).gini, 0.0);
  EXPECT_EQ(summarize_utilities(std::vector<double>{0.0, 0.0}).gini, 0.0);
}

TEST(Majorization, RejectsMalformedInput) {
  const std::vector<double> two{1.0, 2.0};
  const std::vector<double> three{1.0, 2.0, 3.0};
  EXPECT_THROW(approximation_ratio(two, three), std::invalid_argument);
  EXPECT_THROW(majorizes(two, three), std::invalid_argument);
  EXPECT_THROW(majorizes(two, two, 0.0), std::invalid_argument);
  EXPECT_THROW(majorizes(two, two, 1.0, -1.0), std::invalid_argument);
  EXPECT_THROW(prefix_sums_smallest(std::vector<double>{1.0, std::nan("")}), std::invalid_argument);
  EXPECT_THROW(summarize_utilities(std::vector<double>{kInf}), std::invalid_argument);
  try {
    approximation_ratio(two, three);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "persuasion: benchmark prefix length = 2, expected 3");
  }
}

}  // namespace
}  // namespace mechsweep::persuasion
