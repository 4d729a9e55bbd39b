#!/usr/bin/env bash
# Fingerprint throughput, side by side in one run on the same data (warm page cache):
#   the SDK's `kosli` example, `openssl dgst -sha256` (one process; two in parallel over the
#   large files) and, when KOSLI_CLI names it, the official CLI.
# Data (in a temporary folder, removed afterwards): a 1 GiB file, 20,000 files of 1-8 KiB in
# 200 folders, 100 files of 8 MiB. Prints seconds, ratios and peak RSS (/usr/bin/time -v).
#
# Usage: benches/compare.sh [--small-only]     (KOSLI_CLI=/path/to/kosli to include the CLI)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
SMALL_ONLY=0; [[ "${1:-}" == "--small-only" ]] && SMALL_ONLY=1
REPEAT="${REPEAT:-3}"

(cd "$ROOT" && cargo build --quiet --release --example kosli)
SDK="$CARGO_TARGET_DIR/release/examples/kosli"
command -v openssl >/dev/null || { echo "openssl is needed" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

DATA="$(mktemp -d)"; trap 'rm -rf "$DATA"' EXIT
python3 - "$DATA" "$SMALL_ONLY" <<'PY'
import os, random, sys
root, small_only = sys.argv[1], sys.argv[2] == "1"
rng = random.Random(42)
small = os.path.join(root, "small")
for d in range(200):
    sub = os.path.join(small, f"d{d:03}")
    os.makedirs(sub)
    for f in range(100):
        with open(os.path.join(sub, f"f{f:03}.bin"), "wb") as fh:
            fh.write(rng.randbytes(rng.randint(1024, 8192)))
if not small_only:
    big = os.path.join(root, "big"); os.makedirs(big)
    chunk = rng.randbytes(1 << 20)
    with open(os.path.join(big, "one.bin"), "wb") as fh:
        for i in range(1024):
            fh.write(chunk[i % 7:] + chunk[:i % 7])
    many = os.path.join(root, "many"); os.makedirs(many)
    for i in range(100):
        with open(os.path.join(many, f"m{i:03}.bin"), "wb") as fh:
            fh.write(rng.randbytes(8 << 20))
PY

# best wall-clock seconds over $REPEAT runs (after one warm-up), and the peak RSS in KiB
measure() {
  local best="" rss=0 t
  "$@" >/dev/null 2>&1 || true
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -f '%e %M' -o "$DATA/.time" "$@" >/dev/null 2>"$DATA/.err" || { cat "$DATA/.err" >&2; return 1; }
    read -r t r < "$DATA/.time"
    (( r > rss )) && rss=$r
    if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
  done
  echo "$best $rss"
}
ratio() { python3 -c "print(f'{$1/max($2,1e-9):.2f}')"; }
mib() { python3 -c "print(f'{$1/1024:.1f}')"; }

row() { printf '%-44s %8s s  %8s MiB\n' "$1" "$2" "$(mib "$3")"; }

echo "== 20,000 files of 1-8 KiB in 200 folders"
read -r sdk_s sdk_rss < <(measure "$SDK" fingerprint --artifact-type dir "$DATA/small")
row "kosli example (SDK)" "$sdk_s" "$sdk_rss"
read -r ossl_s ossl_rss < <(measure bash -c "find '$DATA/small' -type f -print0 | xargs -0 openssl dgst -sha256")
row "openssl dgst -sha256 (one process, xargs)" "$ossl_s" "$ossl_rss"
echo "SDK speed vs openssl: $(ratio "$ossl_s" "$sdk_s")x"
if [[ -n "${KOSLI_CLI:-}" ]]; then
  read -r cli_s cli_rss < <(measure "$KOSLI_CLI" fingerprint --artifact-type dir "$DATA/small")
  row "official CLI" "$cli_s" "$cli_rss"
  echo "SDK speed vs official CLI: $(ratio "$cli_s" "$sdk_s")x (target >= 16x)"
  [[ "$("$SDK" fingerprint --artifact-type dir "$DATA/small")" == "$("$KOSLI_CLI" fingerprint --artifact-type dir "$DATA/small")" ]] \
    && echo "digests agree" || echo "DIGESTS DIFFER"
fi
[[ "$SMALL_ONLY" == 1 ]] && exit 0

echo "== one 1 GiB file"
read -r sdk_s sdk_rss < <(measure "$SDK" fingerprint --artifact-type file "$DATA/big/one.bin")
row "kosli example (SDK)" "$sdk_s" "$sdk_rss"
read -r ossl_s ossl_rss < <(measure openssl dgst -sha256 "$DATA/big/one.bin")
row "openssl dgst -sha256" "$ossl_s" "$ossl_rss"
echo "SDK throughput vs openssl: $(ratio "$ossl_s" "$sdk_s")x (target >= 0.95x)"
if [[ -n "${KOSLI_CLI:-}" ]]; then
  read -r cli_s cli_rss < <(measure "$KOSLI_CLI" fingerprint --artifact-type file "$DATA/big/one.bin")
  row "official CLI" "$cli_s" "$cli_rss"
fi

echo "== 100 files of 8 MiB"
read -r sdk_s sdk_rss < <(measure "$SDK" fingerprint --artifact-type dir "$DATA/many")
row "kosli example (SDK)" "$sdk_s" "$sdk_rss"
read -r ossl2_s ossl2_rss < <(measure bash -c "ls '$DATA'/many/*.bin | xargs -P 2 -n 50 openssl dgst -sha256")
row "openssl dgst -sha256 (two processes)" "$ossl2_s" "$ossl2_rss"
echo "SDK throughput vs two openssl: $(ratio "$ossl2_s" "$sdk_s")x (target >= 0.8x)"
if [[ -n "${KOSLI_CLI:-}" ]]; then
  read -r cli_s cli_rss < <(measure "$KOSLI_CLI" fingerprint --artifact-type dir "$DATA/many")
  row "official CLI" "$cli_s" "$cli_rss"
fi
