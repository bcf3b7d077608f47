package host

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
)

// routeServer is what the Runner needs of the server the guest's
// server.serve started: an *httpserver.Server, or a wrappedServer when
// Options.WrapHandler is set.
type routeServer interface {
	Addr() net.Addr
	Shutdown(ctx context.Context) error
	Done() <-chan struct{}
}

// wrappedServer serves Options.WrapHandler(routes) on the runner's
// listener. routes is an httpserver.Server (its ServeHTTP does the routing,
// body limits and handler timeouts); it is started on an idleListener, which
// never yields a connection, so that its Done/Shutdown life cycle is kept,
// while the connections are accepted by front, an http.Server with the
// same timeouts whose handler is the wrapped one.
type wrappedServer struct {
	routes *httpserver.Server
	front  *http.Server
	ln     net.Listener
	done   chan struct{}

	mu    sync.Mutex
	conns map[net.Conn]http.ConnState
}

// startWrapped starts a wrappedServer on ln (nil: listen on sc.Addr).
func startWrapped(sc httpserver.Config, routes *httpserver.Server, ln net.Listener,
	wrap func(http.Handler) http.Handler, log *slog.Logger) (*wrappedServer, error) {
	if ln == nil {
		addr := sc.Addr
		if addr == "" {
			addr = httpserver.DefaultAddr
		}
		var err error
		if ln, err = net.Listen("tcp", addr); err != nil {
			return nil, err
		}
	}
	if err := routes.StartListener(newIdleListener(ln.Addr())); err != nil {
		ln.Close()
		return nil, err
	}
	w := &wrappedServer{routes: routes, ln: ln, done: make(chan struct{})}
	h := wrap(routes)
	if h == nil {
		h = routes
	}
	w.front = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: timeout(sc.ReadHeaderTimeout, httpserver.DefaultReadHeaderTimeout),
		ReadTimeout:       timeout(sc.ReadTimeout, httpserver.DefaultReadTimeout),
		WriteTimeout:      timeout(sc.WriteTimeout, httpserver.DefaultWriteTimeout),
		IdleTimeout:       timeout(sc.IdleTimeout, httpserver.DefaultIdleTimeout),
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ConnState:         w.trackConn,
	}
	go func() {
		err := w.front.Serve(ln)
		if !errors.Is(err, http.ErrServerClosed) {
			log.Warn("serving the wrapped handler", "err", err)
		}
		// The routes' server goes down with the front one.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		routes.Shutdown(ctx)
		cancel()
		<-routes.Done()
		close(w.done)
	}()
	return w, nil
}

// timeout is httpserver's rule for Config durations: 0 is the default,
// negative disables.
func timeout(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

func (w *wrappedServer) Addr() net.Addr { return w.ln.Addr() }

func (w *wrappedServer) Done() <-chan struct{} { return w.done }

// Shutdown stops accepting, waits for in-flight requests (or ctx), then
// stops the routes' server. Like httpserver.Server.Shutdown it closes the
// connections that have not sent a request yet instead of waiting for them.
func (w *wrappedServer) Shutdown(ctx context.Context) error {
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			w.mu.Lock()
			for c, st := range w.conns {
				if st == http.StateNew {
					c.Close()
				}
			}
			w.mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	err := w.front.Shutdown(ctx)
	close(stop)
	if err != nil {
		w.front.Close()
	}
	err = errors.Join(err, w.routes.Shutdown(ctx))
	select {
	case <-w.done:
	case <-ctx.Done():
	}
	return err
}

func (w *wrappedServer) trackConn(c net.Conn, st http.ConnState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(w.conns, c)
	default:
		if w.conns == nil {
			w.conns = map[net.Conn]http.ConnState{}
		}
		w.conns[c] = st
	}
}

// idleListener never yields a connection; Accept returns once it is
// closed.
type idleListener struct {
	addr net.Addr
	done chan struct{}
	once sync.Once
}

func newIdleListener(addr net.Addr) *idleListener {
	return &idleListener{addr: addr, done: make(chan struct{})}
}

func (l *idleListener) Accept() (net.Conn, error) {
	<-l.done
	return nil, net.ErrClosed
}

func (l *idleListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *idleListener) Addr() net.Addr { return l.addr }
