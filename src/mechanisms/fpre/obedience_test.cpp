#include "mechanisms/fpre/obedience.hpp"

#include <gtest/gtest.h>

#include <random>

#include "mechanisms/fpre/coalitions.hpp"
#include "mechanisms/fpre/construction.hpp"
#include "mechanisms/fpre/examples.hpp"
#include "mechanisms/fpre/families.hpp"
#include "mechanisms/fpre/test_support.hpp"

namespace mechsweep::fpre {
namespace {

using test_support::index_of;
using test_support::q;

// spec §3.2: agent 2's best guess gains 1/(2m') for every finite m'; m'_crit = ∞.
TEST(FpreObedience, ExampleTwoGuessGainsOneOverTwoMPrime) {
  const Environment env = example2_environment();
  const Scf mu{0};
  const BaseRule base = base_rule_for(env, mu);
  for (const std::int64_t grid : {1, 2, 10, 1000}) {
    const ObedienceReport report = analyse_obedience(env, mu, base, grid);
    EXPECT_EQ(report.max_expost_gain, q(1, 2 * grid)) << grid;
    EXPECT_EQ(report.max_interim_gain, q(1, 2 * grid)) << grid;
    EXPECT_EQ(report.eta_achieved, q(1, grid));
    EXPECT_FALSE(report.obedient_expost);
    ASSERT_TRUE(report.expost_witness.has_value());
    EXPECT_EQ(report.expost_witness->agent, 1);
    EXPECT_EQ(report.expost_witness->best_guess, 1);  // agent 1's index: a diagonal profile
    EXPECT_EQ(env.outcome(report.expost_witness->guess_outcome), make_outcome({1, 1}, 2));
  }
  const ObedienceReport report = analyse_obedience(env, mu, base, 10);
  EXPECT_TRUE(report.m_crit_expost.infinite);
  EXPECT_TRUE(report.m_crit_interim.infinite);
  EXPECT_EQ(report.gaps.alpha, 0);
  ASSERT_TRUE(report.gaps.alpha_refined.has_value());
  EXPECT_EQ(*report.gaps.alpha_refined, 0);
  EXPECT_EQ(report.gaps.alpha_ds, 0);
  EXPECT_EQ(report.gaps.reach, 1);
  EXPECT_FALSE(report.gaps.d_over_alpha.has_value());
  EXPECT_FALSE(report.obedient_ds_bound);
  // Continuum: the guess passes with probability 0, gain 0, weakly obedient.
  const ObedienceReport continuum = analyse_obedience(env, mu, base, std::nullopt);
  EXPECT_EQ(continuum.max_expost_gain, 0);
  EXPECT_TRUE(continuum.obedient_expost);
  EXPECT_TRUE(continuum.obedient_interim);
  EXPECT_EQ(continuum.eta_achieved, 0);
}

// spec §3.4 KAT-D1: a unilateral guess gives (∅,∅), gain −1 for any m'.
TEST(FpreObedience, KatD1UnilateralGuessLosesOne) {
  const Environment env = kat_d1_environment();
  const Scf mu{0};
  const BaseRule base = base_rule_for(env, mu);
  for (const std::int64_t grid : {1, 3, 1000}) {
    const ObedienceReport report = analyse_obedience(env, mu, base, grid);
    EXPECT_EQ(report.max_expost_gain, -1);
    // Interim strategies include obeying, so the best one gains exactly 0.
    EXPECT_EQ(report.max_interim_gain, 0);
    EXPECT_TRUE(report.obedient_expost);
    EXPECT_TRUE(report.obedient_interim);
    EXPECT_FALSE(report.improving_guess_exists);
    EXPECT_EQ(report.eta_achieved, 0);
    EXPECT_EQ(report.m_crit_expost.to_string(), "1");
  }
}

// spec §6.3 tie: worst share 0, on path 1/20, best reachable 7/10 → gain 0 at m' = 14.
TEST(FpreObedience, TieAtFourteenIsNotAnImprovement) {
  EnvironmentSpec spec;
  spec.type_counts = {1, 1};
  spec.outcomes = {make_outcome({1, 20}, 20), make_outcome({20, 1}, 20), make_outcome({7, 7}, 10),
                   make_outcome({0, 7}, 10), make_outcome({7, 0}, 10)};
  const ProfileSpace profiles(spec.type_counts);
  spec.prior = uniform_prior(profiles);
  spec.utility =
      tabulate_utility(profiles, spec.outcomes, [](int i, const Profile&, const Outcome& x) { return x[i]; });
  spec.worst = {3, 4};
  spec.fallback = 2;
  const Environment env(spec);
  ASSERT_TRUE(validate(env).ok());
  const Scf mu{0};
  const BaseRule base = base_rule_for(env, mu);
  const ObedienceReport at14 = analyse_obedience(env, mu, base, 14);
  EXPECT_EQ(at14.max_expost_gain, 0);
  EXPECT_TRUE(at14.obedient_expost);
  EXPECT_TRUE(at14.obedient_interim);
  EXPECT_EQ(at14.m_crit_expost.to_string(), "14");
  EXPECT_EQ(at14.m_crit_interim.to_string(), "14");
  EXPECT_EQ(at14.eta_achieved, q(1, 14));  // the guess still strictly improves with probability 1/14
  const ObedienceReport at13 = analyse_obedience(env, mu, base, 13);
  EXPECT_EQ(at13.max_expost_gain, q(1, 260));
  EXPECT_FALSE(at13.obedient_expost);
  // α = 1/20 but D = 1 (agent 2's own on-path share): the uniform bound D/α = 20
  // is sufficient, not tight; the instance-exact m'_crit is 14.
  EXPECT_EQ(at14.gaps.alpha, q(1, 20));
  EXPECT_EQ(at14.gaps.reach, 1);
  EXPECT_EQ(*at14.gaps.d_over_alpha, 20);
}

// spec §3.4 KAT-D4: u_i → a_i·u_i + b_i(t) changes no verdict, m'_crit or η.
TEST(FpreObedience, KatD4AffineRescalingChangesNoVerdict) {
  std::mt19937_64 rng(4);
  for (int round = 0; round < 6; ++round) {
    ShareEnvironmentParams params;
    params.agents = 2;
    params.types = 2;
    params.denominator = 4;
    params.prior = PriorFamily::random_dirichlet;
    params.seed = rng();
    const Environment env = make_share_environment(params);
    const Scf mu = make_scf(env, static_cast<ScfFamily>(rng() % 3), rng());
    EnvironmentSpec spec = env.spec();
    const auto scale = [](int i) { return i == 0 ? q(3) : q(2, 7); };
    const std::int64_t nt = env.profiles().size() * env.outcome_count();
    for (int i = 0; i < 2; ++i) {
      for (std::int64_t t = 0; t < env.profiles().size(); ++t) {
        for (int o = 0; o < env.outcome_count(); ++o) {
          Rational& u = spec.utility[static_cast<std::size_t>(i * nt + t * env.outcome_count() + o)];
          u = scale(i) * u + q(static_cast<std::int64_t>(t) - 5 * i, 3);
        }
      }
    }
    const Environment scaled(spec);
    const BaseRule base = base_rule_for(env, mu);
    const BaseRule scaled_base = base_rule_for(scaled, mu);
    const IcReport ic = check_ic(env, mu);
    const IcReport ic2 = check_ic(scaled, mu);
    EXPECT_EQ(ic.bic, ic2.bic);
    EXPECT_EQ(ic.weak_dsic, ic2.weak_dsic);
    EXPECT_EQ(ic.strict_dsic, ic2.strict_dsic);
    for (const std::int64_t grid : {1, 3, 50}) {
      const ObedienceReport a = analyse_obedience(env, mu, base, grid);
      const ObedienceReport b = analyse_obedience(scaled, mu, scaled_base, grid);
      EXPECT_EQ(a.obedient_expost, b.obedient_expost);
      EXPECT_EQ(a.obedient_interim, b.obedient_interim);
      EXPECT_EQ(a.m_crit_expost.to_string(), b.m_crit_expost.to_string());
      EXPECT_EQ(a.m_crit_interim.to_string(), b.m_crit_interim.to_string());
      EXPECT_EQ(a.eta_achieved, b.eta_achieved);
    }
    // A common scale a multiplies α and D and leaves D/α alone.
    EnvironmentSpec common = env.spec();
    for (Rational& u : common.utility) u *= 5;
    const Environment times5(common);
    const GapReport g = utility_gaps(env, mu, base);
    const GapReport g5 = utility_gaps(times5, mu, base_rule_for(times5, mu));
    EXPECT_EQ(g5.alpha, 5 * g.alpha);
    EXPECT_EQ(g5.reach, 5 * g.reach);
    EXPECT_EQ(g5.d_over_alpha.has_value(), g.d_over_alpha.has_value());
    if (g.d_over_alpha) {
      EXPECT_EQ(*g5.d_over_alpha, *g.d_over_alpha);
    }
  }
}

// Invariants of §2.5 / §5.4 on random instances: gains fall with m', the
// critical grid separates obedient from not, D/α suffices, and at x = 0 the
// misreport-then-obey value is the BIC gain.
TEST(FpreObedience, RandomInstancesRespectTheCriticalGridAndTheUniformBound) {
  std::mt19937_64 rng(77);
  for (int round = 0; round < 12; ++round) {
    ShareEnvironmentParams params;
    params.agents = 2 + static_cast<int>(rng() % 2);
    params.types = 2;
    params.denominator = params.agents == 2 ? 4 : 6;
    params.free_disposal = rng() % 2 == 0;
    params.prior = static_cast<PriorFamily>(rng() % 3);
    params.seed = rng();
    const Environment env = make_share_environment(params);
    // Half the rounds floor every share at 1/d, so α > 0 and D/α is exercised.
    const Rational floor(static_cast<std::int64_t>(round % 2), params.denominator);
    const Scf mu = make_scf(env, static_cast<ScfFamily>(rng() % 3), rng(), floor);
    const BaseRule base = base_rule_for(env, mu);
    const IcReport ic = check_ic(env, mu);
    if (floor > 0) {
      EXPECT_GT(utility_gaps(env, mu, base).alpha, 0) << round;
      EXPECT_FALSE(analyse_obedience(env, mu, base, 1).m_crit_expost.infinite) << round;
    }
    Rational previous_expost;
    Rational previous_interim;
    for (const std::int64_t grid : {1, 2, 3, 5, 8, 20, 100}) {
      const ObedienceReport r = analyse_obedience(env, mu, base, grid);
      EXPECT_EQ(r.obedient_expost, r.m_crit_expost.admits(grid)) << round << " " << grid;
      EXPECT_EQ(r.obedient_interim, r.m_crit_interim.admits(grid)) << round << " " << grid;
      if (grid > 1) {
        EXPECT_LE(r.max_expost_gain, previous_expost);
        EXPECT_LE(r.max_interim_gain, previous_interim);
      }
      previous_expost = r.max_expost_gain;
      previous_interim = r.max_interim_gain;
      if (r.gaps.d_over_alpha && Rational{grid} >= *r.gaps.d_over_alpha) {
        EXPECT_TRUE(r.obedient_expost);
      }
      EXPECT_EQ(r.eta_achieved, r.improving_guess_exists ? q(1, grid) : q(0));
    }
    Rational worst_misreport = -1000;
    for (const InterimCase& c : interim_cases(env, mu, base)) {
      if (c.reported_type != c.true_type) worst_misreport = std::max(worst_misreport, c.gain(Rational{0}));
    }
    EXPECT_EQ(worst_misreport, ic.max_bic_violation) << round;
    if (!ic.bic) {
      EXPECT_TRUE(analyse_obedience(env, mu, base, 5).m_crit_interim.infinite);
    }
  }
}

// spec §3.4 KAT-D1: the grand coalition swaps messages to (B,A): both gain 1.
TEST(FpreCoalitions, KatD1GrandCoalitionSwapIsProfitable) {
  const Environment env = kat_d1_environment();
  const Scf mu{0};
  const BaseRule base = base_rule_for(env, mu);
  const CoalitionReach reach = coalition_reach(env, mu, base, 0, 0b11);
  EXPECT_EQ(reach.profiles, 4);
  EXPECT_EQ(reach.outcomes.size(), 3U);
  EXPECT_TRUE(reach.contains_all_permutations);
  EXPECT_TRUE(reach.strictly_profitable);
  EXPECT_EQ(reach.max_coalition_gain, 1);
  EXPECT_EQ(env.outcome(reach.best_outcome), make_outcome({2, 1}));
  EXPECT_FALSE(coalition_reach(env, mu, base, 0, 0b01).weakly_profitable);
}

// spec §3.4 KAT-D2: 27 profiles / 7 outcomes for the grand coalition, 4 / 3 for {1,2}.
TEST(FpreCoalitions, KatD2ReachableSets) {
  const Outcome o = make_outcome({2, 3, 5}, 10);
  const Environment env = example1_environment(3, {o});
  const Scf mu{index_of(env, o)};
  const BaseRule base = base_rule_for(env, mu);
  const CoalitionReach grand = coalition_reach(env, mu, base, 0, 0b111);
  EXPECT_EQ(grand.profiles, 27);
  EXPECT_EQ(grand.outcomes.size(), 7U);
  EXPECT_TRUE(grand.contains_all_permutations);
  const CoalitionReach pair = coalition_reach(env, mu, base, 0, 0b011);
  EXPECT_EQ(pair.profiles, 4);
  ASSERT_EQ(pair.outcomes.size(), 3U);
  std::vector<Outcome> got;
  for (const int x : pair.outcomes) got.push_back(env.outcome(x));
  std::sort(got.begin(), got.end());
  std::vector<Outcome> expected{o, make_outcome({3, 2, 5}, 10), make_outcome({1, 1, 1}, 3)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
  // The swap helps agent 1 and hurts agent 2, but both sending the same message
  // gives o* = (1/3,1/3,1/3): +2/15 and +1/30, a strict Pareto gain.
  EXPECT_TRUE(pair.strictly_profitable);
  EXPECT_EQ(pair.max_coalition_gain, q(1, 30));
  EXPECT_EQ(env.outcome(pair.best_outcome), make_outcome({1, 1, 1}, 3));
  // With fail actions o̲^1, o̲^2 join the set.
  EXPECT_EQ(coalition_reach(env, mu, base, 0, 0b011, true).outcomes.size(), 5U);
}

}  // namespace
}  // namespace mechsweep::fpre
