#pragma once
// Polymatroid rank functions (spec 004 §1.3): one value type per constraint
// family the paper names, behind one variant so that hot loops dispatch once
// per call (std::visit) instead of once per element.
//
// Every family F provides
//   int size() const;                          n: the ground set is {0, …, n−1}
//   double rank(std::span<const int> set) const;   f(S), S a list of distinct agents
//   class Greedy {                             incremental f for a growing set
//    public:
//     explicit Greedy(const F&);
//     double add(int agent);                   f(S ∪ {i}) − f(S), then S := S ∪ {i}
//     void clear();                            S := ∅ (no reallocation)
//   };
// Greedy::add is O(1) amortised for uniform, partition, budget, click and
// cardinality ranks, O(depth) for laminar caps and O(1) for a table.
//
//   family              f(S)                                         parameters
//   UniformMatroid      min(|S|, k)                                  n, k ≥ 0 (k = 1: select one)
//   PartitionMatroid    Σ_g min(|S ∩ E_g|, k_g)                      group_of[i], capacity[g]
//   LaminarCaps         max x(S) s.t. 0 ≤ x_i ≤ c_i, x(A) ≤ c_A       leaf_cap[i], nodes (laminar sets A
//                       (= the recursive min(c_A, Σ children))         with caps c_A)
//   Budget              min(B, Σ_{i∈S} c_i)                          budget B > 0, cost[i] ≥ 0
//   Click               1 − Π_{i∈S} (1 − p_i)                        p[i] ∈ [0, 1]
//   CardinalityRank     φ(|S|), φ concave non-decreasing, φ(0) = 0   phi[0..n]
//   TableRank           an explicit table, indexed by bitmask        n ≤ 20, value[mask]
//
// Construction through the make_* functions validates the parameters and
// throws std::invalid_argument("persuasion: <what> = <found>, expected …").
// validate_rank() checks the polymatroid axioms themselves (f(∅) = 0,
// f ≥ 0, monotone, submodular): exhaustively for n ≤ 12, on seeded random
// (S, i, j) triples otherwise (spec §6.4).

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace mechsweep::persuasion {

struct UniformMatroid {
  int n = 0;
  int k = 1;
  int size() const { return n; }
  double rank(std::span<const int> set) const;
  class Greedy {
   public:
    explicit Greedy(const UniformMatroid& f) : k_(f.k) {}
    double add(int) { return count_++ < k_ ? 1.0 : 0.0; }
    void clear() { count_ = 0; }

   private:
    int k_;
    int count_ = 0;
  };
};

struct PartitionMatroid {
  std::vector<int> group_of;  // group of agent i, in 0..groups−1
  std::vector<int> capacity;  // k_g ≥ 0
  int size() const { return static_cast<int>(group_of.size()); }
  double rank(std::span<const int> set) const;
  class Greedy {
   public:
    explicit Greedy(const PartitionMatroid& f) : f_(&f), used_(f.capacity.size(), 0) {}
    double add(int agent);
    void clear();

   private:
    const PartitionMatroid* f_;
    std::vector<int> used_;
  };
};

struct LaminarCaps {
  struct Node {
    double cap = 0.0;
    std::vector<int> members;  // agents of A; the nodes form a laminar family
  };
  std::vector<double> leaf_cap;  // c_i ≥ 0 (+∞ allowed: no individual cap)
  std::vector<Node> nodes;
  // Filled by make_laminar_caps: the nodes containing each agent, innermost first.
  std::vector<std::vector<int>> ancestors;
  int size() const { return static_cast<int>(leaf_cap.size()); }
  double rank(std::span<const int> set) const;
  class Greedy {
   public:
    explicit Greedy(const LaminarCaps& f) : f_(&f), load_(f.nodes.size(), 0.0) {}
    double add(int agent);
    void clear();

   private:
    const LaminarCaps* f_;
    std::vector<double> load_;
  };
};

struct Budget {
  double budget = 1.0;
  std::vector<double> cost;
  int size() const { return static_cast<int>(cost.size()); }
  double rank(std::span<const int> set) const;
  class Greedy {
   public:
    explicit Greedy(const Budget& f) : f_(&f) {}
    double add(int agent);
    void clear() { spent_ = 0.0; }

   private:
    const Budget* f_;
    double spent_ = 0.0;
  };
};

struct Click {
  std::vector<double> p;
  int size() const { return static_cast<int>(p.size()); }
  double rank(std::span<const int> set) const;
  class Greedy {
   public:
    explicit Greedy(const Click& f) : f_(&f) {}
    double add(int agent);
    void clear() { miss_ = 1.0; }

   private:
    const Click* f_;
    double miss_ = 1.0;  // Π (1 − p_i) over the set so far
  };
};

struct CardinalityRank {
  std::vector<double> phi;  // φ(0..n), φ(0) = 0
  int size() const { return static_cast<int>(phi.size()) - 1; }
  double rank(std::span<const int> set) const { return phi[set.size()]; }
  class Greedy {
   public:
    explicit Greedy(const CardinalityRank& f) : f_(&f) {}
    double add(int) {
      ++count_;
      return f_->phi[count_] - f_->phi[count_ - 1];
    }
    void clear() { count_ = 0; }

   private:
    const CardinalityRank* f_;
    std::size_t count_ = 0;
  };
};

struct TableRank {
  int n = 0;
  std::vector<double> value;  // f(S) at index Σ_{i∈S} 2^i, size 2^n
  int size() const { return n; }
  double rank(std::span<const int> set) const;
  class Greedy {
   public:
    explicit Greedy(const TableRank& f) : f_(&f) {}
    double add(int agent);
    void clear() { mask_ = 0; }

   private:
    const TableRank* f_;
    std::uint32_t mask_ = 0;
  };
};

using Polymatroid =
    std::variant<UniformMatroid, PartitionMatroid, LaminarCaps, Budget, Click, CardinalityRank, TableRank>;

inline constexpr int kMaxTableAgents = 20;

Polymatroid make_uniform(int n, int k);
Polymatroid make_partition(std::vector<int> group_of, std::vector<int> capacity);
Polymatroid make_laminar_caps(std::vector<double> leaf_cap, std::vector<LaminarCaps::Node> nodes);
Polymatroid make_budget(double budget, std::vector<double> cost);
Polymatroid make_click(std::vector<double> p);
Polymatroid make_cardinality(std::vector<double> phi);
Polymatroid make_table(int n, std::vector<double> value);
// The table of any family (n ≤ kMaxTableAgents).
TableRank tabulate(const Polymatroid& f);

int size(const Polymatroid& f);
double rank(const Polymatroid& f, std::span<const int> set);
// "uniform(n=5, k=2)", "click(n=3)", … for messages and the store.
std::string describe(const Polymatroid& f);

// The greedy vertex of B(f) for a priority order (highest priority first):
// x_{π(t)} = f(π(1..t)) − f(π(1..t−1)). `order` is a permutation of 0..n−1;
// `vertex` has size n.
void greedy_vertex(const Polymatroid& f, std::span<const int> order, std::span<double> vertex);

// x ∈ B(f) within tol: x ≥ −tol, |x(E) − f(E)| ≤ tol and x(S) ≤ f(S) + tol
// for all S. Exhaustive for n ≤ kMaxTableAgents; closed form for uniform,
// partition and cardinality ranks (sums of the largest coordinates); other
// families with larger n throw std::invalid_argument.
bool in_base_polytope(const Polymatroid& f, std::span<const double> x, double tol = 1e-9);

struct RankValidation {
  bool normalized = true;   // f(∅) = 0
  bool nonnegative = true;  // f(S) ≥ 0
  bool monotone = true;     // f(S) ≤ f(S ∪ {i})
  bool submodular = true;   // f(S+i) − f(S) ≥ f(S+i+j) − f(S+j)
  bool exhaustive = true;   // false: sampled
  std::int64_t checks = 0;
  std::string first_problem;  // empty when valid
  bool valid() const { return normalized && nonnegative && monotone && submodular; }
};
// Exhaustive for n ≤ 12, otherwise `samples` seeded random (S, i, j) checks.
RankValidation validate_rank(const Polymatroid& f, double tol = 1e-12, std::uint64_t seed = 0,
                             std::int64_t samples = 20000);
// Throws std::invalid_argument naming the first violated axiom.
void require_polymatroid(const Polymatroid& f, double tol = 1e-12);

}  // namespace mechsweep::persuasion
