#include "mechanisms/delegation/types.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace mechsweep::delegation {

BetaTypes::BetaTypes(int agents, int tasks, double a, double b, int sample_size, std::uint64_t seed)
    : agents_(agents), tasks_(tasks), sample_size_(sample_size), a_(a), b_(b) {
  if (agents < 1 || tasks < 2) throw std::invalid_argument("delegation: Beta types need J ≥ 1 agents and I ≥ 2 tasks");
  if (!(a > 0.0 && b > 0.0 && std::isfinite(a) && std::isfinite(b))) {
    throw std::invalid_argument("delegation: Beta type shapes must be positive and finite, found a = " +
                                std::to_string(a) + ", b = " + std::to_string(b));
  }
  if (sample_size < 1) throw std::invalid_argument("delegation: the Beta type sample needs at least one point");
  std::mt19937_64 rng(seed);
  sample_.resize(static_cast<std::size_t>(agents) * sample_size * tasks);
  for (double& u : sample_) u = unit_draw(rng);
}

double BetaTypes::unit_draw(std::mt19937_64& rng) const {
  // B = X/(X+Y) with X ~ Γ(a), Y ~ Γ(b). std::gamma_distribution is fixed on
  // one standard library, which is what the store's reproducibility needs.
  std::gamma_distribution<double> first(a_, 1.0), second(b_, 1.0);
  const double x = first(rng), y = second(rng);
  return x + y > 0.0 ? x / (x + y) : 0.5;
}

void BetaTypes::draw(const Market& market, int agent, std::mt19937_64& rng, std::span<double> type) const {
  for (int i = 0; i < market.tasks; ++i) {
    const double low = market.at(market.box_low, agent, i);
    type[i] = low + (market.at(market.box_high, agent, i) - low) * unit_draw(rng);
  }
}

double BetaTypes::probability_negative(const Market& market, int agent, std::span<const double> direction) const {
  // direction·c = direction·c̲ + Σ_i direction_i (c̄ − c̲)_i u_i.
  double offset = 0.0;
  std::vector<double> scaled(static_cast<std::size_t>(tasks_));
  for (int i = 0; i < tasks_; ++i) {
    const double low = market.at(market.box_low, agent, i);
    offset += direction[i] * low;
    scaled[i] = direction[i] * (market.at(market.box_high, agent, i) - low);
  }
  const double* point = sample_.data() + static_cast<std::size_t>(agent) * sample_size_ * tasks_;
  int negative = 0;
  for (int s = 0; s < sample_size_; ++s, point += tasks_) {
    double value = offset;
    for (int i = 0; i < tasks_; ++i) value += scaled[i] * point[i];
    negative += value < 0.0 ? 1 : 0;
  }
  return static_cast<double>(negative) / sample_size_;
}

void BetaTypes::check(const Market& market) const {
  if (market.agents != agents_ || market.tasks != tasks_) {
    throw std::invalid_argument("delegation: the Beta types were built for J = " + std::to_string(agents_) +
                                ", I = " + std::to_string(tasks_) + " but the market has J = " +
                                std::to_string(market.agents) + ", I = " + std::to_string(market.tasks));
  }
}

}  // namespace mechsweep::delegation
