#include "mechanisms/testdesign/evaluate.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <stdexcept>
#include <vector>

#include "mechanisms/testdesign/adaptive_quadrature.hpp"
#include "mechanisms/testdesign/best_response.hpp"

namespace mechsweep::testdesign {

namespace {

constexpr double kNegligibleMass = 1e-12;

enum Metric : std::size_t {
  total,
  first_best,
  value,
  selected,
  violation,
  stay,
  one_step,
  two_step,
  none,
  cost,
  welfare,
  two_step_selected,
  kMetricCount
};
using Metrics = detail::Values<kMetricCount>;

// Everything that is constant on a radial piece, up to the cost, which is
// homogeneous of degree one in r (cost = r·cost_per_r).
struct Label {
  std::size_t option = 0;
  StrategyKind kind = StrategyKind::none;
  double probability = 0.0;
  double value = 0.0;      // contribution to the value
  double violation = 0.0;  // contribution to the selected-and-unqualified mass
  bool first_best = false;
  double cost_per_r = 0.0;
};

// The fields that define the ray's structure signature.
bool same_discrete_label(const Label& a, const Label& b) {
  return a.option == b.option && a.kind == b.kind && a.probability == b.probability && a.value == b.value &&
         a.violation == b.violation && a.first_best == b.first_best;
}

// FNV-1a over the discrete fields: the per-ray structure signature.
std::uint64_t mix(std::uint64_t hash, std::uint64_t word) {
  for (int byte = 0; byte < 8; ++byte) {
    hash ^= (word >> (8 * byte)) & 0xffU;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t mix(std::uint64_t hash, const Label& label) {
  hash = mix(hash, (static_cast<std::uint64_t>(label.option) << 8) | static_cast<std::uint64_t>(label.kind) |
                       (label.first_best ? 0x10000ULL : 0ULL));
  for (const double x : {label.probability, label.value, label.violation})
    hash = mix(hash, std::bit_cast<std::uint64_t>(x));
  return hash;
}

// Labels that contribute the same to every metric; which menu option the agent
// picked does not matter here (two equally priced options tie on a line).
// `cost_noise` bounds the rounding noise of cost_per_r: costs are distances
// computed from absolute coordinates, so a small cost carries an absolute
// error of order η·1e-16·|x|, which divided by a small r can exceed any
// purely relative tolerance.
bool same_label(const Label& a, const Label& b, double cost_noise) {
  return a.kind == b.kind && a.probability == b.probability && a.value == b.value && a.violation == b.violation &&
         a.first_best == b.first_best &&
         std::fabs(a.cost_per_r - b.cost_per_r) <=
             1e-9 * (std::fabs(a.cost_per_r) + std::fabs(b.cost_per_r)) + cost_noise;
}

// Up to 48 event radii per ray: no allocation in the inner loop.
class EventList {
 public:
  EventList(double lo, double hi) : lo_(lo), hi_(hi) {}
  void add(double r) {
    if (r > lo_ && r < hi_ && size_ < radii_.size()) radii_[size_++] = r;
  }
  // Roots of r² + 2 b r + c = 0.
  void add_quadratic_roots(double b, double c) {
    const double disc = b * b - c;
    if (disc < 0.0) return;
    const double root = std::sqrt(disc);
    // Stable pair: the larger-magnitude root first, the other by Vieta.
    const double big = b > 0.0 ? -b - root : -b + root;
    add(big);
    if (big != 0.0) add(c / big);
  }
  // Sorted radii lo < r_1 < … < hi.
  std::span<const double> sorted() {
    std::sort(radii_.begin(), radii_.begin() + static_cast<std::ptrdiff_t>(size_));
    all_[0] = lo_;
    std::size_t n = 1;
    for (std::size_t i = 0; i < size_; ++i) {
      if (radii_[i] > all_[n - 1]) all_[n++] = radii_[i];
    }
    if (hi_ > all_[n - 1]) all_[n++] = hi_;
    return {all_.data(), n};
  }

 private:
  double lo_;
  double hi_;
  std::array<double, 48> radii_{};
  std::array<double, 50> all_{};
  std::size_t size_ = 0;
};

class RayIntegrator {
 public:
  RayIntegrator(const Mechanism& mechanism, Setting setting, const Distribution& distribution,
                std::span<const double> cuts, bool check_labels)
      : mechanism_(mechanism),
        setting_(setting),
        distribution_(distribution),
        cuts_(cuts),
        check_labels_(check_labels) {}

  // The metrics of one ray, and its structure signature: the sequence of
  // distinct discrete labels along the ray (pieces of negligible width
  // skipped, so exactly coincident events do not flicker).
  detail::Sample<kMetricCount> operator()(double phi) {
    ++rays_;
    signature_ = 0xcbf29ce484222325ULL;
    have_previous_ = false;
    const auto next = std::lower_bound(cuts_.begin(), cuts_.end(), phi);
    near_cut_ = (next != cuts_.end() && *next - phi < 1e-6) || (next != cuts_.begin() && phi - *(next - 1) < 1e-6);
    const Vec2 u = unit_vector(phi);
    const Vec2 vertex = mechanism_.vertex();
    const RayDensity ray(distribution_, vertex, u);
    detail::Sample<kMetricCount> sample;
    const auto support = ray.support();
    if (!support) return sample;
    EventList events((*support)[0], (*support)[1]);
    add_events(u, events);
    const std::span<const double> radii = events.sorted();
    for (std::size_t i = 0; i + 1 < radii.size(); ++i) add_piece(sample.values, ray, u, radii[i], radii[i + 1], 0);
    sample.signature = signature_;
    return sample;
  }

  std::size_t rays() const { return rays_; }
  std::size_t missed_switches() const { return missed_switches_; }

 private:
  void add_events(Vec2 u, EventList& events) const {
    const Vec2 vertex = mechanism_.vertex();
    const Criteria& criteria = mechanism_.criteria();
    // Strategies at r = 1 determine them at every r (homogeneity about Õ).
    const StrategyMenu menu = strategy_menu(mechanism_, vertex + u);
    for (std::size_t i = 0; i < menu.size; ++i) {
      const Strategy& s = menu.options[i];
      if (s.cost > 0.0) events.add(s.probability / s.cost);  // participation: π = r·c
      for (std::size_t j = i + 1; j < menu.size; ++j) {
        const Strategy& t = menu.options[j];
        const double slope = s.cost - t.cost;
        if (slope != 0.0) events.add((s.probability - t.probability) / slope);
      }
      // The final point Õ + r·v crosses a criterion line.
      const Vec2 v = s.x2 - vertex;
      for (const HalfPlane& h : criteria.wedge.sides) {
        const double rate = dot(h.normal, v);
        if (rate != 0.0) events.add(-h.slack(vertex) / rate);
      }
    }
    for (const HalfPlane& h : criteria.wedge.sides) {
      const double rate = dot(h.normal, u);
      if (rate == 0.0) continue;
      events.add(-h.slack(vertex) / rate);
      if (setting_ == Setting::investment) events.add((-criteria.reach() - h.slack(vertex)) / rate);
    }
    if (setting_ == Setting::investment) {
      // |Õ + r u − O|² = (1/η)²: the rounded corner of N_{1/η}(H).
      const Vec2 rel = vertex - criteria.wedge.vertex;
      events.add_quadratic_roots(dot(u, rel), dot(rel, rel) - criteria.reach() * criteria.reach());
    }
  }

  Label label_at(Vec2 u, double r) const {
    const Vec2 x = mechanism_.vertex() + r * u;
    const BestResponse response = best_response(mechanism_, x);
    const Strategy& s = response.strategy;
    Label label;
    label.option = response.option;
    label.kind = s.kind;
    label.probability = s.probability;
    label.cost_per_r = s.cost / r;
    if (setting_ == Setting::manipulation) {
      const bool qualified = is_qualified(mechanism_.criteria(), x);
      label.value = qualified ? s.probability : 0.0;
      label.violation = qualified ? 0.0 : s.probability;
      label.first_best = qualified;
    } else {
      label.value = response.selected_final_in_h;
      label.violation = response.selected_final_outside_h;
      label.first_best = can_reach_criteria(mechanism_.criteria(), x);
    }
    return label;
  }

  // Bound on the rounding noise of cost_per_r for radii ≥ r (see same_label).
  double cost_noise(double r) const {
    const double eta = mechanism_.criteria().cost_scale;
    return 1e-13 * eta * (r + norm(mechanism_.vertex()) + mechanism_.criteria().reach()) / r;
  }

  // Radius between r_same (label `from`) and r_other where the label changes.
  double locate_switch(Vec2 u, double r_same, double r_other, const Label& from) const {
    const double noise = cost_noise(std::min(r_same, r_other));
    for (int i = 0; i < 200 && std::fabs(r_other - r_same) > 1e-15 * (1.0 + std::fabs(r_other)); ++i) {
      const double mid = 0.5 * (r_same + r_other);
      if (same_label(label_at(u, mid), from, noise)) {
        r_same = mid;
      } else {
        r_other = mid;
      }
    }
    return 0.5 * (r_same + r_other);
  }

  void add_piece(Metrics& metrics, const RayDensity& ray, Vec2 u, double a, double b, int depth) {
    // Probe points: quartiles of a finite piece; a geometric spread on [a, ∞).
    const double unit = std::max(a, mechanism_.criteria().reach());
    const std::array<double, 3> probes =
        std::isinf(b) ? std::array<double, 3>{a + 0.5 * unit, a + unit, a + 2.0 * unit}
                      : std::array<double, 3>{a + 0.25 * (b - a), a + 0.5 * (b - a), a + 0.75 * (b - a)};
    const Label label = label_at(u, probes[1]);
    // Pieces narrower than 1e-9 (relative) carry no mass worth checking, and
    // inside them the 1e-12 utility tie tolerance of §1.9 blurs the switches;
    // so does the slack tolerance close to Õ (up to ~1e-12·scale / angle to the nearest cut).
    const double scale = norm(mechanism_.vertex()) + mechanism_.criteria().reach();
    if (check_labels_ && depth < 8 && b - a > 1e-9 * (a + scale) && b > 1e-5 * scale) {
      for (const double probe : {probes[0], probes[2]}) {
        if (same_label(label_at(u, probe), label, cost_noise(probes[0]))) continue;
        // Within 1e-6 rad of a cut line through Õ, rounding blurs near-ties
        // (the per-ray structure changes on the line itself): split silently.
        if (!near_cut_) ++missed_switches_;
        const double split = locate_switch(u, probes[1], probe, label);
        if (split > a && split < b) {
          add_piece(metrics, ray, u, a, split, depth + 1);
          add_piece(metrics, ray, u, split, b, depth + 1);
          return;
        }
      }
    }
    const RadialMoments m = ray.moments(a, b);
    // Pieces without mass cannot make the angular integrand kink; leaving them
    // out keeps rounding noise out of the signature: far away (negligible
    // density) and within 1e-6·scale of Õ, where the slack tolerance decides.
    if (b - a > 1e-10 * (a + scale) && b > 1e-6 * scale && !ray.negligible(a, b) &&
        !(have_previous_ && same_discrete_label(previous_, label))) {
      signature_ = mix(signature_, label);
      previous_ = label;
      have_previous_ = true;
    }
    metrics[total] += m.m1;
    if (label.first_best) metrics[first_best] += m.m1;
    metrics[value] += label.value * m.m1;
    metrics[selected] += label.probability * m.m1;
    metrics[violation] += label.violation * m.m1;
    const double cost_mass = label.cost_per_r * m.m2;
    metrics[cost] += cost_mass;
    switch (label.kind) {
      case StrategyKind::none:
        metrics[none] += m.m1;
        break;
      case StrategyKind::stay:
        metrics[stay] += m.m1;
        break;
      case StrategyKind::one_step:
        metrics[one_step] += m.m1;
        break;
      case StrategyKind::stay_and_project:
      case StrategyKind::zigzag:
      case StrategyKind::refracted:
      case StrategyKind::split:
        metrics[two_step] += m.m1;
        metrics[two_step_selected] += label.probability * m.m1;
        break;
    }
    if (label.kind != StrategyKind::none) metrics[welfare] += label.probability * m.m1 - cost_mass;
  }

  const Mechanism& mechanism_;
  Setting setting_;
  const Distribution& distribution_;
  std::span<const double> cuts_;
  bool check_labels_;
  bool near_cut_ = false;
  std::uint64_t signature_ = 0;
  Label previous_;
  bool have_previous_ = false;
  std::size_t rays_ = 0;
  std::size_t missed_switches_ = 0;
};

// ---- Angular breakpoints -------------------------------------------------

struct Line {  // {x : normal·x = offset}, unit normal
  Vec2 normal;
  double offset;
};
struct Circle {
  Vec2 center;
  double radius;
};

void intersect(const Line& l, const Line& m, std::vector<Vec2>& out) {
  const double det = cross(l.normal, m.normal);
  if (std::fabs(det) < 1e-12) return;
  out.push_back(
      {(l.offset * m.normal.y - m.offset * l.normal.y) / det, (l.normal.x * m.offset - m.normal.x * l.offset) / det});
}

void intersect(const Line& l, const Circle& c, std::vector<Vec2>& out) {
  const double gap = l.offset - dot(l.normal, c.center);
  const double h2 = c.radius * c.radius - gap * gap;
  if (h2 < 0.0) return;
  const Vec2 foot = c.center + gap * l.normal;
  const double h = std::sqrt(h2);
  out.push_back(foot + h * perp(l.normal));
  out.push_back(foot - h * perp(l.normal));
}

void intersect(const Circle& c, const Circle& d, std::vector<Vec2>& out) {
  const Vec2 delta = d.center - c.center;
  const double dist = norm(delta);
  if (!(dist > 0.0) || dist > c.radius + d.radius || dist < std::fabs(c.radius - d.radius)) return;
  const double along = (dist * dist + c.radius * c.radius - d.radius * d.radius) / (2.0 * dist);
  const double h = std::sqrt(std::max(0.0, c.radius * c.radius - along * along));
  const Vec2 e = (1.0 / dist) * delta;
  const Vec2 foot = c.center + along * e;
  out.push_back(foot + h * perp(e));
  out.push_back(foot - h * perp(e));
}

class CutCollector {
 public:
  CutCollector(Vec2 origin, const Distribution& distribution) : origin_(origin), distribution_(distribution) {}

  void direction(Vec2 d) {
    if (norm(d) > 0.0) angles_.push_back(std::atan2(d.y, d.x));
  }
  void line_through_origin(Vec2 normal) {
    direction(perp(normal));
    direction(-perp(normal));
  }
  void point(Vec2 p) {
    if (relevant(p) && norm(p - origin_) > 1e-12 * (1.0 + norm(p))) direction(p - origin_);
  }
  void tangents(const Circle& c) {
    const Vec2 to_center = c.center - origin_;
    const double dist = norm(to_center);
    if (!(dist > c.radius)) return;
    const double base = std::atan2(to_center.y, to_center.x);
    const double spread = std::asin(c.radius / dist);
    angles_.push_back(base + spread);
    angles_.push_back(base - spread);
  }

  // Sorted cut angles covering one full turn.
  std::vector<double> cuts() {
    for (double& a : angles_) a = std::remainder(a, 2.0 * std::numbers::pi);
    std::sort(angles_.begin(), angles_.end());
    std::vector<double> out;
    for (const double a : angles_) {
      if (out.empty() || a - out.back() > 1e-12) out.push_back(a);
    }
    if (out.empty()) out.push_back(-std::numbers::pi);
    if (out.size() > 1 && out.front() + 2.0 * std::numbers::pi - out.back() <= 1e-12) out.pop_back();
    out.push_back(out.front() + 2.0 * std::numbers::pi);
    return out;
  }

 private:
  // Only points where the density lives can make the angular integrand kink.
  bool relevant(Vec2 p) const {
    const Vec2 rel = p - distribution_.center;
    const double s = distribution_.scale;
    switch (distribution_.kind) {
      case DistributionKind::uniform_square:
        return std::fabs(rel.x) <= s * (1.0 + 1e-9) && std::fabs(rel.y) <= s * (1.0 + 1e-9);
      case DistributionKind::uniform_disk:
        return norm(rel) <= s * (1.0 + 1e-9);
      case DistributionKind::gaussian:
        return norm(rel) <= 12.0 * s;
    }
    return true;
  }

  Vec2 origin_;
  const Distribution& distribution_;
  std::vector<double> angles_;
};

std::vector<double> angular_cuts(const Instance& instance, Setting setting, const Distribution& distribution) {
  const Wedge& t = instance.tests;
  const Criteria& c = instance.criteria;
  const Vec2 v = t.vertex;
  const double reach = c.reach();
  CutCollector cuts(v, distribution);

  // Budgets (lengths) of the procedure's selected pieces (spec §2.6).
  std::vector<double> budgets = {reach};
  if (instance.procedure == Procedure::random_undisclosed || instance.procedure == Procedure::random_disclosed) {
    budgets.push_back(instance.q * reach);
    budgets.push_back((1.0 - instance.q) * reach);
  }
  const bool acute = t.cos_angle > 0.0;

  // Lines through Õ where the per-ray structure changes: the test lines, the
  // borders of the wedge's Voronoi cones, and the validity lines of §2.3–2.5.
  std::vector<Line> response_lines;
  for (std::size_t first = 0; first < 2; ++first) {
    const Vec2 w1 = t.sides[first].normal;
    const Vec2 w2 = t.sides[1 - first].normal;
    const Vec2 e1 = t.edges[first];
    cuts.line_through_origin(w1);
    cuts.line_through_origin(e1);
    cuts.line_through_origin(w1 + t.cos_angle * w2);                // projection onto L̃_2 passes test 1
    cuts.line_through_origin(t.cos_angle * e1 - t.sin_angle * w1);  // zig-zag validity
    cuts.line_through_origin(w2 + 2.0 * t.cos_angle * w1);          // mirror image fails test 2
    const double p = first == 0 ? instance.q : 1.0 - instance.q;
    const double sigma = p * t.sin_angle;
    if (sigma < 1.0) {
      const double root = std::sqrt(1.0 - sigma * sigma);
      cuts.line_through_origin(root * e1 - sigma * w1);  // refraction validity
      if (p > 0.0) response_lines.push_back({-root * w1 - sigma * e1, dot(-root * w1 - sigma * e1, v) + p * reach});
    }
    for (const double budget : budgets) {
      response_lines.push_back({w2, t.sides[1 - first].offset - budget});  // strip edge s̃_2 = −ρ
      if (acute) {
        const Vec2 n = -t.cos_angle * w1 - t.sin_angle * e1;  // zig-zag cost K = n·(x − Õ)
        response_lines.push_back({n, dot(n, v) + budget});
      }
    }
  }
  std::vector<Circle> response_circles;
  for (const double budget : budgets) {
    if (budget > 0.0) response_circles.push_back({v, budget});
  }
  // With q = 1/2 the A-first and B-first strategies are selected with the same
  // probability, so the agent switches between them where their costs per unit
  // r are equal: lines through Õ (two linear costs n·u) or single rays (a
  // linear cost against the distance to Õ).
  if (instance.q == 0.5 &&
      (instance.procedure == Procedure::random_undisclosed || instance.procedure == Procedure::random_disclosed)) {
    const auto cost_normals = [&](std::size_t first) {
      const Vec2 w1 = t.sides[first].normal;
      const Vec2 w2 = t.sides[1 - first].normal;
      const Vec2 e1 = t.edges[first];
      const double sigma = 0.5 * t.sin_angle;
      const double root = std::sqrt(1.0 - sigma * sigma);
      return std::array<Vec2, 5>{-1.0 * w1, -1.0 * w2, -0.5 * w2, -t.cos_angle * w1 - t.sin_angle * e1,
                                 -root * w1 - sigma * e1};
    };
    const std::array<Vec2, 5> a_first = cost_normals(0);
    const std::array<Vec2, 5> b_first = cost_normals(1);
    for (const Vec2 n : a_first) {
      for (const Vec2 m : b_first) cuts.line_through_origin(n - m);
    }
    for (const auto* normals : {&a_first, &b_first}) {
      for (const Vec2 n : *normals) cuts.direction(n);
    }
  }

  // The principal's curves: criteria, first-best boundary, support of F.
  std::vector<Line> principal_lines;
  std::vector<Circle> principal_circles;
  for (const HalfPlane& h : c.wedge.sides) {
    principal_lines.push_back({h.normal, h.offset});
    if (setting == Setting::investment) principal_lines.push_back({h.normal, h.offset - reach});
  }
  if (setting == Setting::investment) principal_circles.push_back({c.wedge.vertex, reach});
  const double s = distribution.scale;
  const Vec2 m = distribution.center;
  switch (distribution.kind) {
    case DistributionKind::uniform_square:
      principal_lines.push_back({{1.0, 0.0}, m.x + s});
      principal_lines.push_back({{1.0, 0.0}, m.x - s});
      principal_lines.push_back({{0.0, 1.0}, m.y + s});
      principal_lines.push_back({{0.0, 1.0}, m.y - s});
      break;
    case DistributionKind::uniform_disk:
      principal_circles.push_back({m, s});
      break;
    case DistributionKind::gaussian:
      cuts.direction(m - v);
      for (const double k : {1.0, 2.0, 4.0, 8.0, 12.0}) cuts.tangents({m, k * s});
      break;
  }
  for (const Circle& circle : principal_circles) cuts.tangents(circle);

  std::vector<Vec2> points = {c.wedge.vertex};
  for (const HalfPlane& h : c.wedge.sides) points.push_back(c.wedge.vertex - reach * h.normal);
  if (acute) {
    for (const bool a_first : {true, false}) {
      for (const double budget : budgets) {
        for (const Vec2 p : kite_vertices(t, a_first, budget)) points.push_back(p);
      }
      if (instance.procedure == Procedure::random_disclosed) {
        const double p = a_first ? instance.q : 1.0 - instance.q;
        for (const Vec2 x : refracted_triangle_vertices(t, a_first, p, reach)) points.push_back(x);
      }
    }
  }
  for (std::size_t i = 0; i < principal_lines.size(); ++i) {
    for (std::size_t j = i + 1; j < principal_lines.size(); ++j)
      intersect(principal_lines[i], principal_lines[j], points);
    for (const Line& l : response_lines) intersect(principal_lines[i], l, points);
    for (const Circle& circle : response_circles) intersect(principal_lines[i], circle, points);
    for (const Circle& circle : principal_circles) intersect(principal_lines[i], circle, points);
  }
  for (std::size_t i = 0; i < principal_circles.size(); ++i) {
    for (std::size_t j = i + 1; j < principal_circles.size(); ++j)
      intersect(principal_circles[i], principal_circles[j], points);
    for (const Line& l : response_lines) intersect(l, principal_circles[i], points);
    for (const Circle& circle : response_circles) intersect(principal_circles[i], circle, points);
  }
  for (const Vec2 p : points) cuts.point(p);
  return cuts.cuts();
}

// The union of the items' cuts; all items share Õ, so the angles are comparable.
std::vector<double> angular_cuts(const Mechanism& mechanism, Setting setting, const Distribution& distribution) {
  std::vector<double> cuts = angular_cuts(mechanism.items[0], setting, distribution);
  if (mechanism.size == 1) return cuts;
  cuts.pop_back();  // the closing angle, re-added below
  for (std::size_t i = 1; i < mechanism.size; ++i) {
    std::vector<double> more = angular_cuts(mechanism.items[i], setting, distribution);
    cuts.insert(cuts.end(), more.begin(), more.end() - 1);
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<double> merged;
  for (const double a : cuts) {
    if (merged.empty() || a - merged.back() > 1e-12) merged.push_back(a);
  }
  merged.push_back(merged.front() + 2.0 * std::numbers::pi);
  return merged;
}

}  // namespace

Evaluation evaluate(const Mechanism& mechanism, Setting setting, const Distribution& distribution,
                    const QuadratureOptions& options) {
  const std::vector<double> cuts = angular_cuts(mechanism, setting, distribution);
  RayIntegrator integrand(mechanism, setting, distribution, cuts, options.check_labels);
  const auto result = detail::integrate_vector<kMetricCount, 15>(integrand, cuts, options.abs_tol, options.max_panels);
  const Metrics& m = result.integral;

  Evaluation e;
  e.first_best = m[first_best];
  e.value = m[value];
  e.ratio = e.first_best > kNegligibleMass ? e.value / e.first_best : std::numeric_limits<double>::quiet_NaN();
  e.selected_mass = m[selected];
  e.viol_mass = m[violation];
  e.qualified_rejected_mass = e.first_best - e.value;
  e.feasible = e.viol_mass <= kFeasibilityTolerance;
  e.feasible_exact = exact_feasibility(mechanism, setting);
  e.share_stay = m[stay];
  e.share_one_step = m[one_step];
  e.share_two_step = m[two_step];
  e.share_none = m[none];
  e.expected_agent_cost = m[cost];
  e.agent_welfare = m[welfare];
  e.two_step_mass = m[two_step_selected];
  e.condition_o = condition_o(mechanism);
  e.total_mass = m[total];
  e.error_estimate = result.error;
  e.converged = result.converged;
  e.rays = integrand.rays();
  e.missed_switches = integrand.missed_switches();
  e.structure_splits = result.structure_splits;
  return e;
}

double value_contribution(const Mechanism& mechanism, Setting setting, Vec2 x0) {
  const BestResponse response = best_response(mechanism, x0);
  if (setting == Setting::investment) return response.selected_final_in_h;
  return is_qualified(mechanism.criteria(), x0) ? response.strategy.probability : 0.0;
}

MonteCarloEstimate monte_carlo_value(const Mechanism& mechanism, Setting setting, const Distribution& distribution,
                                     std::uint64_t seed, std::uint64_t samples) {
  if (samples == 0) throw std::invalid_argument("testdesign: a Monte Carlo estimate needs at least one sample");
  return monte_carlo_mean(distribution, seed, samples,
                          [&](Vec2 x0) { return value_contribution(mechanism, setting, x0); });
}

}  // namespace mechsweep::testdesign
