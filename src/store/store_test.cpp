// Tests of the HDF5 store. They run as a singleton (no mpirun) and under
// `mpirun -np 2`: collective tests share one file, each rank writing its own
// blocks; single-process tests run on rank 0 only. Some tests run this same
// executable again as a child process (see main()): to read a store in a
// process that never calls MPI_Init, and to kill a writer with SIGKILL.

#include "store/store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <hdf5.h>
#include <mpi.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/seed.hpp"
#include "store/hdf5.hpp"
#include "store/lock.hpp"

extern char** environ;

namespace mechsweep::store {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kIntMissing = std::numeric_limits<std::int64_t>::min();
const char* const kChildModeVariable = "MECHSWEEP_STORE_TEST_CHILD";
const char* const kChildFileVariable = "MECHSWEEP_STORE_TEST_FILE";

int world_rank() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) return 0;
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

int world_size() {
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

// ---- a toy sweep: mixed parameters, scalar and ragged result columns --------

const std::vector<std::string> kRules = {"vcg", "first-price", "generalised-second-price"};

std::int64_t agents_of(std::uint64_t task) { return 1 + static_cast<std::int64_t>(task % 3); }
bool fails(std::uint64_t task) { return task % 7 == 3; }
double welfare_of(std::uint64_t task) { return static_cast<double>(task) + 0.25; }
std::int64_t rounds_of(std::uint64_t task) { return 3 * static_cast<std::int64_t>(task) - 50; }
double bid_of(std::uint64_t task, std::uint64_t j) { return static_cast<double>(task * 10 + j); }
std::string error_of(std::uint64_t task) { return "task " + std::to_string(task) + " failed: bad instance"; }

StoreLayout toy_layout(std::uint64_t tasks) {
  StoreLayout layout;
  layout.task_count = tasks;
  std::vector<double> alpha;
  std::vector<std::int64_t> agents;
  std::vector<std::string> rule;
  ResultColumnLayout welfare{"welfare", false, false, {}, "total welfare"};
  ResultColumnLayout rounds{"rounds", true, false, {}, "rounds until convergence"};
  ResultColumnLayout bids{"bids", false, true, {0}, "one bid per agent"};
  ResultColumnLayout winners{"winners", true, true, {0}, "the winner, when the agent count is even"};
  for (std::uint64_t task = 0; task < tasks; ++task) {
    alpha.push_back(0.1 * static_cast<double>(task));
    agents.push_back(agents_of(task));
    rule.push_back(kRules[task % kRules.size()]);
    bids.offsets.push_back(bids.offsets.back() + static_cast<std::uint64_t>(agents_of(task)));
    winners.offsets.push_back(winners.offsets.back() + (agents_of(task) % 2 == 0 ? 1 : 0));
    layout.seeds.push_back(derive_seed(7, task));
  }
  layout.params = {{"alpha", alpha, "reserve price"}, {"agents", agents, "number of agents"}, {"rule", rule, ""}};
  layout.results = {welfare, rounds, bids, winners};
  layout.experiment = "toy";
  layout.config_text = "experiment: toy\nseed: 7\nsweep:\n  alpha: [0, 0.1]\n";
  layout.config_hash = "0123456789abcdef";
  return layout;
}

ResultBlock toy_block(const StoreLayout& layout, std::uint64_t first, std::uint64_t count, std::int32_t rank) {
  ResultBlock block;
  block.first_task = first;
  block.count = count;
  block.columns.resize(4);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::uint64_t task = first; task < first + count; ++task) {
    const bool failed = fails(task);
    block.columns[0].push_back(failed ? nan : welfare_of(task));
    block.columns[1].push_back(failed ? nan : static_cast<double>(rounds_of(task)));
    for (std::uint64_t j = layout.results[2].offsets[task]; j < layout.results[2].offsets[task + 1]; ++j) {
      block.columns[2].push_back(failed ? nan : bid_of(task, j - layout.results[2].offsets[task]));
    }
    if (layout.results[3].offsets[task + 1] > layout.results[3].offsets[task]) {
      block.columns[3].push_back(failed ? nan : static_cast<double>(task));
    }
    block.status.push_back(failed ? kFailed : kDone);
    block.seconds.push_back(0.001 * static_cast<double>(task));
    block.rank.push_back(rank);
    block.errors.push_back(failed ? error_of(task) : "");
  }
  return block;
}

// ---- raw HDF5 reading, without the store's own code ---------------------------

template <class T>
hid_t native_type() {
  if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
  if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
  if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
  if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
  if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
}

class RawFile {
 public:
  explicit RawFile(const fs::path& path) : id_(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (id_ < 0) throw std::runtime_error("raw H5Fopen failed for " + path.string());
  }
  ~RawFile() { H5Fclose(id_); }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;
  hid_t id() const { return id_; }

  template <class T>
  std::vector<T> read(const std::string& name) const {
    const hid_t dataset = H5Dopen2(id_, name.c_str(), H5P_DEFAULT);
    if (dataset < 0) throw std::runtime_error("raw H5Dopen failed for " + name);
    const hid_t space = H5Dget_space(dataset);
    std::vector<T> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    const herr_t status = H5Dread(dataset, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    H5Sclose(space);
    H5Dclose(dataset);
    if (status < 0) throw std::runtime_error("raw H5Dread failed for " + name);
    return values;
  }

  std::vector<std::string> read_strings(const std::string& name, std::size_t* width = nullptr) const {
    const hid_t dataset = H5Dopen2(id_, name.c_str(), H5P_DEFAULT);
    const hid_t type = H5Dget_type(dataset);
    const hid_t space = H5Dget_space(dataset);
    const std::size_t size = H5Tget_size(type);
    const auto rows = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::vector<char> buffer(rows * size);
    if (rows > 0) H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
    std::vector<std::string> values;
    for (std::size_t row = 0; row < rows; ++row) {
      values.emplace_back(buffer.data() + row * size, ::strnlen(buffer.data() + row * size, size));
    }
    if (width != nullptr) *width = size;
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dataset);
    return values;
  }

  bool has_attribute(const std::string& name) const { return H5Aexists(id_, name.c_str()) > 0; }

 private:
  hid_t id_;
};

// ---- fixture: one temporary directory shared by all ranks ------------------

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rank_ = world_rank();
    std::string path;
    if (rank_ == 0) {
      std::string pattern = (fs::temp_directory_path() / "mechsweep-store-XXXXXX").string();
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      path = pattern;
    }
    unsigned long length = path.size();
    MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG, 0, MPI_COMM_WORLD);
    path.resize(length);
    MPI_Bcast(path.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
    dir_ = path;
  }
  void TearDown() override {
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank_ == 0) fs::remove_all(dir_);
  }
  bool root() const { return rank_ == 0; }
  fs::path file(const std::string& name = "store.h5") const { return dir_ / name; }

  int rank_ = 0;
  fs::path dir_;
};

// Writes blocks of `block_size` tasks in reverse order, each rank its own.
void write_blocks_in_reverse(ResultStore& store, const StoreLayout& layout, std::uint64_t block_size,
                             const std::vector<std::uint64_t>& skip = {}) {
  const std::uint64_t blocks = (layout.task_count + block_size - 1) / block_size;
  for (std::uint64_t b = blocks; b-- > 0;) {
    if (std::find(skip.begin(), skip.end(), b) != skip.end()) continue;
    if (static_cast<int>(b % static_cast<std::uint64_t>(world_size())) != world_rank()) continue;
    const std::uint64_t first = b * block_size;
    store.write(toy_block(layout, first, std::min(block_size, layout.task_count - first), world_rank()));
  }
}

std::string error_text(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

// Throws an Error on every rank when the collective action throws on any.
std::string collective_error_text(const std::function<void()>& action) { return error_text(action); }

// ---- creation ---------------------------------------------------------------------

TEST_F(StoreTest, CreateWritesParamsSeedsAndFillsEveryResultWithMissingMarks) {
  const StoreLayout layout = toy_layout(40);
  { ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD); }
  if (!root()) return;
  const RawFile raw(file());
  EXPECT_EQ(raw.read<double>("/params/alpha"), std::get<std::vector<double>>(layout.params[0].values));
  EXPECT_EQ(raw.read<std::int64_t>("/params/agents"), std::get<std::vector<std::int64_t>>(layout.params[1].values));
  EXPECT_EQ(raw.read_strings("/params/rule"), std::get<std::vector<std::string>>(layout.params[2].values));
  EXPECT_EQ(raw.read<std::uint64_t>("/tasks/seed"), layout.seeds);
  EXPECT_EQ(raw.read<std::uint64_t>("/results/bids/offsets"), layout.results[2].offsets);
  for (const double value : raw.read<double>("/results/welfare")) EXPECT_TRUE(std::isnan(value));
  for (const double value : raw.read<double>("/results/bids/values")) EXPECT_TRUE(std::isnan(value));
  for (const auto value : raw.read<std::int64_t>("/results/rounds")) EXPECT_EQ(value, kIntMissing);
  for (const auto value : raw.read<std::int64_t>("/results/winners/values")) EXPECT_EQ(value, kIntMissing);
  for (const auto value : raw.read<std::uint8_t>("/tasks/status")) EXPECT_EQ(value, kPending);
  for (const auto value : raw.read<std::int32_t>("/tasks/rank")) EXPECT_EQ(value, -1);
  for (const double value : raw.read<double>("/tasks/seconds")) EXPECT_TRUE(std::isnan(value));
  for (const std::string& value : raw.read_strings("/tasks/error")) EXPECT_EQ(value, "");
  EXPECT_EQ(raw.read<double>("/results/bids/values").size(), layout.results[2].offsets.back());
}

TEST_F(StoreTest, ChoiceParameterIsFixedLengthStringSizedToLongestValue) {
  { ResultStore store = ResultStore::create(file(), toy_layout(5), MPI_COMM_WORLD); }
  if (!root()) return;
  const RawFile raw(file());
  std::size_t width = 0;
  raw.read_strings("/params/rule", &width);
  EXPECT_EQ(width, std::string("generalised-second-price").size());
  raw.read_strings("/tasks/error", &width);
  EXPECT_EQ(width, kErrorMessageBytes);
}

TEST_F(StoreTest, DatasetsAreContiguousEarlyAllocatedAndUntimed) {
  { ResultStore store = ResultStore::create(file(), toy_layout(8), MPI_COMM_WORLD); }
  if (!root()) return;
  const RawFile raw(file());
  const auto check = [&](const std::string& name, H5D_fill_time_t fill_time) {
    SCOPED_TRACE(name);
    const hid_t dataset = H5Dopen2(raw.id(), name.c_str(), H5P_DEFAULT);
    const hid_t dcpl = H5Dget_create_plist(dataset);
    H5D_alloc_time_t alloc = H5D_ALLOC_TIME_ERROR;
    H5D_fill_time_t fill = H5D_FILL_TIME_ERROR;
    H5Pget_alloc_time(dcpl, &alloc);
    H5Pget_fill_time(dcpl, &fill);
    // An untimed object has no modification-time message (all times read 0);
    // H5Dget_create_plist does not reflect the setting.
    H5O_info_t info{};
    H5Oget_info2(dataset, &info, H5O_INFO_TIME);
    EXPECT_EQ(H5Pget_layout(dcpl), H5D_CONTIGUOUS);
    EXPECT_EQ(alloc, H5D_ALLOC_TIME_EARLY);
    EXPECT_EQ(fill, fill_time);
    EXPECT_EQ(info.mtime, 0);
    EXPECT_EQ(info.ctime, 0);
    EXPECT_GT(H5Dget_offset(dataset), 0u);  // allocated
    EXPECT_TRUE(H5Aexists(dataset, "doc") > 0);
    H5Pclose(dcpl);
    H5Dclose(dataset);
  };
  check("/results/welfare", H5D_FILL_TIME_ALLOC);
  check("/results/rounds", H5D_FILL_TIME_ALLOC);
  check("/results/bids/values", H5D_FILL_TIME_ALLOC);
  check("/tasks/status", H5D_FILL_TIME_ALLOC);
  check("/tasks/seconds", H5D_FILL_TIME_ALLOC);
  check("/tasks/rank", H5D_FILL_TIME_ALLOC);
  check("/tasks/error", H5D_FILL_TIME_NEVER);
  check("/params/alpha", H5D_FILL_TIME_NEVER);
  check("/tasks/seed", H5D_FILL_TIME_NEVER);
}

TEST_F(StoreTest, RootAttributesDescribeTheRunAndSchemaCompleteIsSet) {
  const StoreLayout layout = toy_layout(3);
  { ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD); }
  if (!root()) return;
  const RawFile raw(file());
  for (const char* name : {"config", "config_hash", "experiment", "mechsweep_version", "git_commit", "hdf5_version",
                           "mpi_version", "created_utc", "task_count", "schema_complete"}) {
    EXPECT_TRUE(raw.has_attribute(name)) << name;
  }
  EXPECT_EQ(read_config_text(file()), layout.config_text);
  EXPECT_EQ(read_config_hash(file()), layout.config_hash);
  const StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.experiment, "toy");
  EXPECT_EQ(summary.task_count, 3u);
  ASSERT_EQ(summary.created_utc.size(), 20u);  // 2024-05-01T12:34:56Z
  EXPECT_EQ(summary.created_utc[10], 'T');
  EXPECT_EQ(summary.created_utc.back(), 'Z');
  EXPECT_EQ(summary.pending, 3u);
  EXPECT_TRUE(summary.segments.empty());
}

TEST_F(StoreTest, CreateRefusesAnExistingFile) {
  const StoreLayout layout = toy_layout(4);
  { ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD); }
  const std::string message = collective_error_text([&] { ResultStore::create(file(), layout, MPI_COMM_WORLD); });
  EXPECT_NE(message.find("already exists"), std::string::npos) << message;
  EXPECT_NE(message.find(file().string()), std::string::npos) << message;
}

TEST_F(StoreTest, CreateRejectsInconsistentLayout) {
  StoreLayout layout = toy_layout(4);
  layout.seeds.pop_back();
  EXPECT_NE(error_text([&] { ResultStore::create(file(), layout, MPI_COMM_WORLD); }).find("3 seeds for 4 tasks"),
            std::string::npos);
  layout = toy_layout(4);
  layout.results[2].offsets.pop_back();
  EXPECT_NE(error_text([&] { ResultStore::create(file(), layout, MPI_COMM_WORLD); }).find("'bids'"), std::string::npos);
  EXPECT_FALSE(fs::exists(file()));
}

// ---- writing ----------------------------------------------------------------------

TEST_F(StoreTest, BlocksWrittenOutOfOrderReadBackExactly) {
  const StoreLayout layout = toy_layout(50);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    write_blocks_in_reverse(store, layout, 8);
  }
  if (!root()) return;
  const RawFile raw(file());
  const auto status = raw.read<std::uint8_t>("/tasks/status");
  const auto welfare = raw.read<double>("/results/welfare");
  const auto rounds = raw.read<std::int64_t>("/results/rounds");
  const auto bids = raw.read<double>("/results/bids/values");
  const auto winners = raw.read<std::int64_t>("/results/winners/values");
  const auto seconds = raw.read<double>("/tasks/seconds");
  const auto ranks = raw.read<std::int32_t>("/tasks/rank");
  const auto errors = raw.read_strings("/tasks/error");
  const auto& bid_offsets = layout.results[2].offsets;
  const auto& winner_offsets = layout.results[3].offsets;
  for (std::uint64_t task = 0; task < 50; ++task) {
    SCOPED_TRACE("task " + std::to_string(task));
    EXPECT_EQ(status[task], fails(task) ? kFailed : kDone);
    EXPECT_EQ(seconds[task], 0.001 * static_cast<double>(task));
    EXPECT_EQ(ranks[task], static_cast<std::int32_t>((task / 8) % static_cast<std::uint64_t>(world_size())));
    if (fails(task)) {
      EXPECT_TRUE(std::isnan(welfare[task]));
      EXPECT_EQ(rounds[task], kIntMissing);
      EXPECT_EQ(errors[task], error_of(task));
      continue;
    }
    EXPECT_EQ(welfare[task], welfare_of(task));
    EXPECT_EQ(rounds[task], rounds_of(task));
    EXPECT_EQ(errors[task], "");
    for (std::uint64_t j = bid_offsets[task]; j < bid_offsets[task + 1]; ++j) {
      EXPECT_EQ(bids[j], bid_of(task, j - bid_offsets[task]));
    }
    for (std::uint64_t j = winner_offsets[task]; j < winner_offsets[task + 1]; ++j) {
      EXPECT_EQ(winners[j], static_cast<std::int64_t>(task));
    }
  }
  const StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.failed, 7u);  // 3, 10, 17, 24, 31, 38, 45
  EXPECT_EQ(summary.done, 43u);
  EXPECT_EQ(summary.pending, 0u);
}

TEST_F(StoreTest, UnwrittenRowsKeepTheirFillsAndStayPending) {
  const StoreLayout layout = toy_layout(40);
  std::vector<std::uint8_t> status_seen;
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    write_blocks_in_reverse(store, layout, 10, {1, 2});  // tasks 10..29 unwritten
    MPI_Barrier(MPI_COMM_WORLD);
    status_seen = store.read_status();
  }
  ASSERT_EQ(status_seen.size(), 40u);
  for (std::uint64_t task = 0; task < 40; ++task) {
    const bool written = task < 10 || task >= 30;
    EXPECT_EQ(status_seen[task], !written ? kPending : fails(task) ? kFailed : kDone) << task;
  }
  if (!root()) return;
  const RawFile raw(file());
  const auto welfare = raw.read<double>("/results/welfare");
  const auto rounds = raw.read<std::int64_t>("/results/rounds");
  const auto bids = raw.read<double>("/results/bids/values");
  const auto ranks = raw.read<std::int32_t>("/tasks/rank");
  const auto seconds = raw.read<double>("/tasks/seconds");
  for (std::uint64_t task = 10; task < 30; ++task) {
    EXPECT_TRUE(std::isnan(welfare[task]));
    EXPECT_EQ(rounds[task], kIntMissing);
    EXPECT_EQ(ranks[task], -1);
    EXPECT_TRUE(std::isnan(seconds[task]));
    for (std::uint64_t j = layout.results[2].offsets[task]; j < layout.results[2].offsets[task + 1]; ++j) {
      EXPECT_TRUE(std::isnan(bids[j]));
    }
  }
  EXPECT_EQ(read_summary(file()).pending, 20u);
}

TEST_F(StoreTest, ErrorMessagesAreCutToFitWithTheirTerminatingNul) {
  const StoreLayout layout = toy_layout(4);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    if (root()) {
      ResultBlock block = toy_block(layout, 0, 4, 0);
      block.status = {kFailed, kFailed, kFailed, kDone};
      block.errors = {std::string(300, 'x'), std::string(254, 'y') + "\xC3\xA9" + "tail",  // é across the cut
                      "short", ""};
      store.write(block);
    }
  }
  if (!root()) return;
  const auto errors = RawFile(file()).read_strings("/tasks/error");
  EXPECT_EQ(errors[0], std::string(kErrorMessageBytes - 1, 'x'));
  EXPECT_EQ(errors[1], std::string(254, 'y'));  // never half a UTF-8 character
  EXPECT_EQ(errors[2], "short");
  EXPECT_EQ(errors[3], "");
}

TEST_F(StoreTest, IntegerColumnStoresNonFiniteValuesAsInt64Min) {
  const StoreLayout layout = toy_layout(4);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    if (root()) {
      ResultBlock block = toy_block(layout, 0, 4, 0);
      block.columns[1] = {std::numeric_limits<double>::infinity(), 1e300, -7, std::nan("")};
      store.write(block);
    }
  }
  if (!root()) return;
  EXPECT_EQ(RawFile(file()).read<std::int64_t>("/results/rounds"),
            (std::vector<std::int64_t>{kIntMissing, kIntMissing, -7, kIntMissing}));
}

TEST_F(StoreTest, WriteRejectsMalformedBlocksNamingTheStore) {
  const StoreLayout layout = toy_layout(10);
  ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
  ResultBlock block = toy_block(layout, 8, 2, 0);
  block.first_task = 9;
  EXPECT_NE(error_text([&] { store.write(block); }).find("only 10 tasks"), std::string::npos);
  block = toy_block(layout, 0, 2, 0);
  block.columns[2].pop_back();
  const std::string message = error_text([&] { store.write(block); });
  EXPECT_NE(message.find("column 'bids'"), std::string::npos) << message;
  EXPECT_NE(message.find(file().string()), std::string::npos) << message;
  block = toy_block(layout, 0, 2, 0);
  block.status[0] = kPending;
  EXPECT_NE(error_text([&] { store.write(block); }).find("done (1) or failed (2)"), std::string::npos);
}

TEST_F(StoreTest, RerunTaskClearsItsOldErrorMessageAcrossResume) {
  const StoreLayout layout = toy_layout(14);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    if (root()) store.write(toy_block(layout, 0, 14, 0));  // tasks 3 and 10 fail
  }
  {
    ResultStore store = ResultStore::open(file(), layout, MPI_COMM_WORLD);
    if (root()) {
      ResultBlock block = toy_block(layout, 2, 4, 0);  // task 3 now succeeds
      block.status[1] = kDone;
      block.errors[1] = "";
      block.columns[0][1] = 42;
      store.write(block);
    }
  }
  if (!root()) return;
  const RawFile raw(file());
  const auto errors = raw.read_strings("/tasks/error");
  EXPECT_EQ(errors[3], "");
  EXPECT_EQ(errors[10], error_of(10));
  EXPECT_EQ(raw.read<std::uint8_t>("/tasks/status")[3], kDone);
  EXPECT_EQ(raw.read<double>("/results/welfare")[3], 42);
}

TEST_F(StoreTest, ErrorColumnTakesNoDiskSpaceUntilWritten) {
  const std::uint64_t tasks = 100000;  // 25.6 MB of error strings if written
  StoreLayout layout;
  layout.task_count = tasks;
  layout.seeds.assign(tasks, 1);
  layout.results = {{"x", false, false, {}, ""}};
  layout.experiment = "toy";
  layout.config_hash = "h";
  { ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD); }
  if (!root()) return;
  struct stat info {};
  ASSERT_EQ(::stat(file().c_str(), &info), 0);
  const auto on_disk = static_cast<std::uint64_t>(info.st_blocks) * 512;
  EXPECT_GE(static_cast<std::uint64_t>(info.st_size), tasks * kErrorMessageBytes);
  EXPECT_LT(on_disk, tasks * (kErrorMessageBytes / 4)) << "apparent " << info.st_size << ", on disk " << on_disk;
  const auto errors = RawFile(file()).read_strings("/tasks/error");
  EXPECT_EQ(errors.size(), tasks);
  EXPECT_EQ(errors[tasks - 1], "");
}

// ---- resume -------------------------------------------------------------------------

TEST_F(StoreTest, OpenAcceptsTheSameLayoutAndKeepsEarlierResults) {
  const StoreLayout layout = toy_layout(30);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    write_blocks_in_reverse(store, layout, 10, {0});
  }
  {
    ResultStore store = ResultStore::open(file(), layout, MPI_COMM_WORLD);
    const auto status = store.read_status();
    EXPECT_EQ(std::count(status.begin(), status.end(), kPending), 10);
    MPI_Barrier(MPI_COMM_WORLD);  // every rank has read before rank 0 writes
    if (root()) store.write(toy_block(layout, 0, 10, 0));
  }
  if (!root()) return;
  const StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.pending, 0u);
  EXPECT_EQ(summary.done + summary.failed, 30u);
  EXPECT_EQ(RawFile(file()).read<double>("/results/welfare")[5], welfare_of(5));
}

class OpenRejects : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ResultStore store = ResultStore::create(file(), toy_layout(12), MPI_COMM_WORLD);
  }
  std::string open_error(const StoreLayout& layout) {
    return collective_error_text([&] { ResultStore::open(file(), layout, MPI_COMM_WORLD); });
  }
};

TEST_F(OpenRejects, DifferentConfigHash) {
  StoreLayout layout = toy_layout(12);
  layout.config_hash = "fedcba9876543210";
  const std::string message = open_error(layout);
  EXPECT_NE(message.find("written by a different config (hash 0123456789abcdef, expected fedcba9876543210)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(file().string()), std::string::npos) << message;
}

TEST_F(OpenRejects, WithoutChangingAByteOfTheStore) {
  const auto bytes = [&] {
    std::ifstream in(file(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  MPI_Barrier(MPI_COMM_WORLD);
  const std::string before = bytes();
  StoreLayout layout = toy_layout(12);
  layout.config_hash = "fedcba9876543210";
  EXPECT_NE(open_error(layout), "(no error)");
  EXPECT_EQ(bytes(), before);
}

TEST_F(OpenRejects, DifferentTaskCount) {
  const std::string message = open_error(toy_layout(13));
  EXPECT_NE(message.find("has 12 tasks, expected 13"), std::string::npos) << message;
}

TEST_F(OpenRejects, DifferentParameterValues) {
  StoreLayout layout = toy_layout(12);
  std::get<std::vector<double>>(layout.params[0].values)[5] = 99;
  std::string message = open_error(layout);
  EXPECT_NE(message.find("parameter 'alpha' that differs at task 5 (stored 0.5"), std::string::npos) << message;
  layout = toy_layout(12);
  std::get<std::vector<std::string>>(layout.params[2].values)[7] = "dutch";
  message = open_error(layout);
  EXPECT_NE(message.find("parameter 'rule' that differs at task 7 (stored 'first-price', expected 'dutch')"),
            std::string::npos)
      << message;
}

TEST_F(OpenRejects, DifferentParameterSetOrType) {
  StoreLayout layout = toy_layout(12);
  layout.params[1].name = "bidders";
  std::string message = open_error(layout);
  EXPECT_NE(message.find("missing: bidders; unexpected: agents"), std::string::npos) << message;
  layout = toy_layout(12);
  layout.params[0].values = std::vector<std::int64_t>(12, 1);
  message = open_error(layout);
  EXPECT_NE(message.find("'alpha' that is stored as float64, expected int64"), std::string::npos) << message;
}

TEST_F(OpenRejects, DifferentResultColumns) {
  StoreLayout layout = toy_layout(12);
  layout.results.pop_back();
  std::string message = open_error(layout);
  EXPECT_NE(message.find("result columns than the config (missing: none; unexpected: winners)"), std::string::npos)
      << message;
  layout = toy_layout(12);
  layout.results[1].is_integer = false;
  message = open_error(layout);
  EXPECT_NE(message.find("'rounds' of type int64, expected float64"), std::string::npos) << message;
}

TEST_F(StoreTest, OpenRejectsAMissingFile) {
  const std::string message =
      collective_error_text([&] { ResultStore::open(file("nope.h5"), toy_layout(2), MPI_COMM_WORLD); });
  EXPECT_NE(message.find("nope.h5' does not exist"), std::string::npos) << message;
}

// A store whose creation never reached `schema_complete`, made with raw HDF5.
void make_half_created_store(const fs::path& path) {
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
  const hid_t group = H5Gcreate2(file, "tasks", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(group);
  H5Fclose(file);
}

TEST_F(StoreTest, HalfCreatedStoreIsRejectedByReadersAndOpen) {
  if (root()) make_half_created_store(file());
  MPI_Barrier(MPI_COMM_WORLD);
  const std::string message = collective_error_text([&] { ResultStore::open(file(), toy_layout(2), MPI_COMM_WORLD); });
  EXPECT_NE(message.find("is not a complete mechsweep store"), std::string::npos) << message;
  if (!root()) return;
  for (const auto& reader : std::vector<std::function<void()>>{
           [&] { read_summary(file()); }, [&] { read_config_text(file()); }, [&] { read_config_hash(file()); }}) {
    const std::string text = error_text(reader);
    EXPECT_NE(text.find("is not a complete mechsweep store"), std::string::npos) << text;
    EXPECT_NE(text.find(file().string()), std::string::npos) << text;
  }
}

TEST_F(StoreTest, ReadersNameAMissingOrNonHdf5File) {
  if (!root()) return;
  std::string message = error_text([&] { read_summary(file("missing.h5")); });
  EXPECT_NE(message.find("missing.h5' does not exist"), std::string::npos) << message;
  std::ofstream(file("text.h5")) << "not hdf5\n";
  message = error_text([&] { read_config_hash(file("text.h5")); });
  EXPECT_NE(message.find("text.h5' is not an HDF5 file"), std::string::npos) << message;
}

// ---- run segments ------------------------------------------------------------------

TEST_F(StoreTest, SegmentsAreAppendedAndSummarised) {
  const StoreLayout layout = toy_layout(20);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    EXPECT_EQ(store.begin_segment("run", world_size(), "2024-05-01T12:00:00Z"), 0u);
    write_blocks_in_reverse(store, layout, 5, {2, 3});
    store.end_segment(0, 1.5, 9, 1);
  }
  {
    ResultStore store = ResultStore::open(file(), layout, MPI_COMM_WORLD);
    EXPECT_EQ(store.begin_segment("resume", 3, "2024-05-01T13:00:00Z"), 1u);
    store.flush();
    // Not ended: as if it had been killed.
  }
  if (!root()) return;
  const StoreSummary summary = read_summary(file());
  ASSERT_EQ(summary.segments.size(), 2u);
  const RunSegment& run = summary.segments[0];
  EXPECT_EQ(run.kind, "run");
  EXPECT_EQ(run.ranks, world_size());
  EXPECT_EQ(run.started_utc, "2024-05-01T12:00:00Z");
  EXPECT_EQ(run.wall_seconds, 1.5);
  EXPECT_EQ(run.tasks_done, 9);
  EXPECT_EQ(run.tasks_failed, 1);
  EXPECT_TRUE(run.finished);
  const RunSegment& resume = summary.segments[1];
  EXPECT_EQ(resume.kind, "resume");
  EXPECT_EQ(resume.ranks, 3);
  EXPECT_TRUE(std::isnan(resume.wall_seconds));
  EXPECT_EQ(resume.tasks_done, -1);
  EXPECT_FALSE(resume.finished);
  EXPECT_EQ(summary.done + summary.failed, 10u);
}

TEST_F(StoreTest, ManySegmentsGrowTheRunsTablePastOneChunk) {
  const StoreLayout layout = toy_layout(2);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    for (int i = 0; i < 40; ++i) {
      const std::size_t row = store.begin_segment(i == 0 ? "run" : "resume", i, "t" + std::to_string(i));
      store.end_segment(row, i, i, 0);
    }
  }
  if (!root()) return;
  const StoreSummary summary = read_summary(file());
  ASSERT_EQ(summary.segments.size(), 40u);
  EXPECT_EQ(summary.segments[39].started_utc, "t39");
  EXPECT_EQ(summary.segments[39].tasks_done, 39);
}

TEST_F(StoreTest, EndSegmentRejectsAnUnknownSegment) {
  ResultStore store = ResultStore::create(file(), toy_layout(2), MPI_COMM_WORLD);
  const std::string message = error_text([&] { store.end_segment(0, 1, 1, 0); });
  EXPECT_NE(message.find("has no run segment 0"), std::string::npos) << message;
}

TEST_F(StoreTest, SegmentStoppedBySignalKeepsItsFiguresAndCopiedSegmentsKeepTheirs) {
  const StoreLayout layout = toy_layout(4);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    const std::size_t row = store.begin_segment("run", 2, "2024-05-01T12:00:00Z");
    store.end_segment(row, 0.75, 3, 0, /*finished=*/false);
    EXPECT_EQ(store.append_segment({"resume", 4, "2024-05-02T00:00:00Z", std::nan(""), -1, -1, false}), 1u);
    EXPECT_EQ(store.append_segment({"merge", 1, "2024-05-03T00:00:00Z", 0.5, 10, 2, true}), 2u);
  }
  if (!root()) return;
  const auto segments = read_summary(file()).segments;
  ASSERT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments[0].wall_seconds, 0.75);
  EXPECT_EQ(segments[0].tasks_done, 3);
  EXPECT_FALSE(segments[0].finished);
  EXPECT_EQ(segments[1].kind, "resume");
  EXPECT_EQ(segments[1].ranks, 4);
  EXPECT_TRUE(std::isnan(segments[1].wall_seconds));
  EXPECT_EQ(segments[1].tasks_done, -1);
  EXPECT_FALSE(segments[1].finished);
  EXPECT_EQ(segments[2].kind, "merge");
  EXPECT_EQ(segments[2].started_utc, "2024-05-03T00:00:00Z");
  EXPECT_EQ(segments[2].tasks_failed, 2);
  EXPECT_TRUE(segments[2].finished);
}

// ---- shards and the serial reader ------------------------------------------------------

TEST_F(StoreTest, ShardIsRecordedAndSummarisedWithinItsSlice) {
  StoreLayout layout = toy_layout(10);
  layout.shard = Shard{1, 3};  // tasks 3..5
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    if (root()) store.write(toy_block(layout, 3, 2, 0));  // task 3 fails, 4 done, 5 pending
  }
  if (!root()) return;
  EXPECT_EQ(read_shard(file()), (Shard{1, 3}));
  const RawFile raw(file());
  EXPECT_TRUE(raw.has_attribute("shard_index") && raw.has_attribute("shard_count"));
  const StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.shard, (Shard{1, 3}));
  EXPECT_EQ(summary.slice_first, 3u);
  EXPECT_EQ(summary.slice_end, 6u);
  EXPECT_EQ(summary.slice_done, 1u);
  EXPECT_EQ(summary.slice_failed, 1u);
  EXPECT_EQ(summary.slice_pending, 1u);
  EXPECT_EQ(summary.pending, 8u);
}

TEST_F(StoreTest, StoreWithoutShardHasNoShardAttributes) {
  { ResultStore store = ResultStore::create(file(), toy_layout(3), MPI_COMM_WORLD); }
  if (!root()) return;
  EXPECT_FALSE(read_shard(file()).has_value());
  EXPECT_FALSE(RawFile(file()).has_attribute("shard_count"));
  const StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.slice_end, 3u);
  EXPECT_EQ(summary.slice_pending, 3u);
}

TEST_F(StoreTest, ReaderReturnsBlocksAsWrittenAndTheyWriteBackIdentically) {
  const StoreLayout layout = toy_layout(30);
  {
    ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
    write_blocks_in_reverse(store, layout, 7);
  }
  if (!root()) return;
  const StoreReader reader(file());
  EXPECT_EQ(reader.task_count(), 30u);
  EXPECT_EQ(reader.config_hash(), layout.config_hash);
  EXPECT_EQ(reader.layout_difference(layout), "");
  StoreLayout other = toy_layout(30);
  other.config_hash = "fedcba9876543210";
  EXPECT_NE(reader.layout_difference(other).find("different config"), std::string::npos);

  const ResultBlock block = reader.read_block(layout, 2, 20);
  const ResultBlock expected = toy_block(layout, 2, 20, 0);
  EXPECT_EQ(block.status, expected.status);
  EXPECT_EQ(block.seconds, expected.seconds);
  EXPECT_EQ(block.errors, expected.errors);
  ASSERT_EQ(block.columns.size(), expected.columns.size());
  for (std::size_t c = 0; c < block.columns.size(); ++c) {
    ASSERT_EQ(block.columns[c].size(), expected.columns[c].size()) << c;
    for (std::size_t i = 0; i < block.columns[c].size(); ++i) {
      const double got = block.columns[c][i], want = expected.columns[c][i];
      // Integer columns come back as INT64_MIN where a failed row wrote NaN.
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got) || got == static_cast<double>(kIntMissing)) << c << " " << i;
      } else {
        EXPECT_EQ(got, want) << c << " " << i;
      }
    }
  }

  // Written back into a fresh store, the rows are byte for byte what the first holds.
  {
    ResultStore copy = ResultStore::create(file("copy.h5"), layout, MPI_COMM_SELF);
    copy.write(reader.read_block(layout, 0, 30));
  }
  const RawFile a(file()), b(file("copy.h5"));
  EXPECT_EQ(a.read<std::int64_t>("/results/rounds"), b.read<std::int64_t>("/results/rounds"));
  EXPECT_EQ(a.read<std::int64_t>("/results/winners/values"), b.read<std::int64_t>("/results/winners/values"));
  const auto bits = [](const std::vector<double>& values) {
    std::vector<std::uint64_t> out(values.size());
    std::memcpy(out.data(), values.data(), values.size() * sizeof(double));
    return out;
  };
  EXPECT_EQ(bits(a.read<double>("/results/welfare")), bits(b.read<double>("/results/welfare")));
  EXPECT_EQ(bits(a.read<double>("/results/bids/values")), bits(b.read<double>("/results/bids/values")));
  EXPECT_EQ(a.read_strings("/tasks/error"), b.read_strings("/tasks/error"));
  EXPECT_EQ(a.read<std::uint8_t>("/tasks/status"), b.read<std::uint8_t>("/tasks/status"));
}

// ---- child processes: no MPI at all, and SIGKILLed writers ---------------------------

// Runs this executable again with `mode`, in an environment without the MPI
// launcher's variables (so that a child is a singleton, not a member of the
// parent's job). Returns the wait status.
int run_child(const std::string& mode, const fs::path& store, const fs::path& stderr_file = {}) {
  std::vector<std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    const bool launcher = variable.rfind("OMPI_", 0) == 0 || variable.rfind("PMIX_", 0) == 0 ||
                          variable.rfind("OPAL_", 0) == 0 || variable.rfind("ORTE_", 0) == 0;
    const bool kept = variable.rfind("OMPI_ALLOW_RUN_AS_ROOT", 0) == 0 ||
                      variable.rfind("OMPI_MCA_btl_vader_single_copy_mechanism=", 0) == 0 ||
                      variable.rfind("OMPI_MCA_io=", 0) == 0;
    if (!launcher || kept) variables.push_back(variable);
  }
  variables.push_back(std::string(kChildModeVariable) + "=" + mode);
  variables.push_back(std::string(kChildFileVariable) + "=" + store.string());
  std::vector<char*> envp;
  for (std::string& variable : variables) envp.push_back(variable.data());
  envp.push_back(nullptr);
  std::string program = fs::read_symlink("/proc/self/exe").string();
  char* argv[] = {program.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stderr_file.empty()) {
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

constexpr std::uint64_t kKillTasks = 256;
constexpr std::uint64_t kKillBlock = 16;

TEST_F(StoreTest, ReadersWorkInAProcessThatNeverInitialisesMpi) {
  if (!root()) return;
  { ResultStore store = ResultStore::create(file(), toy_layout(9), MPI_COMM_SELF); }
  const int status = run_child("read", file());
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(StoreTest, StoreOfAWriterKilledWithSigkillStaysReadableAndResumable) {
  if (!root()) return;
  // The child creates the store, begins a segment, writes blocks 0..7, flushes,
  // writes blocks 8 and 9 without flushing, and kills itself.
  const int status = run_child("kill-writer", file());
  ASSERT_TRUE(WIFSIGNALED(status)) << "child status " << status;
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  const StoreLayout layout = toy_layout(kKillTasks);
  StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.done + summary.failed, 10 * kKillBlock);
  ASSERT_EQ(summary.segments.size(), 1u);
  EXPECT_FALSE(summary.segments[0].finished);
  EXPECT_TRUE(std::isnan(summary.segments[0].wall_seconds));
  {
    const RawFile raw(file());
    const auto welfare = raw.read<double>("/results/welfare");
    for (std::uint64_t task = 0; task < kKillTasks; ++task) {
      if (task < 10 * kKillBlock && !fails(task)) {
        EXPECT_EQ(welfare[task], welfare_of(task)) << task;
      } else {
        EXPECT_TRUE(std::isnan(welfare[task])) << task;
      }
    }
  }

  // A resumed run that is killed too leaves a readable store as well.
  const int resumed = run_child("kill-resumer", file());
  ASSERT_TRUE(WIFSIGNALED(resumed)) << "child status " << resumed;
  summary = read_summary(file());
  EXPECT_EQ(summary.done + summary.failed, 12 * kKillBlock);
  ASSERT_EQ(summary.segments.size(), 2u);
  EXPECT_EQ(summary.segments[1].kind, "resume");
  EXPECT_FALSE(summary.segments[1].finished);

  // And a final resume finishes the work.
  {
    ResultStore store = ResultStore::open(file(), layout, MPI_COMM_SELF);
    const std::size_t segment = store.begin_segment("resume", 1, "now");
    const auto status_now = store.read_status();
    for (std::uint64_t first = 0; first < kKillTasks; first += kKillBlock) {
      if (status_now[first] == kPending) store.write(toy_block(layout, first, kKillBlock, 0));
    }
    store.end_segment(segment, 0.5, 1, 0);
  }
  summary = read_summary(file());
  EXPECT_EQ(summary.pending, 0u);
  EXPECT_EQ(summary.segments.size(), 3u);
}

TEST_F(StoreTest, StoreDestroyedAfterMpiFinalizeClosesQuietly) {
  if (!root()) return;
  // HDF5 closes every open object inside MPI_Finalize; a store that outlives
  // it must not close them again (HDF5 would print errors or touch MPI).
  const fs::path errors = file("child-stderr.txt");
  const int status = run_child("outlive-mpi", file(), errors);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(errors);
  const std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(printed.find("HDF5-DIAG"), std::string::npos) << printed;
  const StoreSummary summary = read_summary(file());
  EXPECT_EQ(summary.done + summary.failed, 5u);
  ASSERT_EQ(summary.segments.size(), 1u);
  EXPECT_TRUE(summary.segments[0].finished);
}

// ---- the lock --------------------------------------------------------------------------

TEST_F(StoreTest, SecondLockInTheSameProcessConflictsAndNamesTheHolder) {
  const fs::path store = file("rank" + std::to_string(rank_) + ".h5");
  {
    const StoreLock first(store);
    EXPECT_TRUE(fs::exists(store.string() + ".lock"));
    const std::string message = error_text([&] { StoreLock second(store); });
    EXPECT_NE(message.find("is in use by another mechsweep run (pid " + std::to_string(::getpid()) + " on host "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(store.string()), std::string::npos) << message;
  }
  EXPECT_FALSE(fs::exists(store.string() + ".lock"));
  const StoreLock again(store);  // released: can be taken again
}

TEST_F(StoreTest, LockConflictsWithAnotherProcess) {
  const fs::path store = file("rank" + std::to_string(rank_) + ".h5");
  const StoreLock held(store);
  const pid_t child = ::fork();
  if (child == 0) {
    // No MPI and no gtest in the child: just try the lock.
    try {
      StoreLock second(store);
      ::_exit(1);
    } catch (const Error&) {
      ::_exit(0);
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// ---- the HDF5 layer -----------------------------------------------------------------------

TEST(Hdf5Layer, Utf8PrefixNeverEndsInsideACharacter) {
  EXPECT_EQ(h5::utf8_prefix_bytes("abc", 10), 3u);
  EXPECT_EQ(h5::utf8_prefix_bytes("abc", 2), 2u);
  EXPECT_EQ(h5::utf8_prefix_bytes("a\xC3\xA9", 2), 1u);
  EXPECT_EQ(h5::utf8_prefix_bytes("a\xE2\x82\xAC"
                                  "b",
                                  3),
            1u);
  EXPECT_EQ(h5::utf8_prefix_bytes("a\xE2\x82\xAC"
                                  "b",
                                  4),
            4u);
}

TEST(Hdf5Layer, PackedStringsArePaddedWithNuls) {
  const std::vector<std::string> values = {"ab", "abcdef"};
  const std::vector<char> packed = h5::pack_fixed_strings(values, 4, true);
  EXPECT_EQ(std::string(packed.data(), packed.size()), std::string("ab\0\0abc\0", 8));
}

TEST_F(StoreTest, Hdf5FailuresNameTheFileAndTheObject) {
  if (!root()) return;
  { ResultStore store = ResultStore::create(file(), toy_layout(2), MPI_COMM_SELF); }
  const h5::File opened = h5::File::open(file().string(), false, h5::PropertyList());
  const std::string message = error_text([&] { opened.open_group("results").open_dataset("nope"); });
  EXPECT_NE(message.find(file().string()), std::string::npos) << message;
  EXPECT_NE(message.find("opening dataset /results/nope"), std::string::npos) << message;
  const h5::DataSet welfare = opened.open_group("results").open_dataset("welfare");
  EXPECT_EQ(welfare.read<double>(0, 2).size(), 2u);
  const std::string write_message =
      error_text([&] { welfare.write(std::span<const double>(std::vector<double>{1.0}), 0); });
  EXPECT_NE(write_message.find("writing rows [0, 1) of /results/welfare"), std::string::npos) << write_message;
}

// ---- write cost ---------------------------------------------------------------------------

// Not a claim but a measurement; run with --gtest_also_run_disabled_tests.
TEST_F(StoreTest, DISABLED_WriteCostPerBlockOf64TasksAnd20Columns) {
  constexpr std::uint64_t kTasks = 64 * 2000;
  constexpr std::uint64_t kBlock = 64;
  StoreLayout layout;
  layout.task_count = kTasks;
  layout.seeds.assign(kTasks, 1);
  for (int c = 0; c < 20; ++c) layout.results.push_back({"c" + std::to_string(c), c % 4 == 0, false, {}, ""});
  layout.experiment = "bench";
  layout.config_hash = "h";
  ResultStore store = ResultStore::create(file(), layout, MPI_COMM_WORLD);
  std::vector<ResultBlock> blocks;
  for (std::uint64_t first = 0; first < kTasks; first += kBlock) {
    if (static_cast<int>((first / kBlock) % static_cast<std::uint64_t>(world_size())) != rank_) continue;
    ResultBlock block;
    block.first_task = first;
    block.count = kBlock;
    block.columns.assign(20, std::vector<double>(kBlock, 1.0));
    block.status.assign(kBlock, kDone);
    block.seconds.assign(kBlock, 0.1);
    block.rank.assign(kBlock, rank_);
    block.errors.assign(kBlock, "");
    if (first % (kBlock * 50) == 0) {
      block.status[3] = kFailed;
      block.errors[3] = "boom";
    }
    blocks.push_back(std::move(block));
  }
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = std::chrono::steady_clock::now();
  for (const ResultBlock& block : blocks) store.write(block);
  const auto stop = std::chrono::steady_clock::now();
  const double micros = std::chrono::duration<double, std::micro>(stop - start).count();
  std::cout << "[rank " << rank_ << "] " << blocks.size()
            << " blocks of 64 tasks x 20 columns: " << micros / static_cast<double>(blocks.size()) << " us per block\n";
}

// ---- child process modes ------------------------------------------------------------------

[[noreturn]] void kill_self() {
  ::raise(SIGKILL);
  std::abort();
}

int child_main(const std::string& mode, const fs::path& store) {
  try {
    if (mode == "read") {
      // Must work without MPI_Init: the serial sec2 driver only.
      const StoreSummary summary = read_summary(store);
      const std::string text = read_config_text(store);
      const std::string hash = read_config_hash(store);
      int initialized = 1;
      MPI_Initialized(&initialized);
      if (initialized || summary.task_count != 9 || summary.pending != 9 || hash != "0123456789abcdef" ||
          text.find("experiment: toy") != 0) {
        std::cerr << "unexpected summary in the MPI-free child\n";
        return 1;
      }
      return 0;
    }
    MPI_Init(nullptr, nullptr);
    struct Finalize {
      ~Finalize() {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (!finalized) MPI_Finalize();
      }
    } finalize;
    const StoreLayout layout = toy_layout(kKillTasks);
    if (mode == "kill-writer") {
      ResultStore result_store = ResultStore::create(store, layout, MPI_COMM_WORLD);
      result_store.begin_segment("run", 1, "2024-05-01T12:00:00Z");
      for (std::uint64_t b = 0; b < 8; ++b) result_store.write(toy_block(layout, b * kKillBlock, kKillBlock, 0));
      result_store.flush();
      for (std::uint64_t b = 8; b < 10; ++b) result_store.write(toy_block(layout, b * kKillBlock, kKillBlock, 0));
      kill_self();
    }
    if (mode == "sample") {
      // A small store to look at by hand (h5dump, h5py): half its tasks done.
      const StoreLayout small = toy_layout(20);
      ResultStore result_store = ResultStore::create(store, small, MPI_COMM_WORLD);
      const std::size_t segment = result_store.begin_segment("run", 1, "2024-05-01T12:00:00Z");
      for (std::uint64_t first = 0; first < 10; first += 5) result_store.write(toy_block(small, first, 5, 0));
      result_store.end_segment(segment, 0.25, 9, 1);
      return 0;
    }
    if (mode == "outlive-mpi") {
      ResultStore result_store = ResultStore::create(store, layout, MPI_COMM_WORLD);
      const std::size_t segment = result_store.begin_segment("run", 1, "2024-05-01T12:00:00Z");
      result_store.write(toy_block(layout, 0, 5, 0));
      result_store.end_segment(segment, 0.1, 5, 0);
      MPI_Finalize();
      return 0;  // result_store is destroyed after MPI_Finalize
    }
    if (mode == "kill-resumer") {
      ResultStore result_store = ResultStore::open(store, layout, MPI_COMM_WORLD);
      result_store.begin_segment("resume", 1, "2024-05-01T13:00:00Z");
      for (std::uint64_t b = 10; b < 12; ++b) result_store.write(toy_block(layout, b * kKillBlock, kKillBlock, 0));
      kill_self();
    }
    std::cerr << "unknown child mode " << mode << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "child " << mode << ": " << error.what() << "\n";
    return 3;
  }
}

// On ranks other than 0, print only failures, tagged with the rank.
class FailurePrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit FailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (result.failed()) {
      std::cerr << "[rank " << rank_ << "] " << (result.file_name() ? result.file_name() : "") << ":"
                << result.line_number() << ": " << result.summary() << "\n";
    }
  }

 private:
  int rank_;
};

}  // namespace
}  // namespace mechsweep::store

int main(int argc, char** argv) {
  if (const char* mode = std::getenv(mechsweep::store::kChildModeVariable)) {
    const char* file = std::getenv(mechsweep::store::kChildFileVariable);
    return mechsweep::store::child_main(mode, file != nullptr ? file : "");
  }
  ::testing::InitGoogleTest(&argc, argv);
  // Test discovery (gtest_discover_tests) only lists names: no MPI needed.
  if (GTEST_FLAG_GET(list_tests)) return RUN_ALL_TESTS();
  MPI_Init(&argc, &argv);
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (rank != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new mechsweep::store::FailurePrinter(rank));
  }
  int failed = RUN_ALL_TESTS();
  int any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return any_failed;
}
