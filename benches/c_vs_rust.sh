#!/usr/bin/env bash
# Fingerprints a folder of 20,000 files of 1-8 KiB (200 folders) through the C API and through
# the Rust API, each RUNS times in its own process, and prints the best times and their ratio.
# Target (issue: the C ABI): C within 3% of Rust.   Usage: benches/c_vs_rust.sh [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
RUNS="${1:-5}"
cargo build --quiet --release -p kosli-ffi -p kosli-benches --bin fingerprint_repeat
DATA="$(mktemp -d)"; trap 'rm -rf "$DATA"' EXIT
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I include benches/c/fingerprint_repeat.c \
  "$CARGO_TARGET_DIR/release/libkosli.a" -lpthread -ldl -lm -o "$DATA/c_repeat"
python3 - "$DATA/tree" <<'PY'
import os, random, sys
rng = random.Random(42)
for d in range(200):
    sub = os.path.join(sys.argv[1], f"d{d:03}"); os.makedirs(sub)
    for f in range(100):
        with open(os.path.join(sub, f"f{f:03}.bin"), "wb") as fh:
            fh.write(rng.randbytes(rng.randint(1024, 8192)))
PY
# Alternate the two in rounds so that load from elsewhere on the machine hits both alike.
rust_s=1e9; c_s=1e9
for _ in 1 2 3 4 5; do
  read -r rust_fp r < <("$CARGO_TARGET_DIR/release/fingerprint_repeat" "$DATA/tree" "$RUNS")
  read -r c_fp c < <("$DATA/c_repeat" "$DATA/tree" "$RUNS")
  [[ "$rust_fp" == "$c_fp" ]] || { echo "digests differ: $rust_fp vs $c_fp" >&2; exit 1; }
  rust_s=$(python3 -c "print(min($rust_s, $r))"); c_s=$(python3 -c "print(min($c_s, $c))")
done
echo "Rust API: best ${rust_s}s   C API: best ${c_s}s   (best of 5 x $RUNS, 20,000 files)"
python3 -c "print(f'C / Rust = {$c_s/$rust_s:.3f} (target <= 1.03)')"
