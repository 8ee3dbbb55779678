#pragma once
// The principal's payoff of a given design (spec 003 §1.8, §2.6, §5.3), by
// deterministic quadrature (spec §6 item 3c), plus a Monte Carlo cross-check.
//
// Quadrature, in polar coordinates about the test vertex Õ: every path of the
// agent is built from dot products with directions at Õ, so along a ray
// Õ + r·u each strategy's utility is π_k − r·c_k(u) and its final point is
// Õ + r·v_k(u). All radii where the best response, the qualification of x0 or
// of the final point, the first-best set or the support of F change are
// therefore roots of linear (or, for circles, quadratic) equations in r; they
// are computed exactly per ray. Between two such radii every metric is
// (A + B r) times the density, and the radial integral ∫ (A + B r) r f dr is
// done in closed form (polynomials for the uniform laws, erf/exp for the
// Gaussian); a Gauss–Legendre rule there would only add error. As a safety
// net, each radial piece is probed at three points and any label switch
// missing from the event list is located by bisection and counted in
// Evaluation::missed_switches (the tests require zero).
//
// The angle is integrated by vector-valued adaptive Gauss–Kronrod
// (adaptive_quadrature.hpp) with breakpoints at every line through Õ where the
// per-ray structure changes (test lines, Voronoi borders of H̃, zig-zag and
// refraction validity lines) and at the directions of the vertices,
// intersections and tangent points of the other curves (criteria, first-best
// boundary, support, strip edges, kites). Each ray also reports a structure
// signature (its sequence of distinct piece labels); a panel whose probes
// disagree is split exactly where the structure changes, so kinks that no
// breakpoint anticipates (e.g. a conic choice boundary crossing a criterion
// line) cost one bisection instead of deep refinement, and cannot hide next
// to a panel end. With the default tolerance the values agree with a 1e-14
// reference to about 1e-11 absolute, in a few milliseconds.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>

#include "mechanisms/testdesign/distribution.hpp"
#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign {

struct QuadratureOptions {
  // Target for the summed Gauss–Kronrod error estimate of each metric. Masses
  // are at most 1 and the estimate is pessimistic on smooth panels.
  double abs_tol = 1e-10;
  std::size_t max_panels = 8000;
  // Probe every radial piece for label switches missing from the event list.
  bool check_labels = true;
};

// A design is called feasible when the selected-and-unqualified mass is at most this.
inline constexpr double kFeasibilityTolerance = 1e-9;

struct Evaluation {
  double first_best = 0.0;               // manipulation F(H); investment F(N_{1/η}(H))
  double value = 0.0;                    // P(select a qualified agent)
  double ratio = 0.0;                    // value / first_best; NaN when first_best ≤ 1e-12
  double selected_mass = 0.0;            // E[π]
  double viol_mass = 0.0;                // P(select an unqualified agent)
  double qualified_rejected_mass = 0.0;  // first_best − value
  bool feasible = false;                 // viol_mass ≤ kFeasibilityTolerance
  bool feasible_exact = false;           // exact_feasibility(): the O(1) vertex check
  // Mass of types by the kind of their best response; the four sum to 1.
  double share_stay = 0.0;
  double share_one_step = 0.0;
  double share_two_step = 0.0;
  double share_none = 0.0;
  double expected_agent_cost = 0.0;  // E[expected cost paid], utility units (η × length)
  double agent_welfare = 0.0;        // E[max(0, best utility)]
  double two_step_mass = 0.0;        // E[π · 1{two-step strategy}]: selection bought with two steps
  bool condition_o = false;          // see condition_o() in testdesign.hpp

  // Diagnostics.
  double total_mass = 0.0;      // ∫ dF as integrated (1 up to the quadrature error)
  double error_estimate = 0.0;  // summed Gauss–Kronrod error estimate
  bool converged = false;
  std::size_t rays = 0;
  std::size_t missed_switches = 0;
  std::size_t structure_splits = 0;  // angular panels split where a ray's structure changes
};

Evaluation evaluate(const Mechanism& mechanism, Setting setting, const Distribution& distribution,
                    const QuadratureOptions& options = {});

// The principal's value from one type (spec §1.8): π·1[x0 ∈ H] in manipulation;
// P(selected and final attributes in H) in investment.
double value_contribution(const Mechanism& mechanism, Setting setting, Vec2 x0);

struct MonteCarloEstimate {
  double value = 0.0;
  double standard_error = 0.0;  // NaN for a single sample
  std::uint64_t samples = 0;
};

// The mean of contribution(x0) over `samples` ≥ 1 draws x0 ~ F from an
// mt19937_64 seeded with `seed` only, with its standard error (Welford's
// running mean and variance). Shared by every Monte Carlo cross-check.
template <typename Contribution>
MonteCarloEstimate monte_carlo_mean(const Distribution& distribution, std::uint64_t seed, std::uint64_t samples,
                                    Contribution&& contribution) {
  boost::random::mt19937_64 engine(seed);
  double mean = 0.0;
  double m2 = 0.0;
  for (std::uint64_t n = 1; n <= samples; ++n) {
    const double x = contribution(sample(distribution, engine));
    const double delta = x - mean;
    mean += delta / static_cast<double>(n);
    m2 += delta * (x - mean);
  }
  MonteCarloEstimate estimate;
  estimate.value = mean;
  estimate.samples = samples;
  estimate.standard_error = samples > 1
                                ? std::sqrt(m2 / static_cast<double>(samples - 1) / static_cast<double>(samples))
                                : std::numeric_limits<double>::quiet_NaN();
  return estimate;
}

// Plain Monte Carlo estimate of the value with `samples` draws from an
// mt19937_64 seeded with `seed` only. Throws std::invalid_argument if samples == 0.
MonteCarloEstimate monte_carlo_value(const Mechanism& mechanism, Setting setting, const Distribution& distribution,
                                     std::uint64_t seed, std::uint64_t samples);

}  // namespace mechsweep::testdesign
