#pragma once
// The paper's constructions as named designs (spec 003 §3, §4.1), each a
// complete mechanism that testdesign.evaluate can score and that the optimiser
// uses as a start.
//
//   design            procedure        tests (shifts in 1/η, rotations in degrees)     paper
//   custom            as given         as given                                         §1.3
//   criteria          as given         (0, 0, 0, 0): the criteria themselves            Prop 2, Theorem 3
//   stringent         as given         (1, 1, 0, 0): h⁺                                  Props 1, 7; Lemma 4
//   proposition1      fixed_ab         h⁺, A first: the design that beats the best
//                                      simultaneous one                                  Prop 1, Lemma 4
//   theorem2_s1       fixed_ba         (1, 1, 0, θ/2): ĥ_B first, then h_A⁺             Theorem 2, Lemma 12
//   theorem2_menu     cheap talk       {S1 = theorem2_s1, S2 = (h_A⁺, h_B⁺, A first)}   Theorem 2 (M = X)
//   investment_shift  as given         (q cos θ, (1−q) cos θ) for the order probability
//                                      q of the procedure (fixed_ab: (cos θ, 0), Fig
//                                      10b; disclosure: (cos θ, cos θ); simultaneous: 0) Fig 10b, Fig 11 [D]
//   half_shift        as given         (1/2, 1/2, 0, 0): Fig 11's example                Fig 11
//   lemma15           fixed_ab         (0, 1, 0, 0): (h_A, h_B⁺, A first), selects all
//                                      of H (objective P_II)                            Lemma 15, Prop 10
//   perfect_tests     adaptive         Section 6.1's perfect tests (perfect_tests.hpp);
//                                      not an Instance, scored by its own best response  Prop 3, Cor 1
//
// "as given" designs take the procedure and q of the caller; the others fix
// them. Every design is built on the caller's cost model.

#include <array>
#include <string_view>

#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign {

enum class Design {
  custom,
  criteria,
  stringent,
  proposition1,
  theorem2_s1,
  theorem2_menu,
  investment_shift,
  half_shift,
  lemma15,
  perfect_tests,
};
inline constexpr std::array<std::string_view, 10> kDesignLabels = {
    "custom",        "criteria",         "stringent",  "proposition1", "theorem2_s1",
    "theorem2_menu", "investment_shift", "half_shift", "lemma15",      "perfect_tests"};

Design parse_design(std::string_view label);
std::string_view to_string(Design design);

// Test parameters of the single-test-pair constructions.
inline constexpr TestParams kCriteriaTests{0.0, 0.0, 0.0, 0.0};
inline constexpr TestParams kStringentTests{1.0, 1.0, 0.0, 0.0};
inline constexpr TestParams kHalfShiftTests{0.5, 0.5, 0.0, 0.0};
// Theorem 2's S1 test pair for the given first test: the first test is h⁺
// rotated about O⁺ onto the bisector of H (ĥ_B for B first, its mirror ĥ_A for A first).
TestParams bisector_tests(const Criteria& criteria, bool a_first);
// The minimal feasible parallel investment shifts of spec §3 (Fig 10b, Fig 11 [D]).
TestParams investment_shift_tests(const Criteria& criteria, Procedure procedure, double q);
// Lemma 15: the first test is the criterion, the second is stringent.
TestParams lemma15_tests(bool a_first);

// The mechanism of a named design. `custom` uses `tests`. Throws
// std::invalid_argument for Design::perfect_tests (not an Instance) and for
// invalid inputs (see make_instance).
Mechanism make_design(Design design, const Criteria& criteria, Procedure procedure, double q,
                      const TestParams& tests = {}, CostModel cost_model = CostModel::path_additive);

}  // namespace mechsweep::testdesign
