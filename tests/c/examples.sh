#!/usr/bin/env bash
# Builds the C and C++ deploy examples (examples/c/deploy.c, examples/cpp/deploy.cpp) with
# -Wall -Wextra -Wpedantic -Werror under AddressSanitizer + UBSan, and runs them against
# fake-kosli: a failing deploy command reports nothing, a succeeding one reports exactly once
# (counted in fake-kosli's request log), an outage with a journal queues the report, and the
# C++ tool's --assert gate refuses a non-compliant artifact before running the command.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
CC="${CC:-cc}"
CXX="${CXX:-c++}"
WARN=(-Wall -Wextra -Wpedantic -Werror -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
LIBS=("$CARGO_TARGET_DIR/debug/libkosli.a" -lpthread -ldl -lm)
OUT="$CARGO_TARGET_DIR/c-examples"
WORK="$(mktemp -d)"
mkdir -p "$OUT"
cargo build --quiet -p kosli-ffi -p kosli-tests --bin fake-kosli
"$CC" -std=c11 "${WARN[@]}" -I include examples/c/deploy.c "${LIBS[@]}" -o "$OUT/deploy"
"$CXX" -std=c++17 "${WARN[@]}" -I include examples/cpp/deploy.cpp "${LIBS[@]}" -o "$OUT/deploy_cpp"

coproc FAKE { exec "$CARGO_TARGET_DIR/debug/fake-kosli" --port 0 --max-seconds 600 --stop-on-eof; }
read -r PORT <&"${FAKE[0]}"
FAKE_URL="http://127.0.0.1:$PORT"
trap 'kill "$FAKE_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export KOSLI_HOST="$FAKE_URL" KOSLI_ORG=acme KOSLI_API_TOKEN=secret-token KOSLI_MAX_API_RETRIES=0
export ASAN_OPTIONS=detect_leaks=1
curl -fsS -X POST "$FAKE_URL/__control/seed" \
  -d '{"org": "acme", "flows": [{"name": "app-flow"}], "environments": [{"name": "prod", "type": "server"}]}' >/dev/null
printf 'release 42' > "$WORK/app.bin"

reports() { # how many snapshots of prod fake-kosli received since the last clear
  curl -fsS "$FAKE_URL/__control/requests" | jq '[.[] | select(.method == "PUT" and .path == "/api/v2/environments/acme/prod/report/server")] | length'
}
clear() { curl -fsS -X DELETE "$FAKE_URL/__control/requests" >/dev/null; }
expect() { # expect WHAT GOT WANTED
  if [[ "$2" != "$3" ]]; then echo "FAIL: $1: got $2, expected $3" >&2; exit 1; fi
  echo "ok: $1"
}

for tool in deploy deploy_cpp; do
  echo "--- $tool"
  clear
  set +e
  "$OUT/$tool" --env prod --name app --path "$WORK/app.bin" -- sh -c 'exit 3' 2>"$WORK/err"
  code=$?
  set -e
  expect "$tool: a failing deploy returns its exit code" "$code" 3
  grep -q "nothing reported" "$WORK/err"
  expect "$tool: a failing deploy reports nothing" "$(reports)" 0

  clear
  "$OUT/$tool" --env prod --name app --path "$WORK/app.bin" -- sh -c "cp '$WORK/app.bin' '$WORK/deployed-$tool'" >"$WORK/out"
  [[ -f "$WORK/deployed-$tool" ]]
  grep -q "reported to environment prod" "$WORK/out"
  expect "$tool: a succeeding deploy reports exactly once" "$(reports)" 1
  digest="$(curl -fsS "$FAKE_URL/__control/requests" | jq -r '.[] | select(.path == "/api/v2/environments/acme/prod/report/server") | .json.artifacts[0].digests.app')"
  expect "$tool: the report names the artifact's fingerprint" "$digest" "$(sha256sum "$WORK/app.bin" | cut -d' ' -f1)"

  clear
  set +e
  "$OUT/$tool" --env prod --name app --path "$WORK/missing.bin" -- touch "$WORK/ran-$tool" 2>"$WORK/err"
  code=$?
  set -e
  expect "$tool: a missing artifact stops the deploy" "$code" 2
  [[ ! -e "$WORK/ran-$tool" ]]
  expect "$tool: a missing artifact reports nothing" "$(reports)" 0

  # Kosli down, a journal: the deploy goes on and the report is queued.
  KOSLI_HOST=http://127.0.0.1:1 "$OUT/$tool" --env prod --name app --path "$WORK/app.bin" --journal "$WORK/journal-$tool" -- true >"$WORK/out"
  grep -q "report queued as" "$WORK/out"
  [[ -s "$WORK/journal-$tool/journal.jsonl" ]]
done

echo "--- deploy_cpp --assert"
fp="$(sha256sum "$WORK/app.bin" | cut -d' ' -f1)"
curl -fsS -X POST "$FAKE_URL/__control/seed" \
  -d "{\"org\": \"acme\", \"artifacts\": [{\"flow_name\": \"app-flow\", \"fingerprint\": \"$fp\", \"trail_name\": \"r42\"}], \"compliance\": {\"$fp\": false}}" >/dev/null
clear
set +e
"$OUT/deploy_cpp" --env prod --name app --path "$WORK/app.bin" --flow app-flow --assert -- touch "$WORK/gated" 2>"$WORK/err"
code=$?
set -e
expect "deploy_cpp: a non-compliant artifact is not deployed" "$code" 3
[[ ! -e "$WORK/gated" ]]
expect "deploy_cpp: a non-compliant artifact is not reported" "$(reports)" 0
grep -q "is not compliant: not deployed" "$WORK/err"
curl -fsS -X POST "$FAKE_URL/__control/seed" -d "{\"org\": \"acme\", \"compliance\": {\"$fp\": true}}" >/dev/null
"$OUT/deploy_cpp" --env prod --name app --path "$WORK/app.bin" --flow app-flow --assert -- touch "$WORK/gated" >/dev/null
[[ -e "$WORK/gated" ]]
expect "deploy_cpp: a compliant artifact is deployed and reported once" "$(reports)" 1
echo "--- README's C journal example, pasted as it is (its journal folder moved to a temporary one)"
awk '/^```c$/ {block = ""; inside = 1; next} /^```$/ {if (inside && block ~ /kosli_config_on_delivery_failure/) print block; inside = 0; next}
     inside {block = block $0 "\n"}' README.md | sed "s|/var/tmp/kosli-journal|$WORK/readme-journal|" > "$WORK/readme.c"
grep -q kosli_client_flush_journal "$WORK/readme.c"
"$CC" -std=c11 "${WARN[@]}" -I include "$WORK/readme.c" "${LIBS[@]}" -o "$OUT/readme"
printf 'ok' > "$WORK/smoke.log"
(cd "$WORK" && KOSLI_HOST=http://127.0.0.1:1 "$OUT/readme" >"$WORK/out" 2>"$WORK/err")
grep -q "Kosli unreachable: queued as" "$WORK/out"
grep -q "0 delivered, 1 left" "$WORK/out"
grep -q "kosli: attest_generic not delivered to http://127.0.0.1:1" "$WORK/err"
echo "C and C++ examples: ok"
