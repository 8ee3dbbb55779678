#!/usr/bin/env bash
# Builds the config fuzzer with clang (build-fuzz/) and runs it for SECONDS
# (default 60) from the checked-in corpus.
#
#   tests/fuzz/run.sh [SECONDS] [--grow]
#
# New inputs go to a scratch folder; with --grow the interesting ones are then
# merged (minimised) into tests/fuzz/corpus to be committed. A crash, a
# sanitizer report, a hang (> 30 s) or an input using more than 2 GiB is saved
# under tests/fuzz/regressions/ and the script exits 1: commit the file, and
# fuzz_corpus_test replays it in every build from then on.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
grow=${2:-}
build=${FUZZ_BUILD_DIR:-build-fuzz}

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMECHSWEEP_FUZZ=ON \
  -DMECHSWEEP_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target config_fuzzer -j "$(nproc)"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
"$build/tests/fuzz/config_fuzzer" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
  -dict=tests/fuzz/config.dict -artifact_prefix=tests/fuzz/regressions/ -print_final_stats=1 \
  "$scratch" tests/fuzz/corpus || status=$?
if [[ $grow == --grow ]]; then
  "$build/tests/fuzz/config_fuzzer" -merge=1 -timeout=30 -rss_limit_mb=2048 tests/fuzz/corpus "$scratch"
fi
if ((status != 0)); then
  echo "fuzz: the fuzzer found a bug; the input is in tests/fuzz/regressions/" >&2
  exit 1
fi
