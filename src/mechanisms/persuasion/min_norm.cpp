#include "mechanisms/persuasion/min_norm.hpp"

#include <Eigen/Dense>
#include <Eigen/Jacobi>
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "solvers/lp.hpp"

namespace mechsweep::persuasion {
namespace {

constexpr int kMaxDecompositionAgents = 20;
// Mixture weights below this are rounding debris of the corral updates.
constexpr double kNegligibleWeight = 1e-15;
// Vertices of one base polytope share Σ u = G(E); this relative slack admits
// rounding in the oracle and nothing else.
constexpr double kVertexSumTolerance = 1e-9;

void require_agents(int n, int max_n, const char* what) {
  if (n < 1 || n > max_n) {
    throw std::invalid_argument(std::string("persuasion: ") + what + " = " + std::to_string(n) + ", expected 1.." +
                                std::to_string(max_n));
  }
}

void require_options(const MinNormOptions& options) {
  if (!(options.tolerance >= 0.0) || !std::isfinite(options.tolerance)) {
    throw std::invalid_argument("persuasion: min-norm tolerance = " + std::to_string(options.tolerance) +
                                ", expected a finite number ≥ 0");
  }
  if (options.max_iterations < 0) {
    throw std::invalid_argument("persuasion: min-norm max_iterations = " + std::to_string(options.max_iterations) +
                                ", expected ≥ 0");
  }
}

double dot(std::span<const double> a, std::span<const double> b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

// Priority for the linear minimisation step: lowest coordinate first.
void sort_ascending(std::span<const double> x, std::vector<int>& order) {
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return x[a] < x[b] || (x[a] == x[b] && a < b); });
}

// Calls the oracle and splits the vertex into its mean and centred part.
class CentredOracle {
 public:
  CentredOracle(int n, const VertexOracle& oracle) : oracle_(&oracle), n_(n) {}

  // Writes the centred vertex into `centred` and returns its mean.
  double call(std::span<const int> order, std::span<double> centred) {
    (*oracle_)(order, centred);
    ++calls_;
    double sum = 0.0;
    double magnitude = 0.0;
    for (std::size_t i = 0; i < centred.size(); ++i) {
      if (!std::isfinite(centred[i])) {
        throw std::invalid_argument("persuasion: vertex coordinate " + std::to_string(i) + " = " +
                                    std::to_string(centred[i]) + ", expected a finite number");
      }
      sum += centred[i];
      magnitude += std::abs(centred[i]);
    }
    if (calls_ == 1) {
      first_sum_ = sum;
    } else if (std::abs(sum - first_sum_) > kVertexSumTolerance * std::max(1.0, magnitude)) {
      throw std::invalid_argument("persuasion: vertex coordinate sum = " + std::to_string(sum) +
                                  ", expected G(E) = " + std::to_string(first_sum_) +
                                  " (the oracle must return vertices of one base polytope)");
    }
    const double mean = sum / n_;
    for (double& value : centred) value -= mean;
    return mean;
  }
  std::int64_t calls() const { return calls_; }

 private:
  const VertexOracle* oracle_;
  double n_;
  std::int64_t calls_ = 0;
  double first_sum_ = 0.0;
};

// ⟨x, x − s⟩ from the centred parts and means (the mean term vanishes when
// both sums equal G(E)); centring avoids cancelling two numbers of size ‖x‖².
double wolfe_gap(std::span<const double> x_centred, double x_mean, std::span<const double> s_centred, double s_mean) {
  double gap = 0.0;
  for (std::size_t i = 0; i < x_centred.size(); ++i) gap += x_centred[i] * (x_centred[i] - s_centred[i]);
  return gap + static_cast<double>(x_centred.size()) * x_mean * (x_mean - s_mean);
}

std::vector<WeightedOrder> clean_mixture(std::vector<WeightedOrder> mixture) {
  std::erase_if(mixture, [](const WeightedOrder& entry) { return !(entry.weight > kNegligibleWeight); });
  double total = 0.0;
  for (const auto& entry : mixture) total += entry.weight;
  if (total > 0.0) {
    for (auto& entry : mixture) entry.weight /= total;
  }
  return mixture;
}

// The corral of Wolfe's algorithm: affinely independent centred vertices
// (the columns of an n × capacity matrix) with the upper-triangular factor R,
// RᵀR = c·eeᵀ + S̃ᵀS̃. Capacity grows by doubling up to n + 1 columns, so
// memory follows the largest corral, not n².
class Corral {
 public:
  using Index = Eigen::Index;

  Corral(int n, double e_scale)
      : e_scale_(e_scale), points_(n, std::min(n + 1, 16)), factor_(points_.cols(), points_.cols()) {}

  Index size() const { return size_; }
  double mean(Index j) const { return means_[static_cast<std::size_t>(j)]; }
  const std::vector<int>& order(Index j) const { return orders_[static_cast<std::size_t>(j)]; }

  // Appends a vertex; false (and nothing changes) when it is numerically
  // affinely dependent on the corral, which Wolfe's theory excludes for a
  // vertex with a positive gap, so it signals that rounding has taken over.
  bool add(const Eigen::VectorXd& centred, double mean, std::span<const int> order) {
    reserve(size_ + 1);
    // Rᵀ r = b with b_j = c + ⟨s̃_j, s̃⟩.
    work_.resize(size_);
    work_.noalias() = points_.leftCols(size_).transpose() * centred;
    work_.array() += e_scale_;
    factor_.topLeftCorner(size_, size_).triangularView<Eigen::Upper>().transpose().solveInPlace(work_);
    const double diagonal = e_scale_ + centred.squaredNorm();
    const double residual = diagonal - work_.squaredNorm();
    if (!(residual > 1e-12 * diagonal)) return false;
    factor_.col(size_).head(size_) = work_;
    factor_(size_, size_) = std::sqrt(residual);
    points_.col(size_) = centred;
    means_.push_back(mean);
    orders_.emplace_back(order.begin(), order.end());
    ++size_;
    return true;
  }

  // The affine minimiser: α ∝ (RᵀR)⁻¹ e, normalised to Σ α = 1. False when
  // the factor has degenerated (non-finite or non-positive normaliser).
  bool affine_minimizer(Eigen::VectorXd& alpha) const {
    alpha.setOnes(size_);
    const auto upper = factor_.topLeftCorner(size_, size_).triangularView<Eigen::Upper>();
    upper.transpose().solveInPlace(alpha);
    upper.solveInPlace(alpha);
    const double total = alpha.sum();
    if (!(total > 0.0) || !std::isfinite(total)) return false;
    alpha /= total;
    return true;
  }

  // x̃ = S̃ λ and the matching mean.
  void combine(const Eigen::VectorXd& lambda, Eigen::VectorXd& centred, double& mean_out) const {
    centred.noalias() = points_.leftCols(size_) * lambda.head(size_);
    mean_out = 0.0;
    for (Index j = 0; j < size_; ++j) mean_out += lambda[j] * mean(j);
  }

  // Removes vertex j: the columns right of j move one left, each then carries
  // one subdiagonal entry, and Givens rotations on rows j..k−1 restore R to
  // upper-triangular form (O(k²) instead of a fresh O(k³) factorisation).
  void remove(Index j) {
    for (Index c = j; c + 1 < size_; ++c) {
      points_.col(c) = points_.col(c + 1);
      factor_.col(c).head(c + 2) = factor_.col(c + 1).head(c + 2);
    }
    means_.erase(means_.begin() + j);
    orders_.erase(orders_.begin() + j);
    --size_;
    for (Index c = j; c < size_; ++c) {
      Eigen::JacobiRotation<double> rotation;
      rotation.makeGivens(factor_(c, c), factor_(c + 1, c));
      factor_.block(c, c, 2, size_ - c).applyOnTheLeft(0, 1, rotation.adjoint());
    }
  }

  bool contains(const Eigen::VectorXd& centred, double mean_value) const {
    for (Index j = 0; j < size_; ++j) {
      if (mean(j) == mean_value && points_.col(j) == centred) return true;
    }
    return false;
  }

 private:
  void reserve(Index columns) {
    if (columns <= points_.cols()) return;
    const Index capacity = std::min<Index>(points_.rows() + 1, std::max<Index>(columns, 2 * points_.cols()));
    points_.conservativeResize(Eigen::NoChange, capacity);
    factor_.conservativeResize(capacity, capacity);
  }

  double e_scale_;
  Index size_ = 0;
  Eigen::MatrixXd points_;
  Eigen::MatrixXd factor_;
  Eigen::VectorXd work_;
  std::vector<double> means_;
  std::vector<std::vector<int>> orders_;
};

template <class Rank>
LexicographicBase decompose(int n, const Rank& rank, double tolerance) {
  require_agents(n, kMaxDecompositionAgents, "decomposition agent count");
  if (!(tolerance >= 0.0) || !std::isfinite(tolerance)) {
    throw std::invalid_argument("persuasion: decomposition tolerance = " + std::to_string(tolerance) +
                                ", expected a finite number ≥ 0");
  }
  const std::uint32_t full = (std::uint32_t{1} << n) - 1;
  const double empty_rank = rank(0u);
  if (std::abs(empty_rank) > tolerance) {
    throw std::invalid_argument("persuasion: G(∅) = " + std::to_string(empty_rank) + ", expected 0");
  }
  const double slack = tolerance * std::max(1.0, std::abs(rank(full)));
  LexicographicBase result;
  result.point.assign(n, 0.0);
  std::uint32_t assigned = 0;
  std::uint32_t remaining = full;
  while (remaining != 0) {
    const double base = rank(assigned);
    const auto ratio = [&](std::uint32_t set) {
      return (rank(assigned | set) - base) / static_cast<double>(std::popcount(set));
    };
    double level = std::numeric_limits<double>::infinity();
    for (std::uint32_t set = remaining; set != 0; set = (set - 1) & remaining) level = std::min(level, ratio(set));
    if (!std::isfinite(level)) {
      throw std::invalid_argument("persuasion: rank increment = " + std::to_string(level) +
                                  ", expected a finite number");
    }
    std::uint32_t minimisers = 0;
    for (std::uint32_t set = remaining; set != 0; set = (set - 1) & remaining) {
      if (ratio(set) <= level + slack) minimisers |= set;
    }
    // The union telescopes the sum exactly: Σ_{T*} U* = G(A ∪ T*) − G(A).
    const double union_level = ratio(minimisers);
    if (union_level > level + slack) {
      throw std::invalid_argument("persuasion: rank ratio on the union of minimisers = " + std::to_string(union_level) +
                                  ", expected " + std::to_string(level) + " (the rank function is not submodular)");
    }
    std::vector<int> members;
    for (int i = 0; i < n; ++i) {
      if ((minimisers >> i) & 1u) {
        result.point[i] = union_level;
        members.push_back(i);
      }
    }
    result.levels.push_back(union_level);
    result.level_sets.push_back(std::move(members));
    assigned |= minimisers;
    remaining &= ~minimisers;
  }
  return result;
}

}  // namespace

VertexOracle table_vertex_oracle(int n, std::vector<double> table) {
  require_agents(n, kMaxDecompositionAgents, "table agent count");
  if (table.size() != (std::size_t{1} << n)) {
    throw std::invalid_argument("persuasion: rank table size = " + std::to_string(table.size()) + ", expected 2^" +
                                std::to_string(n));
  }
  return [n, table = std::move(table)](std::span<const int> order, std::span<double> vertex) {
    std::uint32_t mask = 0;
    for (int t = 0; t < n; ++t) {
      const int agent = order[t];
      const std::uint32_t next = mask | (std::uint32_t{1} << agent);
      vertex[agent] = table[next] - table[mask];
      mask = next;
    }
  };
}

std::vector<double> mixture_point(int n, std::span<const WeightedOrder> mixture, const VertexOracle& oracle) {
  std::vector<double> point(n, 0.0);
  std::vector<double> vertex(n);
  for (const auto& entry : mixture) {
    if (static_cast<int>(entry.order.size()) != n) {
      throw std::invalid_argument("persuasion: mixture order length = " + std::to_string(entry.order.size()) +
                                  ", expected " + std::to_string(n));
    }
    oracle(entry.order, vertex);
    for (int i = 0; i < n; ++i) point[i] += entry.weight * vertex[i];
  }
  return point;
}

MinNormMethod parse_min_norm_method(std::string_view name) {
  if (name == "wolfe") return MinNormMethod::wolfe;
  if (name == "frank_wolfe") return MinNormMethod::frank_wolfe;
  throw std::invalid_argument("persuasion: min-norm method = " + std::string(name) + ", expected wolfe or frank_wolfe");
}

std::string_view to_string(MinNormMethod method) { return method == MinNormMethod::wolfe ? "wolfe" : "frank_wolfe"; }

MinNormResult wolfe_min_norm_point(int n, const VertexOracle& oracle, const MinNormOptions& options) {
  require_agents(n, std::numeric_limits<int>::max(), "agent count");
  require_options(options);
  CentredOracle centred_oracle(n, oracle);
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  Eigen::VectorXd s(n);
  const std::span<double> s_span(s.data(), static_cast<std::size_t>(n));
  const double start_mean = centred_oracle.call(order, s_span);
  const double start_norm = s.squaredNorm();
  double scale = start_norm;

  // c = ‖s̃₀‖² puts the e-row of the system on the scale of the vertices.
  Corral corral(n, start_norm > 0.0 ? start_norm : 1.0);
  Eigen::VectorXd x_centred = s;
  double x_mean = start_mean;
  corral.add(s, start_mean, order);
  Eigen::VectorXd lambda = Eigen::VectorXd::Ones(1);
  Eigen::VectorXd alpha;

  MinNormResult result;
  result.max_corral_size = 1;
  // Set when rounding stops progress: the loop then only evaluates the gap
  // of the current iterate once more and returns it.
  bool stalled = false;
  for (;;) {
    sort_ascending(std::span<const double>(x_centred.data(), static_cast<std::size_t>(n)), order);
    const double s_mean = centred_oracle.call(order, s_span);
    scale = std::max(scale, s.squaredNorm());
    result.gap = x_centred.dot(x_centred - s) + n * x_mean * (x_mean - s_mean);
    if (result.gap <= options.tolerance * scale) {
      result.converged = true;
      break;
    }
    if (stalled || result.iterations >= options.max_iterations) break;
    // Wolfe's exact stopping rule: x is the affine minimiser of the corral, so
    // ⟨x, x − s⟩ = 0 for every corral vertex; the minimising vertex already in
    // the corral means the gap above is rounding.
    if (corral.contains(s, s_mean)) {
      result.converged = true;
      break;
    }
    // In exact arithmetic a vertex with a positive gap is affinely independent
    // of the corral; a dependent one means rounding has taken over.
    if (!corral.add(s, s_mean, order)) break;
    ++result.iterations;
    lambda.conservativeResize(corral.size());
    lambda[corral.size() - 1] = 0.0;
    result.max_corral_size = std::max(result.max_corral_size, static_cast<int>(corral.size()));

    // Minor cycles: move towards the affine minimiser until it lies inside
    // the corral's convex hull, dropping the vertices whose weight hits 0.
    for (bool first_cycle = true;; first_cycle = false) {
      if (!corral.affine_minimizer(alpha)) {
        stalled = true;
        break;
      }
      double theta = 1.0;
      Eigen::Index leaving = -1;
      for (Eigen::Index j = 0; j < corral.size(); ++j) {
        if (alpha[j] <= 0.0) {
          const double denominator = lambda[j] - alpha[j];
          const double step = denominator > 0.0 ? lambda[j] / denominator : 0.0;
          if (leaving < 0 || step < theta) {
            theta = step;
            leaving = j;
          }
        }
      }
      if (leaving < 0) {
        lambda = alpha;
        break;
      }
      if (first_cycle && theta == 0.0 && leaving == corral.size() - 1) {
        // The new vertex would leave at once (impossible in exact arithmetic):
        // dropping it would only bring it back in the next major cycle.
        corral.remove(leaving);
        lambda.conservativeResize(corral.size());
        stalled = true;
        break;
      }
      lambda = theta * alpha + (1.0 - theta) * lambda;
      lambda[leaving] = 0.0;
      for (Eigen::Index j = corral.size() - 1; j >= 0; --j) {
        if (!(lambda[j] > 0.0)) {
          corral.remove(j);
          const Eigen::Index tail = lambda.size() - 1 - j;
          lambda.segment(j, tail) = lambda.tail(tail).eval();
          lambda.conservativeResize(lambda.size() - 1);
        }
      }
      lambda /= lambda.sum();
    }
    // x = Σ λ_j s_j, also after a stall (λ always matches the corral).
    corral.combine(lambda, x_centred, x_mean);
  }
  result.point.resize(n);
  for (int i = 0; i < n; ++i) result.point[i] = x_centred[i] + x_mean;
  for (Eigen::Index j = 0; j < corral.size(); ++j) result.mixture.push_back({corral.order(j), lambda[j]});
  result.mixture = clean_mixture(std::move(result.mixture));
  result.oracle_calls = centred_oracle.calls();
  return result;
}

MinNormResult frank_wolfe_min_norm_point(int n, const VertexOracle& oracle, const MinNormOptions& options) {
  require_agents(n, std::numeric_limits<int>::max(), "agent count");
  require_options(options);
  CentredOracle centred_oracle(n, oracle);
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> x_centred(n);
  double x_mean = centred_oracle.call(order, x_centred);
  double scale = dot(x_centred, x_centred);

  // Recorded weights are raw_r · multiplier, so that the (1 − γ) shrink of
  // every earlier step is one multiplication instead of a pass over the record.
  std::vector<WeightedOrder> record{{order, 1.0}};
  std::map<std::vector<int>, std::size_t> index_of{{order, 0}};
  double multiplier = 1.0;

  MinNormResult result;
  std::vector<double> s(n);
  for (;;) {
    sort_ascending(x_centred, order);
    const double s_mean = centred_oracle.call(order, s);
    scale = std::max(scale, dot(s, s));
    result.gap = wolfe_gap(x_centred, x_mean, s, s_mean);
    if (result.gap <= options.tolerance * scale) {
      result.converged = true;
      break;
    }
    if (result.iterations >= options.max_iterations) break;
    double distance = 0.0;
    for (int i = 0; i < n; ++i) distance += (s[i] - x_centred[i]) * (s[i] - x_centred[i]);
    distance += n * (s_mean - x_mean) * (s_mean - x_mean);
    if (!(distance > 0.0)) break;
    const double gamma = std::min(1.0, result.gap / distance);
    for (int i = 0; i < n; ++i) x_centred[i] += gamma * (s[i] - x_centred[i]);
    x_mean += gamma * (s_mean - x_mean);
    ++result.iterations;
    if (gamma >= 1.0) {
      record.clear();
      index_of.clear();
      multiplier = 1.0;
    } else {
      multiplier *= 1.0 - gamma;
    }
    if (multiplier < 1e-200) {
      for (auto& entry : record) entry.weight *= multiplier;
      multiplier = 1.0;
    }
    const auto [it, inserted] = index_of.try_emplace(order, record.size());
    if (inserted) record.push_back({order, 0.0});
    record[it->second].weight += gamma / multiplier;
  }
  for (auto& entry : record) entry.weight *= multiplier;
  result.point.resize(n);
  for (int i = 0; i < n; ++i) result.point[i] = x_centred[i] + x_mean;
  result.mixture = clean_mixture(std::move(record));
  result.oracle_calls = centred_oracle.calls();
  return result;
}

MinNormResult min_norm_point(int n, const VertexOracle& oracle, MinNormMethod method, const MinNormOptions& options) {
  return method == MinNormMethod::wolfe ? wolfe_min_norm_point(n, oracle, options)
                                        : frank_wolfe_min_norm_point(n, oracle, options);
}

LexicographicBase decomposition_min_norm_point(int n, std::span<const double> table, double tolerance) {
  require_agents(n, kMaxDecompositionAgents, "decomposition agent count");
  if (table.size() != (std::size_t{1} << n)) {
    throw std::invalid_argument("persuasion: rank table size = " + std::to_string(table.size()) + ", expected 2^" +
                                std::to_string(n));
  }
  return decompose(
      n, [table](std::uint32_t mask) { return table[mask]; }, tolerance);
}

LexicographicBase decomposition_min_norm_point(int n, const std::function<double(std::uint32_t mask)>& rank,
                                               double tolerance) {
  return decompose(n, rank, tolerance);
}

CaratheodoryResult caratheodory_decomposition(std::span<const double> target,
                                              std::span<const CandidateVertex> candidates) {
  const int n = static_cast<int>(target.size());
  require_agents(n, std::numeric_limits<int>::max(), "target length");
  if (candidates.empty()) {
    throw std::invalid_argument("persuasion: candidate vertex count = 0, expected ≥ 1");
  }
  for (std::size_t r = 0; r < candidates.size(); ++r) {
    if (static_cast<int>(candidates[r].vertex.size()) != n || static_cast<int>(candidates[r].order.size()) != n) {
      throw std::invalid_argument("persuasion: candidate " + std::to_string(r) + " length = " +
                                  std::to_string(candidates[r].vertex.size()) + ", expected " + std::to_string(n));
    }
  }
  solvers::LinearProgram lp;
  const int m = static_cast<int>(candidates.size());
  for (int r = 0; r < m; ++r) lp.add_column(0.0, solvers::kInfinity, 0.0);
  std::vector<std::pair<int, double>> terms;
  terms.reserve(static_cast<std::size_t>(m) + 2);
  for (int i = 0; i < n; ++i) {
    // Σ_r v_{r,i} w_r + over_i − under_i = target_i, with the slacks priced at −1.
    const int over = lp.add_column(0.0, solvers::kInfinity, -1.0);
    const int under = lp.add_column(0.0, solvers::kInfinity, -1.0);
    terms.clear();
    for (int r = 0; r < m; ++r) terms.emplace_back(r, candidates[r].vertex[i]);
    terms.emplace_back(over, 1.0);
    terms.emplace_back(under, -1.0);
    lp.add_row(terms, target[i], target[i]);
  }
  terms.clear();
  for (int r = 0; r < m; ++r) terms.emplace_back(r, 1.0);
  lp.add_row(terms, 1.0, 1.0);
  const auto solution = lp.maximize();
  if (solution.status != solvers::LinearProgram::Status::optimal) {
    throw std::runtime_error("persuasion: Carathéodory LP status = " +
                             std::to_string(static_cast<int>(solution.status)) + ", expected optimal");
  }
  CaratheodoryResult result;
  result.lp_residual = -solution.objective;
  std::vector<WeightedOrder> mixture;
  std::vector<int> kept;
  for (int r = 0; r < m; ++r) {
    if (solution.primal[r] > kNegligibleWeight) {
      mixture.push_back({candidates[r].order, solution.primal[r]});
      kept.push_back(r);
    }
  }
  double total = 0.0;
  for (const auto& entry : mixture) total += entry.weight;
  for (auto& entry : mixture) entry.weight /= total;
  for (int i = 0; i < n; ++i) {
    double value = 0.0;
    for (std::size_t t = 0; t < kept.size(); ++t) value += mixture[t].weight * candidates[kept[t]].vertex[i];
    result.max_error = std::max(result.max_error, std::abs(value - target[i]));
  }
  result.mixture = std::move(mixture);
  return result;
}

CaratheodoryResult reduce_mixture(int n, std::span<const WeightedOrder> mixture, const VertexOracle& oracle) {
  std::vector<CandidateVertex> candidates;
  candidates.reserve(mixture.size());
  std::vector<double> target(n, 0.0);
  for (const auto& entry : mixture) {
    CandidateVertex candidate{entry.order, std::vector<double>(n)};
    if (static_cast<int>(entry.order.size()) != n) {
      throw std::invalid_argument("persuasion: mixture order length = " + std::to_string(entry.order.size()) +
                                  ", expected " + std::to_string(n));
    }
    oracle(candidate.order, candidate.vertex);
    for (int i = 0; i < n; ++i) target[i] += entry.weight * candidate.vertex[i];
    candidates.push_back(std::move(candidate));
  }
  return caratheodory_decomposition(target, candidates);
}

}  // namespace mechsweep::persuasion
