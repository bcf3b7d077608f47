package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	gen "github.com/wasmhost/wit-bindgen-go-host/demo/bindings/httpserverdemohost"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// httpServer implements demo:slight/http-server for one Runner.
type httpServer struct{ r *Runner }

func routerError(err error) error {
	return runtimeadapters.NewWITError[gen.HTTPRouterError](gen.HTTPRouterErrorInvalidURL{Value: err.Error()})
}

func unexpected(msg string) error {
	return runtimeadapters.NewWITError[gen.HTTPRouterError](gen.HTTPRouterErrorUnexpectedError{Value: msg})
}

// RouterNew implements [static]router.new.
func (h httpServer) RouterNew(ctx context.Context) (gen.Router, error) {
	return h.RouterNewWithBase(ctx, "")
}

// RouterNewWithBase implements [static]router.new-with-base.
func (httpServer) RouterNewWithBase(_ context.Context, base gen.URI) (gen.Router, error) {
	r, err := httpserver.NewRouter(base)
	if err != nil {
		return nil, routerError(err)
	}
	return &router{r: r}, nil
}

// ServerServe implements [static]server.serve. The runner serves one
// server: the first serve starts it on the runner's listener (the config's
// listen address, or the listener given to Start); address is only
// logged, since the host, not the guest, chooses where to listen. A second
// serve is refused with unexpected-error.
func (h httpServer) ServerServe(_ context.Context, address string, rt gen.Router) (gen.Server, error) {
	rr, ok := rt.(*router)
	if !ok {
		return nil, unexpected("router handle of an unknown kind")
	}
	return h.r.serve(address, rr.r)
}

// router is the host side of resource router: a httpserver.Router that the
// guest changes in place.
type router struct{ r *httpserver.Router }

// Get implements [method]router.get.
func (r *router) Get(_ context.Context, route, handler string) error {
	return wrapRouter(r.r.Get(route, handler))
}

// Put implements [method]router.put.
func (r *router) Put(_ context.Context, route, handler string) error {
	return wrapRouter(r.r.Put(route, handler))
}

// Post implements [method]router.post.
func (r *router) Post(_ context.Context, route, handler string) error {
	return wrapRouter(r.r.Post(route, handler))
}

// Delete implements [method]router.delete.
func (r *router) Delete(_ context.Context, route, handler string) error {
	return wrapRouter(r.r.Delete(route, handler))
}

// Drop implements [resource-drop]router; a server keeps its snapshot.
func (r *router) Drop(context.Context) error { return nil }

func wrapRouter(err error) error {
	if err != nil {
		return routerError(err)
	}
	return nil
}

// server is the host side of resource server.
type server struct{ r *Runner }

// Stop implements [method]server.stop: it starts a graceful shutdown and
// returns at once (the caller may itself be a request the shutdown waits
// for). The Runner's Done channel closes when the server has stopped.
func (s *server) Stop(context.Context) error {
	go s.r.stopServer(s.r.opts.ShutdownTimeout)
	return nil
}

// Drop implements [resource-drop]server: dropping the handle does not stop
// the server (only stop does), so init can drop it and return.
func (s *server) Drop(context.Context) error { return nil }

var methods = map[string]gen.Method{
	"GET": gen.MethodGet, "POST": gen.MethodPost, "PUT": gen.MethodPut, "DELETE": gen.MethodDelete,
	"PATCH": gen.MethodPatch, "HEAD": gen.MethodHead, "OPTIONS": gen.MethodOptions,
}

type pair = struct{ F0, F1 string }

// toWIT converts a routed request to the WIT record.
func toWIT(req *httpserver.Request) (gen.Request, error) {
	m, ok := methods[req.Method]
	if !ok {
		return gen.Request{}, fmt.Errorf("method %q has no WIT case", req.Method)
	}
	out := gen.Request{Method: m, URI: req.URI, Headers: &fields{h: req.Headers}, Params: make([]pair, len(req.Params))}
	for i, p := range req.Params {
		out.Params[i] = pair{p.Name, p.Value}
	}
	if req.Body != nil {
		out.Body = runtimeadapters.Some(req.Body)
	}
	return out, nil
}

// fields is the host side of resource fields: the request's headers, lent
// to the guest for one handle call (borrow<fields> in the request record),
// so a handler that reads no header costs no copy of them into guest
// memory. httpserver.Request.Headers are lower case and sorted by name.
type fields struct {
	gen.UnimplementedFields
	h []httpserver.Header
}

// Get implements [method]fields.get.
func (f *fields) Get(_ context.Context, name string) ([]string, error) {
	var out []string
	for _, h := range f.h {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out, nil
}

// Entries implements [method]fields.entries.
func (f *fields) Entries(context.Context) (gen.Headers, error) {
	out := make(gen.Headers, len(f.h))
	for i, h := range f.h {
		out[i] = pair{h.Name, h.Value}
	}
	return out, nil
}

// fromWIT converts the guest's response record.
func fromWIT(resp gen.Response) *httpserver.Response {
	out := &httpserver.Response{Status: resp.Status}
	if hs, ok := resp.Headers.Get(); ok {
		out.Headers = make([]httpserver.Header, len(hs))
		for i, h := range hs {
			out.Headers[i] = httpserver.Header{Name: strings.ToLower(h.F0), Value: h.F1}
		}
	}
	if b, ok := resp.Body.Get(); ok {
		out.Body = b
		if b == nil {
			out.Body = []byte{}
		}
	}
	return out
}

// handlerError converts the guest's http-error.
func handlerError(e gen.HTTPError) *httpserver.HandlerError {
	switch e := e.(type) {
	case gen.HTTPErrorInvalidURL:
		return &httpserver.HandlerError{Kind: httpserver.InvalidURL, Message: e.Value}
	case gen.HTTPErrorTimeoutError:
		return &httpserver.HandlerError{Kind: httpserver.TimeoutError, Message: e.Value}
	case gen.HTTPErrorProtocolError:
		return &httpserver.HandlerError{Kind: httpserver.ProtocolError, Message: e.Value}
	case gen.HTTPErrorStatusError:
		return &httpserver.HandlerError{Kind: httpserver.StatusError, Status: e.Value}
	case gen.HTTPErrorUnexpectedError:
		return &httpserver.HandlerError{Kind: httpserver.UnexpectedError, Message: e.Value}
	}
	return &httpserver.HandlerError{Kind: httpserver.UnexpectedError, Message: "unknown http-error case"}
}

// call is the PoolHandler's Call: the guest's http-handler.handle on inst.
// A guest http-error becomes a *httpserver.HandlerError (the instance is
// kept); a trap or ABI fault is returned as is (the instance is discarded).
func call(ctx context.Context, inst *gen.HTTPServerDemoInstance, name string, req *httpserver.Request) (*httpserver.Response, error) {
	wreq, err := toWIT(req)
	if err != nil {
		return nil, err
	}
	resp, err := inst.HTTPHandler().Handle(ctx, name, wreq)
	if err != nil {
		var we *runtimeadapters.WITError[gen.HTTPError]
		if errors.As(err, &we) {
			return nil, handlerError(we.Value)
		}
		return nil, err
	}
	return fromWIT(resp), nil
}

// stopServer shuts the server down gracefully within timeout.
func (r *Runner) stopServer(timeout time.Duration) {
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		r.log.Warn("stopping the server", "err", err)
	}
}
