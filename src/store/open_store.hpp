#pragma once
// Private to src/store/: opening a finished store with the serial (sec2)
// driver, shared by the readers in store.cpp and table.cpp.

#include <filesystem>

#include "store/hdf5.hpp"

namespace mechsweep::store::detail {

// Throws Error naming the file if it is missing, not HDF5, or not a complete
// mechsweep store (no schema_complete mark). No MPI needed.
h5::File open_store(const std::filesystem::path& file, bool writable);

}  // namespace mechsweep::store::detail
