#!/usr/bin/env bash
# Runs the command of every shared capture (contract/captures/*.cmd.txt) with the official Kosli
# CLI against fake-kosli, and reports per capture whether the CLI's exit code and the requests it
# made (method, path and query, in order) are those of the capture; stdout is compared too and
# reported (it differs where the data does: timestamps, canned objects).
#
# It needs the official CLI, so it is not part of CI:
#   KOSLI_CLI  the CLI binary (default /tmp/kcli/node_modules/@kosli/cli-linux-x64/bin/kosli)
#   CONTRACT   the shared contract folder (default <repo>/../shared/contract)
#   KCLI       the CLI's test data (default <repo>/../shared/kosli-cli-testdata)
# Usage: tests/tools/cli_against_fake.sh [SCENARIO ...]   (default: all, in a dependency order)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
KOSLI_CLI=${KOSLI_CLI:-/tmp/kcli/node_modules/@kosli/cli-linux-x64/bin/kosli}
CONTRACT=${CONTRACT:-$REPO/../shared/contract}
KCLI=${KCLI:-$REPO/../shared/kosli-cli-testdata}
[ -x "$KOSLI_CLI" ] || { echo "the official CLI is not at $KOSLI_CLI (set KOSLI_CLI)" >&2; exit 2; }
[ -d "$CONTRACT/captures" ] || { echo "no captures in $CONTRACT (set CONTRACT)" >&2; exit 2; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}
cargo build -q -p kosli-tests --bin fake-kosli
FAKE=$CARGO_TARGET_DIR/debug/fake-kosli

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
start_fake() { # $1: name; prints the port
  "$FAKE" --port 0 --max-seconds 1800 >"$WORK/$1.port" 2>"$WORK/$1.log" &
  PIDS+=($!)
  for _ in $(seq 100); do [ -s "$WORK/$1.port" ] && break; sleep 0.05; done
  head -1 "$WORK/$1.port"
}
PORT=$(start_fake primary)
PORT2=$(start_fake secondary)
DEAD_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=$WORK/fixdir
mkdir -p "$BASE"
# shellcheck disable=SC1091
( cd "$WORK" && BASE=$BASE KCLI=$KCLI PORT=$PORT PORT2=$PORT2 DEAD_PORT=$DEAD_PORT . "$CONTRACT/captures/fixtures.sh" ) >/dev/null
mkdir -p "$BASE/bin" && ln -sf "$KOSLI_CLI" "$BASE/bin/kosli"

export REPO KCLI BASE PORT PORT2 CONTRACT
python3 - "$@" <<'PY'
import json, os, re, subprocess, sys, urllib.request

CAP = os.path.join(os.environ["CONTRACT"], "captures")
BASE, KCLI = os.environ["BASE"], os.environ["KCLI"]
P1, P2 = os.environ["PORT"], os.environ["PORT2"]
H1, H2 = f"http://127.0.0.1:{P1}", f"http://127.0.0.1:{P2}"
FP = "bd81e92142ca4c23bab76ce6fe3c12dd581d6a80fc43be930a643db19e9a86ef"

def control(host, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(host + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")

# Dependency order: what a capture reads was written by an earlier one. assert_artifact_not_found
# runs before the artifact exists; the environments the snapshots and allow use are seeded.
ORDER = """status_ready assert_artifact_not_found create_flow_empty_template create_flow_template_file
begin_trail_minimal begin_trail_full attest_generic_minimal attest_generic_single_file_attachment
attest_custom attest_junit attest_snyk_sarif attest_pr_github_fake_gh attest_artifact_file
attest_artifact_fingerprint ci_github_attest_artifact ci_gitlab_attest_artifact get_flow
get_artifact_by_fingerprint list_artifacts assert_artifact_compliant assert_artifact_non_compliant
create_env_k8s create_env_logical snapshot_path snapshot_paths allow_artifact dryrun_create_env
dryrun_attest_generic_multipart config_env_vars config_file multihost_ok error_400_message_and_errors
error_401_string_body retry_501_not_retried retry_503_twice_then_ok retry_429_retry_after_2""".split()
every = sorted(f[:-8] for f in os.listdir(CAP) if f.endswith(".cmd.txt"))
missing = [s for s in every if s not in ORDER]
names = sys.argv[1:] or ORDER + missing

control(H1, "POST", "/__control/seed", {"environments": [{"name": "prod", "type": "K8S"}, {"name": "prod-server", "type": "server"}]})

def command(name):
    cmd = open(os.path.join(CAP, name + ".cmd.txt")).read().strip()
    cmd = re.sub(r"`kosli-dev/cli:([^`]+)`", lambda m: os.path.join(KCLI, m.group(1)), cmd)
    cmd = cmd.replace("$FIXDIR", BASE).replace("127.0.0.1:18765", f"127.0.0.1:{P1}").replace("127.0.0.1:18766", f"127.0.0.1:{P2}")
    return cmd.replace("PATH=/usr/local/bin:", f"PATH={BASE}/bin:/usr/local/bin:")

def forced_faults(name):
    """The error answers a retry_/error_ capture's server was told to give, as fake-kosli faults."""
    if not name.startswith(("retry_", "error_")):
        return []
    faults = []
    for line in open(os.path.join(CAP, name + ".jsonl")):
        r = json.loads(line)
        resp = r["response"]
        if resp["status"] in (200, 201):
            continue
        f = {"method": r["method"], "path": r["path"], "status": resp["status"], "headers": list(resp.get("headers", {}).items())}
        body = resp.get("body")
        if isinstance(body, dict) and "__raw__" in body:
            f["raw_body"] = body["__raw__"]
        else:
            f["body"] = body
        faults.append(f)
    return faults

def normalize(text):
    return text.replace(BASE, "$FIXDIR").replace(f"127.0.0.1:{P1}", "127.0.0.1:18765").replace(f"127.0.0.1:{P2}", "127.0.0.1:18766")

def targets(records):
    out = []
    for r in records:
        q = "&".join(f"{k}={v}" for k, vs in r["query"].items() for v in vs)
        out.append((r["method"], r["path"] + ("?" + q if q else "")))
    return out

def want_targets(meta):
    return [(r["method"], re.sub(r"\?.*", lambda m: "?" + "&".join(sorted(m.group(0)[1:].split("&"), key=lambda kv: kv.split("=")[0])), r["target"]) if "?" in r["target"] else r["target"]) for r in meta["requests"]]

passed = failed = 0
for name in names:
    meta = json.load(open(os.path.join(CAP, name + ".meta.json")))
    for h in (H1, H2):
        control(h, "DELETE", "/__control/requests")
        control(h, "DELETE", "/__control/faults")
    if forced_faults(name):
        control(H1, "POST", "/__control/faults", forced_faults(name))
    # The capture server answered these two as told; the fake derives compliance from the
    # attestations (attest_junit's failing test makes the artifact non-compliant), so say it.
    if name.startswith("assert_artifact_") and name != "assert_artifact_not_found":
        control(H1, "POST", "/__control/seed", {"compliance": {FP: name == "assert_artifact_compliant"}})
    run = subprocess.run(["bash", "-c", command(name)], capture_output=True, text=True, timeout=120)
    problems = []
    if run.returncode != meta["exit_code"]:
        problems.append(f"exit {run.returncode}, capture {meta['exit_code']}")
    got = targets(control(H1, "GET", "/__control/requests"))
    # The PR capture's first request went to GitHub on the capture server (here: the fake too).
    if got != want_targets(meta):
        problems.append(f"requests {got} != capture {want_targets(meta)}")
    if "host2_requests" in meta:
        got2 = targets(control(H2, "GET", "/__control/requests"))
        want2 = [(r["method"], r["target"]) for r in meta["host2_requests"]]
        if got2 != want2:
            problems.append(f"host2 requests {got2} != capture {want2}")
    want_out = open(os.path.join(CAP, name + ".stdout")).read()
    same_out = normalize(run.stdout) == want_out
    if problems:
        failed += 1
        print(f"FAIL {name}: " + "; ".join(problems))
        print("     stderr: " + normalize(run.stderr).strip().replace("\n", "\n             "))
    else:
        passed += 1
        print(f"ok   {name}" + ("" if same_out else "   (stdout differs from the capture: data of the fake)"))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
