// Package host runs the demo's WebAssembly guests: it implements the
// generated host interfaces of the three demo worlds (demo/bindings) over
// demo/httpserver and demo/keyvalue, and offers a small API to hosts (the
// runner command, the unikernel's /init, tests).
//
// # http-server-demo
//
// Start (or Serve, which also waits) compiles the guest once, creates one
// instance and calls its init export. Inside init the guest builds a router
// and calls server.serve, which starts an httpserver.Server on the runner's
// listener (the caller's, or the config's listen address; the address the
// guest passes is only logged). Requests are then served by calling the
// guest's http-handler.handle export on an instance taken from an
// httpserver.Pool of at most cfg.HTTP.Instances instances, one request per
// instance at a time.
//
// The instance that ran init joins the pool; the others are created on
// demand and never run init (the WIT says so: handlers keep their state in
// key-value, not in guest memory). Running init once means the guest's
// serve call starts exactly one server and its router calls happen once;
// an instance that traps is discarded and its replacement needs no init.
//
// # keyvalue-demo and wasi-keyvalue-demo
//
// Run instantiates the guest once and calls its run export; an err(message)
// result is returned as a *GuestError.
//
// # Engines
//
// Every runner uses its own runtime. By default that is a wazero runtime
// (runtimeadapters/wazero) with WASI preview 1 for Go's wasip1 runtime, so
// interpreter or compiler is chosen per runner (Options.Interpreter).
// Options.NewRuntime supplies any other engine that implements
// runtimeadapters.Runtime and provides WASI, such as the wasmtime adapter
// (runtimeadapters/wasmtime, a nested cgo module); the generated bindings
// and this package are the same on every engine.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"

	gen "github.com/wasmhost/wit-bindgen-go-host/demo/bindings/httpserverdemohost"
	kvgen "github.com/wasmhost/wit-bindgen-go-host/demo/bindings/keyvaluedemohost"
	wasigen "github.com/wasmhost/wit-bindgen-go-host/demo/bindings/wasikeyvaluedemohost"
	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wz "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// Options tunes a runner. The zero value (or a nil *Options) uses wazero's
// compiler, no compilation cache, slog.Default() and discards the guest's
// stdout and stderr.
type Options struct {
	// NewRuntime, when set, creates the runner's engine instead of the
	// default wazero runtime; Interpreter, CompilationCacheDir and
	// IgnoreContextDone are then unused. It is called once per Start or
	// Run (a restart gets a new runtime), because the generated bindings
	// define the host modules once per runtime. The runtime must define
	// wasi_snapshot_preview1 (the demo's Go guests are GOOS=wasip1), and
	// should send the guest's stdout and stderr to guestOutput
	// (GuestOutput, or io.Discard when that is nil). The runner owns the
	// runtime: if it has a Close(context.Context) error method, the runner
	// calls it when it stops (Shutdown, or the end of Run).
	NewRuntime func(ctx context.Context, guestOutput io.Writer) (runtimeadapters.Runtime, error)
	// Interpreter selects wazero's interpreter (for example inside a VM
	// whose CPU lacks the instructions the compiler emits).
	Interpreter bool
	// CompilationCacheDir caches compiled guests across runs.
	CompilationCacheDir string
	// Logger receives the runner's and the HTTP server's log lines.
	Logger *slog.Logger
	// GuestOutput receives the guest's stdout and stderr (a Go guest's
	// panic message goes to stderr). Nil discards them.
	GuestOutput io.Writer
	// IgnoreContextDone runs the guest without wazero's
	// WithCloseOnContextDone: each guest call (including every cabi_realloc
	// the bindings make while lowering a request) then skips the goroutine
	// wazero starts to watch the context, which is measurably faster, but
	// Config.HandlerTimeout can no longer interrupt a guest that loops
	// forever (its request hangs). Use it only for trusted guests.
	IgnoreContextDone bool
	// InitTimeout bounds the guest's init export (default 30 s).
	InitTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown in Serve and in the
	// guest's server.stop (default 10 s).
	ShutdownTimeout time.Duration
	// WrapHandler, when set, wraps the http-server-demo server's handler
	// (the guest's routes, as an http.Handler): the http.Server on the
	// listener serves WrapHandler(routes). A host uses it to serve paths of
	// its own next to the guest's (the unikernel's /poweroff and /debug/*)
	// or to add middleware, without a second server in front.
	WrapHandler func(http.Handler) http.Handler
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Logger == nil {
		out.Logger = slog.Default()
	}
	if out.GuestOutput == nil {
		out.GuestOutput = io.Discard
	}
	if out.InitTimeout <= 0 {
		out.InitTimeout = 30 * time.Second
	}
	if out.ShutdownTimeout <= 0 {
		out.ShutdownTimeout = 10 * time.Second
	}
	return out
}

// GuestError is the err(message) result of a guest's init or run export.
type GuestError struct {
	Export  string // "init" or "run"
	Message string
}

func (e *GuestError) Error() string { return fmt.Sprintf("guest %s failed: %s", e.Export, e.Message) }

// guestError converts the err(string) of init/run; other errors (traps)
// pass through.
func guestError(export string, err error) error {
	var we *runtimeadapters.WITError[string]
	if errors.As(err, &we) {
		return &GuestError{Export: export, Message: we.Value}
	}
	if err != nil {
		return fmt.Errorf("guest %s: %w", export, err)
	}
	return nil
}

// World names a demo world.
type World string

// The demo worlds a guest can target.
const (
	HTTPServerDemo   World = "http-server-demo"
	KeyvalueDemo     World = "keyvalue-demo"
	WASIKeyvalueDemo World = "wasi-keyvalue-demo"
)

// WorldOf tells which demo world a compiled guest targets, from its
// imports and exports.
func WorldOf(m runtimeadapters.CompiledModule) (World, error) {
	imports := map[string]bool{}
	for _, im := range m.Imports() {
		imports[im.Module] = true
	}
	exports := map[string]bool{}
	for _, ex := range m.Exports() {
		exports[ex.Name] = true
	}
	return worldOf(imports, exports)
}

// newRuntime creates the runner's runtime (Options.NewRuntime, or wazero
// with WASI) and compiles the guest.
func newRuntime(ctx context.Context, wasm []byte, o Options) (runtimeadapters.Runtime, runtimeadapters.CompiledModule, error) {
	var rt runtimeadapters.Runtime
	if o.NewRuntime != nil {
		var err error
		if rt, err = o.NewRuntime(ctx, o.GuestOutput); err != nil {
			return nil, nil, fmt.Errorf("creating the runtime: %w", err)
		}
		if rt == nil {
			return nil, nil, errors.New("creating the runtime: Options.NewRuntime returned nil")
		}
	} else {
		wrt, err := wz.NewRuntime(ctx, wz.Config{Interpreter: o.Interpreter, CompilationCacheDir: o.CompilationCacheDir,
			IgnoreContextDone: o.IgnoreContextDone, WASI: true})
		if err != nil {
			return nil, nil, err
		}
		wrt.SetModuleConfig(wazero.NewModuleConfig().WithStdout(o.GuestOutput).WithStderr(o.GuestOutput))
		rt = wrt
	}
	cm, err := rt.Compile(ctx, wasm)
	if err != nil {
		closeRuntime(rt)
		return nil, nil, fmt.Errorf("compiling the guest: %w", err)
	}
	return rt, cm, nil
}

// closeRuntime closes rt if its engine has a Close method (both adapters
// do; runtimeadapters.Runtime itself has none).
func closeRuntime(rt runtimeadapters.Runtime) error {
	if c, ok := rt.(interface{ Close(context.Context) error }); ok {
		return c.Close(context.Background())
	}
	return nil
}

// Runner is a running http-server-demo guest: the server its init asked
// for, the instance pool and the key-value store.
type Runner struct {
	opts  Options
	log   *slog.Logger
	cfg   *config.Config
	ln    net.Listener // the caller's listener, or nil
	mux   *keyvalue.Mux
	rt    runtimeadapters.Runtime
	pool  *httpserver.Pool[*gen.HTTPServerDemoInstance]
	world *gen.HTTPServerDemo

	mu       sync.Mutex
	srv      routeServer
	done     chan struct{} // closed when srv stops (or Shutdown ran)
	shutOnce sync.Once
	shutErr  error
}

// Start runs an http-server-demo guest: it opens the config's key-value
// store, compiles guestWasm, runs the guest's init on a first instance and
// returns once init has returned and the server its serve call started is
// listening. ln is the listener to serve on (the Runner owns it from then
// on); nil means listen on cfg.HTTP.Listen. cfg nil means config.Default().
// ctx bounds the start only. Stop the Runner with Shutdown.
func Start(ctx context.Context, ln net.Listener, guestWasm []byte, cfg *config.Config, opts *Options) (_ *Runner, err error) {
	if cfg == nil {
		cfg = config.Default()
	}
	o := opts.withDefaults()
	r := &Runner{opts: o, log: o.Logger, cfg: cfg, ln: ln, done: make(chan struct{})}
	defer func() {
		if err != nil {
			r.Shutdown(context.Background())
		}
	}()
	if r.mux, err = cfg.OpenStore(ctx); err != nil {
		return nil, err
	}
	var cm runtimeadapters.CompiledModule
	if r.rt, cm, err = newRuntime(ctx, guestWasm, o); err != nil {
		return nil, err
	}
	if w, err := WorldOf(cm); err != nil || w != HTTPServerDemo {
		return nil, fmt.Errorf("the guest targets world %q, want %s (%v)", w, HTTPServerDemo, err)
	}
	if r.world, err = gen.NewHTTPServerDemo(ctx, r.rt, cm); err != nil {
		return nil, err
	}
	imports := gen.Imports{HTTPServer: httpServer{r}, Keyvalue: httpKV{r.mux}}
	r.pool = httpserver.NewPool(cfg.HTTP.Instances,
		func(ctx context.Context) (*gen.HTTPServerDemoInstance, error) {
			return r.world.Instantiate(ctx, imports)
		},
		func(in *gen.HTTPServerDemoInstance) {
			if err := in.Close(context.Background()); err != nil {
				r.log.Debug("closing a guest instance", "err", err)
			}
		})
	first, err := r.world.Instantiate(ctx, imports)
	if err != nil {
		return nil, fmt.Errorf("instantiating the guest: %w", err)
	}
	ictx, cancel := context.WithTimeout(ctx, o.InitTimeout)
	err = guestError("init", first.Init(ictx))
	cancel()
	if err != nil {
		first.Close(context.Background())
		return nil, err
	}
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	if srv == nil {
		first.Close(context.Background())
		return nil, errors.New("the guest's init returned without calling server.serve")
	}
	r.pool.Add(first)
	return r, nil
}

// serve starts the one server of the runner (server.serve).
func (r *Runner) serve(address string, rt *httpserver.Router) (gen.Server, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		return nil, unexpected("this host serves one server per guest; serve was already called")
	}
	sc := r.cfg.ServerConfig()
	sc.Logger = r.log
	routes := httpserver.New(sc, rt, &httpserver.PoolHandler[*gen.HTTPServerDemoInstance]{Pool: r.pool, Call: call})
	var srv routeServer = routes
	var err error
	switch {
	case r.opts.WrapHandler != nil:
		srv, err = startWrapped(sc, routes, r.ln, r.opts.WrapHandler, r.log)
	case r.ln != nil:
		err = routes.StartListener(r.ln)
	default:
		err = routes.Start()
	}
	if err != nil {
		return nil, unexpected("starting the server: " + err.Error())
	}
	r.srv = srv
	r.log.Info("serving the guest's routes", "addr", srv.Addr().String(), "guest_address", address,
		"routes", len(rt.Routes()), "instances", r.cfg.HTTP.Instances)
	go func() {
		<-srv.Done()
		r.closeDone()
	}()
	return &server{r: r}, nil
}

func (r *Runner) closeDone() {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.done:
	default:
		close(r.done)
	}
}

// Addr returns the address the server listens on.
func (r *Runner) Addr() net.Addr {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv.Addr()
}

// Done is closed when the server has stopped: after the guest's
// server.stop, or Shutdown.
func (r *Runner) Done() <-chan struct{} { return r.done }

// Store returns the key-value store the guest sees.
func (r *Runner) Store() *keyvalue.Mux { return r.mux }

// PoolStats returns the instance pool's counters.
func (r *Runner) PoolStats() httpserver.PoolStats { return r.pool.Stats() }

// Shutdown stops the server gracefully (in-flight requests finish, or ctx
// ends), then closes the instances, the runtime and the store. It is safe
// to call more than once.
func (r *Runner) Shutdown(ctx context.Context) error {
	r.shutOnce.Do(func() {
		var errs []error
		r.mu.Lock()
		srv := r.srv
		r.mu.Unlock()
		if srv != nil {
			errs = append(errs, srv.Shutdown(ctx))
		} else if r.ln != nil {
			r.ln.Close()
		}
		if r.pool != nil {
			r.pool.Close()
		}
		if r.rt != nil {
			errs = append(errs, closeRuntime(r.rt))
		}
		if r.mux != nil {
			errs = append(errs, r.mux.Close())
		}
		r.closeDone()
		r.shutErr = errors.Join(errs...)
	})
	return r.shutErr
}

// Serve runs an http-server-demo guest until ctx ends or the guest stops
// its server, then shuts down gracefully (Options.ShutdownTimeout). ln and
// cfg are as for Start: ln nil listens on cfg.HTTP.Listen (127.0.0.1:3000
// by default), cfg nil is config.Default().
func Serve(ctx context.Context, ln net.Listener, guestWasm []byte, cfg *config.Config, opts *Options) error {
	r, err := Start(ctx, ln, guestWasm, cfg, opts)
	if err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case <-r.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.opts.ShutdownTimeout)
	defer cancel()
	return r.Shutdown(sctx)
}

// Run runs a keyvalue-demo or wasi-keyvalue-demo guest once: it opens the
// config's store, instantiates the guest, calls its run export and closes
// everything. The guest's err(message) is returned as a *GuestError, a trap
// as another error. cfg nil means config.Default().
func Run(ctx context.Context, guestWasm []byte, cfg *config.Config, opts *Options) (err error) {
	if cfg == nil {
		cfg = config.Default()
	}
	o := opts.withDefaults()
	mux, err := cfg.OpenStore(ctx)
	if err != nil {
		return err
	}
	defer mux.Close()
	rt, cm, err := newRuntime(ctx, guestWasm, o)
	if err != nil {
		return err
	}
	defer closeRuntime(rt)
	w, err := WorldOf(cm)
	if err != nil {
		return err
	}
	switch w {
	case KeyvalueDemo:
		world, err := kvgen.NewKeyvalueDemo(ctx, rt, cm)
		if err != nil {
			return err
		}
		in, err := world.Instantiate(ctx, kvgen.Imports{Keyvalue: kvKV{mux}})
		if err != nil {
			return fmt.Errorf("instantiating the guest: %w", err)
		}
		defer in.Close(context.Background())
		return guestError("run", in.Run(ctx))
	case WASIKeyvalueDemo:
		world, err := wasigen.NewWasiKeyvalueDemo(ctx, rt, cm)
		if err != nil {
			return err
		}
		in, err := world.Instantiate(ctx, wasigen.Imports{Store: wasiStore{mux}})
		if err != nil {
			return fmt.Errorf("instantiating the guest: %w", err)
		}
		defer in.Close(context.Background())
		return guestError("run", in.Run(ctx))
	}
	return fmt.Errorf("Run runs keyvalue guests; this guest targets %s (use Serve)", w)
}
