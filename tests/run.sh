#!/usr/bin/env bash
# Runs every test of the project: the Rust workspace (unit, integration, doc tests).
# Later suites (C, Python) are added here so that this stays the one command.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
cargo test --workspace --all-features
