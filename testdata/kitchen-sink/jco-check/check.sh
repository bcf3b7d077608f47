#!/bin/sh
# Optional cross-check of kitchen-sink.wasm against jco, an independent
# canonical-ABI implementation. It is not needed by `go test`.
#   1. `jco new` validates every core import/export name and signature
#      against kitchen-sink.wit (wit-component validation);
#   2. `jco transpile` + run.mjs calls every guest export (echo-*,
#      roundtrip-*, counter, blob) from JS with a JS host, compares the
#      values, and checks kitchen-sink-live-allocs after every call.
# Needs node and npm:  mkdir -p /tmp/jco && (cd /tmp/jco && npm install @bytecodealliance/jco@1.35)
# Usage: JCO_DIR=/tmp/jco sh testdata/kitchen-sink/jco-check/check.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
JCO_DIR=${JCO_DIR:-/tmp/jco}
export JCO_DIR
jco="$JCO_DIR/node_modules/.bin/jco"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# preview2-shim starts with no preopens; preopen.mjs opens / (see NOTES.md)
export NODE_OPTIONS="--import=$here/preopen.mjs"
"$jco" embed "$here/../kitchen-sink.wasm" --wit "$here/../kitchen-sink.wit" --world-name kitchen-sink -o "$tmp/embed.wasm"
"$jco" new "$tmp/embed.wasm" -o "$tmp/component.wasm"
"$jco" transpile "$tmp/component.wasm" -o "$tmp/js" --instantiation async --name ks >/dev/null
cp "$here/run.mjs" "$tmp/js/run.mjs"
NODE_OPTIONS= node "$tmp/js/run.mjs"
