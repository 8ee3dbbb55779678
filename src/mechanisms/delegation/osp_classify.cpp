#include "mechanisms/delegation/osp_classify.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "mechanisms/delegation/trade.hpp"
#include "solvers/lp.hpp"

namespace mechsweep::delegation {

using solvers::kInfinity;
using solvers::LinearProgram;

TypeSpace TypeSpace::full_cone() { return TypeSpace{}; }

TypeSpace TypeSpace::box(std::vector<double> low, std::vector<double> high) {
  TypeSpace types;
  types.low = std::move(low);
  types.high = std::move(high);
  return types;
}

namespace {

using Vector = std::vector<double>;

void check_tolerance(double tolerance) {
  if (!std::isfinite(tolerance) || tolerance < 0.0) {
    throw std::invalid_argument("delegation: the tolerance must be finite and ≥ 0");
  }
}

void check_endowment(std::span<const double> endowment) {
  if (endowment.size() < 2) {
    throw std::invalid_argument("delegation: the endowment η has " + std::to_string(endowment.size()) +
                                " entries, expected I ≥ 2");
  }
  for (std::size_t i = 0; i < endowment.size(); ++i) {
    if (!std::isfinite(endowment[i]) || endowment[i] < 0.0) {
      throw std::invalid_argument("delegation: η(" + std::to_string(i) + ") = " + std::to_string(endowment[i]) +
                                  ", expected a finite entry ≥ 0");
    }
  }
}

// `where` names the set for the message ("" for a lone point set).
void check_points(const std::vector<Vector>& points, std::size_t dimension, const std::string& where) {
  for (std::size_t p = 0; p < points.size(); ++p) {
    if (points[p].size() != dimension) {
      throw std::invalid_argument("delegation: " + where + "point " + std::to_string(p) + " has " +
                                  std::to_string(points[p].size()) +
                                  " entries, expected I = " + std::to_string(dimension));
    }
    for (std::size_t i = 0; i < dimension; ++i) {
      if (!std::isfinite(points[p][i]) || points[p][i] < 0.0) {
        throw std::invalid_argument("delegation: " + where + "point " + std::to_string(p) + " has entry " +
                                    std::to_string(i) + " = " + std::to_string(points[p][i]) +
                                    ", expected a finite entry ≥ 0 (sets lie in R^I_+)");
      }
    }
  }
}

void check_types(const TypeSpace& types, std::size_t dimension) {
  if (types.is_full_cone() && types.high.empty()) return;
  if (types.low.size() != dimension || types.high.size() != dimension) {
    throw std::invalid_argument("delegation: the type box has " + std::to_string(types.low.size()) + " lower and " +
                                std::to_string(types.high.size()) +
                                " upper bounds, expected I = " + std::to_string(dimension) + " of each");
  }
  for (std::size_t i = 0; i < dimension; ++i) {
    const double low = types.low[i], high = types.high[i];
    if (!std::isfinite(low) || !std::isfinite(high) || low < 0.0 || low > high) {
      throw std::invalid_argument("delegation: the type box's coordinate " + std::to_string(i) + " is [" +
                                  std::to_string(low) + ", " + std::to_string(high) +
                                  "], expected finite 0 ≤ low ≤ high");
    }
  }
}

// Coordinates this close to η's count as η's: absolute below 1, relative above.
double snap_threshold(const std::vector<Vector>& points, std::span<const double> endowment, double tolerance) {
  double largest = 1.0;
  for (double e : endowment) largest = std::max(largest, std::abs(e));
  for (const Vector& x : points) {
    for (double e : x) largest = std::max(largest, std::abs(e));
  }
  return tolerance * largest;
}

// D = {x − η : x ≠ η}, coordinates within the threshold snapped to 0.
std::vector<Vector> raw_directions(const std::vector<Vector>& points, std::span<const double> endowment,
                                   double threshold) {
  std::vector<Vector> directions;
  for (const Vector& x : points) {
    Vector d(endowment.size());
    bool zero = true;
    for (std::size_t i = 0; i < d.size(); ++i) {
      d[i] = x[i] - endowment[i];
      if (std::abs(d[i]) <= threshold) d[i] = 0.0;
      zero = zero && d[i] == 0.0;
    }
    if (!zero) directions.push_back(std::move(d));
  }
  return directions;
}

double norm(std::span<const double> v) {
  double sum = 0.0;
  for (double e : v) sum += e * e;
  return std::sqrt(sum);
}

double dot(std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

SetClass classify_directions(const std::vector<Vector>& directions, double threshold) {
  SetClass result;
  if (directions.empty()) return result;  // trivial: T̃ = {η}
  const auto all = [&](auto predicate) {
    return std::all_of(directions.begin(), directions.end(),
                       [&](const Vector& d) { return std::all_of(d.begin(), d.end(), predicate); });
  };
  if (all([](double e) { return e >= 0.0; })) return {SetKind::redundant, {}};
  if (all([](double e) { return e <= 0.0; })) return {SetKind::remedial, {}};
  // Ray test against the longest direction, the best-conditioned estimate of κ.
  const Vector& longest = *std::max_element(directions.begin(), directions.end(),
                                            [](const Vector& a, const Vector& b) { return norm(a) < norm(b); });
  Vector kappa = longest;
  const double length = norm(longest);
  for (double& e : kappa) e /= length;
  if (!non_monotone(kappa)) return {SetKind::violates_claim4, {}};
  for (const Vector& d : directions) {
    const double y = dot(d, kappa);
    if (y <= threshold) return {SetKind::violates_claim4, {}};
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (std::abs(d[i] - y * kappa[i]) > threshold) return {SetKind::violates_claim4, {}};
    }
  }
  return {SetKind::ray, std::move(kappa)};
}

// One set's geometry for the OSP search: its distinct unit directions, those
// that can be attractive somewhere on C̄ and the negations of those that can
// be risky (V2 asks −c·d'' < 0).
struct SetDirections {
  std::vector<Vector> attractive;
  std::vector<Vector> risky_negated;
};

struct Violation {
  int first = -1, second = -1;
  Vector type;
};

// Decides min{t : c·a ≤ t, c·b ≤ t, c ∈ C̄} < −threshold for a pair of unit
// directions: a vertex certificate when one exists, else one small LP (one
// LinearProgram, cleared and refilled per pair).
class ViolationSearch {
 public:
  ViolationSearch(const TypeSpace& types, std::size_t dimension, double tolerance)
      : types_(types), dimension_(dimension), centre_(dimension) {
    // |c·d| ≤ ‖c‖₁ for unit d, so the threshold scales with C̄'s largest ‖c‖₁.
    double scale = 1.0;
    if (!types.is_full_cone()) {
      scale = 0.0;
      for (double h : types.high) scale += h;
    }
    threshold_ = tolerance * scale;
    for (std::size_t i = 0; i < dimension; ++i) {
      centre_[i] = types.is_full_cone() ? 1.0 / static_cast<double>(dimension) : 0.5 * (types.low[i] + types.high[i]);
    }
  }

  // min over C̄ of c·d < −threshold: closed form (a simplex vertex or a box corner).
  bool can_be_negative(std::span<const double> d) const {
    double minimum = 0.0;
    if (types_.is_full_cone()) {
      minimum = *std::min_element(d.begin(), d.end());
    } else {
      for (std::size_t i = 0; i < dimension_; ++i) minimum += d[i] * (d[i] > 0.0 ? types_.low[i] : types_.high[i]);
    }
    return minimum < -threshold_;
  }

  SetDirections directions_of(const std::vector<Vector>& raw) const {
    SetDirections set;
    std::vector<Vector> units;
    for (const Vector& d : raw) {
      Vector u = d;
      const double length = norm(d);
      for (double& e : u) e /= length;
      // Parallel points of one ray give one direction: fewer LPs.
      const bool seen = std::any_of(units.begin(), units.end(), [&](const Vector& v) {
        for (std::size_t i = 0; i < dimension_; ++i) {
          if (std::abs(u[i] - v[i]) > 1e-12) return false;
        }
        return true;
      });
      if (!seen) units.push_back(std::move(u));
    }
    for (Vector& u : units) {
      if (can_be_negative(u)) set.attractive.push_back(u);
      for (double& e : u) e = -e;
      if (can_be_negative(u)) set.risky_negated.push_back(std::move(u));
    }
    return set;
  }

  // A type in C with c·a < 0 and c·b < 0, if C̄ has one with margin.
  std::optional<Vector> both_negative(std::span<const double> a, std::span<const double> b) {
    Vector witness;
    double best = 0.0;
    if (!violating_vertex(a, b, witness, best) && !optimal_type(a, b, witness, best)) return std::nullopt;

    // Move toward the centre of C̄: t(c) = max(c·a, c·b) is convex, so with
    // weight w on the centre t ≤ (1 − w)t* + w·t(centre) ≤ t*/2 < 0, and the
    // witness is strictly positive on the cone (interior to a solid box).
    const double at_centre = std::max(dot(centre_, a), dot(centre_, b));
    const double weight = at_centre <= 0.0 ? 0.5 : std::min(0.5, -0.5 * best / (at_centre - best));
    for (std::size_t i = 0; i < dimension_; ++i) witness[i] = (1.0 - weight) * witness[i] + weight * centre_[i];
    return witness;
  }

 private:
  // A cheap primal certificate first (each LP costs a solver set-up): a
  // simplex vertex e_i, or the box corners that minimise c·a and c·b.
  bool violating_vertex(std::span<const double> a, std::span<const double> b, Vector& witness, double& best) {
    const auto consider = [&](const Vector& c) {
      const double t = std::max(dot(c, a), dot(c, b));
      if (t < -threshold_ && t < best) best = t, witness = c;
    };
    best = 0.0;
    witness.clear();
    if (types_.is_full_cone()) {
      for (std::size_t i = 0; i < dimension_; ++i) {
        corner_.assign(dimension_, 0.0);
        corner_[i] = 1.0;
        consider(corner_);
      }
    } else {
      for (std::span<const double> d : {a, b}) {
        corner_.resize(dimension_);
        for (std::size_t i = 0; i < dimension_; ++i) corner_[i] = d[i] > 0.0 ? types_.low[i] : types_.high[i];
        consider(corner_);
      }
    }
    return !witness.empty();
  }

  // The LP: min t s.t. c·a ≤ t, c·b ≤ t, c ∈ C̄ (the cone normalised Σc = 1).
  bool optimal_type(std::span<const double> a, std::span<const double> b, Vector& witness, double& best) {
    lp_.clear();
    const bool cone = types_.is_full_cone();
    for (std::size_t i = 0; i < dimension_; ++i) {
      lp_.add_column(cone ? 0.0 : types_.low[i], cone ? kInfinity : types_.high[i], 0.0);
    }
    const int t = lp_.add_column(-kInfinity, kInfinity, -1.0);  // maximize −t
    for (std::span<const double> d : {a, b}) {
      terms_.clear();
      for (std::size_t i = 0; i < dimension_; ++i) terms_.emplace_back(static_cast<int>(i), d[i]);
      terms_.emplace_back(t, -1.0);
      lp_.add_row(terms_, -kInfinity, 0.0);
    }
    if (cone) {
      terms_.clear();
      for (std::size_t i = 0; i < dimension_; ++i) terms_.emplace_back(static_cast<int>(i), 1.0);
      lp_.add_row(terms_, 1.0, 1.0);
    }
    const auto solution = lp_.maximize();
    if (solution.status != LinearProgram::Status::optimal) {
      throw std::runtime_error("delegation: the OSP violation LP did not solve to optimality");
    }
    best = -solution.objective;
    if (best >= -threshold_) return false;
    witness.assign(solution.primal.begin(), solution.primal.begin() + static_cast<std::ptrdiff_t>(dimension_));
    if (!cone) {
      for (std::size_t i = 0; i < dimension_; ++i) witness[i] = std::clamp(witness[i], types_.low[i], types_.high[i]);
    }
    return true;
  }

  const TypeSpace& types_;
  std::size_t dimension_;
  Vector centre_, corner_;
  double threshold_ = 0.0;
  LinearProgram lp_;
  std::vector<std::pair<int, double>> terms_;
};

// V2: a set attractive and risky at one type.
std::optional<Violation> find_attractive_and_risky(const std::vector<SetDirections>& sets, ViolationSearch& search) {
  for (std::size_t k = 0; k < sets.size(); ++k) {
    for (const Vector& a : sets[k].attractive) {
      for (const Vector& b : sets[k].risky_negated) {
        if (auto type = search.both_negative(a, b)) {
          return Violation{static_cast<int>(k), static_cast<int>(k), std::move(*type)};
        }
      }
    }
  }
  return std::nullopt;
}

// V1: two distinct sets attractive at one type.
std::optional<Violation> find_two_attractive(const std::vector<SetDirections>& sets, ViolationSearch& search) {
  for (std::size_t k = 0; k < sets.size(); ++k) {
    for (std::size_t l = k + 1; l < sets.size(); ++l) {
      for (const Vector& a : sets[k].attractive) {
        for (const Vector& b : sets[l].attractive) {
          if (auto type = search.both_negative(a, b)) {
            return Violation{static_cast<int>(k), static_cast<int>(l), std::move(*type)};
          }
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

SetClass classify_set(const std::vector<std::vector<double>>& points, std::span<const double> endowment,
                      double tolerance) {
  check_tolerance(tolerance);
  check_endowment(endowment);
  check_points(points, endowment.size(), "");
  const double threshold = snap_threshold(points, endowment, tolerance);
  return classify_directions(raw_directions(points, endowment, threshold), threshold);
}

OspClassification classify_menu(const std::vector<std::vector<std::vector<double>>>& sets,
                                std::span<const double> endowment, const TypeSpace& types, double tolerance) {
  check_tolerance(tolerance);
  check_endowment(endowment);
  const std::size_t dimension = endowment.size();
  for (std::size_t k = 0; k < sets.size(); ++k) {
    const std::string where = "set " + std::to_string(k) + "'s ";
    if (sets[k].empty()) {
      throw std::invalid_argument("delegation: set " + std::to_string(k) + " is empty, expected at least one point");
    }
    check_points(sets[k], dimension, where);
  }
  check_types(types, dimension);

  OspClassification result;
  result.necessity_applies = types.is_full_cone();
  const int count = static_cast<int>(sets.size());
  std::vector<std::vector<Vector>> directions(sets.size());
  std::pair<int, int> claim1_sets{-1, -1}, claim3_sets{-1, -1}, claim2_sets{-1, -1}, claim4_sets{-1, -1},
      claim5_sets{-1, -1}, claim6_sets{-1, -1}, corollary2_sets{-1, -1};

  for (int k = 0; k < count; ++k) {
    const double threshold = snap_threshold(sets[k], endowment, tolerance);
    directions[k] = raw_directions(sets[k], endowment, threshold);
    result.sets.push_back(classify_directions(directions[k], threshold));
    // Claim 1: η is a point of T̃^k (a snapped direction of 0).
    const bool has_endowment = std::any_of(sets[k].begin(), sets[k].end(), [&](const Vector& x) {
      for (std::size_t i = 0; i < dimension; ++i) {
        if (std::abs(x[i] - endowment[i]) > threshold) return false;
      }
      return true;
    });
    if (!has_endowment && result.claim1) result.claim1 = false, claim1_sets = {k, -1};
    if (result.sets[k].kind == SetKind::violates_claim4 && result.claim4) result.claim4 = false, claim4_sets = {k, -1};
  }

  // Claims 2 and 3 are V1 and V2 on the full cone.
  const TypeSpace cone = TypeSpace::full_cone();
  ViolationSearch cone_search(cone, dimension, tolerance);
  std::vector<SetDirections> cone_directions;
  for (const auto& raw : directions) cone_directions.push_back(cone_search.directions_of(raw));
  const auto cone_v2 = find_attractive_and_risky(cone_directions, cone_search);
  const auto cone_v1 = find_two_attractive(cone_directions, cone_search);
  if (cone_v2) result.claim3 = false, claim3_sets = {cone_v2->first, cone_v2->second};
  if (cone_v1) result.claim2 = false, claim2_sets = {cone_v1->first, cone_v1->second};

  // Claim 5 and Corollary 2 over the ray-contained sets; Claim 6 over remedial ones.
  std::vector<int> rays;
  for (int k = 0; k < count; ++k) {
    if (result.sets[k].kind != SetKind::ray) continue;
    for (int l : rays) {
      if (result.claim5 && !polarized(result.sets[l].direction, result.sets[k].direction)) {
        result.claim5 = false, claim5_sets = {l, k};
      }
    }
    rays.push_back(k);
    if (rays.size() == dimension + 1) result.corollary2 = false, corollary2_sets = {rays.front(), k};
  }
  for (int k = 0; k < count && result.claim6; ++k) {
    if (result.sets[k].kind != SetKind::remedial) continue;
    // Duplicates count: two equal non-trivial remedial items are both
    // attractive at every c > 0, so "distinct" means distinct menu items.
    for (int l = 0; l < count; ++l) {
      const SetKind other = result.sets[l].kind;
      if (l != k && other != SetKind::trivial && other != SetKind::redundant) {
        result.claim6 = false, claim6_sets = {std::min(k, l), std::max(k, l)};
        break;
      }
    }
  }

  const std::pair<bool, std::pair<int, int>> claims[] = {
      {result.claim1, claim1_sets},         {result.claim2, claim2_sets}, {result.claim3, claim3_sets},
      {result.claim4, claim4_sets},         {result.claim5, claim5_sets}, {result.claim6, claim6_sets},
      {result.corollary2, corollary2_sets},
  };
  for (int c = 0; c < 7; ++c) {
    if (!claims[c].first) {
      result.first_failing_claim = c + 1;
      result.witness_sets = claims[c].second;
      break;
    }
  }
  if (result.claim4 && result.claim5 && result.claim6 && result.corollary2) {
    result.form = rays.empty() ? OspClassification::Form::remedial : OspClassification::Form::polarized_rays;
  }

  // Exact OSP on the given type space; on the full cone it is Claims 2 and 3.
  std::optional<Violation> violation;
  if (types.is_full_cone()) {
    violation = cone_v2 ? cone_v2 : cone_v1;
  } else {
    ViolationSearch search(types, dimension, tolerance);
    std::vector<SetDirections> box_directions;
    for (const auto& raw : directions) box_directions.push_back(search.directions_of(raw));
    violation = find_attractive_and_risky(box_directions, search);
    if (!violation) violation = find_two_attractive(box_directions, search);
  }
  result.osp_on_type_space = !violation.has_value();
  if (violation) {
    result.witness_type = std::move(violation->type);
    result.witness_pair = {violation->first, violation->second};
  }
  return result;
}

}  // namespace mechsweep::delegation
