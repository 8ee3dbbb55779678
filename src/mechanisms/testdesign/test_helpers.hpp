#pragma once
// Shared helpers for the testdesign tests (header-only; not part of the library).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>

#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign::testing {

inline double deg(double degrees) { return radians(degrees); }

inline Instance instance(double angle_deg, Procedure procedure, double shift_a = 1.0, double shift_b = 1.0,
                         double q = 0.5, double cost_scale = 1.0, double rotate_a_deg = 0.0,
                         double rotate_b_deg = 0.0) {
  InstanceParams p;
  p.angle_deg = angle_deg;
  p.cost_scale = cost_scale;
  p.procedure = procedure;
  p.q = q;
  p.shift_a = shift_a;
  p.shift_b = shift_b;
  p.rotate_a_deg = rotate_a_deg;
  p.rotate_b_deg = rotate_b_deg;
  return make_instance(p);
}

constexpr double kOnLine = 1e-12;  // slack tolerance for points on a boundary (spec §1.9)

// x in the closed convex polygon with vertices in cyclic order (either orientation).
template <std::size_t N>
bool in_convex_polygon(const std::array<Vec2, N>& v, Vec2 x, double tol = kOnLine) {
  bool has_pos = false;
  bool has_neg = false;
  for (std::size_t i = 0; i < N; ++i) {
    const Vec2 a = v[i];
    const Vec2 b = v[(i + 1) % N];
    const double c = cross(b - a, x - a) / std::fmax(norm(b - a), 1e-300);  // signed distance to the edge line
    if (c > tol) has_pos = true;
    if (c < -tol) has_neg = true;
  }
  return !(has_pos && has_neg);
}

// Lemmas 10/11 (spec §3 Prop 13), canonical test frame with η = 1: every
// point of a 40-step lattice on the closed kite (vertices and edges included)
// lies in inner ∪ disk(O, 1). The kite's far vertex is where the inclusion binds.
inline bool kite_covered(const std::array<Vec2, 4>& kite, const std::array<Vec2, 4>& inner) {
  const int n = 40;
  for (const std::array<Vec2, 3>& tri :
       {std::array<Vec2, 3>{kite[0], kite[1], kite[2]}, std::array<Vec2, 3>{kite[0], kite[2], kite[3]}}) {
    for (int i = 0; i <= n; ++i) {
      for (int j = 0; i + j <= n; ++j) {
        const double u = static_cast<double>(i) / n;
        const double v = static_cast<double>(j) / n;
        const Vec2 x = tri[0] + u * (tri[1] - tri[0]) + v * (tri[2] - tri[0]);
        if (norm(x) > 1.0 + kOnLine && !in_convex_polygon(inner, x)) return false;
      }
    }
  }
  return true;
}

MATCHER_P2(IsNear, expected, tolerance, "") {
  const bool ok = std::fabs(arg.x - expected.x) <= tolerance && std::fabs(arg.y - expected.y) <= tolerance;
  if (!ok) *result_listener << "is (" << arg.x << ", " << arg.y << ")";
  return ok;
}

}  // namespace mechsweep::testdesign::testing
