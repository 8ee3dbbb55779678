#include "mechanisms/testdesign/named_designs.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include "mechanisms/testdesign/labels.hpp"

namespace mechsweep::testdesign {

Design parse_design(std::string_view label) { return parse_label<Design>("design", label, kDesignLabels); }

std::string_view to_string(Design design) { return kDesignLabels[static_cast<std::size_t>(design)]; }

TestParams bisector_tests(const Criteria& criteria, bool a_first) {
  // h_B's normal turned by +θ/2 is the bisector's normal (−cos θ/2, sin θ/2); by symmetry h_A's turns by −θ/2.
  const double half_angle_deg = degrees(criteria.angle) / 2.0;
  return a_first ? TestParams{1.0, 1.0, -half_angle_deg, 0.0} : TestParams{1.0, 1.0, 0.0, half_angle_deg};
}

TestParams investment_shift_tests(const Criteria& criteria, Procedure procedure, double q) {
  // For θ ≥ 90° no two-step path exists and the criteria are already feasible.
  const double c = std::fmax(0.0, std::cos(criteria.angle));
  switch (procedure) {
    case Procedure::simultaneous:
      return kCriteriaTests;
    case Procedure::fixed_ab:
      return {c, 0.0, 0.0, 0.0};
    case Procedure::fixed_ba:
      return {0.0, c, 0.0, 0.0};
    case Procedure::random_undisclosed:
      return {q * c, (1.0 - q) * c, 0.0, 0.0};
    case Procedure::random_disclosed:
      // Both wait-then-project triangles reach the full budget whatever q (§2.7).
      return {c, c, 0.0, 0.0};
  }
  return kCriteriaTests;
}

TestParams lemma15_tests(bool a_first) {
  return a_first ? TestParams{0.0, 1.0, 0.0, 0.0} : TestParams{1.0, 0.0, 0.0, 0.0};
}

Mechanism make_design(Design design, const Criteria& criteria, Procedure procedure, double q, const TestParams& tests,
                      CostModel cost_model) {
  const auto build = [&](Procedure p, double probability, const TestParams& t) {
    return make_instance(criteria, p, probability, t, cost_model);
  };
  switch (design) {
    case Design::custom:
      return build(procedure, q, tests);
    case Design::criteria:
      return build(procedure, q, kCriteriaTests);
    case Design::stringent:
      return build(procedure, q, kStringentTests);
    case Design::proposition1:
      return build(Procedure::fixed_ab, 1.0, kStringentTests);
    case Design::theorem2_s1:
      return build(Procedure::fixed_ba, 0.0, bisector_tests(criteria, false));
    case Design::theorem2_menu:
      return make_menu(build(Procedure::fixed_ba, 0.0, bisector_tests(criteria, false)),
                       build(Procedure::fixed_ab, 1.0, kStringentTests));
    case Design::investment_shift: {
      // The shifts follow the normalised procedure (q ∈ {0, 1} is a fixed order).
      const Instance probe = build(procedure, q, kCriteriaTests);
      return build(probe.procedure, probe.q, investment_shift_tests(criteria, probe.procedure, probe.q));
    }
    case Design::half_shift:
      return build(procedure, q, kHalfShiftTests);
    case Design::lemma15:
      return build(Procedure::fixed_ab, 1.0, lemma15_tests(true));
    case Design::perfect_tests:
      throw std::invalid_argument(
          "testdesign: perfect_tests is an adaptive mechanism with perfect tests, not a pair of half-plane tests; "
          "score it with perfect_tests.hpp");
  }
  throw std::invalid_argument("testdesign: unknown design");
}

}  // namespace mechsweep::testdesign
