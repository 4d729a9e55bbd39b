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

cargo build --quiet -p kosli-ffi -p kosli-tests --bin fake-kosli --bin fake-services

# The client tests talk to fake-kosli on a free port; it stops when this script ends.
coproc FAKE { exec "$CARGO_TARGET_DIR/debug/fake-kosli" --port 0 --max-seconds 900 --stop-on-eof; }
read -r PORT <&"${FAKE[0]}"
export KOSLI_TEST_HOST="http://127.0.0.1:$PORT"

# The runtime tests (test_runtime.c) snapshot a fake Docker Engine and a fake Kubernetes API
# (fake-services, the same fakes and states the Rust and Python tests use:
# tests/fixtures/snapshots_runtime); each stops at the end of its stdin, when this script ends.
STATES="$(mktemp -d)"
DOCKER_PID="" KUBE_PID=""
trap 'kill "$FAKE_PID" $DOCKER_PID $KUBE_PID 2>/dev/null || true; rm -rf "$STATES"' EXIT
python3 - "$STATES" <<'PY'
import json, sys
root = "tests/fixtures/snapshots_runtime/"
out = sys.argv[1]
json.dump(json.load(open(root + "docker_states.json"))["three_containers"], open(out + "/docker.json", "w"))
json.dump(json.load(open(root + "kube_states.json"))["cluster"], open(out + "/kube.json", "w"))
PY
# Their stdin is a FIFO this script holds open (nothing is written to it) and never closes
# before it ends: one coproc (fake-kosli's) is all bash keeps track of.
mkfifo "$STATES/hold"
exec {HOLD}<>"$STATES/hold"
exec {DOCKER_OUT}< <(exec "$CARGO_TARGET_DIR/debug/fake-services" docker "$STATES/docker.json" <"$STATES/hold")
DOCKER_PID=$!
read -r DOCKER_INFO <&"$DOCKER_OUT"
exec {KUBE_OUT}< <(exec "$CARGO_TARGET_DIR/debug/fake-services" kube "$STATES/kube.json" kube-token-c <"$STATES/hold")
KUBE_PID=$!
read -r KUBE_INFO <&"$KUBE_OUT"
export KOSLI_TEST_DOCKER_HOST KOSLI_TEST_KUBECONFIG="$STATES/kubeconfig"
KOSLI_TEST_DOCKER_HOST="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["url"])' "$DOCKER_INFO")"
python3 -c 'import json, sys; open(sys.argv[2], "w").write(json.loads(sys.argv[1])["kubeconfig"])' \
  "$KUBE_INFO" "$KOSLI_TEST_KUBECONFIG"
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
      --suppressions=tests/c/valgrind.supp \
      --show-leak-kinds=definite "$OUT/$name-release"
  done
else
  echo "valgrind not found: skipped the valgrind run" >&2
  exit 1
fi
