#include "mechanisms/testdesign/optimize.hpp"

#include <nlopt.h>

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "mechanisms/testdesign/labels.hpp"
#include "mechanisms/testdesign/named_designs.hpp"

namespace mechsweep::testdesign {

namespace {

constexpr double kMinTestAngleDeg = 0.5;  // make_instance's limits (spec §7.1)
constexpr double kMaxTestAngleDeg = 179.5;
constexpr double kMaxRotationDeg = 89.0;
// Penalised scores. Every admissible design scores in [−1, 1] (−value under
// P_I, viol_mass under P_II), so a penalty of 1 + (size of the violation) is
// worse than any of them yet still slopes back toward the admissible set.
constexpr double kViolationBase = 1.0;
// Parallel or flipped tests (no usable vertex): worse than any violation.
constexpr double kInvalidAngleBase = 1e3;
// Initial simplex steps: a fifth of the reach in the shifts, and 6° in the
// rotations (the Theorem 2 design rotates by θ/2, i.e. ≥ 7.5° for θ ≥ 15°).
constexpr double kShiftStep = 0.2;
constexpr double kRotationStep = 6.0;
// Local stopping rule: the simplex is smaller than 1e-6 reach / 1e-4 degree,
// or the score moves by less than 1e-12 (below the quadrature's own error).
constexpr double kShiftXtol = 1e-6;
constexpr double kRotationXtol = 1e-4;
constexpr double kScoreFtol = 1e-12;
// Rejection sampling of random feasible starts: O(1) checks, so this many tries are cheap.
constexpr std::size_t kMaxStartDraws = 2000;
// Local searches from the best named starts (see optimize_tests).
constexpr std::size_t kNamedSearches = 2;

// RAII owner of an nlopt_opt handle.
struct NloptDestroy {
  void operator()(nlopt_opt opt) const { nlopt_destroy(opt); }
};
using NloptHandle = std::unique_ptr<std::remove_pointer_t<nlopt_opt>, NloptDestroy>;

using Point = std::array<double, 4>;

Point to_point(const TestParams& p) { return {p.shift_a, p.shift_b, p.rotate_a_deg, p.rotate_b_deg}; }
TestParams to_params(const double* x) { return {x[0], x[1], x[2], x[3]}; }

// Uniform on [0, 1) from the top 53 bits: explicit, so a seed gives the same
// draws on every platform.
double uniform01(boost::random::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }
double uniform(boost::random::mt19937_64& engine, double lo, double hi) { return lo + (hi - lo) * uniform01(engine); }

bool is_sequential(Procedure procedure) { return procedure != Procedure::simultaneous; }

// One problem: everything but the tests is fixed.
struct Problem {
  const Criteria& criteria;
  Procedure procedure;
  double q;
  Setting setting;
  Objective objective;
  const Distribution& distribution;
};

// One point of the search space, judged against the problem.
struct Assessment {
  // The objective to minimise (−value under P_I, viol_mass under P_II); +∞
  // when the point violates an O(1) constraint (no quadrature is run there).
  double objective = std::numeric_limits<double>::infinity();
  // Signed constraint, ≤ 0 iff admissible (up to rounding): −η·margin for the
  // O(1) checks, qualified_rejected_mass − kCoverageTolerance for the quadrature one.
  double constraint = 0.0;
  bool admissible = false;
  // What the penalty methods minimise and what ranks candidates: the objective
  // when admissible, otherwise a penalty worse than every admissible objective.
  double score = std::numeric_limits<double>::infinity();
};

// The multi-start search: assesses points, counts evaluations and keeps the
// best point seen so far (with the label of the start whose search found it).
class Search {
 public:
  Search(const Problem& problem, const SearchOptions& options, double shift_max)
      : problem_(problem), options_(options) {
    const double shift_min = problem.objective == Objective::p1 ? 0.0 : -shift_max;
    lower_ = {shift_min, shift_min, -kMaxRotationDeg, -kMaxRotationDeg};
    upper_ = {shift_max, shift_max, kMaxRotationDeg, kMaxRotationDeg};
    search_quadrature_.abs_tol = options.search_abs_tol;
    search_quadrature_.check_labels = false;
  }

  Point clamp(Point x) const {
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::clamp(x[i], lower_[i], upper_[i]);
    return x;
  }

  // Assess x, or its repair (see repair()) when x violates a repairable
  // constraint, and keep the judged point if it is the best so far.
  const Assessment& assess(const Point& x) {
    ++evaluations_;
    Point judged = x;
    last_ = assess_at(judged);
    last_admissible_as_given_ = last_.admissible;
    if (!last_.admissible) {
      if (const std::optional<Point> fixed = repair(x)) {
        const Assessment repaired = assess_at(*fixed);
        if (repaired.admissible) {
          judged = *fixed;
          last_ = repaired;
        }
      }
    }
    if (last_.score < best_score_) {
      best_score_ = last_.score;
      best_ = judged;
      best_label_ = current_label_;
    }
    return last_;
  }

  // Score a start point as a candidate (its repair included) without
  // searching from it. Returns its score as given, +∞ if it violates the
  // constraint before repair.
  double score_start(const Point& x, std::string_view label) {
    current_label_ = label;
    const double score = assess(x).score;
    return last_admissible_as_given_ ? score : std::numeric_limits<double>::infinity();
  }

  // One NLopt local search from `start`; the best point it visits is kept by assess().
  void local_search(const Point& start, std::string_view label, double step_scale) {
    const NloptHandle opt(nlopt_create(algorithm(), 4));
    if (!opt) throw std::runtime_error("testdesign: nlopt_create failed");
    const Point step = {kShiftStep * step_scale, kShiftStep * step_scale, kRotationStep * step_scale,
                        kRotationStep * step_scale};
    const Point xtol = {kShiftXtol, kShiftXtol, kRotationXtol, kRotationXtol};
    current_label_ = label;
    check(nlopt_set_lower_bounds(opt.get(), lower_.data()));
    check(nlopt_set_upper_bounds(opt.get(), upper_.data()));
    check(nlopt_set_min_objective(opt.get(), &Search::score_callback, this));
    check(nlopt_set_maxeval(opt.get(), static_cast<int>(std::min<std::size_t>(options_.max_evaluations_per_start,
                                                                              std::numeric_limits<int>::max()))));
    check(nlopt_set_xtol_abs(opt.get(), xtol.data()));
    check(nlopt_set_ftol_abs(opt.get(), kScoreFtol));
    check(nlopt_set_initial_step(opt.get(), step.data()));
    Point x = clamp(start);
    double minimum = 0.0;
    running_ = opt.get();
    const nlopt_result result = nlopt_optimize(opt.get(), x.data(), &minimum);
    running_ = nullptr;
    if (pending_) std::rethrow_exception(std::exchange(pending_, nullptr));
    // Round-off stops are harmless for a derivative-free search; the best point is kept anyway.
    if (result < 0 && result != NLOPT_ROUNDOFF_LIMITED) {
      throw std::runtime_error("testdesign: NLopt local search failed with code " + std::to_string(result));
    }
  }

  const Point& best() const { return best_; }
  std::string_view best_label() const { return best_label_; }
  std::size_t evaluations() const { return evaluations_; }
  std::size_t quadratures() const { return quadratures_; }

  // True when the tests satisfy the O(1) part of the constraint (used to accept random starts).
  bool admissible_without_quadrature(const TestParams& p) const {
    const std::optional<Instance> in = instance_for(p);
    if (!in) return false;
    if (problem_.objective == Objective::p1) return exact_feasibility(*in, problem_.setting);
    return covers_criteria(*in);
  }

 private:
  nlopt_algorithm algorithm() const {
    return options_.local_search == LocalSearch::subplex ? NLOPT_LN_SBPLX : NLOPT_LN_NELDERMEAD;
  }

  static void check(nlopt_result result) {
    if (result < 0) throw std::runtime_error("testdesign: NLopt setup failed with code " + std::to_string(result));
  }

  // C callbacks: exceptions must not cross NLopt's C frames, so they are
  // parked and rethrown after nlopt_optimize returns.
  template <typename Pick>
  static double guarded(void* data, const double* x, Pick pick) {
    auto* self = static_cast<Search*>(data);
    try {
      return pick(*self, Point{x[0], x[1], x[2], x[3]});
    } catch (...) {
      self->pending_ = std::current_exception();
      nlopt_force_stop(self->running_);
      return kInvalidAngleBase;
    }
  }
  static double score_callback(unsigned /*n*/, const double* x, double* /*gradient*/, void* data) {
    return guarded(data, x, [](Search& s, const Point& p) { return s.assess(p).score; });
  }

  std::optional<Instance> instance_for(const TestParams& p) const {
    // θ̃ = θ + ρ_A − ρ_B while the rotated normals keep their orientation.
    const double test_angle = degrees(problem_.criteria.angle) + p.rotate_a_deg - p.rotate_b_deg;
    if (!(test_angle >= kMinTestAngleDeg && test_angle <= kMaxTestAngleDeg)) return std::nullopt;
    try {
      return make_instance(problem_.criteria, problem_.procedure, problem_.q, p);
    } catch (const std::invalid_argument&) {
      return std::nullopt;
    }
  }

  // The repair of spec §6 item 4 ("project them onto the feasible set by
  // pushing Õ"), so the local search sees the objective continue across the
  // boundary instead of a cliff (most optima lie on it):
  //  P_I: with the rotations fixed, raising both shifts by t translates Õ, the
  //   kites and the final-point segments by a vector whose slack against both
  //   criteria grows by t/η, so every point slack in feasibility_margin()
  //   grows by exactly t/η and t = −η·margin restores feasibility, unless a
  //   test edge points out of cone(H), which no translation fixes.
  //  P_II, simultaneous: lowering both shifts by t moves Õ toward O along
  //   u_bis ∈ cone(H) ⊂ cone(H̃) (when H's edges lie in cone(H̃)), so
  //   d(O, H̃) is nonincreasing in t; bisection finds the smallest t that covers H.
  // P_II with sequential tests has no O(1) constraint to repair.
  std::optional<Point> repair(const Point& x) const {
    const std::optional<Instance> in = instance_for(to_params(x.data()));
    if (!in) return std::nullopt;
    const Criteria& c = problem_.criteria;
    const double eta = c.cost_scale;
    // Edge directions must lie in the other wedge's cone (edge_margin ≥ 0).
    const auto edge_margin = [](const Wedge& normals_from, const Wedge& edges_from) {
      double m = std::numeric_limits<double>::infinity();
      for (const HalfPlane& side : normals_from.sides) {
        for (const Vec2 edge : edges_from.edges) m = std::fmin(m, dot(side.normal, edge));
      }
      return m;
    };
    constexpr double kEdgeTolerance = 1e-12;
    if (problem_.objective == Objective::p1) {
      if (edge_margin(c.wedge, in->tests) < -kEdgeTolerance) return std::nullopt;
      const double margin = feasibility_margin(*in, problem_.setting);
      if (!(margin < 0.0)) return std::nullopt;
      // A hair beyond the boundary, so rounding cannot leave it just outside.
      const double t = -eta * margin * (1.0 + 1e-9) + 1e-12;
      const Point fixed = {x[0] + t, x[1] + t, x[2], x[3]};
      if (fixed[0] > upper_[0] || fixed[1] > upper_[1]) return std::nullopt;
      return fixed;
    }
    if (is_sequential(problem_.procedure) || edge_margin(in->tests, c.wedge) < -kEdgeTolerance) return std::nullopt;
    const auto covered = [&](double t) {
      const Point y = {x[0] - t, x[1] - t, x[2], x[3]};
      if (y[0] < lower_[0] || y[1] < lower_[1]) return false;
      const std::optional<Instance> moved = instance_for(to_params(y.data()));
      return moved && covers_criteria(*moved);
    };
    double lo = 0.0;
    double hi = 0.5;
    while (!covered(hi)) {
      lo = hi;
      hi *= 2.0;
      if (hi > upper_[0] - lower_[0]) return std::nullopt;
    }
    for (int i = 0; i < 60 && hi - lo > 1e-13 * (1.0 + hi); ++i) {
      const double mid = 0.5 * (lo + hi);
      (covered(mid) ? hi : lo) = mid;
    }
    return Point{x[0] - hi, x[1] - hi, x[2], x[3]};
  }

  double objective_of(const Evaluation& e) const {
    return problem_.objective == Objective::p1 ? -e.value : e.viol_mass;
  }

  Assessment assess_at(const Point& x) {
    const TestParams p = to_params(x.data());
    Assessment a;
    const std::optional<Instance> in = instance_for(p);
    if (!in) {
      const double test_angle = degrees(problem_.criteria.angle) + p.rotate_a_deg - p.rotate_b_deg;
      const double excess = std::max({0.0, kMinTestAngleDeg - test_angle, test_angle - kMaxTestAngleDeg});
      a.score = kInvalidAngleBase + excess / 180.0;
      a.objective = a.score;
      a.constraint = a.score;
      return a;
    }
    const double eta = problem_.criteria.cost_scale;
    const bool sequential_coverage = problem_.objective == Objective::p2 && is_sequential(problem_.procedure);
    if (!sequential_coverage) {
      // The O(1) constraints: P_I feasibility, or P_II simultaneous coverage (§6 items 4–5).
      if (problem_.objective == Objective::p1) {
        a.constraint = -eta * feasibility_margin(*in, problem_.setting);
        a.admissible = exact_feasibility(*in, problem_.setting);
      } else {
        a.constraint = -eta * coverage_margin(*in);
        a.admissible = covers_criteria(*in);
      }
      if (a.admissible) a.objective = objective_of(evaluate_now(*in));
      a.score = a.admissible ? a.objective : kViolationBase + std::fabs(a.constraint);
      return a;
    }
    // P_II, sequential: whether all of H is selected with π = 1 needs the
    // quadrature (kites; π < 1 under random orders).
    const Evaluation e = evaluate_now(*in);
    a.objective = objective_of(e);
    a.constraint = e.qualified_rejected_mass - kCoverageTolerance;
    a.admissible = a.constraint <= 0.0;
    a.score = a.admissible ? a.objective : kViolationBase + e.qualified_rejected_mass;
    return a;
  }

  Evaluation evaluate_now(const Instance& in) {
    ++quadratures_;
    return evaluate(in, problem_.setting, problem_.distribution, search_quadrature_);
  }

  const Problem& problem_;
  const SearchOptions& options_;
  QuadratureOptions search_quadrature_{};
  Point lower_{};
  Point upper_{};
  Point best_{};
  double best_score_ = std::numeric_limits<double>::infinity();
  std::string_view best_label_;
  std::string_view current_label_;
  std::size_t evaluations_ = 0;
  std::size_t quadratures_ = 0;
  Assessment last_{};
  bool last_admissible_as_given_ = false;
  std::exception_ptr pending_;
  nlopt_opt running_ = nullptr;  // the running local search, for nlopt_force_stop in a callback
};

// Draw a random start in the region where the constraint usually holds
// (shifts within two reach units of the smallest admissible shift, rotations
// up to θ), accepting the first draw that passes the O(1) check.
Point random_start(const Search& search, const Problem& problem, boost::random::mt19937_64& engine) {
  double shift_lo = -1.0;  // P_II: lenient tests up to one reach
  if (problem.objective == Objective::p1) shift_lo = problem.setting == Setting::manipulation ? 1.0 : 0.0;
  const double rotation = std::min(kMaxRotationDeg, degrees(problem.criteria.angle));
  Point x{};
  for (std::size_t attempt = 0; attempt < kMaxStartDraws; ++attempt) {
    x = {uniform(engine, shift_lo, shift_lo + 2.0), uniform(engine, shift_lo, shift_lo + 2.0),
         uniform(engine, -rotation, rotation), uniform(engine, -rotation, rotation)};
    x = search.clamp(x);
    if (search.admissible_without_quadrature(to_params(x.data()))) break;
  }
  return x;
}

}  // namespace

Objective parse_objective(std::string_view label) {
  return parse_label<Objective>("objective", label, kObjectiveLabels);
}

std::string_view to_string(Objective objective) { return kObjectiveLabels[static_cast<std::size_t>(objective)]; }
std::string_view to_string(SearchMethod method) { return kSearchMethodLabels[static_cast<std::size_t>(method)]; }

LocalSearch parse_local_search(std::string_view label) {
  return parse_label<LocalSearch>("local search", label, kLocalSearchLabels);
}

std::string_view to_string(LocalSearch local_search) {
  return kLocalSearchLabels[static_cast<std::size_t>(local_search)];
}

double coverage_margin(const Instance& instance) {
  const Criteria& c = instance.criteria;
  const Wedge& t = instance.tests;
  double margin = c.reach() - t.distance(c.wedge.vertex);
  for (const Vec2 edge : c.wedge.edges) {
    for (const HalfPlane& side : t.sides) margin = std::fmin(margin, c.reach() * dot(side.normal, edge));
  }
  return margin;
}

bool covers_criteria(const Instance& instance) {
  const double tolerance = kRelativeEpsilon * (norm(instance.tests.vertex) + instance.criteria.reach());
  return coverage_margin(instance) >= -tolerance;
}

double shift_upper_bound(const Criteria& criteria, const Distribution& distribution) {
  double extent = 0.0;
  switch (distribution.kind) {
    case DistributionKind::gaussian:
      extent = 6.0 * distribution.scale;
      break;
    case DistributionKind::uniform_disk:
      extent = distribution.scale;
      break;
    case DistributionKind::uniform_square:
      extent = std::numbers::sqrt2 * distribution.scale;
      break;
  }
  double deepest = 0.0;  // the largest slack of F's bulk against either criterion
  for (const HalfPlane& side : criteria.wedge.sides) {
    deepest = std::max(deepest, side.slack(distribution.center) + extent);
  }
  return std::max(4.0, 2.0 + criteria.cost_scale * deepest);
}

std::optional<TestParams> closed_form_tests(const Criteria& criteria, Procedure procedure, double q, Setting setting,
                                            Objective objective) {
  const TestParams stringent{1.0, 1.0, 0.0, 0.0};
  const TestParams tests_are_criteria{0.0, 0.0, 0.0, 0.0};
  if (procedure == Procedure::simultaneous) {
    if (setting == Setting::manipulation && objective == Objective::p1) return stringent;  // Prop 7
    if (setting == Setting::investment) return tests_are_criteria;                         // Props 2 and 11
    return std::nullopt;
  }
  // Prop 8 (and §2.3 item 4 for θ ≥ 90°): with Condition O the criteria as
  // tests reproduce the simultaneous outcome, which is the investment first best.
  if (setting == Setting::investment && objective == Objective::p1 &&
      condition_o(make_instance(criteria, procedure, q, tests_are_criteria))) {
    return tests_are_criteria;
  }
  return std::nullopt;
}

std::vector<NamedStart> named_starts(const Criteria& criteria, Procedure procedure, double q, Setting setting,
                                     Objective objective) {
  // Normalise q as make_instance does, so the random orders at q ∈ {0, 1} get the fixed-order starts.
  const Instance probe = make_instance(criteria, procedure, q, {});
  const Procedure p = probe.procedure;
  const double q_eff = probe.q;
  std::vector<NamedStart> starts;
  const auto add = [&](std::string_view label, TestParams params) {
    for (const NamedStart& s : starts) {
      if (to_point(s.params) == to_point(params)) return;  // e.g. cos θ = 0 makes the investment shift the criteria
    }
    starts.push_back({label, params});
  };
  if (objective == Objective::p2) {
    add("criteria", kCriteriaTests);  // selects H by staying (H ⊂ H̃): always admissible
    // Lemma 15: the stringent second test keeps all of H selected through the kite.
    if (p == Procedure::fixed_ab || p == Procedure::fixed_ba) add("lemma15", lemma15_tests(p == Procedure::fixed_ab));
    // Parallel shifts that put Õ exactly one reach from O: the deepest covering symmetric shift.
    const double cover = std::sin(criteria.angle / 2.0);
    add("cover_shift", {cover, cover, 0.0, 0.0});
    add("half_shift", kHalfShiftTests);
    return starts;
  }
  add("stringent", kStringentTests);  // h⁺ (Props 1, 7; Lemma 4)
  if (is_sequential(p)) {
    // Theorem 2's S1 for the likelier first test.
    add("bisector", bisector_tests(criteria, q_eff >= 0.5));
    add("investment_shift", investment_shift_tests(criteria, p, q_eff));  // Fig 10b / Fig 11 [D]
  }
  add("half_shift", kHalfShiftTests);  // Fig 11's example
  if (setting == Setting::investment) add("criteria", kCriteriaTests);
  return starts;
}

OptimalTests optimize_tests(const Criteria& criteria, Procedure procedure, double q, Setting setting,
                            Objective objective, const Distribution& distribution, std::uint64_t seed,
                            const SearchOptions& options) {
  OptimalTests result;
  result.procedure = procedure;
  result.q = q;

  const auto finish = [&](const TestParams& params) {
    result.params = params;
    result.instance = make_instance(criteria, procedure, q, params);
    result.evaluation = evaluate(result.instance, setting, distribution, options.final_quadrature);
    const Evaluation& e = result.evaluation;
    if (objective == Objective::p1) {
      result.objective = e.value;
      result.constraint_met = exact_feasibility(result.instance, setting) && e.viol_mass <= kFeasibilityTolerance;
    } else {
      result.objective = e.viol_mass;
      const bool covered = procedure != Procedure::simultaneous || covers_criteria(result.instance);
      result.constraint_met = covered && e.qualified_rejected_mass <= kCoverageTolerance;
    }
    return result;
  };

  if (const std::optional<TestParams> closed = closed_form_tests(criteria, procedure, q, setting, objective)) {
    result.method = SearchMethod::closed_form;
    result.winning_start = "closed_form";
    return finish(*closed);
  }

  result.method = SearchMethod::search;
  const Problem problem{criteria, procedure, q, setting, objective, distribution};
  Search search(problem, options, shift_upper_bound(criteria, distribution));
  nlopt_srand(seed);  // NLopt's own randomness (unused by NM/Sbplx today), for determinism regardless
  boost::random::mt19937_64 engine(seed);

  // Named starts are scored first, so they are all candidates whatever the
  // local searches do. Local searches start from the kNamedSearches best of
  // them that satisfy the constraint as given (the others are mostly parallel
  // shifts that converge to the same point, or infeasible ones that would only
  // walk back to the boundary), or from the first ones when none does.
  std::vector<std::pair<double, NamedStart>> named;
  for (const NamedStart& s : named_starts(criteria, procedure, q, setting, objective)) {
    named.emplace_back(search.score_start(search.clamp(to_point(s.params)), s.label), s);
  }
  std::stable_sort(named.begin(), named.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < std::min(kNamedSearches, named.size()); ++i) {
    search.local_search(to_point(named[i].second.params), named[i].second.label, 1.0);
    ++result.starts;
  }
  for (std::size_t i = 0; i < options.random_starts; ++i) {
    search.local_search(random_start(search, problem, engine), "random", 1.0);
    ++result.starts;
  }
  // Polish: a restarted simplex with a smaller step from the winner (Nelder–Mead
  // can stall on a degenerate simplex; a restart is the standard remedy).
  const Point winner = search.best();
  search.local_search(winner, search.best_label(), 0.1);

  result.evaluations = search.evaluations();
  result.quadratures = search.quadratures();
  result.winning_start = search.best_label();
  const OptimalTests searched = finish(to_params(search.best().data()));
  // The search compares candidates at search_abs_tol, so a point a hair off the
  // best named design can win by quadrature noise; compared again at the final
  // precision, the named design keeps the optimum from ever falling below it.
  const NamedStart& best_named = named.front().second;
  OptimalTests named_result = finish(best_named.params);
  const bool named_better =
      named_result.constraint_met &&
      (!searched.constraint_met || (objective == Objective::p1 ? named_result.objective > searched.objective
                                                               : named_result.objective < searched.objective));
  if (!named_better) return searched;
  named_result.winning_start = best_named.label;
  return named_result;
}

}  // namespace mechsweep::testdesign
