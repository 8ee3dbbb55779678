#include "mechanisms/delegation/market.hpp"

#include "mechanisms/delegation/types.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace mechsweep::delegation {

namespace {

[[noreturn]] void reject(const std::string& message) { throw std::invalid_argument("delegation: " + message); }

void check_size(const std::vector<double>& table, std::size_t expected, const char* name) {
  if (table.size() != expected) {
    reject(std::string(name) + " has " + std::to_string(table.size()) + " entries, expected " +
           std::to_string(expected));
  }
  for (std::size_t e = 0; e < table.size(); ++e) {
    if (!std::isfinite(table[e])) reject(std::string(name) + "[" + std::to_string(e) + "] is not finite");
  }
}

}  // namespace

void validate(const Market& market) {
  if (market.tasks < 2) reject("a market needs at least 2 task types, found " + std::to_string(market.tasks));
  if (market.agents < 1) reject("a market needs at least 1 agent, found " + std::to_string(market.agents));
  const auto cells = static_cast<std::size_t>(market.tasks) * static_cast<std::size_t>(market.agents);
  check_size(market.units, static_cast<std::size_t>(market.tasks), "units");
  check_size(market.status_quo, cells, "status_quo");
  check_size(market.cost, cells, "cost");
  check_size(market.box_low, cells, "box_low");
  check_size(market.box_high, cells, "box_high");
  check_size(market.slack, static_cast<std::size_t>(market.agents), "slack");
  for (int i = 0; i < market.tasks; ++i) {
    if (market.units[i] < 0.0) reject("units[" + std::to_string(i) + "] is negative");
    double column = 0.0;
    for (int j = 0; j < market.agents; ++j) {
      const double s = market.at(market.status_quo, j, i);
      if (s < 0.0) reject("status_quo of agent " + std::to_string(j) + ", task " + std::to_string(i) + " is negative");
      column += s;
    }
    if (std::abs(column - market.units[i]) > 1e-9 * std::max(1.0, market.units[i])) {
      std::ostringstream message;
      message << "the status quo assigns " << column << " units of task " << i << ", expected n = " << market.units[i];
      reject(message.str());
    }
  }
  if (market.types) market.types->check(market);
  for (int j = 0; j < market.agents; ++j) {
    if (market.slack[j] < 1.0) reject("slack β of agent " + std::to_string(j) + " is below 1");
    for (int i = 0; i < market.tasks; ++i) {
      const double low = market.at(market.box_low, j, i);
      const double high = market.at(market.box_high, j, i);
      if (low <= 0.0 || high < low) {
        std::ostringstream message;
        message << "agent " << j << "'s cost box for task " << i << " is [" << low << ", " << high
                << "]; costs must be positive with low ≤ high";
        reject(message.str());
      }
    }
  }
}

MonteCarloEstimate MeanAccumulator::estimate() const {
  MonteCarloEstimate estimate;
  estimate.samples = count_;
  if (count_ == 0) return estimate;
  const auto n = static_cast<double>(count_);
  estimate.mean = sum_ / n;
  if (count_ > 1) {
    const double variance = std::max(0.0, (sum_squares_ - sum_ * estimate.mean) / (n - 1.0));
    estimate.standard_error = std::sqrt(variance / n);
  }
  return estimate;
}

void draw_types(const Market& market, std::mt19937_64& rng, std::vector<double>& costs) {
  costs.resize(market.box_low.size());
  if (market.types) {
    for (int j = 0; j < market.agents; ++j) {
      market.types->draw(market, j, rng, std::span<double>(costs.data() + static_cast<std::size_t>(j) * market.tasks,
                                                           static_cast<std::size_t>(market.tasks)));
    }
    return;
  }
  for (std::size_t e = 0; e < costs.size(); ++e) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    costs[e] = market.box_low[e] + u * (market.box_high[e] - market.box_low[e]);
  }
}

}  // namespace mechsweep::delegation
