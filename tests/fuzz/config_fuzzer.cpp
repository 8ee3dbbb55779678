// libFuzzer target: config text → validated plan → tasks, the path every
// user input takes (`run`, `plan`, and `resume` from a store's config text).
// The oracle is config_invariants.hpp; a crash, a sanitizer report, a hang or
// a memory blow-up is a bug too. Built only with clang (cmake
// -DMECHSWEEP_FUZZ=ON; tests/fuzz/run.sh builds and runs it).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config_invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (const std::string broken = mechsweep::fuzz::config_invariant_violation(text); !broken.empty()) {
    std::fprintf(stderr, "config_fuzzer: %s\n--- config\n%s\n", broken.c_str(), text.c_str());
    std::abort();
  }
  return 0;
}
