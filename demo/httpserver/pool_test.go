package httpserver

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type counted struct {
	id     int
	closed atomic.Bool
}

func newCountedPool(size int) (*Pool[*counted], *atomic.Int32) {
	var n atomic.Int32
	p := NewPool(size, func(context.Context) (*counted, error) {
		return &counted{id: int(n.Add(1))}, nil
	}, func(c *counted) { c.closed.Store(true) })
	return p, &n
}

func TestPoolReuseAndBound(t *testing.T) {
	ctx := context.Background()
	p, made := newCountedPool(2)
	a, _ := p.Get(ctx)
	p.Put(a)
	a2, _ := p.Get(ctx)
	if a2 != a {
		t.Fatal("idle instance not reused")
	}
	b, _ := p.Get(ctx)
	if st := p.Stats(); st.InUse != 2 || st.Idle != 0 || st.Created != 2 {
		t.Fatalf("stats %+v", st)
	}
	// Full: Get waits until ctx ends.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := p.Get(short); !errors.Is(err, ErrOverloaded) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get on a full pool: %v", err)
	}
	if st, _ := StatusOf(errors.Join(ErrOverloaded)); st != 503 {
		t.Fatalf("overloaded status %d", st)
	}
	// A waiting Get gets the instance put back.
	got := make(chan *counted)
	go func() {
		c, _ := p.Get(ctx)
		got <- c
	}()
	time.Sleep(20 * time.Millisecond)
	p.Put(b)
	if c := <-got; c != b {
		t.Fatal("waiter did not get the returned instance")
	}
	if made.Load() != 2 {
		t.Fatalf("factory called %d times", made.Load())
	}
}

func TestPoolDiscardReplaces(t *testing.T) {
	ctx := context.Background()
	p, made := newCountedPool(1)
	a, _ := p.Get(ctx)
	p.Discard(a)
	if !a.closed.Load() {
		t.Fatal("discarded instance not closed")
	}
	b, err := p.Get(ctx)
	if err != nil || b == a || made.Load() != 2 {
		t.Fatalf("no replacement: %v %v %d", err, b == a, made.Load())
	}
	if st := p.Stats(); st.Discarded != 1 || st.Created != 2 || st.InUse != 1 {
		t.Fatalf("stats %+v", st)
	}
	p.Put(b)
	p.Close()
	if !b.closed.Load() {
		t.Fatal("Close did not close idle instances")
	}
	if _, err := p.Get(ctx); !errors.Is(err, ErrPoolClosed) {
		t.Fatalf("Get after Close: %v", err)
	}
}

func TestPoolFactoryErrorFreesSlot(t *testing.T) {
	fail := true
	p := NewPool(1, func(context.Context) (int, error) {
		if fail {
			return 0, errors.New("compile failed")
		}
		return 7, nil
	}, nil)
	if _, err := p.Get(context.Background()); err == nil {
		t.Fatal("factory error not returned")
	}
	fail = false
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if v, err := p.Get(ctx); err != nil || v != 7 {
		t.Fatalf("slot leaked after factory error: %v %v", v, err)
	}
}

func TestPoolConcurrentExclusive(t *testing.T) {
	ctx := context.Background()
	p, made := newCountedPool(4)
	var busy [64]atomic.Bool
	var wg sync.WaitGroup
	var bad atomic.Int32
	for range 16 {
		wg.Go(func() {
			for range 200 {
				c, err := p.Get(ctx)
				if err != nil {
					bad.Add(1)
					return
				}
				if !busy[c.id].CompareAndSwap(false, true) {
					bad.Add(1)
				}
				busy[c.id].Store(false)
				if c.id%3 == 0 {
					p.Discard(c)
				} else {
					p.Put(c)
				}
			}
		})
	}
	wg.Wait()
	if bad.Load() != 0 {
		t.Fatalf("%d instances handed out twice or errors", bad.Load())
	}
	st := p.Stats()
	if st.InUse != 0 || st.Idle > 4 || int(made.Load())-int(st.Discarded) > 4 {
		t.Fatalf("bound violated: %+v, made %d", st, made.Load())
	}
}

func TestPoolHandlerDiscardsOnTrapAndPanic(t *testing.T) {
	ctx := context.Background()
	p, _ := newCountedPool(1)
	h := &PoolHandler[*counted]{Pool: p, Call: func(_ context.Context, c *counted, name string, _ *Request) (*Response, error) {
		switch name {
		case "ok":
			return &Response{Status: 200}, nil
		case "http-error":
			return nil, &HandlerError{Kind: StatusError, Status: 404}
		case "trap":
			return nil, errors.New("wasm trap: unreachable")
		}
		panic("boom")
	}}
	ids := func() int {
		c, _ := p.Get(ctx)
		defer p.Put(c)
		return c.id
	}
	first := ids()
	for _, name := range []string{"ok", "http-error"} {
		h.Handle(ctx, name, &Request{})
		if ids() != first {
			t.Fatalf("%s: instance replaced", name)
		}
	}
	if _, err := h.Handle(ctx, "trap", &Request{}); err == nil {
		t.Fatal("trap not returned")
	}
	second := ids()
	if second == first {
		t.Fatal("trapped instance kept")
	}
	if _, err := h.Handle(ctx, "panic", &Request{}); err == nil {
		t.Fatal("panic not turned into an error")
	}
	if ids() == second {
		t.Fatal("panicked instance kept")
	}
	if st := p.Stats(); st.Discarded != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestPoolAddAndMisuse(t *testing.T) {
	ctx := context.Background()
	p, made := newCountedPool(2)
	first := &counted{id: 100}
	if !p.Add(first) {
		t.Fatal("Add to an empty pool refused")
	}
	if c, _ := p.Get(ctx); c != first {
		t.Fatal("added instance not handed out")
	}
	if !p.Add(&counted{id: 101}) {
		t.Fatal("Add with one free slot refused")
	}
	extra := &counted{id: 102}
	if p.Add(extra) || !extra.closed.Load() {
		t.Fatal("Add to a full pool accepted or did not close the instance")
	}
	if st := p.Stats(); st.Created != 2 || made.Load() != 0 {
		t.Fatalf("stats %+v", st)
	}
	p.Put(first)
	defer func() {
		if recover() == nil {
			t.Fatal("Put without Get did not panic")
		}
	}()
	p.Put(first)
	p.Put(first)
}
