package difftest

import (
	"fmt"

	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// typ is a component-model type of the kitchen-sink world
// (testdata/kitchen-sink/kitchen-sink.wit), described once and used three
// ways: to write the component's type definitions (component_test.go), to
// draw random values (values_test.go) and to size the canonical options.
type typ struct {
	kind    co.Kind
	name    string  // WIT name of a record, variant, enum or flags
	elem    *typ    // list, option
	fields  []field // record fields, tuple elements
	cases   []field // variant cases (t nil: no payload), enum cases
	flags   []string
	ok, err *typ // result (nil: none)
	// res is the resource of an own (borrow false) or borrow handle
	// (kind co.KindResource).
	res    string
	borrow bool
}

type field struct {
	name string
	t    *typ
}

func prim(k co.Kind) *typ { return &typ{kind: k} }

var (
	tBool   = prim(co.KindBool)
	tU8     = prim(co.KindU8)
	tS8     = prim(co.KindS8)
	tU16    = prim(co.KindU16)
	tS16    = prim(co.KindS16)
	tU32    = prim(co.KindU32)
	tS32    = prim(co.KindS32)
	tU64    = prim(co.KindU64)
	tS64    = prim(co.KindS64)
	tF32    = prim(co.KindF32)
	tF64    = prim(co.KindF64)
	tChar   = prim(co.KindChar)
	tString = prim(co.KindString)
)

func own(res string) *typ    { return &typ{kind: co.KindResource, res: res} }
func borrow(res string) *typ { return &typ{kind: co.KindResource, res: res, borrow: true} }

func list(t *typ) *typ   { return &typ{kind: co.KindList, elem: t} }
func option(t *typ) *typ { return &typ{kind: co.KindOption, elem: t} }
func result(ok, err *typ) *typ {
	return &typ{kind: co.KindResult, ok: ok, err: err}
}
func tuple(ts ...*typ) *typ {
	t := &typ{kind: co.KindTuple}
	for i, e := range ts {
		t.fields = append(t.fields, field{fmt.Sprint(i), e})
	}
	return t
}
func record(name string, fs ...field) *typ {
	return &typ{kind: co.KindRecord, name: name, fields: fs}
}
func enum(name string, cases ...string) *typ {
	t := &typ{kind: co.KindEnum, name: name}
	for _, c := range cases {
		t.cases = append(t.cases, field{name: c})
	}
	return t
}
func flagsN(name string, n int) *typ {
	t := &typ{kind: co.KindFlags, name: name}
	for i := range n {
		t.flags = append(t.flags, fmt.Sprintf("f%d", i))
	}
	return t
}

// The named types of interface types, in dependency order.
var (
	tPoint = record("point", field{"x", tS32}, field{"y", tS32})
	tMixed = record("mixed", field{"a", tU8}, field{"b", tS16}, field{"c", tU32}, field{"d", tS64},
		field{"e", tF32}, field{"f", tF64}, field{"g", tString}, field{"h", tBool})
	tLine    = record("line", field{"start", tPoint}, field{"end", tPoint}, field{"label", tString})
	tColor   = enum("color", "red", "green", "blue")
	tNested  = record("nested", field{"name", tString}, field{"line", tLine}, field{"tags", list(tString)}, field{"origin", option(tPoint)}, field{"color", tColor})
	tFlags1  = flagsN("flags1", 1)
	tFlags8  = flagsN("flags8", 8)
	tFlags9  = flagsN("flags9", 9)
	tFlags16 = flagsN("flags16", 16)
	tFlags17 = flagsN("flags17", 17)
	tFlags32 = flagsN("flags32", 32)
	tMany    = record("many-fields", manyParams...)
	tBigEnum = func() *typ {
		t := &typ{kind: co.KindEnum, name: "big-enum"}
		for i := range 300 {
			t.cases = append(t.cases, field{name: fmt.Sprintf("e%d", i)})
		}
		return t
	}()
	// big-variant: c<i> carries u8 when i%7==1, u32 when i%7==3, string
	// when i%7==5, c299 carries u16, the rest nothing.
	tBigVariant = func() *typ {
		t := &typ{kind: co.KindVariant, name: "big-variant"}
		for i := range 300 {
			var p *typ
			switch {
			case i == 299:
				p = tU16
			case i%7 == 1:
				p = tU8
			case i%7 == 3:
				p = tU32
			case i%7 == 5:
				p = tString
			}
			t.cases = append(t.cases, field{fmt.Sprintf("c%d", i), p})
		}
		return t
	}()
	tJoined = &typ{kind: co.KindVariant, name: "joined", cases: []field{
		{"empty", nil}, {"int32", tS32}, {"float32", tF32}, {"int64", tS64}, {"float64", tF64},
		{"text", tString}, {"pair", tuple(tF32, tU32)}}}
	tNum = &typ{kind: co.KindVariant, name: "num", cases: []field{{"int", tU32}, {"float", tF32}}}

	namedTypes = []*typ{tPoint, tMixed, tLine, tColor, tNested, tFlags9, tMany, tBigEnum,
		tFlags1, tFlags8, tFlags16, tFlags17, tFlags32, tBigVariant, tJoined, tNum}
)

// manyParams are echo-many's 17 parameters, which are also the fields of
// many-fields.
var manyParams = []field{{"a", tU8}, {"b", tS8}, {"c", tU16}, {"d", tS16}, {"e", tU32}, {"f", tS32},
	{"g", tU64}, {"h", tS64}, {"i", tF32}, {"j", tF64}, {"k", tBool}, {"l", tChar}, {"m", tString},
	{"n", tPoint}, {"o", tColor}, {"p", tFlags9}, {"q", option(tU32)}}

// fn is a function that interface host imports as echo-<name> and
// interface guest exports as echo-<name> and roundtrip-<name>.
type fn struct {
	name   string // without the echo-/roundtrip- prefix
	params []field
	result *typ // nil: none
}

func echo(name string, t *typ) fn { return fn{name, []field{{"x", t}}, t} }

// fns are every echo-* function of the world, and ping.
var fns = []fn{
	{name: "ping"},
	echo("bool", tBool), echo("u8", tU8), echo("s8", tS8), echo("u16", tU16), echo("s16", tS16),
	echo("u32", tU32), echo("s32", tS32), echo("u64", tU64), echo("s64", tS64),
	echo("f32", tF32), echo("f64", tF64), echo("char", tChar), echo("string", tString),
	echo("list-u8", list(tU8)), echo("list-string", list(tString)), echo("list-record", list(tMixed)),
	echo("list-list", list(list(tU32))), echo("point", tPoint), echo("record", tMixed),
	echo("nested", tNested), echo("color", tColor), echo("big-enum", tBigEnum),
	echo("flags1", tFlags1), echo("flags8", tFlags8), echo("flags9", tFlags9),
	echo("flags16", tFlags16), echo("flags17", tFlags17), echo("flags32", tFlags32),
	echo("big-variant", tBigVariant), echo("joined", tJoined), echo("num", tNum),
	echo("option-u32", option(tU32)), echo("option-string", option(tString)),
	echo("option-option", option(option(tU32))), echo("result-unit", result(nil, nil)),
	echo("result-ok", result(tString, nil)), echo("result-err", result(nil, tColor)),
	echo("result-both", result(tPoint, tString)), echo("tuple", tuple(tU8, tString, tF64)),
	{"pair", []field{{"a", tU64}, {"b", tString}}, tuple(tU64, tString)},
	{"many", manyParams, tMany},
}

// flatCount is the number of core values of t (CanonicalABI.md flatten_type;
// variants: 1 + the widest case, which is what joining gives).
func flatCount(t *typ) int {
	switch t.kind {
	case co.KindString, co.KindList:
		return 2
	case co.KindRecord, co.KindTuple:
		n := 0
		for _, f := range t.fields {
			n += flatCount(f.t)
		}
		return n
	case co.KindVariant, co.KindOption, co.KindResult:
		n := 0
		for _, c := range payloads(t) {
			if c != nil {
				n = max(n, flatCount(c))
			}
		}
		return 1 + n
	case co.KindFlags:
		return (len(t.flags) + 31) / 32
	}
	return 1
}

// payloads lists the payload types of a variant, option or result (nil
// for a case without payload).
func payloads(t *typ) []*typ {
	switch t.kind {
	case co.KindOption:
		return []*typ{nil, t.elem}
	case co.KindResult:
		return []*typ{t.ok, t.err}
	}
	var ps []*typ
	for _, c := range t.cases {
		ps = append(ps, c.t)
	}
	return ps
}

// usesMemory reports whether t holds a string or a list.
func usesMemory(t *typ) bool {
	if t == nil {
		return false
	}
	switch t.kind {
	case co.KindString, co.KindList:
		return true
	case co.KindRecord, co.KindTuple:
		for _, f := range t.fields {
			if usesMemory(f.t) {
				return true
			}
		}
	case co.KindVariant, co.KindOption, co.KindResult:
		for _, p := range payloads(t) {
			if usesMemory(p) {
				return true
			}
		}
	}
	return false
}

// abi sizes the canonical options of f: whether lifting (export) or
// lowering (import) it needs the guest's memory and its realloc.
func (f fn) abi() (liftMem, liftRealloc, lowerMem, lowerRealloc bool) {
	nparams, paramsMem := 0, false
	for _, p := range f.params {
		nparams += flatCount(p.t)
		paramsMem = paramsMem || usesMemory(p.t)
	}
	nres := 0
	if f.result != nil {
		nres = flatCount(f.result)
	}
	resMem := usesMemory(f.result)
	mem := paramsMem || resMem || nparams > 16 || nres > 1
	return mem, paramsMem || nparams > 16, mem, resMem
}
