#include "mechanisms/delegation/probability.hpp"

#include "mechanisms/delegation/types.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mechsweep::delegation {

double uniform_probability_negative(const Market& market, int agent, std::span<const double> direction) {
  // c = l + (u − l)∘t with t uniform on [0,1]^I: Pr(κ·c < 0) = Vol{a·t < b}.
  std::vector<double> a;
  double b = 0.0;
  for (int i = 0; i < market.tasks; ++i) {
    const double low = market.at(market.box_low, agent, i);
    const double width = market.at(market.box_high, agent, i) - low;
    b -= direction[i] * low;
    const double coefficient = direction[i] * width;
    if (coefficient < 0.0) b -= coefficient;  // t ↦ 1 − t makes the coefficient positive
    if (coefficient != 0.0) a.push_back(std::abs(coefficient));
  }
  const std::size_t d = a.size();
  if (d == 0) return b > 0.0 ? 1.0 : 0.0;
  double sum = 0.0;
  double factorial_product = 1.0;
  for (std::size_t i = 0; i < d; ++i) factorial_product *= static_cast<double>(i + 1) * a[i];
  for (std::uint64_t subset = 0; subset < (std::uint64_t{1} << d); ++subset) {
    double shifted = b;
    int size = 0;
    for (std::size_t i = 0; i < d; ++i) {
      if (((subset >> i) & 1U) != 0) shifted -= a[i], ++size;
    }
    if (shifted > 0.0) sum += (size % 2 == 0 ? 1.0 : -1.0) * std::pow(shifted, static_cast<double>(d));
  }
  return std::clamp(sum / factorial_product, 0.0, 1.0);
}

double probability_negative(const Market& market, int agent, std::span<const double> direction) {
  if (market.types) return market.types->probability_negative(market, agent, direction);
  return uniform_probability_negative(market, agent, direction);
}

bool exact_probabilities(const Market& market) { return !market.types || market.types->exact(); }

}  // namespace mechsweep::delegation
