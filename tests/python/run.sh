#!/usr/bin/env bash
# The Python tests: builds the `kosli` wheel with maturin, installs it into a FRESH virtual
# environment (with the pinned test tools), runs pytest against the installed package (never
# the source tree: pytest runs from an empty temporary folder), checks the stubs with
# mypy.stubtest, and type-checks the tests against them with mypy --strict.
#
# The wheel is the manylinux2014 one (glibc >= 2.17), cross-linked by `maturin --zig` with
# `ziglang` from PyPI; maturin checks the manylinux policy itself. Where ziglang cannot be
# installed (or KOSLI_PY_ZIG=0), the wheel is built for this machine's glibc instead.
#
# Environment: PYTHON (default python3), CARGO_TARGET_DIR (default ~/.cache/kosli-target).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
PYTHON="${PYTHON:-python3}"

# Pinned tool versions (bump deliberately).
MATURIN="maturin==1.16.0"
ZIG="ziglang==0.15.1"
PYTEST="pytest==9.2.0"
MYPY="mypy==2.4.1"

pip_install() { "$1" -m pip install --quiet --disable-pip-version-check "${@:2}"; }
has_version() { "$1" -m pip show "${2%==*}" 2>/dev/null | grep -qx "Version: ${2#*==}"; }

# The build tools live in a venv kept beside the build cache; installed only when missing.
TOOLS="$CARGO_TARGET_DIR/kosli-py-tools"
if ! has_version "$TOOLS/bin/python" "$MATURIN"; then
  rm -rf "$TOOLS"
  "$PYTHON" -m venv "$TOOLS"
  pip_install "$TOOLS/bin/python" "$MATURIN"
fi
ZIG_OK=0
if [ "${KOSLI_PY_ZIG:-1}" != "0" ]; then
  if has_version "$TOOLS/bin/python" "$ZIG" || pip_install "$TOOLS/bin/python" "$ZIG"; then
    ZIG_OK=1
  else
    echo "ziglang could not be installed: building for this machine's glibc instead"
  fi
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "--- building the wheel"
if [ "$ZIG_OK" = 1 ]; then
  PATH="$TOOLS/bin:$PATH" "$TOOLS/bin/maturin" build --release --quiet -m kosli-py/Cargo.toml \
    --zig --compatibility manylinux2014 --out "$WORK/wheels"
  WHEEL="$(ls "$WORK"/wheels/kosli-*-cp310-abi3-manylinux2014_x86_64*.whl)"
else
  "$TOOLS/bin/maturin" build --release --quiet -m kosli-py/Cargo.toml --out "$WORK/wheels"
  WHEEL="$(ls "$WORK"/wheels/kosli-*.whl)"
fi
echo "built $(basename "$WHEEL")"

echo "--- building fake-kosli (the client tests' server) and fake-services (Engine, k8s, providers)"
cargo build --quiet -p kosli-tests --bin fake-kosli --bin fake-services
export KOSLI_FAKE_KOSLI="$CARGO_TARGET_DIR/debug/fake-kosli"
export KOSLI_FAKE_SERVICES="$CARGO_TARGET_DIR/debug/fake-services"

echo "--- installing it into a fresh virtual environment"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
pip_install "$VPY" "$WHEEL" "$PYTEST" "$MYPY"

echo "--- pytest against the installed wheel"
# From an empty folder, so that nothing but the installed package can be imported as `kosli`.
mkdir "$WORK/run"
(cd "$WORK/run" && "$VPY" -m pytest -c "$ROOT/tests/python/pytest.ini" \
  --rootdir "$ROOT/tests/python" -W error "$ROOT/tests/python")

echo "--- mypy.stubtest, and mypy --strict on the tests (the stubs as a user meets them)"
(cd "$WORK/run" && "$VPY" -m mypy.stubtest kosli)
(cd "$WORK/run" && "$VPY" -m mypy --strict --no-incremental "$ROOT/tests/python")

# The wheel is abi3 for every CPython from 3.10 on: the tests run once more on 3.10 itself when
# this machine has it (on PATH, or one of pyenv's; PYTHON_OLDEST names another, "none" skips).
OLDEST=""
for candidate in ${PYTHON_OLDEST:-} python3.10 "$HOME"/.pyenv/versions/3.10.*/bin/python3.10; do
  [ "$candidate" = none ] && break
  if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    OLDEST="$candidate"
    break
  fi
done
if [ -n "$OLDEST" ]; then
  echo "--- pytest and mypy.stubtest against the same wheel on $("$OLDEST" --version)"
  "$OLDEST" -m venv "$WORK/venv310"
  pip_install "$WORK/venv310/bin/python" "$WHEEL" "$PYTEST" "$MYPY"
  (cd "$WORK/run" && "$WORK/venv310/bin/python" -m pytest -c "$ROOT/tests/python/pytest.ini" \
    --rootdir "$ROOT/tests/python" -W error "$ROOT/tests/python")
  (cd "$WORK/run" && "$WORK/venv310/bin/python" -m mypy.stubtest kosli)
else
  echo "--- no CPython 3.10 on this machine: the tests ran on $("$PYTHON" --version) only"
fi
