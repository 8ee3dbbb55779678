#!/usr/bin/env bash
# Installs every Debian package mechsweep needs to build, test and run.
# Idempotent: when everything is present it does nothing (no apt-get update).
set -euo pipefail

packages=(
  g++ cmake make pkg-config git
  openmpi-bin libopenmpi-dev            # MPI runtime and headers
  libhdf5-openmpi-dev hdf5-tools        # parallel HDF5 (C API) and h5dump
  libboost-serialization-dev            # messages between ranks (also brings Boost.Math/Random headers)
  libyaml-cpp-dev libcli11-dev          # configs and the command line
  coinor-libclp-dev                     # linear programs (mechanism modules)
  coinor-libcbc-dev                     # mixed-integer programs (coalition reward sets)
  libnlopt-dev                          # derivative-free search for optimal tests (testdesign)
  libeigen3-dev                         # small dense solves (persuasion: Wolfe corral)
  libgtest-dev libgmock-dev             # tests
  libbenchmark-dev                      # benchmarks
  python3 python3-h5py python3-numpy python3-pandas  # the store read-back tests (h5py, pandas)
  python3-matplotlib                    # mechsweep plot (analysis/mechsweep_analysis)
  clang libclang-rt-14-dev              # the config fuzzer (libFuzzer), tests/fuzz/run.sh
  python3-mpi4py                        # bench/dispatch.sh compares with mpi4py.futures
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
