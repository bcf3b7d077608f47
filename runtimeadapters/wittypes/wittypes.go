// Package wittypes holds the Go value types of WIT's option, result and
// error-carrying results, shared by host and guest bindings.
//
// It is kept free of fmt, reflect and os (it imports only strconv and
// an internal hook), because Go guests (GOOS=wasip1) link it: a guest that
// imported the host-side package runtimeadapters for these types linked fmt,
// reflect and os with it, which made the demo's http-server guest 0.75 MB
// larger and made wazero's interpreter keep about 16 MB more compiled code on
// the host's heap. TestNoHeavyDeps guards the import graph.
//
// Package runtimeadapters re-exports every name here as a type alias or a
// thin wrapper, so host code written against runtimeadapters.Option and
// friends keeps compiling, and the types are identical: a
// runtimeadapters.Option[int] is a wittypes.Option[int].
//
// Formatting (the String and Error methods) matches fmt's %v when
// runtimeadapters is linked (as in any host). Without it (a guest), strings,
// booleans, integers, floats, errors and values with a String method are
// formatted the same way, and other types print as "?".
package wittypes

import (
	"strconv"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/internal/witfmt"
)

// SupportsVersion1 is referenced by generated guest code as
//
//	const _ = wittypes.SupportsVersion1
//
// so that bindings that need a newer support package fail at compile time.
const SupportsVersion1 = true

// Option is WIT's option<T>. The zero value is none. Options nest without
// losing information: Option[Option[T]] distinguishes none, some(none) and
// some(some(v)).
type Option[T any] struct {
	value T
	some  bool
}

// Some returns an option holding v.
func Some[T any](v T) Option[T] { return Option[T]{value: v, some: true} }

// None returns the empty option.
func None[T any]() Option[T] { return Option[T]{} }

// IsSome reports whether o holds a value.
func (o Option[T]) IsSome() bool { return o.some }

// IsNone reports whether o is empty.
func (o Option[T]) IsNone() bool { return !o.some }

// Get returns the value and whether there is one.
func (o Option[T]) Get() (T, bool) { return o.value, o.some }

// Value returns the value, or T's zero value for none.
func (o Option[T]) Value() T { return o.value }

// String formats o as "some(v)" or "none".
func (o Option[T]) String() string {
	if o.some {
		return "some(" + format(o.value) + ")"
	}
	return "none"
}

// Result is WIT's result<T, E>. A missing WIT type is struct{}. The zero
// value is ok(zero T).
type Result[T, E any] struct {
	ok    T
	err   E
	isErr bool
}

// OK returns ok(v).
func OK[T, E any](v T) Result[T, E] { return Result[T, E]{ok: v} }

// Err returns err(e).
func Err[T, E any](e E) Result[T, E] { return Result[T, E]{err: e, isErr: true} }

// IsOK reports whether r is ok.
func (r Result[T, E]) IsOK() bool { return !r.isErr }

// IsErr reports whether r is err.
func (r Result[T, E]) IsErr() bool { return r.isErr }

// OK returns the ok value and whether r is ok.
func (r Result[T, E]) OK() (T, bool) { return r.ok, !r.isErr }

// Err returns the error value and whether r is err.
func (r Result[T, E]) Err() (E, bool) { return r.err, r.isErr }

// String formats r as "ok(v)" or "err(e)".
func (r Result[T, E]) String() string {
	if r.isErr {
		return "err(" + format(r.err) + ")"
	}
	return "ok(" + format(r.ok) + ")"
}

// WITError carries the error value of a function whose WIT result is
// result<T, E> through a Go error return.
//
// A host implementation of an imported function returns &WITError[E]{v}
// (or NewWITError(v)) to make the guest receive err(v); any other error
// traps the guest. An exported function returns the guest's err(v) as a
// *WITError[E]; traps are other errors. Use errors.As to tell them apart.
type WITError[E any] struct {
	Value E
}

// NewWITError returns &WITError[E]{Value: v}.
func NewWITError[E any](v E) *WITError[E] { return &WITError[E]{Value: v} }

// Error formats the WIT error value as "wit error: v".
func (e *WITError[E]) Error() string { return "wit error: " + format(e.Value) }

// format renders v as fmt's %v verb does: with fmt.Sprint when
// runtimeadapters installed it (hosts), else by itself for the types it
// knows and as "?" for the rest.
func format(v any) string {
	if witfmt.Sprint != nil {
		return witfmt.Sprint(v)
	}
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.FormatInt(int64(x), 10)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case uint8:
		return strconv.FormatUint(uint64(x), 10)
	case uint16:
		return strconv.FormatUint(uint64(x), 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case error:
		return x.Error()
	case interface{ String() string }:
		return x.String()
	}
	return "?"
}
