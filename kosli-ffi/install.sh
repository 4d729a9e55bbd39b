#!/usr/bin/env bash
# Installs the C API into PREFIX: lib/libkosli.{a,so}, include/kosli.h, lib/pkgconfig/kosli.pc
# and lib/cmake/kosli/ (find_package(kosli)).   Usage: kosli-ffi/install.sh PREFIX
set -euo pipefail
PREFIX="${1:?usage: install.sh PREFIX}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
(cd "$ROOT" && cargo build --quiet --release -p kosli-ffi)
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)"
MAJOR="${VERSION%%.*}"; REST="${VERSION#*.}"; MINOR="${REST%%.*}"
mkdir -p "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/kosli" "$PREFIX/include"
PREFIX="$(cd "$PREFIX" && pwd)"
install -m 644 "$CARGO_TARGET_DIR/release/libkosli.a" "$PREFIX/lib/"
install -m 755 "$CARGO_TARGET_DIR/release/libkosli.so" "$PREFIX/lib/"
install -m 644 "$ROOT/include/kosli.h" "$PREFIX/include/"
subst() { sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$VERSION|g" -e "s|@MAJOR@|$MAJOR|g" -e "s|@MINOR@|$MINOR|g" "$1" > "$2"; }
subst "$ROOT/kosli-ffi/pkg/kosli.pc.in" "$PREFIX/lib/pkgconfig/kosli.pc"
subst "$ROOT/kosli-ffi/pkg/kosliConfig.cmake.in" "$PREFIX/lib/cmake/kosli/kosliConfig.cmake"
subst "$ROOT/kosli-ffi/pkg/kosliConfigVersion.cmake.in" "$PREFIX/lib/cmake/kosli/kosliConfigVersion.cmake"
echo "installed kosli $VERSION into $PREFIX"
