import { isMainThread } from 'node:worker_threads';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
if (isMainThread) {
  const roots = [];
  const walk = (d, depth) => {
    if (depth > 8 || !existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = join(d, e.name);
      if (p.endsWith('@bytecodealliance/preview2-shim')) roots.push(p);
      else walk(p, depth + 1);
    }
  };
  walk(process.env.JCO_DIR + '/node_modules', 0);
  for (const r of roots) {
    const m = await import(join(r, 'dist/nodejs/filesystem.js'));
    m._setPreopens({ '/': '/' });
  }
}
