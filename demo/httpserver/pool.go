package httpserver

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrPoolClosed is returned by Pool.Get after Close.
var ErrPoolClosed = errors.New("instance pool closed")

// Pool holds up to Size instances of T (guest instances) so that concurrent
// requests never share one. Get hands out an idle instance or makes a new
// one with the factory while fewer than Size exist, and otherwise waits. The
// caller returns an instance with Put, or with Discard when it is broken (it
// trapped): the instance is closed and its slot freed, so the next Get that
// needs one creates a fresh replacement. A Pool is safe for concurrent use.
type Pool[T any] struct {
	factory func(context.Context) (T, error)
	closeFn func(T)
	slots   chan struct{} // one token per live (idle or in-use) instance

	mu      sync.Mutex
	idle    []T
	closed  bool
	created uint64
	dropped uint64
}

// PoolStats is a snapshot of a Pool's counters.
type PoolStats struct {
	Size      int    // the bound
	Idle      int    // instances waiting in the pool
	InUse     int    // instances handed out
	Created   uint64 // instances the factory made
	Discarded uint64 // instances Discard closed
}

// NewPool returns a pool of at most size instances (at least 1). closeFn
// (may be nil) releases a discarded instance and the idle ones at Close.
func NewPool[T any](size int, factory func(context.Context) (T, error), closeFn func(T)) *Pool[T] {
	size = max(size, 1)
	if closeFn == nil {
		closeFn = func(T) {}
	}
	return &Pool[T]{factory: factory, closeFn: closeFn, slots: make(chan struct{}, size)}
}

// Get returns an instance for exclusive use. It waits while Size instances
// are in use, until one is returned or ctx ends (the error then wraps
// ErrOverloaded and ctx's error).
func (p *Pool[T]) Get(ctx context.Context) (T, error) {
	var zero T
	select {
	case p.slots <- struct{}{}:
	default:
		select {
		case p.slots <- struct{}{}:
		case <-ctx.Done():
			return zero, fmt.Errorf("%w: %w", ErrOverloaded, context.Cause(ctx))
		}
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		<-p.slots
		return zero, ErrPoolClosed
	}
	if n := len(p.idle); n > 0 {
		inst := p.idle[n-1]
		p.idle[n-1] = zero
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return inst, nil
	}
	p.mu.Unlock()
	inst, err := p.factory(ctx)
	if err != nil {
		<-p.slots
		return zero, fmt.Errorf("creating instance: %w", err)
	}
	p.mu.Lock()
	p.created++
	p.mu.Unlock()
	return inst, nil
}

// release frees one slot; more releases than acquisitions is a caller bug.
func (p *Pool[T]) release() {
	select {
	case <-p.slots:
	default:
		panic("httpserver: Pool.Put or Discard without a matching Get")
	}
}

// Put returns a healthy instance, obtained from Get, to the pool.
func (p *Pool[T]) Put(inst T) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.closeFn(inst)
		p.release()
		return
	}
	p.idle = append(p.idle, inst)
	p.mu.Unlock()
	p.release()
}

// Discard closes a broken instance, obtained from Get, and frees its slot.
func (p *Pool[T]) Discard(inst T) {
	p.closeFn(inst)
	p.mu.Lock()
	p.dropped++
	p.mu.Unlock()
	p.release()
}

// Add puts an instance created outside the pool into it, such as the
// instance that ran the guest's init export (it called server.serve). It
// reports false, and closes inst, when the pool is full or closed.
func (p *Pool[T]) Add(inst T) bool {
	p.mu.Lock()
	// Slots count the instances in use (and being created); idle ones hold
	// none, so together they are the pool's instances.
	if p.closed || len(p.idle)+len(p.slots) >= cap(p.slots) {
		p.mu.Unlock()
		p.closeFn(inst)
		return false
	}
	p.idle = append(p.idle, inst)
	p.created++
	p.mu.Unlock()
	return true
}

// Close closes the idle instances; instances in use are closed when they are
// put back. Get fails with ErrPoolClosed afterwards.
func (p *Pool[T]) Close() {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	for _, inst := range idle {
		p.closeFn(inst)
	}
}

// Stats returns the pool's counters.
func (p *Pool[T]) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PoolStats{Size: cap(p.slots), Idle: len(p.idle), InUse: len(p.slots),
		Created: p.created, Discarded: p.dropped}
}

// PoolHandler is the Handler a runner uses for a guest: each request takes
// an instance from Pool, calls Call on it and gives it back. When Call fails
// with an error Keep rejects (a trap), or panics, the instance is discarded.
type PoolHandler[T any] struct {
	Pool *Pool[T]
	// Call invokes the guest's handle export on inst (the generated
	// bindings' HTTPHandler().Handle plus type conversion).
	Call func(ctx context.Context, inst T, handler string, req *Request) (*Response, error)
	// Keep reports whether the instance is still usable after err. Nil
	// keeps it only after success or a *HandlerError (the guest's own
	// http-error result); any other error discards it.
	Keep func(err error) bool
}

// Handle implements Handler.
func (h *PoolHandler[T]) Handle(ctx context.Context, handler string, req *Request) (resp *Response, err error) {
	inst, err := h.Pool.Get(ctx)
	if err != nil {
		return nil, err
	}
	keep := false
	defer func() {
		if r := recover(); r != nil {
			resp, err, keep = nil, fmt.Errorf("handler panicked: %v", r), false
		}
		if keep {
			h.Pool.Put(inst)
		} else {
			h.Pool.Discard(inst)
		}
	}()
	resp, err = h.Call(ctx, inst, handler, req)
	if h.Keep != nil {
		keep = h.Keep(err)
	} else {
		var he *HandlerError
		keep = err == nil || errors.As(err, &he)
	}
	return resp, err
}
