package difftest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// TestOracleTypeCheck: a Go value that does not fit the WIT type of an
// oracle call is a clear test error (co.ErrType, naming the argument),
// found on the Go side before wasmtime sees the value, and the oracle's
// instance stays usable. For every parameter of every guest export of the
// kitchen-sink component (resources included), the test passes a value of
// the wrong kind, and a wrong value nested inside a valid one where the
// type has structure.
func TestOracleTypeCheck(t *testing.T) {
	o := newOracle(t)
	counter, err := o.inst.Call(guestIface+"#[constructor]counter", co.U32(1))
	if err != nil {
		t.Fatal(err)
	}
	// valid is a value of t (any one will do).
	var valid func(t *typ) co.Value
	valid = func(t *typ) co.Value {
		switch t.kind {
		case co.KindResource:
			if t.res == "blob" {
				return co.HostBorrow(1, blobType)
			}
			return counter[0].Res.Borrow()
		case co.KindList:
			return co.List(valid(t.elem))
		case co.KindOption:
			return co.Some(valid(t.elem))
		case co.KindResult:
			if t.ok != nil {
				return co.Ok(co.Ptr(valid(t.ok)))
			}
			return co.Ok(nil)
		case co.KindTuple, co.KindRecord:
			v := co.Value{Kind: t.kind}
			for _, f := range t.fields {
				if t.kind == co.KindTuple {
					v.Elems = append(v.Elems, valid(f.t))
				} else {
					v.Fields = append(v.Fields, co.Field{Name: f.name, Value: valid(f.t)})
				}
			}
			return v
		case co.KindVariant:
			c := t.cases[0]
			if c.t == nil {
				return co.Variant(c.name, nil)
			}
			return co.Variant(c.name, co.Ptr(valid(c.t)))
		case co.KindEnum:
			return co.Enum(t.cases[0].name)
		case co.KindFlags:
			return co.Flags(t.flags[0])
		}
		return co.Value{Kind: t.kind}
	}
	wrong := func(t *typ) co.Value {
		if t.kind == co.KindBool {
			return co.U8(1)
		}
		return co.Bool(true)
	}
	cases := 0
	for _, f := range kitchenSink().exports {
		for k, p := range f.params {
			args := make([]co.Value, len(f.params))
			for i, q := range f.params {
				args[i] = valid(q.t)
			}
			bad := []co.Value{wrong(p.t)}
			// Nested: a list element, a record field, an option payload.
			switch p.t.kind {
			case co.KindList:
				bad = append(bad, co.List(valid(p.t.elem), wrong(p.t.elem)))
			case co.KindRecord:
				v := valid(p.t)
				v.Fields[len(v.Fields)-1].Value = wrong(p.t.fields[len(v.Fields)-1].t)
				bad = append(bad, v)
			case co.KindOption:
				bad = append(bad, co.Some(wrong(p.t.elem)))
			case co.KindResource:
				// The other resource type, and (for own) a borrow.
				if p.t.res == "blob" {
					bad = append(bad, counter[0].Res.Handle())
				} else {
					bad = append(bad, co.HostOwn(1, blobType))
				}
				if !p.t.borrow && p.t.res == "blob" {
					bad = append(bad, co.HostBorrow(1, blobType))
				}
			}
			for _, b := range bad {
				args[k] = b
				_, err := o.inst.Call(guestIface+"#"+f.name, args...)
				want := fmt.Sprintf("argument %d (%s)", k, p.name)
				if !errors.Is(err, co.ErrType) || !strings.Contains(err.Error(), want) {
					t.Errorf("%s with %s = %v: %v; want co.ErrType naming %s", f.name, p.name, b, err, want)
				}
				cases++
			}
		}
	}
	if _, err := o.inst.Call(guestIface+"#[method]counter.get", counter[0].Res.Borrow()); err != nil {
		t.Fatalf("the instance is unusable after %d refused calls: %v", cases, err)
	}
	t.Logf("%d ill-typed calls refused with co.ErrType, instance still usable", cases)
}
