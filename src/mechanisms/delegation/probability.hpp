#pragma once
// Choice probabilities under uniform types (spec 002 §2.7 "Choice
// probabilities for uniform boxes"): Pr(κ·c < 0) for c uniform on agent j's
// box is the volume of a cube cut by a half-space, computed exactly by
// inclusion–exclusion after flipping negative coordinates. It decides who
// takes a ray and who accepts a bilateral trade.

#include <span>

#include "mechanisms/delegation/market.hpp"

namespace mechsweep::delegation {

// Pr(direction·c < 0), c uniform on agent j's box; any I (doubles, accurate
// for I ≲ 10, where cancellation sets in). A box of zero width in a
// coordinate is handled (that coordinate is a constant).
double uniform_probability_negative(const Market& market, int agent, std::span<const double> direction);

// Pr(direction·c < 0) under the market's type distribution: the exact
// uniform formula when market.types is null, else the distribution's own.
double probability_negative(const Market& market, int agent, std::span<const double> direction);

// Whether probability_negative is exact (uniform) or an estimate.
bool exact_probabilities(const Market& market);

}  // namespace mechsweep::delegation
