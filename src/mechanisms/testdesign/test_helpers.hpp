#pragma once
// Shared helpers for the testdesign tests (header-only; not part of the library).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign::testing {

inline double deg(double degrees) { return degrees * std::numbers::pi / 180.0; }

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

MATCHER_P2(IsNear, expected, tolerance, "") {
  const bool ok = std::fabs(arg.x - expected.x) <= tolerance && std::fabs(arg.y - expected.y) <= tolerance;
  if (!ok) *result_listener << "is (" << arg.x << ", " << arg.y << ")";
  return ok;
}

}  // namespace mechsweep::testdesign::testing
