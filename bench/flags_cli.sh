#!/bin/sh
# `solace flags` for every patient as a whole process, less its sign-in (the same command for an
# MRN that does not exist), beside the sqlite3 shell printing the observations and doses of the
# same 21 days (the 7 days flagged and the 14 the rules look back). Goal (issue 16): at most 3x.
# Usage: bench/flags_cli.sh SOLACE DATABASE [RUNS]
set -eu
solace=$1 db=$2 runs=${3:-7}
command -v sqlite3 >/dev/null || { echo "flags_cli: sqlite3 is not installed" >&2; exit 1; }
export SOLACE_PASSWORD=solace-nurse

# Median wall time in milliseconds of running "$@" $runs times, output discarded.
median_ms() {
  i=0
  while [ $i -lt "$runs" ]; do
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 ))
    i=$((i + 1))
  done | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }'
}

now=$(date +%s)
from=$((now - 21 * 86400))
all=$(median_ms "$solace" flags --db "$db" --user nurse)
signin=$(median_ms "$solace" flags --db "$db" --user nurse --patient NO-SUCH-MRN)
raw=$(median_ms sqlite3 "$db" \
  "SELECT * FROM observation WHERE observed_at BETWEEN $from AND $now;
   SELECT * FROM administration WHERE given_at BETWEEN $from AND $now;")
awk -v all="$all" -v signin="$signin" -v raw="$raw" 'BEGIN {
  flags = all - signin; ratio = raw > 0 ? flags / raw : 0
  printf "solace flags, every patient: %.1f ms, less sign-in %.1f ms = %.1f ms; sqlite3 reading the same 21 days: %.1f ms; ratio %.2f. Goal (at most 3x): %s\n",
         all, signin, flags, raw, ratio, ratio <= 3 ? "met" : "NOT met"
}'
