package runtimeadapters_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

type blob struct{ name string }

func newTables() (*ra.HandleSpace, *ra.HandleTable[*blob], *ra.HandleTable[uint32], *[]string) {
	var dropped []string
	space := ra.NewHandleSpace()
	blobs := ra.NewHandleTable("blob", space, func(_ context.Context, b *blob) error {
		dropped = append(dropped, b.name)
		if b.name == "bad" {
			return errors.New("close failed")
		}
		return nil
	})
	sessions := ra.NewHandleTable[uint32]("session", space, nil)
	return space, blobs, sessions, &dropped
}

func TestHandleOwnLifecycle(t *testing.T) {
	ctx := context.Background()
	space, blobs, _, dropped := newTables()
	h1, err := blobs.Own(&blob{"a"})
	if err != nil || h1 == 0 {
		t.Fatalf("Own = %d, %v (handle 0 is never valid)", h1, err)
	}
	h2, _ := blobs.Own(&blob{"b"})
	if blobs.Len() != 2 || space.Len() != 2 {
		t.Fatalf("Len = %d/%d", blobs.Len(), space.Len())
	}
	if b, err := blobs.Rep(h2); err != nil || b.name != "b" {
		t.Fatalf("Rep = %v, %v", b, err)
	}
	if err := blobs.Drop(ctx, h1); err != nil {
		t.Fatal(err)
	}
	if len(*dropped) != 1 || (*dropped)[0] != "a" {
		t.Fatalf("destructor calls: %v", *dropped)
	}
	// Double drop, use after drop.
	wantKind(t, blobs.Drop(ctx, h1), ra.ErrInvalidHandle, "already dropped")
	_, err = blobs.Rep(h1)
	wantKind(t, err, ra.ErrInvalidHandle, "not a live blob handle")
	// LIFO reuse of the freed index.
	h3, _ := blobs.Own(&blob{"c"})
	if h3 != h1 {
		t.Fatalf("freed index %d not reused, got %d", h1, h3)
	}
	// Take moves ownership out without the destructor.
	b, err := blobs.Take(h3)
	if err != nil || b.name != "c" || len(*dropped) != 1 {
		t.Fatalf("Take = %v, %v; dropped %v", b, err, *dropped)
	}
	_, err = blobs.Take(h3)
	wantKind(t, err, ra.ErrInvalidHandle, "")
	// Destructor errors are reported.
	hb, _ := blobs.Own(&blob{"bad"})
	err = blobs.Drop(ctx, hb)
	if err == nil || !strings.Contains(err.Error(), "close failed") {
		t.Fatalf("destructor error: %v", err)
	}
	if err := blobs.Drop(ctx, h2); err != nil {
		t.Fatal(err)
	}
	if blobs.Len() != 0 || space.Len() != 0 {
		t.Fatalf("leak: %d/%d", blobs.Len(), space.Len())
	}
}

func TestHandleForgedAndWrongType(t *testing.T) {
	ctx := context.Background()
	_, blobs, sessions, _ := newTables()
	for _, h := range []uint32{0, 1, 2, 1000, 0xffffffff} {
		_, err := blobs.Rep(h)
		wantKind(t, err, ra.ErrInvalidHandle, "")
		wantKind(t, blobs.Drop(ctx, h), ra.ErrInvalidHandle, "")
		_, _, err = blobs.Lend(h)
		wantKind(t, err, ra.ErrInvalidHandle, "")
		_, err = blobs.Take(h)
		wantKind(t, err, ra.ErrInvalidHandle, "")
	}
	hs, _ := sessions.Own(7)
	_, err := blobs.Rep(hs)
	wantKind(t, err, ra.ErrInvalidHandle, "is a session handle, not a blob handle")
	wantKind(t, blobs.Drop(ctx, hs), ra.ErrInvalidHandle, "session")
	hb, _ := blobs.Own(&blob{"x"})
	if hb == hs {
		t.Fatal("tables sharing a space must not hand out the same index")
	}
	_, err = sessions.Take(hb)
	wantKind(t, err, ra.ErrInvalidHandle, "is a blob handle, not a session handle")
	// Private spaces: each table numbers from 1.
	p := ra.NewHandleTable[int]("p", nil, nil)
	if h, _ := p.Own(1); h != 1 {
		t.Fatalf("private table first handle = %d", h)
	}
}

func TestHandleLend(t *testing.T) {
	ctx := context.Background()
	_, blobs, _, dropped := newTables()
	h, _ := blobs.Own(&blob{"a"})
	rep, tok, err := blobs.Lend(h)
	if err != nil || rep.name != "a" {
		t.Fatal(rep, err)
	}
	// While lent (during the call), the owner cannot drop or transfer it.
	wantKind(t, blobs.Drop(ctx, h), ra.ErrInvalidHandle, "outstanding borrows")
	_, err = blobs.Take(h)
	wantKind(t, err, ra.ErrInvalidHandle, "outstanding borrows")
	// Nested lends of the same handle.
	_, tok2, _ := blobs.Lend(h)
	blobs.EndLend(tok)
	wantKind(t, blobs.Drop(ctx, h), ra.ErrInvalidHandle, "1 outstanding")
	blobs.EndLend(tok2)
	blobs.EndLend(tok2) // extra ends are harmless
	blobs.EndLend(ra.Token{})
	if err := blobs.Drop(ctx, h); err != nil {
		t.Fatal(err)
	}
	if len(*dropped) != 1 {
		t.Fatal(*dropped)
	}
	// A stale token must not touch a handle that reused the index.
	h2, _ := blobs.Own(&blob{"b"})
	_, tok3, _ := blobs.Lend(h2)
	if h2 != h {
		t.Fatalf("index not reused")
	}
	blobs.EndLend(tok) // stale: from the dropped handle
	wantKind(t, blobs.Drop(ctx, h2), ra.ErrInvalidHandle, "outstanding")
	blobs.EndLend(tok3)
	if err := blobs.Drop(ctx, h2); err != nil {
		t.Fatal(err)
	}
}

func TestHandleLowerBorrow(t *testing.T) {
	ctx := context.Background()
	_, blobs, _, dropped := newTables()
	// The guest drops the borrow before returning: fine, no destructor.
	h, tok, err := blobs.LowerBorrow(&blob{"lent"})
	if err != nil {
		t.Fatal(err)
	}
	// A borrow handle cannot be taken as own.
	_, err = blobs.Take(h)
	wantKind(t, err, ra.ErrInvalidHandle, "is a borrow<blob>, not an own<blob>")
	// It can be lent onward (passing a borrow as a borrow) without a count.
	if _, tk, err := blobs.Lend(h); err != nil || tk != (ra.Token{}) {
		t.Fatalf("lend of a borrow: %v %v", tk, err)
	}
	if err := blobs.Drop(ctx, h); err != nil {
		t.Fatal(err)
	}
	if err := blobs.EndBorrow(tok); err != nil {
		t.Fatal(err)
	}
	if len(*dropped) != 0 {
		t.Fatalf("dropping a borrow ran the destructor: %v", *dropped)
	}
	// The guest forgets to drop it: EndBorrow reports and cleans up.
	h, tok, _ = blobs.LowerBorrow(&blob{"lent"})
	wantKind(t, blobs.EndBorrow(tok), ra.ErrInvalidHandle, "did not drop borrow<blob> handle")
	if blobs.Len() != 0 {
		t.Fatalf("borrow handle %d leaked", h)
	}
	if err := blobs.EndBorrow(tok); err != nil {
		t.Fatal("second EndBorrow must be a no-op:", err)
	}
}

func TestHandleDropAll(t *testing.T) {
	ctx := context.Background()
	space, blobs, sessions, dropped := newTables()
	blobs.Own(&blob{"a"})
	blobs.Own(&blob{"bad"})
	h, _ := blobs.Own(&blob{"c"})
	blobs.Lend(h)
	blobs.LowerBorrow(&blob{"borrowed"})
	sessions.Own(1)
	err := blobs.DropAll(ctx)
	if err == nil || !strings.Contains(err.Error(), "close failed") {
		t.Fatalf("DropAll error: %v", err)
	}
	if strings.Join(*dropped, ",") != "a,bad,c" {
		t.Fatalf("destructors: %v", *dropped)
	}
	if blobs.Len() != 0 || space.Len() != 1 {
		t.Fatalf("after DropAll: %d/%d", blobs.Len(), space.Len())
	}
}

func TestHandleZeroAlloc(t *testing.T) {
	ctx := context.Background()
	_, blobs, _, _ := newTables()
	b := &blob{"x"}
	// Warm up so the slices have capacity.
	h, _ := blobs.Own(b)
	_ = blobs.Drop(ctx, h)
	allocs := testing.AllocsPerRun(1000, func() {
		h, _ := blobs.Own(b)
		_, tok, _ := blobs.Lend(h)
		blobs.EndLend(tok)
		_, _ = blobs.Rep(h)
		_ = blobs.Drop(ctx, h)
		hb, tk, _ := blobs.LowerBorrow(b)
		_ = blobs.Drop(ctx, hb)
		_ = blobs.EndBorrow(tk)
	})
	if allocs != 0 {
		t.Fatalf("handle operations allocate: %v", allocs)
	}
}
