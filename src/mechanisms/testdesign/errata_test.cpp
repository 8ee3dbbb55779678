// The corrected statements behind the paper's errata (spec 003 §3 and §7.4):
// Lemma 13 (the unselected set of S2 is not ΔOAB), Lemma 12 beyond 90°, the
// conclusion of Theorem 2, the thresholds of Lemmas 10 and 11, the Lemma 2
// counterexample and the non-minimal investment shift of Fig 11. Each test
// checks the corrected statement on the spec's witnesses, so it fails if the
// library reproduces the paper's version instead.

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <numbers>
#include <optional>
#include <utility>

#include "mechanisms/testdesign/best_response.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/test_helpers.hpp"

namespace mechsweep::testdesign {
namespace {

using std::numbers::pi;
using testing::deg;
using testing::in_convex_polygon;
using testing::instance;
using testing::IsNear;
using testing::kite_covered;
using testing::kOnLine;

// The root of θ sin θ = 1 in degrees (spec §3 "≈ 63.84°"; critical_angles_test.cpp
// solves for it with TOMS 748).
constexpr double kThetaSinThetaOne = 63.8365018863;

// ---- Small planar helpers ------------------------------------------------------

bool in_triangle(Vec2 a, Vec2 b, Vec2 c, Vec2 x, double tol = kOnLine) {
  return in_convex_polygon(std::array<Vec2, 3>{a, b, c}, x, tol);
}

// Midpoint grid on [lo, hi] with an irrational offset, so no node lies on a
// boundary line of the configurations below (spec §7.3: offset grids).
template <class Visit>
void for_grid(Vec2 lo, Vec2 hi, int n, Visit visit) {
  const double hx = (hi.x - lo.x) / n;
  const double hy = (hi.y - lo.y) / n;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      visit(Vec2{lo.x + (i + 0.5 + 0.0137 * std::numbers::sqrt2) * hx,
                 lo.y + (j + 0.5 - 0.0113 * std::numbers::sqrt3) * hy},
            hx * hy);
    }
  }
}

Vec2 box_lo(std::initializer_list<Vec2> pts) {
  Vec2 lo = *pts.begin();
  for (const Vec2 p : pts) lo = {std::fmin(lo.x, p.x), std::fmin(lo.y, p.y)};
  return lo;
}
Vec2 box_hi(std::initializer_list<Vec2> pts) {
  Vec2 hi = *pts.begin();
  for (const Vec2 p : pts) hi = {std::fmax(hi.x, p.x), std::fmax(hi.y, p.y)};
  return hi;
}

bool selected(const Instance& in, Vec2 x) { return best_response(in, x).strategy.probability > 0.0; }

// The h⁺ construction (spec §3 Prop 1 closed forms, §4.1), computed from lines
// rather than from the library's kites so that the two are independent.
struct PlusPoints {
  Vec2 o_plus, a, b, p_a, p_b, p_b_mirror;
};

PlusPoints plus_points(double angle_deg) {
  const Criteria c = make_criteria(angle_deg, 1.0);
  const HalfPlane h_a = c.wedge.sides[0];
  const HalfPlane h_b = c.wedge.sides[1];
  const HalfPlane h_a_plus{h_a.normal, h_a.offset + c.reach()};
  const HalfPlane h_b_plus{h_b.normal, h_b.offset + c.reach()};
  PlusPoints p;
  p.o_plus = make_wedge(h_a_plus, h_b_plus).vertex;
  p.a = make_wedge(h_b, h_a_plus).vertex;  // A = L_B ∩ L_A⁺
  p.b = make_wedge(h_a, h_b_plus).vertex;  // B = L_A ∩ L_B⁺
  p.p_a = p.o_plus - c.reach() * h_a.normal;
  p.p_b = p.o_plus - c.reach() * h_b.normal;
  p.p_b_mirror = h_a_plus.reflect(p.p_b);  // P_B' = Sym_{L_A⁺}(P_B)
  return p;
}

// S1 = (h_A⁺, ĥ_B, 0) of Theorem 2: ĥ_B is h_B⁺ turned about O⁺ by θ/2 onto the bisector.
Instance theorem2_s1(double angle_deg) {
  return instance(angle_deg, Procedure::fixed_ba, 1.0, 1.0, 0.5, 1.0, 0.0, angle_deg / 2.0);
}
// S2 = (h_A⁺, h_B⁺, 1).
Instance theorem2_s2(double angle_deg) { return instance(angle_deg, Procedure::fixed_ab); }

Distribution square_around(Vec2 center, double half) {
  return make_distribution(DistributionKind::uniform_square, center, half);
}

QuadratureOptions tight() {
  QuadratureOptions o;
  o.abs_tol = 1e-12;
  return o;
}

// ---- Lemma 13 / Fig 8 (spec §3, Theorem 2) -------------------------------------

struct Lemma13Witness {
  double angle;
  Vec2 x;
  bool inside_oab;
  bool is_selected;
  double cost;  // K_AB(x) under S2, printed with 4 decimals
};

// [E] Lemma 13 claims S2 selects exactly H \ ΔOAB; the spec's witnesses show
// both inclusions fail.
TEST(ErrataLemma13, WitnessesShowS2DoesNotSelectExactlyTheComplementOfOAB) {
  const std::array<Lemma13Witness, 3> witnesses = {{
      {60.0, {0.05, 1.3}, false, false, 1.0436},
      {45.0, {0.05, 1.5}, false, false, 1.3184},
      {75.0, {0.4, 0.53}, true, true, 0.9787},
  }};
  for (const Lemma13Witness& w : witnesses) {
    SCOPED_TRACE(::testing::Message() << "θ = " << w.angle);
    const Instance s2 = theorem2_s2(w.angle);
    const PlusPoints p = plus_points(w.angle);
    EXPECT_TRUE(is_qualified(s2.criteria, w.x));
    EXPECT_EQ(in_triangle({0.0, 0.0}, p.a, p.b, w.x), w.inside_oab);
    const BestResponse br = best_response(s2, w.x);
    EXPECT_EQ(br.strategy.probability > 0.0, w.is_selected);
    // K_AB is the minimal cost over every path through A then B (§2.3).
    const double k = fixed_order_path(s2.tests, TestOrder::a_first, w.x).length;
    EXPECT_NEAR(k, w.cost, 6e-5);
    if (w.is_selected) {
      // "one-step to O⁺": the vertex of the test wedge is the nearest point.
      EXPECT_EQ(br.strategy.kind, StrategyKind::one_step);
      EXPECT_THAT(br.strategy.x2, IsNear(p.o_plus, 1e-12));
      EXPECT_NEAR(norm(w.x - p.o_plus), w.cost, 6e-5);
    }
  }
}

// [D] The true unselected qualified set of S2 for θ < 90° is
// quad(O, P_A, O⁺, A) \ (disk(O⁺, 1/η) ∪ triangle(O⁺, A, P_B')); checked
// pointwise, and its Lebesgue area against η⁻²(1/sin θ − θ/2) by a grid. The
// set differs from ΔOAB on both sides even where the areas agree (θ sin θ = 1).
TEST(ErrataLemma13, UnselectedSetIsTheCorrectedPolygonNotTheTriangle) {
  for (const double angle : {30.0, 45.0, 60.0, kThetaSinThetaOne, 75.0, 85.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance s2 = theorem2_s2(angle);
    const PlusPoints p = plus_points(angle);
    const Vec2 o{0.0, 0.0};
    const auto corrected_unselected = [&](Vec2 x) {
      return in_convex_polygon(std::array<Vec2, 4>{o, p.p_a, p.o_plus, p.a}, x) && norm(x - p.o_plus) > 1.0 &&
             !in_triangle(p.o_plus, p.a, p.p_b_mirror, x);
    };
    double unselected = 0.0;
    double unselected_outside_oab = 0.0;
    double selected_inside_oab = 0.0;
    int mismatches = 0;
    const int n = 450;
    for_grid(box_lo({o, p.p_a, p.o_plus, p.a, p.b}), box_hi({o, p.p_a, p.o_plus, p.a, p.b}), n, [&](Vec2 x, double da) {
      if (!is_qualified(s2.criteria, x)) return;
      const bool sel = selected(s2, x);
      const bool in_oab = in_triangle(o, p.a, p.b, x);
      if (!sel) unselected += da;
      if (!sel && !in_oab) unselected_outside_oab += da;
      if (sel && in_oab) selected_inside_oab += da;
      if (sel == corrected_unselected(x)) ++mismatches;
    });
    EXPECT_EQ(mismatches, 0);
    const double theta = deg(angle);
    const double grid_tol = 4e-3;  // midpoint grid of 450² nodes over a box of side ≤ 2.3
    EXPECT_NEAR(unselected, 1.0 / std::sin(theta) - theta / 2.0, grid_tol);
    // The lost sliver outside ΔOAB shrinks as θ → 90° (0.0001 at 85°) but never vanishes.
    EXPECT_GT(unselected_outside_oab, angle <= 75.0 ? 1e-3 : 5e-5)
        << "qualified types outside ΔOAB are lost (Lemma 13 says none)";
    if (angle > 60.0) {
      EXPECT_GT(selected_inside_oab, 5e-3) << "types inside ΔOAB are selected (Lemma 13 says none)";
    }
    if (std::fabs(angle - kThetaSinThetaOne) < 1e-9) {
      // spec §3: at θ sin θ = 1 the areas coincide but ~0.030 is lost outside
      // ΔOAB and ~0.029 is selected inside it.
      EXPECT_NEAR(unselected, 1.0 / (2.0 * std::sin(theta)), grid_tol);
      EXPECT_NEAR(unselected_outside_oab, 0.030, 1.5e-3);
      EXPECT_NEAR(selected_inside_oab, 0.029, 1.5e-3);
    }
  }
}

// [D] The area formula η⁻²(1/sin θ − θ/2) by exact quadrature (Lebesgue area =
// uniform mass × square area), against |ΔOAB| = η⁻²/(2 sin θ): the paper's
// claim would make them equal at every θ; they cross only at θ sin θ = 1.
TEST(ErrataLemma13, LostAreaEqualsTheTriangleOnlyWhereThetaSinThetaIsOne) {
  for (const double eta : {1.0, 2.0}) {
    for (const double angle : {20.0, 50.0, kThetaSinThetaOne, 75.0, 85.0}) {
      SCOPED_TRACE(::testing::Message() << "θ = " << angle << ", η = " << eta);
      const Instance s2 = instance(angle, Procedure::fixed_ab, 1.0, 1.0, 0.5, eta);
      const double half = norm(s2.tests.vertex) / 2.0 + 1.0 / eta;  // covers quad(O, P_A, O⁺, P_B)
      const Evaluation e = evaluate(s2, Setting::manipulation, square_around(0.5 * s2.tests.vertex, half), tight());
      const double lost = e.qualified_rejected_mass * 4.0 * half * half;
      const double theta = deg(angle);
      const double formula = (1.0 / std::sin(theta) - theta / 2.0) / (eta * eta);
      const double triangle = 1.0 / (2.0 * std::sin(theta) * eta * eta);
      EXPECT_NEAR(lost, formula, 1e-8);
      if (angle < 63.0) {
        EXPECT_GT(lost, triangle + 1e-3);
      } else if (angle > 64.5) {
        EXPECT_LT(lost, triangle - 1e-3);
      } else {
        EXPECT_NEAR(lost, triangle, 1e-5);
      }
    }
  }
}

// ---- Lemma 12 beyond 90° (spec §3, Theorem 2) ----------------------------------

// spec §1.3: ĥ_B = {−x cos(θ/2) + y sin(θ/2) ≥ 0}, through O and O⁺; built
// with rotate_b_deg = +θ/2 (counter-clockwise).
TEST(ErrataLemma12, BisectorTestIsTheSpecifiedHalfPlane) {
  for (const double angle : {15.0, 60.0, 100.0, 135.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance s1 = theorem2_s1(angle);
    const double half = deg(angle) / 2.0;
    EXPECT_THAT(s1.tests.sides[1].normal, IsNear(Vec2{-std::cos(half), std::sin(half)}, 1e-12));
    EXPECT_NEAR(s1.tests.sides[1].offset, 0.0, 1e-12);
    EXPECT_NEAR(s1.tests.sides[1].slack(plus_points(angle).o_plus), 0.0, 1e-12);
    EXPECT_THAT(s1.tests.sides[0].normal, IsNear(Vec2{1.0, 0.0}, 1e-15));  // h_A⁺
    EXPECT_NEAR(s1.tests.sides[0].offset, 1.0, 1e-12);
    EXPECT_EQ(s1.procedure, Procedure::fixed_ba);  // ĥ_B first
  }
  // A = L_B ∩ L_A⁺ and B = L_A ∩ L_B⁺ at 60° (spec §4.1).
  const PlusPoints p = plus_points(60.0);
  EXPECT_THAT(p.a, IsNear(Vec2{1.0, 0.577350}, 1e-6));
  EXPECT_THAT(p.b, IsNear(Vec2{0.0, 1.154701}, 1e-6));
}

// Lost area of ΔOAB under S1 on a midpoint grid over the triangle's bounding box.
double s1_missed_area_of_oab(double angle, int n) {
  const Instance s1 = theorem2_s1(angle);
  const PlusPoints p = plus_points(angle);
  const Vec2 o{0.0, 0.0};
  double missed = 0.0;
  for_grid(box_lo({o, p.a, p.b}), box_hi({o, p.a, p.b}), n, [&](Vec2 x, double da) {
    if (in_triangle(o, p.a, p.b, x) && !selected(s1, x)) missed += da;
  });
  return missed;
}

// [E] Lemma 12 (ΔOAB ⊂ Sel(S1)) holds for θ ≤ 90° and fails beyond.
TEST(ErrataLemma12, TriangleOABIsSelectedOnlyUpToNinetyDegrees) {
  for (const double angle : {15.0, 30.0, 45.0, 60.0, 75.0, 89.0, 90.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance s1 = theorem2_s1(angle);
    const PlusPoints p = plus_points(angle);
    // Barycentric lattice including the vertices and edges of the closed triangle.
    const int n = 80;
    int missed = 0;
    for (int i = 0; i <= n; ++i) {
      for (int j = 0; i + j <= n; ++j) {
        const Vec2 x = (static_cast<double>(i) / n) * p.a + (static_cast<double>(j) / n) * p.b;
        if (!selected(s1, x)) ++missed;
      }
    }
    EXPECT_EQ(missed, 0);
  }
  // spec §3: "at θ = 100° an area of 0.0008 is missed, at 135° an area of
  // 0.072". The 100° value is confirmed (0.000796 on a 4000² grid). At 135°
  // the missed area is 0.0709 (0.070864 on a 4000² grid with the library's
  // best response, 0.070957 on a 1500² grid with an independent 1-D brute-force
  // minimisation of the ĥ_B → h_A⁺ path), about 0.0011 below the printed 0.072:
  // the spec's figure is ~1.5% high, the qualitative erratum stands.
  EXPECT_NEAR(s1_missed_area_of_oab(100.0, 700), 0.0008, 5e-5);
  EXPECT_NEAR(s1_missed_area_of_oab(135.0, 700), 0.0709, 4e-4);
}

// [D] Lemma 12's other half survives: S1 selects no unqualified type, θ ∈ [15°, 135°].
TEST(ErrataLemma12, NoUnqualifiedTypeIsSelectedFromFifteenToHundredThirtyFiveDegrees) {
  for (double angle = 15.0; angle <= 135.0; angle += 15.0) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance s1 = theorem2_s1(angle);
    const double r = norm(s1.tests.vertex) + 2.0;
    int violations = 0;
    int selected_count = 0;
    for_grid({-r, -r}, {r, r}, 160, [&](Vec2 x, double) {
      if (!selected(s1, x)) return;
      ++selected_count;
      if (!is_qualified(s1.criteria, x)) ++violations;
    });
    EXPECT_EQ(violations, 0);
    EXPECT_GT(selected_count, 0);
    EXPECT_EQ(exact_feasibility(s1, Setting::manipulation), std::optional<bool>(true));
    const Distribution wide = make_distribution(DistributionKind::gaussian, {0.0, 0.0}, r);
    EXPECT_LT(evaluate(s1, Setting::manipulation, wide).viol_mass, 1e-12);
  }
}

// ---- Theorem 2's conclusion (spec §3) --------------------------------------------

// [D] Sel(S1) ∪ Sel(S2) ⊇ H, because H = (H ∩ ĥ_B) ∪ Δ(O, O⁺, A) ∪ (H ∩ h_A⁺);
// S2 selects the third piece and, for θ ≤ 90°, S1 the first two. Beyond 90°
// S1 loses part of Δ(O, O⁺, A) near A (the spec's "[D] for θ < 180°" on that
// triangle is too broad; it is the same loss as Lemma 12's), but S2 selects
// those types, so the conclusion survives at every tested θ.
TEST(ErrataTheorem2, MenuStillSelectsEveryQualifiedType) {
  for (const double angle : {15.0, 30.0, 45.0, 60.0, 63.8, 75.0, 89.0, 100.0, 135.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const Instance s1 = theorem2_s1(angle);
    const Instance s2 = theorem2_s2(angle);
    const PlusPoints p = plus_points(angle);
    const double theta = deg(angle);
    // Polar lattice over H up to 1.5|OO⁺| + 1: beyond it every qualified type
    // is within 1/η of H⁺ and S2 selects it by staying or one step.
    const double r_max = 1.5 * norm(p.o_plus) + 1.0;
    int uncovered = 0;
    int outside_the_three_pieces = 0;
    int bisector_side_missed_by_s1 = 0;
    int triangle_missed_by_s1 = 0;
    int a_plus_missed_by_s2 = 0;
    const int nr = 240;
    const int nphi = 120;
    for (int i = 0; i < nr; ++i) {
      for (int j = 0; j <= nphi; ++j) {
        const double r = r_max * (i + 0.37) / nr;
        const double phi = theta * j / nphi;  // includes both edge rays of H
        const Vec2 x = r * Vec2{std::sin(phi), std::cos(phi)};
        const bool by_s1 = selected(s1, x);
        const bool by_s2 = selected(s2, x);
        if (!by_s1 && !by_s2) ++uncovered;
        const bool in_bisector_side = s1.tests.sides[1].slack(x) >= -kOnLine;
        const bool in_o_oplus_a = in_triangle({0.0, 0.0}, p.o_plus, p.a, x);
        const bool in_a_plus = s2.tests.sides[0].slack(x) >= -kOnLine;
        if (!in_bisector_side && !in_o_oplus_a && !in_a_plus) ++outside_the_three_pieces;
        if (in_bisector_side && !by_s1) ++bisector_side_missed_by_s1;
        if (in_o_oplus_a && !by_s1) ++triangle_missed_by_s1;
        if (in_a_plus && !by_s2) ++a_plus_missed_by_s2;
      }
    }
    EXPECT_EQ(uncovered, 0);
    EXPECT_EQ(outside_the_three_pieces, 0);
    EXPECT_EQ(bisector_side_missed_by_s1, 0);
    EXPECT_EQ(a_plus_missed_by_s2, 0);
    if (angle <= 90.0) {
      EXPECT_EQ(triangle_missed_by_s1, 0);
    } else {
      EXPECT_GT(triangle_missed_by_s1, 0);
    }
  }
}

// ---- Lemmas 10 and 11 thresholds (spec §3, Prop 13) -----------------------------
//
// Canonical test frame with tests = criteria (Õ = O, η = 1): C_q = Kite_{A→B}(q),
// D_q = Kite_{B→A}(1 − q), B = disk(O, 1) ∩ Ω (§2.6). Every kite lies in Ω,
// the region behind the vertex, so a kite point is in B iff it is in the disk.

struct KiteSets {
  Wedge tests;
  std::array<Vec2, 4> c(double q) const { return kite_vertices(tests, true, q); }
  std::array<Vec2, 4> d(double q) const { return kite_vertices(tests, false, 1.0 - q); }
};

KiteSets kite_sets(double angle) { return {instance(angle, Procedure::random_undisclosed, 0.0, 0.0).tests}; }

bool in_disk(Vec2 x) { return norm(x) <= 1.0 + kOnLine; }

bool lemma10_inclusion(double angle, double q) {
  const KiteSets k = kite_sets(angle);
  return kite_covered(k.c(q), k.d(0.0));  // C_q ⊂ D_0 ∪ B
}
bool lemma11_inclusion(double angle, double q) {
  const KiteSets k = kite_sets(angle);
  return kite_covered(k.d(q), k.c(1.0));  // D_q ⊂ C_1 ∪ B
}

double lemma10_threshold(double angle) {
  const double t = deg(angle);
  return angle <= 45.0 ? 1.0 / (2.0 * std::cos(t)) : std::sin(t);
}
double lemma11_threshold(double angle) { return 1.0 - lemma10_threshold(angle); }

// [E] Lemma 10: C_q ⊂ D_0 ∪ B iff q ≤ 1/(2 cos θ) (θ ≤ 45°) or q ≤ sin θ (θ ≥ 45°).
TEST(ErrataLemma10, InclusionSwitchesAtTheCorrectedThreshold) {
  for (const double angle : {30.0, 60.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const double t = lemma10_threshold(angle);
    EXPECT_TRUE(lemma10_inclusion(angle, t - 0.005));
    EXPECT_FALSE(lemma10_inclusion(angle, t + 0.005));
  }
  // At 60° the printed 1/(2 cos θ) = 1 would admit every q; q = 0.95 already fails.
  EXPECT_FALSE(lemma10_inclusion(60.0, 0.95));
  // At 30° the proof's "q ≤ sin θ" (0.5) is too strict: q = 0.55 still holds.
  EXPECT_TRUE(lemma10_inclusion(30.0, 0.55));
  EXPECT_NEAR(lemma10_threshold(30.0), 0.5773503, 1e-7);
  EXPECT_NEAR(lemma10_threshold(60.0), 0.8660254, 1e-7);
}

// [E] Lemma 11: D_q ⊂ C_1 ∪ B iff q ≥ 1 − 1/(2 cos θ) (θ ≤ 45°) or q ≥ 1 − sin θ (θ ≥ 45°).
TEST(ErrataLemma11, InclusionSwitchesAtTheCorrectedThreshold) {
  for (const double angle : {30.0, 50.0, 60.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const double t = lemma11_threshold(angle);
    EXPECT_TRUE(lemma11_inclusion(angle, t + 0.0005));
    EXPECT_FALSE(lemma11_inclusion(angle, t - 0.0005));
  }
  // spec §3: at 60° the paper gives 0, the truth is 0.134; at 50° 0.2221 vs 0.2340.
  EXPECT_NEAR(lemma11_threshold(60.0), 0.134, 5e-4);
  EXPECT_NEAR(1.0 - 1.0 / (2.0 * std::cos(deg(50.0))), 0.2221, 5e-5);
  EXPECT_NEAR(lemma11_threshold(50.0), 0.2340, 5e-5);
  EXPECT_FALSE(lemma11_inclusion(60.0, 0.05));
  EXPECT_FALSE(lemma11_inclusion(50.0, 0.2280));  // above the printed threshold, below the true one
}

// The thresholds are sharp: bisection on q of the sampled inclusion lands on
// the corrected formula (the binding point is a kite vertex, which is sampled).
TEST(ErrataLemma10And11, BisectionOnTheInclusionFindsTheCorrectedThresholds) {
  const auto bisect = [](auto holds, double lo, double hi) {  // holds(lo) != holds(hi)
    const bool at_lo = holds(lo);
    for (int k = 0; k < 30; ++k) {
      const double mid = 0.5 * (lo + hi);
      (holds(mid) == at_lo ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
  };
  for (const double angle : {20.0, 30.0, 40.0, 50.0, 60.0, 75.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    EXPECT_NEAR(bisect([&](double q) { return lemma10_inclusion(angle, q); }, 0.3, 1.0), lemma10_threshold(angle),
                1e-7);
    EXPECT_NEAR(bisect([&](double q) { return lemma11_inclusion(angle, q); }, 0.0, 0.7), lemma11_threshold(angle),
                1e-7);
  }
}

// spec §3 Prop 13 / Lemma 11's point E = (−1/(2 cos θ), −1/(2 sin θ)), where the
// line Ẽ_1E_1' meets L_B. |E| = 1/sin 2θ ≥ 1, so E ∉ B (except at 45°).
// Beyond 45° E lies past E_1' on that line, outside C_1; that is why the
// paper's convexity argument breaks there. Below 45° E lies on the edge
// Ẽ_1E_1' of C_1 (the spec's "E is not in C_1 ∪ B" is the θ > 45° regime).
TEST(ErrataLemma11, PointEIsOutsideCOneUnionBBeyondFortyFiveDegrees) {
  for (const double angle : {30.0, 40.0, 50.0, 60.0, 75.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const double t = deg(angle);
    const Vec2 e{-1.0 / (2.0 * std::cos(t)), -1.0 / (2.0 * std::sin(t))};
    const KiteSets k = kite_sets(angle);
    const std::array<Vec2, 4> c1 = k.c(1.0);  // O, E_1, Ẽ_1, E_1'
    EXPECT_NEAR(k.tests.sides[1].slack(e), 0.0, 1e-12) << "E ∈ L_B";
    EXPECT_NEAR(cross(c1[3] - c1[2], e - c1[2]), 0.0, 1e-12) << "E on the line Ẽ_1 E_1'";
    EXPECT_NEAR(norm(e), 1.0 / std::sin(2.0 * t), 1e-12);
    EXPECT_FALSE(in_disk(e));
    // Position along Ẽ_1 → E_1': parameter 1/(2 cos²θ), > 1 iff θ > 45°.
    const double along = dot(e - c1[2], c1[3] - c1[2]) / dot(c1[3] - c1[2], c1[3] - c1[2]);
    EXPECT_NEAR(along, 1.0 / (2.0 * std::cos(t) * std::cos(t)), 1e-12);
    EXPECT_EQ(in_convex_polygon(c1, e, 1e-12), angle < 45.0);
  }
  // At 60°, G̃_1 = 2 cos θ · E = E: the far vertex of D_0 is E itself.
  EXPECT_THAT(kite_sets(60.0).d(0.0)[2], IsNear(Vec2{-1.0, -0.577350}, 1e-6));
}

// ---- Lemma 2 counterexample (spec §3) ---------------------------------------------

struct Lemma2Case {
  Criteria criteria = make_criteria(73.9659, 1.0);
  double q = 0.3939;
  HalfPlane test_a{{0.88827703, -0.45930808}, 0.47677839};
  HalfPlane test_b{{-0.64388851, 0.76511933}, 0.58904510};
  Vec2 z{0.47509937, 1.16267329};
};

// [E] Lemma 2(b): neither (h̃_A, h_B', 1) nor (h_A', h̃_B, 0) need be as good as
// (h̃_A, h̃_B, q, ∅); the spec's instance and witness z.
TEST(ErrataLemma2, ConstructionDoesNotDominateTheRandomOrderAtTheWitness) {
  const Lemma2Case c;
  const Instance random = make_instance(c.criteria, c.test_a, c.test_b, Procedure::random_undisclosed, c.q);
  const Vec2 o_tilde = random.tests.vertex;
  EXPECT_THAT(o_tilde, IsNear(Vec2{1.65499937, 2.16264329}, 1e-6));
  EXPECT_NEAR(test_angle_deg(random), 22.58, 5e-3);
  EXPECT_TRUE(is_qualified(c.criteria, c.z));

  // Random order without disclosure: the B→A path within budget 1 − q.
  const double k_ba = fixed_order_path(random.tests, TestOrder::b_first, c.z).length;
  EXPECT_NEAR(k_ba, 0.59871, 1e-5);
  const BestResponse br = best_response(random, c.z);
  EXPECT_NEAR(br.strategy.probability, 1.0 - c.q, 1e-15);
  EXPECT_NEAR(br.utility(), 0.0074, 5e-5);

  // h_i': normal w_i through Õ.
  const HalfPlane a_prime = half_plane_through(c.criteria.wedge.sides[0].normal, o_tilde);
  const HalfPlane b_prime = half_plane_through(c.criteria.wedge.sides[1].normal, o_tilde);
  const Instance first = make_instance(c.criteria, c.test_a, b_prime, Procedure::fixed_ab, 1.0);
  const Instance second = make_instance(c.criteria, a_prime, c.test_b, Procedure::fixed_ba, 0.0);
  EXPECT_NEAR(fixed_order_path(first.tests, TestOrder::a_first, c.z).length, 1.44391, 1e-5);
  EXPECT_NEAR(fixed_order_path(second.tests, TestOrder::b_first, c.z).length, 1.18682, 1e-5);
  EXPECT_EQ(best_response(first, c.z).strategy.probability, 0.0);
  EXPECT_EQ(best_response(second, c.z).strategy.probability, 0.0);
  // Lemma 2(a) itself holds here: both constructions are feasible.
  EXPECT_EQ(exact_feasibility(first, Setting::manipulation), std::optional<bool>(true));
  EXPECT_EQ(exact_feasibility(second, Setting::manipulation), std::optional<bool>(true));
}

// The counterexample is admissible: the random mechanism is feasible while the
// two fixed orders with the same tests are not.
TEST(ErrataLemma2, RandomOrderIsFeasibleAndTheSameTestFixedOrdersAreNot) {
  const Lemma2Case c;
  const auto with = [&](Procedure p, double q) { return make_instance(c.criteria, c.test_a, c.test_b, p, q); };
  const Instance random = with(Procedure::random_undisclosed, c.q);
  EXPECT_EQ(exact_feasibility(random, Setting::manipulation), std::optional<bool>(true));
  EXPECT_EQ(exact_feasibility(with(Procedure::fixed_ab, 1.0), Setting::manipulation), std::optional<bool>(false));
  EXPECT_EQ(exact_feasibility(with(Procedure::fixed_ba, 0.0), Setting::manipulation), std::optional<bool>(false));
  // The quadrature agrees (a Gaussian that covers the corner and the test vertex).
  const Distribution wide = make_distribution(DistributionKind::gaussian, {1.0, 1.5}, 2.0);
  EXPECT_LT(evaluate(random, Setting::manipulation, wide).viol_mass, 1e-12);
  EXPECT_GT(evaluate(with(Procedure::fixed_ab, 1.0), Setting::manipulation, wide).viol_mass, 1e-6);
  EXPECT_GT(evaluate(with(Procedure::fixed_ba, 0.0), Setting::manipulation, wide).viol_mass, 1e-6);
}

// ---- Fig 11: the 1/(2η) investment shift is feasible but not minimal (spec §3, §7.4)

TEST(ErrataFig11, HalfReachShiftIsFeasibleButNotMinimal) {
  for (const double angle : {15.0, 20.0, 25.0, 29.0}) {
    SCOPED_TRACE(::testing::Message() << "θ = " << angle);
    const double minimal = std::cos(deg(angle)) / 2.0;  // cos θ/(2η), q = 1/2
    const auto run = [&](double shift) {
      const Instance in = instance(angle, Procedure::random_undisclosed, shift, shift, 0.5);
      const Distribution corner = make_distribution(DistributionKind::gaussian, {0.0, 0.0}, 1.5);
      return std::make_pair(evaluate(in, Setting::investment, corner), exact_feasibility(in, Setting::investment));
    };
    const auto [paper, paper_exact] = run(0.5);
    const auto [least, least_exact] = run(minimal);
    const auto [short_of, short_exact] = run(0.9 * minimal);
    EXPECT_LT(paper.viol_mass, 1e-12);
    EXPECT_EQ(paper_exact, std::optional<bool>(true));
    EXPECT_LT(least.viol_mass, 1e-12);
    EXPECT_EQ(least_exact, std::optional<bool>(true));
    EXPECT_GT(short_of.viol_mass, 1e-9);
    EXPECT_EQ(short_exact, std::optional<bool>(false));
    // The paper's shift gives away qualified investment for nothing.
    EXPECT_GT(least.value, paper.value + 1e-4);
  }
}

}  // namespace
}  // namespace mechsweep::testdesign
