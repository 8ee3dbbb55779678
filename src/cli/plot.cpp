#include "cli/plot.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "store/store.hpp"

extern char** environ;

namespace mechsweep::cli {

namespace {

namespace fs = std::filesystem;

bool holds_package(const fs::path& dir) {
  std::error_code ignored;
  return fs::exists(dir / "mechsweep_analysis" / "__init__.py", ignored);
}

// Where mechsweep_analysis lives: $MECHSWEEP_ANALYSIS_DIR, the installed copy
// beside the executable (<prefix>/share/mechsweep/analysis), or the source
// tree this executable was built from.
fs::path analysis_dir() {
  if (const char* chosen = std::getenv("MECHSWEEP_ANALYSIS_DIR"); chosen != nullptr && *chosen != '\0') {
    if (!holds_package(chosen)) {
      throw Error("MECHSWEEP_ANALYSIS_DIR is '" + std::string(chosen) + "', which holds no mechsweep_analysis package");
    }
    return chosen;
  }
  std::error_code ignored;
  const fs::path executable = fs::read_symlink("/proc/self/exe", ignored);
  const fs::path installed = executable.parent_path().parent_path() / "share" / "mechsweep" / "analysis";
  if (!executable.empty() && holds_package(installed)) return installed;
  if (holds_package(MECHSWEEP_SOURCE_ANALYSIS_DIR)) return MECHSWEEP_SOURCE_ANALYSIS_DIR;
  throw Error("cannot find the Python package mechsweep_analysis (looked in " + installed.string() + " and " +
              MECHSWEEP_SOURCE_ANALYSIS_DIR + "); set MECHSWEEP_ANALYSIS_DIR to the folder that holds it");
}

// Debian's python3 has python3-h5py, -pandas and -matplotlib; a venv's
// python3 earlier on PATH usually has not.
std::string python() {
  if (const char* chosen = std::getenv("MECHSWEEP_PYTHON"); chosen != nullptr && *chosen != '\0') return chosen;
  if (::access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
  return "python3";
}

}  // namespace

void add_plot_options(CLI::App& command, PlotOptions& options) {
  command.add_option("store", options.store, "Store to plot")->required();
  command.add_option("--out-dir", options.out_dir, "Folder for the PNGs (default: the store's folder)");
  command.add_option("--only", options.only, "Draw only this figure");
}

ExitStatus plot_store(const PlotOptions& options) {
  (void)store::read_summary(options.store);  // a missing or broken store fails here, with the C++ wording
  const fs::path package_dir = analysis_dir();
  const char* old_path = std::getenv("PYTHONPATH");
  const std::string python_path =
      package_dir.string() + (old_path != nullptr && *old_path != '\0' ? ":" + std::string(old_path) : "");
  ::setenv("PYTHONPATH", python_path.c_str(), 1);
  ::setenv("MPLBACKEND", "Agg", 1);  // no display needed, on a laptop or a cluster node

  const std::string interpreter = python();
  std::vector<std::string> arguments{interpreter, "-m", "mechsweep_analysis.plot", options.store.string()};
  if (!options.out_dir.empty()) arguments.insert(arguments.end(), {"--out-dir", options.out_dir.string()});
  if (!options.only.empty()) arguments.insert(arguments.end(), {"--only", options.only});
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);

  pid_t child = 0;
  if (const int error = ::posix_spawnp(&child, interpreter.c_str(), nullptr, nullptr, argv.data(), environ);
      error != 0) {
    throw Error("cannot start " + interpreter + " (" + std::strerror(error) +
                "); mechsweep plot needs python3 with h5py, pandas and matplotlib (jobs/install-deps.sh installs them)");
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) throw Error(std::string("waiting for the plotting process failed: ") + std::strerror(errno));
  }
  if (!WIFEXITED(status)) throw Error("the plotting process (" + interpreter + ") was killed");
  switch (WEXITSTATUS(status)) {
    case 0:
      return ExitStatus::ok;
    case 2:
      return ExitStatus::bad_input;
    default:
      return ExitStatus::runtime_error;
  }
}

}  // namespace mechsweep::cli
