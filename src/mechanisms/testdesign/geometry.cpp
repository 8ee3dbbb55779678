#include "mechanisms/testdesign/geometry.hpp"

#include <stdexcept>

namespace mechsweep::testdesign {

HalfPlane half_plane_through(Vec2 normal, Vec2 point) {
  const double length = norm(normal);
  if (!(length > 0.0) || !std::isfinite(length)) {
    throw std::invalid_argument("testdesign: a half-plane needs a non-zero finite normal vector (spec 003 §7.1)");
  }
  const Vec2 unit = (1.0 / length) * normal;
  return HalfPlane{unit, dot(unit, point)};
}

Vec2 Wedge::nearest_point(Vec2 x) const {
  // Voronoi regions of the wedge, decided by first-order signs only: the foot
  // on edge ray i is nearest iff x is outside side i and projects onto the ray
  // (that foot is then the nearest point of the larger set sides[i]). Comparing
  // distances instead would pick between vertex and foot by rounding near the
  // border of the two regions, where the distances differ only to second order.
  for (std::size_t i = 0; i < 2; ++i) {
    if (sides[i].slack(x) >= 0.0) continue;
    const double t = dot(x - vertex, edges[i]);
    if (t > 0.0) return vertex + t * edges[i];
  }
  if (sides[0].slack(x) >= 0.0 && sides[1].slack(x) >= 0.0) return x;
  return vertex;
}

Wedge make_wedge(HalfPlane a, HalfPlane b) {
  const double det = cross(a.normal, b.normal);
  // Unit normals: |det| = sin of the angle between the lines.
  if (!(std::fabs(det) > 1e-14)) {
    throw std::invalid_argument("testdesign: the two half-planes are parallel, so they have no vertex (spec 003 §7.1)");
  }
  Wedge w;
  w.sides = {a, b};
  // Cramer's rule for n_a·v = b_a, n_b·v = b_b.
  w.vertex = {(a.offset * b.normal.y - b.offset * a.normal.y) / det,
              (a.normal.x * b.offset - b.normal.x * a.offset) / det};
  Vec2 edge_a = perp(a.normal);
  if (dot(b.normal, edge_a) < 0.0) edge_a = -edge_a;
  Vec2 edge_b = perp(b.normal);
  if (dot(a.normal, edge_b) < 0.0) edge_b = -edge_b;
  w.edges = {edge_a, edge_b};
  w.sin_angle = std::fabs(det);
  w.cos_angle = -dot(a.normal, b.normal);
  return w;
}

}  // namespace mechsweep::testdesign
