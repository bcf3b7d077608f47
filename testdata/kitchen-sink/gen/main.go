// Command gen writes the kitchen-sink fixture sources that are too repetitive
// to keep consistent by hand:
//
//   - testdata/kitchen-sink/kitchen-sink.wit (the whole WIT package), and
//   - testdata/kitchen-sink/guest/bindings.h (the C canonical-ABI glue for
//     every echo-*/roundtrip-* function, included by guest/guest.c).
//
// Both come from one table of types (below), so the WIT and the C guest
// cannot drift apart. The generator carries a tiny canonical-ABI model
// (size, alignment, flattening with variant joining) written from
// design/mvp/CanonicalABI.md; its output is plain C that reads and writes
// linear memory with explicit offsets.
//
// Run from the repository root:
//
//	go run ./testdata/kitchen-sink/gen
//
// The output is deterministic. testdata/build.sh runs it before compiling.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

type kind int

const (
	kPrim kind = iota
	kString
	kList
	kRecord // also tuples (tuple == true)
	kVariant
	kFlags
)

type field struct {
	name string
	t    *typ
}

type cas struct {
	name string
	t    *typ // nil: no payload
}

type typ struct {
	k      kind
	prim   string // u8 s8 u16 s16 u32 s32 u64 s64 f32 f64 bool char
	name   string // WIT name of a named type definition ("" for anonymous)
	wit    string // WIT spelling for anonymous types
	elem   *typ
	fields []field
	cases  []cas
	nflags int
	// variant flavour, for WIT printing only
	flavour string // "variant", "enum", "option", "result"
	tuple   bool
}

func (t *typ) ref() string {
	if t.name != "" {
		return t.name
	}
	return t.wit
}

func prim(p string) *typ { return &typ{k: kPrim, prim: p, wit: p} }

var (
	tBool = prim("bool")
	tU8   = prim("u8")
	tS8   = prim("s8")
	tU16  = prim("u16")
	tS16  = prim("s16")
	tU32  = prim("u32")
	tS32  = prim("s32")
	tU64  = prim("u64")
	tS64  = prim("s64")
	tF32  = prim("f32")
	tF64  = prim("f64")
	tChar = prim("char")
	tStr  = &typ{k: kString, wit: "string"}
)

func list(e *typ) *typ { return &typ{k: kList, elem: e, wit: "list<" + e.ref() + ">"} }
func option(e *typ) *typ {
	return &typ{k: kVariant, flavour: "option", cases: []cas{{"none", nil}, {"some", e}}, wit: "option<" + e.ref() + ">"}
}
func result(ok, er *typ) *typ {
	w := "result"
	switch {
	case ok != nil && er != nil:
		w = "result<" + ok.ref() + ", " + er.ref() + ">"
	case ok != nil:
		w = "result<" + ok.ref() + ">"
	case er != nil:
		w = "result<_, " + er.ref() + ">"
	}
	return &typ{k: kVariant, flavour: "result", cases: []cas{{"ok", ok}, {"error", er}}, wit: w}
}
func tuple(ts ...*typ) *typ {
	t := &typ{k: kRecord, tuple: true}
	var parts []string
	for i, e := range ts {
		t.fields = append(t.fields, field{fmt.Sprint(i), e})
		parts = append(parts, e.ref())
	}
	t.wit = "tuple<" + strings.Join(parts, ", ") + ">"
	return t
}
func record(name string, fs ...field) *typ { return &typ{k: kRecord, name: name, fields: fs} }
func variant(name string, cs ...cas) *typ {
	return &typ{k: kVariant, name: name, flavour: "variant", cases: cs}
}
func enum(name string, labels ...string) *typ {
	t := &typ{k: kVariant, name: name, flavour: "enum"}
	for _, l := range labels {
		t.cases = append(t.cases, cas{l, nil})
	}
	return t
}
func flags(name string, n int) *typ { return &typ{k: kFlags, name: name, nflags: n} }

// ---- canonical ABI model (CanonicalABI.md: alignment, size, flatten_type) ----

func alignTo(n, a int) int { return (n + a - 1) / a * a }

func discSize(n int) int {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

func (t *typ) align() int {
	switch t.k {
	case kPrim:
		return t.size()
	case kString, kList:
		return 4
	case kRecord:
		a := 1
		for _, f := range t.fields {
			a = max(a, f.t.align())
		}
		return a
	case kVariant:
		return max(discSize(len(t.cases)), t.maxCaseAlign())
	case kFlags:
		return t.size()
	}
	panic("BUG")
}

func (t *typ) maxCaseAlign() int {
	a := 1
	for _, c := range t.cases {
		if c.t != nil {
			a = max(a, c.t.align())
		}
	}
	return a
}

func (t *typ) payloadOffset() int { return alignTo(discSize(len(t.cases)), t.maxCaseAlign()) }

func (t *typ) size() int {
	switch t.k {
	case kPrim:
		switch t.prim {
		case "bool", "u8", "s8":
			return 1
		case "u16", "s16":
			return 2
		case "u32", "s32", "f32", "char":
			return 4
		case "u64", "s64", "f64":
			return 8
		}
	case kString, kList:
		return 8
	case kRecord:
		s := 0
		for _, f := range t.fields {
			s = alignTo(s, f.t.align()) + f.t.size()
		}
		return alignTo(s, t.align())
	case kVariant:
		cs := 0
		for _, c := range t.cases {
			if c.t != nil {
				cs = max(cs, c.t.size())
			}
		}
		return alignTo(t.payloadOffset()+cs, t.align())
	case kFlags:
		switch {
		case t.nflags <= 8:
			return 1
		case t.nflags <= 16:
			return 2
		case t.nflags <= 32:
			return 4
		}
	}
	panic("BUG: size " + t.ref())
}

func (t *typ) fieldOffsets() []int {
	var offs []int
	s := 0
	for _, f := range t.fields {
		s = alignTo(s, f.t.align())
		offs = append(offs, s)
		s += f.t.size()
	}
	return offs
}

func join(a, b string) string {
	if a == b {
		return a
	}
	if (a == "i32" && b == "f32") || (a == "f32" && b == "i32") {
		return "i32"
	}
	return "i64"
}

func (t *typ) flat() []string {
	switch t.k {
	case kPrim:
		switch t.prim {
		case "u64", "s64":
			return []string{"i64"}
		case "f32":
			return []string{"f32"}
		case "f64":
			return []string{"f64"}
		}
		return []string{"i32"}
	case kString, kList:
		return []string{"i32", "i32"}
	case kRecord:
		var fl []string
		for _, f := range t.fields {
			fl = append(fl, f.t.flat()...)
		}
		return fl
	case kVariant:
		var fl []string
		for _, c := range t.cases {
			if c.t == nil {
				continue
			}
			for i, ft := range c.t.flat() {
				if i < len(fl) {
					fl[i] = join(fl[i], ft)
				} else {
					fl = append(fl, ft)
				}
			}
		}
		return append([]string{"i32"}, fl...)
	case kFlags:
		return []string{"i32"}
	}
	panic("BUG")
}

func (t *typ) hasPtr() bool {
	switch t.k {
	case kString, kList:
		return true
	case kRecord:
		for _, f := range t.fields {
			if f.t.hasPtr() {
				return true
			}
		}
	case kVariant:
		for _, c := range t.cases {
			if c.t != nil && c.t.hasPtr() {
				return true
			}
		}
	}
	return false
}

// ---- the type table ----

var (
	tPoint = record("point", field{"x", tS32}, field{"y", tS32})
	tColor = enum("color", "red", "green", "blue")
	tMixed = record("mixed",
		field{"a", tU8}, field{"b", tS16}, field{"c", tU32}, field{"d", tS64},
		field{"e", tF32}, field{"f", tF64}, field{"g", tStr}, field{"h", tBool})
	tLine   = record("line", field{"start", tPoint}, field{"end", tPoint}, field{"label", tStr})
	tNested = record("nested",
		field{"name", tStr}, field{"line", tLine}, field{"tags", list(tStr)},
		field{"origin", option(tPoint)}, field{"color", tColor})
	tFlags1  = flags("flags1", 1)
	tFlags8  = flags("flags8", 8)
	tFlags9  = flags("flags9", 9)
	tFlags16 = flags("flags16", 16)
	tFlags17 = flags("flags17", 17)
	tFlags32 = flags("flags32", 32)
	tBigEnum = func() *typ {
		var ls []string
		for i := 0; i < 300; i++ {
			ls = append(ls, fmt.Sprintf("e%d", i))
		}
		return enum("big-enum", ls...)
	}()
	tBigVariant = func() *typ {
		var cs []cas
		for i := 0; i < 300; i++ {
			c := cas{name: fmt.Sprintf("c%d", i)}
			switch {
			case i == 299:
				c.t = tU16
			case i%7 == 1:
				c.t = tU8
			case i%7 == 3:
				c.t = tU32
			case i%7 == 5:
				c.t = tStr
			}
			cs = append(cs, c)
		}
		return variant("big-variant", cs...)
	}()
	tJoined = variant("joined",
		cas{"empty", nil}, cas{"int32", tS32}, cas{"float32", tF32}, cas{"int64", tS64},
		cas{"float64", tF64}, cas{"text", tStr}, cas{"pair", tuple(tF32, tU32)})
	tNum       = variant("num", cas{"int", tU32}, cas{"float", tF32})
	tManyField = record("many-fields",
		field{"a", tU8}, field{"b", tS8}, field{"c", tU16}, field{"d", tS16},
		field{"e", tU32}, field{"f", tS32}, field{"g", tU64}, field{"h", tS64},
		field{"i", tF32}, field{"j", tF64}, field{"k", tBool}, field{"l", tChar},
		field{"m", tStr}, field{"n", tPoint}, field{"o", tColor}, field{"p", tFlags9},
		field{"q", option(tU32)})
)

// named types, in WIT declaration order
var named = []*typ{tPoint, tMixed, tLine, tNested, tManyField, tColor, tBigEnum,
	tFlags1, tFlags8, tFlags9, tFlags16, tFlags17, tFlags32, tBigVariant, tJoined, tNum}

// An echo function: params ps, result r, where r has exactly the memory
// layout of tuple(ps) (so echoing is a deep copy of the params tuple).
type echo struct {
	name   string
	params []field
	res    *typ
	doc    string
}

func one(name string, t *typ) echo { return echo{name: name, params: []field{{"x", t}}, res: t} }

var echoes = []echo{
	one("bool", tBool), one("u8", tU8), one("s8", tS8), one("u16", tU16), one("s16", tS16),
	one("u32", tU32), one("s32", tS32), one("u64", tU64), one("s64", tS64),
	one("f32", tF32), one("f64", tF64), one("char", tChar), one("string", tStr),
	one("list-u8", list(tU8)), one("list-string", list(tStr)), one("list-record", list(tMixed)),
	one("list-list", list(list(tU32))),
	one("point", tPoint), one("record", tMixed), one("nested", tNested),
	one("color", tColor), one("big-enum", tBigEnum),
	one("flags1", tFlags1), one("flags8", tFlags8), one("flags9", tFlags9),
	one("flags16", tFlags16), one("flags17", tFlags17), one("flags32", tFlags32),
	one("big-variant", tBigVariant), one("joined", tJoined), one("num", tNum),
	one("option-u32", option(tU32)), one("option-string", option(tStr)),
	one("option-option", option(option(tU32))),
	one("result-unit", result(nil, nil)), one("result-ok", result(tStr, nil)),
	one("result-err", result(nil, tColor)), one("result-both", result(tPoint, tStr)),
	one("tuple", tuple(tU8, tStr, tF64)),
	{name: "pair", params: []field{{"a", tU64}, {"b", tStr}}, res: tuple(tU64, tStr),
		doc: "Two parameters, results spill to a return area."},
	{name: "many", params: tManyField.fields, res: tManyField,
		doc: "17 parameters (20 flat values > MAX_FLAT_PARAMS): parameters are passed in memory."},
}

func (e echo) paramsTuple() *typ {
	var ts []*typ
	for _, p := range e.params {
		ts = append(ts, p.t)
	}
	return tuple(ts...)
}

// ---- WIT ----

func kebabWIT() string {
	var b bytes.Buffer
	p := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	p("// Code generated by testdata/kitchen-sink/gen. DO NOT EDIT.")
	p("//")
	p("// Kitchen-sink world for the runtime tests: every WIT type, in both")
	p("// directions. See testdata/kitchen-sink/README.md.")
	p("package test:kitchen-sink@0.1.0;")
	p("")
	p("/// Type definitions shared by `host` and `guest`.")
	p("interface types {")
	for _, t := range named {
		switch {
		case t.k == kRecord:
			p("  record %s {", t.name)
			for _, f := range t.fields {
				p("    %s: %s,", f.name, f.t.ref())
			}
			p("  }")
		case t.k == kFlags:
			var ls []string
			for i := 0; i < t.nflags; i++ {
				ls = append(ls, fmt.Sprintf("f%d", i))
			}
			p("  /// %d-member flags, stored in %d byte(s).", t.nflags, t.size())
			p("  flags %s {", t.name)
			writeWrapped(&b, ls, "    ")
			p("  }")
		case t.flavour == "enum":
			var ls []string
			for _, c := range t.cases {
				ls = append(ls, c.name)
			}
			if len(ls) > 256 {
				p("  /// %d cases: the discriminant is a u16.", len(ls))
			}
			p("  enum %s {", t.name)
			writeWrapped(&b, ls, "    ")
			p("  }")
		default:
			var ls []string
			for _, c := range t.cases {
				if c.t == nil {
					ls = append(ls, c.name)
				} else {
					ls = append(ls, c.name+"("+c.t.ref()+")")
				}
			}
			if len(ls) > 256 {
				p("  /// %d cases (u16 discriminant), small payloads on some cases.", len(ls))
			} else if t == tJoined {
				p("  /// Payload flat types i32/f32/i64/f64/string/tuple join to [i32, i64, i32].")
			}
			p("  variant %s {", t.name)
			writeWrapped(&b, ls, "    ")
			p("  }")
		}
	}
	p("}")
	p("")
	uses := func() {
		var ns []string
		for _, t := range named {
			ns = append(ns, t.name)
		}
		p("  use types.{")
		writeWrapped(&b, ns, "    ")
		p("  };")
	}
	sig := func(prefix string, e echo) {
		var ps []string
		for _, q := range e.params {
			ps = append(ps, q.name+": "+q.t.ref())
		}
		if e.doc != "" {
			p("  /// %s", e.doc)
		}
		p("  %s%s: func(%s) -> %s;", prefix, e.name, strings.Join(ps, ", "), e.res.ref())
	}
	p("/// Implemented by the Go host, called by the guest.")
	p("interface host {")
	uses()
	p("")
	p(hostResources)
	for _, e := range echoes {
		sig("echo-", e)
	}
	p("}")
	p("")
	p("/// Implemented by the guest, called by the Go host.")
	p("interface guest {")
	uses()
	p("  use host.{blob};")
	p("")
	p(guestResources)
	p("  /// echo-*: the guest returns a deep copy of its arguments.")
	for _, e := range echoes {
		sig("echo-", e)
	}
	p("")
	p("  /// roundtrip-*: the guest passes its arguments to host.echo-* and")
	p("  /// returns the host's answer.")
	for _, e := range echoes {
		sig("roundtrip-", e)
	}
	p("}")
	p("")
	p("world kitchen-sink {")
	p("  import host;")
	p("  export guest;")
	p("}")
	return b.String()
}

func writeWrapped(b *bytes.Buffer, items []string, indent string) {
	line := indent
	for i, it := range items {
		s := it + ","
		if i == len(items)-1 {
			s = it
		}
		if len(line)+len(s)+1 > 78 && line != indent {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		line += s + " "
	}
	b.WriteString(strings.TrimRight(line, " ") + "\n")
}

const hostResources = `  /// A host-implemented resource: the guest creates, borrows, passes and drops it.
  resource blob {
    constructor(init: list<u8>);
    size: func() -> u32;
    /// Results spill (list = 2 flat values): the guest passes a return pointer.
    read: func(offset: u32, len: u32) -> list<u8>;
    append: func(data: list<u8>);
    merge: static func(a: borrow<blob>, b: borrow<blob>) -> blob;
  }
  make-blob: func(data: list<u8>) -> blob;
  blob-len: func(b: borrow<blob>) -> u32;
  consume-blob: func(b: blob) -> list<u8>;
  echo-blob: func(b: blob) -> blob;
  ping: func();
`

const guestResources = `  /// A guest-implemented resource (rep = pointer to guest memory).
  resource counter {
    constructor(start: u32);
    get: func() -> u32;
    increment: func(by: u32) -> u32;
    /// Returns "counter=<value>"; the string is freed by post-return.
    label: func() -> string;
    zero: static func() -> counter;
    merge: static func(a: borrow<counter>, b: borrow<counter>) -> counter;
  }
  /// Takes ownership of a counter, returns its value and drops it (the
  /// guest calls [resource-drop]counter, so the host runs the destructor).
  consume-counter: func(c: counter) -> u32;

  /// Creates a blob via the host constructor, appends data again, reads it
  /// all back and drops the blob: returns data twice.
  blob-roundtrip: func(data: list<u8>) -> list<u8>;
  /// Calls [method]blob.size on a borrowed handle.
  blob-size: func(b: borrow<blob>) -> u32;
  /// Reads an owned blob completely via [method]blob.read, then drops it.
  blob-take: func(b: blob) -> list<u8>;
  /// Passes the owned blob through host.echo-blob and returns the result.
  blob-pass: func(b: blob) -> blob;
  /// Calls [static]blob.merge with two borrows.
  blob-merge: func(a: borrow<blob>, b: borrow<blob>) -> blob;
  /// Calls host.make-blob and returns the owned handle.
  blob-make: func(data: list<u8>) -> blob;
  /// Calls host.make-blob then host.consume-blob.
  blob-consume: func(data: list<u8>) -> list<u8>;
  /// Calls host.blob-len on a borrowed handle.
  blob-len: func(b: borrow<blob>) -> u32;
  ping: func();
  /// Calls host.ping.
  roundtrip-ping: func();
`

// ---- C ----

type cgen struct {
	b   bytes.Buffer
	ind int
	n   int
}

func (g *cgen) p(f string, a ...any) {
	g.b.WriteString(strings.Repeat("  ", g.ind))
	fmt.Fprintf(&g.b, f+"\n", a...)
}
func (g *cgen) tmp(prefix string) string { g.n++; return fmt.Sprintf("%s%d", prefix, g.n) }

func ctypeFlat(ft string) string {
	switch ft {
	case "i32":
		return "uint32_t"
	case "i64":
		return "uint64_t"
	case "f32":
		return "float"
	case "f64":
		return "double"
	}
	panic("BUG")
}

func ctypePrim(p string) string {
	switch p {
	case "bool", "u8":
		return "uint8_t"
	case "s8":
		return "int8_t"
	case "u16":
		return "uint16_t"
	case "s16":
		return "int16_t"
	case "u32", "char":
		return "uint32_t"
	case "s32":
		return "int32_t"
	case "u64":
		return "uint64_t"
	case "s64":
		return "int64_t"
	case "f32":
		return "float"
	case "f64":
		return "double"
	}
	panic("BUG")
}

func uintOfSize(n int) string { return fmt.Sprintf("uint%d_t", n*8) }

func at(base string, off int) string {
	if off == 0 {
		return base
	}
	return fmt.Sprintf("%s + %d", base, off)
}

type fv struct{ ft, expr string }

// storeFlat emits code that stores the flat values vals (consumed from the
// front) as a value of type t at address addr (lift_flat + store).
func (g *cgen) storeFlat(t *typ, addr string, vals *[]fv) {
	pop := func() fv { v := (*vals)[0]; *vals = (*vals)[1:]; return v }
	switch t.k {
	case kPrim:
		v := pop()
		if t.prim == "bool" {
			g.p("ST(uint8_t, %s, (%s) != 0);", addr, v.expr)
		} else {
			g.p("ST(%s, %s, %s);", ctypePrim(t.prim), addr, v.expr)
		}
	case kString, kList:
		p, n := pop(), pop()
		g.p("ST(uint32_t, %s, %s);", addr, p.expr)
		g.p("ST(uint32_t, %s, %s);", at("("+addr+")", 4), n.expr)
	case kFlags:
		g.p("ST(%s, %s, %s);", uintOfSize(t.size()), addr, pop().expr)
	case kRecord:
		offs := t.fieldOffsets()
		for i, f := range t.fields {
			g.storeFlat(f.t, at("("+addr+")", offs[i]), vals)
		}
	case kVariant:
		d := pop()
		joined := t.flat()[1:]
		slots := make([]fv, len(joined))
		for i := range joined {
			slots[i] = pop()
		}
		g.p("ST(%s, %s, %s);", uintOfSize(discSize(len(t.cases))), addr, d.expr)
		g.p("switch (%s) {", d.expr)
		for i, c := range t.cases {
			if c.t == nil {
				continue
			}
			g.p("case %d: {", i)
			g.ind++
			var sub []fv
			for j, want := range c.t.flat() {
				sub = append(sub, fv{want, coerceLift(slots[j].ft, want, slots[j].expr)})
			}
			g.storeFlat(c.t, at("("+addr+")", t.payloadOffset()), &sub)
			g.p("break;")
			g.ind--
			g.p("}")
		}
		g.p("default: break;")
		g.p("}")
	}
}

// coerceLift: a joined flat value of core type have, read as core type want
// (CanonicalABI.md lift_flat_variant CoerceValueIter).
func coerceLift(have, want, x string) string {
	switch {
	case have == want:
		return x
	case have == "i32" && want == "f32":
		return fmt.Sprintf("bits_f32(%s)", x)
	case have == "i64" && want == "i32":
		return fmt.Sprintf("(uint32_t)(%s)", x)
	case have == "i64" && want == "f32":
		return fmt.Sprintf("bits_f32((uint32_t)(%s))", x)
	case have == "i64" && want == "f64":
		return fmt.Sprintf("bits_f64(%s)", x)
	}
	panic("BUG coerce " + have + want)
}

// coerceLower: a payload flat value of core type have, widened to the joined
// type want (CanonicalABI.md lower_flat_variant).
func coerceLower(have, want, x string) string {
	switch {
	case have == want:
		return x
	case have == "f32" && want == "i32":
		return fmt.Sprintf("f32_bits(%s)", x)
	case have == "i32" && want == "i64":
		return fmt.Sprintf("(uint64_t)(%s)", x)
	case have == "f32" && want == "i64":
		return fmt.Sprintf("(uint64_t)f32_bits(%s)", x)
	case have == "f64" && want == "i64":
		return fmt.Sprintf("f64_bits(%s)", x)
	}
	panic("BUG coerce " + have + want)
}

// loadFlat emits code (for variants) and returns expressions for the flat
// values of the value of type t stored at addr (load + lower_flat).
func (g *cgen) loadFlat(t *typ, addr string) []fv {
	switch t.k {
	case kPrim:
		ct := ctypePrim(t.prim)
		switch t.prim {
		case "u64":
			return []fv{{"i64", fmt.Sprintf("LD(uint64_t, %s)", addr)}}
		case "s64":
			return []fv{{"i64", fmt.Sprintf("(uint64_t)LD(int64_t, %s)", addr)}}
		case "f32", "f64":
			return []fv{{t.flat()[0], fmt.Sprintf("LD(%s, %s)", ct, addr)}}
		case "s8", "s16", "s32":
			return []fv{{"i32", fmt.Sprintf("(uint32_t)(int32_t)LD(%s, %s)", ct, addr)}}
		}
		return []fv{{"i32", fmt.Sprintf("(uint32_t)LD(%s, %s)", ct, addr)}}
	case kString, kList:
		return []fv{{"i32", fmt.Sprintf("LD(uint32_t, %s)", addr)}, {"i32", fmt.Sprintf("LD(uint32_t, %s)", at("("+addr+")", 4))}}
	case kFlags:
		return []fv{{"i32", fmt.Sprintf("(uint32_t)LD(%s, %s)", uintOfSize(t.size()), addr)}}
	case kRecord:
		var out []fv
		offs := t.fieldOffsets()
		for i, f := range t.fields {
			out = append(out, g.loadFlat(f.t, at("("+addr+")", offs[i]))...)
		}
		return out
	case kVariant:
		joined := t.flat()[1:]
		d := g.tmp("d")
		g.p("uint32_t %s = (uint32_t)LD(%s, %s);", d, uintOfSize(discSize(len(t.cases))), addr)
		out := []fv{{"i32", d}}
		var names []string
		for _, j := range joined {
			v := g.tmp("v")
			names = append(names, v)
			g.p("%s %s = 0;", ctypeFlat(j), v)
			out = append(out, fv{j, v})
		}
		if len(joined) > 0 {
			g.p("switch (%s) {", d)
			for i, c := range t.cases {
				if c.t == nil {
					continue
				}
				g.p("case %d: {", i)
				g.ind++
				sub := g.loadFlat(c.t, at("("+addr+")", t.payloadOffset()))
				for j, s := range sub {
					g.p("%s = %s;", names[j], coerceLower(s.ft, joined[j], s.expr))
				}
				g.p("break;")
				g.ind--
				g.p("}")
			}
			g.p("default: break;")
			g.p("}")
		}
		return out
	}
	panic("BUG")
}

// deep emits code replacing every pointer inside the value at addr by a
// fresh copy (after a shallow memcpy).
func (g *cgen) deep(t *typ, addr string) {
	if !t.hasPtr() {
		return
	}
	switch t.k {
	case kString:
		g.p("ST(uint32_t, %s, dup_bytes(LD(uint32_t, %s), LD(uint32_t, %s), 1));", addr, addr, at("("+addr+")", 4))
	case kList:
		src, n, dst, i := g.tmp("src"), g.tmp("n"), g.tmp("dst"), g.tmp("i")
		g.p("{")
		g.ind++
		g.p("uint32_t %s = LD(uint32_t, %s), %s = LD(uint32_t, %s);", src, addr, n, at("("+addr+")", 4))
		g.p("uint32_t %s = dup_bytes(%s, %s * %d, %d);", dst, src, n, t.elem.size(), t.elem.align())
		g.p("ST(uint32_t, %s, %s);", addr, dst)
		if t.elem.hasPtr() {
			g.p("for (uint32_t %s = 0; %s < %s; %s++) {", i, i, n, i)
			g.ind++
			g.deep(t.elem, fmt.Sprintf("%s + %s * %d", dst, i, t.elem.size()))
			g.ind--
			g.p("}")
		}
		g.ind--
		g.p("}")
	case kRecord:
		offs := t.fieldOffsets()
		for i, f := range t.fields {
			g.deep(f.t, at("("+addr+")", offs[i]))
		}
	case kVariant:
		g.p("switch (LD(%s, %s)) {", uintOfSize(discSize(len(t.cases))), addr)
		for i, c := range t.cases {
			if c.t == nil || !c.t.hasPtr() {
				continue
			}
			g.p("case %d: {", i)
			g.ind++
			g.deep(c.t, at("("+addr+")", t.payloadOffset()))
			g.p("break;")
			g.ind--
			g.p("}")
		}
		g.p("default: break;")
		g.p("}")
	}
}

// free emits code freeing every allocation owned by the value at addr (not
// the storage at addr itself).
func (g *cgen) free(t *typ, addr string) {
	if !t.hasPtr() {
		return
	}
	switch t.k {
	case kString:
		g.p("ks_free(LD(uint32_t, %s));", addr)
	case kList:
		if t.elem.hasPtr() {
			b, n, i := g.tmp("b"), g.tmp("n"), g.tmp("i")
			g.p("{")
			g.ind++
			g.p("uint32_t %s = LD(uint32_t, %s), %s = LD(uint32_t, %s);", b, addr, n, at("("+addr+")", 4))
			g.p("for (uint32_t %s = 0; %s < %s; %s++) {", i, i, n, i)
			g.ind++
			g.free(t.elem, fmt.Sprintf("%s + %s * %d", b, i, t.elem.size()))
			g.ind--
			g.p("}")
			g.ind--
			g.p("}")
		}
		g.p("ks_free(LD(uint32_t, %s));", addr)
	case kRecord:
		offs := t.fieldOffsets()
		for i, f := range t.fields {
			g.free(f.t, at("("+addr+")", offs[i]))
		}
	case kVariant:
		g.p("switch (LD(%s, %s)) {", uintOfSize(discSize(len(t.cases))), addr)
		for i, c := range t.cases {
			if c.t == nil || !c.t.hasPtr() {
				continue
			}
			g.p("case %d: {", i)
			g.ind++
			g.free(c.t, at("("+addr+")", t.payloadOffset()))
			g.p("break;")
			g.ind--
			g.p("}")
		}
		g.p("default: break;")
		g.p("}")
	}
}

const (
	maxFlatParams  = 16
	maxFlatResults = 1
	hostModule     = "test:kitchen-sink/host@0.1.0"
	guestPrefix    = "test:kitchen-sink/guest@0.1.0#"
)

func cid(s string) string { return strings.ReplaceAll(s, "-", "_") }

func (g *cgen) echoFuncs(e echo) {
	P := e.paramsTuple()
	R := e.res
	if P.size() != R.size() || P.align() != R.align() {
		panic("BUG: layout mismatch for " + e.name)
	}
	pflat := P.flat()
	rflat := R.flat()
	paramsInMem := len(pflat) > maxFlatParams
	resInMem := len(rflat) > maxFlatResults
	id := cid(e.name)

	// import declaration
	var iparams []string
	if paramsInMem {
		iparams = append(iparams, "uint32_t params")
	} else {
		for i, ft := range pflat {
			iparams = append(iparams, fmt.Sprintf("%s p%d", ctypeFlat(ft), i))
		}
	}
	iret := "void"
	if resInMem {
		iparams = append(iparams, "uint32_t retptr")
	} else {
		iret = ctypeFlat(rflat[0])
	}
	g.p("// host.echo-%s: params %v%s, results %v%s", e.name, pflat, map[bool]string{true: " (in memory)"}[paramsInMem], rflat, map[bool]string{true: " (return area)"}[resInMem])
	g.p("__attribute__((import_module(%q), import_name(\"echo-%s\")))", hostModule, e.name)
	g.p("extern %s host_echo_%s(%s);", iret, id, strings.Join(iparams, ", "))
	g.p("")

	var eparams []string
	if paramsInMem {
		eparams = []string{"uint32_t argp"}
	} else {
		for i, ft := range pflat {
			eparams = append(eparams, fmt.Sprintf("%s p%d", ctypeFlat(ft), i))
		}
	}
	eret := ctypeFlat(rflat[0])
	if resInMem {
		eret = "uint32_t"
	}

	// lift params into memory at address a
	liftArgs := func() {
		if paramsInMem {
			g.p("uint32_t a = argp; /* params record allocated by the caller with cabi_realloc; owned by us */")
			return
		}
		g.p("_Alignas(8) uint8_t abuf[%d];", P.size())
		g.p("uint32_t a = ADDR(abuf);")
		var vals []fv
		for i, ft := range pflat {
			vals = append(vals, fv{ft, fmt.Sprintf("p%d", i)})
		}
		g.storeFlat(P, "a", &vals)
	}
	releaseArgs := func() {
		g.free(P, "a")
		if paramsInMem {
			g.p("ks_free(argp);")
		}
	}

	// echo
	g.p("__attribute__((export_name(\"%secho-%s\")))", guestPrefix, e.name)
	g.p("%s guest_echo_%s(%s) {", eret, id, strings.Join(eparams, ", "))
	g.ind++
	liftArgs()
	if resInMem {
		g.p("uint32_t r = ks_alloc(%d, %d);", R.size(), R.align())
		g.p("copy_bytes(r, a, %d);", R.size())
		g.deep(R, "r")
		releaseArgs()
		g.p("return r;")
	} else {
		out := g.loadFlat(R, "a")
		g.p("%s r = %s;", eret, out[0].expr)
		releaseArgs()
		g.p("return r;")
	}
	g.ind--
	g.p("}")
	g.p("")

	// roundtrip
	g.p("__attribute__((export_name(\"%sroundtrip-%s\")))", guestPrefix, e.name)
	g.p("%s guest_roundtrip_%s(%s) {", eret, id, strings.Join(eparams, ", "))
	g.ind++
	liftArgs()
	var args []string
	if paramsInMem {
		args = []string{"a"}
	} else {
		for _, v := range g.loadFlat(P, "a") {
			args = append(args, v.expr)
		}
	}
	if resInMem {
		g.p("uint32_t r = ks_alloc(%d, %d);", R.size(), R.align())
		args = append(args, "r")
		g.p("host_echo_%s(%s);", id, strings.Join(args, ", "))
	} else {
		g.p("%s r = host_echo_%s(%s);", eret, id, strings.Join(args, ", "))
	}
	releaseArgs()
	g.p("return r;")
	g.ind--
	g.p("}")
	g.p("")

	// post-return: only when the export returned memory
	if resInMem {
		for _, pre := range []string{"echo-", "roundtrip-"} {
			g.p("__attribute__((export_name(\"cabi_post_%s%s%s\")))", guestPrefix, pre, e.name)
			g.p("void guest_post_%s%s(uint32_t r) {", cid(pre), id)
			g.ind++
			g.free(R, "r")
			g.p("ks_free(r);")
			g.ind--
			g.p("}")
			g.p("")
		}
	}
}

func cBindings() string {
	g := &cgen{}
	g.p("// Code generated by testdata/kitchen-sink/gen. DO NOT EDIT.")
	g.p("//")
	g.p("// Canonical-ABI glue for every host.echo-* import and guest.echo-*,")
	g.p("// guest.roundtrip-* export. Included by guest.c, which provides ST, LD,")
	g.p("// ADDR, bits_f32/f32_bits/bits_f64/f64_bits, ks_alloc, ks_free,")
	g.p("// copy_bytes and dup_bytes.")
	g.p("")
	for _, e := range echoes {
		P, R := e.paramsTuple(), e.res
		g.p("// ===== echo-%s: params size %d align %d flat %d; result flat %d =====", e.name, P.size(), P.align(), len(P.flat()), len(R.flat()))
		g.echoFuncs(e)
	}
	return g.b.String()
}

func main() {
	out := flag.String("out", "testdata/kitchen-sink", "output directory (the kitchen-sink fixture)")
	flag.Parse()
	write := func(rel, content string) {
		path := filepath.Join(*out, rel)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	write("kitchen-sink.wit", kebabWIT())
	write("guest/bindings.h", cBindings())
}
