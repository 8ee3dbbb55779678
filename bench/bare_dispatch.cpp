// The dispatch rate a master/worker loop gets from MPI alone: the reference
// that bench/dispatch.sh holds mechsweep's runner against. Rank 0 hands out
// ranges of task ids, the other ranks compute them; the messages are two raw
// integers each way (no serialization) and nothing is stored.
//
// The protocol is the runner's (src/runner/messages.hpp): a worker keeps one
// request in flight while it computes its chunk, so it never waits on the
// master between chunks. A task does what a synthetic.trivial task with n = 0
// and spin = 0 does: derive the task's seed, seed a Mersenne twister, draw one
// uniform and add it to x.
//
//   mpirun -np K build/bench/bare_dispatch TASKS CHUNK
//
// Prints one line on rank 0: "bare_dispatch tasks=N chunk=C ranks=K seconds=S tasks_per_s=R checksum=X".

#include <mpi.h>

#include <algorithm>
#include <array>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_01.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/seed.hpp"

namespace {

constexpr int kRequest = 1;
constexpr int kAssign = 2;
constexpr std::uint64_t kRunSeed = 1;

// synthetic.trivial's work for one task with n = 0, spin = 0.
double trivial_task(std::uint64_t task, std::uint64_t tasks) {
  boost::random::mt19937_64 engine(mechsweep::derive_seed(kRunSeed, task));
  boost::random::uniform_01<double> uniform;
  const double x = static_cast<double>(task) / static_cast<double>(std::max<std::uint64_t>(tasks - 1, 1));
  return x + uniform(engine);
}

// Rank 0: answers every request with the next range [first, first + count);
// count 0 tells the worker to stop. Returns when every worker has stopped.
void master(std::uint64_t tasks, std::uint64_t chunk, int workers) {
  std::uint64_t next = 0;
  int running = workers;
  while (running > 0) {
    double completed = 0;
    MPI_Status status;
    MPI_Recv(&completed, 1, MPI_DOUBLE, MPI_ANY_SOURCE, kRequest, MPI_COMM_WORLD, &status);
    const std::uint64_t count = std::min(chunk, tasks - next);
    const std::array<std::uint64_t, 2> range{next, count};
    next += count;
    if (count == 0) --running;
    MPI_Send(range.data(), 2, MPI_UINT64_T, status.MPI_SOURCE, kAssign, MPI_COMM_WORLD);
  }
}

// A worker: one request always in flight, like the runner's workers. The
// request carries the sum of the last chunk's results, so the work is used.
double worker(std::uint64_t tasks) {
  double sum = 0;
  double last_chunk = 0;
  MPI_Send(&last_chunk, 1, MPI_DOUBLE, 0, kRequest, MPI_COMM_WORLD);
  while (true) {
    std::array<std::uint64_t, 2> range{};
    MPI_Recv(range.data(), 2, MPI_UINT64_T, 0, kAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (range[1] == 0) return sum;
    MPI_Send(&last_chunk, 1, MPI_DOUBLE, 0, kRequest, MPI_COMM_WORLD);
    last_chunk = 0;
    for (std::uint64_t task = range[0]; task < range[0] + range[1]; ++task) last_chunk += trivial_task(task, tasks);
    sum += last_chunk;
  }
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0;
  int size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (argc != 3 || size < 2) {
    if (rank == 0) std::fprintf(stderr, "usage: mpirun -np K (K >= 2) %s TASKS CHUNK\n", argv[0]);
    MPI_Finalize();
    return 2;
  }
  const std::uint64_t tasks = std::stoull(argv[1]);
  const std::uint64_t chunk = std::max<std::uint64_t>(std::stoull(argv[2]), 1);

  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = std::chrono::steady_clock::now();
  double sum = 0;
  if (rank == 0) {
    master(tasks, chunk, size - 1);
  } else {
    sum = worker(tasks);
  }
  double total = 0;
  MPI_Reduce(&sum, &total, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rank == 0) {
    std::printf("bare_dispatch tasks=%llu chunk=%llu ranks=%d seconds=%.6f tasks_per_s=%.1f checksum=%.6f\n",
                static_cast<unsigned long long>(tasks), static_cast<unsigned long long>(chunk), size, seconds,
                static_cast<double>(tasks) / seconds, total);
  }
  MPI_Finalize();
  return 0;
}
