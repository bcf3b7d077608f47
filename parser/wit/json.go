package wit

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MarshalJSON encodes r exactly as `wasm-tools component wit --json` does:
// serde_json's pretty printer (two-space indentation, `"key": value`, empty
// arrays and objects as `[]` and `{}`, no trailing newline) applied to
// wit-parser's Resolve. Cross-references are indices into the four top-level
// arrays; they are taken from the Index fields of the referenced nodes, and
// checked against the slices of r.
//
// The writer is hand-written (no reflection), so the output's key order and
// omitted-when-empty rules follow wit-parser's serde attributes:
//
//	Resolve   worlds, interfaces, types, packages
//	Package   name, docs?, interfaces, worlds
//	World     name, imports, exports, package, docs?, stability?
//	Interface name, types, functions, docs?, stability?, package
//	TypeDef   name, kind, owner, docs?, stability?
//	Function  name, kind, params, result?, docs?, stability?
func (r *Resolve) MarshalJSON() ([]byte, error) {
	e := jsonEncoder{r: r}
	e.b.Grow(r.jsonSizeHint())
	e.beginObject()

	if err := jsonArena(&e, "worlds", "Worlds", r.Worlds, e.world); err != nil {
		return nil, err
	}
	if err := jsonArena(&e, "interfaces", "Interfaces", r.Interfaces, e.iface); err != nil {
		return nil, err
	}
	if err := jsonArena(&e, "types", "TypeDefs", r.TypeDefs, e.typeDef); err != nil {
		return nil, err
	}
	if err := jsonArena(&e, "packages", "Packages", r.Packages, e.pkg); err != nil {
		return nil, err
	}

	e.endObject()
	if e.err != nil {
		return nil, e.err
	}
	return e.b.Bytes(), nil
}

// jsonSizeHint estimates the size of the JSON, so that the buffer is
// allocated once in the common case. It skips nil nodes, which
// MarshalJSON then reports as errors.
func (r *Resolve) jsonSizeHint() int {
	n := 256
	docs := func(d Docs) { n += len(d.Contents) + len(d.Contents)/16 }
	for _, t := range r.TypeDefs {
		if t == nil {
			continue
		}
		n += 160
		docs(t.Docs)
		switch k := t.Kind.(type) {
		case *Record:
			for _, f := range k.Fields {
				n += 120 + len(f.Name)
				docs(f.Docs)
			}
		case *Variant:
			for _, c := range k.Cases {
				n += 120 + len(c.Name)
				docs(c.Docs)
			}
		case *Enum:
			for _, c := range k.Cases {
				n += 80 + len(c.Name)
				docs(c.Docs)
			}
		case *Flags:
			for _, f := range k.Flags {
				n += 80 + len(f.Name)
				docs(f.Docs)
			}
		case *Tuple:
			n += 20 * len(k.Types)
		}
	}
	fn := func(f *Function) {
		n += 200 + 2*len(f.Name) + 100*len(f.Params)
		docs(f.Docs)
	}
	for _, i := range r.Interfaces {
		if i == nil {
			continue
		}
		n += 200
		docs(i.Docs)
		for _, t := range i.Types {
			n += 16 + len(t.Name)
		}
		for _, f := range i.Functions {
			fn(f)
		}
	}
	for _, w := range r.Worlds {
		if w == nil {
			continue
		}
		n += 200
		docs(w.Docs)
		for _, items := range [][]*WorldItem{w.Imports, w.Exports} {
			for _, it := range items {
				n += 100
				if it.Function != nil {
					fn(it.Function)
				}
			}
		}
	}
	for _, p := range r.Packages {
		if p == nil {
			continue
		}
		n += 120 + 40*(len(p.Interfaces)+len(p.Worlds))
		docs(p.Docs)
	}
	return n
}

// jsonEncoder writes serde_json's pretty format. Every container remembers
// whether it is still empty, so that `[]`/`{}` come out without newlines.
type jsonEncoder struct {
	r     *Resolve
	b     bytes.Buffer
	empty []bool // one entry per open container: no element written yet
	err   error

	scratch [24]byte

	// Lazily built pointer -> index maps, used only when a node's Index
	// field does not match its position in r.
	typeIdx  map[*TypeDef]int
	ifaceIdx map[*Interface]int
	worldIdx map[*World]int
	pkgIdx   map[*Package]int
}

func (e *jsonEncoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf("wit: "+format, args...)
	}
}

// indentation holds a newline followed by enough spaces for most depths.
const indentation = "\n                                                                "

func (e *jsonEncoder) newline() {
	n := 1 + 2*len(e.empty)
	if n <= len(indentation) {
		e.b.WriteString(indentation[:n])
		return
	}
	e.b.WriteString(indentation)
	for n -= len(indentation); n > 0; n-- {
		e.b.WriteByte(' ')
	}
}

func (e *jsonEncoder) beginObject() {
	e.b.WriteByte('{')
	e.empty = append(e.empty, true)
}

func (e *jsonEncoder) endObject() {
	wasEmpty := e.empty[len(e.empty)-1]
	e.empty = e.empty[:len(e.empty)-1]
	if !wasEmpty {
		e.newline()
	}
	e.b.WriteByte('}')
}

func (e *jsonEncoder) beginArray() {
	e.b.WriteByte('[')
	e.empty = append(e.empty, true)
}

func (e *jsonEncoder) endArray() {
	wasEmpty := e.empty[len(e.empty)-1]
	e.empty = e.empty[:len(e.empty)-1]
	if !wasEmpty {
		e.newline()
	}
	e.b.WriteByte(']')
}

// elem starts the next element of the innermost container.
func (e *jsonEncoder) elem() {
	top := len(e.empty) - 1
	if e.empty[top] {
		e.empty[top] = false
	} else {
		e.b.WriteByte(',')
	}
	e.newline()
}

// key starts the next member of the innermost object.
func (e *jsonEncoder) key(k string) {
	e.elem()
	e.str(k)
	e.b.WriteString(": ")
}

func (e *jsonEncoder) null() { e.b.WriteString("null") }

func (e *jsonEncoder) int(n int) {
	e.b.Write(strconv.AppendInt(e.scratch[:0], int64(n), 10))
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string escaped the way serde_json does: `"` and `\`
// are backslash-escaped, \b \f \n \r \t use their short forms, other control
// characters below U+0020 become \u00XX (lower-case hex), and everything
// else, including non-ASCII, is written as UTF-8. Invalid UTF-8 (which a Rust
// String cannot hold) is replaced by U+FFFD so the output is valid JSON.
func (e *jsonEncoder) str(s string) {
	b := &e.b
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteString(s[start:i])
				b.WriteString("\uFFFD")
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// optName writes a name that serde serialises from Option<String>.
func (e *jsonEncoder) optName(name string) {
	if name == "" {
		e.null()
	} else {
		e.str(name)
	}
}

// jsonArena writes the member key: an array of the nodes of arena (the
// Resolve field named field), each written by write. A nil node is an
// error.
func jsonArena[T any](e *jsonEncoder, key, field string, arena []*T, write func(*T)) error {
	e.key(key)
	e.beginArray()
	for i, x := range arena {
		if x == nil {
			return fmt.Errorf("wit: Resolve.%s[%d] is nil", field, i)
		}
		e.elem()
		write(x)
	}
	e.endArray()
	return nil
}

// Index lookups. The Index fields are authoritative when they agree with
// the slices; otherwise the node is looked up by identity.

func (e *jsonEncoder) typeIndex(t *TypeDef) int {
	i, ok := arenaIndex(e.r.TypeDefs, t, t.Index, &e.typeIdx)
	if !ok {
		e.fail("type definition %q (Index %d) is not in Resolve.TypeDefs", t.Name, t.Index)
	}
	return i
}

func (e *jsonEncoder) ifaceIndex(x *Interface) int {
	i, ok := arenaIndex(e.r.Interfaces, x, x.Index, &e.ifaceIdx)
	if !ok {
		e.fail("interface %q (Index %d) is not in Resolve.Interfaces", x.Name, x.Index)
	}
	return i
}

func (e *jsonEncoder) worldIndex(x *World) int {
	i, ok := arenaIndex(e.r.Worlds, x, x.Index, &e.worldIdx)
	if !ok {
		e.fail("world %q (Index %d) is not in Resolve.Worlds", x.Name, x.Index)
	}
	return i
}

func (e *jsonEncoder) pkgIndex(x *Package) int {
	i, ok := arenaIndex(e.r.Packages, x, x.Index, &e.pkgIdx)
	if !ok {
		e.fail("package %s (Index %d) is not in Resolve.Packages", x.Name, x.Index)
	}
	return i
}

// arenaIndex returns the position of x in arena: index when arena[index]
// is x, else x's position by identity through *memo (built on first use).
// When x is not in arena it returns index and false.
func arenaIndex[T comparable](arena []T, x T, index int, memo *map[T]int) (int, bool) {
	if index >= 0 && index < len(arena) && arena[index] == x {
		return index, true
	}
	if *memo == nil {
		*memo = make(map[T]int, len(arena))
		for i, y := range arena {
			(*memo)[y] = i
		}
	}
	if i, ok := (*memo)[x]; ok {
		return i, true
	}
	return index, false
}

// typ writes a Type: a primitive's name, or a type definition's index.
func (e *jsonEncoder) typ(t Type) {
	switch t := t.(type) {
	case Primitive:
		e.str(t.String())
	case *TypeDef:
		if t == nil {
			e.fail("nil *TypeDef used as a type")
			e.null()
			return
		}
		e.int(e.typeIndex(t))
	case nil:
		e.fail("nil type")
		e.null()
	default:
		e.fail("unknown Type %T", t)
		e.null()
	}
}

// optType writes an Option<Type>: null when t is nil.
func (e *jsonEncoder) optType(t Type) {
	if t == nil {
		e.null()
		return
	}
	e.typ(t)
}

func (e *jsonEncoder) docs(d Docs) {
	if d.Contents == "" {
		return
	}
	e.key("docs")
	e.beginObject()
	e.key("contents")
	e.str(d.Contents)
	e.endObject()
}

func (e *jsonEncoder) stability(s Stability) {
	switch s := s.(type) {
	case nil:
		return
	case *Stable:
		if s == nil {
			return
		}
		e.key("stability")
		e.beginObject()
		e.key("stable")
		e.beginObject()
		e.key("since")
		e.str(s.Since)
		if s.Deprecated != "" {
			e.key("deprecated")
			e.str(s.Deprecated)
		}
		e.endObject()
		e.endObject()
	case *Unstable:
		if s == nil {
			return
		}
		e.key("stability")
		e.beginObject()
		e.key("unstable")
		e.beginObject()
		e.key("feature")
		e.str(s.Feature)
		if s.Deprecated != "" {
			e.key("deprecated")
			e.str(s.Deprecated)
		}
		e.endObject()
		e.endObject()
	default:
		e.fail("unknown Stability %T", s)
	}
}

func (e *jsonEncoder) pkg(p *Package) {
	e.beginObject()
	e.key("name")
	e.str(p.Name.String())
	e.docs(p.Docs)
	e.key("interfaces")
	e.beginObject()
	for _, i := range p.Interfaces {
		e.key(i.Name)
		e.int(e.ifaceIndex(i))
	}
	e.endObject()
	e.key("worlds")
	e.beginObject()
	for _, w := range p.Worlds {
		e.key(w.Name)
		e.int(e.worldIndex(w))
	}
	e.endObject()
	e.endObject()
}

func (e *jsonEncoder) world(w *World) {
	e.beginObject()
	e.key("name")
	e.str(w.Name)
	e.key("imports")
	e.worldItems(w.Imports)
	e.key("exports")
	e.worldItems(w.Exports)
	e.key("package")
	if w.Package == nil {
		e.null()
	} else {
		e.int(e.pkgIndex(w.Package))
	}
	e.docs(w.Docs)
	e.stability(w.Stability)
	e.endObject()
}

func (e *jsonEncoder) worldItems(items []*WorldItem) {
	e.beginObject()
	for _, it := range items {
		if it.Key.Interface != nil {
			e.key("interface-" + strconv.Itoa(e.ifaceIndex(it.Key.Interface)))
		} else {
			e.key(it.Key.Name)
		}
		e.beginObject()
		switch {
		case it.Interface != nil:
			e.key("interface")
			e.beginObject()
			e.key("id")
			e.int(e.ifaceIndex(it.Interface))
			e.stability(it.Stability)
			e.docs(it.Docs)
			e.endObject()
		case it.Function != nil:
			e.key("function")
			e.function(it.Function)
		case it.Type != nil:
			e.key("type")
			e.int(e.typeIndex(it.Type))
		default:
			e.fail("world item %q has no interface, function or type", it.Key.String())
		}
		e.endObject()
	}
	e.endObject()
}

func (e *jsonEncoder) iface(i *Interface) {
	e.beginObject()
	e.key("name")
	e.optName(i.Name)
	e.key("types")
	e.beginObject()
	for _, t := range i.Types {
		e.key(t.Name)
		e.int(e.typeIndex(t))
	}
	e.endObject()
	e.key("functions")
	e.beginObject()
	for _, f := range i.Functions {
		e.key(f.Name)
		e.function(f)
	}
	e.endObject()
	e.docs(i.Docs)
	e.stability(i.Stability)
	e.key("package")
	if i.Package == nil {
		e.null()
	} else {
		e.int(e.pkgIndex(i.Package))
	}
	e.endObject()
}

func (e *jsonEncoder) function(f *Function) {
	e.beginObject()
	e.key("name")
	e.str(f.Name)
	e.key("kind")
	switch f.Kind {
	case Freestanding, AsyncFreestanding:
		e.str(f.Kind.String())
	case Method, AsyncMethod, Static, AsyncStatic, Constructor:
		e.beginObject()
		e.key(f.Kind.String())
		if f.Resource == nil {
			e.fail("function %q of kind %s has no resource", f.Name, f.Kind)
			e.null()
		} else {
			e.int(e.typeIndex(f.Resource))
		}
		e.endObject()
	default:
		e.fail("function %q has unknown kind %d", f.Name, f.Kind)
		e.null()
	}
	e.key("params")
	e.beginArray()
	for _, p := range f.Params {
		e.elem()
		e.beginObject()
		if p.Name != "" {
			e.key("name")
			e.str(p.Name)
		}
		e.key("type")
		e.typ(p.Type)
		e.endObject()
	}
	e.endArray()
	if f.Result != nil {
		e.key("result")
		e.typ(f.Result)
	}
	e.docs(f.Docs)
	e.stability(f.Stability)
	e.endObject()
}

func (e *jsonEncoder) typeDef(t *TypeDef) {
	e.beginObject()
	e.key("name")
	e.optName(t.Name)
	e.key("kind")
	e.kind(t)
	e.key("owner")
	switch o := t.Owner.(type) {
	case nil:
		e.null()
	case *Interface:
		if o == nil {
			e.null()
			break
		}
		e.beginObject()
		e.key("interface")
		e.int(e.ifaceIndex(o))
		e.endObject()
	case *World:
		if o == nil {
			e.null()
			break
		}
		e.beginObject()
		e.key("world")
		e.int(e.worldIndex(o))
		e.endObject()
	default:
		e.fail("type %q has unknown owner %T", t.Name, o)
		e.null()
	}
	e.docs(t.Docs)
	e.stability(t.Stability)
	e.endObject()
}

// kind writes TypeDefKind, which serde tags externally in kebab-case.
func (e *jsonEncoder) kind(t *TypeDef) {
	if _, ok := t.Kind.(*Resource); ok {
		e.str("resource")
		return
	}
	e.beginObject()
	switch k := t.Kind.(type) {
	case *Record:
		e.key("record")
		e.beginObject()
		e.key("fields")
		e.beginArray()
		for _, f := range k.Fields {
			e.elem()
			e.beginObject()
			e.key("name")
			e.str(f.Name)
			e.key("type")
			e.typ(f.Type)
			e.docs(f.Docs)
			e.endObject()
		}
		e.endArray()
		e.endObject()
	case *Own:
		e.handle("own", k.Type)
	case *Borrow:
		e.handle("borrow", k.Type)
	case *Flags:
		e.key("flags")
		e.beginObject()
		e.key("flags")
		e.beginArray()
		for _, f := range k.Flags {
			e.elem()
			e.beginObject()
			e.key("name")
			e.str(f.Name)
			e.docs(f.Docs)
			e.endObject()
		}
		e.endArray()
		e.endObject()
	case *Tuple:
		e.key("tuple")
		e.beginObject()
		e.key("types")
		e.beginArray()
		for _, ty := range k.Types {
			e.elem()
			e.typ(ty)
		}
		e.endArray()
		e.endObject()
	case *Variant:
		e.key("variant")
		e.beginObject()
		e.key("cases")
		e.beginArray()
		for _, c := range k.Cases {
			e.elem()
			e.beginObject()
			e.key("name")
			e.str(c.Name)
			e.key("type")
			e.optType(c.Type)
			e.docs(c.Docs)
			e.endObject()
		}
		e.endArray()
		e.endObject()
	case *Enum:
		e.key("enum")
		e.beginObject()
		e.key("cases")
		e.beginArray()
		for _, c := range k.Cases {
			e.elem()
			e.beginObject()
			e.key("name")
			e.str(c.Name)
			e.docs(c.Docs)
			e.endObject()
		}
		e.endArray()
		e.endObject()
	case *Option:
		e.key("option")
		e.typ(k.Type)
	case *Result:
		e.key("result")
		e.beginObject()
		e.key("ok")
		e.optType(k.OK)
		e.key("err")
		e.optType(k.Err)
		e.endObject()
	case *List:
		e.key("list")
		e.typ(k.Type)
	case *Map:
		e.key("map")
		e.beginArray()
		e.elem()
		e.typ(k.Key)
		e.elem()
		e.typ(k.Value)
		e.endArray()
	case *FixedLengthList:
		e.key("fixed-length-list")
		e.beginArray()
		e.elem()
		e.typ(k.Type)
		e.elem()
		e.b.WriteString(strconv.FormatUint(uint64(k.Length), 10))
		e.endArray()
	case *Future:
		e.key("future")
		e.optType(k.Type)
	case *Stream:
		e.key("stream")
		e.optType(k.Type)
	case *Alias:
		e.key("type")
		e.typ(k.Type)
	case nil:
		e.fail("type %q has no kind", t.Name)
	default:
		e.fail("type %q has unknown kind %T", t.Name, k)
	}
	e.endObject()
}

func (e *jsonEncoder) handle(which string, r *TypeDef) {
	e.key("handle")
	e.beginObject()
	e.key(which)
	if r == nil {
		e.fail("%s handle without a resource", which)
		e.null()
	} else {
		e.int(e.typeIndex(r))
	}
	e.endObject()
}
