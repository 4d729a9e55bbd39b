#!/usr/bin/env bash
# JUnit parse throughput against a bare quick-xml event scan of the same file, as a ratio of
# CPU time (user + system), which a busy machine disturbs far less than wall time. Runs the two
# alternately RUNS times, one parse per process, and compares the medians.
#
# Usage: benches/junit_cpu_ratio.sh [MB] [RUNS]      (defaults 50 and 7; needs `perf` for
# task-clock in milliseconds, else /usr/bin/time, whose 10 ms steps blur small files)
# Prints each run, then `ratio = bare / ours` (>= 0.5 is issue #3's target: our parse at least
# half the bare scan's throughput).
set -euo pipefail
MB="${1:-50}"
RUNS="${2:-7}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
cargo build -q --release -p kosli-benches --bin evidence_probe
PROBE="$CARGO_TARGET_DIR/release/evidence_probe"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$PROBE" gen-junit "$WORK/junit.xml" "$MB" >/dev/null
cpu() { # mode: prints the CPU seconds of one parse
  if command -v perf >/dev/null; then
    perf stat -x, -e task-clock -o "$WORK/t" "$PROBE" "$1" "$WORK/junit.xml" >/dev/null
    awk -F, '/task-clock/ { printf "%.4f\n", $1 / 1000 }' "$WORK/t"
  else
    /usr/bin/time -o "$WORK/t" -f "%U %S" "$PROBE" "$1" "$WORK/junit.xml" >/dev/null
    awk '{ printf "%.3f\n", $1 + $2 }' "$WORK/t"
  fi
}
: >"$WORK/ours"; : >"$WORK/bare"
for _ in $(seq "$RUNS"); do
  o=$(cpu junit); b=$(cpu xml-scan)
  echo "$o" >>"$WORK/ours"; echo "$b" >>"$WORK/bare"
  echo "kosli_junit ${o}s   bare_xml_scan ${b}s"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mo=$(median "$WORK/ours"); mb=$(median "$WORK/bare")
awk -v o="$mo" -v b="$mb" -v mb="$MB" 'BEGIN {
  printf "median CPU: kosli_junit %.3f s (%.0f MB/s), bare_xml_scan %.3f s (%.0f MB/s)\n", o, mb * 1.048576 / o, b, mb * 1.048576 / b
  printf "ratio = bare / ours = %.2f\n", b / o }'
