#!/bin/sh
# Rebuilds every prebuilt .wasm fixture under testdata/kitchen-sink and
# testdata/hostile from its sources. Idempotent: run it as often as you like;
# the outputs are deterministic for a given toolchain.
#
# Tools: clang + wasm-ld (C guest), wat2wasm (WAT guests), go (generators).
# On Debian 12: apt-get install -y clang lld wabt
#
# Usage: sh testdata/build.sh        (from anywhere)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

missing=""
for tool in clang wasm-ld wat2wasm go; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "build.sh: missing tools:$missing" >&2
	echo "install them with: apt-get install -y clang lld wabt   (and Go 1.26 for 'go')" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- kitchen-sink: C guest, no libc ----
# 1. regenerate the WIT and the C glue from the generator's type table
(cd "$root" && go run ./testdata/kitchen-sink/gen -out testdata/kitchen-sink)
# 2. compile and link in separate steps (clang 14 would otherwise run
#    wasm-opt without feature flags when binaryen is installed)
clang --target=wasm32 -O2 -ffreestanding -fno-strict-aliasing -mbulk-memory \
	-Wall -Wextra -Wno-unused-parameter -Werror \
	-c "$here/kitchen-sink/guest/guest.c" -o "$tmp/guest.o"
wasm-ld --no-entry --strip-all -o "$here/kitchen-sink/kitchen-sink.wasm" "$tmp/guest.o"
echo "built testdata/kitchen-sink/kitchen-sink.wasm"

# ---- hostile: WAT guests ----
# 1. regenerate the variant .wat files from the template
(cd "$root" && go run ./testdata/hostile/gen -out testdata/hostile)
# 2. assemble every .wat
n=0
for wat in "$here"/hostile/*.wat; do
	wat2wasm "$wat" -o "$tmp/out.wasm"
	mv "$tmp/out.wasm" "${wat%.wat}.wasm"
	n=$((n + 1))
done
echo "built $n testdata/hostile/*.wasm"
