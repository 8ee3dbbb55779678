#pragma once
// mechsweep plot FILE [--out-dir DIR] [--only NAME]: draws the figures of the
// store's experiment with the Python package in analysis/ (mechsweep_analysis,
// on Debian's python3 with h5py, pandas and matplotlib), writing PNGs next to
// the store unless --out-dir says otherwise.

#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace CLI {
class App;
}

namespace mechsweep::cli {

struct PlotOptions {
  std::filesystem::path store;
  std::filesystem::path out_dir;  // empty: the store's folder
  std::string only;               // one figure by name; empty: all
};

void add_plot_options(CLI::App& command, PlotOptions& options);
// The exit status of the Python program (0, or 2 for a store it cannot plot).
ExitStatus plot_store(const PlotOptions& options);

}  // namespace mechsweep::cli
