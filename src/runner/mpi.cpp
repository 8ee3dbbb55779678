#include "runner/mpi.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>

#include "core/error.hpp"

namespace mechsweep::runner {

MpiSession::MpiSession(int& argc, char**& argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void send_bytes(const std::string& bytes, int dest, int tag, MPI_Comm comm) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw Error("internal: message too large for MPI");
  }
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, tag, comm);
}

std::optional<Envelope> try_receive(MPI_Comm comm) {
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &flag, &status);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Envelope envelope{status.MPI_SOURCE, status.MPI_TAG, std::string(static_cast<std::size_t>(count), '\0')};
  MPI_Recv(envelope.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, comm, MPI_STATUS_IGNORE);
  return envelope;
}

namespace {

// Sleeps between polls, 50 µs doubling up to 2 ms: short waits stay cheap in
// latency, long waits cost almost no CPU.
class Backoff {
 public:
  void pause() {
    std::this_thread::sleep_for(pause_);
    pause_ = std::min(pause_ * 2, std::chrono::microseconds(2000));
  }

 private:
  std::chrono::microseconds pause_{50};
};

}  // namespace

Envelope wait_receive(MPI_Comm comm) {
  Backoff backoff;
  while (true) {
    if (auto envelope = try_receive(comm)) return std::move(*envelope);
    backoff.pause();
  }
}

void quiet_barrier(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  Backoff backoff;
  int done = 0;
  while (true) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) return;
    backoff.pause();
  }
}

std::string broadcast_string(const std::string& value, MPI_Comm comm) {
  unsigned long long size = value.size();
  MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
  std::string out = value;
  out.resize(size);
  MPI_Bcast(out.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
  return out;
}

int broadcast_int(int value, MPI_Comm comm) {
  MPI_Bcast(&value, 1, MPI_INT, 0, comm);
  return value;
}

}  // namespace mechsweep::runner
