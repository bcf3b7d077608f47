#!/bin/sh
# Rebuilds the JavaScript guest fixtures in testdata/jsguests with
# third-party component tooling pinned in package.json/package-lock.json:
# @bytecodealliance/componentize-js (SpiderMonkey/StarlingMonkey) and
# @bytecodealliance/jco.
#
# For each guest: `jco componentize app.js --wit WIT --world-name W
# --disable all` builds a component with no WASI imports, `jco transpile`
# extracts its core modules, and the main one (the only one with
# --disable all) is stored gzipped as testdata/jsguests/<guest>/<guest>.core.wasm.gz
# (about 15 MB raw, 5 MB gzipped), beside inputs.sha256, the checksums of
# the inputs it was built from (app.js, the WIT, package-lock.json).
#
# Idempotent: a guest whose inputs.sha256 still matches is not rebuilt
# (FORCE=1 rebuilds anyway), and npm installs the locked versions only when
# node_modules is missing or older than package-lock.json. Needs node (>= 20) and npm;
# the npm registry only for the first install.
#
# Usage: sh tools/jco/build.sh [--check] [guest...]
#   --check  only report whether the fixtures are missing or stale (exit 1)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/testdata/jsguests"

check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
guests=${*:-"kitchen-sink http-server-demo"}

# wit_of GUEST and world_of GUEST: the WIT path (relative to the repo root)
# and the world each guest targets.
wit_of() {
  case "$1" in
  kitchen-sink) echo testdata/kitchen-sink/kitchen-sink.wit ;;
  http-server-demo) echo demo/wit ;;
  *) echo "build.sh: unknown guest $1" >&2; exit 2 ;;
  esac
}
world_of() { echo "$1"; }

# inputs GUEST prints the checksums of everything the fixture depends on,
# sorted by path, paths relative to the repo root (runtimetest/jsguest
# recomputes the same list to detect stale fixtures).
inputs() {
  (cd "$root" && { echo "testdata/jsguests/$1/app.js"; echo tools/jco/package-lock.json; find "$(wit_of "$1")" -type f -name '*.wit'; } |
    LC_ALL=C sort | xargs sha256sum)
}

stale=""
for g in $guests; do
  f="$out/$g/$g.core.wasm.gz"
  if [ "${FORCE:-0}" = 1 ] || [ ! -s "$f" ] || [ ! -f "$out/$g/inputs.sha256" ] ||
    ! inputs "$g" | cmp -s - "$out/$g/inputs.sha256"; then
    stale="$stale $g"
  fi
done
if [ -z "$stale" ]; then
  echo "jsguests: up to date ($guests)"
  exit 0
fi
if [ $check = 1 ]; then
  echo "jsguests: missing or stale:$stale (run sh tools/jco/build.sh)"
  exit 1
fi

cd "$here"
if [ ! -x node_modules/.bin/jco ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` refuses this lock file ("Missing: @bytecodealliance/
  # jco-node-fs-linux-arm64-musl@ from lock file": npm 11 leaves some other
  # platforms' optional binaries out of the lock), so install the locked
  # versions with `npm install --no-save` and check the lock is unchanged.
  cp package-lock.json "${TMPDIR:-/tmp}/jco-package-lock.$$"
  npm install --no-save --no-audit --no-fund
  if ! cmp -s package-lock.json "${TMPDIR:-/tmp}/jco-package-lock.$$"; then
    mv "${TMPDIR:-/tmp}/jco-package-lock.$$" package-lock.json
    echo "build.sh: npm install wanted to change package-lock.json (restored); update it on purpose with npm install" >&2
    exit 1
  fi
  rm -f "${TMPDIR:-/tmp}/jco-package-lock.$$"
fi
jco="$here/node_modules/.bin/jco"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
for g in $stale; do
  echo "== $g"
  mkdir -p "$tmp/$g"
  # preview2-shim 0.26 has no preopens: without preopen.mjs, wit-component
  # cannot read the --wit directory (see preopen.mjs). Main thread only.
  NODE_OPTIONS="--import=$here/preopen.mjs" "$jco" componentize "$out/$g/app.js" \
    --wit "$root/$(wit_of "$g")" --world-name "$(world_of "$g")" --disable all \
    -o "$tmp/$g/$g.component.wasm"
  "$jco" transpile "$tmp/$g/$g.component.wasm" -o "$tmp/$g/js" --name "$g" >/dev/null
  core="$tmp/$g/js/$g.core.wasm"
  if [ ! -s "$core" ]; then
    echo "build.sh: jco transpile wrote no $g.core.wasm:" >&2
    ls "$tmp/$g/js" >&2
    exit 1
  fi
  if [ -e "$tmp/$g/js/$g.core2.wasm" ]; then
    echo "build.sh: $g has more than one core module; --disable all should leave one" >&2
    exit 1
  fi
  gzip -9 -n -c "$core" >"$out/$g/$g.core.wasm.gz.tmp"
  mv "$out/$g/$g.core.wasm.gz.tmp" "$out/$g/$g.core.wasm.gz"
  inputs "$g" >"$out/$g/inputs.sha256"
  echo "$g: $(wc -c <"$core") bytes raw, $(wc -c <"$out/$g/$g.core.wasm.gz") gzipped"
done
