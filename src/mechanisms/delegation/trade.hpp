#pragma once
// Trades between agents (spec 002 §1.6, §2.3): Lemma 2's bilateral trading
// mechanism and the polarization predicate for rays.
//
// In the bilateral mechanism agent j' may move from σ_{j'} to σ_{j'} + γ and
// j'' from σ_{j''} to σ_{j''} − γ; trade happens iff both agree (j' iff
// γ·c_{j'} ≤ 0, j'' iff γ·c_{j''} ≥ 0). With independent types the expected
// cost is V_SQ + q'q''(π_{j'} − π_{j''})·γ, q' = Pr(γ·c_{j'} ≤ 0),
// q'' = Pr(γ·c_{j''} ≥ 0) (spec §2.3 "Value", derived).

#include <span>
#include <vector>

#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

struct BilateralTrade {
  int first = 0;              // j': receives γ
  int second = 1;             // j'': gives γ
  std::vector<double> trade;  // γ ∈ R^I
};

// Lemma 2's four conditions; improves ⇔ all four hold.
struct BilateralCheck {
  bool feasible = false;           // 1: σ_{j'} + γ ≥ 0 and σ_{j''} − γ ≥ 0
  bool lowers_cost = false;        // 2: (π_{j'} − π_{j''})·γ < 0
  bool first_may_accept = false;   // 3: min over C_{j'} of γ·c < 0
  bool second_may_accept = false;  // 4: max over C_{j''} of γ·c > 0
  bool improves() const { return feasible && lowers_cost && first_may_accept && second_may_accept; }
};
BilateralCheck check_bilateral(const Market& market, const BilateralTrade& trade);

struct BilateralValue {
  double accept_first = 0.0;   // q'
  double accept_second = 0.0;  // q''
  double gain = 0.0;           // V_SQ − E[V] = −q'q''(π_{j'} − π_{j''})·γ
  double expected_cost = 0.0;  // E[V]
};
// Uniform types on the boxes (probability.hpp), any I.
BilateralValue bilateral_value(const Market& market, const BilateralTrade& trade);

// Rays κ', κ'' from the endowment are polarized iff some y', y'' ≥ 0, not both
// 0, give y'κ' + y''κ'' ≥ 0, i.e. cvh{κ', κ''} meets R^I_+ (spec §1.6).
bool polarized(std::span<const double> first, std::span<const double> second);
// A valid ray direction is non-monotone: some coordinate < 0 and some > 0.
bool non_monotone(std::span<const double> direction);

// ȳ = min over κ(i) < 0 of η(i)/|κ(i)|: how far the ray η + yκ stays in R^I_+
// (spec §1.6; 0 when it would take a task the agent does not hold, +∞ for a
// direction without a negative coordinate).
double ray_reach(std::span<const double> endowment, std::span<const double> ray);

}  // namespace mechsweep::delegation
