package jsguest

import (
	"bytes"
	"context"
	"testing"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
)

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func wantU32(t *testing.T, what string, got uint32, err error, want uint32) {
	t.Helper()
	if err != nil || got != want {
		t.Fatalf("%s = %d, %v; want %d", what, got, err, want)
	}
}

// testCounter exercises the guest-implemented resource counter: the
// constructor and static functions, methods, borrows (the same counter
// twice), consume-counter (ownership moves to the guest), Drop, double
// Drop and use after give-away.
func testCounter(t *testing.T, f *ksFixture) {
	ctx := context.Background()
	g := f.g
	a := must[*ks.Counter](t, "new counter(5)")(g.NewCounter(ctx, 5))
	n, err := a.Get(ctx)
	wantU32(t, "a.get", n, err, 5)
	n, err = a.Increment(ctx, 3)
	wantU32(t, "a.increment(3)", n, err, 8)
	if s, err := a.Label(ctx); err != nil || s != "counter=8" {
		t.Fatalf("a.label = %q, %v", s, err)
	}
	z := must[*ks.Counter](t, "counter.zero")(g.CounterZero(ctx))
	n, err = z.Get(ctx)
	wantU32(t, "zero.get", n, err, 0)
	m := must[*ks.Counter](t, "counter.merge(a, z)")(g.CounterMerge(ctx, a, z))
	n, err = m.Get(ctx)
	wantU32(t, "merge(a, zero).get", n, err, 8)
	mm := must[*ks.Counter](t, "counter.merge(a, a)")(g.CounterMerge(ctx, a, a))
	n, err = mm.Get(ctx)
	wantU32(t, "merge(a, a).get", n, err, 16)
	n, err = a.Get(ctx) // still ours after being borrowed
	wantU32(t, "a.get after borrows", n, err, 8)

	c := must[*ks.Counter](t, "new counter(41)")(g.NewCounter(ctx, 41))
	if _, err := c.Increment(ctx, 1); err != nil {
		t.Fatal(err)
	}
	n, err = g.ConsumeCounter(ctx, c)
	wantU32(t, "consume-counter", n, err, 42)
	if _, err := c.Get(ctx); err == nil {
		t.Fatal("a counter given away to consume-counter still answers get")
	}
	if err := c.Drop(ctx); err == nil {
		t.Fatal("dropping a counter given away succeeded")
	}
	for _, x := range []*ks.Counter{a, z, m, mm} {
		if err := x.Drop(ctx); err != nil {
			t.Fatalf("drop: %v", err)
		}
	}
	if err := a.Drop(ctx); err == nil {
		t.Fatal("double drop succeeded")
	}
	// The instance still works.
	n, err = g.EchoU32(ctx, 7)
	wantU32(t, "echo-u32 after the counters", n, err, 7)
	// componentize-js lifts the own<counter> that consume-counter receives
	// into a JS object and drops its handle ([resource-drop]counter) only
	// when SpiderMonkey's GC runs a FinalizationRegistry callback; JS has no
	// way to drop it at once (the C guest does). So the guest may still hold
	// that one handle: legal in the component model, where the callee owns
	// it now. A fresh instance keeps it out of the next checks.
	switch n := ks.LiveHandles(f.in); n {
	case 0:
	case 1:
		t.Logf("the guest still holds the consumed counter's handle (dropped on JS GC)")
	default:
		t.Fatalf("after the counters: %d live handles, want at most 1", n)
	}
	f.renew(t)
	f.checkClean(t, "the counters")
}

// testBlob exercises the host-implemented resource blob: created by the
// guest (constructor, static merge, make-blob), borrowed by exports and
// imports (the same blob twice), owned and passed both ways, dropped by
// the guest. Every blob is dropped exactly once in the end.
func testBlob(t *testing.T, f *ksFixture) {
	ctx := context.Background()
	g, h := f.g, f.h
	created := h.created
	data := []byte("blob data \x00\xff")

	if got := must[[]byte](t, "blob-roundtrip")(g.BlobRoundtrip(ctx, data)); !bytes.Equal(got, append(append([]byte{}, data...), data...)) {
		t.Fatalf("blob-roundtrip = %q", got)
	}
	f.checkClean(t, "blob-roundtrip")

	a, b := h.newBlob([]byte("aaa")), h.newBlob([]byte("bb"))
	n, err := g.BlobSize(ctx, a)
	wantU32(t, "blob-size(a)", n, err, 3)
	n, err = g.BlobLen(ctx, b)
	wantU32(t, "blob-len(b)", n, err, 2)
	merged := must[ks.Blob](t, "blob-merge(a, b)")(g.BlobMerge(ctx, a, b))
	if d := merged.(*blob).data; string(d) != "aaabb" {
		t.Fatalf("blob-merge(a, b) holds %q", d)
	}
	twice := must[ks.Blob](t, "blob-merge(a, a)")(g.BlobMerge(ctx, a, a))
	if d := twice.(*blob).data; string(d) != "aaaaaa" {
		t.Fatalf("blob-merge(a, a) holds %q", d)
	}
	if a.dropped || b.dropped {
		t.Fatal("a borrowed blob was dropped")
	}

	p := h.newBlob([]byte("pass"))
	if back := must[ks.Blob](t, "blob-pass")(g.BlobPass(ctx, p)); back != ks.Blob(p) {
		t.Fatalf("blob-pass returned %#v, want the same blob %p", back, p)
	}
	if p.dropped {
		t.Fatal("blob-pass dropped the blob it returned")
	}

	tk := h.newBlob([]byte("take me"))
	if got := must[[]byte](t, "blob-take")(g.BlobTake(ctx, tk)); string(got) != "take me" {
		t.Fatalf("blob-take = %q", got)
	}
	if !tk.dropped {
		t.Fatal("blob-take did not drop the blob it owned")
	}

	made := must[ks.Blob](t, "blob-make")(g.BlobMake(ctx, data))
	if d := made.(*blob).data; !bytes.Equal(d, data) {
		t.Fatalf("blob-make holds %q", d)
	}
	if got := must[[]byte](t, "blob-consume")(g.BlobConsume(ctx, data)); !bytes.Equal(got, data) {
		t.Fatalf("blob-consume = %q", got)
	}

	// The host owns a, b, p and what merge and make returned.
	for _, x := range []ks.Blob{a, b, merged, twice, p, made} {
		if err := x.Drop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	f.checkClean(t, "the blobs")
	t.Logf("%d blobs created and dropped", h.created-created)
	if h.created-created != 9 {
		t.Errorf("%d blobs created, want 9", h.created-created)
	}
}
