// Buckets of the bounded-rational receiver (spec 004 §1.4, §2.4, §6.1 items 1
// and 3, §6.4): K = max(1, ⌈ln V / ln(1+ε)⌉) without floating-point
// off-by-ones, a last bucket closed at V, lower-endpoint canonical values.

#include "mechanisms/persuasion/buckets.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace mechsweep::persuasion {
namespace {

void expect_rejected(double epsilon, double V, const std::string& names) {
  try {
    (void)make_buckets(epsilon, V);
    ADD_FAILURE() << "accepted epsilon = " << epsilon << ", V = " << V;
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(names), std::string::npos) << error.what();
    EXPECT_EQ(std::string(error.what()).rfind("persuasion: ", 0), 0U) << error.what();
  }
}

TEST(PersuasionBuckets, ExactPowersOfEtaDoNotGainABucket) {
  const Buckets four = make_buckets(1.0, 4.0);
  EXPECT_EQ(four.K, 2);
  EXPECT_EQ(four.edges, (std::vector<double>{1.0, 2.0, 4.0}));
  EXPECT_EQ(four.canonical, (std::vector<double>{1.0, 2.0}));
  const Buckets eight = make_buckets(1.0, 8.0);
  EXPECT_EQ(eight.K, 3);
  EXPECT_EQ(eight.edges, (std::vector<double>{1.0, 2.0, 4.0, 8.0}));
  // 1.1^5 and 1.1·1.1·1.1 are not exact in binary; ln V / ln η lands a few
  // ulps off the integer and must not round up to an extra bucket.
  EXPECT_EQ(make_buckets(0.1, std::pow(1.1, 5)).K, 5);
  EXPECT_EQ(make_buckets(0.1, 1.1 * 1.1 * 1.1).K, 3);
  EXPECT_EQ(make_buckets(0.25, 1.25 * 1.25 * 1.25 * 1.25).K, 4);
}

TEST(PersuasionBuckets, NonPowerScaleGetsAShorterLastBucketEndingAtV) {
  const Buckets b = make_buckets(0.5, 100.0);
  // ln 100 / ln 1.5 = 11.36 → 12 buckets; the last is [1.5^11, 100].
  EXPECT_EQ(b.K, 12);
  ASSERT_EQ(b.edges.size(), 13U);
  EXPECT_DOUBLE_EQ(b.edges[11], std::pow(1.5, 11));
  EXPECT_EQ(b.edges[12], 100.0);
  EXPECT_LT(b.edges[11], 100.0);
  EXPECT_EQ(b.bucket_of(100.0), 11);
  EXPECT_EQ(b.bucket_of(90.0), 11);
  EXPECT_EQ(b.bucket_of(86.0), 10);
  for (int k = 0; k < b.K; ++k) {
    EXPECT_EQ(b.canonical[static_cast<std::size_t>(k)], b.lower(k));
    EXPECT_LE(b.upper(k), (1.0 + b.epsilon) * b.canonical[static_cast<std::size_t>(k)] * (1.0 + 1e-15));
  }
}

TEST(PersuasionBuckets, ScaleBelowOnePlusEpsilonIsASingleClosedBucket) {
  const Buckets unit = make_buckets(0.1, 1.0);
  EXPECT_EQ(unit.K, 1);
  EXPECT_EQ(unit.edges, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(unit.bucket_of(1.0), 0);
  const Buckets short_range = make_buckets(1.0, 1.5);
  EXPECT_EQ(short_range.K, 1);
  EXPECT_EQ(short_range.edges, (std::vector<double>{1.0, 1.5}));
  EXPECT_EQ(short_range.bucket_of(1.5), 0);
  EXPECT_EQ(short_range.canonical, (std::vector<double>{1.0}));
}

TEST(PersuasionBuckets, BucketOfIsHalfOpenWithAClosedLastBucket) {
  const Buckets b = make_buckets(1.0, 4.0);
  EXPECT_EQ(b.bucket_of(1.0), 0);
  EXPECT_EQ(b.bucket_of(1.999), 0);
  EXPECT_EQ(b.bucket_of(2.0), 1);
  EXPECT_EQ(b.bucket_of(3.999), 1);
  EXPECT_EQ(b.bucket_of(4.0), 1);  // closed at V (§6.1 item 3)
  EXPECT_TRUE(b.is_last(1));
  EXPECT_FALSE(b.is_last(0));
}

TEST(PersuasionBuckets, MeansARoundingErrorBelowAnEdgeStayInThatEdgesBucket) {
  const Buckets b = make_buckets(1.0, 4.0);
  EXPECT_EQ(b.bucket_of(2.0 * (1.0 - 1e-14)), 1);
  EXPECT_EQ(b.bucket_of(std::nextafter(2.0, 0.0)), 1);
  EXPECT_EQ(b.bucket_of(2.0 * (1.0 - 1e-9)), 0);  // a genuine gap is not absorbed
  EXPECT_EQ(b.bucket_of(1.0 - 1e-14), 0);
  EXPECT_EQ(b.bucket_of(4.0 * (1.0 + 1e-14)), 1);
  const Buckets tenth = make_buckets(0.1, 2.0);
  // 1.1·1.1 and pow(1.1, 2) may round differently; both are the edge η².
  EXPECT_EQ(tenth.bucket_of(1.1 * 1.1), 2);
  EXPECT_EQ(tenth.bucket_of(std::pow(1.1, 2)), 2);
}

TEST(PersuasionBuckets, MeansOutsideOneToVAreRejected) {
  const Buckets b = make_buckets(1.0, 4.0);
  EXPECT_THROW((void)b.bucket_of(0.5), std::invalid_argument);
  EXPECT_THROW((void)b.bucket_of(4.1), std::invalid_argument);
  EXPECT_THROW((void)b.bucket_of(std::nan("")), std::invalid_argument);
}

TEST(PersuasionBuckets, InvalidParametersAreRejectedByName) {
  expect_rejected(0.0, 4.0, "epsilon");
  expect_rejected(-1.0, 4.0, "epsilon");
  expect_rejected(std::nan(""), 4.0, "epsilon");
  expect_rejected(INFINITY, 4.0, "epsilon");
  expect_rejected(1.0, 0.5, "V");
  expect_rejected(1.0, std::nan(""), "V");
  expect_rejected(1.0, INFINITY, "V");
  // ln(10^6)/ln(1.0001) ≈ 138,000 buckets, above the 10^4 cap (§6.4).
  expect_rejected(1e-4, 1e6, "K");
  EXPECT_EQ(make_buckets(1e-3, std::exp(9.0)).K, static_cast<int>(std::ceil(9.0 / std::log1p(1e-3))));
}

}  // namespace
}  // namespace mechsweep::persuasion
