#pragma once
// Plane geometry for paper 003 (spec 003 §2.1): vectors, closed half-planes with
// unit normals, and wedges (the intersection of two non-parallel half-planes).
// Everything is a small value type; nothing allocates.

#include <array>
#include <cmath>
#include <numbers>

namespace mechsweep::testdesign {

struct Vec2 {
  double x = 0.0;
  double y = 0.0;
};

constexpr Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
constexpr Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
constexpr Vec2 operator-(Vec2 a) { return {-a.x, -a.y}; }
constexpr Vec2 operator*(double s, Vec2 a) { return {s * a.x, s * a.y}; }
constexpr double dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
// z-component of the 3-D cross product: positive when b is counter-clockwise of a.
constexpr double cross(Vec2 a, Vec2 b) { return a.x * b.y - a.y * b.x; }
// a turned by +90° (counter-clockwise).
constexpr Vec2 perp(Vec2 a) { return {-a.y, a.x}; }
constexpr double radians(double degrees) { return degrees * std::numbers::pi / 180.0; }
constexpr double degrees(double radians) { return radians * 180.0 / std::numbers::pi; }
inline double norm(Vec2 a) { return std::hypot(a.x, a.y); }
inline Vec2 unit_vector(double radians) { return {std::cos(radians), std::sin(radians)}; }
// a rotated counter-clockwise by `radians`.
inline Vec2 rotated(Vec2 a, double radians) {
  const double c = std::cos(radians);
  const double s = std::sin(radians);
  return {c * a.x - s * a.y, s * a.x + c * a.y};
}

// Relative epsilon for slack comparisons (spec 003 §1.9): a slack of w·x − b is
// rounded at about 1e-16·(|x| + |b|), so points that lie on a line up to
// rounding are treated as on it.
inline constexpr double kRelativeEpsilon = 1e-12;

// Closed half-plane {x : normal·x ≥ offset}; `normal` is a unit vector pointing
// inside (the "+" side of the paper's figures).
struct HalfPlane {
  Vec2 normal{1.0, 0.0};
  double offset = 0.0;

  // Signed slack s(h, x) = w·x − b: ≥ 0 inside, and |s| is the distance to the line.
  double slack(Vec2 x) const { return dot(normal, x) - offset; }
  // d(x, h) = max(0, −s).
  double distance(Vec2 x) const { return std::fmax(0.0, -slack(x)); }
  // Π_L(x): the foot of the perpendicular on the boundary line.
  Vec2 project(Vec2 x) const { return x - slack(x) * normal; }
  // Sym_L(x): the mirror image across the boundary line.
  Vec2 reflect(Vec2 x) const { return x - 2.0 * slack(x) * normal; }
};

// The half-plane with (normalised) inward normal `normal` whose boundary passes
// through `point`. Throws std::invalid_argument for a zero or non-finite normal.
HalfPlane half_plane_through(Vec2 normal, Vec2 point);

// A closed convex wedge sides[0] ∩ sides[1] of two non-parallel half-planes
// (spec 003 §1.2–1.3): vertex = L_0 ∩ L_1; edges[i] is the unit vector along
// L_i with sides[1−i].normal·edges[i] > 0, so the edge rays of the wedge are
// vertex + t·edges[i], t ≥ 0. The interior angle θ satisfies
// cos θ = −n_0·n_1 and sin θ = n_1·edges[0] = n_0·edges[1] > 0.
struct Wedge {
  std::array<HalfPlane, 2> sides{};
  Vec2 vertex{};
  std::array<Vec2, 2> edges{};
  double sin_angle = 1.0;
  double cos_angle = 0.0;

  double angle() const { return std::atan2(sin_angle, cos_angle); }
  bool contains(Vec2 x, double tolerance) const {
    return sides[0].slack(x) >= -tolerance && sides[1].slack(x) >= -tolerance;
  }
  // Nearest point of the wedge (spec 003 §2.1): x itself inside, otherwise the
  // nearer of the projections onto the two edge rays.
  Vec2 nearest_point(Vec2 x) const;
  double distance(Vec2 x) const { return norm(x - nearest_point(x)); }
  // Relative slack tolerance for a point x (see kRelativeEpsilon).
  double tolerance(Vec2 x) const { return kRelativeEpsilon * (norm(x) + norm(vertex)); }
};

// Builds the wedge a ∩ b. Throws std::invalid_argument when the boundary lines
// are parallel (no vertex; spec 003 §7.1).
Wedge make_wedge(HalfPlane a, HalfPlane b);

}  // namespace mechsweep::testdesign
