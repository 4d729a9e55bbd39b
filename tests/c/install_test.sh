#!/usr/bin/env bash
# The install story: kosli-ffi/install.sh into a temporary prefix, then the C tests built
# (1) with pkg-config against the shared library, (2) with the documented static link line,
# (3) with CMake's find_package(kosli), both static and shared. Each binary is run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kosli-target}"
CC="${CC:-cc}"
PREFIX="$(mktemp -d)"; BUILD="$(mktemp -d)"; trap 'rm -rf "$PREFIX" "$BUILD"' EXIT
kosli-ffi/install.sh "$PREFIX" >/dev/null
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"

echo "--- pkg-config, shared"
pkg-config --modversion kosli
# shellcheck disable=SC2046
"$CC" -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -Werror -I tests/c tests/c/test_basics.c \
  $(pkg-config --cflags --libs kosli) -Wl,-rpath,"$PREFIX/lib" -o "$BUILD/shared"
"$BUILD/shared"

echo "--- examples/c/fingerprint.c as the README builds it"
# shellcheck disable=SC2046
"$CC" -Wall -Wextra -Wpedantic -Werror examples/c/fingerprint.c $(pkg-config --cflags --libs kosli) \
  -Wl,-rpath,"$PREFIX/lib" -o "$BUILD/fingerprint"
mkdir -p "$BUILD/tree" && printf 'this is known extra content' > "$BUILD/tree/file.extra" && printf 'x' > "$BUILD/tree/skip.log"
[[ "$("$BUILD/fingerprint" "$BUILD/tree")" == c71f5baef8cce289c9b7c971cf219e21b787a025af68ad6539b82634fe62819e ]]
if "$BUILD/fingerprint" "$BUILD/missing" 2>"$BUILD/err"; then echo "expected a failure" >&2; exit 1; fi
grep -q "missing: no such file or directory" "$BUILD/err"

echo "--- documented static link line"
# shellcheck disable=SC2046
"$CC" -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -Werror -I tests/c tests/c/test_basics.c \
  $(pkg-config --cflags kosli) "$PREFIX/lib/libkosli.a" -lpthread -ldl -lm -o "$BUILD/static"
"$BUILD/static"
if ldd "$BUILD/static" | grep -q libkosli; then echo "static binary links libkosli dynamically" >&2; exit 1; fi

if command -v cmake >/dev/null 2>&1; then
  echo "--- cmake find_package(kosli)"
  cmake -S tests/c/cmake -B "$BUILD/cmake" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_C_FLAGS="-D_DEFAULT_SOURCE" >/dev/null
  cmake --build "$BUILD/cmake" >/dev/null
  "$BUILD/cmake/test_static"
  "$BUILD/cmake/test_shared"
else
  echo "cmake not found: install it (apt-get install cmake)" >&2
  exit 1
fi
