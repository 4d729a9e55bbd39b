#!/usr/bin/env bash
# The Python module against the Rust SDK, in one run on the same data (warm page cache):
#  1. `kosli.fingerprint_dir` (timed inside Python) vs the `kosli` example binary (whole
#     process) on 20,000 files of 1-8 KiB in 200 folders (benches/compare.sh's recipe);
#  2. the same folder fingerprinted by 1 Python thread 4 times vs 4 Python threads once each
#     (the GIL is released, so the threads share the cores);
#  3. 100 generic attestations to fake-kosli (loopback, so this measures the SDK's own cost per
#     call) from 1 Python thread vs 8 Python threads sharing one Client.
# Prints median seconds of REPEAT runs and the ratios.
#
# Usage: benches/python_vs_rust.sh      (REPEAT=7 by default; PYTHON=python3)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
PYTHON="${PYTHON:-python3}"
REPEAT="${REPEAT:-7}"

cargo build --quiet --release --example kosli
cargo build --quiet --release -p kosli-tests --bin fake-kosli
SDK="$CARGO_TARGET_DIR/release/examples/kosli"
FAKE="$CARGO_TARGET_DIR/release/fake-kosli"

WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
"$PYTHON" -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin==1.16.0"
"$WORK/venv/bin/maturin" build --release --quiet -m kosli-py/Cargo.toml --out "$WORK/wheels"
"$WORK/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$WORK"/wheels/kosli-*.whl

cd "$WORK"
"$WORK/venv/bin/python" - "$SDK" "$REPEAT" "$FAKE" <<'PY'
import json, os, random, statistics, subprocess, sys, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
import kosli

sdk, repeat, fake = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(42)
for d in range(200):
    sub = os.path.join("small", f"d{d:03}")
    os.makedirs(sub)
    for f in range(100):
        with open(os.path.join(sub, f"f{f:03}.bin"), "wb") as fh:
            fh.write(rng.randbytes(rng.randint(1024, 8192)))

def median(f):
    f()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return statistics.median(times)

want = str(kosli.fingerprint_dir("small"))
got = subprocess.run([sdk, "fingerprint", "--artifact-type", "dir", "small"],
                     capture_output=True, text=True, check=True).stdout.split()[0]
assert got == want, (got, want)

rust = median(lambda: subprocess.run([sdk, "fingerprint", "--artifact-type", "dir", "small"],
                                     capture_output=True, check=True))
py = median(lambda: kosli.fingerprint_dir("small"))
print(f"20,000 files: Rust example (whole process) {rust:.3f} s, Python fingerprint_dir {py:.3f} s, "
      f"Python/Rust = {py / rust:.3f}")

def serial():
    for _ in range(4):
        kosli.fingerprint_dir("small", threads=1)

def threaded():
    ts = [threading.Thread(target=kosli.fingerprint_dir, args=("small",), kwargs={"threads": 1})
          for _ in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()

one, four = median(serial), median(threaded)
print(f"4 fingerprints (threads=1 each): 1 Python thread {one:.3f} s, 4 Python threads {four:.3f} s, "
      f"speed-up {one / four:.2f}x on {os.cpu_count()} cores")

server = subprocess.Popen([fake, "--port", "0", "--stop-on-eof"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
url = f"http://127.0.0.1:{int(server.stdout.readline())}"
seed = {"org": "acme", "flows": [{"name": "f"}], "trails": [{"flow": "f", "name": "t"}]}
urllib.request.urlopen(urllib.request.Request(f"{url}/__control/seed", data=json.dumps(seed).encode(),
                                              method="POST")).read()
client = kosli.Client(kosli.Config(host=url, api_token="t", org="acme"))

def attest(i):
    assert client.attest_generic("f", "t", f"check-{i % 10}", compliant=True).kind == "sent"

def serial_attest():
    for i in range(100):
        attest(i)

def threaded_attest():
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(attest, range(100)))

one, eight = median(serial_attest), median(threaded_attest)
print(f"100 attestations to fake-kosli: 1 Python thread {one:.3f} s, 8 Python threads {eight:.3f} s, "
      f"speed-up {one / eight:.2f}x")
server.stdin.close(); server.wait()
PY
