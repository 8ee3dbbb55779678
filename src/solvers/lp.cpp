#include "solvers/lp.hpp"

#include <malloc.h>

#include <CbcModel.hpp>
#include <ClpFactorization.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

namespace mechsweep::solvers {

int LinearProgram::add_column(double lower, double upper, double objective, bool integer) {
  column_lower_.push_back(lower);
  column_upper_.push_back(upper);
  objective_.push_back(objective);
  const int column = columns() - 1;
  if (integer) integer_columns_.push_back(column);
  return column;
}

int LinearProgram::add_row(std::span<const std::pair<int, double>> terms, double lower, double upper) {
  const int row = rows();
  for (const auto& [column, value] : terms) {
    if (value == 0.0) continue;
    entry_row_.push_back(row);
    entry_column_.push_back(column);
    entry_value_.push_back(value);
  }
  row_lower_.push_back(lower);
  row_upper_.push_back(upper);
  return row;
}

void LinearProgram::clear() { *this = LinearProgram(); }

namespace {

// Clp allocates its factorisation areas afresh for every problem and frees
// them after. With glibc's default trim threshold each of the coalition
// module's thousands of tiny LPs then grows and shrinks the heap with brk,
// which cost 2–3× the solve itself. Keeping freed memory is the fix.
[[maybe_unused]] const bool keep_freed_memory = [] {
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_TOP_PAD, 16 * 1024 * 1024);
  return true;
}();

}  // namespace

LinearProgram::Solution LinearProgram::maximize() const {
  const CoinPackedMatrix matrix(false, entry_row_.data(), entry_column_.data(), entry_value_.data(),
                                static_cast<CoinBigIndex>(entry_value_.size()));
  Solution solution;
  // CoinPackedMatrix sizes itself from the entries; empty trailing rows or
  // columns must still exist for the bounds to line up.
  CoinPackedMatrix sized(matrix);
  sized.setDimensions(rows(), columns());

  if (integer_columns_.empty()) {
    ClpSimplex model;
    model.setLogLevel(0);
    // The default sparse factorisation allocates large work areas per solve
    // (costly under AddressSanitizer, where each is an mmap); these LPs have
    // at most a few hundred rows, where the dense one is as fast and small.
    model.factorization()->forceOtherFactorization(1);
    model.loadProblem(sized, column_lower_.data(), column_upper_.data(), objective_.data(), row_lower_.data(),
                      row_upper_.data());
    model.setOptimizationDirection(-1.0);
    model.dual();
    // Clp's dual simplex has reported a feasible system with free columns and
    // a zero objective as infeasible; the primal simplex confirms every
    // infeasibility before it is believed (it is the rarer answer).
    if (model.status() == 1) model.primal();
    if (model.status() == 1) {
      solution.status = Status::infeasible;
    } else if (model.status() == 2) {
      solution.status = Status::unbounded;
    } else if (model.isProvenOptimal()) {
      solution.status = Status::optimal;
      solution.objective = model.objectiveValue();
      solution.primal.assign(model.primalColumnSolution(), model.primalColumnSolution() + columns());
      // Clp reports duals for the problem as given; with maximisation they are
      // already ∂objective/∂bound.
      solution.row_duals.assign(model.dualRowSolution(), model.dualRowSolution() + rows());
    }
    return solution;
  }

  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.loadProblem(sized, column_lower_.data(), column_upper_.data(), objective_.data(), row_lower_.data(),
                     row_upper_.data());
  solver.setObjSense(-1.0);
  for (int column : integer_columns_) solver.setInteger(column);
  solver.getModelPtr()->factorization()->forceOtherFactorization(1);  // as above, for every node's LP
  CbcModel model(solver);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.branchAndBound();
  if (model.isProvenInfeasible()) {
    solution.status = Status::infeasible;
  } else if (model.isProvenOptimal() && model.bestSolution() != nullptr) {
    solution.status = Status::optimal;
    solution.objective = model.getObjValue();
    solution.primal.assign(model.bestSolution(), model.bestSolution() + columns());
  } else if (model.isContinuousUnbounded()) {
    solution.status = Status::unbounded;
  }
  return solution;
}

}  // namespace mechsweep::solvers
