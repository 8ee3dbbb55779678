#pragma once
// Clean stop on SIGTERM, SIGUSR1 and SIGINT. SLURM sends SIGUSR1 before the
// time limit (`--signal=USR1@120`) and SIGTERM on scancel or preemption;
// mpirun forwards SIGUSR1 at once, and turns its own SIGTERM or SIGINT into a
// SIGTERM to every rank (followed by SIGKILL, see README "The runner").
//
// The handler only records the first signal in a lock-free atomic; the runner
// polls it between tasks. Repeated SIGTERM or SIGUSR1 are ignored, because
// launchers deliver them more than once (SLURM signals every process of a step
// and mpirun forwards its own copy); a second SIGINT (Ctrl-C twice) takes the
// default action and ends the process at once.

namespace mechsweep::runner {

class StopSignals {
 public:
  // Installs the handlers and clears the flag; the destructor restores the
  // previous handlers. One instance at a time.
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals();

  // 0, or the first stop signal received since construction. Any thread.
  static int received() noexcept;
};

// "SIGTERM", "SIGUSR1", "SIGINT"; "a signal" for any other.
const char* signal_name(int signal) noexcept;

}  // namespace mechsweep::runner
