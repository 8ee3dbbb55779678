#pragma once
// The master/worker protocol. A worker always has one chunk in hand and one
// request in flight, so it never waits on the master between chunks:
//
//   worker → master  kRequest  {reports of the chunk just finished}
//   master → worker  kAssign   {next chunk, or stop}
//   worker → master  kFinal    {reports of its last chunk} after a stop
//
// Every request also carries the stop signal its worker has received (0 if
// none). A worker that was signalled finishes the task it is computing, writes
// what its chunk has done so far, and answers its next assignment with kFinal
// instead of computing it; the master then stops handing out chunks.

#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace mechsweep::runner {

enum MessageTag : int { kRequest = 1, kAssign = 2, kFinal = 3 };

struct TaskReport {
  std::uint64_t task = 0;
  std::uint8_t status = 0;  // store::kDone or store::kFailed
  double seconds = 0;
  std::string error;

  template <class Archive>
  void serialize(Archive& ar, unsigned /*version*/) {
    ar & task & status & seconds & error;
  }
};

struct WorkRequest {
  std::vector<TaskReport> reports;
  int stop_signal = 0;  // SIGTERM, SIGUSR1 or SIGINT received by the worker, or 0

  template <class Archive>
  void serialize(Archive& ar, unsigned /*version*/) {
    ar & reports & stop_signal;
  }
};

struct WorkAssignment {
  std::vector<std::uint64_t> tasks;  // empty = stop
  template <class Archive>
  void serialize(Archive& ar, unsigned /*version*/) {
    ar & tasks;
  }
  bool is_stop() const { return tasks.empty(); }
};

}  // namespace mechsweep::runner
