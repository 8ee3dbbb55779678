#!/usr/bin/env bash
# The README's second command: install, build with warnings as errors, run ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash jobs/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build} bash jobs/build.sh -DMECHSWEEP_WERROR=ON "$@"
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j 2
