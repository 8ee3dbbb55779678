#pragma once
// The HDF5 result store: one file per run, readable by h5py, h5dump and pandas
// without project code. This header is the only way the rest of mechsweep
// touches HDF5; no hid_t leaks out of src/store/.
//
// Layout (n = number of tasks):
//   /                      attrs: config (text), config_hash, experiment, mechsweep_version,
//                                 git_commit, hdf5_version, mpi_version, created_utc,
//                                 task_count, schema_complete (written last at creation);
//                                 shard_index, shard_count for a `run --shard I/K` store
//   /params/<name>         one dataset per parameter, n rows: float64, int64 or
//                          fixed-length string (choice parameters)
//   /results/<name>        scalar result column: n rows, float64 (NaN until done) or
//                          int64 (INT64_MIN until done)
//   /results/<name>/values + /results/<name>/offsets
//                          ragged column: row k is values[offsets[k]:offsets[k+1]]
//   /tasks/status          uint8: 0 pending, 1 done, 2 failed
//   /tasks/error           fixed-length string: the message of a failed task
//   /tasks/seconds         float64 wall time of the task
//   /tasks/rank            int32 rank that ran it (-1 pending)
//   /tasks/seed            uint64 seed of the task
//   /runs/<field>          one row per run segment (run, resume or merge): kind, ranks,
//                          started_utc, wall_seconds, tasks_done, tasks_failed, finished
//
// Concurrency: every rank opens the file collectively with the MPI-IO driver;
// all datasets are created and fully allocated at creation, so workers write
// their own rows with independent writes and no metadata changes. A row's
// status is written after its results, so a killed run never shows a task as
// done whose results are missing.

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/shard.hpp"

namespace mechsweep::store {

constexpr std::uint8_t kPending = 0;
constexpr std::uint8_t kDone = 1;
constexpr std::uint8_t kFailed = 2;
constexpr std::size_t kErrorMessageBytes = 256;  // longer messages are truncated

// A /tasks/status value as users name it ("pending", "done", "failed"), and back.
inline std::string_view status_name(std::uint8_t status) {
  return status == kDone ? "done" : status == kFailed ? "failed" : "pending";
}
inline std::optional<std::uint8_t> status_of(std::string_view name) {
  if (name == "pending") return kPending;
  if (name == "done") return kDone;
  if (name == "failed") return kFailed;
  return std::nullopt;
}

// One /params dataset: the value of one parameter for every task.
struct ParamColumn {
  std::string name;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;
  std::string doc;
};

// One /results column. For a ragged column `offsets` has task_count + 1 entries.
struct ResultColumnLayout {
  std::string name;
  bool is_integer = false;
  bool is_ragged = false;
  std::vector<std::uint64_t> offsets;
  std::string doc;
};

struct StoreLayout {
  std::uint64_t task_count = 0;
  std::vector<ParamColumn> params;
  std::vector<ResultColumnLayout> results;
  std::vector<std::uint64_t> seeds;  // one per task
  std::string experiment;
  std::string config_text;
  std::string config_hash;
  // The slice a `run --shard I/K` executes; recorded as the root attributes
  // shard_index and shard_count. Absent: the store is for the whole plan.
  std::optional<Shard> shard;
};

// Results of the contiguous tasks [first_task, first_task + count).
struct ResultBlock {
  std::uint64_t first_task = 0;
  std::uint64_t count = 0;
  // One entry per result column, in layout order. Scalar column: `count`
  // values. Ragged column: the rows' vectors concatenated (their lengths are
  // the layout's offsets). Integer columns are carried as doubles.
  std::vector<std::vector<double>> columns;
  std::vector<std::uint8_t> status;  // kDone or kFailed, one per task
  std::vector<double> seconds;
  std::vector<std::int32_t> rank;
  std::vector<std::string> errors;  // empty string for done tasks
};

struct RunSegment {
  std::string kind;  // "run", "resume" or "merge"
  std::int32_t ranks = 0;
  std::string started_utc;
  double wall_seconds = 0;  // NaN while unfinished (or if the segment was killed)
  std::int64_t tasks_done = 0;
  std::int64_t tasks_failed = 0;
  bool finished = false;
};

struct StoreSummary {
  std::uint64_t task_count = 0;
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::uint64_t pending = 0;
  std::string experiment;
  std::string config_hash;
  std::string created_utc;
  std::vector<RunSegment> segments;
  // A shard store: its slice, and the counts within it (the counts above are
  // over all tasks). Without a shard the slice counts equal the totals.
  std::optional<Shard> shard;
  std::uint64_t slice_first = 0;
  std::uint64_t slice_end = 0;
  std::uint64_t slice_done = 0;
  std::uint64_t slice_failed = 0;
  std::uint64_t slice_pending = 0;
};

// An open store shared by all ranks of `comm`. All member functions are
// collective unless marked otherwise.
class ResultStore {
 public:
  // Creates the file (it must not exist), writes /params, /tasks/seed and all
  // fills, and flushes. Collective.
  static ResultStore create(const std::filesystem::path& file, const StoreLayout& layout, MPI_Comm comm);
  // Opens an existing complete store for writing (resume). Checks that its
  // config hash, task count, columns and /params match `layout`; throws Error
  // naming the mismatch otherwise. Collective.
  static ResultStore open(const std::filesystem::path& file, const StoreLayout& layout, MPI_Comm comm);

  ResultStore(ResultStore&&) noexcept;
  ResultStore& operator=(ResultStore&&) noexcept;
  ~ResultStore();  // collective close

  // Independent (any single rank): writes the block's results, then its
  // seconds/rank/errors, then its status.
  void write(const ResultBlock& block);

  // Reads /tasks/status (independent).
  std::vector<std::uint8_t> read_status() const;

  // Appends a /runs row (collective). Returns its index.
  std::size_t begin_segment(const std::string& kind, std::int32_t ranks, const std::string& started_utc);
  // Fills in the row's end figures and flushes (collective; values from rank 0
  // are written). `finished` false marks a segment stopped early (by a signal):
  // its figures are written, and `status` shows it as interrupted.
  void end_segment(std::size_t segment, double wall_seconds, std::int64_t tasks_done, std::int64_t tasks_failed,
                   bool finished = true);
  // Appends a complete /runs row copied from another store, and flushes
  // (collective; merge). Returns its index.
  std::size_t append_segment(const RunSegment& segment);

  void flush();  // collective

 private:
  struct Impl;
  explicit ResultStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The bytes a store of `layout` takes on disk once created (every dataset is
// allocated then), not counting /tasks/error, which stays sparse until tasks fail.
std::uint64_t estimated_bytes(const StoreLayout& layout);
// Throws Error (exit status 2: the sweep is too large for where it goes) if
// the file system that is to hold `file` has less than `bytes` free.
void require_free_space(const std::filesystem::path& file, std::uint64_t bytes);

// Serial, read-only helpers (no MPI needed). Throw Error with the file name if
// the file is missing, not HDF5, or not a complete mechsweep store.
std::string read_config_text(const std::filesystem::path& file);
std::string read_config_hash(const std::filesystem::path& file);
std::optional<Shard> read_shard(const std::filesystem::path& file);
StoreSummary read_summary(const std::filesystem::path& file);

// A complete store opened read-only without MPI: how `merge` reads its inputs.
class StoreReader {
 public:
  explicit StoreReader(const std::filesystem::path& file);  // throws Error like the helpers above
  StoreReader(StoreReader&&) noexcept;
  StoreReader& operator=(StoreReader&&) noexcept;
  ~StoreReader();

  const std::filesystem::path& file() const;
  std::uint64_t task_count() const;
  std::string config_text() const;
  std::string config_hash() const;
  std::string experiment() const;
  std::optional<Shard> shard() const;
  std::vector<std::uint8_t> read_status() const;
  std::vector<RunSegment> segments() const;
  // What differs from `layout` (config hash, experiment, task count, /params,
  // result columns and offsets, seeds), or "": the check `ResultStore::open` makes.
  std::string layout_difference(const StoreLayout& layout) const;
  // Rows [first, first + count) as written: result columns in `layout`'s order
  // (integers as doubles, exact for every value the store writes), status,
  // seconds, rank and error messages. `layout` must match the store.
  ResultBlock read_block(const StoreLayout& layout, std::uint64_t first, std::uint64_t count) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mechsweep::store
