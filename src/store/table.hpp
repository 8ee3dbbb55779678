#pragma once
// A finished store seen as one table, one row per task: the columns of
// /params, /results and /tasks, read in row ranges so that a command can
// stream through a store of any size. Serial and read-only (no MPI), like
// StoreReader; `write_derived_table` adds a table of derived figures under
// /aggregates/<name> without touching anything else in the file.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace mechsweep::store {

enum class ColumnGroup { param, result, task };
enum class ValueType { real, integer, text };

struct TableColumn {
  std::string name;  // the dataset's name within its group
  ColumnGroup group = ColumnGroup::param;
  ValueType type = ValueType::real;
  bool ragged = false;  // results only: a vector per task
  std::string doc;

  // "params/<name>", "results/<name>" or "tasks/<name>": unique in a store.
  std::string path() const;
};

// One cell of a scalar column.
using Cell = std::variant<double, std::int64_t, std::string>;

// Rows [first, first + count) of a ragged column: row k of the range is
// values[offsets[k] - offsets[0], offsets[k + 1] - offsets[0]).
struct RaggedRows {
  std::vector<std::uint64_t> offsets;  // count + 1 entries
  std::vector<double> values;
};

class StoreTable {
 public:
  // Throws Error naming the file if it is missing, not HDF5 or not a complete store.
  explicit StoreTable(const std::filesystem::path& file);
  StoreTable(StoreTable&&) noexcept;
  StoreTable& operator=(StoreTable&&) noexcept;
  ~StoreTable();

  const std::filesystem::path& file() const;
  std::string experiment() const;
  std::uint64_t rows() const;  // the plan's task count
  // Parameters, then results (both in name order), then the task columns
  // status (integer), error (text), seconds, rank, seed.
  const std::vector<TableColumn>& columns() const;

  // The index of the column a user named: a bare name, or a path such as
  // "params/x" where a parameter and a result share the name. Throws
  // InputError (naming `flag` and the store's columns) if there is none, or
  // if a bare name is ambiguous.
  std::size_t find(std::string_view name, const std::string& flag) const;

  // Rows [first, first + count) of a scalar column. Numbers of an integer
  // column convert exactly; its fill (INT64_MIN, a task not done) reads as NaN
  // through read_numbers.
  std::vector<double> read_numbers(std::size_t column, std::uint64_t first, std::uint64_t count) const;
  std::vector<Cell> read_cells(std::size_t column, std::uint64_t first, std::uint64_t count) const;
  RaggedRows read_ragged(std::size_t column, std::uint64_t first, std::uint64_t count) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A small table of derived figures (an aggregate): equal-length columns.
struct DerivedColumn {
  std::string name;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
};
struct DerivedTable {
  std::vector<DerivedColumn> columns;
  std::vector<std::pair<std::string, std::string>> attributes;  // text attributes of its group
};

// Writes `table` as /aggregates/<name> of the store `file`: one dataset per
// column and the group attribute `columns` (the column names, in order,
// newline-separated), replacing an aggregate of the same name. Holds the
// store's lock meanwhile, so it fails (naming the holder) while a run writes
// the store. Returns true when it replaced one.
bool write_derived_table(const std::filesystem::path& file, const std::string& name, const DerivedTable& table);

}  // namespace mechsweep::store
