#!/usr/bin/env bash
# Builds and runs the C API tests:
#   1. debug static library, tests compiled with -Wall -Wextra -Wpedantic -Werror and run under
#      AddressSanitizer + UndefinedBehaviorSanitizer;
#   2. release static library, the same tests run once under valgrind (no definite leak, no error).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
CC="${CC:-cc}"
CFLAGS=(-std=c11 -D_DEFAULT_SOURCE -pthread -Wall -Wextra -Wpedantic -Werror -g -I include -I tests/c)
# What Rust's standard library needs from the system when linked statically on Linux.
SYSLIBS=(-lpthread -ldl -lm)
OUT="$CARGO_TARGET_DIR/c-tests"
mkdir -p "$OUT"
TESTS=(tests/c/test_*.c)

cargo build --quiet -p kosli-ffi -p kosli-tests --bin fake-kosli

# The client tests talk to fake-kosli on a free port; it stops when this script ends.
coproc FAKE { exec "$CARGO_TARGET_DIR/debug/fake-kosli" --port 0 --max-seconds 900 --stop-on-eof; }
read -r PORT <&"${FAKE[0]}"
export KOSLI_TEST_HOST="http://127.0.0.1:$PORT"
trap 'kill "$FAKE_PID" 2>/dev/null || true' EXIT
for src in "${TESTS[@]}"; do
  name="$(basename "$src" .c)"
  "$CC" "${CFLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
    "$src" "$CARGO_TARGET_DIR/debug/libkosli.a" "${SYSLIBS[@]}" -o "$OUT/$name-asan"
  echo "--- $name (ASan + UBSan)"
  ASAN_OPTIONS=detect_leaks=1 "$OUT/$name-asan"
done

if command -v valgrind >/dev/null 2>&1; then
  cargo build --quiet --release -p kosli-ffi
  for src in "${TESTS[@]}"; do
    name="$(basename "$src" .c)"
    "$CC" "${CFLAGS[@]}" -O1 "$src" "$CARGO_TARGET_DIR/release/libkosli.a" "${SYSLIBS[@]}" -o "$OUT/$name-release"
    echo "--- $name (release, valgrind)"
    valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      --show-leak-kinds=definite "$OUT/$name-release"
  done
else
  echo "valgrind not found: skipped the valgrind run" >&2
  exit 1
fi
