#pragma once
// The 1-majorized full-revelation point U* = the min-norm point of a base
// polytope B(G) (spec 004 §2.2 D4), computed from a linear-optimisation
// ("vertex") oracle or, for small n, from the rank table.
//
// * Wolfe's min-norm-point algorithm (Fujishige–Wolfe, spec §2.2 A2, "usually
//   much faster" than plain Frank–Wolfe) and plain Frank–Wolfe with exact line
//   search (A2 as written). Both call only the oracle, so they run with the D1
//   oracle of any instance, and both return the point together with the
//   mixture of priority orders that realises it (D2): the policy "draw an
//   order, break value ties by it".
// * A1, the exact decomposition algorithm (Fujishige/Groenevelt) on a
//   tabulated rank function, n ≤ 20.
// * A Carathéodory reduction: a convex combination of ≤ n + 1 given vertices
//   that reproduces a target point, as a basic solution of a Clp LP (spec §5,
//   "decomposition into priority orders").
//
// The oracle convention: `order` lists the agents from the highest priority
// down, and the oracle writes the greedy vertex of B(G) for that order
// (u_{π(t)} = G(π(1..t)) − G(π(1..t−1))). Maximising λ·u over B(G) is the
// vertex for argsort(λ descending); the linear minimisation step of both
// methods, min ⟨x, s⟩ over B(G), is the vertex for argsort(x ASCENDING): the
// worst-off agents get the highest priority. Ties sort by agent index.
//
// Certificate: at any x ∈ B(G) and s = argmin ⟨x, s⟩, the Frank–Wolfe gap
// ⟨x, x − s⟩ bounds ‖x − U*‖² (so |Q_j(x) − Q_j(U*)| ≤ j·sqrt(gap), spec
// §2.2). Both methods stop when gap ≤ tolerance·scale, where scale is the
// largest squared norm of a centred vertex (s − mean(s)·1) seen so far, which
// makes the tolerance independent of the units of G. All vertices of one base
// polytope share the coordinate sum G(E); an oracle whose vertex sums differ
// (relative 1e-9) is rejected with std::invalid_argument.
//
// Numerics (Wolfe): vertices are stored centred, because all of them lie in
// the hyperplane Σ u = G(E) far from the origin and the Gram matrix of raw
// vertices is nearly rank one. The affine minimiser of the corral solves
// (c·eeᵀ + S̃ᵀS̃) α ∝ e through an upper-triangular factor R that is updated
// when a vertex enters (a triangular solve, O(k²)) and downdated by Givens
// rotations when one leaves (O(k²)); k ≤ n + 1 is the corral size, so one
// major cycle costs O(n·k + k²) besides the oracle call and memory stays
// O(n·k).

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace mechsweep::persuasion {

using VertexOracle = std::function<void(std::span<const int> order, std::span<double> vertex)>;

// The greedy vertex oracle of an explicit rank table (value[mask] = G(S), mask
// = Σ_{i∈S} 2^i, size 2^n, n ≤ 20). The table is copied into the oracle.
VertexOracle table_vertex_oracle(int n, std::vector<double> table);

struct WeightedOrder {
  std::vector<int> order;  // priority order, highest first
  double weight = 0.0;
};

// Σ_r weight_r · vertex(order_r): the expected utilities of a mixture.
std::vector<double> mixture_point(int n, std::span<const WeightedOrder> mixture, const VertexOracle& oracle);

enum class MinNormMethod { wolfe, frank_wolfe };
MinNormMethod parse_min_norm_method(std::string_view name);  // "wolfe", "frank_wolfe"
std::string_view to_string(MinNormMethod method);

struct MinNormOptions {
  double tolerance = 1e-12;              // stop when gap ≤ tolerance · scale (see above); ≥ 0
  std::int64_t max_iterations = 100000;  // Wolfe: major cycles; FW: steps; ≥ 0
};

struct MinNormResult {
  std::vector<double> point;
  // Wolfe: the final corral with its barycentric weights; FW: the recorded
  // (order, step) pairs merged by identical order. Weights ≥ 0 and sum to 1
  // (weights below 1e-15 are dropped and the rest renormalised).
  std::vector<WeightedOrder> mixture;
  double gap = 0.0;  // ⟨x, x − s⟩ at the returned point; ‖point − U*‖² ≤ gap
  std::int64_t iterations = 0;
  std::int64_t oracle_calls = 0;
  // gap ≤ tolerance·scale was reached, or (Wolfe) the minimising vertex was
  // already in the corral: Wolfe's exact optimality condition.
  bool converged = false;
  int max_corral_size = 0;  // Wolfe: the largest linear system solved (k × k); FW: 0
};

// n ≥ 1 agents. The starting vertex is the one for the identity order.
MinNormResult wolfe_min_norm_point(int n, const VertexOracle& oracle, const MinNormOptions& options = {});
MinNormResult frank_wolfe_min_norm_point(int n, const VertexOracle& oracle, const MinNormOptions& options = {});
MinNormResult min_norm_point(int n, const VertexOracle& oracle, MinNormMethod method,
                             const MinNormOptions& options = {});

// A1 (spec §2.2): levels c_1 < … < c_r with
//   c_t = min_{∅≠T⊆R} (G(A∪T) − G(A)) / |T|,  T*_t = the union of the minimisers
// (ratios within tolerance·max(1, |G(E)|) of the minimum count as minimisers),
// U*_i = c_t on T*_t. O(n·2^n) rank evaluations. A rank function that is not
// submodular can make the union of minimisers a non-minimiser; that is
// detected and rejected with std::invalid_argument.
struct LexicographicBase {
  std::vector<double> point;                 // U*
  std::vector<double> levels;                // c_1 < … < c_r
  std::vector<std::vector<int>> level_sets;  // T*_1, …, T*_r (agents ascending)
};
LexicographicBase decomposition_min_norm_point(int n, std::span<const double> table, double tolerance = 1e-12);
LexicographicBase decomposition_min_norm_point(int n, const std::function<double(std::uint32_t mask)>& rank,
                                               double tolerance = 1e-12);

struct CandidateVertex {
  std::vector<int> order;
  std::vector<double> vertex;
};
struct CaratheodoryResult {
  std::vector<WeightedOrder> mixture;  // ≤ n + 1 orders, weights > 0 summing to 1
  double lp_residual = 0.0;            // min Σ_i |Σ_r w_r v_{r,i} − target_i| found by the LP
  double max_error = 0.0;              // max_i |Σ_r w_r v_{r,i} − target_i| of the returned weights
};
// Weights w ≥ 0, Σ w = 1, minimising the L1 residual of Σ w_r v_r = target
// (a basic optimal solution of Clp's simplex, hence ≤ n + 1 nonzero weights).
CaratheodoryResult caratheodory_decomposition(std::span<const double> target,
                                              std::span<const CandidateVertex> candidates);
// The same for the point of a long mixture (a Frank–Wolfe record): re-evaluates
// each order's vertex and keeps ≤ n + 1 of them.
CaratheodoryResult reduce_mixture(int n, std::span<const WeightedOrder> mixture, const VertexOracle& oracle);

}  // namespace mechsweep::persuasion
