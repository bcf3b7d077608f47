package componentoracle

// The Go-side type check: a Value against a component value type
// (wasmtime/component/types/val.h), before anything is handed to wasmtime.
// wasmtime checks types while lowering too, but a mismatch found there
// fails inside the call and poisons the instance, and some mismatches it
// does not see at all (an s8 of 300 is truncated by the C union, an
// invalid char aborts the process); here they are a plain Go error.
//
// A function's types are read from wasmtime once (per instance and export,
// per host function) into a Go tree, so the check itself costs no cgo call
// (except for resource handles) and no allocation unless it fails.

/*
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
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

// ctype is a component value type, read from wasmtime.
type ctype struct {
	kind        Kind
	unsupported string // the type's kind, if no Value can have it
	own         bool   // resource: own (else borrow)
	res         *C.wasmtime_component_resource_type_t
	elem        *ctype   // list, option
	names       []string // record fields, variant cases, enum cases, flags
	index       map[string]int
	elems       []*ctype // record fields, tuple elements, variant payloads (nil: none)
	ok, err     *ctype   // result
	hasOk       bool
	hasErr      bool
}

// funcSig is a function's parameter names and types and its result type.
type funcSig struct {
	names  []string
	params []*ctype
	result *ctype // nil: none
}

func goName(p *C.char, n C.size_t) string { return C.GoStringN(p, C.int(n)) }

// readType converts ty (which stays the caller's to delete).
func readType(ty *C.wasmtime_component_valtype_t) *ctype {
	if int(ty.kind) >= len(valtypeKinds) {
		return &ctype{kind: 255, unsupported: fmt.Sprintf("type kind %d", ty.kind)}
	}
	t := &ctype{kind: valtypeKinds[ty.kind]}
	// sub converts and deletes a type wasmtime returned.
	sub := func(st *C.wasmtime_component_valtype_t) *ctype {
		defer C.wasmtime_component_valtype_delete(st)
		return readType(st)
	}
	named := func(n string) {
		if t.index == nil {
			t.index = map[string]int{}
		}
		t.index[n] = len(t.names)
		t.names = append(t.names, n)
	}
	var st C.wasmtime_component_valtype_t
	var name *C.char
	var nlen C.size_t
	switch ty.kind {
	case C.WASMTIME_COMPONENT_VALTYPE_LIST:
		C.wasmtime_component_list_type_element(*tof[*C.wasmtime_component_list_type_t](ty), &st)
		t.elem = sub(&st)
	case C.WASMTIME_COMPONENT_VALTYPE_OPTION:
		C.wasmtime_component_option_type_ty(*tof[*C.wasmtime_component_option_type_t](ty), &st)
		t.elem = sub(&st)
	case C.WASMTIME_COMPONENT_VALTYPE_RECORD:
		rt := *tof[*C.wasmtime_component_record_type_t](ty)
		for k := range int(C.wasmtime_component_record_type_field_count(rt)) {
			C.wasmtime_component_record_type_field_nth(rt, C.size_t(k), &name, &nlen, &st)
			named(goName(name, nlen))
			t.elems = append(t.elems, sub(&st))
		}
	case C.WASMTIME_COMPONENT_VALTYPE_TUPLE:
		tt := *tof[*C.wasmtime_component_tuple_type_t](ty)
		for k := range int(C.wasmtime_component_tuple_type_types_count(tt)) {
			C.wasmtime_component_tuple_type_types_nth(tt, C.size_t(k), &st)
			t.elems = append(t.elems, sub(&st))
		}
	case C.WASMTIME_COMPONENT_VALTYPE_VARIANT:
		vt := *tof[*C.wasmtime_component_variant_type_t](ty)
		for k := range int(C.wasmtime_component_variant_type_case_count(vt)) {
			var has C.bool
			C.wasmtime_component_variant_type_case_nth(vt, C.size_t(k), &name, &nlen, &has, &st)
			named(goName(name, nlen))
			var p *ctype
			if has {
				p = sub(&st)
			}
			t.elems = append(t.elems, p)
		}
	case C.WASMTIME_COMPONENT_VALTYPE_ENUM:
		et := *tof[*C.wasmtime_component_enum_type_t](ty)
		for k := range int(C.wasmtime_component_enum_type_names_count(et)) {
			C.wasmtime_component_enum_type_names_nth(et, C.size_t(k), &name, &nlen)
			named(goName(name, nlen))
		}
	case C.WASMTIME_COMPONENT_VALTYPE_FLAGS:
		ft := *tof[*C.wasmtime_component_flags_type_t](ty)
		for k := range int(C.wasmtime_component_flags_type_names_count(ft)) {
			C.wasmtime_component_flags_type_names_nth(ft, C.size_t(k), &name, &nlen)
			named(goName(name, nlen))
		}
	case C.WASMTIME_COMPONENT_VALTYPE_RESULT:
		rt := *tof[*C.wasmtime_component_result_type_t](ty)
		if C.wasmtime_component_result_type_ok(rt, &st) {
			t.hasOk, t.ok = true, sub(&st)
		}
		if C.wasmtime_component_result_type_err(rt, &st) {
			t.hasErr, t.err = true, sub(&st)
		}
	case C.WASMTIME_COMPONENT_VALTYPE_OWN, C.WASMTIME_COMPONENT_VALTYPE_BORROW:
		t.own = ty.kind == C.WASMTIME_COMPONENT_VALTYPE_OWN
		// Kept for the life of the process (a handful per function type).
		t.res = C.wasmtime_component_resource_type_clone(*tof[*C.wasmtime_component_resource_type_t](ty))
	}
	return t
}

// readSig converts a function type (which stays the caller's to delete).
func readSig(ty *C.wasmtime_component_func_type_t) *funcSig {
	s := &funcSig{}
	for k := range int(C.wasmtime_component_func_type_param_count(ty)) {
		var name *C.char
		var nlen C.size_t
		var pt C.wasmtime_component_valtype_t
		C.wasmtime_component_func_type_param_nth(ty, C.size_t(k), &name, &nlen, &pt)
		s.names = append(s.names, goName(name, nlen))
		s.params = append(s.params, readType(&pt))
		C.wasmtime_component_valtype_delete(&pt)
	}
	var rt C.wasmtime_component_valtype_t
	if C.wasmtime_component_func_type_result(ty, &rt) {
		s.result = readType(&rt)
		C.wasmtime_component_valtype_delete(&rt)
	}
	return s
}

// checkArgs checks args against the parameters of s.
func (s *funcSig) checkArgs(args []Value) error {
	if len(args) != len(s.params) {
		return fmt.Errorf("%w: %d arguments, the function takes %d", ErrType, len(args), len(s.params))
	}
	for k := range args {
		if e := check(args[k], s.params[k]); e != nil {
			return e.err(fmt.Sprintf("argument %d (%s)", k, s.names[k]))
		}
	}
	return nil
}

// checkResult checks a host function's result against s.
func (s *funcSig) checkResult(v Value) error {
	if s.result == nil {
		return fmt.Errorf("%w: a result for a function without one", ErrType)
	}
	if e := check(v, s.result); e != nil {
		return e.err("result")
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
	return i.sig(name, &f).checkArgs(args)
}

// sig returns the signature of export name (function f), read once.
func (i *Instance) sig(name string, f *C.wasmtime_component_func_t) *funcSig {
	if s, ok := i.sigs[name]; ok {
		return s
	}
	ty := C.wasmtime_component_func_type(f, i.ctx)
	s := readSig(ty)
	C.wasmtime_component_func_type_delete(ty)
	if i.sigs == nil {
		i.sigs = map[string]*funcSig{}
	}
	i.sigs[name] = s
	return s
}

// typeErr is a mismatch found at a path (segments innermost first), made
// into an error only when the check fails.
type typeErr struct {
	path []string
	msg  string
}

func (e *typeErr) in(seg string) *typeErr {
	e.path = append(e.path, seg)
	return e
}

func (e *typeErr) err(root string) error {
	var b strings.Builder
	b.WriteString(root)
	for k := len(e.path) - 1; k >= 0; k-- {
		b.WriteString(e.path[k])
	}
	return fmt.Errorf("%w: %s: %s", ErrType, b.String(), e.msg)
}

func bad(format string, args ...any) *typeErr {
	return &typeErr{msg: fmt.Sprintf(format, args...)}
}

func (t *ctype) String() string {
	if t.unsupported != "" {
		return t.unsupported
	}
	if t.kind == KindResource {
		if t.own {
			return "own"
		}
		return "borrow"
	}
	return t.kind.String()
}

var intBits = [...]uint{KindS8: 8, KindU8: 8, KindS16: 16, KindU16: 16, KindS32: 32, KindU32: 32}

// check checks v against t.
func check(v Value, t *ctype) *typeErr {
	if t.unsupported != "" {
		return bad("unsupported type (%s)", t.unsupported)
	}
	if v.Kind != t.kind {
		return bad("want %v, got a %v value", t, v.Kind)
	}
	switch v.Kind {
	case KindS8, KindS16, KindS32:
		if lim := int64(1) << (intBits[v.Kind] - 1); v.Int < -lim || v.Int >= lim {
			return bad("%d out of range for %v", v.Int, v.Kind)
		}
	case KindU8, KindU16, KindU32:
		if v.Uint >= uint64(1)<<intBits[v.Kind] {
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
			if err := check(e, t.elem); err != nil {
				return err.in("[" + strconv.Itoa(k) + "]")
			}
		}
	case KindRecord:
		if len(v.Fields) != len(t.names) {
			return bad("record with %d fields, the type has %d", len(v.Fields), len(t.names))
		}
		for k, f := range v.Fields {
			if f.Name != t.names[k] {
				return bad("field %d is %q, the type's is %q", k, f.Name, t.names[k])
			}
			if err := check(f.Value, t.elems[k]); err != nil {
				return err.in("." + f.Name)
			}
		}
	case KindTuple:
		if len(v.Elems) != len(t.elems) {
			return bad("tuple of %d, the type has %d", len(v.Elems), len(t.elems))
		}
		for k, e := range v.Elems {
			if err := check(e, t.elems[k]); err != nil {
				return err.in("." + strconv.Itoa(k))
			}
		}
	case KindVariant:
		k, ok := t.index[v.Case]
		switch {
		case !ok:
			return bad("no case %q in the variant", v.Case)
		case t.elems[k] == nil && v.Payload != nil:
			return bad("case %q has no payload, got one", v.Case)
		case t.elems[k] != nil && v.Payload == nil:
			return bad("case %q needs a payload", v.Case)
		case t.elems[k] != nil:
			if err := check(*v.Payload, t.elems[k]); err != nil {
				return err.in("(" + v.Case + ")")
			}
		}
	case KindEnum:
		if _, ok := t.index[v.Case]; !ok {
			return bad("no case %q in the enum", v.Case)
		}
	case KindOption:
		if v.Payload != nil {
			if err := check(*v.Payload, t.elem); err != nil {
				return err.in("(some)")
			}
		}
	case KindResult:
		side, has, pt := "ok", t.hasOk, t.ok
		if v.IsErr {
			side, has, pt = "err", t.hasErr, t.err
		}
		switch {
		case !has && v.Payload != nil:
			return bad("result has no %s type, got a payload", side)
		case has && v.Payload == nil:
			return bad("%s needs a payload", side)
		case has:
			if err := check(*v.Payload, pt); err != nil {
				return err.in("(" + side + ")")
			}
		}
	case KindFlags:
		var seen uint64 // flags have at most 32 members
		for _, f := range v.Flags {
			k, ok := t.index[f]
			if !ok {
				return bad("no flag %q in the flags type", f)
			}
			if seen&(1<<k) != 0 {
				return bad("flag %q set twice", f)
			}
			seen |= 1 << k
		}
	case KindResource:
		r := v.Res
		if r == nil || (!r.Host && r.any == nil) {
			return bad("nil resource handle")
		}
		if t.own && !r.Own {
			return bad("want an own handle, got %v", r)
		}
		if !t.own && r.Host && r.Own {
			return bad("want a borrow handle, got %v (use HostBorrow)", r)
		}
		got := resourceTypeOf(r)
		same := C.wasmtime_component_resource_type_equal(got, t.res)
		C.wasmtime_component_resource_type_delete(got)
		if !same {
			return bad("%v is a handle of another resource type", r)
		}
	}
	return nil
}
