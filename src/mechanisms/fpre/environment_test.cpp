#include "mechanisms/fpre/environment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "mechanisms/fpre/base_rule.hpp"
#include "mechanisms/fpre/construction.hpp"
#include "mechanisms/fpre/examples.hpp"
#include "mechanisms/fpre/families.hpp"
#include "mechanisms/fpre/ic.hpp"
#include "mechanisms/fpre/test_support.hpp"

namespace mechsweep::fpre {
namespace {

using test_support::index_of;
using test_support::invalid_argument_message;
using test_support::q;

Environment example1() { return example1_environment(3, {make_outcome({1, 3, 6}, 10)}); }

// Rebuilds `env` with a changed spec.
template <typename Edit>
std::string rejection(const Environment& env, Edit edit) {
  EnvironmentSpec spec = env.spec();
  edit(spec);
  return invalid_argument_message([&] { require_valid(Environment(spec)); });
}

// spec §3.1: validate(Example 1, u_i = x_i) → PASS.
TEST(FpreEnvironment, ExampleOneWithConsistentFamilyPassesAssumptionOne) {
  const Environment env = example1();
  const ValidationReport report = validate(env);
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
  EXPECT_TRUE(report.assumption1_ok);
  EXPECT_TRUE(report.worst_family_consistent);
  EXPECT_TRUE(report.outcomes_permutation_closed);
  EXPECT_TRUE(report.has_symmetric_outcome);
  // A1(ii) margin 1/(n−1) − 1/n = 1/6 and fallback margin 1/3 (spec §3.1).
  const int w2 = env.worst(1);
  EXPECT_EQ(env.outcome(w2), make_outcome({1, 0, 1}, 2));
  EXPECT_EQ(env.u(0, 0, w2) - env.u(0, 0, env.fallback()), q(1, 6));
  EXPECT_EQ(env.u(0, 0, env.fallback()) - env.u(0, 0, env.worst(0)), q(1, 3));
}

// spec §3.1: o* = (1/2,1/4,1/4) → REJECT (not symmetric).
TEST(FpreEnvironment, AsymmetricFallbackIsRejected) {
  const Environment env = example1_environment(3, {make_outcome({2, 1, 1}, 4)});
  const std::string message = rejection(env, [&](EnvironmentSpec& s) {
    s.fallback = index_of(env, make_outcome({2, 1, 1}, 4));
  });
  EXPECT_EQ(message.rfind("fpre: ", 0), 0U);
  EXPECT_NE(message.find("(1/2, 1/4, 1/4) is not symmetric"), std::string::npos) << message;
}

// spec §3.1: o̲^2 = (1,0,0) → REJECT (others not equal: 1 ≠ 0).
TEST(FpreEnvironment, WorstOutcomeTreatingOthersUnequallyIsRejected) {
  const Environment env = example1_environment(3, {make_outcome({1, 0, 0})});
  const std::string message = rejection(env, [&](EnvironmentSpec& s) {
    s.worst[1] = index_of(env, make_outcome({1, 0, 0}));
  });
  EXPECT_NE(message.find("o̲^2 = (1, 0, 0)"), std::string::npos) << message;
  EXPECT_NE(message.find("o̲^i_j = o̲^i_k"), std::string::npos) << message;
}

// spec §1.2 counterexample family: each o̲^i satisfies A1, but not consistent.
TEST(FpreEnvironment, InconsistentWorstFamilyIsRejected) {
  EnvironmentSpec spec;
  spec.type_counts = {1, 1, 1};
  spec.outcomes =
      permutation_closure({make_outcome({2, 3, 5}, 10), make_outcome({0, 5, 5}, 10), make_outcome({1, 0, 1}, 10),
                           make_outcome({2, 2, 0}, 10), make_outcome({0, 0, 0})});
  const ProfileSpace profiles(spec.type_counts);
  spec.prior = uniform_prior(profiles);
  spec.utility =
      tabulate_utility(profiles, spec.outcomes, [](int i, const Profile&, const Outcome& x) { return x[i]; });
  const auto position = [&spec](const Outcome& x) {
    return static_cast<int>(std::find(spec.outcomes.begin(), spec.outcomes.end(), x) - spec.outcomes.begin());
  };
  spec.worst = {position(make_outcome({0, 5, 5}, 10)), position(make_outcome({1, 0, 1}, 10)),
                position(make_outcome({2, 2, 0}, 10))};
  spec.fallback = position(make_outcome({0, 0, 0}));
  const Environment env(spec);
  const ValidationReport report = validate(env);
  EXPECT_TRUE(report.assumption1_ok);
  EXPECT_FALSE(report.worst_family_consistent);
  const std::string message = invalid_argument_message([&] { require_valid(env); });
  EXPECT_NE(message.find("not permutation-consistent: o̲^2 = (1/10, 0, 1/10)"), std::string::npos) << message;
}

TEST(FpreEnvironment, ExampleTwoSatisfiesAssumptionOne) {
  const ValidationReport report = validate(example2_environment());
  EXPECT_TRUE(report.ok());
  EXPECT_TRUE(report.worst_family_consistent);  // a = 0, b = 1
}

// spec §6.2, one input per line.
TEST(FpreEnvironment, RejectsEveryMalformedInputOfSpecSection62) {
  const Environment env = example2_environment(2);
  const auto structural = [&](auto edit) {
    EnvironmentSpec spec = env.spec();
    edit(spec);
    return invalid_argument_message([&] { Environment{spec}; });
  };
  EXPECT_NE(structural([](EnvironmentSpec& s) { s.type_counts = {2}; }).find("n = 1 agents"), std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) {
              s.prior[0] = q(-1, 4);
              s.prior[1] = q(3, 4);
            }).find("p(t = 0) = -1/4"),
            std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) { s.prior[0] = q(1, 2); }).find("sums to 5/4; expected exactly 1"),
            std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) {
              s.outcomes[1] = make_outcome({1, 1, 0}, 2);
            }).find("has 3 coordinates; expected an n-tuple"),
            std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) { s.outcomes[1] = s.outcomes[0]; }).find("repeats"), std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) { s.worst[0] = 7; }).find("o̲^1 has index 7"), std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) { s.fallback = -1; }).find("o* has index -1"), std::string::npos);
  EXPECT_NE(structural([](EnvironmentSpec& s) { s.utility.pop_back(); }).find("utility table"), std::string::npos);
  // NaN / infinite utilities cannot enter as rationals; the converter rejects them.
  EXPECT_NE(invalid_argument_message([] { exact_rational(std::nan(""), "u_1(t=0, o=0)"); }).find("u_1(t=0, o=0) is"),
            std::string::npos);
  EXPECT_NE(invalid_argument_message([] {
              exact_rational(std::numeric_limits<double>::infinity(), "u");
            }).find("expected a finite number"),
            std::string::npos);
  // o̲^i failing A1(i): agent 2 likes (1,0) best under a flipped utility.
  EXPECT_NE(rejection(env,
                      [](EnvironmentSpec& s) {
                        for (std::size_t k = 0; k < s.utility.size() / 2; ++k)
                          s.utility[s.utility.size() / 2 + k] *= -1;
                      })
                .find("Assumption 1(i) fails: agent 2"),
            std::string::npos);
  // u_i(o̲^j) < u_i(o*): Example 1 with o* swapped for a symmetric (1/2,1/2,…) is not a
  // simplex point, so take n = 2 shares with o̲ = (0,1/4),(1/4,0) and o* = (1/2,1/2).
  {
    EnvironmentSpec spec;
    spec.type_counts = {1, 1};
    spec.outcomes = {make_outcome({0, 1}, 4), make_outcome({1, 0}, 4), make_outcome({2, 2}, 4)};
    const ProfileSpace profiles(spec.type_counts);
    spec.prior = uniform_prior(profiles);
    spec.utility =
        tabulate_utility(profiles, spec.outcomes, [](int i, const Profile&, const Outcome& x) { return x[i]; });
    spec.worst = {0, 1};
    spec.fallback = 2;
    const std::string message = invalid_argument_message([&] { require_valid(Environment(spec)); });
    EXPECT_NE(message.find("expected u_i(o̲^j) ≥ u_i(o*)"), std::string::npos) << message;
  }
  // No symmetric outcome.
  {
    EnvironmentSpec spec = env.spec();
    spec.outcomes[1] = make_outcome({1, 3}, 4);
    const ValidationReport report = validate(Environment(spec));
    EXPECT_FALSE(report.has_symmetric_outcome);
    EXPECT_FALSE(report.fallback_symmetric);
    ASSERT_EQ(report.problems.size(), 2U);
    EXPECT_NE(report.problems[1].find("𝒪 has no symmetric outcome"), std::string::npos);
  }
  // μ(t) ∉ 𝒪 and a target whose permutations are not in 𝒪.
  EXPECT_NE(invalid_argument_message([&] {
              scf_from_outcomes(env, std::vector<Outcome>(4, make_outcome({1, 3}, 4)));
            }).find("μ(t = 0) = (1/4, 3/4) is not in 𝒪"),
            std::string::npos);
  {
    EnvironmentSpec spec = env.spec();
    spec.outcomes[2] = make_outcome({1, 3}, 4);  // (0,1) replaced: (1,0) loses its mirror
    spec.worst = {1, 1};
    const Environment broken(spec);
    EXPECT_NE(invalid_argument_message([&] { require_valid_target(broken, Scf(4, 0)); }).find("(0, 1) is missing"),
              std::string::npos);
  }
  // K < K_min and m' < 1.
  const std::vector<int> targets{0, 1};
  EXPECT_NE(invalid_argument_message([&] { BaseRule(env, targets, 2); }).find("expected K ≥ K_min = 3"),
            std::string::npos);
  EXPECT_NE(invalid_argument_message([] { PasswordTable(1, 0); }).find("m' = 0; expected m' ≥ 1"), std::string::npos);
  EXPECT_NE(invalid_argument_message([] { parse_prior_family("gaussian"); }).find("unknown prior family 'gaussian'"),
            std::string::npos);
}

TEST(FpreEnvironment, ExactRationalIsExactForDoubles) {
  EXPECT_EQ(exact_rational(0.5, "x"), q(1, 2));
  EXPECT_EQ(exact_rational(-3.0, "x"), q(-3));
  EXPECT_EQ(exact_rational(0.1, "x"), Rational(Integer{3602879701896397}, Integer{36028797018963968}));
  EXPECT_EQ(exact_rational(0.0, "x"), q(0));
}

TEST(FpreEnvironment, ProfileSpaceRoundTripsAndReplacesTypes) {
  const ProfileSpace space({2, 3, 2});
  EXPECT_EQ(space.size(), 12);
  for (std::int64_t t = 0; t < space.size(); ++t) EXPECT_EQ(space.encode(space.decode(t)), t);
  const std::int64_t t = space.encode(std::vector<int>{1, 2, 0});
  EXPECT_EQ(space.decode(space.with_type(t, 1, 0)), (Profile{1, 0, 0}));
}

TEST(FpreEnvironment, GeneratedPriorsSumToOneExactly) {
  const ProfileSpace space({3, 3, 2});
  for (const auto family :
       {PriorFamily::independent_uniform, PriorFamily::random_dirichlet, PriorFamily::correlated_mixture}) {
    Rational total = 0;
    for (const Rational& p : make_prior(space, family, 7, q(1, 3))) {
      EXPECT_GE(p, 0);
      total += p;
    }
    EXPECT_EQ(total, 1) << to_string(family);
    EXPECT_EQ(parse_prior_family(to_string(family)), family);
  }
  // The mixture puts ρ/L extra weight on each diagonal profile.
  const std::vector<Rational> prior = make_prior(space, PriorFamily::correlated_mixture, 0, q(1, 2));
  EXPECT_EQ(prior[0], q(1, 2) * q(1, 18) + q(1, 6));
  EXPECT_EQ(prior[space.encode(std::vector<int>{0, 1, 0})], q(1, 36));
}

TEST(FpreEnvironment, ShareEnvironmentsPassValidation) {
  for (int n = 2; n <= 3; ++n) {
    for (const bool disposal : {false, true}) {
      ShareEnvironmentParams params;
      params.agents = n;
      params.denominator = n * (n - 1) * (n == 2 ? 2 : 1);
      params.free_disposal = disposal;
      params.seed = 11;
      const Environment env = make_share_environment(params);
      const ValidationReport report = validate(env);
      EXPECT_TRUE(report.ok()) << n << disposal << (report.problems.empty() ? "" : report.problems.front());
      EXPECT_TRUE(report.outcomes_permutation_closed);
    }
  }
}

}  // namespace
}  // namespace mechsweep::fpre
