#pragma once
// The agent's best response in closed form, O(1) per type and allocation-free
// (spec 003 §2.2–2.5, final attributes §2.7, tie-breaking §1.9).
//
// Path primitives return lengths (cost per unit η); the menu and the best
// response work in utility units (η × length). Every path of a type x0 is built
// from dot products with directions at the test vertex Õ, so all of them scale
// linearly with x0 − Õ: this homogeneity is what evaluate.cpp exploits.

#include <array>
#include <cstddef>
#include <string_view>

#include "mechanisms/testdesign/geometry.hpp"
#include "mechanisms/testdesign/testdesign.hpp"

namespace mechsweep::testdesign {

enum class StrategyKind {
  none,              // does not participate (not selected, pays nothing)
  stay,              // already in H̃: passes without moving
  one_step,          // moves once to a point of H̃ (x1 = x2)
  stay_and_project,  // passes test 1 where he is, then projects onto L̃_2 (§2.3 case 1, Fig 15a)
  zigzag,            // crosses L̃_1, then goes on to L̃_2 (reflection argument, §2.3 case 2)
  refracted,         // disclosure: crosses L̃_1 on a refracted path, moves on only if told (§2.5)
  split,             // cost class (ii): both changes measured from x0 (x1 = Π_1(x0), x2 = Π_2(x0)); §1.4, §8
};

inline constexpr std::array<std::string_view, 7> kStrategyKindLabels = {
    "none", "stay", "one_step", "stay_and_project", "zigzag", "refracted", "split"};
std::string_view to_string(StrategyKind kind);
// Two-step strategies: the agent moves between the two tests.
constexpr bool is_two_step(StrategyKind kind) {
  return kind == StrategyKind::stay_and_project || kind == StrategyKind::zigzag || kind == StrategyKind::refracted ||
         kind == StrategyKind::split;
}

enum class TestOrder { a_first, b_first };

// A planned path. `length` is the expected path length (for the disclosure
// strategies the second leg counts with the probability that it is walked).
struct Path {
  StrategyKind kind = StrategyKind::none;
  double length = 0.0;
  Vec2 x1{};  // attributes at stage 1
  Vec2 x2{};  // attributes at stage 2 on the branch where he passes the first test
};

// §2.2: stay if x0 ∈ H̃, otherwise one step to the nearest point of H̃.
Path one_step_path(const Wedge& tests, Vec2 x0);
// §2.3: the cheapest path that passes test 1 at stage 1 and test 2 at stage 2,
// K_12(x0) = its length. Ties between a one-step and a zig-zag path go to the one-step.
Path fixed_order_path(const Wedge& tests, TestOrder order, Vec2 x0);
// §2.5: the strategy targeted at "test 1 first" under disclosure, selected w.p. p:
// W_p(x0) = min_{x1 ∈ h̃_1} ‖x0 − x1‖ + p·d(x1, h̃_2) (wait-then-project inside
// h̃_1, refraction from outside). Requires 0 < p < 1.
Path disclosed_path(const Wedge& tests, TestOrder order, double p, Vec2 x0);
// Cost class (ii) (§1.4, §8): the cheaper of one step into H̃ and the split path
// x1 = Π_{h̃_1}(x0), x2 = Π_{h̃_2}(x0) of length d(x0,h̃_1) + w·d(x0,h̃_2), where
// w is the probability that the second leg is walked (1, or p with disclosure).
// Ties go to the one step (§1.9).
Path origin_additive_path(const Wedge& tests, TestOrder order, double second_leg_weight, Vec2 x0);

struct Strategy {
  StrategyKind kind = StrategyKind::none;
  double probability = 0.0;  // selection probability π
  double cost = 0.0;         // expected cost paid, utility units (η × expected length)
  Vec2 x1{};
  Vec2 x2{};  // final attributes on the branch where he is selected

  double utility() const { return probability - cost; }
};

// The strategies that can lead to selection, in a fixed order (spec §2.2–2.5):
//   simultaneous:       {one-step}
//   fixed_ab/fixed_ba:  {cheapest path through the fixed order}
//   random_undisclosed: {one-step (π=1), A→B path (π=q), B→A path (π=1−q)}
//   random_disclosed:   {one-step (π=1), A-targeted (π=q), B-targeted (π=1−q)}
// Dominated options are kept (the §4.2 table lists their utilities). A
// cheap-talk menu concatenates the options of its items.
struct StrategyMenu {
  std::array<Strategy, 6> options{};
  std::size_t size = 0;
};

StrategyMenu strategy_menu(const Instance& instance, Vec2 x0);
StrategyMenu strategy_menu(const Mechanism& mechanism, Vec2 x0);

// Tie-breaking of spec §1.9: utility exactly 0 participates; among strategies
// whose utilities tie (within 1e-12), the higher selection probability wins,
// which puts the one-step strategy first; between equal probabilities the
// higher exact utility wins, and exact ties go to the earlier option. Returns
// kind none (π = 0, cost 0, x1 = x2 = x0) when nothing pays.
Strategy choose_strategy(const StrategyMenu& menu, Vec2 x0);
// The index of the chosen option in menu.options, or menu.size when none pays.
std::size_t choose_option(const StrategyMenu& menu);

struct BestResponse {
  Strategy strategy;
  std::size_t option = 0;  // index into strategy_menu(instance, x0).options; its size for kind none
  // Investment bookkeeping (§1.5, §2.7): P(selected and final attributes in H)
  // and P(selected and final attributes outside H). Without disclosure x2 is
  // walked even after failing; with disclosure he stops at x1 after failing,
  // which is never a selected branch.
  double selected_final_in_h = 0.0;
  double selected_final_outside_h = 0.0;

  double utility() const { return strategy.kind == StrategyKind::none ? 0.0 : strategy.utility(); }
};

BestResponse best_response(const Instance& instance, Vec2 x0);
BestResponse best_response(const Mechanism& mechanism, Vec2 x0);

// Condition O for cost class (ii), where no closed form is known: by the
// homogeneity of every path about Õ it suffices to compare, direction by
// direction, the one-step cost rate c1 with a two-step option's rate c2 at
// selection probability p: some type strictly prefers the two-step option iff
// c2 < c1 and (1 − p)/(c1 − c2) < p/c2. Scans `directions` directions.
bool condition_o_by_scan(const Instance& instance, std::size_t directions = 7200);

// x ∈ H with the relative slack tolerance of spec §1.9.
bool is_qualified(const Criteria& criteria, Vec2 x);
// d(x, H) ≤ 1/η (with the same tolerance): the types that can reach H at cost ≤ 1.
bool can_reach_criteria(const Criteria& criteria, Vec2 x);

}  // namespace mechsweep::testdesign
