#pragma once
// Type distributions F for paper 003 (spec 003 §5.2): uniform on a square,
// uniform on a disk, isotropic Gaussian. Besides the density and a sampler,
// each exposes exact radial moments along a ray, which is what the polar
// quadrature of evaluate.cpp integrates (spec §6 item 3c).

#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "mechanisms/testdesign/geometry.hpp"

namespace mechsweep::testdesign {

enum class DistributionKind { uniform_square, uniform_disk, gaussian };

inline constexpr std::array<std::string_view, 3> kDistributionLabels = {"uniform_square", "uniform_disk", "gaussian"};

// Parse the lowercase label; throw std::invalid_argument listing the allowed labels.
DistributionKind parse_distribution_kind(std::string_view label);
std::string_view to_string(DistributionKind kind);

struct Distribution {
  DistributionKind kind = DistributionKind::gaussian;
  Vec2 center{};
  double scale = 1.0;  // half-width of the square, radius of the disk, σ of the Gaussian
};

// Throws std::invalid_argument unless the center is finite and 0 < scale < ∞.
Distribution make_distribution(DistributionKind kind, Vec2 center, double scale);

double density(const Distribution& distribution, Vec2 x);

// One draw. Uses only the given engine and explicit transforms (Box–Muller for
// the Gaussian), so a seed gives the same draws on every platform.
Vec2 sample(const Distribution& distribution, boost::random::mt19937_64& engine);

// Moments of the density along the ray x = origin + r·u (u a unit vector):
// m1 = ∫ r f dr and m2 = ∫ r² f dr over [a, b] (b may be +∞). The factor r is
// the polar Jacobian, so ∫ dφ ∫ (A + B r) r f dr = ∫ dφ (A·m1 + B·m2).
struct RadialMoments {
  double m1 = 0.0;
  double m2 = 0.0;
};

class RayDensity {
 public:
  RayDensity(const Distribution& distribution, Vec2 origin, Vec2 direction);
  // The r-interval [lo, hi] ⊂ [0, ∞) where the density is positive; nullopt if none.
  std::optional<std::array<double, 2>> support() const { return support_; }
  // Exact moments over [a, b] with a ≤ b inside support().
  RadialMoments moments(double a, double b) const;
  // True when [a, b] lies where the density is below e^{-72} of its peak
  // (Gaussian beyond 12σ); never for the uniform laws, whose support is exact.
  // A geometric test, so it changes cleanly as the ray turns.
  bool negligible(double a, double b) const;

 private:
  DistributionKind kind_;
  double scale_ = 1.0;
  double level_ = 0.0;  // uniform density, or the Gaussian's prefactor along this ray
  double mid_ = 0.0;    // Gaussian: r of the closest approach to the center
  double perp_ = 0.0;   // Gaussian: distance of the ray's line from the center
  std::optional<std::array<double, 2>> support_;
};

}  // namespace mechsweep::testdesign
