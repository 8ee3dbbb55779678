#include "runner/signals.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>

namespace mechsweep::runner {
namespace {

constexpr int kStopSignals[] = {SIGTERM, SIGUSR1, SIGINT};

// A lock-free atomic is async-signal-safe; the handler may run on any thread
// (MPI libraries start their own), so a plain sig_atomic_t would not do.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

struct sigaction g_previous[std::size(kStopSignals)];

extern "C" void on_stop_signal(int signal) {
  const int saved_errno = errno;
  int expected = 0;
  if (!g_stop_signal.compare_exchange_strong(expected, signal) && signal == SIGINT) {
    // The second Ctrl-C: the default action (sigaction and raise are async-signal-safe).
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(SIGINT, &fallback, nullptr);
    raise(SIGINT);
  }
  errno = saved_errno;
}

}  // namespace

StopSignals::StopSignals() {
  g_stop_signal.store(0);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // system calls (file writes, sleeps) resume after the handler
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) sigaction(kStopSignals[i], &action, &g_previous[i]);
}

StopSignals::~StopSignals() {
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) sigaction(kStopSignals[i], &g_previous[i], nullptr);
}

int StopSignals::received() noexcept { return g_stop_signal.load(std::memory_order_relaxed); }

const char* signal_name(int signal) noexcept {
  switch (signal) {
    case SIGTERM: return "SIGTERM";
    case SIGUSR1: return "SIGUSR1";
    case SIGINT: return "SIGINT";
    default: return "a signal";
  }
}

}  // namespace mechsweep::runner
