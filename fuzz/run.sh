#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 60)
# from the seed corpus in fuzz/corpus/, printing the number of executions. New interesting
# inputs go to build/fuzz/corpus/ (not the repository). A crash fails the run; its input is
# left in build/fuzz/crashes/ -- copy it to fuzz/regressions/<target>/ so that the Catch2 test
# (tests/reliability_fuzz_test.cpp) replays it from then on.
#   fuzz/run.sh [SECONDS] [TARGET...]     targets: schedule csv_import
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(schedule csv_import)
build=build/fuzz

mkdir -p "$build"
if ! { [ -f "$build/CMakeCache.txt" ] ||
       cmake -S fuzz -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++; } >"$build/configure.log" 2>&1 ||
   ! cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}" >"$build/build.log" 2>&1; then
  echo "fuzz: building the fuzz targets failed:" >&2
  tail -40 "$build/configure.log" "$build/build.log" 2>/dev/null >&2
  exit 1
fi

mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/fuzz_$t.log"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/crashes/$t-" "$build/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    printf 'fuzz %s: %s executions in %s s (%s/s), no crash\n' "$t" "$runs" "$seconds" "$rate" >&2
  else
    status=1
    printf 'fuzz %s: CRASH -- see %s; the input is in %s/crashes/ (copy it to fuzz/regressions/%s/)\n' \
      "$t" "$log" "$build" "$t" >&2
    grep -E 'ERROR|SUMMARY|==[0-9]+==|runtime error|terminate' "$log" | head -20 >&2 || true
  fi
done
exit $status
