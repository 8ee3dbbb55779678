#include "mechanisms/delegation/trade.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "mechanisms/delegation/benchmarks.hpp"

namespace mechsweep::delegation {

namespace {

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
    check.feasible = check.feasible && market.at(market.status_quo, trade.first, i) + g >= 0.0 &&
                     market.at(market.status_quo, trade.second, i) - g >= 0.0;
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

double uniform_probability_below(const Market& market, int agent, std::span<const double> direction) {
  if (market.tasks != 2 || direction.size() != 2) {
    throw std::invalid_argument("delegation: exact choice probabilities are implemented for I = 2 only");
  }
  const double x0 = market.at(market.box_low, agent, 0), x1 = market.at(market.box_high, agent, 0);
  const double y0 = market.at(market.box_low, agent, 1), y1 = market.at(market.box_high, agent, 1);
  const double area = (x1 - x0) * (y1 - y0);
  if (!(area > 0.0)) throw std::invalid_argument("delegation: agent " + std::to_string(agent) + "'s box has no area");
  // Clip the rectangle by {γ·c ≤ 0} (Sutherland–Hodgman) and take the shoelace area.
  const std::array<std::array<double, 2>, 4> corners = {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}};
  const auto value = [&](const std::array<double, 2>& p) { return direction[0] * p[0] + direction[1] * p[1]; };
  std::vector<std::array<double, 2>> clipped;
  for (std::size_t k = 0; k < corners.size(); ++k) {
    const auto& a = corners[k];
    const auto& b = corners[(k + 1) % corners.size()];
    const double va = value(a), vb = value(b);
    if (va <= 0.0) clipped.push_back(a);
    if ((va < 0.0 && vb > 0.0) || (va > 0.0 && vb < 0.0)) {
      const double t = va / (va - vb);
      clipped.push_back({a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])});
    }
  }
  double twice = 0.0;
  for (std::size_t k = 0; k < clipped.size(); ++k) {
    const auto& a = clipped[k];
    const auto& b = clipped[(k + 1) % clipped.size()];
    twice += a[0] * b[1] - b[0] * a[1];
  }
  return std::clamp(0.5 * std::abs(twice) / area, 0.0, 1.0);
}

BilateralValue bilateral_value(const Market& market, const BilateralTrade& trade) {
  check_trade(market, trade);
  BilateralValue value;
  value.accept_first = uniform_probability_below(market, trade.first, trade.trade);
  std::vector<double> reversed(trade.trade.size());
  for (std::size_t i = 0; i < reversed.size(); ++i) reversed[i] = -trade.trade[i];
  // Pr(γ·c ≥ 0) = Pr(−γ·c ≤ 0); the boundary has probability 0 on a box with area.
  value.accept_second = uniform_probability_below(market, trade.second, reversed);
  double delta_gamma = 0.0;
  for (int i = 0; i < market.tasks; ++i) {
    delta_gamma += (market.at(market.cost, trade.first, i) - market.at(market.cost, trade.second, i)) * trade.trade[i];
  }
  const bool possible = check_bilateral(market, trade).feasible;
  value.gain = possible ? -value.accept_first * value.accept_second * delta_gamma : 0.0;
  value.expected_cost = status_quo_cost(market) - value.gain;
  return value;
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
