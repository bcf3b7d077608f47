//go:build wasip1

// Command http-server-demo is the demo's HTTP guest, in standard Go against
// the generated guest bindings (./bindings). Build it with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o http-server-demo.wasm ./demo/guests/http-server-demo
//
// (make guests does). Its init registers the routes of the acceptance
// scenario and asks the host to serve them; handle answers each route
// (demo/README.md, "The demo guest's contract"). Handlers keep no state in
// guest memory: the host runs them on pooled instances that never ran init.
package main

import (
	r "github.com/wasmhost/wit-bindgen-go-host/demo/guests/http-server-demo/bindings"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"
)

func main() {}

func init() {
	r.SetExports(r.Exports{HTTPHandler: handler{}, HTTPServerDemo: world{}})
}

// container is the container every key-value route uses.
const container = "my-container"

// routes are the scenario's routes: method, pattern, handler name.
var routes = [][3]string{
	{"GET", "/hello", "hello"},
	{"GET", "/get", "get"},
	{"PUT", "/set", "set"},
	{"POST", "/upload", "upload"},
	{"DELETE", "/delete-file", "delete-file"},
	{"GET", "/person/:name", "person"},
	{"GET", "/trap", "trap"},
	{"PUT", "/roundtrip/:id", "roundtrip"},
	{"GET", "/key/:key", "get-key"},
	{"PUT", "/key", "set-body-key"},
	{"GET", "/container/:name", "open"},
	{"GET", "/spin", "spin"},
	{"GET", "/header/:name", "header"},
	{"GET", "/headers", "headers"},
}

type world struct{}

// Init builds the router and asks the host to serve it.
func (world) Init() wittypes.Result[struct{}, string] {
	fail := func(what string, e r.HTTPRouterError) wittypes.Result[struct{}, string] {
		return wittypes.Err[struct{}](what + ": " + routerErrorText(e))
	}
	res := r.HTTPServer.RouterNew()
	router, ok := res.OK()
	if !ok {
		e, _ := res.Err()
		return fail("router.new", e)
	}
	defer router.Drop()
	for _, rt := range routes {
		var res wittypes.Result[struct{}, r.HTTPRouterError]
		switch rt[0] {
		case "GET":
			res = router.Get(rt[1], rt[2])
		case "PUT":
			res = router.Put(rt[1], rt[2])
		case "POST":
			res = router.Post(rt[1], rt[2])
		case "DELETE":
			res = router.Delete(rt[1], rt[2])
		}
		if e, bad := res.Err(); bad {
			return fail(rt[0]+" "+rt[1], e)
		}
	}
	sres := r.HTTPServer.ServerServe("127.0.0.1:3000", router)
	if e, bad := sres.Err(); bad {
		return fail("server.serve", e)
	}
	// The server keeps running after its handle is dropped; only stop
	// ends it.
	srv, _ := sres.OK()
	srv.Drop()
	return wittypes.OK[struct{}, string](struct{}{})
}

func routerErrorText(e r.HTTPRouterError) string {
	switch e := e.(type) {
	case r.HTTPRouterErrorInvalidURL:
		return "invalid-url: " + e.Value
	case r.HTTPRouterErrorTimeoutError:
		return "timeout-error: " + e.Value
	case r.HTTPRouterErrorProtocolError:
		return "protocol-error: " + e.Value
	case r.HTTPRouterErrorStatusError:
		return "status-error"
	case r.HTTPRouterErrorUnexpectedError:
		return "unexpected-error: " + e.Value
	}
	return "unknown error"
}

type result = wittypes.Result[r.Response, r.HTTPError]

func respond(status uint16, body []byte) result {
	resp := r.Response{Status: status}
	if body != nil {
		resp.Body = wittypes.Some(body)
	}
	return wittypes.OK[r.Response, r.HTTPError](resp)
}

// kvFail turns a keyvalue-error into the answer of the contract: 404 for
// key-not-found, 400 "<case>: <message>" for refused input, otherwise
// unexpected-error("<case>: <message>"), which the host makes a 500.
func kvFail(e r.KeyvalueError) result {
	var name, msg string
	switch e := e.(type) {
	case r.KeyvalueErrorKeyNotFound:
		return respond(404, []byte("Key not found"))
	case r.KeyvalueErrorInvalidKey:
		return respond(400, []byte("invalid-key: "+e.Value))
	case r.KeyvalueErrorInvalidValue:
		return respond(400, []byte("invalid-value: "+e.Value))
	case r.KeyvalueErrorAccessDenied:
		return respond(400, []byte("access-denied: "+e.Value))
	case r.KeyvalueErrorConnectionError:
		name, msg = "connection-error", e.Value
	case r.KeyvalueErrorAuthenticationError:
		name, msg = "authentication-error", e.Value
	case r.KeyvalueErrorTimeoutError:
		name, msg = "timeout-error", e.Value
	case r.KeyvalueErrorIoError:
		name, msg = "io-error", e.Value
	case r.KeyvalueErrorUnexpectedError:
		name, msg = "unexpected-error", e.Value
	default:
		name = "unknown"
	}
	return wittypes.Err[r.Response](r.HTTPError(r.HTTPErrorUnexpectedError{Value: name + ": " + msg}))
}

// param returns the first parameter's value (the route parameter).
func param(req r.Request) string {
	if len(req.Params) == 0 {
		return ""
	}
	return req.Params[0].F1
}

type handler struct{}

// spins is the spin route's counter (a package variable, so the loop is
// not optimised away).
var spins uint64

// Handle answers one request for the route registered as name.
func (handler) Handle(name string, req r.Request) result {
	switch name {
	case "hello":
		return respond(200, []byte("hello"))
	case "upload", "delete-file":
		return respond(200, req.Body.Value())
	case "person":
		return respond(200, []byte("hello: "+param(req)))
	case "header":
		// The request's headers stay in the host (borrow<fields>); only
		// the one asked for is copied in.
		vals := req.Headers.Get(param(req))
		if len(vals) == 0 {
			return respond(404, []byte("no header "+param(req)))
		}
		out := []byte(vals[0])
		for _, v := range vals[1:] {
			out = append(append(out, ", "...), v...)
		}
		return respond(200, out)
	case "headers":
		var out []byte
		for _, h := range req.Headers.Entries() {
			out = append(append(append(append(out, h.F0...), ": "...), h.F1...), '\n')
		}
		return respond(200, out)
	case "trap":
		panic("the trap route traps on purpose")
	case "spin":
		// Loops (2^64 iterations: forever) until the host's handler
		// timeout interrupts the call.
		for spins = 0; spins != ^uint64(0); spins++ {
		}
		return respond(200, nil)
	case "open":
		res := r.Keyvalue.StoreOpen(param(req))
		if e, bad := res.Err(); bad {
			return kvFail(e)
		}
		s, _ := res.OK()
		s.Drop()
		return respond(200, nil)
	}
	res := r.Keyvalue.StoreOpen(container)
	if e, bad := res.Err(); bad {
		return kvFail(e)
	}
	s, _ := res.OK()
	defer s.Drop()
	switch name {
	case "get", "get-key":
		key := "key"
		if name == "get-key" {
			key = param(req)
		}
		v := s.Get(key)
		if e, bad := v.Err(); bad {
			return kvFail(e)
		}
		b, _ := v.OK()
		return respond(200, b)
	case "set":
		if e, bad := s.Set("key", req.Body.Value()).Err(); bad {
			return kvFail(e)
		}
		return respond(204, nil)
	case "set-body-key":
		if e, bad := s.Set(string(req.Body.Value()), []byte("x")).Err(); bad {
			return kvFail(e)
		}
		return respond(204, nil)
	case "roundtrip":
		key := "rt/" + param(req)
		if e, bad := s.Set(key, req.Body.Value()).Err(); bad {
			return kvFail(e)
		}
		v := s.Get(key)
		if e, bad := v.Err(); bad {
			return kvFail(e)
		}
		b, _ := v.OK()
		return respond(200, b)
	}
	return wittypes.Err[r.Response](r.HTTPError(r.HTTPErrorStatusError{Value: 501}))
}
