#pragma once
// The principal's optimal tests for a fixed procedure (spec 003 §1.8, §3, §6 items 4–5).
//
// Given the criteria H (θ, η), a procedure, its q, the setting, the objective
// and the type distribution F, find the tests (h̃_A, h̃_B) that
//   P_I  (§1.8):  maximise P(select a qualified agent)
//                 subject to: no unqualified type is ever selected (the exact
//                 O(1) check exact_feasibility(), so "never" is read for every
//                 type, which is stricter than F-a.s. when F has compact support);
//   P_II (§6.3):  minimise P(select an unqualified agent)
//                 subject to: every qualified type is selected with π = 1, F-a.s.
//                 Simultaneous tests use the exact O(1) check covers_criteria();
//                 sequential procedures use the quadrature's
//                 qualified_rejected_mass ≤ kCoverageTolerance.
//
// Closed forms (no search; SearchMethod::closed_form):
//   simultaneous, manipulation, P_I  → h⁺ (shifts 1, 1)             Prop 7 / Prop 1
//   simultaneous, investment,   P_I  → the criteria (shifts 0, 0)   Prop 2 (first best)
//   simultaneous, investment,   P_II → the criteria                 Prop 11 (no unqualified selected)
//   investment, P_I, any sequential procedure whose criteria-as-tests
//     instance satisfies Condition O (random order without disclosure:
//     sin θ ≥ max(q, 1 − q); any procedure: θ ≥ 90°) → the criteria,
//     which reproduce the simultaneous outcome and reach the first best  Prop 8, §2.3 item 4
// Everything else is searched: multi-start local derivative-free search
// (NLopt Nelder–Mead by default) over the four test parameters below,
// started from the paper's named designs and from seeded random feasible
// points. Infeasible points are repaired when an O(1) repair exists, and
// otherwise get a continuous penalty (feasibility_margin(), coverage_margin(),
// qualified_rejected_mass) so the simplex walks back. Every evaluated point is
// a candidate, so the result is never worse than the best named start.
//
// Search space (the InstanceParams test fields; q and the procedure are fixed):
//
//   parameter     type   range                     meaning
//   shift_a       real   [lo, S_max]               δ_A, inward shift of test A in units of 1/η
//   shift_b       real   [lo, S_max]               δ_B
//   rotate_a_deg  real   [−89, 89]                 ρ_A, CCW rotation of test A's normal about Õ
//   rotate_b_deg  real   [−89, 89]                 ρ_B
//
//   lo = 0 under P_I (every feasible design has Õ ∈ H, in manipulation even
//   Õ ∈ H⁺, i.e. shifts ≥ 1), lo = −S_max under P_II (Lemma 14: the optimal
//   simultaneous tests may be lenient on one side). S_max = shift_upper_bound():
//   beyond it the test wedge lies past the bulk of F (see there).
//   The test angle θ̃ = θ + ρ_A − ρ_B must stay in [0.5°, 179.5°] (parallel tests
//   have no vertex; make_instance throws): points outside are penalised.
//
// SearchOptions. One quadrature costs ≈ 0.6–1 ms for simultaneous tests and
// fixed orders and ≈ 3–9 ms for random orders (nearly independent of
// search_abs_tol: the panel count is set by the breakpoints). Measured in
// Release (2 cores, Gaussian F, θ ∈ {20, 40, 45}°): a fixed-order search takes
// 0.3–0.7 s, a simultaneous P_II search 0.3 s, a random-order search 1.6–3.8 s.
// Against a reference run with 30 random starts × 400 evaluations the defaults
// find the same P_I optima, and P_II optima within 1e-3 (sequential) and 5e-4
// (simultaneous). Nelder–Mead and Sbplx tie under P_I; Nelder–Mead was better
// for sequential P_II, hence the default.
//
//   option                     type    default      meaning
//   random_starts              size    2            seeded random feasible starts besides the named ones
//   max_evaluations_per_start  size    100          objective calls per local search (cheap infeasible ones included)
//   search_abs_tol             real    1e-7         QuadratureOptions::abs_tol during the search
//   local_search               enum    nelder_mead  nelder_mead | subplex (NLopt LN_NELDERMEAD / LN_SBPLX)
//   final_quadrature           struct  {}           the winner is re-evaluated with these options
//
// Local searches run from the two best named starts that satisfy the
// constraint, from each random start, and once more (a smaller simplex) from
// the winner. Under P_I and simultaneous P_II an infeasible point is first
// repaired by moving Õ along the bisector until the O(1) constraint holds
// (spec §6 item 4; see optimize.cpp), so the search sees a continuous
// objective across the boundary, where most optima lie.
//
// Determinism: the random starts come from boost::random::mt19937_64 seeded
// only with `seed`, and nlopt_srand(seed) is called; the same inputs and seed
// give a bit-identical result on the same build.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mechanisms/testdesign/distribution.hpp"
#include "mechanisms/testdesign/evaluate.hpp"
#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign {

// Spec §1.8 P_I and §6.3 P_II.
enum class Objective { p1, p2 };
inline constexpr std::array<std::string_view, 2> kObjectiveLabels = {"p1", "p2"};
// Parse the lowercase label; throw std::invalid_argument listing the allowed labels.
Objective parse_objective(std::string_view label);
std::string_view to_string(Objective objective);

enum class SearchMethod { closed_form, search };
inline constexpr std::array<std::string_view, 2> kSearchMethodLabels = {"closed_form", "search"};
std::string_view to_string(SearchMethod method);

// The NLopt local algorithm run from each start.
enum class LocalSearch { nelder_mead, subplex };
inline constexpr std::array<std::string_view, 2> kLocalSearchLabels = {"nelder_mead", "subplex"};
LocalSearch parse_local_search(std::string_view label);
std::string_view to_string(LocalSearch local_search);


// Under P_II a sequential design counts as selecting all of H when its
// quadrature qualified_rejected_mass is at most this.
inline constexpr double kCoverageTolerance = 1e-9;

struct SearchOptions {
  std::size_t random_starts = 2;
  std::size_t max_evaluations_per_start = 100;
  double search_abs_tol = 1e-7;
  LocalSearch local_search = LocalSearch::nelder_mead;
  QuadratureOptions final_quadrature{};
};

struct OptimalTests {
  Procedure procedure = Procedure::fixed_ab;
  double q = 1.0;
  TestParams params;
  Instance instance;
  Evaluation evaluation;  // at SearchOptions::final_quadrature
  // P_I: evaluation.value (maximised); P_II: evaluation.viol_mass (minimised).
  double objective = 0.0;
  // P_I: exact_feasibility() and viol_mass ≤ kFeasibilityTolerance.
  // P_II: every qualified type selected (covers_criteria() for simultaneous
  // tests, and qualified_rejected_mass ≤ kCoverageTolerance).
  bool constraint_met = false;
  SearchMethod method = SearchMethod::search;
  std::size_t evaluations = 0;  // objective calls, including the cheap infeasible ones
  std::size_t quadratures = 0;  // of which ran the quadrature
  std::size_t starts = 0;       // local searches started (named + random; the final polish not counted)
  // Label of the start the optimum came from: "closed_form", "stringent",
  // "criteria", "bisector", "investment_shift", "half_shift", "cover_shift", "lemma15",
  // "random".
  std::string_view winning_start;
};

// Spec §6 item 5: H ⊂ N_{1/η}(H̃), i.e. simultaneous tests select every
// qualified type (every type, not just F-a.s.). d(·, H̃) is convex with
// recession function dist(·, cone(H̃)), so on H it is bounded by d(O, H̃) iff
// both edge directions of H lie in cone(H̃) (otherwise it is unbounded); the
// spec's parallel-gap case is then implied. coverage_margin is the continuous
// version: min(1/η − d(O, H̃), (1/η)·w̃_j·e_i over i, j), ≥ 0 iff covered.
double coverage_margin(const Instance& instance);
bool covers_criteria(const Instance& instance);

// S_max, the upper bound on the shifts: 2 + η·max(0, max_i s_i(c) + r_F), at
// least 4, where c is F's center and r_F its extent (6σ for the Gaussian, the
// radius of the disk, √2·half-width of the square). A feasible P_I test wedge
// with Õ deeper than that selects only types within a kite's reach of F's tail.
double shift_upper_bound(const Criteria& criteria, const Distribution& distribution);

// The closed-form optimum listed at the top, or nullopt when the design must be searched.
std::optional<TestParams> closed_form_tests(const Criteria& criteria, Procedure procedure, double q, Setting setting,
                                            Objective objective);

// The paper's named designs used as starts for the given problem.
struct NamedStart {
  std::string_view label;
  TestParams params;
};
std::vector<NamedStart> named_starts(const Criteria& criteria, Procedure procedure, double q, Setting setting,
                                     Objective objective);

OptimalTests optimize_tests(const Criteria& criteria, Procedure procedure, double q, Setting setting,
                            Objective objective, const Distribution& distribution, std::uint64_t seed,
                            const SearchOptions& options = {});

}  // namespace mechsweep::testdesign
