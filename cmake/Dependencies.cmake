# Every dependency is a Debian package installed by jobs/install-deps.sh.
find_package(MPI REQUIRED COMPONENTS C)
find_package(Boost 1.74 REQUIRED COMPONENTS serialization)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(GTest REQUIRED)
find_package(PkgConfig REQUIRED)

# Debian ships serial and parallel HDF5 side by side; the parallel (Open MPI)
# flavour is found through its pkg-config name so the serial one is never picked.
pkg_check_modules(HDF5_OPENMPI REQUIRED IMPORTED_TARGET hdf5-openmpi)
add_library(mechsweep::hdf5 INTERFACE IMPORTED)
target_link_libraries(mechsweep::hdf5 INTERFACE PkgConfig::HDF5_OPENMPI MPI::MPI_C)

if(MECHSWEEP_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()

# NLopt (C API) drives the derivative-free search for optimal tests in
# src/mechanisms/testdesign/optimize.cpp; Debian ships no CMake config for it.
pkg_check_modules(NLOPT REQUIRED IMPORTED_TARGET nlopt)
add_library(mechsweep::nlopt INTERFACE IMPORTED)
target_link_libraries(mechsweep::nlopt INTERFACE PkgConfig::NLOPT)

# COIN-OR Clp (LPs) and Cbc (MILPs) decide the monotonicity clauses, the
# interior reward test and CNTI of the coalition module (spec 001 §5).
pkg_check_modules(COIN REQUIRED IMPORTED_TARGET cbc clp)
add_library(mechsweep::coin INTERFACE IMPORTED)
target_link_libraries(mechsweep::coin INTERFACE PkgConfig::COIN)
