package componentoracle

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the kind of a component-model value. The numbering is wasmtime's
// (WASMTIME_COMPONENT_BOOL ... WASMTIME_COMPONENT_FLAGS).
type Kind uint8

const (
	KindBool Kind = iota
	KindS8
	KindU8
	KindS16
	KindU16
	KindS32
	KindU32
	KindS64
	KindU64
	KindF32
	KindF64
	KindChar
	KindString
	KindList
	KindRecord
	KindTuple
	KindVariant
	KindEnum
	KindOption
	KindResult
	KindFlags
)

var kindNames = [...]string{"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64",
	"f32", "f64", "char", "string", "list", "record", "tuple", "variant", "enum", "option", "result", "flags", "resource"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a component-model value, as passed to and returned from an
// exported component function or a host function. Only the fields of its
// Kind are meaningful:
//
//   - bool: Bool
//   - s8..s64: Int; u8..u64: Uint; f32, f64: Float; char: Char
//   - string: Str
//   - list, tuple: Elems
//   - record: Fields
//   - variant: Case, Payload (nil for a case without payload)
//   - enum: Case
//   - option: Payload (nil for none)
//   - result: IsErr, Payload (nil for a result without that type)
//   - flags: Flags (names of the set flags)
//   - resource: Res (an own or borrow handle)
//
// Values compare with reflect.DeepEqual (but NaN floats do not equal
// themselves; use Equal).
type Value struct {
	Kind    Kind
	Bool    bool
	Int     int64
	Uint    uint64
	Float   float64
	Char    rune
	Str     string
	Elems   []Value
	Fields  []Field
	Case    string
	IsErr   bool
	Payload *Value
	Flags   []string
	Res     *Resource
}

// Field is a named record field.
type Field struct {
	Name  string
	Value Value
}

// Constructors.

func Bool(b bool) Value     { return Value{Kind: KindBool, Bool: b} }
func S8(v int8) Value       { return Value{Kind: KindS8, Int: int64(v)} }
func U8(v uint8) Value      { return Value{Kind: KindU8, Uint: uint64(v)} }
func S16(v int16) Value     { return Value{Kind: KindS16, Int: int64(v)} }
func U16(v uint16) Value    { return Value{Kind: KindU16, Uint: uint64(v)} }
func S32(v int32) Value     { return Value{Kind: KindS32, Int: int64(v)} }
func U32(v uint32) Value    { return Value{Kind: KindU32, Uint: uint64(v)} }
func S64(v int64) Value     { return Value{Kind: KindS64, Int: v} }
func U64(v uint64) Value    { return Value{Kind: KindU64, Uint: v} }
func F32(v float32) Value   { return Value{Kind: KindF32, Float: float64(v)} }
func F64(v float64) Value   { return Value{Kind: KindF64, Float: v} }
func Char(r rune) Value     { return Value{Kind: KindChar, Char: r} }
func String(s string) Value { return Value{Kind: KindString, Str: s} }
func List(elems ...Value) Value {
	return Value{Kind: KindList, Elems: elems}
}
func Tuple(elems ...Value) Value {
	return Value{Kind: KindTuple, Elems: elems}
}
func Record(fields ...Field) Value { return Value{Kind: KindRecord, Fields: fields} }
func Enum(c string) Value          { return Value{Kind: KindEnum, Case: c} }
func Flags(names ...string) Value  { return Value{Kind: KindFlags, Flags: names} }

// Bytes is a list<u8>.
func Bytes(b []byte) Value {
	elems := make([]Value, len(b))
	for i, x := range b {
		elems[i] = U8(x)
	}
	return List(elems...)
}

// Variant is a variant case with an optional payload (nil: none).
func Variant(c string, payload *Value) Value {
	return Value{Kind: KindVariant, Case: c, Payload: payload}
}

// Some and None are options.
func Some(v Value) Value { return Value{Kind: KindOption, Payload: &v} }
func None() Value        { return Value{Kind: KindOption} }

// Ok and Err are results; a nil payload is a result without that type.
func Ok(payload *Value) Value  { return Value{Kind: KindResult, Payload: payload} }
func Err(payload *Value) Value { return Value{Kind: KindResult, IsErr: true, Payload: payload} }

// Ptr returns &v, for payloads.
func Ptr(v Value) *Value { return &v }

// Equal reports whether a and b are the same value; floats compare by bits
// (so NaNs with the same payload are equal, and 0 != -0).
func Equal(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case KindBool:
		return a.Bool == b.Bool
	case KindS8, KindS16, KindS32, KindS64:
		return a.Int == b.Int
	case KindU8, KindU16, KindU32, KindU64:
		return a.Uint == b.Uint
	case KindF32:
		return math.Float32bits(float32(a.Float)) == math.Float32bits(float32(b.Float))
	case KindF64:
		return math.Float64bits(a.Float) == math.Float64bits(b.Float)
	case KindChar:
		return a.Char == b.Char
	case KindString:
		return a.Str == b.Str
	case KindList, KindTuple:
		if len(a.Elems) != len(b.Elems) {
			return false
		}
		for i := range a.Elems {
			if !Equal(a.Elems[i], b.Elems[i]) {
				return false
			}
		}
		return true
	case KindRecord:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		for i := range a.Fields {
			if a.Fields[i].Name != b.Fields[i].Name || !Equal(a.Fields[i].Value, b.Fields[i].Value) {
				return false
			}
		}
		return true
	case KindEnum:
		return a.Case == b.Case
	case KindVariant, KindOption, KindResult:
		if a.Case != b.Case || a.IsErr != b.IsErr || (a.Payload == nil) != (b.Payload == nil) {
			return false
		}
		return a.Payload == nil || Equal(*a.Payload, *b.Payload)
	case KindFlags:
		if len(a.Flags) != len(b.Flags) {
			return false
		}
		for i := range a.Flags {
			if a.Flags[i] != b.Flags[i] {
				return false
			}
		}
		return true
	case KindResource:
		if a.Res == nil || b.Res == nil {
			return a.Res == b.Res
		}
		if a.Res.Host || b.Res.Host {
			return *a.Res == *b.Res
		}
		return a.Res == b.Res
	}
	return false
}

// String formats v in a WAVE-like notation (the WebAssembly Value Encoding
// of wasm-tools), for test failure messages.
func (v Value) String() string {
	var b strings.Builder
	v.format(&b)
	return b.String()
}

func (v Value) format(b *strings.Builder) {
	switch v.Kind {
	case KindBool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case KindS8, KindS16, KindS32, KindS64:
		b.WriteString(strconv.FormatInt(v.Int, 10))
	case KindU8, KindU16, KindU32, KindU64:
		b.WriteString(strconv.FormatUint(v.Uint, 10))
	case KindF32:
		b.WriteString(strconv.FormatFloat(v.Float, 'g', -1, 32))
	case KindF64:
		b.WriteString(strconv.FormatFloat(v.Float, 'g', -1, 64))
	case KindChar:
		b.WriteString(strconv.QuoteRune(v.Char))
	case KindString:
		b.WriteString(strconv.Quote(v.Str))
	case KindList, KindTuple:
		open, close := "[", "]"
		if v.Kind == KindTuple {
			open, close = "(", ")"
		}
		b.WriteString(open)
		for i, e := range v.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			e.format(b)
		}
		b.WriteString(close)
	case KindRecord:
		b.WriteString("{")
		for i, f := range v.Fields {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name + ": ")
			f.Value.format(b)
		}
		b.WriteString("}")
	case KindEnum:
		b.WriteString(v.Case)
	case KindVariant, KindOption, KindResult:
		name := v.Case
		switch {
		case v.Kind == KindOption && v.Payload == nil:
			b.WriteString("none")
			return
		case v.Kind == KindOption:
			name = "some"
		case v.Kind == KindResult && v.IsErr:
			name = "err"
		case v.Kind == KindResult:
			name = "ok"
		}
		b.WriteString(name)
		if v.Payload != nil {
			b.WriteString("(")
			v.Payload.format(b)
			b.WriteString(")")
		}
	case KindFlags:
		b.WriteString("{" + strings.Join(v.Flags, ", ") + "}")
	case KindResource:
		b.WriteString(v.Res.String())
	default:
		fmt.Fprintf(b, "<%v>", v.Kind)
	}
}
