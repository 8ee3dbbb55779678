#pragma once
// Small RAII and messaging helpers over plain MPI. Messages are
// Boost.Serialization binary archives sent as MPI_BYTE buffers.

#include <mpi.h>

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <optional>
#include <sstream>
#include <string>

namespace mechsweep::runner {

// Owns MPI_Init/MPI_Finalize. Works under mpirun/srun and as a singleton.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  ~MpiSession();

  MPI_Comm comm() const { return MPI_COMM_WORLD; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_master() const { return rank_ == 0; }

 private:
  int rank_ = 0;
  int size_ = 1;
};

// A received message: who sent it, with which tag, and its bytes.
struct Envelope {
  int source = -1;
  int tag = -1;
  std::string bytes;
};

void send_bytes(const std::string& bytes, int dest, int tag, MPI_Comm comm);

// Non-blocking: a message if one is waiting, from any source with any tag.
std::optional<Envelope> try_receive(MPI_Comm comm);

// Blocks until a message arrives, without spinning a core: Open MPI's blocking
// receive busy-polls, which would steal a core from the workers when ranks
// share cores. We probe and sleep with exponential backoff (50 µs → 2 ms).
Envelope wait_receive(MPI_Comm comm);

template <class Message>
std::string serialize(const Message& message) {
  std::ostringstream out(std::ios::binary);
  {
    boost::archive::binary_oarchive archive(out, boost::archive::no_header);
    archive << message;
  }
  return std::move(out).str();
}

template <class Message>
Message deserialize(const std::string& bytes) {
  std::istringstream in(bytes, std::ios::binary);
  boost::archive::binary_iarchive archive(in, boost::archive::no_header);
  Message message;
  archive >> message;
  return message;
}

// A barrier that sleeps instead of spinning: ranks that finish early wait here
// for the others without taking their cores (MPI_Barrier busy-polls).
void quiet_barrier(MPI_Comm comm);

// Broadcasts a string from rank 0 to every rank.
std::string broadcast_string(const std::string& value, MPI_Comm comm);
int broadcast_int(int value, MPI_Comm comm);

}  // namespace mechsweep::runner
