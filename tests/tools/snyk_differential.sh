#!/usr/bin/env bash
# Differential test of `attest snyk --dry-run`: random SARIF files (snyk_random_sarif.py) through
# the official CLI and the `kosli` example; any difference in stdout is printed. Seeds whose
# file makes the CLI panic (it exits 2) are counted apart: we report an error there instead.
# Usage: KOSLI_CLI=/path/to/kosli tests/tools/snyk_differential.sh FIRST_SEED LAST_SEED [KOSLI_EXAMPLE]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLI="${KOSLI_CLI:?set KOSLI_CLI to the official kosli binary}"
OURS="${3:-${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}/debug/examples/kosli}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ARGS=(--name n --flow f --trail t --dry-run --host http://h --api-token t --org o)
fails=0; panics=0
for seed in $(seq "$1" "$2"); do
  python3 "$HERE/snyk_random_sarif.py" "$seed" "$WORK/s$seed.json"
  set +e
  want="$(cd "$WORK" && "$CLI" attest snyk --scan-results "s$seed.json" "${ARGS[@]}" 2>/dev/null)"; rc=$?
  set -e
  if [[ $rc -eq 2 ]]; then panics=$((panics + 1)); continue; fi
  got="$(cd "$WORK" && "$OURS" attest snyk --scan-results "s$seed.json" "${ARGS[@]}" 2>/dev/null || true)"
  if [[ "$want" != "$got" ]]; then
    fails=$((fails + 1)); echo "seed $seed differs:"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -8 || true
  fi
done
echo "$(( $2 - $1 + 1 )) seeds, $fails different, $panics where the CLI panicked"
[[ $fails -eq 0 ]]
