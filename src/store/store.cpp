#include "store/store.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <ctime>
#include <exception>
#include <limits>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "core/version.hpp"
#include "store/hdf5.hpp"
#include "store/open_store.hpp"

// Design notes.
//
// Kill -9 safety. Only three moments change the file's metadata: creation, and
// the start and end of a run segment (a /runs row). Each is collective and ends
// with H5Fflush, which writes every dirty metadata entry and sets the file's
// length to HDF5's end-of-allocation, so at every other moment the metadata on
// disk is complete and consistent. Workers only overwrite raw bytes of
// contiguous datasets allocated (and filled) at creation, which changes no
// metadata at all, and those bytes go straight to the kernel (neither the
// MPI-IO driver nor MPI-IO caches them), so a process killed at any moment loses
// at most the block it was writing, and that block's status is still pending.
// The file keeps the default (earliest) format bounds: its version-0 superblock
// has no status flags, so nothing can mark a killed writer's file as "still open
// for writing" (the flags that `h5clear -s` exists to reset). A kill inside
// create() leaves a file without `schema_complete`, which every reader and
// open() refuse; a kill inside begin_segment() or end_segment() leaves the last
// flushed metadata, because their few small changes stay in HDF5's metadata
// cache until the flush (end_segment writes `finished` last).
//
// Sparse error strings. /tasks/error is kErrorMessageBytes per task, more than
// all the other columns of a typical row together. It is allocated at creation
// like every dataset, but with fill time NEVER, and only the rows of failed
// tasks (and rows that may still hold an old message) are ever written; the rest
// stays a hole in the file, which takes no disk space and reads as empty
// strings. Filling it would make the error column dominate the file's size.
//
// Collective calls. Every call that changes metadata (create, extend, attribute
// writes, flush) is made by all ranks with identical arguments: values that
// could differ between ranks (the clock, the MPI version string) come from rank
// 0. Work done by rank 0 alone (checks, raw writes of /params) goes through
// on_root(), which broadcasts its error, so no rank waits in a collective call
// for a rank that threw.

namespace mechsweep::store {

namespace {

constexpr std::int64_t kSchemaVersion = 1;
constexpr std::size_t kRunKindBytes = 16;
constexpr std::size_t kUtcBytes = 32;
constexpr hsize_t kRunsChunkRows = 16;
constexpr std::int64_t kIntegerFill = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kUnknownCount = -1;  // /runs counts of a segment that never ended
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- MPI helpers ------------------------------------------------------------

// A private duplicate of the caller's communicator, so that the store's
// broadcasts can never match the caller's own messages.
class Communicator {
 public:
  explicit Communicator(MPI_Comm comm) {
    MPI_Comm_dup(comm, &comm_);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;
  ~Communicator() {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
  }
  MPI_Comm get() const { return comm_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  void abandon() { comm_ = MPI_COMM_NULL; }  // see ResultStore::Impl::~Impl

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
};

std::string broadcast(std::string text, const Communicator& comm) {
  unsigned long long length = text.size();
  MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, comm.get());
  text.resize(length);
  if (length > 0) MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, comm.get());
  return text;
}

// Runs `work` on rank 0 only, then makes every rank throw rank 0's error if it
// failed, so that no rank is left waiting in the next collective call.
template <class Work>
void on_root(const Communicator& comm, Work&& work) {
  std::string message;
  if (comm.is_root()) {
    try {
      work();
    } catch (const std::exception& error) {
      message = error.what();
      if (message.empty()) message = "unknown error";
    }
  }
  message = broadcast(std::move(message), comm);
  if (!message.empty()) throw Error(message);
}

// ---- small values -----------------------------------------------------------

std::string hdf5_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

std::string mpi_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(text, &length);
  const std::string all(text, static_cast<std::size_t>(std::max(length, 0)));
  return all.substr(0, all.find('\n'));
}

std::string in_quotes(const std::filesystem::path& file) { return "'" + file.string() + "'"; }

// Integer result columns travel as doubles; a value that is not a finite
// int64 (a failed task's NaN) is stored as the column's fill, INT64_MIN.
std::int64_t to_stored_integer(double value) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!(value >= -kLimit && value < kLimit)) return kIntegerFill;
  return static_cast<std::int64_t>(value);
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

// ---- layout checks ------------------------------------------------------------

bool is_valid_name(const std::string& name) {
  return !name.empty() && name != "." && name.find('/') == std::string::npos;
}

// Returns what is wrong with `layout`, or "" when it is consistent.
std::string layout_problem(const StoreLayout& layout) {
  const std::uint64_t n = layout.task_count;
  if (layout.seeds.size() != n) {
    return "has " + std::to_string(layout.seeds.size()) + " seeds for " + std::to_string(n) + " tasks";
  }
  std::set<std::string> names;
  for (const ParamColumn& param : layout.params) {
    if (!is_valid_name(param.name)) return "has a parameter with the invalid name '" + param.name + "'";
    if (!names.insert(param.name).second) return "names parameter '" + param.name + "' twice";
    const std::size_t rows = std::visit([](const auto& values) { return values.size(); }, param.values);
    if (rows != n) {
      return "has " + std::to_string(rows) + " values of parameter '" + param.name + "' for " + std::to_string(n) +
             " tasks";
    }
  }
  names.clear();
  for (const ResultColumnLayout& column : layout.results) {
    if (!is_valid_name(column.name)) return "has a result column with the invalid name '" + column.name + "'";
    if (!names.insert(column.name).second) return "names result column '" + column.name + "' twice";
    if (!column.is_ragged) continue;
    if (column.offsets.size() != n + 1) {
      return "gives ragged column '" + column.name + "' " + std::to_string(column.offsets.size()) + " offsets for " +
             std::to_string(n) + " tasks (needs one more than tasks)";
    }
    if (column.offsets.front() != 0 || !std::is_sorted(column.offsets.begin(), column.offsets.end())) {
      return "gives ragged column '" + column.name + "' offsets that do not start at 0 and never decrease";
    }
  }
  return "";
}

void check_layout(const StoreLayout& layout, const std::filesystem::path& file) {
  const std::string problem = layout_problem(layout);
  if (!problem.empty()) throw Error("the layout for store " + in_quotes(file) + " " + problem);
}

// ---- dataset creation -------------------------------------------------------------

std::string default_doc(const std::string& kind, const std::string& name, const std::string& doc) {
  return doc.empty() ? kind + " '" + name + "'" : doc;
}

// Contiguous, allocated at creation, no timestamps. With `fill`, the fill value
// (of `fill_type`) is written at allocation; without, the space is never
// written by HDF5 (the caller writes it, or it stays a hole).
h5::PropertyList contiguous_properties(const std::string& file, hid_t fill_type, const void* fill) {
  h5::PropertyList dcpl = h5::PropertyList::create(H5P_DATASET_CREATE);
  const hid_t id = dcpl.id();
  if (H5Pset_layout(id, H5D_CONTIGUOUS) < 0 || H5Pset_alloc_time(id, H5D_ALLOC_TIME_EARLY) < 0 ||
      H5Pset_obj_track_times(id, 0) < 0 || (fill != nullptr && H5Pset_fill_value(id, fill_type, fill) < 0) ||
      H5Pset_fill_time(id, fill != nullptr ? H5D_FILL_TIME_ALLOC : H5D_FILL_TIME_NEVER) < 0) {
    h5::fail(file, "setting up a contiguous dataset");
  }
  return dcpl;
}

// Chunked and extendible, for the /runs rows that grow with every segment.
h5::PropertyList extendible_properties(const std::string& file, hid_t fill_type, const void* fill) {
  h5::PropertyList dcpl = h5::PropertyList::create(H5P_DATASET_CREATE);
  const hid_t id = dcpl.id();
  if (H5Pset_chunk(id, 1, &kRunsChunkRows) < 0 || H5Pset_alloc_time(id, H5D_ALLOC_TIME_EARLY) < 0 ||
      H5Pset_obj_track_times(id, 0) < 0 || (fill != nullptr && H5Pset_fill_value(id, fill_type, fill) < 0) ||
      H5Pset_fill_time(id, H5D_FILL_TIME_ALLOC) < 0) {
    h5::fail(file, "setting up an extendible dataset");
  }
  return dcpl;
}

template <class T>
h5::DataSet create_filled(const h5::Container& parent, const std::string& name, hsize_t rows, const T& fill,
                          const std::string& doc) {
  const h5::PropertyList dcpl = contiguous_properties(parent.file_name(), h5::TypeOf<T>::memory(), &fill);
  h5::DataSet dataset = parent.create_dataset(name, h5::DataType::file_type<T>(), h5::DataSpace::vector(rows), dcpl);
  dataset.write_attribute("doc", doc);
  return dataset;
}

h5::DataSet create_unfilled(const h5::Container& parent, const std::string& name, const h5::DataType& type,
                            hsize_t rows, const std::string& doc) {
  const h5::PropertyList dcpl = contiguous_properties(parent.file_name(), H5T_NATIVE_INT, nullptr);
  h5::DataSet dataset = parent.create_dataset(name, type, h5::DataSpace::vector(rows), dcpl);
  dataset.write_attribute("doc", doc);
  return dataset;
}

template <class T>
h5::DataSet create_extendible(const h5::Container& parent, const std::string& name, const T& fill,
                              const std::string& doc) {
  const h5::PropertyList dcpl = extendible_properties(parent.file_name(), h5::TypeOf<T>::memory(), &fill);
  h5::DataSet dataset =
      parent.create_dataset(name, h5::DataType::file_type<T>(), h5::DataSpace::vector(0, H5S_UNLIMITED), dcpl);
  dataset.write_attribute("doc", doc);
  return dataset;
}

h5::DataSet create_extendible_string(const h5::Container& parent, const std::string& name, std::size_t bytes,
                                     const std::string& doc) {
  const h5::PropertyList dcpl = extendible_properties(parent.file_name(), H5T_NATIVE_INT, nullptr);
  h5::DataSet dataset = parent.create_dataset(name, h5::DataType::fixed_string(bytes, false),
                                              h5::DataSpace::vector(0, H5S_UNLIMITED), dcpl);
  dataset.write_attribute("doc", doc);
  return dataset;
}

std::size_t longest(const std::vector<std::string>& values) {
  std::size_t bytes = 1;
  for (const std::string& value : values) bytes = std::max(bytes, value.size());
  return bytes;
}

// ---- the open datasets ----------------------------------------------------------------

struct ResultColumn {
  std::string name;
  bool is_integer = false;
  bool is_ragged = false;
  std::vector<std::uint64_t> offsets;  // ragged columns only
  h5::DataSet values;
};

struct RunsColumns {
  h5::DataSet kind, ranks, started_utc, wall_seconds, tasks_done, tasks_failed, finished;

  std::array<h5::DataSet*, 7> all() {
    return {&kind, &ranks, &started_utc, &wall_seconds, &tasks_done, &tasks_failed, &finished};
  }
  void resize(hsize_t rows) {
    for (h5::DataSet* column : all()) column->resize(rows);
  }
};

RunsColumns open_runs(const h5::File& file) {
  const h5::Group runs = file.open_group("runs");
  return {runs.open_dataset("kind"),         runs.open_dataset("ranks"),      runs.open_dataset("started_utc"),
          runs.open_dataset("wall_seconds"), runs.open_dataset("tasks_done"), runs.open_dataset("tasks_failed"),
          runs.open_dataset("finished")};
}

std::vector<RunSegment> read_segments(const RunsColumns& runs) {
  const std::vector<std::string> kind = runs.kind.read_all_strings();
  const auto ranks = runs.ranks.read_all<std::int32_t>();
  const std::vector<std::string> started = runs.started_utc.read_all_strings();
  const auto wall = runs.wall_seconds.read_all<double>();
  const auto done = runs.tasks_done.read_all<std::int64_t>();
  const auto failed = runs.tasks_failed.read_all<std::int64_t>();
  const auto finished = runs.finished.read_all<std::uint8_t>();
  const std::size_t rows =
      std::min({kind.size(), ranks.size(), started.size(), wall.size(), done.size(), failed.size(), finished.size()});
  std::vector<RunSegment> segments(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    segments[row] = {kind[row], ranks[row], started[row], wall[row], done[row], failed[row], finished[row] != 0};
  }
  return segments;
}

// ---- checks against an existing store ---------------------------------------------------

void require_complete(const h5::File& file) {
  if (!file.has_attribute("schema_complete") || file.read_int64_attribute("schema_complete") != 1) {
    throw Error(in_quotes(file.file_name()) +
                " is not a complete mechsweep store: it has no schema_complete mark (its creation was "
                "interrupted, or another program wrote it)");
  }
}

std::string kind_of(const h5::DataSet& dataset) {
  switch (dataset.type().type_class()) {
    case H5T_FLOAT:
      return "float64";
    case H5T_INTEGER:
      return "int64";
    case H5T_STRING:
      return "string";
    default:
      return "an unknown type";
  }
}

template <class T>
std::string value_text(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) {
    return "'" + value + "'";
  } else {
    std::ostringstream text;
    text.precision(17);
    text << value;
    return text.str();
  }
}

template <class T>
bool same_value(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double>) {
    return a == b || (std::isnan(a) && std::isnan(b));
  } else {
    return a == b;
  }
}

// "" when `stored` equals `expected`, else where they first differ.
template <class T>
std::string first_difference(const std::vector<T>& stored, const std::vector<T>& expected) {
  if (stored.size() != expected.size()) {
    return "has " + std::to_string(stored.size()) + " rows, expected " + std::to_string(expected.size());
  }
  for (std::size_t row = 0; row < stored.size(); ++row) {
    if (!same_value(stored[row], expected[row])) {
      return "differs at task " + std::to_string(row) + " (stored " + value_text(stored[row]) + ", expected " +
             value_text(expected[row]) + ")";
    }
  }
  return "";
}

std::string names_difference(std::vector<std::string> stored, std::vector<std::string> expected) {
  std::sort(stored.begin(), stored.end());
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> missing, unexpected;
  std::set_difference(expected.begin(), expected.end(), stored.begin(), stored.end(), std::back_inserter(missing));
  std::set_difference(stored.begin(), stored.end(), expected.begin(), expected.end(), std::back_inserter(unexpected));
  if (missing.empty() && unexpected.empty()) return "";
  return "missing: " + join(missing) + "; unexpected: " + join(unexpected);
}

std::vector<std::string> names_of(const auto& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& column : columns) names.push_back(column.name);
  return names;
}

// Returns what in `file` differs from `layout`, or "".
std::string layout_difference(const h5::File& file, const StoreLayout& layout) {
  const std::string stored_hash = file.read_string_attribute("config_hash");
  if (stored_hash != layout.config_hash) {
    return "was written by a different config (hash " + stored_hash + ", expected " + layout.config_hash + ")";
  }
  const std::string stored_experiment = file.read_string_attribute("experiment");
  if (stored_experiment != layout.experiment) {
    return "was written by experiment '" + stored_experiment + "', expected '" + layout.experiment + "'";
  }
  const std::uint64_t stored_count = file.read_uint64_attribute("task_count");
  if (stored_count != layout.task_count) {
    return "has " + std::to_string(stored_count) + " tasks, expected " + std::to_string(layout.task_count);
  }

  const h5::Group params = file.open_group("params");
  if (const std::string diff = names_difference(params.children(), names_of(layout.params)); !diff.empty()) {
    return "has other parameters than the config (" + diff + ")";
  }
  for (const ParamColumn& param : layout.params) {
    const h5::DataSet dataset = params.open_dataset(param.name);
    const std::string stored_kind = kind_of(dataset);
    const std::string diff = std::visit(
        [&](const auto& expected) -> std::string {
          using T = typename std::decay_t<decltype(expected)>::value_type;
          const std::string expected_kind = std::is_same_v<T, double>        ? "float64"
                                            : std::is_same_v<T, std::string> ? "string"
                                                                             : "int64";
          if (stored_kind != expected_kind) return "is stored as " + stored_kind + ", expected " + expected_kind;
          if constexpr (std::is_same_v<T, std::string>) {
            return first_difference(dataset.read_all_strings(), expected);
          } else {
            return first_difference(dataset.read_all<T>(), expected);
          }
        },
        param.values);
    if (!diff.empty()) return "has parameter '" + param.name + "' that " + diff;
  }

  const h5::Group results = file.open_group("results");
  if (const std::string diff = names_difference(results.children(), names_of(layout.results)); !diff.empty()) {
    return "has other result columns than the config (" + diff + ")";
  }
  for (const ResultColumnLayout& column : layout.results) {
    const bool stored_ragged = results.is_group(column.name);
    if (stored_ragged != column.is_ragged) {
      return "has result column '" + column.name + "' " + (stored_ragged ? "ragged" : "scalar") + ", expected " +
             (column.is_ragged ? "ragged" : "scalar");
    }
    const h5::DataSet values =
        stored_ragged ? results.open_group(column.name).open_dataset("values") : results.open_dataset(column.name);
    const bool stored_integer = values.type().type_class() == H5T_INTEGER;
    if (stored_integer != column.is_integer) {
      return "has result column '" + column.name + "' of type " + kind_of(values) + ", expected " +
             (column.is_integer ? "int64" : "float64");
    }
    if (stored_ragged) {
      const auto offsets = results.open_group(column.name).open_dataset("offsets").read_all<std::uint64_t>();
      if (const std::string diff = first_difference(offsets, column.offsets); !diff.empty()) {
        return "has ragged column '" + column.name + "' whose offsets " + diff;
      }
    }
  }

  const auto seeds = file.open_group("tasks").open_dataset("seed").read_all<std::uint64_t>();
  if (const std::string diff = first_difference(seeds, layout.seeds); !diff.empty()) {
    return "has task seeds that " + diff;
  }
  return "";
}

h5::PropertyList mpio_access(MPI_Comm comm) {
  h5::PropertyList fapl = h5::PropertyList::create(H5P_FILE_ACCESS);
  // The default (earliest) format bounds are kept on purpose: see the design
  // notes at the top of this file.
  if (H5Pset_fapl_mpio(fapl.id(), comm, MPI_INFO_NULL) < 0) h5::fail("(none)", "selecting the MPI-IO driver");
  return fapl;
}

std::optional<Shard> shard_of(const h5::File& file) {
  if (!file.has_attribute("shard_count")) return std::nullopt;
  Shard shard{file.read_uint64_attribute("shard_index"), file.read_uint64_attribute("shard_count")};
  if (shard.count == 0 || shard.count > kMaxShardCount || shard.index >= shard.count) {
    throw Error(in_quotes(file.file_name()) + " records an impossible shard " + shard.text());
  }
  return shard;
}


}  // namespace

// ---- size -------------------------------------------------------------------------------

std::uint64_t estimated_bytes(const StoreLayout& layout) {
  const std::uint64_t n = layout.task_count;
  std::uint64_t bytes = n * (1 + 8 + 4 + 8);  // status, seconds, rank, seed
  for (const ParamColumn& param : layout.params) {
    std::visit(
        [&](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            bytes += n * longest(values);
          } else {
            bytes += n * 8;
          }
        },
        param.values);
  }
  for (const ResultColumnLayout& column : layout.results) {
    bytes += column.is_ragged ? 8 * (column.offsets.back() + n + 1) : 8 * n;
  }
  return bytes;
}

void require_free_space(const std::filesystem::path& file, std::uint64_t bytes) {
  std::error_code error;
  const std::filesystem::path folder = std::filesystem::absolute(file, error).parent_path();
  const std::filesystem::space_info space = std::filesystem::space(folder, error);
  if (error) return;  // the folder's own problems are reported when the file is created
  // A margin for HDF5's metadata and the /runs rows.
  const std::uint64_t needed = bytes + bytes / 100 + (std::uint64_t{1} << 20);
  if (needed > space.available) {
    const auto gib = [](std::uint64_t b) {
      std::ostringstream text;
      text.precision(3);
      text << static_cast<double>(b) / (1024.0 * 1024 * 1024) << " GiB";
      return text.str();
    };
    throw Error("store " + in_quotes(file) + " would take about " + gib(needed) + ", but only " +
                    gib(space.available) + " are free in " + in_quotes(folder) +
                    "; shrink the sweep (mechsweep plan shows the size) or write the store elsewhere (--out)",
                ExitStatus::bad_input);
  }
}

// ---- serial access -------------------------------------------------------------------

h5::File detail::open_store(const std::filesystem::path& file, bool writable) {
  h5::silence_errors();
  std::error_code ignored;
  if (!std::filesystem::exists(file, ignored)) throw Error("store " + in_quotes(file) + " does not exist");
  if (H5Fis_hdf5(file.c_str()) <= 0) throw Error(in_quotes(file) + " is not an HDF5 file, so not a mechsweep store");
  h5::File opened = h5::File::open(file.string(), writable, h5::PropertyList());
  require_complete(opened);
  return opened;
}

namespace {
// Opens a complete store read-only with the default (sec2) driver: no MPI.
h5::File open_for_reading(const std::filesystem::path& file) { return detail::open_store(file, false); }
}  // namespace

// ---- ResultStore ---------------------------------------------------------------------

struct ResultStore::Impl {
  // Both create() and open() start from a checked layout and its file.
  Impl(MPI_Comm caller, const std::filesystem::path& path, const StoreLayout& layout)
      : comm(caller), file_name(path.string()), task_count(layout.task_count) {
    check_layout(layout, path);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    // A store destroyed after MPI_Finalize: HDF5 shut itself down inside
    // MPI_Finalize and closed the file and every dataset (collectively, on all
    // ranks), so the ids are dead and must not be closed again.
    //
    // A store destroyed by an exception on one of several ranks (a write that
    // failed on this rank only, e.g. on a full disk): closing is collective,
    // and the other ranks are elsewhere (inside the same HDF5 call, waiting),
    // so closing would hang every rank. The ids are left open instead, and
    // the exception goes on to the caller, which must end the job
    // (mechsweep's main calls MPI_Abort).
    int finalized = 0;
    MPI_Finalized(&finalized);
    const bool abandoned_by_error = std::uncaught_exceptions() > 0 && comm.size() > 1;
    if (!finalized && !abandoned_by_error) return;
    if (abandoned_by_error) comm.abandon();
    for (ResultColumn& column : results) column.values.abandon();
    for (h5::DataSet* dataset : {&status, &error, &seconds, &rank, &seed}) dataset->abandon();
    for (h5::DataSet* dataset : runs.all()) dataset->abandon();
    file.abandon();
  }

  Communicator comm;  // declared first: freed after the file is closed
  std::string file_name;
  std::uint64_t task_count = 0;
  h5::File file;  // declared before the datasets, so closed after them
  std::vector<ResultColumn> results;
  h5::DataSet status, error, seconds, rank, seed;
  std::size_t error_width = kErrorMessageBytes;
  RunsColumns runs;
  // Rows of /tasks/error this process knows may hold a message: failed rows
  // found at open, and failed rows it wrote. A done row in this set gets its
  // old message cleared; any other done row is left unwritten (a hole).
  std::vector<bool> may_hold_error;

  // Scratch buffers reused by write(), so a block costs no allocations.
  std::vector<std::int64_t> integers;
  std::vector<char> error_bytes;
  std::vector<h5::DataSet::Rows> error_rows;

  void open_tasks() {
    const h5::Group tasks = file.open_group("tasks");
    status = tasks.open_dataset("status");
    error = tasks.open_dataset("error");
    seconds = tasks.open_dataset("seconds");
    rank = tasks.open_dataset("rank");
    seed = tasks.open_dataset("seed");
    error_width = error.type().size();
  }

  void open_results(const StoreLayout& layout) {
    const h5::Group group = file.open_group("results");
    for (const ResultColumnLayout& column : layout.results) {
      h5::DataSet values =
          column.is_ragged ? group.open_group(column.name).open_dataset("values") : group.open_dataset(column.name);
      results.push_back({column.name, column.is_integer, column.is_ragged, column.offsets, std::move(values)});
    }
  }

  void write_error_rows(const ResultBlock& block);
};

ResultStore::ResultStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResultStore::ResultStore(ResultStore&&) noexcept = default;
ResultStore& ResultStore::operator=(ResultStore&&) noexcept = default;
ResultStore::~ResultStore() = default;

ResultStore ResultStore::create(const std::filesystem::path& file, const StoreLayout& layout, MPI_Comm comm) {
  auto impl = std::make_unique<Impl>(comm, file, layout);
  const Communicator& group = impl->comm;
  const hsize_t n = layout.task_count;

  on_root(group, [&] {
    std::error_code ignored;
    if (std::filesystem::exists(file, ignored)) {
      throw Error("store " + in_quotes(file) + " already exists; delete it (or run with --force) to start over");
    }
  });
  // Metadata calls must be identical on every rank, so rank 0's clock and MPI
  // version string are used everywhere.
  const std::string created_utc = broadcast(group.is_root() ? utc_timestamp() : "", group);
  const std::string mpi = broadcast(group.is_root() ? mpi_version() : "", group);

  impl->file = h5::File::create(impl->file_name, h5::PropertyList(), mpio_access(group.get()));
  const h5::File& h5file = impl->file;
  h5file.write_attribute("config", layout.config_text);
  h5file.write_attribute("config_hash", layout.config_hash);
  h5file.write_attribute("experiment", layout.experiment);
  h5file.write_attribute("mechsweep_version", mechsweep::version());
  h5file.write_attribute("git_commit", mechsweep::git_commit());
  h5file.write_attribute("hdf5_version", hdf5_version());
  h5file.write_attribute("mpi_version", mpi);
  h5file.write_attribute("created_utc", created_utc);
  h5file.write_attribute("task_count", static_cast<std::uint64_t>(layout.task_count));
  h5file.write_attribute("schema_version", kSchemaVersion);
  if (layout.shard) {
    h5file.write_attribute("shard_index", layout.shard->index);
    h5file.write_attribute("shard_count", layout.shard->count);
  }

  // /params: written once, here, so never filled.
  const h5::Group params = h5file.create_group("params");
  std::vector<h5::DataSet> param_sets;
  for (const ParamColumn& param : layout.params) {
    const std::string doc = default_doc("parameter", param.name, param.doc);
    const h5::DataType type = std::visit(
        [](const auto& values) {
          using T = typename std::decay_t<decltype(values)>::value_type;
          if constexpr (std::is_same_v<T, std::string>) {
            return h5::DataType::fixed_string(longest(values), false);
          } else {
            return h5::DataType::file_type<T>();
          }
        },
        param.values);
    param_sets.push_back(create_unfilled(params, param.name, type, n, doc));
  }

  const h5::Group results = h5file.create_group("results");
  std::vector<h5::DataSet> offset_sets;
  for (const ResultColumnLayout& column : layout.results) {
    const std::string doc = default_doc("result column", column.name, column.doc);
    const h5::Container* parent = &results;
    h5::Group ragged;
    hsize_t rows = n;
    if (column.is_ragged) {
      ragged = results.create_group(column.name);
      ragged.write_attribute("doc", doc);
      offset_sets.push_back(
          create_unfilled(ragged, "offsets", h5::DataType::file_type<std::uint64_t>(), n + 1,
                          "row k of '" + column.name + "' is values[offsets[k]:offsets[k+1]]; task_count + 1 entries"));
      parent = &ragged;
      rows = column.offsets.back();
    }
    const std::string name = column.is_ragged ? "values" : column.name;
    const std::string values_doc =
        doc + (column.is_integer ? " (INT64_MIN until the task is done)" : " (NaN until the task is done)");
    h5::DataSet values = column.is_integer ? create_filled(*parent, name, rows, kIntegerFill, values_doc)
                                           : create_filled(*parent, name, rows, kNaN, values_doc);
    impl->results.push_back({column.name, column.is_integer, column.is_ragged, column.offsets, std::move(values)});
  }

  const h5::Group tasks = h5file.create_group("tasks");
  impl->status = create_filled(tasks, "status", n, kPending, "0 pending, 1 done, 2 failed; written after the results");
  impl->error = create_unfilled(
      tasks, "error", h5::DataType::fixed_string(kErrorMessageBytes, true), n,
      "the message of a failed task (empty otherwise; cut to " + std::to_string(kErrorMessageBytes - 1) + " bytes)");
  impl->seconds = create_filled(tasks, "seconds", n, kNaN, "wall time of the task in seconds (NaN until done)");
  impl->rank = create_filled(tasks, "rank", n, std::int32_t{-1}, "MPI rank that ran the task (-1 pending)");
  impl->seed = create_unfilled(tasks, "seed", h5::DataType::file_type<std::uint64_t>(), n, "seed of the task");

  const h5::Group runs = h5file.create_group("runs");
  impl->runs = {
      create_extendible_string(runs, "kind", kRunKindBytes, "run or resume"),
      create_extendible(runs, "ranks", std::int32_t{0}, "number of MPI ranks of the segment"),
      create_extendible_string(runs, "started_utc", kUtcBytes, "start of the segment, ISO-8601 UTC"),
      create_extendible(runs, "wall_seconds", kNaN, "wall time of the segment (NaN if it never ended)"),
      create_extendible(runs, "tasks_done", kUnknownCount, "tasks done in the segment (-1 if it never ended)"),
      create_extendible(runs, "tasks_failed", kUnknownCount, "tasks failed in the segment (-1 if it never ended)"),
      create_extendible(runs, "finished", std::uint8_t{0}, "1 once the segment ended normally"),
  };

  // Raw data into space allocated above: independent writes by rank 0 only.
  on_root(group, [&] {
    for (std::size_t p = 0; p < layout.params.size(); ++p) {
      std::visit(
          [&](const auto& values) {
            using T = typename std::decay_t<decltype(values)>::value_type;
            if constexpr (std::is_same_v<T, std::string>) {
              param_sets[p].write_strings(values, 0);
            } else {
              param_sets[p].write(std::span<const T>(values), 0);
            }
          },
          layout.params[p].values);
    }
    std::size_t ragged = 0;
    for (const ResultColumnLayout& column : layout.results) {
      if (column.is_ragged) offset_sets[ragged++].write(std::span<const std::uint64_t>(column.offsets), 0);
    }
    impl->seed.write(std::span<const std::uint64_t>(layout.seeds), 0);
  });

  // Last: the mark that the store is complete, then everything to disk.
  h5file.write_attribute("schema_complete", std::int64_t{1});
  h5file.flush();
  impl->may_hold_error.assign(n, false);
  return ResultStore(std::move(impl));
}

ResultStore ResultStore::open(const std::filesystem::path& file, const StoreLayout& layout, MPI_Comm comm) {
  auto impl = std::make_unique<Impl>(comm, file, layout);
  const Communicator& group = impl->comm;

  // Rank 0 checks the store through a read-only serial handle first, so that
  // a store that is refused is never opened for writing (not a byte changes).
  on_root(group, [&] {
    const h5::File existing = open_for_reading(file);
    if (const std::string diff = layout_difference(existing, layout); !diff.empty()) {
      throw Error("store " + in_quotes(file) + " " + diff);
    }
  });
  impl->file = h5::File::open(impl->file_name, true, mpio_access(group.get()));

  impl->open_tasks();
  impl->open_results(layout);
  impl->runs = open_runs(impl->file);
  const std::vector<std::uint8_t> status = impl->status.read_all<std::uint8_t>();
  impl->may_hold_error.resize(status.size());
  for (std::size_t row = 0; row < status.size(); ++row) impl->may_hold_error[row] = status[row] == kFailed;
  return ResultStore(std::move(impl));
}

void ResultStore::Impl::write_error_rows(const ResultBlock& block) {
  // Rows to write: failed ones, and done ones that may still show an old
  // message. Runs of consecutive rows become one hyperslab each.
  error_rows.clear();
  error_bytes.clear();
  for (std::size_t i = 0; i < block.count; ++i) {
    const std::uint64_t row = block.first_task + i;
    const bool failed = block.status[i] == kFailed;
    if (!failed && !may_hold_error[row]) continue;
    if (!error_rows.empty() && error_rows.back().first + error_rows.back().count == row) {
      ++error_rows.back().count;
    } else {
      error_rows.push_back({row, 1});
    }
    const std::string& message = block.errors.empty() || !failed ? std::string() : block.errors[i];
    const std::size_t keep = h5::utf8_prefix_bytes(message, error_width - 1);
    const std::size_t at = error_bytes.size();
    error_bytes.resize(at + error_width, '\0');
    std::copy_n(message.data(), keep, error_bytes.data() + at);
    may_hold_error[row] = failed;
  }
  if (error_rows.empty()) return;
  const h5::DataType type = h5::DataType::fixed_string(error_width, true);
  error.write_rows(type.id(), error_bytes.data(), error_rows);
}

void ResultStore::write(const ResultBlock& block) {
  Impl& store = *impl_;
  const std::uint64_t first = block.first_task;
  const std::uint64_t count = block.count;
  const std::string where = "block of tasks [" + std::to_string(first) + ", " + std::to_string(first + count) +
                            ") for store " + in_quotes(store.file_name);
  if (first > store.task_count || count > store.task_count - first) {
    throw Error(where + ": the store has only " + std::to_string(store.task_count) + " tasks");
  }
  if (block.columns.size() != store.results.size()) {
    throw Error(where + ": has " + std::to_string(block.columns.size()) + " result columns, expected " +
                std::to_string(store.results.size()));
  }
  if (block.status.size() != count || block.seconds.size() != count || block.rank.size() != count ||
      (!block.errors.empty() && block.errors.size() != count)) {
    throw Error(where + ": status, seconds, rank and errors need one entry per task");
  }
  for (const std::uint8_t status : block.status) {
    if (status != kDone && status != kFailed) {
      throw Error(where + ": a task status must be done (1) or failed (2), got " + std::to_string(status));
    }
  }
  for (std::size_t c = 0; c < store.results.size(); ++c) {
    const ResultColumn& column = store.results[c];
    const std::uint64_t begin = column.is_ragged ? column.offsets[first] : first;
    const std::uint64_t end = column.is_ragged ? column.offsets[first + count] : first + count;
    if (block.columns[c].size() != end - begin) {
      throw Error(where + ": column '" + column.name + "' has " + std::to_string(block.columns[c].size()) +
                  " values, expected " + std::to_string(end - begin));
    }
  }

  for (std::size_t c = 0; c < store.results.size(); ++c) {
    const ResultColumn& column = store.results[c];
    const std::vector<double>& values = block.columns[c];
    const std::uint64_t begin = column.is_ragged ? column.offsets[first] : first;
    if (column.is_integer) {
      store.integers.resize(values.size());
      std::transform(values.begin(), values.end(), store.integers.begin(), to_stored_integer);
      column.values.write(std::span<const std::int64_t>(store.integers), begin);
    } else {
      column.values.write(std::span<const double>(values), begin);
    }
  }
  store.seconds.write(std::span<const double>(block.seconds), first);
  store.rank.write(std::span<const std::int32_t>(block.rank), first);
  store.write_error_rows(block);
  // Last, so that a task never shows as done before its results are written.
  store.status.write(std::span<const std::uint8_t>(block.status), first);
}

std::vector<std::uint8_t> ResultStore::read_status() const { return impl_->status.read_all<std::uint8_t>(); }

std::size_t ResultStore::begin_segment(const std::string& kind, std::int32_t ranks, const std::string& started_utc) {
  Impl& store = *impl_;
  const hsize_t row = store.runs.kind.size();
  store.runs.resize(row + 1);  // collective: allocates and fills the new row
  on_root(store.comm, [&] {
    const std::string kinds[] = {kind};
    const std::string starts[] = {started_utc};
    store.runs.kind.write_strings(kinds, row);
    store.runs.ranks.write(std::span<const std::int32_t>(&ranks, 1), row);
    store.runs.started_utc.write_strings(starts, row);
  });
  store.file.flush();
  return row;
}

void ResultStore::end_segment(std::size_t segment, double wall_seconds, std::int64_t tasks_done,
                              std::int64_t tasks_failed, bool finished) {
  Impl& store = *impl_;
  const hsize_t rows = store.runs.kind.size();
  if (segment >= rows) {
    throw Error("store " + in_quotes(store.file_name) + " has no run segment " + std::to_string(segment) + " (it has " +
                std::to_string(rows) + ")");
  }
  on_root(store.comm, [&] {
    const std::uint8_t finished_flag = finished ? 1 : 0;
    store.runs.wall_seconds.write(std::span<const double>(&wall_seconds, 1), segment);
    store.runs.tasks_done.write(std::span<const std::int64_t>(&tasks_done, 1), segment);
    store.runs.tasks_failed.write(std::span<const std::int64_t>(&tasks_failed, 1), segment);
    store.runs.finished.write(std::span<const std::uint8_t>(&finished_flag, 1), segment);
  });
  store.file.flush();
}

std::size_t ResultStore::append_segment(const RunSegment& segment) {
  Impl& store = *impl_;
  const hsize_t row = store.runs.kind.size();
  store.runs.resize(row + 1);
  on_root(store.comm, [&] {
    const std::string kinds[] = {segment.kind};
    const std::string starts[] = {segment.started_utc};
    const std::uint8_t finished = segment.finished ? 1 : 0;
    store.runs.kind.write_strings(kinds, row);
    store.runs.ranks.write(std::span<const std::int32_t>(&segment.ranks, 1), row);
    store.runs.started_utc.write_strings(starts, row);
    store.runs.wall_seconds.write(std::span<const double>(&segment.wall_seconds, 1), row);
    store.runs.tasks_done.write(std::span<const std::int64_t>(&segment.tasks_done, 1), row);
    store.runs.tasks_failed.write(std::span<const std::int64_t>(&segment.tasks_failed, 1), row);
    store.runs.finished.write(std::span<const std::uint8_t>(&finished, 1), row);
  });
  store.file.flush();
  return row;
}

void ResultStore::flush() { impl_->file.flush(); }

// ---- serial readers --------------------------------------------------------------------

std::string read_config_text(const std::filesystem::path& file) {
  return open_for_reading(file).read_string_attribute("config");
}

std::string read_config_hash(const std::filesystem::path& file) {
  return open_for_reading(file).read_string_attribute("config_hash");
}

std::optional<Shard> read_shard(const std::filesystem::path& file) { return shard_of(open_for_reading(file)); }

StoreSummary read_summary(const std::filesystem::path& file) {
  const h5::File store = open_for_reading(file);
  StoreSummary summary;
  summary.task_count = store.read_uint64_attribute("task_count");
  summary.experiment = store.read_string_attribute("experiment");
  summary.config_hash = store.read_string_attribute("config_hash");
  summary.created_utc = store.read_string_attribute("created_utc");
  summary.shard = shard_of(store);
  summary.slice_first = summary.shard ? summary.shard->first(summary.task_count) : 0;
  summary.slice_end = summary.shard ? summary.shard->end(summary.task_count) : summary.task_count;
  const auto status = store.open_group("tasks").open_dataset("status").read_all<std::uint8_t>();
  for (std::size_t task = 0; task < status.size(); ++task) {
    const std::uint8_t value = status[task];
    const bool in_slice = task >= summary.slice_first && task < summary.slice_end;
    if (value == kDone) {
      ++summary.done;
      summary.slice_done += in_slice;
    } else if (value == kFailed) {
      ++summary.failed;
      summary.slice_failed += in_slice;
    } else {
      ++summary.pending;
      summary.slice_pending += in_slice;
    }
  }
  summary.segments = read_segments(open_runs(store));
  return summary;
}

// ---- StoreReader -----------------------------------------------------------------------

struct StoreReader::Impl {
  std::filesystem::path path;
  h5::File file;
};

StoreReader::StoreReader(const std::filesystem::path& file)
    : impl_(std::make_unique<Impl>(Impl{file, open_for_reading(file)})) {}
StoreReader::StoreReader(StoreReader&&) noexcept = default;
StoreReader& StoreReader::operator=(StoreReader&&) noexcept = default;
StoreReader::~StoreReader() = default;

const std::filesystem::path& StoreReader::file() const { return impl_->path; }
std::uint64_t StoreReader::task_count() const { return impl_->file.read_uint64_attribute("task_count"); }
std::string StoreReader::config_text() const { return impl_->file.read_string_attribute("config"); }
std::string StoreReader::config_hash() const { return impl_->file.read_string_attribute("config_hash"); }
std::string StoreReader::experiment() const { return impl_->file.read_string_attribute("experiment"); }
std::optional<Shard> StoreReader::shard() const { return shard_of(impl_->file); }

std::vector<std::uint8_t> StoreReader::read_status() const {
  return impl_->file.open_group("tasks").open_dataset("status").read_all<std::uint8_t>();
}

std::vector<RunSegment> StoreReader::segments() const { return read_segments(open_runs(impl_->file)); }

std::string StoreReader::layout_difference(const StoreLayout& layout) const {
  return store::layout_difference(impl_->file, layout);
}

ResultBlock StoreReader::read_block(const StoreLayout& layout, std::uint64_t first, std::uint64_t count) const {
  const h5::File& file = impl_->file;
  const std::uint64_t tasks = file.read_uint64_attribute("task_count");
  if (first > tasks || count > tasks - first) {
    throw Error("store " + in_quotes(impl_->path) + " has no tasks [" + std::to_string(first) + ", " +
                std::to_string(first + count) + ")");
  }
  ResultBlock block;
  block.first_task = first;
  block.count = count;
  const h5::Group results = file.open_group("results");
  for (const ResultColumnLayout& column : layout.results) {
    const h5::DataSet values =
        column.is_ragged ? results.open_group(column.name).open_dataset("values") : results.open_dataset(column.name);
    const std::uint64_t begin = column.is_ragged ? column.offsets.at(first) : first;
    const std::uint64_t end = column.is_ragged ? column.offsets.at(first + count) : first + count;
    if (column.is_integer) {
      // Every stored integer came from a double (to_stored_integer), so the
      // way back is exact; INT64_MIN (-2^63) is a double too.
      const auto integers = values.read<std::int64_t>(begin, end - begin);
      block.columns.emplace_back(integers.begin(), integers.end());
    } else {
      block.columns.push_back(values.read<double>(begin, end - begin));
    }
  }
  const h5::Group group = file.open_group("tasks");
  block.status = group.open_dataset("status").read<std::uint8_t>(first, count);
  block.seconds = group.open_dataset("seconds").read<double>(first, count);
  block.rank = group.open_dataset("rank").read<std::int32_t>(first, count);
  block.errors = group.open_dataset("error").read_strings(first, count);
  return block;
}

}  // namespace mechsweep::store
