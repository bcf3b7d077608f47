// Driver for check.sh: runs every kitchen-sink guest export through jco's
// transpiled component with an echoing JS host. See check.sh.
import { readFile } from 'node:fs/promises';
import { instantiate } from './ks.js';

function eq(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  if (typeof a !== typeof b) return false;
  if (a === null || b === null || typeof a !== 'object') return a === b;
  if (ArrayBuffer.isView(a)) return ArrayBuffer.isView(b) && a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => eq(x, b[i]));
  const ka = Object.keys(a).filter(k => a[k] !== undefined), kb = Object.keys(b).filter(k => b[k] !== undefined);
  return ka.length === kb.length && ka.every(k => eq(a[k], b[k]));
}
const show = v => JSON.stringify(v, (k, x) => typeof x === 'bigint' ? x + 'n' : ArrayBuffer.isView(x) ? Array.from(x) : x);

class Blob {
  constructor(init) { this.data = Uint8Array.from(init); }
  size() { return this.data.length; }
  read(off, len) { return this.data.slice(off, off + len); }
  append(d) { const n = new Uint8Array(this.data.length + d.length); n.set(this.data); n.set(d, this.data.length); this.data = n; }
  static merge(a, b) { const r = new Blob(a.data); r.append(b.data); return r; }
}
const unwrap = r => { if (r.tag === 'ok') return r.val; const e = new Error('err'); e.payload = r.val; throw e; };
const host = new Proxy({
  Blob,
  makeBlob: d => new Blob(d),
  blobLen: b => b.size(),
  consumeBlob: b => b.data,
  echoBlob: b => b,
  ping: () => {},
  echoResultUnit: unwrap, echoResultOk: unwrap, echoResultErr: unwrap, echoResultBoth: unwrap,
  echoPair: (a, b) => [a, b],
  echoMany: (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q) => ({ a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q }),
}, { get: (t, k) => t[k] ?? (typeof k === 'string' && k.startsWith('echo') ? (x => x) : undefined) });

const dir = new URL('.', import.meta.url);
let core = null;
const root = await instantiate(async p => WebAssembly.compile(await readFile(new URL(p, dir))), {
  'test:kitchen-sink/host': host, 'test:kitchen-sink/types': {}, 'test:kitchen-sink/host@0.1.0': host, 'test:kitchen-sink/types@0.1.0': {},
}, async (m, imps) => { const i = await WebAssembly.instantiate(m, imps); if (i.exports['kitchen-sink-live-allocs']) core = i; return i; });
const liveAllocs = () => core.exports['kitchen-sink-live-allocs']();
let leakBase = 0;
const g = root.guest;
let fails = 0, n = 0;
function check(name, got, want) {
  n++;
  if (!eq(got, want)) { fails++; console.log('FAIL', name, 'got', show(got), 'want', show(want)); }
  const l = liveAllocs();
  if (l !== leakBase) { fails++; console.log('LEAK after', name, 'live allocs', l, 'expected', leakBase); leakBase = l; }
}
function flags(nf, set) { const o = {}; for (let i = 0; i < nf; i++) o['f' + i] = set.includes(i); return o; }
const mixed = (s) => ({ a: 255, b: -32768, c: 4294967295, d: -(2n ** 63n), e: 0.5, f: -1e300, g: s, h: true });
const cases = {
  Bool: [true, false], U8: [0, 255], S8: [-128, 127], U16: [65535], S16: [-32768], U32: [4294967295, 0],
  S32: [-2147483648], U64: [2n ** 64n - 1n, 0n], S64: [-(2n ** 63n), 5n], F32: [1.5, -0, Infinity], F64: [Math.PI, -0, -Infinity],
  Char: ['😀', 'A', '\u{10FFFF}'], String: ['héllo ✓', '', 'x'.repeat(70000)],
  ListU8: [Uint8Array.from([0, 1, 255]), new Uint8Array(0)], ListString: [['a', '', 'ccc'], []],
  ListRecord: [[mixed('one'), mixed('')], []], ListList: [[Uint32Array.from([1, 2]), new Uint32Array(0), Uint32Array.from([4294967295])]],
  Point: [{ x: -1, y: 2 }], Record: [mixed('rec')],
  Nested: [{ name: 'n', line: { start: { x: 1, y: 2 }, end: { x: 3, y: 4 }, label: 'L' }, tags: ['t1', 't2'], origin: { x: 5, y: 6 }, color: 'blue' },
           { name: '', line: { start: { x: 0, y: 0 }, end: { x: 0, y: 0 }, label: '' }, tags: [], origin: undefined, color: 'red' }],
  Color: ['red', 'green', 'blue'], BigEnum: ['e0', 'e255', 'e256', 'e299'],
  Flags1: [flags(1, [0]), flags(1, [])], Flags8: [flags(8, [0, 7])], Flags9: [flags(9, [8]), flags(9, [0, 8])],
  Flags16: [flags(16, [15, 3])], Flags17: [flags(17, [16, 0])], Flags32: [flags(32, [31, 0, 17])],
  BigVariant: [{ tag: 'c0' }, { tag: 'c1', val: 200 }, { tag: 'c3', val: 4000000000 }, { tag: 'c5', val: 'five' }, { tag: 'c298' }, { tag: 'c299', val: 65535 }, { tag: 'c258' }, { tag: 'c285', val: 'late' }],
  Joined: [{ tag: 'empty' }, { tag: 'int32', val: -7 }, { tag: 'float32', val: 1.25 }, { tag: 'int64', val: -5n }, { tag: 'float64', val: 6.5 }, { tag: 'text', val: 'tx' }, { tag: 'pair', val: [0.5, 4294967295] }],
  Num: [{ tag: 'int', val: 3 }, { tag: 'float', val: -2.5 }],
  OptionU32: [7, undefined], OptionString: ['s', '', undefined],
  OptionOption: [{ tag: 'some', val: 9 }, { tag: 'some', val: undefined }, { tag: 'none' }],
  Tuple: [[7, 'tup', 1.5]],
};
for (const [t, vals] of Object.entries(cases)) {
  for (const v of vals) {
    check('echo' + t, g['echo' + t](v), v);
    check('roundtrip' + t, g['roundtrip' + t](v), v);
  }
}
// results: ok -> value, err -> thrown payload
function res(fn, v) { try { return { tag: 'ok', val: fn(v) }; } catch (e) { return { tag: 'err', val: e.payload }; } }
for (const [t, vals] of Object.entries({
  ResultUnit: [{ tag: 'ok' }, { tag: 'err' }], ResultOk: [{ tag: 'ok', val: 'yes' }, { tag: 'err' }],
  ResultErr: [{ tag: 'ok' }, { tag: 'err', val: 'blue' }], ResultBoth: [{ tag: 'ok', val: { x: 1, y: -1 } }, { tag: 'err', val: 'bad' }],
})) {
  for (const v of vals) {
    check('echo' + t, res(g['echo' + t], v), v);
    check('roundtrip' + t, res(g['roundtrip' + t], v), v);
  }
}
check('echoPair', g.echoPair(2n ** 40n, 'p'), [2n ** 40n, 'p']);
check('roundtripPair', g.roundtripPair(2n ** 40n, ''), [2n ** 40n, '']);
const many = [1, -2, 65535, -32768, 4294967295, -2147483648, 2n ** 64n - 1n, -(2n ** 63n), 2.5, -1e300, true, '😀', 'seventeen', { x: -10, y: 20 }, 'blue', flags(9, [0, 8]), 99];
const manyRec = Object.fromEntries('abcdefghijklmnopq'.split('').map((k, i) => [k, many[i]]));
check('echoMany', g.echoMany(...many), manyRec);
check('roundtripMany', g.roundtripMany(...many), manyRec);
const many2 = [...many]; many2[16] = undefined; many2[12] = '';
check('roundtripMany none', g.roundtripMany(...many2), Object.fromEntries('abcdefghijklmnopq'.split('').map((k, i) => [k, many2[i]])));
// counter
const C = g.Counter;
const c = new C(5); leakBase += 1;
check('counter.increment', c.increment(3), 8);
check('counter.get', c.get(), 8);
check('counter.label', c.label(), 'counter=8');
const z = C.zero(); leakBase += 1;
check('counter.zero', z.get(), 0);
const m = C.merge(c, z); leakBase += 1;
check('counter.merge', m.get(), 8);
leakBase -= 1; check('consume-counter', g.consumeCounter(m), 8);
// blob
const bytes = s => new TextEncoder().encode(s);
check('blob-roundtrip', g.blobRoundtrip(bytes('abc')), bytes('abcabc'));
check('blob-size', g.blobSize(new Blob(bytes('xyz'))), 3);
check('blob-take', g.blobTake(new Blob(bytes('take'))), bytes('take'));
check('blob-pass', g.blobPass(new Blob(bytes('pass'))).data, bytes('pass'));
check('blob-merge', g.blobMerge(new Blob(bytes('ab')), new Blob(bytes('cd'))).data, bytes('abcd'));
check('blob-make', g.blobMake(bytes('mk')).data, bytes('mk'));
check('blob-consume', g.blobConsume(bytes('cons')), bytes('cons'));
check('blob-len', g.blobLen(new Blob(bytes('four'))), 4);
g.ping(); g.roundtripPing();
console.log(`${n} checks, ${fails} failures, live allocs at end ${liveAllocs()} (2 live counters expected)`);
process.exit(fails ? 1 : 0);
