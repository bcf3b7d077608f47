package httpserver

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for Config's zero fields.
const (
	DefaultAddr              = "127.0.0.1:3000"
	DefaultMaxBodyBytes      = 1 << 20
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultHandlerTimeout    = 10 * time.Second
)

// Config configures a Server. Zero fields take the defaults above; a
// negative duration disables that timeout.
type Config struct {
	Addr              string // listen address, default 127.0.0.1:3000
	MaxBodyBytes      int64  // larger request bodies get 413
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration // whole request, including the body
	WriteTimeout      time.Duration // from the end of the request headers to the end of the response
	IdleTimeout       time.Duration
	HandlerTimeout    time.Duration // deadline of the ctx passed to Handler.Handle
	Logger            *slog.Logger  // default slog.Default()
}

func dur(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	c.ReadHeaderTimeout = dur(c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	c.ReadTimeout = dur(c.ReadTimeout, DefaultReadTimeout)
	c.WriteTimeout = dur(c.WriteTimeout, DefaultWriteTimeout)
	c.IdleTimeout = dur(c.IdleTimeout, DefaultIdleTimeout)
	c.HandlerTimeout = dur(c.HandlerTimeout, DefaultHandlerTimeout)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Server serves a Router's routes by calling a Handler. It implements
// http.Handler, so it can also be mounted in tests with httptest.
type Server struct {
	cfg     Config
	router  *Router
	handler Handler

	mu    sync.Mutex
	conns map[net.Conn]http.ConnState // for Shutdown
	http  *http.Server
	ln    net.Listener
	done  chan struct{}
	err   error
}

// New returns a Server for a snapshot (Clone) of router.
func New(cfg Config, router *Router, h Handler) *Server {
	return &Server{cfg: cfg.withDefaults(), router: router.Clone(), handler: h}
}

// Start listens on Config.Addr and serves in the background; it returns
// once the listener is open (the WIT server.serve is non-blocking).
func (s *Server) Start() error {
	s.mu.Lock()
	started := s.http != nil
	s.mu.Unlock()
	if started {
		return errors.New("httpserver: already started")
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	if err := s.StartListener(ln); err != nil {
		ln.Close()
		return err
	}
	return nil
}

// StartListener serves on ln (which the caller opened, e.g. a unikernel's
// own listener) in the background instead of listening on Config.Addr.
// The server owns ln from then on: Shutdown closes it.
func (s *Server) StartListener(ln net.Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.http != nil {
		return errors.New("httpserver: already started")
	}
	s.ln = ln
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.cfg.Logger.Handler(), slog.LevelWarn),
		ConnState:         s.trackConn,
	}
	s.done = make(chan struct{})
	go func() {
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.done)
	}()
	return nil
}

// Addr returns the listening address (useful with port 0), or nil before
// Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Shutdown stops accepting connections and waits for in-flight requests to
// finish, or for ctx to end (then open connections are closed).
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv, done := s.http, s.done
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	// http.Server.Shutdown waits up to 5 s for connections that were
	// accepted but have not sent a request yet (a client's spare
	// connection). Close those while it waits: they hold no request.
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			s.mu.Lock()
			for c, st := range s.conns {
				if st == http.StateNew {
					c.Close()
				}
			}
			s.mu.Unlock()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	err := srv.Shutdown(ctx)
	close(stop)
	if err != nil {
		srv.Close()
	}
	<-done
	return err
}

// trackConn records connection states for Shutdown.
func (s *Server) trackConn(c net.Conn, st http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch st {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	default:
		if s.conns == nil {
			s.conns = map[net.Conn]http.ConnState{}
		}
		s.conns[c] = st
	}
}

// Done is closed when the server has stopped serving.
func (s *Server) Done() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done
}

// ServeHTTP routes r, builds the Request, calls the Handler and writes its
// Response or the status for its error.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m, allowed, ok := s.router.Match(r.Method, r.URL.EscapedPath())
	if !ok {
		if len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeText(w, http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
			return
		}
		writeText(w, http.StatusNotFound, http.StatusText(http.StatusNotFound))
		return
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		writeText(w, http.StatusRequestEntityTooLarge, http.StatusText(http.StatusRequestEntityTooLarge))
		return
	}
	body, err := s.readBody(w, r)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeText(w, http.StatusRequestEntityTooLarge, http.StatusText(http.StatusRequestEntityTooLarge))
			return
		}
		// A read timeout or a client that went away.
		s.cfg.Logger.Debug("reading request body", "err", err)
		writeText(w, http.StatusBadRequest, "error reading request body")
		return
	}
	if len(body) == 0 {
		body = nil
	}
	req := &Request{
		Method:  r.Method,
		URI:     r.URL.RequestURI(),
		Headers: headersOf(r),
		Params:  append(m.Params, queryParams(r.URL)...),
		Body:    body,
	}
	ctx := r.Context()
	if s.cfg.HandlerTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, s.cfg.HandlerTimeout, ErrHandlerTimeout)
		defer cancel()
	}
	resp, err := s.handler.Handle(ctx, m.Route.Handler, req)
	if err == nil && resp == nil {
		err = errors.New("handler returned neither a response nor an error")
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(context.Cause(ctx), ErrHandlerTimeout) {
			err = errors.Join(ErrHandlerTimeout, err)
		}
		status, text := StatusOf(err)
		level := slog.LevelDebug
		if status >= 500 {
			level = slog.LevelWarn
		}
		s.cfg.Logger.Log(ctx, level, "handler failed", "method", r.Method, "uri", req.URI, "handler", m.Route.Handler, "status", status, "err", err)
		writeText(w, status, text)
		return
	}
	writeResponse(w, resp, s.cfg.Logger)
}

// readBody reads the whole body, at most MaxBodyBytes; nil when there is
// none.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.ContentLength > 0 {
		body := make([]byte, r.ContentLength)
		_, err := io.ReadFull(r.Body, body)
		return body, err
	}
	return io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
}

// headersOf flattens the request headers, lower-casing names, sorted by name.
func headersOf(r *http.Request) []Header {
	hs := make([]Header, 0, len(r.Header)+1)
	if r.Host != "" {
		hs = append(hs, Header{Name: "host", Value: r.Host})
	}
	for name, vals := range r.Header {
		lower := strings.ToLower(name)
		for _, v := range vals {
			hs = append(hs, Header{Name: lower, Value: v})
		}
	}
	slices.SortStableFunc(hs, func(a, b Header) int { return strings.Compare(a.Name, b.Name) })
	return hs
}

// queryParams returns the query parameters sorted by name.
func queryParams(u *url.URL) []Param {
	if u.RawQuery == "" {
		return nil
	}
	q := u.Query()
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range q {
			if !yield(n) {
				return
			}
		}
	})
	var ps []Param
	for _, n := range names {
		for _, v := range q[n] {
			ps = append(ps, Param{Name: n, Value: v})
		}
	}
	return ps
}

// writeText writes a plain-text response.
func writeText(w http.ResponseWriter, status int, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, text)
}

// writeResponse writes a handler's Response. A status outside 200..599
// becomes 500; a body on 204 or 304 is dropped; header lines that could
// inject headers or change the framing (Content-Length, Transfer-Encoding,
// Connection, ...) are dropped.
func writeResponse(w http.ResponseWriter, resp *Response, log *slog.Logger) {
	status := int(resp.Status)
	if status == 0 {
		status = http.StatusOK
	}
	if status < 200 || status > 599 { // 1xx cannot be a final response
		log.Warn("handler returned an invalid status", "status", status)
		writeText(w, http.StatusInternalServerError, "handler returned invalid status "+strconv.Itoa(status))
		return
	}
	h := w.Header()
	for _, kv := range resp.Headers {
		if kv.Name == "" || strings.ContainsAny(kv.Name, " :\r\n") || strings.ContainsAny(kv.Value, "\r\n") {
			continue // refuse header injection
		}
		switch strings.ToLower(kv.Name) {
		case "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer":
			continue // framing is the host's business
		}
		h.Add(kv.Name, kv.Value)
	}
	noBody := status == http.StatusNoContent || status == http.StatusNotModified
	if !noBody && len(resp.Body) > 0 {
		h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	}
	w.WriteHeader(status)
	if !noBody && len(resp.Body) > 0 {
		w.Write(resp.Body)
	}
}
