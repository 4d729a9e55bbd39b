#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (unit, integration, doc tests), the C API
# tests and the Python tests. Every suite is added here so that this stays the one command.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
cargo test --workspace --all-features

# The C API: sanitizers, valgrind, and the install story (pkg-config, static, CMake).
tests/c/run.sh
tests/c/install_test.sh
# The C and C++ deploy examples against fake-kosli (report only after the command succeeded).
tests/c/examples.sh

# The Python module: the wheel built, installed into a fresh venv, pytest and mypy.stubtest.
tests/python/run.sh
