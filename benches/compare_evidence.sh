#!/usr/bin/env bash
# Evidence parsing: throughput (MB/s) and peak memory (max RSS) on a 50 MB JUnit file and a
# 50 MB SARIF file, side by side with bare baselines in the same run, and with the official
# CLI's `attest junit|snyk --dry-run` when KOSLI_CLI names its binary.
#
# Usage: benches/compare_evidence.sh [MB]      (default 50; needs /usr/bin/time)
#   rows: kosli_junit          our JUnit totals (kosli_core::evidence::junit::parse_file)
#         kosli_junit_detail   the same with a per-testcase visitor
#         bare_xml_scan        quick-xml events over the same file, nothing decoded
#         kosli_snyk           our snyk_results (snyk::parse_file)
#         kosli_scan           our ScanSummary (scan::parse_file)
#         bare_json_scan       serde_json IgnoredAny over the same bytes
#         example_*            the `kosli` example, whole command, dry-run
#         cli_*                the official CLI, whole command, dry-run
# The JUnit rows at MB/10 show whether memory grows with the number of test cases.
set -euo pipefail
MB="${1:-50}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
cargo build -q --release -p kosli-benches --bin evidence_probe
cargo build -q --release -p kosli-examples --example kosli
PROBE="$CARGO_TARGET_DIR/release/evidence_probe"
EXAMPLE="$CARGO_TARGET_DIR/release/examples/kosli"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/junit" "$WORK/junit_small"
"$PROBE" gen-junit "$WORK/junit/junit.xml" "$MB" >/dev/null
"$PROBE" gen-junit "$WORK/junit_small/junit.xml" "$(( MB / 10 > 0 ? MB / 10 : 1 ))" >/dev/null
"$PROBE" gen-sarif "$WORK/scan.sarif" "$MB" >/dev/null

# name, file (for MB/s), command...: prints seconds, MB/s and max RSS.
measure() {
  local name="$1" file="$2"; shift 2
  local bytes; bytes=$(stat -c %s "$file")
  /usr/bin/time -o "$WORK/time.txt" -f "%e %M" "$@" >/dev/null 2>&1 || true
  local out; out=$(tail -1 "$WORK/time.txt")
  local secs="${out% *}" rss="${out#* }"
  awk -v n="$name" -v b="$bytes" -v s="$secs" -v r="$rss" \
    'BEGIN { mbs = (s > 0) ? b / 1e6 / s : 0; printf "%-22s %8.1f MB %8.2f s %9.1f MB/s %9.1f MB max RSS\n", n, b / 1e6, s, mbs, r / 1024 }'
}

DRY=(--name bench --flow f --trail t --org o --api-token x --host https://app.kosli.com --dry-run)
echo "== JUnit ($MB MB, $(grep -c '<testcase' "$WORK/junit/junit.xml") testcases)"
measure kosli_junit "$WORK/junit/junit.xml" "$PROBE" junit "$WORK/junit/junit.xml"
measure kosli_junit_detail "$WORK/junit/junit.xml" "$PROBE" junit-detail "$WORK/junit/junit.xml"
measure bare_xml_scan "$WORK/junit/junit.xml" "$PROBE" xml-scan "$WORK/junit/junit.xml"
measure kosli_junit_small "$WORK/junit_small/junit.xml" "$PROBE" junit "$WORK/junit_small/junit.xml"
measure example_attest_junit "$WORK/junit/junit.xml" "$EXAMPLE" attest junit --results-dir "$WORK/junit" "${DRY[@]}"
if [[ -n "${KOSLI_CLI:-}" ]]; then
  measure cli_attest_junit "$WORK/junit/junit.xml" "$KOSLI_CLI" attest junit --results-dir "$WORK/junit" "${DRY[@]}"
fi
echo "== SARIF ($MB MB)"
measure kosli_snyk "$WORK/scan.sarif" "$PROBE" snyk "$WORK/scan.sarif"
measure kosli_scan "$WORK/scan.sarif" "$PROBE" scan "$WORK/scan.sarif"
measure bare_json_scan "$WORK/scan.sarif" "$PROBE" json-scan "$WORK/scan.sarif"
measure example_attest_snyk "$WORK/scan.sarif" "$EXAMPLE" attest snyk --scan-results "$WORK/scan.sarif" "${DRY[@]}"
if [[ -n "${KOSLI_CLI:-}" ]]; then
  measure cli_attest_snyk "$WORK/scan.sarif" "$KOSLI_CLI" attest snyk --scan-results "$WORK/scan.sarif" "${DRY[@]}"
fi
