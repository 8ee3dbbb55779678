#include "mechanisms/fpre/test_support.hpp"
#include "mechanisms/fpre/continuity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace mechsweep::fpre {
namespace {

ContinuityParams point(int n, double z, std::int64_t ell, double c = 1.0) {
  ContinuityParams params;
  params.n = n;
  params.z = z;
  params.ell = ell;
  params.c = c;
  return params;
}

Rational q(std::int64_t num, std::int64_t den) { return Rational(num) / Rational(den); }

using test_support::rejection;

// spec §3.3 table, exact rationals: max{6z,1/ℓ}, η̄_paper, union bound, and the
// different-index escape 3z(ℓ+1)/ℓ at w' = 1/2; joint = 1 − E_j[(1 − 6β_1)^n].
TEST(FpreContinuity, SpecTableExactRationals) {
  struct Row {
    int n;
    Rational z;
    std::int64_t ell;
    Rational max_term, paper, union_bound, different, joint;
  };
  const std::vector<Row> rows = {
      {2, q(1, 100), 100, q(3, 50), q(291, 2500), q(3, 25), q(303, 10000), q(2969097, 50000000)},
      {3, q(1, 100), 100, q(3, 50), q(21177, 125000), q(9, 50), q(303, 10000), q(436504527, 5000000000)},
      {2, q(1, 20), 10, q(3, 10), q(51, 100), q(3, 5), q(33, 200), q(5907, 20000)},
      {2, q(1, 10), 10, q(3, 5), q(21, 25), q(6, 5), q(33, 100), q(2607, 5000)},
  };
  for (const Row& row : rows) {
    const ExactContinuity exact = exact_continuity(row.n, row.z, row.ell, Rational(1), q(1, 20000));
    EXPECT_EQ(exact.max_term, row.max_term) << row.n << " " << row.z;
    EXPECT_EQ(exact.eta_bound_paper, row.paper) << row.n << " " << row.z;
    EXPECT_EQ(exact.eta_union_bound, row.union_bound) << row.n << " " << row.z;
    EXPECT_EQ(exact.eta_single_bound, row.max_term);
    EXPECT_EQ(exact.different_index_escape, row.different) << row.n << " " << row.z;
    EXPECT_EQ(exact.joint_escape, row.joint) << row.n << " " << row.z;
    // The closed form 3z(ℓ+1)/ℓ (spec §2.6, z ≤ 1/6).
    EXPECT_EQ(exact.different_index_escape, Rational(3) * row.z * (row.ell + 1) / row.ell);
  }
}

// spec §3.3: 0.1164, 0.169416, 0.51, 0.84 and 0.0303, 0.165, 0.33 in double.
TEST(FpreContinuity, SpecTableDoubles) {
  EXPECT_NEAR(eta_bound_paper(point(2, 0.01, 100)), 0.1164, 1e-12);
  EXPECT_NEAR(eta_bound_paper(point(3, 0.01, 100)), 0.169416, 1e-12);
  EXPECT_NEAR(eta_bound_paper(point(2, 0.05, 10)), 0.51, 1e-12);
  EXPECT_NEAR(eta_bound_paper(point(2, 0.1, 10)), 0.84, 1e-12);
  EXPECT_NEAR(eta_union_bound(point(2, 0.1, 10)), 1.2, 1e-12);
  EXPECT_NEAR(different_index_escape(point(2, 0.01, 100)), 0.0303, 1e-12);
  EXPECT_NEAR(different_index_escape(point(2, 0.05, 10)), 0.165, 1e-12);
  EXPECT_NEAR(different_index_escape(point(2, 0.1, 10)), 0.33, 1e-12);
  EXPECT_NEAR(different_index_escape_sup(point(2, 0.1, 10)), 0.33, 1e-12);
  EXPECT_NEAR(joint_escape(point(3, 0.01, 100)), 0.0873009054, 1e-12);
}

// spec §3.3 same-index band, z = 0.01, ℓ = 100, c = 1: 1/100 inside a band,
// 0 on a grid point (open band) and 0 for d ≥ z. The spec lists d = 0.0035 as
// 1/100, but 0.0035 = 35·z/ℓ is itself a grid point (β_1 = d at j = 35, β_0 = d
// at j = 36), so by the spec's own open-band rule it is 0; 0.00355 is 1/100.
TEST(FpreContinuity, SameIndexBandKnownAnswers) {
  const auto exact = [](const Rational& d) {
    return exact_continuity(2, q(1, 100), 100, Rational(1), d).same_index_escape;
  };
  EXPECT_EQ(exact(q(5, 100000)), q(1, 100));
  EXPECT_EQ(exact(q(35, 10000)), Rational(0));
  EXPECT_EQ(exact(q(355, 100000)), q(1, 100));
  EXPECT_EQ(exact(q(99, 10000)), Rational(0));
  EXPECT_EQ(exact(q(2, 100)), Rational(0));
  ContinuityParams params = point(2, 0.01, 100);
  for (const auto& [d, expected] : std::vector<std::pair<double, double>>{
           {0.00005, 0.01}, {0.0035, 0.0}, {0.00355, 0.01}, {0.0099, 0.0}, {0.02, 0.0}, {0.0001, 0.0}}) {
    params.same_index_distance = d;
    EXPECT_DOUBLE_EQ(same_index_escape(params), expected) << d;
  }
  // With c = 1/2 the bands ((j − 1/2)z/ℓ, jz/ℓ) leave gaps: d = 0.25·z/ℓ is in none.
  EXPECT_EQ(exact_continuity(2, q(1, 100), 100, q(1, 2), q(1, 40000)).same_index_escape, Rational(0));
  EXPECT_EQ(exact_continuity(2, q(1, 100), 100, q(1, 2), q(3, 40000)).same_index_escape, q(1, 100));
}

// spec §3.3 parameters for a target η (paper criterion): ℓ ≥ 40, 59, 299 and
// z below 0.0042201, 0.0028254, 0.00055742.
TEST(FpreContinuity, SolverReproducesSpecTable) {
  struct Row {
    int n;
    double eta;
    std::int64_t ell;
    double z_sup;
  };
  for (const Row& row : {Row{2, 0.05, 40, 0.0042201}, Row{3, 0.05, 59, 0.0028254}, Row{3, 0.01, 299, 0.00055742}}) {
    const EtaSolution solution = solve_for_eta(row.n, row.eta, 1.0, EtaCriterion::paper);
    EXPECT_EQ(solution.ell, row.ell) << row.n << " " << row.eta;
    EXPECT_NEAR(solution.z_supremum, row.z_sup, 5e-7) << row.n << " " << row.eta;
    EXPECT_LT(solution.z, solution.z_supremum);
    EXPECT_LT(solution.achieved, row.eta);
  }
}

// The η-solver's output reaches the target under its own criterion, and it is
// tight: one ℓ fewer, or z at its supremum, no longer does.
TEST(FpreContinuity, SolverOutputReachesTargetAndIsTight) {
  for (const EtaCriterion criterion :
       {EtaCriterion::paper, EtaCriterion::union_bound, EtaCriterion::single_agent, EtaCriterion::exact_single}) {
    for (const int n : {2, 3, 6}) {
      for (const double eta : {0.5, 0.1, 0.01, 0.003}) {
        const EtaSolution s = solve_for_eta(n, eta, 0.5, criterion);
        ContinuityParams params = point(n, s.z, s.ell, 0.5);
        const double value = criterion == EtaCriterion::paper          ? eta_bound_paper(params)
                             : criterion == EtaCriterion::union_bound  ? eta_union_bound(params)
                             : criterion == EtaCriterion::single_agent ? eta_single_bound(params)
                                                                       : eta_single_exact(params);
        EXPECT_LT(value, eta) << label(criterion) << " n=" << n << " eta=" << eta;
        EXPECT_DOUBLE_EQ(value, s.achieved);
        EXPECT_DOUBLE_EQ(s.lipschitz_bound, lipschitz_bound(params));
        // Every criterion is at least the exact single-deviator η.
        EXPECT_LE(eta_single_exact(params), value + 1e-15);
        if (s.ell > 1) {
          params.ell = s.ell - 1;
          const double fewer = criterion == EtaCriterion::paper          ? eta_bound_paper(params)
                               : criterion == EtaCriterion::union_bound  ? eta_union_bound(params)
                               : criterion == EtaCriterion::single_agent ? eta_single_bound(params)
                                                                         : eta_single_exact(params);
          EXPECT_GE(fewer, eta) << label(criterion) << " n=" << n << " eta=" << eta;
        }
        // A larger ℓ (with its own best z) has a larger Lipschitz constant.
        params.ell = s.ell + 1;
        params.z = s.z_supremum;
        if (criterion != EtaCriterion::exact_single) {
          EXPECT_GT(lipschitz_bound(params), s.lipschitz_bound * 0.999999);
        }
      }
    }
  }
  // The exact criterion needs weaker parameters than the paper's product bound.
  const EtaSolution paper = solve_for_eta(3, 0.05, 1.0, EtaCriterion::paper);
  const EtaSolution exact = solve_for_eta(3, 0.05, 1.0, EtaCriterion::exact_single);
  EXPECT_LT(exact.lipschitz_bound, paper.lipschitz_bound);
}

// Property: bounds ≥ exact ≥ 0 (union ≥ paper ≥ joint; single ≥ each
// single-deviator exact), over a grid of n, z, ℓ, c and guess passwords.
TEST(FpreContinuity, BoundsDominateExactValues) {
  for (const int n : {2, 3, 5}) {
    for (const double z : {0.001, 0.01, 0.05, 0.12, 0.2, 0.3}) {
      for (const std::int64_t ell : {1, 2, 7, 100}) {
        for (const double c : {0.25, 1.0}) {
          for (const double w : {0.5, 0.4, 0.7, 0.05}) {
            ContinuityParams p = point(n, z, ell, c);
            p.guess_password = w;
            const double single = eta_single_bound(p);
            EXPECT_GE(eta_union_bound(p), eta_bound_paper(p));
            EXPECT_GE(eta_bound_paper(p) + 1e-15, joint_escape(p));
            EXPECT_GE(eta_bound_paper(p) + 1e-15, std::min(single, 1.0));  // max{6z, 1/ℓ} may exceed 1
            EXPECT_GE(single + 1e-15, eta_single_exact(p));
            EXPECT_GE(eta_single_exact(p) + 1e-15, different_index_escape(p));
            EXPECT_GE(different_index_escape_sup(p) + 1e-15, different_index_escape(p));
            EXPECT_GE(single, same_index_escape(p));
            EXPECT_GE(different_index_escape(p), improvement_probability(p));
            EXPECT_GE(joint_escape(p) + 1e-15, different_index_escape(p));
            EXPECT_GE(improvement_probability(p), 0.0);
            EXPECT_GE(same_index_escape(p), 0.0);
          }
        }
      }
    }
  }
}

// Property (spec §2.6): the different-index escape and the paper bound rise
// with z and fall with ℓ; the same-index supremum is 1/ℓ.
TEST(FpreContinuity, MonotoneInZAndEll) {
  const std::vector<double> zs = {0.001, 0.005, 0.02, 0.08, 0.15, 0.25, 0.32};
  const std::vector<std::int64_t> ells = {1, 2, 3, 10, 50, 400};
  for (const int n : {2, 4}) {
    for (const std::int64_t ell : ells) {
      for (std::size_t i = 1; i < zs.size(); ++i) {
        const double higher = different_index_escape(point(n, zs[i], ell));
        const double lower = different_index_escape(point(n, zs[i - 1], ell));
        EXPECT_GE(higher, lower);
        // Strictly, while the lowest level 6z/ℓ is below the cap 1.
        if (6.0 * zs[i - 1] / double(ell) < 1.0) {
          EXPECT_GT(higher, lower) << zs[i] << " " << ell;
        }
        EXPECT_GE(eta_bound_paper(point(n, zs[i], ell)), eta_bound_paper(point(n, zs[i - 1], ell)));
        EXPECT_GE(joint_escape(point(n, zs[i], ell)), joint_escape(point(n, zs[i - 1], ell)));
      }
    }
    for (const double z : zs) {
      for (std::size_t i = 1; i < ells.size(); ++i) {
        EXPECT_LE(different_index_escape(point(n, z, ells[i])), different_index_escape(point(n, z, ells[i - 1])));
        EXPECT_LE(eta_bound_paper(point(n, z, ells[i])), eta_bound_paper(point(n, z, ells[i - 1])));
        EXPECT_DOUBLE_EQ(eta_single_exact(point(n, z, ells[i])),
                         std::max(different_index_escape_sup(point(n, z, ells[i])), 1.0 / double(ells[i])));
      }
    }
  }
  EXPECT_LT(different_index_escape(point(2, 0.01, 100)), different_index_escape(point(2, 0.02, 100)));
  EXPECT_LT(different_index_escape(point(2, 0.01, 100)), different_index_escape(point(2, 0.01, 10)));
}

// Monte Carlo against exact values: within 4 standard errors, no bound
// violated, and the same-index deviation never strictly improves (linear u).
TEST(FpreContinuity, MonteCarloAgreesWithExact) {
  for (const ContinuityParams& p : {point(2, 0.01, 100), point(3, 0.01, 100), point(2, 0.05, 10), point(2, 0.1, 10),
                                    point(4, 0.2, 3, 0.5), point(2, 0.3, 1), point(3, 0.02, 7, 0.25)}) {
    const ContinuityReport report = analyse_continuity(p, 20250101, 20000);
    EXPECT_LE(report.max_z_score, 4.0) << p.n << " " << p.z << " " << p.ell;
    EXPECT_FALSE(report.bound_violated) << p.n << " " << p.z << " " << p.ell;
    EXPECT_EQ(report.same_index_improvement_mc.mean, 0.0);
    EXPECT_EQ(report.different_index_escape_mc.samples, 20000U);
    EXPECT_NEAR(report.different_index_escape_mc.mean, report.different_index_escape_exact,
                4.0 * report.different_index_escape_mc.standard_error + 1e-12);
    EXPECT_NEAR(report.same_index_escape_mc.mean, report.same_index_escape_exact,
                4.0 * report.same_index_escape_mc.standard_error + 1e-12);
    EXPECT_GT(report.improvement_mc.mean, 0.0);
  }
}

TEST(FpreContinuity, SeededMonteCarloIsReproducible) {
  const ContinuityParams p = point(2, 0.05, 10);
  const ContinuityReport a = analyse_continuity(p, 7, 3000);
  const ContinuityReport b = analyse_continuity(p, 7, 3000);
  const ContinuityReport c = analyse_continuity(p, 8, 3000);
  EXPECT_EQ(a.different_index_escape_mc.mean, b.different_index_escape_mc.mean);
  EXPECT_EQ(a.lipschitz_empirical, b.lipschitz_empirical);
  EXPECT_NE(a.different_index_escape_mc.mean, c.different_index_escape_mc.mean);
}

// spec §1.7.3 item 9: the sampled ratio ‖Δν‖_1/‖Δτ‖_1 stays below ℓ/(c·z)·diam
// (so below the spec's n·ℓ/(c·z)·diam) and gets close to it (≥ 3/4 of it for
// n = 2: the ramp slope times ‖ν*(0,1)‖_1 = 3/4).
TEST(FpreContinuity, LipschitzBoundHoldsAndIsNearlyTight) {
  for (const double c : {1.0, 0.3}) {
    const ContinuityParams p = point(2, 0.02, 50, c);
    const ContinuityReport report = analyse_continuity(p, 11, 2000);
    EXPECT_DOUBLE_EQ(report.lipschitz_bound, 2.0 * 50.0 / (c * 0.02));
    EXPECT_DOUBLE_EQ(report.lipschitz_bound_tight, 50.0 / (c * 0.02));
    EXPECT_LE(report.lipschitz_empirical, report.lipschitz_bound_tight * (1.0 + 1e-5));
    EXPECT_GE(report.lipschitz_empirical, 0.74 * report.lipschitz_bound_tight);
  }
}

// The realised rule: exact implementation on path, o̲ near every cell edge
// (continuity across cells), symmetry, and q = 1 off ℕ.
TEST(FpreContinuity, RealisedRuleProperties) {
  const ContinuityParams p = point(3, 0.05, 10);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const ContinuousRule rule = ContinuousRule::draw(p, seed);
    EXPECT_GE(rule.level(), 1);
    EXPECT_LE(rule.level(), 10);
    const std::vector<Message> path = {rule.recommend(4), rule.recommend(0), rule.recommend(9)};
    const std::vector<std::int64_t> k = {4, 0, 9};
    EXPECT_EQ(rule.evaluate(path), demo_base_rule(k));
    for (const Message& m : path) {
      EXPECT_GT(m.password, 1.0 / 3.0);
      EXPECT_LT(m.password, 2.0 / 3.0);
    }
    // Near the integer 5 from both sides the outcome is o̲ = 0.
    for (const double edge : {5.0 - 1e-9, 5.0, 5.0 + 1e-9}) {
      const std::vector<double> tau = {edge, 0.0 + path[1].password, 9.0 + path[2].password};
      EXPECT_EQ(rule.failure_weight(tau), 1.0);
      EXPECT_EQ(rule.evaluate(tau), std::vector<double>(3, 0.0));
    }
    EXPECT_EQ(rule.term({-1, 0.5}), 1.0);
    // Symmetry: permuting messages permutes the outcome.
    const std::vector<Message> moved = {{4, path[0].password + 0.6 * p.z}, path[1], {9, path[2].password - 0.01}};
    const std::vector<Message> permuted = {moved[2], moved[0], moved[1]};
    const std::vector<double> out = rule.evaluate(moved);
    const std::vector<double> out_permuted = rule.evaluate(permuted);
    EXPECT_EQ(out_permuted, (std::vector<double>{out[2], out[0], out[1]}));
  }
  EXPECT_EQ(split(3.25).index, 3);
  EXPECT_DOUBLE_EQ(split(3.25).password, 0.25);
  EXPECT_EQ(split(-0.5).index, -1);
}

TEST(FpreContinuity, RejectsOutOfRangeInputs) {
  const auto message = [](ContinuityParams p) { return rejection([&] { validate(p); }); };
  ContinuityParams p;
  p.z = 1.0 / 3.0;
  EXPECT_EQ(message(p).rfind("fpre: z = 0.33333", 0), 0U) << message(p);
  EXPECT_NE(message(p).find("(0, 1/3)"), std::string::npos);
  p = {};
  p.z = 0.0;
  EXPECT_EQ(message(p).rfind("fpre: z = 0,", 0), 0U) << message(p);
  p = {};
  p.z = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(message(p).rfind("fpre: z = nan", 0), 0U) << message(p);
  p = {};
  p.ell = 0;
  EXPECT_EQ(message(p).rfind("fpre: ell = 0,", 0), 0U) << message(p);
  p = {};
  p.n = 1;
  EXPECT_EQ(message(p).rfind("fpre: n = 1,", 0), 0U) << message(p);
  p = {};
  p.c = 0.0;
  EXPECT_EQ(message(p).rfind("fpre: c = 0,", 0), 0U) << message(p);
  p.c = 1.5;
  EXPECT_EQ(message(p).rfind("fpre: c = 1.5,", 0), 0U) << message(p);
  p = {};
  p.c = std::numeric_limits<double>::infinity();
  EXPECT_EQ(message(p).rfind("fpre: c = inf", 0), 0U) << message(p);
  p = {};
  p.guess_password = 1.0;
  EXPECT_EQ(message(p).rfind("fpre: guess_password = 1,", 0), 0U) << message(p);
  p = {};
  EXPECT_EQ(message(p), "");
  for (const double eta : {0.0, 1.0, -0.1, std::numeric_limits<double>::quiet_NaN()}) {
    const std::string m = rejection([&] { solve_for_eta(2, eta, 1.0, EtaCriterion::paper); });
    EXPECT_EQ(m.rfind("fpre: eta = ", 0), 0U) << m;
    EXPECT_NE(m.find("(0, 1)"), std::string::npos) << m;
  }
  EXPECT_EQ(rejection([] { solve_for_eta(1, 0.1, 1.0, EtaCriterion::paper); }).rfind("fpre: n = 1", 0), 0U);
  EXPECT_EQ(rejection([] { parse_eta_criterion("median"); }).rfind("fpre: eta_criterion = \"median\"", 0), 0U);
  EXPECT_EQ(parse_eta_criterion("exact_single"), EtaCriterion::exact_single);
  EXPECT_EQ(rejection([] {
              exact_continuity(2, Rational(1) / 3, 10, Rational(1), Rational(1) / 100);
            }).rfind("fpre: z = 1/3", 0),
            0U);
  EXPECT_EQ(rejection([] { grid_for_eta(Rational(1)); }).rfind("fpre: eta = 1", 0), 0U);
  EXPECT_EQ(rejection([] { password_grid(1); }).rfind("fpre: m = 1", 0), 0U);
}

// spec §2.7: grid {1/m, …, (m−1)/m} has m' = m − 1 points; Claim B's smallest
// grid for η; Claim A: η achieved is 1/m' > 0 whenever an improving guess exists.
TEST(FpreContinuity, CountableTypesGrid) {
  const PasswordGrid grid = grid_for_eta(Rational(1) / 10);
  EXPECT_EQ(grid.m_prime, 11);
  EXPECT_EQ(grid.m, 12);
  EXPECT_EQ(grid.guess_success, Rational(1) / 11);
  EXPECT_EQ(grid_for_eta(0.1).m, 12);
  EXPECT_EQ(grid_for_eta(Rational(3) / 10).m_prime, 4);
  EXPECT_EQ(grid_for_eta(0.3).m_prime, 4);
  for (const double eta : {0.9, 0.5, 0.25, 0.1, 0.013, 1e-4}) {
    const PasswordGrid g = grid_for_eta(eta);
    EXPECT_LT(1.0 / double(g.m_prime), eta) << eta;
    if (g.m_prime > 1) {
      EXPECT_GE(1.0 / double(g.m_prime - 1), eta) << eta;
    }
    EXPECT_GT(double(g.m), 1.0 + 1.0 / eta);  // any m > 1 + 1/η works
  }
  const std::vector<Rational> passwords = grid_passwords(5);
  ASSERT_EQ(passwords.size(), 4U);
  EXPECT_EQ(passwords.front(), Rational(1) / 5);
  EXPECT_EQ(passwords.back(), Rational(4) / 5);
  EXPECT_EQ(countable_eta(12, true), Rational(1) / 11);
  EXPECT_EQ(countable_eta(12, false), Rational(0));
  EXPECT_EQ(countable_eta(2, true), Rational(1));
}

}  // namespace
}  // namespace mechsweep::fpre
