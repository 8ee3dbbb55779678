#pragma once
// A small linear / mixed-integer program, solved by COIN-OR Clp (no integer
// columns) or Cbc (some integer columns). The coalition module's programs are
// tiny (tens to hundreds of columns), so the builder keeps plain triplets and
// hands them to the solver in one call.

#include <span>
#include <utility>
#include <vector>

namespace mechsweep::solvers {

inline constexpr double kInfinity = 1e30;

class LinearProgram {
 public:
  enum class Status { optimal, infeasible, unbounded, failed };
  struct Solution {
    Status status = Status::failed;
    double objective = 0.0;
    std::vector<double> primal;
    // Dual prices of the rows (LPs only): ∂objective/∂row bound.
    std::vector<double> row_duals;
  };

  int add_column(double lower, double upper, double objective, bool integer = false);
  // lower ≤ Σ coefficient·column ≤ upper (use ±kInfinity for one-sided rows).
  int add_row(std::span<const std::pair<int, double>> terms, double lower, double upper);
  int columns() const { return static_cast<int>(column_lower_.size()); }
  int rows() const { return static_cast<int>(row_lower_.size()); }

  Solution maximize() const;
  void clear();

 private:
  std::vector<double> column_lower_, column_upper_, objective_;
  std::vector<int> integer_columns_;
  std::vector<double> row_lower_, row_upper_;
  std::vector<int> entry_row_, entry_column_;
  std::vector<double> entry_value_;
};

}  // namespace mechsweep::solvers
