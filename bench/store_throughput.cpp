// Write throughput of the HDF5 store through its API (src/store/store.hpp),
// on one rank, for bench/store_throughput.sh to hold against `dd`.
//
//   build/bench/store_throughput FILE ROWS [BLOCK]
//
// The rows are small, like synthetic.trivial's with n = 0: one real parameter,
// the seed, three scalar result columns (two float64, one int64) and the task
// bookkeeping (status uint8, seconds float64, rank int32). The store is
// created (parameters and seeds written, result columns filled, flushed), then
// written in blocks of BLOCK consecutive rows (default 4096, the runner's
// largest chunk), then flushed (as a run segment's end is) and closed. HDF5's
// flush syncs the file through MPI-IO (MPI_File_sync). Prints one line of key=value figures:
//   rows, block, raw_bytes (the data's own bytes: 53 per row), write_bytes
//   (what the blocks carry: 37 per row), create_s, write_s, close_s, total_s.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/seed.hpp"
#include "store/store.hpp"

namespace {

namespace st = mechsweep::store;

constexpr std::uint64_t kParamBytes = 8 + 8;              // x, seed
constexpr std::uint64_t kWriteBytes = 3 * 8 + 1 + 8 + 4;  // y, u, checksum; status, seconds, rank

st::StoreLayout small_row_layout(std::uint64_t rows) {
  st::StoreLayout layout;
  layout.task_count = rows;
  layout.experiment = "bench.store_throughput";
  layout.config_text = "experiment: bench.store_throughput\n";
  layout.config_hash = "0000000000000000";
  std::vector<double> x(rows);
  layout.seeds.resize(rows);
  for (std::uint64_t k = 0; k < rows; ++k) {
    x[k] = static_cast<double>(k) / static_cast<double>(rows);
    layout.seeds[k] = mechsweep::derive_seed(1, k);
  }
  layout.params.push_back({"x", std::move(x), "a real parameter"});
  for (const char* name : {"y", "u"}) layout.results.push_back({name, false, false, {}, "a real result"});
  layout.results.push_back({"checksum", true, false, {}, "an integer result"});
  return layout;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s FILE ROWS [BLOCK]\n", argv[0]);
    MPI_Finalize();
    return 2;
  }
  const std::filesystem::path file = argv[1];
  const std::uint64_t rows = std::stoull(argv[2]);
  const std::uint64_t block_rows = argc == 4 ? std::stoull(argv[3]) : 4096;
  const st::StoreLayout layout = small_row_layout(rows);

  double create_s = 0;
  double write_s = 0;
  const auto start = std::chrono::steady_clock::now();
  {
    auto store = st::ResultStore::create(file, layout, MPI_COMM_WORLD);
    create_s = seconds_since(start);
    const auto write_start = std::chrono::steady_clock::now();
    st::ResultBlock block;
    for (std::uint64_t first = 0; first < rows; first += block_rows) {
      const std::uint64_t count = std::min(block_rows, rows - first);
      block.first_task = first;
      block.count = count;
      block.columns.assign(3, std::vector<double>(count));
      for (std::uint64_t i = 0; i < count; ++i) {
        block.columns[0][i] = 0.5 + static_cast<double>(first + i);
        block.columns[1][i] = 0.25;
        block.columns[2][i] = static_cast<double>((first + i) % 1000);
      }
      block.status.assign(count, st::kDone);
      block.seconds.assign(count, 1e-6);
      block.rank.assign(count, 0);
      store.write(block);
    }
    write_s = seconds_since(write_start);
    store.flush();  // as the runner's end of segment does
  }
  const double total_s = seconds_since(start);
  const double close_s = total_s - create_s - write_s;
  std::printf(
      "store_throughput rows=%llu block=%llu raw_bytes=%llu write_bytes=%llu create_s=%.6f write_s=%.6f "
      "close_s=%.6f total_s=%.6f\n",
      static_cast<unsigned long long>(rows), static_cast<unsigned long long>(block_rows),
      static_cast<unsigned long long>(rows * (kParamBytes + kWriteBytes)),
      static_cast<unsigned long long>(rows * kWriteBytes), create_s, write_s, close_s, total_s);
  MPI_Finalize();
  return 0;
}
