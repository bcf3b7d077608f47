package difftest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"pgregory.net/rapid"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// Random values. Every draw mixes the type's edge values with uniform
// draws; lists are short except for an occasional long one (a few KiB).

// pick returns one of the edge values with probability 1/3, else draw().
func pick[T any](t *rapid.T, label string, draw func() T, edges ...T) T {
	if len(edges) > 0 && rapid.IntRange(0, 2).Draw(t, label+"/edge?") == 0 {
		return edges[rapid.IntRange(0, len(edges)-1).Draw(t, label+"/edge")]
	}
	return draw()
}

var f32Edges = []uint32{0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00000,
	0x7FC00001, 0x7F800001 /* signalling */, 0xFFFFFFFF, 0x00000001, 0x7F7FFFFF, 0xFF7FFFFF}
var f64Edges = []uint64{0, 1 << 63, 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000,
	0x7FF8000000000001, 0x7FF0000000000001 /* signalling */, 0xFFFFFFFFFFFFFFFF, 1,
	math.Float64bits(math.MaxFloat64), math.Float64bits(-math.MaxFloat64)}

// drawRune draws a Unicode scalar value: ASCII, the UTF-8 length
// boundaries, the surrogate gap's neighbours, or any scalar value.
func drawRune(t *rapid.T, label string) rune {
	switch rapid.IntRange(0, 3).Draw(t, label+"/class") {
	case 0:
		return rapid.Int32Range(0, 0x7F).Draw(t, label)
	case 1:
		edges := []rune{0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF}
		return edges[rapid.IntRange(0, len(edges)-1).Draw(t, label)]
	}
	r := rapid.Int32Range(0, 0x10FFFF-0x800).Draw(t, label)
	if r >= 0xD800 {
		r += 0x800 // skip the surrogates
	}
	return r
}

// drawString draws a short string rune by rune, or now and then a long
// one (up to 3000 runes) from a PRNG seeded by one draw.
func drawString(t *rapid.T, label string) string {
	var b strings.Builder
	if rapid.IntRange(0, 40).Draw(t, label+"/long?") == 0 {
		n := rapid.IntRange(0, 3000).Draw(t, label+"/longlen")
		r := prng(t, label)
		for range n {
			c := rune(r.Uint32N(0x10FFFF - 0x800))
			switch r.Uint32N(3) {
			case 0:
				c %= 0x80
			case 1:
				c %= 0x800
			}
			if c >= 0xD800 {
				c += 0x800
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	n := rapid.IntRange(0, 24).Draw(t, label+"/len")
	for i := range n {
		b.WriteRune(drawRune(t, label+"/"+strconv.Itoa(i%4)))
	}
	return b.String()
}

// prng returns a PRNG seeded by one draw, for the contents of long strings
// and lists (rapid then shrinks their length, not each element).
func prng(t *rapid.T, label string) *rand.Rand {
	return rand.New(rand.NewPCG(rapid.Uint64().Draw(t, label+"/seed"), 1))
}

// drawValue draws a random value of type ty.
func drawValue(t *rapid.T, ty *typ, label string) co.Value {
	switch ty.kind {
	case co.KindBool:
		return co.Bool(rapid.Bool().Draw(t, label))
	case co.KindU8:
		return co.U8(pick(t, label, func() uint8 { return rapid.Uint8().Draw(t, label) }, 0, math.MaxUint8))
	case co.KindS8:
		return co.S8(pick(t, label, func() int8 { return rapid.Int8().Draw(t, label) }, math.MinInt8, -1, math.MaxInt8))
	case co.KindU16:
		return co.U16(pick(t, label, func() uint16 { return rapid.Uint16().Draw(t, label) }, 0, math.MaxUint16))
	case co.KindS16:
		return co.S16(pick(t, label, func() int16 { return rapid.Int16().Draw(t, label) }, math.MinInt16, -1, math.MaxInt16))
	case co.KindU32:
		return co.U32(pick(t, label, func() uint32 { return rapid.Uint32().Draw(t, label) }, 0, math.MaxUint32))
	case co.KindS32:
		return co.S32(pick(t, label, func() int32 { return rapid.Int32().Draw(t, label) }, math.MinInt32, -1, math.MaxInt32))
	case co.KindU64:
		return co.U64(pick(t, label, func() uint64 { return rapid.Uint64().Draw(t, label) }, 0, math.MaxUint64))
	case co.KindS64:
		return co.S64(pick(t, label, func() int64 { return rapid.Int64().Draw(t, label) }, math.MinInt64, -1, math.MaxInt64))
	case co.KindF32:
		bits := pick(t, label, func() uint32 {
			if rapid.Bool().Draw(t, label+"/bits?") {
				return rapid.Uint32().Draw(t, label)
			}
			return math.Float32bits(rapid.Float32().Draw(t, label))
		}, f32Edges...)
		return co.F32(math.Float32frombits(bits))
	case co.KindF64:
		bits := pick(t, label, func() uint64 {
			if rapid.Bool().Draw(t, label+"/bits?") {
				return rapid.Uint64().Draw(t, label)
			}
			return math.Float64bits(rapid.Float64().Draw(t, label))
		}, f64Edges...)
		return co.F64(math.Float64frombits(bits))
	case co.KindChar:
		return co.Char(drawRune(t, label))
	case co.KindString:
		return co.String(drawString(t, label))
	case co.KindList:
		max := 6
		if ty.elem.kind == co.KindU8 || ty.elem.kind == co.KindU32 {
			max = 32
			if rapid.IntRange(0, 20).Draw(t, label+"/long?") == 0 {
				// A few KiB, from a PRNG.
				n := rapid.IntRange(0, 4096).Draw(t, label+"/longlen")
				r := prng(t, label)
				elems := make([]co.Value, n)
				for i := range elems {
					if ty.elem.kind == co.KindU8 {
						elems[i] = co.U8(uint8(r.Uint32()))
					} else {
						elems[i] = co.U32(r.Uint32())
					}
				}
				return co.List(elems...)
			}
		}
		n := rapid.IntRange(0, max).Draw(t, label+"/len")
		elems := make([]co.Value, n)
		for i := range elems {
			elems[i] = drawValue(t, ty.elem, label+"[]")
		}
		return co.List(elems...)
	case co.KindRecord, co.KindTuple:
		var fs []co.Field
		for _, f := range ty.fields {
			fs = append(fs, co.Field{Name: f.name, Value: drawValue(t, f.t, label+"."+f.name)})
		}
		if ty.kind == co.KindTuple {
			var es []co.Value
			for _, f := range fs {
				es = append(es, f.Value)
			}
			return co.Tuple(es...)
		}
		return co.Record(fs...)
	case co.KindEnum:
		edges := []int{0, len(ty.cases) - 1, min(255, len(ty.cases)-1), min(256, len(ty.cases)-1)}
		i := pick(t, label, func() int { return rapid.IntRange(0, len(ty.cases)-1).Draw(t, label) }, edges...)
		return co.Enum(ty.cases[i].name)
	case co.KindFlags:
		bits := pick(t, label, func() uint32 { return rapid.Uint32().Draw(t, label) }, 0, math.MaxUint32)
		var names []string
		for i, f := range ty.flags {
			if bits&(1<<i) != 0 {
				names = append(names, f)
			}
		}
		return co.Flags(names...)
	case co.KindVariant:
		edges := []int{0, len(ty.cases) - 1, min(255, len(ty.cases)-1), min(256, len(ty.cases)-1)}
		i := pick(t, label, func() int { return rapid.IntRange(0, len(ty.cases)-1).Draw(t, label) }, edges...)
		c := ty.cases[i]
		var p *co.Value
		if c.t != nil {
			p = co.Ptr(drawValue(t, c.t, label+"."+c.name))
		}
		return co.Variant(c.name, p)
	case co.KindOption:
		if rapid.IntRange(0, 2).Draw(t, label+"/some?") == 0 {
			return co.None()
		}
		return co.Some(drawValue(t, ty.elem, label+"?"))
	case co.KindResult:
		isErr := rapid.Bool().Draw(t, label+"/err?")
		pt := ty.ok
		if isErr {
			pt = ty.err
		}
		var p *co.Value
		if pt != nil {
			p = co.Ptr(drawValue(t, pt, label+"!"))
		}
		return co.Value{Kind: co.KindResult, IsErr: isErr, Payload: p}
	}
	panic("drawValue: " + ty.kind.String())
}

// canon returns v with every NaN replaced by the canonical NaN of its width
// and flags sorted by name, for comparisons: CanonicalABI.md lets lifting
// and lowering replace a NaN by any NaN (maybe_scramble_nan32/64 and
// canonicalize_nan32/64 in lift_flat/lower_flat and load/store), and a
// flags value is a set.
func canon(v co.Value) co.Value {
	switch v.Kind {
	case co.KindF32:
		if f := float32(v.Float); f != f {
			v.Float = float64(math.Float32frombits(0x7FC00000))
		}
	case co.KindF64:
		if v.Float != v.Float {
			v.Float = math.Float64frombits(0x7FF8000000000000)
		}
	case co.KindList, co.KindTuple:
		es := make([]co.Value, len(v.Elems))
		for i, e := range v.Elems {
			es[i] = canon(e)
		}
		v.Elems = es
	case co.KindRecord:
		fs := make([]co.Field, len(v.Fields))
		for i, f := range v.Fields {
			fs[i] = co.Field{Name: f.Name, Value: canon(f.Value)}
		}
		v.Fields = fs
	case co.KindVariant, co.KindOption, co.KindResult:
		if v.Payload != nil {
			v.Payload = co.Ptr(canon(*v.Payload))
		}
	case co.KindFlags:
		v.Flags = slices.Clone(v.Flags)
		slices.Sort(v.Flags)
		if len(v.Flags) == 0 {
			v.Flags = nil
		}
	}
	return v
}

// same reports whether a and b are the same value up to NaN payloads.
func same(a, b co.Value) bool { return co.Equal(canon(a), canon(b)) }

// Conversions between component values and the Go types of the generated
// bindings (golden/kitchen-sink).

type conv[T any] struct {
	to   func(co.Value) T
	from func(T) co.Value
}

var (
	cBool   = conv[bool]{func(v co.Value) bool { return v.Bool }, co.Bool}
	cU8     = conv[uint8]{func(v co.Value) uint8 { return uint8(v.Uint) }, co.U8}
	cS8     = conv[int8]{func(v co.Value) int8 { return int8(v.Int) }, co.S8}
	cU16    = conv[uint16]{func(v co.Value) uint16 { return uint16(v.Uint) }, co.U16}
	cS16    = conv[int16]{func(v co.Value) int16 { return int16(v.Int) }, co.S16}
	cU32    = conv[uint32]{func(v co.Value) uint32 { return uint32(v.Uint) }, co.U32}
	cS32    = conv[int32]{func(v co.Value) int32 { return int32(v.Int) }, co.S32}
	cU64    = conv[uint64]{func(v co.Value) uint64 { return v.Uint }, co.U64}
	cS64    = conv[int64]{func(v co.Value) int64 { return v.Int }, co.S64}
	cF32    = conv[float32]{func(v co.Value) float32 { return float32(v.Float) }, co.F32}
	cF64    = conv[float64]{func(v co.Value) float64 { return v.Float }, co.F64}
	cChar   = conv[rune]{func(v co.Value) rune { return v.Char }, co.Char}
	cString = conv[string]{func(v co.Value) string { return v.Str }, co.String}
)

func cList[T any](c conv[T]) conv[[]T] {
	return conv[[]T]{
		func(v co.Value) []T {
			out := make([]T, len(v.Elems))
			for i, e := range v.Elems {
				out[i] = c.to(e)
			}
			return out
		},
		func(xs []T) co.Value {
			es := make([]co.Value, len(xs))
			for i, x := range xs {
				es[i] = c.from(x)
			}
			return co.List(es...)
		},
	}
}

func cOption[T any](c conv[T]) conv[ra.Option[T]] {
	return conv[ra.Option[T]]{
		func(v co.Value) ra.Option[T] {
			if v.Payload == nil {
				return ra.None[T]()
			}
			return ra.Some(c.to(*v.Payload))
		},
		func(o ra.Option[T]) co.Value {
			if x, ok := o.Get(); ok {
				return co.Some(c.from(x))
			}
			return co.None()
		},
	}
}

// cResult converts result<T, E>; a nil *conv stands for a missing type
// (Go struct{}).
func cResult[T, E any](ok *conv[T], err *conv[E]) conv[ra.Result[T, E]] {
	return conv[ra.Result[T, E]]{
		func(v co.Value) ra.Result[T, E] {
			if v.IsErr {
				var e E
				if err != nil {
					e = err.to(*v.Payload)
				}
				return ra.Err[T](e)
			}
			var x T
			if ok != nil {
				x = ok.to(*v.Payload)
			}
			return ra.OK[T, E](x)
		},
		func(r ra.Result[T, E]) co.Value {
			if e, isErr := r.Err(); isErr {
				if err == nil {
					return co.Err(nil)
				}
				return co.Err(co.Ptr(err.from(e)))
			}
			x, _ := r.OK()
			if ok == nil {
				return co.Ok(nil)
			}
			return co.Ok(co.Ptr(ok.from(x)))
		},
	}
}

func cEnum[T ~uint8 | ~uint16](ty *typ) conv[T] {
	idx := map[string]T{}
	for i, c := range ty.cases {
		idx[c.name] = T(i)
	}
	return conv[T]{
		func(v co.Value) T {
			i, ok := idx[v.Case]
			if !ok {
				panic(fmt.Sprintf("%s: no case %q", ty.name, v.Case))
			}
			return i
		},
		func(x T) co.Value {
			if int(x) >= len(ty.cases) {
				return co.Enum(fmt.Sprintf("<out of range %d>", x))
			}
			return co.Enum(ty.cases[x].name)
		},
	}
}

func cFlags[T ~uint8 | ~uint16 | ~uint32](ty *typ) conv[T] {
	idx := map[string]int{}
	for i, f := range ty.flags {
		idx[f] = i
	}
	return conv[T]{
		func(v co.Value) T {
			var x T
			for _, f := range v.Flags {
				x |= 1 << idx[f]
			}
			return x
		},
		func(x T) co.Value {
			var names []string
			for i, f := range ty.flags {
				if x&(1<<i) != 0 {
					names = append(names, f)
				}
			}
			if uint64(x)>>len(ty.flags) != 0 {
				names = append(names, fmt.Sprintf("<undeclared bits %#x>", uint64(x)>>len(ty.flags)))
			}
			return co.Flags(names...)
		},
	}
}

func fieldOf(v co.Value, i int) co.Value {
	if v.Kind == co.KindTuple {
		return v.Elems[i]
	}
	return v.Fields[i].Value
}

var (
	cColor   = cEnum[ks.Color](tColor)
	cBigEnum = cEnum[ks.BigEnum](tBigEnum)
	cFlags1  = cFlags[ks.Flags1](tFlags1)
	cFlags8  = cFlags[ks.Flags8](tFlags8)
	cFlags9  = cFlags[ks.Flags9](tFlags9)
	cFlags16 = cFlags[ks.Flags16](tFlags16)
	cFlags17 = cFlags[ks.Flags17](tFlags17)
	cFlags32 = cFlags[ks.Flags32](tFlags32)

	cPoint = conv[ks.Point]{
		func(v co.Value) ks.Point { return ks.Point{X: cS32.to(fieldOf(v, 0)), Y: cS32.to(fieldOf(v, 1))} },
		func(p ks.Point) co.Value { return co.Record(fld("x", co.S32(p.X)), fld("y", co.S32(p.Y))) },
	}
	cMixed = conv[ks.Mixed]{
		func(v co.Value) ks.Mixed {
			return ks.Mixed{A: cU8.to(fieldOf(v, 0)), B: cS16.to(fieldOf(v, 1)), C: cU32.to(fieldOf(v, 2)), D: cS64.to(fieldOf(v, 3)),
				E: cF32.to(fieldOf(v, 4)), F: cF64.to(fieldOf(v, 5)), G: cString.to(fieldOf(v, 6)), H: cBool.to(fieldOf(v, 7))}
		},
		func(m ks.Mixed) co.Value {
			return co.Record(fld("a", co.U8(m.A)), fld("b", co.S16(m.B)), fld("c", co.U32(m.C)), fld("d", co.S64(m.D)),
				fld("e", co.F32(m.E)), fld("f", co.F64(m.F)), fld("g", co.String(m.G)), fld("h", co.Bool(m.H)))
		},
	}
	cLine = conv[ks.Line]{
		func(v co.Value) ks.Line {
			return ks.Line{Start: cPoint.to(fieldOf(v, 0)), End: cPoint.to(fieldOf(v, 1)), Label: cString.to(fieldOf(v, 2))}
		},
		func(l ks.Line) co.Value {
			return co.Record(fld("start", cPoint.from(l.Start)), fld("end", cPoint.from(l.End)), fld("label", co.String(l.Label)))
		},
	}
	cTags      = cList(cString)
	cOptPoint  = cOptionOf(cPoint)
	cOptU32    = cOptionOf(cU32)
	cOptString = cOptionOf(cString)
	cNested    = conv[ks.Nested]{
		func(v co.Value) ks.Nested {
			return ks.Nested{Name: cString.to(fieldOf(v, 0)), Line: cLine.to(fieldOf(v, 1)), Tags: cTags.to(fieldOf(v, 2)),
				Origin: cOptPoint.to(fieldOf(v, 3)), Color: cColor.to(fieldOf(v, 4))}
		},
		func(n ks.Nested) co.Value {
			return co.Record(fld("name", co.String(n.Name)), fld("line", cLine.from(n.Line)), fld("tags", cTags.from(n.Tags)),
				fld("origin", cOptPoint.from(n.Origin)), fld("color", cColor.from(n.Color)))
		},
	}
	cMany = conv[ks.ManyFields]{
		func(v co.Value) ks.ManyFields {
			f := func(i int) co.Value { return fieldOf(v, i) }
			return ks.ManyFields{A: cU8.to(f(0)), B: cS8.to(f(1)), C: cU16.to(f(2)), D: cS16.to(f(3)), E: cU32.to(f(4)), F: cS32.to(f(5)),
				G: cU64.to(f(6)), H: cS64.to(f(7)), I: cF32.to(f(8)), J: cF64.to(f(9)), K: cBool.to(f(10)), L: cChar.to(f(11)),
				M: cString.to(f(12)), N: cPoint.to(f(13)), O: cColor.to(f(14)), P: cFlags9.to(f(15)), Q: cOptU32.to(f(16))}
		},
		func(m ks.ManyFields) co.Value {
			vs := []co.Value{co.U8(m.A), co.S8(m.B), co.U16(m.C), co.S16(m.D), co.U32(m.E), co.S32(m.F), co.U64(m.G), co.S64(m.H),
				co.F32(m.I), co.F64(m.J), co.Bool(m.K), co.Char(m.L), co.String(m.M), cPoint.from(m.N), cColor.from(m.O),
				cFlags9.from(m.P), cOptU32.from(m.Q)}
			fs := make([]co.Field, len(vs))
			for i, v := range vs {
				fs[i] = co.Field{Name: manyParams[i].name, Value: v}
			}
			return co.Record(fs...)
		},
	}
	cTuple = conv[tuple3]{
		func(v co.Value) tuple3 {
			return tuple3{F0: cU8.to(v.Elems[0]), F1: cString.to(v.Elems[1]), F2: cF64.to(v.Elems[2])}
		},
		func(x tuple3) co.Value { return co.Tuple(co.U8(x.F0), co.String(x.F1), co.F64(x.F2)) },
	}
	cPair = conv[pair]{
		func(v co.Value) pair { return pair{F0: v.Elems[0].Uint, F1: v.Elems[1].Str} },
		func(x pair) co.Value { return co.Tuple(co.U64(x.F0), co.String(x.F1)) },
	}
	cJoined = conv[ks.Joined]{
		func(v co.Value) ks.Joined {
			p := v.Payload
			switch v.Case {
			case "empty":
				return ks.JoinedEmpty{}
			case "int32":
				return ks.JoinedInt32{Value: int32(p.Int)}
			case "float32":
				return ks.JoinedFloat32{Value: float32(p.Float)}
			case "int64":
				return ks.JoinedInt64{Value: p.Int}
			case "float64":
				return ks.JoinedFloat64{Value: p.Float}
			case "text":
				return ks.JoinedText{Value: p.Str}
			case "pair":
				return ks.JoinedPair{Value: struct {
					F0 float32
					F1 uint32
				}{float32(p.Elems[0].Float), uint32(p.Elems[1].Uint)}}
			}
			panic("joined: " + v.Case)
		},
		func(j ks.Joined) co.Value {
			switch j := j.(type) {
			case ks.JoinedEmpty:
				return co.Variant("empty", nil)
			case ks.JoinedInt32:
				return co.Variant("int32", co.Ptr(co.S32(j.Value)))
			case ks.JoinedFloat32:
				return co.Variant("float32", co.Ptr(co.F32(j.Value)))
			case ks.JoinedInt64:
				return co.Variant("int64", co.Ptr(co.S64(j.Value)))
			case ks.JoinedFloat64:
				return co.Variant("float64", co.Ptr(co.F64(j.Value)))
			case ks.JoinedText:
				return co.Variant("text", co.Ptr(co.String(j.Value)))
			case ks.JoinedPair:
				return co.Variant("pair", co.Ptr(co.Tuple(co.F32(j.Value.F0), co.U32(j.Value.F1))))
			}
			return co.Variant(fmt.Sprintf("<%T>", j), nil)
		},
	}
	cNum = conv[ks.Num]{
		func(v co.Value) ks.Num {
			if v.Case == "int" {
				return ks.NumInt{Value: uint32(v.Payload.Uint)}
			}
			return ks.NumFloat{Value: float32(v.Payload.Float)}
		},
		func(n ks.Num) co.Value {
			switch n := n.(type) {
			case ks.NumInt:
				return co.Variant("int", co.Ptr(co.U32(n.Value)))
			case ks.NumFloat:
				return co.Variant("float", co.Ptr(co.F32(n.Value)))
			}
			return co.Variant(fmt.Sprintf("<%T>", n), nil)
		},
	}
	cBigVariant = conv[ks.BigVariant]{
		func(v co.Value) ks.BigVariant {
			i, err := strconv.Atoi(strings.TrimPrefix(v.Case, "c"))
			if err != nil {
				panic("big-variant: " + v.Case)
			}
			return bigVariantOf(i, v.Payload)
		},
		func(x ks.BigVariant) co.Value {
			// BigVariantC<i>{} or BigVariantC<i>{Value: payload}.
			rv := reflect.ValueOf(x)
			if !rv.IsValid() {
				return co.Variant("<nil>", nil)
			}
			c := "c" + strings.TrimPrefix(rv.Type().Name(), "BigVariantC")
			if rv.NumField() == 0 {
				return co.Variant(c, nil)
			}
			switch p := rv.Field(0).Interface().(type) {
			case uint8:
				return co.Variant(c, co.Ptr(co.U8(p)))
			case uint16:
				return co.Variant(c, co.Ptr(co.U16(p)))
			case uint32:
				return co.Variant(c, co.Ptr(co.U32(p)))
			case string:
				return co.Variant(c, co.Ptr(co.String(p)))
			}
			panic(fmt.Sprintf("big-variant payload %T", x))
		},
	}
)

func cOptionOf[T any](c conv[T]) conv[ra.Option[T]] { return cOption(c) }

// tuple3 is tuple<u8, string, f64>.
type tuple3 = struct {
	F0 uint8
	F1 string
	F2 float64
}

// pair is tuple<u64, string>.
type pair = struct {
	F0 uint64
	F1 string
}

func fld(name string, v co.Value) co.Field { return co.Field{Name: name, Value: v} }
