// Preload for jco/componentize-js (NODE_OPTIONS=--import ./preopen.mjs).
//
// @bytecodealliance/preview2-shim 0.26 starts with no preopened
// directories, so `jco componentize --wit DIR` (and `jco embed`, `jco types`)
// fail with "failed to get path metadata" when wit-component reads the WIT
// directory. This module imports every copy of the shim's filesystem under
// node_modules and preopens "/" in each. It runs in the main thread only:
// jco and componentize-js start workers, and doing the same in a worker
// spawns workers recursively. See /work/shared/NOTES.md.
import { isMainThread } from 'node:worker_threads';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

if (isMainThread) {
  const top = join(dirname(fileURLToPath(import.meta.url)), 'node_modules');
  const roots = [];
  const walk = (d, depth) => {
    if (depth > 8 || !existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = join(d, e.name);
      if (p.endsWith(join('@bytecodealliance', 'preview2-shim'))) roots.push(p);
      else walk(p, depth + 1);
    }
  };
  walk(top, 0);
  for (const r of roots) {
    const f = join(r, 'lib', 'nodejs', 'filesystem.js');
    const g = join(r, 'dist', 'nodejs', 'filesystem.js');
    const m = await import(existsSync(g) ? g : f);
    m._setPreopens({ '/': '/' });
  }
}
