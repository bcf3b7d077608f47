package runtimeadapters_test

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"
	"unicode/utf8"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// FuzzLiftString feeds arbitrary guest memory and (ptr, len) pairs to the
// lifting helpers. They must never panic, and must agree with a reference
// model on what is valid.
func FuzzLiftString(f *testing.F) {
	f.Add([]byte("hello"), uint32(0), uint32(5), uint32(4))
	f.Add([]byte("\xed\xa0\x80"), uint32(0), uint32(3), uint32(8))
	f.Add([]byte{}, uint32(0xffffffff), uint32(1), uint32(1))
	f.Add([]byte("abcdefgh"), uint32(4), uint32(0xfffffffc), uint32(2))
	f.Fuzz(func(t *testing.T, memory []byte, ptr, n, elem uint32) {
		mem := &ra.SliceMemory{B: memory}
		inBounds := uint64(ptr)+uint64(n) <= uint64(len(memory))

		s, err := ra.LiftString(mem, ptr, n)
		switch {
		case !inBounds:
			if !errors.Is(err, ra.ErrOutOfBounds) && !errors.Is(err, ra.ErrTooLarge) {
				t.Fatalf("out of bounds (%d+%d > %d) not reported: %v", ptr, n, len(memory), err)
			}
		case !utf8.Valid(memory[ptr : ptr+n]):
			if !errors.Is(err, ra.ErrInvalidUTF8) {
				t.Fatalf("invalid UTF-8 not reported: %v", err)
			}
		case err != nil:
			t.Fatalf("valid string rejected: %v", err)
		case s != string(memory[ptr:ptr+n]):
			t.Fatalf("wrong string")
		}

		b, err := ra.LiftBytes(mem, ptr, n)
		if inBounds != (err == nil) || (err == nil && string(b) != string(memory[ptr:ptr+n])) {
			t.Fatalf("LiftBytes(%d, %d) on %d bytes: %v", ptr, n, len(memory), err)
		}

		// list<u32>: alignment and n*4 overflow.
		listOK := ptr%4 == 0 && uint64(ptr)+4*uint64(n) <= uint64(len(memory))
		xs, err := ra.LiftScalarList[uint32](mem, ptr, n)
		if listOK != (err == nil) {
			t.Fatalf("LiftScalarList(%d, %d) on %d bytes: %v", ptr, n, len(memory), err)
		}
		if err == nil && n > 0 && xs[0] != binary.LittleEndian.Uint32(memory[ptr:]) {
			t.Fatal("wrong list element")
		}
		_ = ra.CheckList(mem, ptr, n, elem, 1)

		// A hostile cabi_realloc returning ptr for an allocation of n bytes.
		align := uint32(1) << (elem % 4)
		got, err := ra.Realloc(context.Background(), mem, constRealloc(ptr), make([]uint64, 4), 0, 0, align, n)
		reallocOK := ptr%align == 0 && uint64(ptr)+uint64(n) <= uint64(len(memory))
		if reallocOK != (err == nil) || (err == nil && got != ptr) {
			t.Fatalf("Realloc returning %#x for %d bytes (align %d) in %d bytes: %v", ptr, n, align, len(memory), err)
		}
		if n <= 64 { // LowerString needs a string of n bytes
			_, _, err := ra.LowerString(context.Background(), mem, constRealloc(ptr), nil, string(make([]byte, n)))
			if (uint64(ptr)+uint64(n) <= uint64(len(memory))) != (err == nil) {
				t.Fatalf("LowerString into %#x+%d of %d bytes: %v", ptr, n, len(memory), err)
			}
		}
		_, _ = ra.LiftChar(n)
		_, _ = ra.LiftDiscriminant("v", ptr, n)
	})
}

// FuzzHandleTable runs arbitrary sequences of handle operations, with
// arbitrary (often forged) handle indices taken from the fuzz input, against
// a reference model of live handles. No sequence may panic, leak or let an
// own handle be dropped while lent.
func FuzzHandleTable(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 3, 1, 4, 1, 2, 1})
	f.Add([]byte{6, 0, 2, 1, 7, 0, 5, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		ctx := context.Background()
		space := ra.NewHandleSpace()
		destroyed := map[int]bool{}
		a := ra.NewHandleTable("a", space, func(_ context.Context, rep int) error {
			if destroyed[rep] {
				t.Fatalf("rep %d destroyed twice", rep)
			}
			destroyed[rep] = true
			return nil
		})
		b := ra.NewHandleTable[int]("b", space, nil)
		type model struct {
			own   bool
			rep   int
			lends int
			tok   ra.Token // of a borrow handle
		}
		live := map[uint32]model{}
		var toks []ra.Token
		var borrows []ra.Token
		next := 0
		for i := 0; i+1 < len(ops); i += 2 {
			op, h := ops[i]%9, uint32(ops[i+1])
			m, ok := live[h]
			switch op {
			case 0:
				next++
				nh, err := a.Own(next)
				if err != nil || nh == 0 || live[nh] != (model{}) {
					t.Fatalf("Own gave %d, %v", nh, err)
				}
				live[nh] = model{own: true, rep: next}
			case 1:
				err := a.Drop(ctx, h)
				if ok && (!m.own || m.lends == 0) {
					if err != nil {
						t.Fatalf("Drop(%d) of %+v: %v", h, m, err)
					}
					delete(live, h)
				} else if err == nil {
					t.Fatalf("Drop(%d) of %+v (live=%v) succeeded", h, m, ok)
				}
			case 2:
				rep, err := a.Take(h)
				if ok && m.own && m.lends == 0 {
					if err != nil || rep != m.rep {
						t.Fatalf("Take(%d): %v", h, err)
					}
					delete(live, h)
				} else if err == nil {
					t.Fatalf("Take(%d) of %+v (live=%v) succeeded", h, m, ok)
				}
			case 3:
				rep, tok, err := a.Lend(h)
				if ok != (err == nil) || (ok && rep != m.rep) {
					t.Fatalf("Lend(%d): %v", h, err)
				}
				if ok && m.own {
					m.lends++
					live[h] = m
					toks = append(toks, tok)
				}
			case 4:
				if len(toks) > 0 {
					tok := toks[len(toks)-1]
					toks = toks[:len(toks)-1]
					a.EndLend(tok)
					lm := live[tok.Handle()]
					if !lm.own || lm.lends == 0 {
						t.Fatalf("lent handle %d vanished: %+v", tok.Handle(), lm)
					}
					lm.lends--
					live[tok.Handle()] = lm
				}
			case 5:
				next++
				nh, tok, err := a.LowerBorrow(next)
				if err != nil {
					t.Fatal(err)
				}
				live[nh] = model{rep: next, tok: tok}
				borrows = append(borrows, tok)
			case 6:
				if len(borrows) > 0 {
					tok := borrows[0]
					borrows = borrows[1:]
					err := a.EndBorrow(tok)
					if lm, ok := live[tok.Handle()]; ok && !lm.own && lm.tok == tok {
						if err == nil {
							t.Fatal("undropped borrow not reported")
						}
						delete(live, tok.Handle())
					} else if err != nil {
						t.Fatalf("EndBorrow of a dropped borrow: %v", err)
					}
				}
			case 7:
				// Handles of the other type are never valid in a.
				nh, _ := b.Own(int(h))
				if _, err := a.Rep(nh); err == nil {
					t.Fatal("wrong-type handle accepted")
				}
				_ = b.Drop(ctx, nh)
			case 8:
				_, err := a.Rep(h)
				if ok != (err == nil) {
					t.Fatalf("Rep(%d) live=%v: %v", h, ok, err)
				}
			}
			if a.Len() != len(live) {
				t.Fatalf("Len = %d, model has %d", a.Len(), len(live))
			}
		}
		if err := a.DropAll(ctx); err != nil {
			t.Fatal(err)
		}
		if a.Len() != 0 || space.Len() != 0 {
			t.Fatal("leak after DropAll")
		}
	})
}
