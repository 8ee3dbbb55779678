#include "runner/signals.hpp"

#include <gtest/gtest.h>

#include <csignal>

namespace mechsweep::runner {
namespace {

TEST(StopSignals, RecordsTheFirstSignalAndIgnoresRepeats) {
  {
    const StopSignals signals;
    EXPECT_EQ(StopSignals::received(), 0);
    ASSERT_EQ(std::raise(SIGUSR1), 0);  // would end the process without the handler
    EXPECT_EQ(StopSignals::received(), SIGUSR1);
    ASSERT_EQ(std::raise(SIGTERM), 0);  // repeats (mpirun's copy, SLURM's) are ignored
    ASSERT_EQ(std::raise(SIGUSR1), 0);
    EXPECT_EQ(StopSignals::received(), SIGUSR1);
  }
  const StopSignals again;  // a new instance starts clear
  EXPECT_EQ(StopSignals::received(), 0);
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_EQ(StopSignals::received(), SIGTERM);
}

TEST(StopSignals, RestoresThePreviousHandlers) {
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  { const StopSignals signals; }
  struct sigaction after {};
  sigaction(SIGTERM, nullptr, &after);
  EXPECT_EQ(before.sa_handler, after.sa_handler);
}

TEST(StopSignals, SecondSigintTakesTheDefaultAction) {
  EXPECT_EXIT(
      {
        const StopSignals signals;
        std::raise(SIGINT);
        if (StopSignals::received() != SIGINT) std::_Exit(3);
        std::raise(SIGINT);
        std::_Exit(0);  // not reached: the second SIGINT ends the process
      },
      testing::KilledBySignal(SIGINT), "");
}

TEST(SignalName, NamesTheStopSignals) {
  EXPECT_STREQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_STREQ(signal_name(SIGUSR1), "SIGUSR1");
  EXPECT_STREQ(signal_name(SIGINT), "SIGINT");
}

}  // namespace
}  // namespace mechsweep::runner
