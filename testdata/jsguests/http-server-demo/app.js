// JavaScript guest for the http-server-demo world (demo/wit), built by
// componentize-js through tools/jco/build.sh. It implements the demo guest's
// contract (demo/README.md, "The demo guest's contract"): init registers the
// routes and calls server.serve; handle answers each route, keeping its
// state only in the host's key-value store.
import { Router, Server } from 'demo:slight/http-server@0.1.0';
import { Store } from 'demo:slight/keyvalue@0.1.0';

const dispose = Symbol.dispose ?? Symbol.for('dispose');
const enc = new TextEncoder();
const dec = new TextDecoder();

const routes = [
  ['get', '/hello', 'hello'],
  ['get', '/get', 'get'],
  ['put', '/set', 'set'],
  ['post', '/upload', 'upload'],
  ['delete', '/delete-file', 'delete-file'],
  ['get', '/person/:name', 'person'],
  ['get', '/trap', 'trap'],
  ['put', '/roundtrip/:id', 'roundtrip'],
  ['get', '/key/:key', 'get-key'],
  ['put', '/key', 'set-body-key'],
  ['get', '/container/:name', 'open'],
];

// The server handle lives as long as the instance that ran init.
let server;

export function init() {
  const router = Router.new();
  try {
    for (const [method, route, handler] of routes) router[method](route, handler);
    server = Server.serve('0.0.0.0:3000', router);
  } finally {
    router[dispose]();
  }
}

// A thrown { payload } becomes the err case of handle's result.
class Fail {
  constructor(payload) { this.payload = payload; }
}

const ok = (body) => ({ status: 200, headers: undefined, body });

// kvFail turns a keyvalue-error into the guest's answer.
function kvFail(e) {
  if (!(e && typeof e === 'object' && 'payload' in e && e.payload && typeof e.payload.tag === 'string')) throw e;
  const { tag, val } = e.payload;
  switch (tag) {
    case 'key-not-found':
      return { status: 404, headers: undefined, body: enc.encode('Key not found') };
    case 'invalid-key':
    case 'invalid-value':
    case 'access-denied':
      return { status: 400, headers: undefined, body: enc.encode(`${tag}: ${val}`) };
  }
  throw new Fail({ tag: 'unexpected-error', val: `${tag}: ${val}` });
}

function param(req, name) {
  for (const [n, v] of req.params) if (n === name) return v;
  return '';
}

// withStore runs f on the container my-container and drops the handle.
function withStore(name, f) {
  let store;
  try {
    store = Store.open(name);
  } catch (e) {
    return kvFail(e);
  }
  try {
    return f(store);
  } catch (e) {
    return kvFail(e);
  } finally {
    store[dispose]();
  }
}

const handlers = {
  hello: () => ok(enc.encode('hello')),
  upload: (req) => ok(req.body),
  'delete-file': (req) => ok(req.body),
  person: (req) => ok(enc.encode('hello: ' + param(req, 'name'))),
  trap: () => {
    // A pure component (--disable all) traps on an uncaught exception.
    throw new Error('trap route');
  },
  open: (req) => withStore(param(req, 'name'), () => ok(undefined)),
  get: () => withStore('my-container', (s) => ok(s.get('key'))),
  'get-key': (req) => withStore('my-container', (s) => ok(s.get(param(req, 'key')))),
  set: (req) => withStore('my-container', (s) => {
    s.set('key', req.body ?? new Uint8Array());
    return { status: 204, headers: undefined, body: undefined };
  }),
  'set-body-key': (req) => withStore('my-container', (s) => {
    s.set(dec.decode(req.body ?? new Uint8Array()), enc.encode('x'));
    return { status: 204, headers: undefined, body: undefined };
  }),
  roundtrip: (req) => withStore('my-container', (s) => {
    const key = 'rt/' + param(req, 'id');
    s.set(key, req.body ?? new Uint8Array());
    return ok(s.get(key));
  }),
};

export const httpHandler = {
  handle(handler, req) {
    const h = handlers[handler];
    if (!h) throw new Fail({ tag: 'status-error', val: 501 });
    return h(req);
  },
};
