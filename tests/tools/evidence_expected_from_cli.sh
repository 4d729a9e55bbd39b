#!/usr/bin/env bash
# Regenerates the CLI's expected dry-run output for the evidence samples
# (tests/fixtures/evidence/samples/{junit,snyk}/<case>/expected.dryrun.txt), and with --check
# compares the `kosli` example's output with the CLI's instead of writing.
#
# Usage: KOSLI_CLI=/path/to/kosli tests/tools/evidence_expected_from_cli.sh [--check KOSLI_EXAMPLE]
# Each case runs in its own folder (not a git repository, so no commit info is read), as
#   kosli attest junit --results-dir results --name evidence --flow demo-flow --trail trail-1 \
#     --org acme --api-token x --host https://app.kosli.com --dry-run
# (attest snyk uses --scan-results scan.json). The CLI is the official v2.43.1 binary; it is not
# needed by the tests, which read the committed files.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SAMPLES="$HERE/../fixtures/evidence/samples"
CLI="${KOSLI_CLI:?set KOSLI_CLI to the official kosli binary}"
CHECK=""
if [[ "${1:-}" == "--check" ]]; then CHECK="${2:?the kosli example binary}"; fi
COMMON=(--name evidence --flow demo-flow --trail trail-1 --org acme --api-token x --host https://app.kosli.com --dry-run)
status=0
for kind in junit snyk; do
  for dir in "$SAMPLES/$kind"/*/; do
    case_name="$(basename "$dir")"
    if [[ $kind == junit ]]; then args=(attest junit --results-dir results); else args=(attest snyk --scan-results scan.json); fi
    want="$(cd "$dir" && env -u KOSLI_ORG -u KOSLI_API_TOKEN "$CLI" "${args[@]}" "${COMMON[@]}" 2>/dev/null || true)"
    if [[ -z "$CHECK" ]]; then
      printf '%s\n' "$want" > "$dir/expected.dryrun.txt"
      echo "wrote $kind/$case_name"
    else
      got="$(cd "$dir" && "$CHECK" "${args[@]}" "${COMMON[@]}" 2>/dev/null || true)"
      if [[ -f "$dir/expected.ours.json" ]]; then echo "by design: $kind/$case_name (the CLI rejects the encoding; we decode it)"
      elif [[ "$got" == "$want" ]]; then echo "same $kind/$case_name"; else echo "DIFFERENT $kind/$case_name"; diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | head -10 || true; status=1; fi
    fi
  done
done
exit $status
