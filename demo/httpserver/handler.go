package httpserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// Header is one (name, value) pair; names are lower case.
type Header struct {
	Name, Value string
}

// Request is what a Handler receives; it mirrors the WIT record
// demo:slight/http-types.request.
type Request struct {
	Method  string   // upper case: GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS
	URI     string   // path and query as sent, e.g. "/person/yager?x=1"
	Headers []Header // sorted by name; includes "host"
	// Params holds the route parameters (pattern order) followed by the
	// query parameters (sorted by name, repeated names kept in order).
	Params []Param
	// Body is nil when the request has no body (WIT none), else the whole
	// body, at most Config.MaxBodyBytes.
	Body []byte
}

// Response is what a Handler returns; it mirrors the WIT record
// demo:slight/http-types.response.
type Response struct {
	Status  uint16   // 100..599; 0 means 200
	Headers []Header // nil: none
	Body    []byte   // nil: none
}

// Handler handles a routed request. handler is the name the route was
// registered with. A Handler returns either a Response or an error; see
// StatusOf for how errors become status codes. The guest-backed Handler is a
// PoolHandler around the generated bindings' Handle export.
type Handler interface {
	Handle(ctx context.Context, handler string, req *Request) (*Response, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, handler string, req *Request) (*Response, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, handler string, req *Request) (*Response, error) {
	return f(ctx, handler, req)
}

// ErrorKind is a case of the WIT variant http-error.
type ErrorKind int

// The cases of http-error, in WIT order.
const (
	InvalidURL ErrorKind = iota
	TimeoutError
	ProtocolError
	StatusError
	UnexpectedError
)

var kindNames = [...]string{"invalid-url", "timeout-error", "protocol-error", "status-error", "unexpected-error"}

// String returns the WIT case name.
func (k ErrorKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// HandlerError is an http-error returned by the guest's handler (as opposed
// to a trap). It is an ordinary outcome: the instance stays in the pool.
type HandlerError struct {
	Kind    ErrorKind
	Message string // the string payload (all cases but status-error)
	Status  uint16 // the payload of status-error
}

func (e *HandlerError) Error() string {
	if e.Kind == StatusError {
		return fmt.Sprintf("handler error %s(%d)", e.Kind, e.Status)
	}
	return fmt.Sprintf("handler error %s: %s", e.Kind, e.Message)
}

// HTTPStatus maps the error to a status code: invalid-url 400,
// timeout-error 504, protocol-error 502, status-error(s) s (500 unless s is
// 400..599), unexpected-error 500.
func (e *HandlerError) HTTPStatus() int {
	switch e.Kind {
	case InvalidURL:
		return http.StatusBadRequest
	case TimeoutError:
		return http.StatusGatewayTimeout
	case ProtocolError:
		return http.StatusBadGateway
	case StatusError:
		if e.Status >= 400 && e.Status <= 599 {
			return int(e.Status)
		}
	}
	return http.StatusInternalServerError
}

// StatusCoder is implemented by errors that choose their status code.
type StatusCoder interface {
	HTTPStatus() int
}

// Errors with a fixed status.
var (
	// ErrOverloaded: no guest instance became free in time (503).
	ErrOverloaded = errors.New("no handler instance available")
	// ErrHandlerTimeout: the handler did not finish within
	// Config.HandlerTimeout (504).
	ErrHandlerTimeout = errors.New("handler timed out")
)

// StatusOf returns the status code and response body for a handler error:
// a StatusCoder chooses its status and a *HandlerError's message is the
// body; a timeout is 504, an exhausted pool 503, and anything else (a trap,
// a broken instance) 500 with a generic body, so guest internals do not
// leak to clients.
func StatusOf(err error) (int, string) {
	var he *HandlerError
	if errors.As(err, &he) {
		st := he.HTTPStatus()
		if he.Kind == StatusError || he.Message == "" {
			return st, http.StatusText(st)
		}
		return st, he.Message
	}
	var sc StatusCoder
	if errors.As(err, &sc) {
		st := sc.HTTPStatus()
		if st < 400 || st > 599 {
			st = http.StatusInternalServerError
		}
		return st, http.StatusText(st)
	}
	switch {
	case errors.Is(err, ErrOverloaded), errors.Is(err, ErrPoolClosed):
		return http.StatusServiceUnavailable, http.StatusText(http.StatusServiceUnavailable)
	case errors.Is(err, ErrHandlerTimeout), errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, ErrHandlerTimeout.Error()
	}
	return http.StatusInternalServerError, http.StatusText(http.StatusInternalServerError)
}
