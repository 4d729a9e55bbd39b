#!/usr/bin/env bash
# Differential test of `attest junit --dry-run`: random results folders (junit_random_results.py)
# through the official CLI and the `kosli` example; any difference in stdout is printed.
# Usage: KOSLI_CLI=/path/to/kosli tests/tools/junit_differential.sh FIRST_SEED LAST_SEED [KOSLI_EXAMPLE]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLI="${KOSLI_CLI:?set KOSLI_CLI to the official kosli binary}"
OURS="${3:-${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}/debug/examples/kosli}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ARGS=(--name n --flow f --trail t --dry-run --host http://h --api-token t --org o)
fails=0
for seed in $(seq "$1" "$2"); do
  python3 "$HERE/junit_random_results.py" "$seed" "$WORK/c$seed"
  want="$(cd "$WORK" && "$CLI" attest junit --results-dir "c$seed" "${ARGS[@]}" 2>/dev/null || true)"
  got="$(cd "$WORK" && "$OURS" attest junit --results-dir "c$seed" "${ARGS[@]}" 2>/dev/null || true)"
  if [[ "$want" != "$got" ]]; then
    fails=$((fails + 1)); echo "seed $seed differs:"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -8 || true
  fi
done
echo "$(( $2 - $1 + 1 )) seeds, $fails different"
[[ $fails -eq 0 ]]
