package componentoracle

// The Go-side type check: a Value against a component value type
// (wasmtime/component/types/val.h), before anything is handed to wasmtime.
// wasmtime checks types while lowering too, but a mismatch found there
// fails inside the call and poisons the instance, and some mismatches it
// does not see at all (an s8 of 300 is truncated by the C union, an
// invalid char aborts the process); here they are a plain Go error.

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
	"unsafe"
)

// ErrType is wrapped by the error of a call whose values do not fit the
// function's type.
var ErrType = errors.New("value does not match the component type")

// tof returns the union of t as a *T.
func tof[T any](t *C.wasmtime_component_valtype_t) *T { return (*T)(unsafe.Pointer(&t.of)) }

// valtypeKinds maps wasmtime's valtype kinds (WASMTIME_COMPONENT_VALTYPE_*,
// whose integer order differs from the value kinds') to value kinds.
var valtypeKinds = [...]Kind{KindBool, KindS8, KindS16, KindS32, KindS64, KindU8, KindU16, KindU32, KindU64,
	KindF32, KindF64, KindChar, KindString, KindList, KindRecord, KindTuple, KindVariant, KindEnum,
	KindOption, KindResult, KindFlags, KindResource, KindResource}

// checkArgs checks args against the parameters of ty.
func checkArgs(ty *C.wasmtime_component_func_type_t, args []Value) error {
	n := int(C.wasmtime_component_func_type_param_count(ty))
	if len(args) != n {
		return fmt.Errorf("%w: %d arguments, the function takes %d", ErrType, len(args), n)
	}
	for k := range args {
		var name *C.char
		var nlen C.size_t
		var pt C.wasmtime_component_valtype_t
		if !C.wasmtime_component_func_type_param_nth(ty, C.size_t(k), &name, &nlen, &pt) {
			return fmt.Errorf("%w: no parameter %d", ErrType, k)
		}
		err := checkValue(args[k], &pt, fmt.Sprintf("argument %d (%s)", k, C.GoStringN(name, C.int(nlen))))
		C.wasmtime_component_valtype_delete(&pt)
		if err != nil {
			return err
		}
	}
	return nil
}

// CheckArgs checks args against the parameters of exported function name
// without calling it.
func (i *Instance) CheckArgs(name string, args ...Value) error {
	if i.store == nil {
		return errors.New("componentoracle: instance is closed")
	}
	f, err := i.lookup(name)
	if err != nil {
		return err
	}
	ty := C.wasmtime_component_func_type(&f, i.ctx)
	defer C.wasmtime_component_func_type_delete(ty)
	return checkArgs(ty, args)
}

func typeName(ty *C.wasmtime_component_valtype_t) string {
	switch ty.kind {
	case C.WASMTIME_COMPONENT_VALTYPE_OWN:
		return "own"
	case C.WASMTIME_COMPONENT_VALTYPE_BORROW:
		return "borrow"
	}
	if int(ty.kind) < len(valtypeKinds) {
		return valtypeKinds[ty.kind].String()
	}
	return fmt.Sprintf("type kind %d", ty.kind)
}

// checkValue checks v against ty; path names v in errors.
func checkValue(v Value, ty *C.wasmtime_component_valtype_t, path string) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrType, path, fmt.Sprintf(format, args...))
	}
	if int(ty.kind) >= len(valtypeKinds) {
		return bad("unsupported type (%s)", typeName(ty))
	}
	if want := valtypeKinds[ty.kind]; v.Kind != want {
		return bad("want %s, got a %v value", typeName(ty), v.Kind)
	}
	sub := func(t *C.wasmtime_component_valtype_t, v Value, p string) error {
		err := checkValue(v, t, path+p)
		C.wasmtime_component_valtype_delete(t)
		return err
	}
	switch v.Kind {
	case KindS8, KindS16, KindS32:
		bits := map[Kind]uint{KindS8: 8, KindS16: 16, KindS32: 32}[v.Kind]
		if lim := int64(1) << (bits - 1); v.Int < -lim || v.Int >= lim {
			return bad("%d out of range for %v", v.Int, v.Kind)
		}
	case KindU8, KindU16, KindU32:
		bits := map[Kind]uint{KindU8: 8, KindU16: 16, KindU32: 32}[v.Kind]
		if v.Uint >= uint64(1)<<bits {
			return bad("%d out of range for %v", v.Uint, v.Kind)
		}
	case KindF32:
		if f := v.Float; !math.IsNaN(f) && !math.IsInf(f, 0) && float64(float32(f)) != f {
			return bad("%v is not an f32", f)
		}
	case KindChar:
		if !utf8.ValidRune(v.Char) {
			return bad("invalid char %#x (a surrogate or beyond U+10FFFF)", v.Char)
		}
	case KindString:
		if !utf8.ValidString(v.Str) {
			return bad("string is not valid UTF-8")
		}
	case KindList:
		for k, e := range v.Elems {
			var et C.wasmtime_component_valtype_t
			C.wasmtime_component_list_type_element(*tof[*C.wasmtime_component_list_type_t](ty), &et)
			if err := sub(&et, e, fmt.Sprintf("[%d]", k)); err != nil {
				return err
			}
		}
	case KindRecord:
		rt := *tof[*C.wasmtime_component_record_type_t](ty)
		n := int(C.wasmtime_component_record_type_field_count(rt))
		if len(v.Fields) != n {
			return bad("record with %d fields, the type has %d", len(v.Fields), n)
		}
		for k, f := range v.Fields {
			var name *C.char
			var nlen C.size_t
			var ft C.wasmtime_component_valtype_t
			C.wasmtime_component_record_type_field_nth(rt, C.size_t(k), &name, &nlen, &ft)
			if want := C.GoStringN(name, C.int(nlen)); f.Name != want {
				C.wasmtime_component_valtype_delete(&ft)
				return bad("field %d is %q, the type's is %q", k, f.Name, want)
			}
			if err := sub(&ft, f.Value, "."+f.Name); err != nil {
				return err
			}
		}
	case KindTuple:
		tt := *tof[*C.wasmtime_component_tuple_type_t](ty)
		n := int(C.wasmtime_component_tuple_type_types_count(tt))
		if len(v.Elems) != n {
			return bad("tuple of %d, the type has %d", len(v.Elems), n)
		}
		for k, e := range v.Elems {
			var et C.wasmtime_component_valtype_t
			C.wasmtime_component_tuple_type_types_nth(tt, C.size_t(k), &et)
			if err := sub(&et, e, fmt.Sprintf(".%d", k)); err != nil {
				return err
			}
		}
	case KindVariant:
		vt := *tof[*C.wasmtime_component_variant_type_t](ty)
		n := int(C.wasmtime_component_variant_type_case_count(vt))
		for k := range n {
			var name *C.char
			var nlen C.size_t
			var has C.bool
			var pt C.wasmtime_component_valtype_t
			C.wasmtime_component_variant_type_case_nth(vt, C.size_t(k), &name, &nlen, &has, &pt)
			if C.GoStringN(name, C.int(nlen)) != v.Case {
				if has {
					C.wasmtime_component_valtype_delete(&pt)
				}
				continue
			}
			switch {
			case !bool(has) && v.Payload != nil:
				return bad("case %q has no payload, got one", v.Case)
			case bool(has) && v.Payload == nil:
				C.wasmtime_component_valtype_delete(&pt)
				return bad("case %q needs a payload", v.Case)
			case bool(has):
				return sub(&pt, *v.Payload, "("+v.Case+")")
			}
			return nil
		}
		return bad("no case %q in the variant", v.Case)
	case KindEnum:
		et := *tof[*C.wasmtime_component_enum_type_t](ty)
		n := int(C.wasmtime_component_enum_type_names_count(et))
		for k := range n {
			var name *C.char
			var nlen C.size_t
			C.wasmtime_component_enum_type_names_nth(et, C.size_t(k), &name, &nlen)
			if C.GoStringN(name, C.int(nlen)) == v.Case {
				return nil
			}
		}
		return bad("no case %q in the enum", v.Case)
	case KindOption:
		if v.Payload != nil {
			var pt C.wasmtime_component_valtype_t
			C.wasmtime_component_option_type_ty(*tof[*C.wasmtime_component_option_type_t](ty), &pt)
			return sub(&pt, *v.Payload, "(some)")
		}
	case KindResult:
		rt := *tof[*C.wasmtime_component_result_type_t](ty)
		var pt C.wasmtime_component_valtype_t
		var has bool
		side := "ok"
		if v.IsErr {
			side = "err"
			has = bool(C.wasmtime_component_result_type_err(rt, &pt))
		} else {
			has = bool(C.wasmtime_component_result_type_ok(rt, &pt))
		}
		switch {
		case !has && v.Payload != nil:
			return bad("result has no %s type, got a payload", side)
		case has && v.Payload == nil:
			C.wasmtime_component_valtype_delete(&pt)
			return bad("%s needs a payload", side)
		case has:
			return sub(&pt, *v.Payload, "("+side+")")
		}
	case KindFlags:
		ft := *tof[*C.wasmtime_component_flags_type_t](ty)
		n := int(C.wasmtime_component_flags_type_names_count(ft))
		names := map[string]bool{}
		for k := range n {
			var name *C.char
			var nlen C.size_t
			C.wasmtime_component_flags_type_names_nth(ft, C.size_t(k), &name, &nlen)
			names[C.GoStringN(name, C.int(nlen))] = true
		}
		seen := map[string]bool{}
		for _, f := range v.Flags {
			if !names[f] {
				return bad("no flag %q in the flags type", f)
			}
			if seen[f] {
				return bad("flag %q set twice", f)
			}
			seen[f] = true
		}
	case KindResource:
		r := v.Res
		if r == nil || (!r.Host && r.any == nil) {
			return bad("nil resource handle")
		}
		own := ty.kind == C.WASMTIME_COMPONENT_VALTYPE_OWN
		if own && !r.Own {
			return bad("want an own handle, got %v", r)
		}
		if !own && r.Host && r.Own {
			return bad("want a borrow handle, got %v (use HostBorrow)", r)
		}
		want := *tof[*C.wasmtime_component_resource_type_t](ty)
		got := resourceTypeOf(r)
		same := C.wasmtime_component_resource_type_equal(got, want)
		C.wasmtime_component_resource_type_delete(got)
		if !same {
			return bad("%v is a handle of another resource type", r)
		}
	}
	return nil
}
