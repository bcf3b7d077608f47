// JavaScript guest for the kitchen-sink world (testdata/kitchen-sink), built
// by componentize-js through tools/jco/build.sh. It follows the contract in
// testdata/kitchen-sink/README.md:
//   echo-*      returns its arguments (lifting and lowering copy them);
//   roundtrip-* passes its arguments to host.echo-* and returns the answer;
//   counter     a guest resource; blob-* exercise the host resource.
// There is no kitchen-sink-live-allocs export: SpiderMonkey owns the heap.
import * as host from 'test:kitchen-sink/host@0.1.0';

const { Blob } = host;
const dispose = Symbol.dispose ?? Symbol.for('dispose');

// A result-returning export returns the ok value and throws the err value;
// a result-returning import returns the ok value and throws an error whose
// payload is the err value.
function fromResult(r) {
  if (r.tag === 'ok') return r.val;
  throw { payload: r.val };
}
function toResult(f) {
  try {
    return { tag: 'ok', val: f() };
  } catch (e) {
    if (e !== null && typeof e === 'object' && 'payload' in e) return { tag: 'err', val: e.payload };
    throw e;
  }
}

const echoNames = [
  'Bool', 'U8', 'S8', 'U16', 'S16', 'U32', 'S32', 'U64', 'S64', 'F32', 'F64',
  'Char', 'String', 'ListU8', 'ListString', 'ListRecord', 'ListList', 'Point',
  'Record', 'Nested', 'Color', 'BigEnum', 'Flags1', 'Flags8', 'Flags9',
  'Flags16', 'Flags17', 'Flags32', 'BigVariant', 'Joined', 'Num', 'OptionU32',
  'OptionString', 'OptionOption', 'Tuple', 'Pair',
];
const resultNames = ['ResultUnit', 'ResultOk', 'ResultErr', 'ResultBoth'];

class Counter {
  #n;
  constructor(start) { this.#n = start >>> 0; }
  get() { return this.#n; }
  increment(by) { this.#n = (this.#n + by) >>> 0; return this.#n; }
  label() { return `counter=${this.#n}`; }
  static zero() { return new Counter(0); }
  static merge(a, b) { return new Counter(a.get() + b.get()); }
}

export const guest = {
  Counter,
  consumeCounter(c) {
    const n = c.get();
    c[dispose]?.();
    return n;
  },
  blobRoundtrip(data) {
    const b = new Blob(data);
    try {
      b.append(data);
      return b.read(0, b.size());
    } finally {
      b[dispose]();
    }
  },
  blobSize(b) { return b.size(); },
  blobTake(b) {
    try {
      return b.read(0, b.size());
    } finally {
      b[dispose]();
    }
  },
  blobPass(b) { return host.echoBlob(b); },
  blobMerge(a, b) { return Blob.merge(a, b); },
  blobMake(data) { return host.makeBlob(data); },
  blobConsume(data) { return host.consumeBlob(host.makeBlob(data)); },
  blobLen(b) { return host.blobLen(b); },
  ping() {},
  roundtripPing() { host.ping(); },
};

for (const n of echoNames) {
  guest['echo' + n] = (...args) => (args.length === 1 ? args[0] : args);
  guest['roundtrip' + n] = (...args) => host['echo' + n](...args);
}
// echo-many's 17 parameters a..q come back as the record many-fields.
guest.echoMany = (...args) => Object.fromEntries(args.map((v, i) => [String.fromCharCode(97 + i), v]));
guest.roundtripMany = (...args) => host.echoMany(...args);
for (const n of resultNames) {
  guest['echo' + n] = (x) => fromResult(x);
  guest['roundtrip' + n] = (x) => fromResult(toResult(() => host['echo' + n](x)));
}
