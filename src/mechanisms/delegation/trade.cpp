#include "mechanisms/delegation/trade.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "mechanisms/delegation/benchmarks.hpp"
#include "mechanisms/delegation/probability.hpp"

namespace mechsweep::delegation {

namespace {

constexpr double kRounding = 1e-12;

void check_trade(const Market& market, const BilateralTrade& trade) {
  validate(market);
  if (trade.first < 0 || trade.first >= market.agents || trade.second < 0 || trade.second >= market.agents ||
      trade.first == trade.second) {
    throw std::invalid_argument("delegation: a bilateral trade needs two distinct agents in 0.." +
                                std::to_string(market.agents - 1));
  }
  if (trade.trade.size() != static_cast<std::size_t>(market.tasks)) {
    throw std::invalid_argument("delegation: the trade γ has " + std::to_string(trade.trade.size()) +
                                " entries, expected I = " + std::to_string(market.tasks));
  }
}

}  // namespace

BilateralCheck check_bilateral(const Market& market, const BilateralTrade& trade) {
  check_trade(market, trade);
  BilateralCheck check;
  check.feasible = true;
  double delta_gamma = 0.0, first_min = 0.0, second_max = 0.0;
  for (int i = 0; i < market.tasks; ++i) {
    const double g = trade.trade[i];
    // A trade scaled to the edge of the orthant lands on 0 up to rounding.
    const double first_after = market.at(market.status_quo, trade.first, i) + g;
    const double second_after = market.at(market.status_quo, trade.second, i) - g;
    check.feasible = check.feasible && first_after >= -kRounding && second_after >= -kRounding;
    delta_gamma += (market.at(market.cost, trade.first, i) - market.at(market.cost, trade.second, i)) * g;
    // Box extremes of a linear function sit at corners, coordinate by coordinate.
    first_min += g * (g > 0.0 ? market.at(market.box_low, trade.first, i) : market.at(market.box_high, trade.first, i));
    second_max +=
        g * (g > 0.0 ? market.at(market.box_high, trade.second, i) : market.at(market.box_low, trade.second, i));
  }
  check.lowers_cost = delta_gamma < 0.0;
  check.first_may_accept = first_min < 0.0;
  check.second_may_accept = second_max > 0.0;
  return check;
}

BilateralValue bilateral_value(const Market& market, const BilateralTrade& trade) {
  check_trade(market, trade);
  BilateralValue value;
  // Pr(γ·c ≤ 0) and Pr(γ·c ≥ 0): the boundary has probability 0 unless the
  // trade is constant on the box, where both agents are indifferent and agree.
  std::vector<double> reversed(trade.trade.size());
  for (std::size_t i = 0; i < reversed.size(); ++i) reversed[i] = -trade.trade[i];
  value.accept_first = 1.0 - probability_negative(market, trade.first, reversed);
  value.accept_second = 1.0 - probability_negative(market, trade.second, trade.trade);
  double delta_gamma = 0.0;
  for (int i = 0; i < market.tasks; ++i) {
    delta_gamma += (market.at(market.cost, trade.first, i) - market.at(market.cost, trade.second, i)) * trade.trade[i];
  }
  const bool possible = check_bilateral(market, trade).feasible;
  value.gain = possible ? -value.accept_first * value.accept_second * delta_gamma : 0.0;
  value.expected_cost = status_quo_cost(market) - value.gain;
  return value;
}

double ray_reach(std::span<const double> endowment, std::span<const double> ray) {
  double reach = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < ray.size(); ++i) {
    if (ray[i] < 0.0) reach = std::min(reach, endowment[i] / -ray[i]);
  }
  return reach;
}

bool non_monotone(std::span<const double> direction) {
  const bool negative = std::any_of(direction.begin(), direction.end(), [](double x) { return x < 0.0; });
  const bool positive = std::any_of(direction.begin(), direction.end(), [](double x) { return x > 0.0; });
  return negative && positive;
}

bool polarized(std::span<const double> first, std::span<const double> second) {
  if (first.size() != second.size()) throw std::invalid_argument("delegation: rays of different dimensions");
  // t·κ' + (1 − t)·κ'' ≥ 0 for some t ∈ [0, 1]: each coordinate bounds t.
  double low = 0.0, high = 1.0;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const double slope = first[i] - second[i];  // coordinate = second + t·slope
    if (slope > 0.0) {
      low = std::max(low, -second[i] / slope);
    } else if (slope < 0.0) {
      high = std::min(high, -second[i] / slope);
    } else if (second[i] < 0.0) {
      return false;
    }
  }
  return low <= high + 1e-12;
}

}  // namespace mechsweep::delegation
