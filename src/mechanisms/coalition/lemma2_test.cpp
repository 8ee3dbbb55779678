// The Lemma 2 witness type space (spec 001 §2.2 "Executable test", §2.8 item 5):
// when RCIC holds and RCM fails, the deceptive profile σ*∘α of the direct
// mechanism is a bad interim 𝒮̲ equilibrium.

#include "mechanisms/coalition/lemma2.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "mechanisms/coalition/examples.hpp"
#include "mechanisms/coalition/ic.hpp"
#include "mechanisms/coalition/pattern.hpp"
#include "mechanisms/coalition/random_instances.hpp"
#include "mechanisms/coalition/reward.hpp"
#include "mechanisms/coalition/test_helpers.hpp"

namespace mechsweep::coalition {
namespace {

using test_support::invalid_argument_message;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every reflexive profile of a two-type-per-agent instance, in engine order.
std::vector<DeceptionProfile> reflexive_deceptions(const Instance& instance) {
  const int n = instance.agents();
  std::vector<std::uint64_t> per_agent(static_cast<std::size_t>(n));
  std::uint64_t total = 1;
  for (int i = 0; i < n; ++i) total *= per_agent[i] = deception_count(instance.profiles().types(i), true);
  std::vector<DeceptionProfile> all;
  for (std::uint64_t index = 0; index < total; ++index) {
    DeceptionProfile beta;
    std::uint64_t rest = index;
    for (int i = 0; i < n; ++i) {
      beta.push_back(agent_deception(instance.profiles().types(i), rest % per_agent[i], true));
      rest /= per_agent[i];
    }
    all.push_back(std::move(beta));
  }
  return all;
}

// β violates RCM iff no singleton clause dissolves it, which is exactly when
// failing_conjectures does not throw.
bool undissolved(const Instance& instance, const DeceptionProfile& beta) {
  if (acceptable(instance, beta)) return false;
  try {
    failing_conjectures(instance, beta);
    return true;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

// Everything spec §2.2 and §2.8 item 5 require of the witness for β; returns
// the witness so callers can check more.
Lemma2Witness check_witness(const Instance& instance, const DeceptionProfile& beta) {
  SCOPED_TRACE(describe(beta));
  const int n = instance.agents();
  const ProfileSpace& profiles = instance.profiles();
  const Lemma2Conjectures conjectures = failing_conjectures(instance, beta);
  EXPECT_EQ(static_cast<int>(conjectures.size()), n);

  // Each conjecture really is failing: against it the best reward in Y_i
  // gives no strict gain over f.
  SolverCounters counters;
  for (int i = 0; i < n; ++i) {
    std::vector<Coalition> up_set;
    for (Coalition c = 1; c <= all_agents(n); ++c) {
      if (is_member(c, i)) up_set.push_back(c);
    }
    const RewardSet rewards(instance, singleton(i), up_set);
    for (const FailingConjecture& psi : conjectures[i]) {
      EXPECT_NEAR(std::accumulate(psi.weights.begin(), psi.weights.end(), 0.0), 1.0, 1e-9);
      const std::vector<std::vector<double>> beliefs{psi.weights};
      const auto best = best_reward_against(instance, rewards, static_cast<std::size_t>(psi.truth),
                                            static_cast<std::size_t>(psi.report), psi.gamma, beliefs, counters);
      if (best) {
        EXPECT_FALSE(instance.strictly_greater(best->value, 0.0))
            << "agent " << i << " (" << psi.truth << " → " << psi.report << ") gains " << best->value;
      }
    }
  }

  Lemma2Witness witness = lemma2_type_space(instance, beta, conjectures);
  const TypeSpace& types = witness.types;
  for (int i = 0; i < n; ++i) {
    int first = 0;
    for (int theta = 0; theta < profiles.types(i); ++theta) first += std::popcount(beta[i][theta]);
    EXPECT_EQ(witness.first_stage_count(i), first);
    EXPECT_EQ(types.types(i), first + static_cast<int>(profiles.size()));
    for (int t = 0; t < types.types(i); ++t) {
      const auto belief = types.belief(i, t);
      EXPECT_NEAR(std::accumulate(belief.begin(), belief.end(), 0.0), 1.0, 1e-9);
      EXPECT_TRUE(std::all_of(belief.begin(), belief.end(), [](double p) { return p >= 0.0; }));
    }
  }
  // Every type believes only in the others' T¹ types.
  for (std::size_t profile = 0; profile < types.profiles().size(); ++profile) {
    for (int i = 0; i < n; ++i) {
      if (types.prior(i, profile) == 0.0) continue;
      for (int j = 0; j < n; ++j) {
        if (j != i) {
          EXPECT_LT(types.profiles().type_of(profile, j), witness.first_stage_count(j));
        }
      }
    }
  }

  const FiniteMechanism direct = direct_mechanism(instance);
  const auto bad = bad_type_profiles(instance, types, direct, witness.deceptive);
  EXPECT_FALSE(bad.empty());
  EXPECT_TRUE(std::find(bad.begin(), bad.end(), witness.bad_profile) != bad.end());
  const auto deviation = find_profitable_deviation(instance, types, direct, witness.deceptive, Pattern::singletons(n));
  EXPECT_FALSE(deviation.has_value()) << "agent " << first_member(deviation->coalition) << " type "
                                      << deviation->types[0] << " gains " << deviation->gains[0] << " by reporting "
                                      << deviation->messages[0];
  return witness;
}

// Example 2: RCIC holds and RCM fails, and the grand coalition is what saves
// the direct mechanism, so the witness must survive 𝒮̲ and fall to 𝒮̄.
TEST(Lemma2ExampleTwo, FirstUndissolvedDeceptionIsABadInterimEquilibrium) {
  const Instance instance = example2().instance;
  ASSERT_TRUE(IcTable(instance).rcic());
  MonotonicityEngine engine(instance);
  const auto rcm = engine.robust_coalitional_monotonicity();
  ASSERT_EQ(rcm.holds, Truth::no);
  ASSERT_TRUE(rcm.first_undissolved.has_value());
  const DeceptionProfile& beta = *rcm.first_undissolved;
  ASSERT_FALSE(acceptable(instance, beta));
  ASSERT_TRUE(is_reflexive(beta[0]) && is_reflexive(beta[1]));

  const Lemma2Witness witness = check_witness(instance, beta);
  for (int i = 0; i < 2; ++i) {
    const int first = std::popcount(beta[i][0]) + std::popcount(beta[i][1]);
    EXPECT_EQ(witness.types.types(i), first + 4);
  }
  // The bad T¹ profile: payoff types θ, reports θ' with f(θ) ≠ f(θ').
  const auto& type_profiles = witness.types.profiles();
  std::vector<int> truth, report;
  for (int i = 0; i < 2; ++i) {
    const int t = type_profiles.type_of(witness.bad_profile, i);
    ASSERT_LT(t, witness.first_stage_count(i));
    truth.push_back(witness.first_stage[i][t].first);
    report.push_back(witness.first_stage[i][t].second);
  }
  const ProfileSpace& profiles = instance.profiles();
  EXPECT_FALSE(instance.scf().same_outcome(profiles.profile_of(truth), profiles.profile_of(report)));

  const FiniteMechanism direct = direct_mechanism(instance);
  EXPECT_TRUE(is_interim_equilibrium(instance, witness.types, direct, witness.deceptive, Pattern::singletons(2)));
  const auto strong = find_profitable_deviation(instance, witness.types, direct, witness.deceptive, Pattern::all(2));
  ASSERT_TRUE(strong.has_value());
  EXPECT_EQ(strong->coalition, all_agents(2));
  EXPECT_FALSE(is_interim_equilibrium(instance, witness.types, direct, witness.deceptive, Pattern::all(2)));
  // Truth-telling on the same type space is a good strong equilibrium: the
  // witness is bad because of α, not because of the beliefs.
  const StrategyProfile truthful = truthful_strategies(witness.types);
  EXPECT_TRUE(bad_type_profiles(instance, witness.types, direct, truthful).empty());
  EXPECT_TRUE(is_interim_equilibrium(instance, witness.types, direct, truthful, Pattern::all(2)));
}

// Every reflexive β that RCM leaves undissolved (3 of the 15 unacceptable
// ones, as the engine counts) yields a bad interim equilibrium that the grand
// coalition breaks; also with the disposal outcomes of spec §3.2.
TEST(Lemma2ExampleTwo, EveryUndissolvedReflexiveDeception) {
  for (const auto& disposal : {std::vector<double>{}, std::vector<double>{10, 11}}) {
    const Instance instance = example2(disposal).instance;
    MonotonicityEngine engine(instance);
    const auto rcm = engine.robust_coalitional_monotonicity();
    EXPECT_EQ(rcm.undissolved, 3U);
    std::uint64_t found = 0;
    const FiniteMechanism direct = direct_mechanism(instance);
    for (const DeceptionProfile& beta : reflexive_deceptions(instance)) {
      if (!undissolved(instance, beta)) continue;
      ++found;
      const Lemma2Witness witness = check_witness(instance, beta);
      EXPECT_FALSE(is_interim_equilibrium(instance, witness.types, direct, witness.deceptive, Pattern::all(2)))
          << describe(beta);
    }
    EXPECT_EQ(found, rcm.undissolved);
    EXPECT_EQ(found, 3U);
  }
}

// Spec §2.8 item 5 on random n = 2, k = 2 instances: whenever RCIC holds and
// RCM fails, every undissolved reflexive β gives a bad interim 𝒮̲ equilibrium.
// Efficient SCFs give most hits (spec §5.7 Run A); random ones rarely satisfy
// EPIC but are scanned too.
TEST(Lemma2Property, RandomInstancesWithRcicButNotRcm) {
  constexpr int kWanted = 5;
  constexpr std::uint64_t kSeeds = 300;
  int hits = 0;
  int witnesses = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds && hits < kWanted; ++seed) {
    const int outcomes = seed % 2 == 0 ? 3 : 4;
    const ScfFamily family = seed % 3 == 0 ? ScfFamily::random : ScfFamily::efficient;
    const Instance instance = random_instance({2, 2}, outcomes, UtilityModel::iid, family, seed);
    if (!IcTable(instance).rcic()) continue;
    MonotonicityEngine engine(instance);
    const auto rcm = engine.robust_coalitional_monotonicity();
    if (rcm.holds != Truth::no) continue;
    SCOPED_TRACE("seed " + std::to_string(seed));
    ++hits;
    std::uint64_t found = 0;
    for (const DeceptionProfile& beta : reflexive_deceptions(instance)) {
      if (!undissolved(instance, beta)) continue;
      ++found;
      check_witness(instance, beta);
    }
    EXPECT_EQ(found, rcm.undissolved);
    witnesses += static_cast<int>(found);
  }
  EXPECT_GE(hits, 3) << "too few instances with RCIC and not RCM in " << kSeeds << " seeds";
  EXPECT_GE(witnesses, hits);
}

// Example 1B satisfies RCM: every unacceptable reflexive β is dissolved, so
// none can carry the witness.
TEST(Lemma2Errors, RejectsDeceptionsThatRcmDissolves) {
  const Instance instance = example1(2, 2, 0.5).instance;
  int unacceptable = 0;
  for (const DeceptionProfile& beta : reflexive_deceptions(instance)) {
    if (acceptable(instance, beta)) continue;
    ++unacceptable;
    const std::string message = invalid_argument_message([&] { failing_conjectures(instance, beta); });
    EXPECT_THAT(message, StartsWith("coalition: "));
    EXPECT_THAT(message, HasSubstr("does not witness a failure of robust coalitional monotonicity"));
  }
  EXPECT_EQ(unacceptable, 15);
}

TEST(Lemma2Errors, RejectsUnfitDeceptionsAndConjectures) {
  const Instance instance = example2().instance;
  // Acceptable: the identity.
  const DeceptionProfile identity{{1U, 2U}, {1U, 2U}};
  EXPECT_THAT(invalid_argument_message([&] { failing_conjectures(instance, identity); }), HasSubstr("acceptable"));
  // Not reflexive.
  const DeceptionProfile swap{{2U, 1U}, {1U, 2U}};
  EXPECT_THAT(invalid_argument_message([&] { failing_conjectures(instance, swap); }), HasSubstr("reflexive"));
  // Wrong shapes.
  EXPECT_THAT(invalid_argument_message([&] { failing_conjectures(instance, {{1U, 2U}}); }), StartsWith("coalition: "));
  EXPECT_THAT(invalid_argument_message([&] {
                failing_conjectures(instance, {{1U, 2U}, {1U, 4U}});
              }),
              HasSubstr("non-empty subset"));

  MonotonicityEngine engine(instance);
  const DeceptionProfile beta = *engine.robust_coalitional_monotonicity().first_undissolved;
  const Lemma2Conjectures good = failing_conjectures(instance, beta);
  Lemma2Conjectures missing = good;
  missing[1].pop_back();
  EXPECT_THAT(invalid_argument_message([&] { lemma2_type_space(instance, beta, missing); }), HasSubstr("conjectures"));
  Lemma2Conjectures unnormalised = good;
  unnormalised[0][0].weights[0] += 0.5;
  EXPECT_THAT(invalid_argument_message([&] { lemma2_type_space(instance, beta, unnormalised); }), HasSubstr("sum to"));
  // A pair outside Γ_{−0}(β): report 1 for a type whose β excludes it, if any.
  Lemma2Conjectures outside = good;
  const auto gamma = conjecture_pairs(instance, beta, 0);
  if (gamma.size() < 4) {
    ConjecturePair stray{};
    for (std::uint32_t a = 0; a < 2; ++a) {
      for (std::uint32_t b = 0; b < 2; ++b) {
        const bool listed = std::any_of(gamma.begin(), gamma.end(), [&](const ConjecturePair& p) {
          return p.outsider_truth == a && p.outsider_report == b;
        });
        if (!listed) stray = {a, b};
      }
    }
    outside[0][0].gamma = {stray};
    outside[0][0].weights = {1.0};
    EXPECT_THAT(invalid_argument_message([&] { lemma2_type_space(instance, beta, outside); }), HasSubstr("outside Γ"));
  }
}

}  // namespace
}  // namespace mechsweep::coalition
