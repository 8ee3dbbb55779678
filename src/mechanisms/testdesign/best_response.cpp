#include "mechanisms/testdesign/best_response.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace mechsweep::testdesign {

namespace {

// Utilities are O(1) numbers (π − η·length); ties within this are ties (§1.9).
constexpr double kUtilityTolerance = 1e-12;

// Ranks equal-cost paths (§1.9: prefer the one-step strategy).
int moves(StrategyKind kind) {
  if (kind == StrategyKind::stay) return 0;
  return is_two_step(kind) ? 2 : 1;
}

std::size_t first_index(TestOrder order) { return order == TestOrder::a_first ? 0 : 1; }

Strategy with_probability(const Path& path, double probability, double cost_scale) {
  return Strategy{path.kind, probability, cost_scale * path.length, path.x1, path.x2};
}

// Case 1 of §2.3: x0 passes test 1 but not test 2. The stay-and-project path
// is a one-step path when the projection already passes test 1 (θ̃ ≥ 90°).
Path stay_then_project(const HalfPlane& h1, const HalfPlane& h2, Vec2 x0, double tolerance) {
  const Vec2 x2 = h2.project(x0);
  const bool projection_passes_first = h1.slack(x2) >= -tolerance;
  const StrategyKind kind = projection_passes_first ? StrategyKind::one_step : StrategyKind::stay_and_project;
  return Path{kind, -h2.slack(x0), projection_passes_first ? x2 : x0, x2};
}

}  // namespace

std::string_view to_string(StrategyKind kind) { return kStrategyKindLabels[static_cast<std::size_t>(kind)]; }

Path one_step_path(const Wedge& tests, Vec2 x0) {
  if (tests.contains(x0, tests.tolerance(x0))) return Path{StrategyKind::stay, 0.0, x0, x0};
  const Vec2 target = tests.nearest_point(x0);
  return Path{StrategyKind::one_step, norm(x0 - target), target, target};
}

Path fixed_order_path(const Wedge& tests, TestOrder order, Vec2 x0) {
  const std::size_t first = first_index(order);
  const HalfPlane& h1 = tests.sides[first];
  const HalfPlane& h2 = tests.sides[1 - first];
  const double tolerance = tests.tolerance(x0);
  const double s1 = h1.slack(x0);
  const double s2 = h2.slack(x0);
  if (s1 >= -tolerance) {
    if (s2 >= -tolerance) return Path{StrategyKind::stay, 0.0, x0, x0};
    return stay_then_project(h1, h2, x0, tolerance);  // K = d(x0, h̃_2): the distance is 1-Lipschitz
  }
  const Path one_step = one_step_path(tests, x0);
  // §2.3 item 3, tan-free: with a = −s1 and τ0 = (x0 − Õ)·ẽ_1 the zig-zag is
  // valid iff τ0 < 0 and a sin θ̃ + τ0 cos θ̃ < 0; never for θ̃ ≥ 90° (item 4).
  const double sin_t = tests.sin_angle;
  const double cos_t = tests.cos_angle;
  if (cos_t <= 0.0) return one_step;
  const double a = -s1;
  const double tau0 = dot(x0 - tests.vertex, tests.edges[first]);
  if (!(tau0 < 0.0 && a * sin_t + tau0 * cos_t < 0.0)) return one_step;
  // A valid zig-zag is strictly shorter than the vertex path √(a² + τ0²): the
  // two tie only on the validity line itself, which already went to the
  // one-step (§1.9). The choice is made by that first-order sign alone; the
  // lengths differ only to second order near the line, so comparing them
  // would let rounding decide.
  const double zigzag = a * cos_t - tau0 * sin_t;  // = dist(Sym_{L̃_1} x0, L̃_2)
  // Crossing point on L̃_1 of the straight segment from the mirror image to L̃_2.
  const double tau_cross = tau0 + a * sin_t / cos_t;
  const Vec2 x1 = tests.vertex + tau_cross * tests.edges[first];
  const Vec2 x2 = x1 - (tau_cross * sin_t) * h2.normal;  // Π_{L̃_2}(x1); s_2(x1) = τ sin θ̃
  return Path{StrategyKind::zigzag, zigzag, x1, x2};
}

Path disclosed_path(const Wedge& tests, TestOrder order, double p, Vec2 x0) {
  const std::size_t first = first_index(order);
  const HalfPlane& h1 = tests.sides[first];
  const HalfPlane& h2 = tests.sides[1 - first];
  const double tolerance = tests.tolerance(x0);
  const double s1 = h1.slack(x0);
  const double s2 = h2.slack(x0);
  if (s1 >= -tolerance) {
    if (s2 >= -tolerance) return Path{StrategyKind::stay, 0.0, x0, x0};
    // Wait at x0; project onto L̃_2 only when test 1 is disclosed as first ("point C", Fig 4).
    return Path{StrategyKind::stay_and_project, p * (-s2), x0, h2.project(x0)};
  }
  const double a = -s1;
  const double tau0 = dot(x0 - tests.vertex, tests.edges[first]);
  if (tau0 >= 0.0) {
    const Vec2 foot = h1.project(x0);  // on the edge ray of H̃: a one-step path
    return Path{StrategyKind::one_step, a, foot, foot};
  }
  // Snell-type refraction (§2.5): minimise √(a² + (τ−τ0)²) + σ·max(0, −τ), σ = p sin θ̃.
  const double sigma = p * tests.sin_angle;
  const double root = std::sqrt(1.0 - sigma * sigma);
  if (tau0 * root + a * sigma <= 0.0) {  // τ_s = τ0 + aσ/√(1−σ²) ≤ 0, written without division
    const double tau_s = tau0 + a * sigma / root;
    const Vec2 x1 = tests.vertex + tau_s * tests.edges[first];
    const Vec2 x2 = x1 - (tau_s * tests.sin_angle) * h2.normal;
    return Path{StrategyKind::refracted, a * root - sigma * tau0, x1, x2};
  }
  return Path{StrategyKind::one_step, std::hypot(a, tau0), tests.vertex, tests.vertex};
}

Path origin_additive_path(const Wedge& tests, TestOrder order, double second_leg_weight, Vec2 x0) {
  const Path one_step = one_step_path(tests, x0);
  if (one_step.kind == StrategyKind::stay) return one_step;
  const std::size_t first = first_index(order);
  const HalfPlane& h1 = tests.sides[first];
  const HalfPlane& h2 = tests.sides[1 - first];
  const double tolerance = tests.tolerance(x0);
  const bool passes_first = h1.slack(x0) >= -tolerance;
  const bool passes_second = h2.slack(x0) >= -tolerance;
  const double split = (passes_first ? 0.0 : -h1.slack(x0)) + second_leg_weight * (passes_second ? 0.0 : -h2.slack(x0));
  // Ties go to the one step (§1.9): a split path whose legs project into H̃
  // costs exactly the one step.
  // The tolerance scales with |x0 − Õ|, so the decision is the same all along
  // a ray from Õ even where both costs are tiny next to their rounding.
  if (!(split < one_step.length - 1e-10 * norm(x0 - tests.vertex))) return one_step;
  const Vec2 x1 = passes_first ? x0 : h1.project(x0);
  const Vec2 x2 = passes_second ? x0 : h2.project(x0);
  return Path{passes_first ? StrategyKind::stay_and_project : StrategyKind::split, split, x1, x2};
}

StrategyMenu strategy_menu(const Mechanism& mechanism, Vec2 x0) {
  StrategyMenu menu;
  for (const Instance& item : mechanism) {
    const StrategyMenu part = strategy_menu(item, x0);
    for (std::size_t i = 0; i < part.size; ++i) menu.options[menu.size++] = part.options[i];
  }
  return menu;
}

StrategyMenu strategy_menu(const Instance& instance, Vec2 x0) {
  const Wedge& t = instance.tests;
  const double eta = instance.criteria.cost_scale;
  const double q = instance.q;
  // Class (ii) replaces the reflection and refraction paths by split paths;
  // the menu is the same (§1.4, §8).
  const bool split = instance.cost_model == CostModel::origin_additive;
  // Through test 1 then test 2, the second leg always walked.
  const auto ordered = [&](TestOrder order) {
    return split ? origin_additive_path(t, order, 1.0, x0) : fixed_order_path(t, order, x0);
  };
  // Disclosure: the second leg is walked only when test 1 comes first, w.p. p.
  const auto targeted = [&](TestOrder order, double p) {
    return split ? origin_additive_path(t, order, p, x0) : disclosed_path(t, order, p, x0);
  };
  StrategyMenu menu;
  const auto add = [&](const Path& path, double probability) {
    menu.options[menu.size++] = with_probability(path, probability, eta);
  };
  switch (instance.procedure) {
    case Procedure::simultaneous:
      add(one_step_path(t, x0), 1.0);
      break;
    case Procedure::fixed_ab:
      add(ordered(TestOrder::a_first), 1.0);
      break;
    case Procedure::fixed_ba:
      add(ordered(TestOrder::b_first), 1.0);
      break;
    case Procedure::random_undisclosed:
      // §2.4: a single path; an A→B path is selected only when A is drawn first.
      add(one_step_path(t, x0), 1.0);
      add(ordered(TestOrder::a_first), q);
      add(ordered(TestOrder::b_first), 1.0 - q);
      break;
    case Procedure::random_disclosed:
      add(one_step_path(t, x0), 1.0);
      add(targeted(TestOrder::a_first, q), q);
      add(targeted(TestOrder::b_first, 1.0 - q), 1.0 - q);
      break;
  }
  return menu;
}

std::size_t choose_option(const StrategyMenu& menu) {
  double best_utility = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < menu.size; ++i) best_utility = std::fmax(best_utility, menu.options[i].utility());
  if (!(best_utility >= -kUtilityTolerance)) return menu.size;
  std::size_t chosen = menu.size;
  for (std::size_t i = 0; i < menu.size; ++i) {
    const Strategy& option = menu.options[i];
    if (option.utility() < best_utility - kUtilityTolerance) continue;
    if (chosen == menu.size) {
      chosen = i;
      continue;
    }
    const Strategy& incumbent = menu.options[chosen];
    // The tolerance only serves the preference for a higher selection
    // probability. Between equal probabilities the costs decide, compared
    // relatively: costs are homogeneous about Õ, so the choice cannot flip with
    // rounding along a ray. Costs equal up to rounding (a menu's items, or a
    // split path that projects into H̃) go to the path with fewer moves.
    if (option.probability > incumbent.probability) {
      chosen = i;
    } else if (option.probability == incumbent.probability) {
      const double gap = option.cost - incumbent.cost;
      const double noise = 1e-12 * std::fmax(option.cost, incumbent.cost);
      if (gap < -noise || (gap <= noise && moves(option.kind) < moves(incumbent.kind))) chosen = i;
    }
  }
  return chosen;
}

Strategy choose_strategy(const StrategyMenu& menu, Vec2 x0) {
  const std::size_t chosen = choose_option(menu);
  if (chosen == menu.size) return Strategy{StrategyKind::none, 0.0, 0.0, x0, x0};
  return menu.options[chosen];
}

bool condition_o_by_scan(const Instance& instance, std::size_t directions) {
  const Vec2 vertex = instance.tests.vertex;
  for (std::size_t k = 0; k < directions; ++k) {
    const double phi = 2.0 * std::numbers::pi * (static_cast<double>(k) + 0.5) / static_cast<double>(directions);
    const StrategyMenu menu = strategy_menu(instance, vertex + unit_vector(phi));
    const Strategy one =
        with_probability(one_step_path(instance.tests, vertex + unit_vector(phi)), 1.0, instance.criteria.cost_scale);
    for (std::size_t i = 0; i < menu.size; ++i) {
      const Strategy& s = menu.options[i];
      if (!is_two_step(s.kind)) continue;
      const double gap = one.cost - s.cost;  // per unit r
      if (gap > kUtilityTolerance && (1.0 - s.probability) * s.cost < s.probability * gap) return false;
    }
  }
  return true;
}

namespace {

BestResponse respond(const StrategyMenu& menu, const Criteria& criteria, Vec2 x0) {
  BestResponse response;
  response.option = choose_option(menu);
  // choose_strategy would pick the option again.
  response.strategy =
      response.option == menu.size ? Strategy{StrategyKind::none, 0.0, 0.0, x0, x0} : menu.options[response.option];
  const double pi = response.strategy.probability;
  if (is_qualified(criteria, response.strategy.x2)) {
    response.selected_final_in_h = pi;
  } else {
    response.selected_final_outside_h = pi;
  }
  return response;
}

}  // namespace

// Two overloads so that a single instance is not copied into a Mechanism per type.
BestResponse best_response(const Instance& instance, Vec2 x0) {
  return respond(strategy_menu(instance, x0), instance.criteria, x0);
}

BestResponse best_response(const Mechanism& mechanism, Vec2 x0) {
  return respond(strategy_menu(mechanism, x0), mechanism.criteria(), x0);
}

bool is_qualified(const Criteria& criteria, Vec2 x) {
  return criteria.wedge.contains(x, kRelativeEpsilon * (norm(x) + criteria.reach()));
}

bool can_reach_criteria(const Criteria& criteria, Vec2 x) {
  const double reach = criteria.reach();
  return criteria.wedge.distance(x) <= reach + kRelativeEpsilon * (norm(x) + reach);
}

}  // namespace mechsweep::testdesign
