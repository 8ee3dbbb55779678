// Replays the fuzz corpus and every crash the fuzzer ever found
// (tests/fuzz/corpus, tests/fuzz/regressions) through the fuzz target's
// oracle, in the normal g++ builds and under ASan+UBSan, so a fixed crash stays
// fixed without clang.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config_invariants.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const fs::path& dir, std::size_t at_least) {
  const auto files = inputs_in(dir);
  EXPECT_GE(files.size(), at_least) << dir;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    std::string broken;
    EXPECT_NO_THROW(broken = mechsweep::fuzz::config_invariant_violation(text.str())) << file;
    EXPECT_EQ(broken, "") << file;
  }
}

TEST(FuzzCorpus, EveryCorpusInputKeepsTheInvariants) { replay(MECHSWEEP_FUZZ_DIR "/corpus", 50); }

TEST(FuzzCorpus, EveryFoundCrashStaysFixed) { replay(MECHSWEEP_FUZZ_DIR "/regressions", 0); }

}  // namespace
