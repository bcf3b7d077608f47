package handles_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/golden/handles"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

type counter struct {
	handles.UnimplementedCounter
	n       uint32
	dropped *int
}

func (c *counter) Inc(ctx context.Context) (uint32, error) { c.n++; return c.n, nil }
func (c *counter) Drop(ctx context.Context) error          { *c.dropped++; return nil }

type host struct {
	handles.UnimplementedHostRes
	dropped  int
	consumed []*counter
}

func (h *host) NewCounter(ctx context.Context, start uint32) (handles.Counter, error) {
	return &counter{n: start, dropped: &h.dropped}, nil
}

func (h *host) Total(ctx context.Context, c handles.Counter) (uint32, error) {
	return c.(*counter).n, nil
}

func (h *host) Consume(ctx context.Context, c handles.Counter) (uint32, error) {
	h.consumed = append(h.consumed, c.(*counter))
	return c.(*counter).n + 1, nil
}

func setup(t *testing.T) (*handles.HandlesInstance, *host) {
	t.Helper()
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	wasm, err := os.ReadFile("testdata/guest.wasm")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := handles.NewHandles(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	h := &host{}
	in, err := w.Instantiate(ctx, handles.Imports{HostRes: h})
	if err != nil {
		t.Fatal(err)
	}
	return in, h
}

func TestHostResources(t *testing.T) {
	ctx := context.Background()
	in, h := setup(t)
	g := in.GuestRes()

	// The guest calls the host's constructor and hands the own back.
	c, err := g.MakeCounter(ctx, 41)
	if err != nil {
		t.Fatal(err)
	}
	if c.(*counter).n != 41 {
		t.Fatalf("counter = %d", c.(*counter).n)
	}
	// A borrow lowered into the guest, used for a method and dropped.
	v, err := g.Peek(ctx, c)
	if err != nil || v != 42 {
		t.Fatalf("Peek = %d, %v; want 42", v, err)
	}
	// Own handles inside the guest: inc (borrow of an own), total (borrow),
	// consume (own moves to the host).
	v, err = g.UseHost(ctx, 5)
	if err != nil || v != 6*1000+7 {
		t.Fatalf("UseHost = %d, %v; want 6007", v, err)
	}
	if len(h.consumed) != 1 || h.dropped != 0 {
		t.Fatalf("consumed %d, dropped %d", len(h.consumed), h.dropped)
	}
	// The consumed handle is gone from the guest's table.
	if _, err := g.UseAfterConsume(ctx); !errors.Is(err, runtimeadapters.ErrInvalidHandle) {
		t.Errorf("use after consume: %v, want ErrInvalidHandle", err)
	}
}

func TestLeakedBorrow(t *testing.T) {
	ctx := context.Background()
	in, h := setup(t)
	c, _ := h.NewCounter(ctx, 0)
	err := in.GuestRes().LeakBorrow(ctx, c)
	if !errors.Is(err, runtimeadapters.ErrInvalidHandle) {
		t.Errorf("leaked borrow: %v, want ErrInvalidHandle", err)
	}
}

func TestGuestResources(t *testing.T) {
	ctx := context.Background()
	in, _ := setup(t)
	g := in.GuestRes()
	a, err := g.NewAcc(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.NewAcc(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := a.Add(ctx, 1); err != nil || v != 11 {
		t.Fatalf("Add = %d, %v; want 11", v, err)
	}
	// b is passed as own: the guest drops it, running its destructor.
	if v, err := g.Sum(ctx, a, b); err != nil || v != 16 {
		t.Fatalf("Sum = %d, %v; want 16", v, err)
	}
	if n, _ := g.DtorCalls(ctx); n != 1 {
		t.Errorf("dtor calls after Sum = %d, want 1", n)
	}
	// b was given away.
	if _, err := b.Add(ctx, 1); err == nil {
		t.Error("Add on a handle given to the guest succeeded")
	}
	// The host drops a.
	if err := a.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := g.DtorCalls(ctx); n != 2 {
		t.Errorf("dtor calls after Drop = %d, want 2", n)
	}
	if err := a.Drop(ctx); err == nil {
		t.Error("second Drop succeeded")
	}
}

// BenchmarkScalarExport calls a guest method with scalar arguments; it must
// not allocate.
func BenchmarkScalarExport(b *testing.B) {
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{IgnoreContextDone: true})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close(ctx)
	wasm, _ := os.ReadFile("testdata/guest.wasm")
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		b.Fatal(err)
	}
	w, err := handles.NewHandles(ctx, rt, mod)
	if err != nil {
		b.Fatal(err)
	}
	in, err := w.Instantiate(ctx, handles.Imports{HostRes: &host{}})
	if err != nil {
		b.Fatal(err)
	}
	a, err := in.GuestRes().NewAcc(ctx, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Add(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScalarImport has the guest call a host method with scalar
// arguments (peek: lower a borrow, guest calls inc, drops the borrow).
func BenchmarkScalarImport(b *testing.B) {
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{IgnoreContextDone: true})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close(ctx)
	wasm, _ := os.ReadFile("testdata/guest.wasm")
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		b.Fatal(err)
	}
	w, err := handles.NewHandles(ctx, rt, mod)
	if err != nil {
		b.Fatal(err)
	}
	h := &host{}
	in, err := w.Instantiate(ctx, handles.Imports{HostRes: h})
	if err != nil {
		b.Fatal(err)
	}
	c, _ := h.NewCounter(ctx, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := in.GuestRes().Peek(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScalarExportBaseline does by hand what BenchmarkScalarExport's
// generated wrapper does: call the export through the adapter with a
// reused stack.
func BenchmarkScalarExportBaseline(b *testing.B) {
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{IgnoreContextDone: true})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close(ctx)
	wasm, _ := os.ReadFile("testdata/guest.wasm")
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		b.Fatal(err)
	}
	w, err := handles.NewHandles(ctx, rt, mod)
	if err != nil {
		b.Fatal(err)
	}
	in, err := w.Instantiate(ctx, handles.Imports{HostRes: &host{}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := in.GuestRes().NewAcc(ctx, 0); err != nil { // rep 1
		b.Fatal(err)
	}
	fn := in.Instance().Function("test:handles/guest-res#[method]acc.add")
	stack := make([]uint64, 2)
	b.ReportAllocs()
	for b.Loop() {
		stack[0], stack[1] = 1, 1
		if err := fn.Call(ctx, stack); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNilHandle(t *testing.T) {
	ctx := context.Background()
	in, _ := setup(t)
	var a *handles.Acc
	if _, err := a.Add(ctx, 1); !errors.Is(err, runtimeadapters.ErrBadCall) {
		t.Errorf("Add on nil: %v", err)
	}
	if _, err := in.GuestRes().Peek(ctx, nil); !errors.Is(err, runtimeadapters.ErrBadCall) {
		t.Errorf("Peek(nil): %v", err)
	}
}
