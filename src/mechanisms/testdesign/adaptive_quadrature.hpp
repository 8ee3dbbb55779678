#pragma once
// Vector-valued, globally adaptive Gauss–Kronrod quadrature on Boost.Math's
// nodes and weights (spec 003 §6 item 3c: the outer, angular integral).
//
// Why not boost::math::quadrature::gauss_kronrod<>::integrate: it is scalar
// only. The evaluator gets a dozen metrics from each ray; integrating them one
// at a time would trace every ray a dozen times and give each metric its own
// subdivision, so the metrics would not even be consistent with one another
// (the strategy shares would no longer sum to the total mass). Here all
// components share one subdivision, refined where the largest component error is.
//
// Kinks. The integrand is piecewise smooth; where it is not smooth, the
// combinatorial structure behind it changes (e.g. two event radii of a ray
// swap). The integrand reports that structure as a 64-bit signature. A kink
// that falls between the outermost node and the end of a panel is invisible
// to the Kronrod–Gauss error estimate, so each panel is also probed just
// inside both ends; whenever two neighbouring probes disagree, the change is
// located by bisection and the panel is split exactly there.

#include <algorithm>
#include <array>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mechsweep::testdesign::detail {

template <std::size_t M>
using Values = std::array<double, M>;

template <std::size_t M>
struct Sample {
  Values<M> values{};
  std::uint64_t signature = 0;  // equal signatures ⇒ same smooth piece of the integrand
};

template <std::size_t M>
struct AdaptiveResult {
  Values<M> integral{};
  double error = 0.0;  // sum over panels of max_i |Kronrod_i − Gauss_i|
  std::size_t panels = 0;
  std::size_t evaluations = 0;
  std::size_t structure_splits = 0;  // panels split where the signature changes
  bool converged = false;
};

template <std::size_t M>
struct Panel {
  double a = 0.0;
  double b = 0.0;
  Values<M> kronrod{};
  double error = 0.0;
  std::optional<double> structure_change;  // where the signature changes inside (a, b)
};

// Offset of the end probes: a kink closer than this to a panel end costs at
// most (slope jump)·offset², far below any tolerance. The absolute floor keeps
// the probes off the rounding fuzz right at a cut (angles are O(1) numbers).
inline double end_probe_offset(double a, double b) {
  return std::min(0.25 * (b - a), std::max(1e-7 * (b - a), 1e-9 * (1.0 + std::fabs(a))));
}

// One (N, (N−1)/2) Gauss–Kronrod panel on [a, b], following the node layout
// of Boost's gauss_kronrod<Real, N>: the Gauss nodes are the Kronrod nodes of
// one parity (including 0 when the Gauss order is odd).
template <std::size_t M, unsigned N, class F>
Panel<M> evaluate_panel(F& f, double a, double b, std::size_t& evaluations) {
  using Kronrod = boost::math::quadrature::gauss_kronrod<double, N>;
  using Gauss = boost::math::quadrature::gauss<double, (N - 1) / 2>;
  const auto& x = Kronrod::abscissa();
  const auto& wk = Kronrod::weights();
  const auto& wg = Gauss::weights();
  constexpr unsigned gauss_order = (N - 1) / 2;
  constexpr std::size_t half_count = (N + 1) / 2;  // == x.size()
  const double center = 0.5 * (a + b);
  const double half = 0.5 * (b - a);

  // Probe positions in increasing order: a⁺, the N nodes, b⁻.
  std::array<double, N + 2> position{};
  std::array<std::uint64_t, N + 2> signature{};
  Values<M> kronrod{};
  Values<M> gauss{};

  const Sample<M> f0 = f(center);
  position[half_count] = center;
  signature[half_count] = f0.signature;
  for (std::size_t m = 0; m < M; ++m) kronrod[m] = f0.values[m] * wk[0];
  if (gauss_order & 1U) {
    for (std::size_t m = 0; m < M; ++m) gauss[m] = f0.values[m] * wg[0];
  }
  const unsigned gauss_parity = (gauss_order & 1U) ? 0U : 1U;
  for (std::size_t i = 1; i < half_count; ++i) {
    const Sample<M> fp = f(center + half * x[i]);
    const Sample<M> fm = f(center - half * x[i]);
    position[half_count + i] = center + half * x[i];
    signature[half_count + i] = fp.signature;
    position[half_count - i] = center - half * x[i];
    signature[half_count - i] = fm.signature;
    const bool is_gauss_node = (i % 2) == gauss_parity;
    for (std::size_t m = 0; m < M; ++m) {
      const double sum = fp.values[m] + fm.values[m];
      kronrod[m] += sum * wk[i];
      if (is_gauss_node) gauss[m] += sum * wg[i / 2];
    }
  }
  const double offset = end_probe_offset(a, b);
  position[0] = a + offset;
  signature[0] = f(position[0]).signature;
  position[N + 1] = b - offset;
  signature[N + 1] = f(position[N + 1]).signature;
  evaluations += N + 2;

  Panel<M> panel{a, b, {}, 0.0, std::nullopt};
  for (std::size_t m = 0; m < M; ++m) {
    panel.kronrod[m] = half * kronrod[m];
    panel.error = std::max(panel.error, std::fabs(half * (kronrod[m] - gauss[m])));
  }
  for (std::size_t i = 0; i + 1 < position.size(); ++i) {
    if (signature[i] == signature[i + 1]) continue;
    double lo = position[i];
    double hi = position[i + 1];
    while (hi - lo > 1e-13 * (1.0 + std::fabs(lo))) {
      const double mid = 0.5 * (lo + hi);
      ++evaluations;
      if (f(mid).signature == signature[i]) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    panel.structure_change = 0.5 * (lo + hi);
    break;
  }
  return panel;
}

// ∫ f over [cuts.front(), cuts.back()], with the given interior cut points as
// forced panel boundaries (where f is known to kink or jump). Panels are first
// split wherever the signature changes, then the panel with the largest error
// is refined until the summed error is ≤ abs_tol or max_panels is reached.
// F: double → Sample<M>.
template <std::size_t M, unsigned N = 15, class F>
AdaptiveResult<M> integrate_vector(F&& f, std::span<const double> cuts, double abs_tol, std::size_t max_panels,
                                   std::size_t max_structure_splits = 256) {
  AdaptiveResult<M> result;
  std::vector<Panel<M>> heap;  // max-heap on error
  std::vector<Panel<M>> done;  // panels too narrow to split further
  const auto by_error = [](const Panel<M>& l, const Panel<M>& r) { return l.error < r.error; };
  double error = 0.0;
  // Evaluates [a, b] and keeps splitting at structure changes; pushes smooth panels.
  std::vector<std::pair<double, double>> pending;
  const auto add_interval = [&](double a, double b) {
    pending.emplace_back(a, b);
    while (!pending.empty()) {
      const auto [lo, hi] = pending.back();
      pending.pop_back();
      Panel<M> panel = evaluate_panel<M, N>(f, lo, hi, result.evaluations);
      // Structure splits are capped so that an integrand whose signature
      // flickers cannot eat the whole budget (a kink costs one split).
      const bool splittable = hi - lo > 1e-12 * (1.0 + std::fabs(lo)) &&
                              result.structure_splits < max_structure_splits &&
                              heap.size() + done.size() + pending.size() < max_panels;
      if (panel.structure_change && splittable && *panel.structure_change > lo && *panel.structure_change < hi) {
        ++result.structure_splits;
        pending.emplace_back(*panel.structure_change, hi);
        pending.emplace_back(lo, *panel.structure_change);
        continue;
      }
      error += panel.error;
      heap.push_back(panel);
      std::push_heap(heap.begin(), heap.end(), by_error);
    }
  };
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (cuts[i + 1] > cuts[i]) add_interval(cuts[i], cuts[i + 1]);
  }
  const auto total_error = [&] {
    double sum = 0.0;
    for (const auto& p : heap) sum += p.error;
    for (const auto& p : done) sum += p.error;
    return sum;
  };
  error = total_error();
  while (error > abs_tol && !heap.empty() && heap.size() + done.size() < max_panels) {
    std::pop_heap(heap.begin(), heap.end(), by_error);
    const Panel<M> worst = heap.back();
    heap.pop_back();
    const double mid = 0.5 * (worst.a + worst.b);
    if (!(mid > worst.a && mid < worst.b) || worst.b - worst.a < 1e-13 * (1.0 + std::fabs(mid))) {
      done.push_back(worst);
      continue;
    }
    error -= worst.error;
    add_interval(worst.a, mid);
    add_interval(mid, worst.b);
    // The running sum drifts by rounding; confirm convergence on the exact sum.
    if (error <= abs_tol) error = total_error();
  }
  result.error = error;
  result.converged = error <= abs_tol;
  result.panels = heap.size() + done.size();
  for (const auto* panels : {&heap, &done}) {
    for (const auto& p : *panels) {
      for (std::size_t m = 0; m < M; ++m) result.integral[m] += p.kronrod[m];
    }
  }
  return result;
}

}  // namespace mechsweep::testdesign::detail
