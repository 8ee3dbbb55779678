#include "mechanisms/testdesign/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

#include "mechanisms/testdesign/labels.hpp"

namespace mechsweep::testdesign {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 53 random bits → [0, 1).
double uniform01(boost::random::mt19937_64& engine) { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }

// ∫_{t0}^{t1} exp(−t²/2) dt, with erfc on the tails so that far pieces keep
// their relative accuracy.
double gaussian_integral(double t0, double t1) {
  constexpr double half_root_pi = 1.2533141373155002512;  // √(π/2)
  const double s0 = t0 / std::numbers::sqrt2;
  const double s1 = t1 / std::numbers::sqrt2;
  if (t0 >= 0.0) return half_root_pi * (std::erfc(s0) - std::erfc(s1));
  if (t1 <= 0.0) return half_root_pi * (std::erfc(-s1) - std::erfc(-s0));
  return half_root_pi * (std::erf(s1) - std::erf(s0));
}

double gaussian_kernel(double t) { return std::isinf(t) ? 0.0 : std::exp(-0.5 * t * t); }
double t_kernel(double t) { return std::isinf(t) ? 0.0 : t * std::exp(-0.5 * t * t); }

}  // namespace

DistributionKind parse_distribution_kind(std::string_view label) {
  return parse_label<DistributionKind>("distribution", label, kDistributionLabels);
}

std::string_view to_string(DistributionKind kind) { return kDistributionLabels[static_cast<std::size_t>(kind)]; }

Distribution make_distribution(DistributionKind kind, Vec2 center, double scale) {
  if (!std::isfinite(center.x) || !std::isfinite(center.y)) {
    throw std::invalid_argument("testdesign: the distribution's center must be finite");
  }
  if (!(scale > 0.0) || !std::isfinite(scale)) {
    std::ostringstream message;
    message << "testdesign: dist_scale = " << scale
            << " must be positive and finite (half-width, radius or standard deviation)";
    throw std::invalid_argument(message.str());
  }
  return Distribution{kind, center, scale};
}

double density(const Distribution& d, Vec2 x) {
  const Vec2 offset = x - d.center;
  const double s = d.scale;
  switch (d.kind) {
    case DistributionKind::uniform_square:
      return (std::fabs(offset.x) <= s && std::fabs(offset.y) <= s) ? 1.0 / (4.0 * s * s) : 0.0;
    case DistributionKind::uniform_disk:
      return dot(offset, offset) <= s * s ? 1.0 / (std::numbers::pi * s * s) : 0.0;
    case DistributionKind::gaussian:
      return std::exp(-0.5 * dot(offset, offset) / (s * s)) / (2.0 * std::numbers::pi * s * s);
  }
  return 0.0;
}

Vec2 sample(const Distribution& d, boost::random::mt19937_64& engine) {
  const double u1 = uniform01(engine);
  const double u2 = uniform01(engine);
  const double s = d.scale;
  switch (d.kind) {
    case DistributionKind::uniform_square:
      return d.center + Vec2{s * (2.0 * u1 - 1.0), s * (2.0 * u2 - 1.0)};
    case DistributionKind::uniform_disk:
      return d.center + (s * std::sqrt(u1)) * unit_vector(2.0 * std::numbers::pi * u2);
    case DistributionKind::gaussian: {
      // Box–Muller; 1 − u1 ∈ (0, 1] keeps the logarithm finite.
      const double radius = s * std::sqrt(-2.0 * std::log(1.0 - u1));
      return d.center + radius * unit_vector(2.0 * std::numbers::pi * u2);
    }
  }
  return d.center;
}

RayDensity::RayDensity(const Distribution& d, Vec2 origin, Vec2 u) : kind_(d.kind), scale_(d.scale) {
  const Vec2 to_center = d.center - origin;
  const double s = d.scale;
  switch (d.kind) {
    case DistributionKind::uniform_square: {
      // Slab method on the two axis-parallel slabs |x_i − c_i| ≤ s.
      double lo = 0.0;
      double hi = kInf;
      const std::array<double, 2> rel = {to_center.x, to_center.y};
      const std::array<double, 2> dir = {u.x, u.y};
      for (std::size_t i = 0; i < 2; ++i) {
        if (dir[i] == 0.0) {
          if (std::fabs(rel[i]) > s) return;
          continue;
        }
        const double r_a = (rel[i] - s) / dir[i];
        const double r_b = (rel[i] + s) / dir[i];
        lo = std::max(lo, std::min(r_a, r_b));
        hi = std::min(hi, std::max(r_a, r_b));
      }
      if (lo < hi) support_ = std::array<double, 2>{lo, hi};
      level_ = 1.0 / (4.0 * s * s);
      break;
    }
    case DistributionKind::uniform_disk: {
      const double m = dot(u, to_center);
      const double disc = m * m - (dot(to_center, to_center) - s * s);
      if (disc <= 0.0) return;
      const double half = std::sqrt(disc);
      const double lo = std::max(0.0, m - half);
      const double hi = m + half;
      if (lo < hi) support_ = std::array<double, 2>{lo, hi};
      level_ = 1.0 / (std::numbers::pi * s * s);
      break;
    }
    case DistributionKind::gaussian: {
      // |origin + r u − c|² = (r − m)² + d⊥².
      mid_ = dot(u, to_center);
      const double perp2 = std::max(0.0, dot(to_center, to_center) - mid_ * mid_);
      perp_ = std::sqrt(perp2);
      level_ = std::exp(-0.5 * perp2 / (s * s)) / (2.0 * std::numbers::pi * s * s);
      support_ = std::array<double, 2>{0.0, kInf};
      break;
    }
  }
}

bool RayDensity::negligible(double a, double b) const {
  if (kind_ != DistributionKind::gaussian) return false;
  constexpr double k = 12.0;
  return perp_ > k * scale_ || b < mid_ - k * scale_ || a > mid_ + k * scale_;
}

RadialMoments RayDensity::moments(double a, double b) const {
  if (!(b > a)) return {};
  if (kind_ != DistributionKind::gaussian) {
    return {level_ * (b * b - a * a) / 2.0, level_ * (b * b * b - a * a * a) / 3.0};
  }
  // Substitute t = (r − m)/σ: ∫ r^k f dr = level·σ ∫ (m + σt)^k e^{−t²/2} dt.
  const double s = scale_;
  const double m = mid_;
  const double t0 = (a - m) / s;
  const double t1 = std::isinf(b) ? kInf : (b - m) / s;
  const double i0 = gaussian_integral(t0, t1);
  const double i1 = gaussian_kernel(t0) - gaussian_kernel(t1);
  const double i2 = t_kernel(t0) - t_kernel(t1) + i0;
  const double factor = level_ * s;
  return {factor * (m * i0 + s * i1), factor * (m * m * i0 + 2.0 * m * s * i1 + s * s * i2)};
}

}  // namespace mechsweep::testdesign
