package wit

import (
	"strconv"
	"strings"
	"unicode"
)

// This file prints the resolved model back as normalised WIT text.
//
// Every node can print itself: [TypeString] spells a use of a type,
// (*TypeDef).WIT, (*Function).WIT, (*Interface).WIT, (*World).WIT and
// (*Package).WIT print declarations, and (*Resolve).WIT prints a whole
// resolve as one file (the main package at the top level, every other
// package as a nested `package ns:name { ... }` block), which the parser can
// load back into an equivalent Resolve.
//
// Normalisation: two-space indentation; docs become `///` comments; gates
// become @since/@unstable/@deprecated attributes; identifiers that are WIT
// keywords are %-escaped; a type that aliases a named type of another
// interface is printed as a `use` (consecutive ones from the same interface
// share one statement); anonymous handles print as own<r>/borrow<r>; worlds
// are printed fully elaborated (every import, including those that
// wit-parser added implicitly, is explicit).

// TypeString returns the WIT spelling of a use of t: a primitive's keyword,
// a named type's (escaped) name, or the structure of an anonymous type such
// as `list<option<u32>>`. It returns "" for a nil Type.
func TypeString(t Type) string {
	var b strings.Builder
	writeType(&b, t)
	return b.String()
}

func writeType(b *strings.Builder, t Type) {
	switch t := t.(type) {
	case nil:
		return
	case Primitive:
		b.WriteString(t.String())
	case *TypeDef:
		if t == nil {
			return
		}
		if t.Name != "" {
			b.WriteString(Escape(t.Name))
			return
		}
		writeKindType(b, t)
	}
}

// writeKindType spells an anonymous type definition by its structure.
func writeKindType(b *strings.Builder, t *TypeDef) {
	switch k := t.Kind.(type) {
	case *List:
		b.WriteString("list<")
		writeType(b, k.Type)
		b.WriteByte('>')
	case *FixedLengthList:
		b.WriteString("list<")
		writeType(b, k.Type)
		b.WriteString(", ")
		b.WriteString(strconv.FormatUint(uint64(k.Length), 10))
		b.WriteByte('>')
	case *Map:
		b.WriteString("map<")
		writeType(b, k.Key)
		b.WriteString(", ")
		writeType(b, k.Value)
		b.WriteByte('>')
	case *Option:
		b.WriteString("option<")
		writeType(b, k.Type)
		b.WriteByte('>')
	case *Result:
		b.WriteString("result")
		switch {
		case k.OK == nil && k.Err == nil:
		case k.Err == nil:
			b.WriteByte('<')
			writeType(b, k.OK)
			b.WriteByte('>')
		case k.OK == nil:
			b.WriteString("<_, ")
			writeType(b, k.Err)
			b.WriteByte('>')
		default:
			b.WriteByte('<')
			writeType(b, k.OK)
			b.WriteString(", ")
			writeType(b, k.Err)
			b.WriteByte('>')
		}
	case *Tuple:
		b.WriteString("tuple<")
		for i, e := range k.Types {
			if i > 0 {
				b.WriteString(", ")
			}
			writeType(b, e)
		}
		b.WriteByte('>')
	case *Own:
		b.WriteString("own<")
		writeType(b, k.Type)
		b.WriteByte('>')
	case *Borrow:
		b.WriteString("borrow<")
		writeType(b, k.Type)
		b.WriteByte('>')
	case *Future:
		b.WriteString("future")
		if k.Type != nil {
			b.WriteByte('<')
			writeType(b, k.Type)
			b.WriteByte('>')
		}
	case *Stream:
		b.WriteString("stream")
		if k.Type != nil {
			b.WriteByte('<')
			writeType(b, k.Type)
			b.WriteByte('>')
		}
	case *Alias:
		writeType(b, k.Type)
	default:
		// Records, variants, enums, flags and resources are always named
		// in valid WIT; an anonymous one cannot be spelled.
		b.WriteString("/* anonymous ")
		if k != nil {
			b.WriteString(k.KindName())
		}
		b.WriteString(" */")
	}
}

// keywords are the identifiers the WIT lexer reserves; using one as a name
// requires the `%` prefix.
var keywords = map[string]bool{
	"as": true, "async": true, "bool": true, "borrow": true, "char": true,
	"constructor": true, "enum": true, "error-context": true, "export": true,
	"f32": true, "f64": true, "flags": true, "float32": true, "float64": true,
	"from": true, "func": true, "future": true, "import": true,
	"include": true, "interface": true, "list": true, "map": true,
	"option": true, "own": true, "package": true, "record": true,
	"resource": true, "result": true, "s16": true, "s32": true, "s64": true,
	"s8": true, "static": true, "stream": true, "string": true, "tuple": true,
	"type": true, "u16": true, "u32": true, "u64": true, "u8": true,
	"use": true, "variant": true, "with": true, "world": true,
}

// Escape returns name as a WIT identifier: `%name` when name is a keyword,
// name itself otherwise.
func Escape(name string) string {
	if keywords[name] {
		return "%" + name
	}
	return name
}

// printer accumulates WIT text. pkg is the package whose items are being
// printed: interfaces of pkg are referred to by their plain names, all
// others by their qualified `ns:pkg/name@version` names.
type printer struct {
	b            strings.Builder
	indent       int
	pkg          *Package
	pendingBlank bool
}

func (p *printer) line(parts ...string) {
	closing := len(parts) > 0 && strings.HasPrefix(parts[0], "}")
	p.flushBlank(closing)
	p.tabs()
	for _, s := range parts {
		p.b.WriteString(s)
	}
	p.b.WriteByte('\n')
}

func (p *printer) tabs() {
	for range p.indent {
		p.b.WriteString("  ")
	}
}

// begin starts a line that the caller writes to p.b, newline included.
func (p *printer) begin() {
	p.flushBlank(false)
	p.tabs()
}

// blank asks for an empty line before the next line, unless that line
// closes a block or follows an opening one.
func (p *printer) blank() { p.pendingBlank = true }

func (p *printer) flushBlank(closing bool) {
	if !p.pendingBlank {
		return
	}
	p.pendingBlank = false
	s := p.b.String()
	if closing || len(s) == 0 || strings.HasSuffix(s, "\n\n") || strings.HasSuffix(s, "{\n") {
		return
	}
	p.b.WriteByte('\n')
}

// block prints `header {`, what body prints one level deeper, and `}`; an
// empty block prints as `header {}`.
func (p *printer) block(header string, empty bool, body func()) {
	if empty {
		p.line(header, " {}")
		return
	}
	p.line(header, " {")
	p.indent++
	body()
	p.indent--
	p.line("}")
}

// docs prints d as `///` lines.
//
// The parser strips the slashes of each line, trims its end, and then
// removes m leading spaces from every line that starts with m spaces, where
// m is the least number of leading ASCII white-space characters of a
// non-empty line. docPadding chooses, per line, whether to write m spaces
// after the slashes, so that reading the lines back yields d exactly.
func (p *printer) docs(d Docs) {
	if d.Contents == "" {
		return
	}
	lines := strings.Split(d.Contents, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	m, pad := docPadding(lines)
	for i, l := range lines {
		switch {
		case l == "":
			p.line("///")
		case pad[i]:
			p.line("///", spaces(m), l)
		default:
			p.line("///", l)
		}
	}
}

func spaces(n int) string {
	if n == 1 {
		return " "
	}
	return strings.Repeat(" ", n)
}

// leadingWS counts the leading ASCII white space the way the parser does.
func leadingWS(s string) int {
	n := 0
	for n < len(s) && (s[n] == ' ' || s[n] == '\t' || s[n] == '\n' || s[n] == '\f' || s[n] == '\r') {
		n++
	}
	return n
}

// docPadding finds m >= 1 and, per line, whether to pad it with m spaces:
// a padded line reads back with the m spaces removed, an unpadded one must
// not start with m spaces (or they would be removed); the least leading
// white space of the printed lines must be m. Usually m is 1 and every line
// that does not start with a tab-like character is padded.
func docPadding(lines []string) (int, []bool) {
	pad := make([]bool, len(lines))
	maxWS := 0
	for _, l := range lines {
		maxWS = max(maxWS, leadingWS(l))
	}
	for m := 1; m <= maxWS+1; m++ {
		least := -1
		for i, l := range lines {
			if l == "" {
				continue
			}
			ws := leadingWS(l)
			pad[i] = ws < m || l[0] == '/' || strings.HasPrefix(l, spaces(m))
			if pad[i] {
				ws += m
			}
			if least < 0 || ws < least {
				least = ws
			}
		}
		if least == m || least < 0 {
			return m, pad
		}
	}
	// Not reachable from parsed docs; pad everything.
	for i := range pad {
		pad[i] = true
	}
	return 1, pad
}

// preamble prints an item's docs and gate, set off from the previous item
// by a blank line when there are any.
func (p *printer) preamble(d Docs, s Stability) {
	if d.Contents != "" || s != nil {
		p.blank()
	}
	p.docs(d)
	p.gate(s)
}

// gate prints s as attributes.
func (p *printer) gate(s Stability) {
	for _, a := range gateAttrs(s) {
		p.line(a)
	}
}

func gateAttrs(s Stability) []string {
	var out []string
	switch s := s.(type) {
	case *Stable:
		if s == nil {
			return nil
		}
		out = append(out, "@since(version = "+s.Since+")")
		if s.Deprecated != "" {
			out = append(out, "@deprecated(version = "+s.Deprecated+")")
		}
	case *Unstable:
		if s == nil {
			return nil
		}
		out = append(out, "@unstable(feature = "+Escape(s.Feature)+")")
		if s.Deprecated != "" {
			out = append(out, "@deprecated(version = "+s.Deprecated+")")
		}
	}
	return out
}

// interfacePath is how code in p.pkg names interface i in a `use` or an
// import: its plain name inside the same package, `ns:pkg/name@ver`
// otherwise.
func (p *printer) interfacePath(i *Interface) string {
	if i.Package != nil && i.Package == p.pkg {
		return Escape(i.Name)
	}
	return qualifiedPath(i)
}

func qualifiedPath(i *Interface) string {
	if i.Package == nil {
		return Escape(i.Name)
	}
	n := i.Package.Name
	s := Escape(n.Namespace) + ":" + Escape(n.Name) + "/" + Escape(i.Name)
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

func packageNameString(n PackageName) string {
	s := Escape(n.Namespace) + ":" + Escape(n.Name)
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

// useSource reports the interface a `use` of alias t imports from: t must be
// an alias of a named type owned by an interface other than t's owner.
func useSource(t *TypeDef) (*Interface, *TypeDef) {
	a, ok := t.Kind.(*Alias)
	if !ok {
		return nil, nil
	}
	target, ok := a.Type.(*TypeDef)
	if !ok || target == nil || target.Name == "" {
		return nil, nil
	}
	from, ok := target.Owner.(*Interface)
	if !ok || from == nil || from.Name == "" {
		return nil, nil
	}
	if owner, ok := t.Owner.(*Interface); ok && owner == from {
		return nil, nil
	}
	return from, target
}

// WIT prints the definition of a named type: `record r { ... }`,
// `resource r { ... }` with the functions its owner declares for it,
// `type a = list<u32>;`, or `use iface.{t as a};` for an alias of another
// interface's type (the interface is named by its plain name within the
// same package, by its qualified name otherwise). For an anonymous type it
// returns [TypeString].
func (t *TypeDef) WIT() string {
	if t.Name == "" {
		return TypeString(t)
	}
	p := printer{}
	switch o := t.Owner.(type) {
	case *Interface:
		if o != nil {
			p.pkg = o.Package
		}
	case *World:
		if o != nil {
			p.pkg = o.Package
		}
	}
	p.typeDef(t, ownerResourceFuncs(t))
	return p.b.String()
}

// ownerResourceFuncs returns the functions of resource t, found in its
// owner.
func ownerResourceFuncs(t *TypeDef) []*Function {
	if _, ok := t.Kind.(*Resource); !ok {
		return nil
	}
	var fs []*Function
	switch o := t.Owner.(type) {
	case *Interface:
		if o == nil {
			return nil
		}
		for _, f := range o.Functions {
			if f.Resource == t {
				fs = append(fs, f)
			}
		}
	case *World:
		if o == nil {
			return nil
		}
		for _, it := range o.Imports {
			if it.Function != nil && it.Function.Resource == t {
				fs = append(fs, it.Function)
			}
		}
	}
	return fs
}

// typeDef prints t's definition; funcs are the functions of resource t.
func (p *printer) typeDef(t *TypeDef, funcs []*Function) {
	p.preamble(t.Docs, t.Stability)
	name := Escape(t.Name)
	switch k := t.Kind.(type) {
	case *Record:
		p.block("record "+name, len(k.Fields) == 0, func() {
			for _, f := range k.Fields {
				p.docs(f.Docs)
				p.begin()
				p.b.WriteString(Escape(f.Name))
				p.b.WriteString(": ")
				writeType(&p.b, f.Type)
				p.b.WriteString(",\n")
			}
		})
	case *Resource:
		if len(funcs) == 0 {
			p.line("resource ", name, ";")
			return
		}
		p.block("resource "+name, false, func() {
			for _, f := range funcs {
				p.resourceFunc(f)
			}
		})
	case *Flags:
		p.block("flags "+name, len(k.Flags) == 0, func() {
			for _, f := range k.Flags {
				p.docs(f.Docs)
				p.line(Escape(f.Name), ",")
			}
		})
	case *Variant:
		p.block("variant "+name, len(k.Cases) == 0, func() {
			for _, c := range k.Cases {
				p.docs(c.Docs)
				if c.Type == nil {
					p.line(Escape(c.Name), ",")
				} else {
					p.begin()
					p.b.WriteString(Escape(c.Name))
					p.b.WriteByte('(')
					writeType(&p.b, c.Type)
					p.b.WriteString("),\n")
				}
			}
		})
	case *Enum:
		p.block("enum "+name, len(k.Cases) == 0, func() {
			for _, c := range k.Cases {
				p.docs(c.Docs)
				p.line(Escape(c.Name), ",")
			}
		})
	case *Alias:
		if from, target := useSource(t); from != nil {
			p.line("use ", p.interfacePath(from), ".{", useName(target, t), "};")
			return
		}
		p.begin()
		p.b.WriteString("type ")
		p.b.WriteString(name)
		p.b.WriteString(" = ")
		writeType(&p.b, k.Type)
		p.b.WriteString(";\n")
	default:
		var b strings.Builder
		writeKindType(&b, t)
		p.line("type ", name, " = ", b.String(), ";")
	}
}

// useName is `t` or `t as u` for alias u of t.
func useName(target, alias *TypeDef) string {
	if target.Name == alias.Name {
		return Escape(target.Name)
	}
	return Escape(target.Name) + " as " + Escape(alias.Name)
}

// funcSig returns `static? async? func(params) -> result`; skip drops
// leading parameters (the implicit `self` of methods).
func funcSig(f *Function, static bool, skip int) string {
	var b strings.Builder
	writeFuncSig(&b, f, static, skip)
	return b.String()
}

func writeFuncSig(b *strings.Builder, f *Function, static bool, skip int) {
	if static {
		b.WriteString("static ")
	}
	if f.Kind.IsAsync() {
		b.WriteString("async ")
	}
	b.WriteString("func")
	writeParams(b, f.Params[min(skip, len(f.Params)):])
	if f.Result != nil {
		b.WriteString(" -> ")
		writeType(b, f.Result)
	}
}

// funcLine prints `name: <signature>;`.
func (p *printer) funcLine(name string, f *Function, static bool, skip int) {
	p.begin()
	p.b.WriteString(name)
	p.b.WriteString(": ")
	writeFuncSig(&p.b, f, static, skip)
	p.b.WriteString(";\n")
}

func writeParams(b *strings.Builder, params []Param) {
	b.WriteByte('(')
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Escape(p.Name))
		b.WriteString(": ")
		writeType(b, p.Type)
	}
	b.WriteByte(')')
}

// WIT prints the function as it is declared: `name: func(...) -> T;` for a
// freestanding function, and as it appears inside its resource block
// (`constructor(...);`, `m: func(...);`, `s: static func(...);`) otherwise.
func (f *Function) WIT() string {
	var p printer
	if f.Resource != nil {
		p.resourceFunc(f)
	} else {
		p.preamble(f.Docs, f.Stability)
		p.funcLine(Escape(f.Name), f, false, 0)
	}
	return p.b.String()
}

func (p *printer) resourceFunc(f *Function) {
	p.preamble(f.Docs, f.Stability)
	switch f.Kind {
	case Constructor:
		var b strings.Builder
		b.WriteString("constructor")
		writeParams(&b, f.Params)
		if f.Result != nil && !isImplicitConstructorResult(f) {
			b.WriteString(" -> ")
			writeType(&b, f.Result)
		}
		b.WriteByte(';')
		p.line(b.String())
	case Method, AsyncMethod:
		p.funcLine(Escape(f.BaseName()), f, false, 1)
	case Static, AsyncStatic:
		p.funcLine(Escape(f.BaseName()), f, true, 0)
	default:
		p.funcLine(Escape(f.Name), f, false, 0)
	}
}

// isImplicitConstructorResult reports whether a constructor's result is the
// `own<r>` that a constructor without `-> T` gets.
func isImplicitConstructorResult(f *Function) bool {
	td, ok := f.Result.(*TypeDef)
	if !ok || td == nil || td.Name != "" {
		return false
	}
	own, ok := td.Kind.(*Own)
	if !ok || own.Type == nil || f.Resource == nil {
		return false
	}
	return own.Type.Root() == f.Resource.Root()
}

// resourceFuncs groups the resource functions among fs by resource.
func resourceFuncs(fs []*Function) map[*TypeDef][]*Function {
	var m map[*TypeDef][]*Function
	for _, f := range fs {
		if f.Resource == nil {
			continue
		}
		if m == nil {
			m = make(map[*TypeDef][]*Function)
		}
		m[f.Resource] = append(m[f.Resource], f)
	}
	return m
}

// WIT prints the interface as `interface name { ... }` (an anonymous
// interface prints as `interface { ... }`). Interfaces of other packages are
// named by their qualified names.
func (i *Interface) WIT() string {
	p := printer{pkg: i.Package}
	p.preamble(i.Docs, i.Stability)
	header := "interface"
	if i.Name != "" {
		header += " " + Escape(i.Name)
	}
	p.block(header, interfaceEmpty(i), func() { p.interfaceBody(i) })
	return p.b.String()
}

// interfaceBody prints the items of i at one more level of indentation.
//
// wit-parser records types and functions in two separate ordered maps, and
// a resource's functions enter the function map where the resource is
// declared. The body is printed in an order that reproduces both maps:
// `use`s first, then the functions in order, each resource (and the types
// before it) just before its first function, then the remaining types.
func (p *printer) interfaceBody(i *Interface) {
	byRes := resourceFuncs(i.Functions)
	types := i.Types
	// Leading uses, grouped by source interface.
	n := 0
	for n < len(types) {
		from, _ := useSource(types[n])
		if from == nil {
			break
		}
		n++
	}
	p.uses(types[:n])
	if n > 0 {
		p.blank()
	}
	types = types[n:]

	printed := make(map[*TypeDef]bool)
	next := 0 // types[:next] have been printed
	emitThrough := func(t *TypeDef) {
		for next < len(types) {
			u := types[next]
			next++
			p.singleType(u, byRes[u])
			printed[u] = true
			if u == t {
				return
			}
		}
	}
	for _, f := range i.Functions {
		if f.Resource != nil {
			if printed[f.Resource] {
				continue
			}
			if containsType(types[next:], f.Resource) {
				emitThrough(f.Resource)
				continue
			}
			// The resource is not one of i's types; print the function
			// as a freestanding item so that it is not lost.
		}
		p.preamble(f.Docs, f.Stability)
		p.funcLine(Escape(f.Name), f, false, 0)
	}
	for next < len(types) {
		u := types[next]
		next++
		p.singleType(u, byRes[u])
	}
}

func containsType(ts []*TypeDef, t *TypeDef) bool {
	for _, u := range ts {
		if u == t {
			return true
		}
	}
	return false
}

// singleType prints one type definition; a multi-line block is set off by
// blank lines, and so is a documented or gated one from what precedes it.
func (p *printer) singleType(t *TypeDef, funcs []*Function) {
	block := isBlock(t, funcs)
	if block {
		p.blank()
	}
	p.typeDef(t, funcs)
	if block {
		p.blank()
	}
}

// isBlock reports whether typeDef prints t over several lines.
func isBlock(t *TypeDef, funcs []*Function) bool {
	switch k := t.Kind.(type) {
	case *Record:
		return len(k.Fields) > 0
	case *Flags:
		return len(k.Flags) > 0
	case *Variant:
		return len(k.Cases) > 0
	case *Enum:
		return len(k.Cases) > 0
	case *Resource:
		return len(funcs) > 0
	}
	return false
}

func interfaceEmpty(i *Interface) bool { return len(i.Types) == 0 && len(i.Functions) == 0 }

// uses prints a run of use-aliases, merging consecutive ones that share a
// source interface and carry no docs or gates of their own.
func (p *printer) uses(ts []*TypeDef) {
	for len(ts) > 0 {
		from, target := useSource(ts[0])
		if ts[0].Docs.Contents != "" || ts[0].Stability != nil {
			p.typeDef(ts[0], nil)
			ts = ts[1:]
			continue
		}
		names := []string{useName(target, ts[0])}
		j := 1
		for j < len(ts) {
			f2, t2 := useSource(ts[j])
			if f2 != from || ts[j].Docs.Contents != "" || ts[j].Stability != nil {
				break
			}
			names = append(names, useName(t2, ts[j]))
			j++
		}
		p.line("use ", p.interfacePath(from), ".{", strings.Join(names, ", "), "};")
		ts = ts[j:]
	}
}

// WIT prints the world, fully elaborated: every import and export
// (including interfaces wit-parser imported implicitly), its types, and its
// resources with their functions.
func (w *World) WIT() string {
	p := printer{pkg: w.Package}
	p.world(w)
	return p.b.String()
}

func (p *printer) world(w *World) {
	p.preamble(w.Docs, w.Stability)
	p.block("world "+Escape(w.Name), len(w.Imports)+len(w.Exports) == 0, func() { p.worldBody(w) })
}

func (p *printer) worldBody(w *World) {

	// Resource functions are printed inside their resource's block.
	var byRes map[*TypeDef][]*Function
	for _, it := range w.Imports {
		if it.Type == nil {
			continue
		}
		if _, ok := it.Type.Kind.(*Resource); !ok {
			continue
		}
		if byRes == nil {
			byRes = make(map[*TypeDef][]*Function)
		}
		byRes[it.Type] = nil
	}
	inBlock := func(it *WorldItem) bool {
		if it.Function == nil || it.Function.Resource == nil {
			return false
		}
		_, ok := byRes[it.Function.Resource]
		return ok
	}
	for _, it := range w.Imports {
		if inBlock(it) {
			byRes[it.Function.Resource] = append(byRes[it.Function.Resource], it.Function)
		}
	}

	for _, it := range w.Imports {
		if inBlock(it) {
			continue
		}
		if it.Type != nil {
			p.singleType(it.Type, byRes[it.Type])
			continue
		}
		p.worldItem("import", it)
	}
	for _, it := range w.Exports {
		if it.Type != nil {
			// Types cannot be exported in WIT; keep the information.
			p.line("// export of type ", Escape(it.Type.Name))
			continue
		}
		p.worldItem("export", it)
	}
}

func (p *printer) worldItem(dir string, it *WorldItem) {
	switch {
	case it.Interface != nil:
		i := it.Interface
		if it.Key.Interface == nil && it.Key.Name != "" && i.Name == "" {
			p.blank()
		}
		if it.Docs.Contents != "" || it.Stability != nil || (i.Name == "" && (i.Docs.Contents != "" || i.Stability != nil)) {
			p.blank()
		}
		if it.Docs.Contents != "" {
			p.docs(it.Docs)
		} else if i.Name == "" {
			p.docs(i.Docs)
		}
		if it.Stability != nil {
			p.gate(it.Stability)
		} else if i.Name == "" {
			p.gate(i.Stability)
		}
		switch {
		case it.Key.Interface != nil || it.Key.Name == "":
			p.line(dir, " ", p.interfacePath(i), ";")
		case i.Name != "":
			p.line(dir, " ", Escape(it.Key.Name), ": ", p.interfacePath(i), ";")
		default:
			p.block(dir+" "+Escape(it.Key.Name)+": interface", interfaceEmpty(i), func() { p.interfaceBody(i) })
			p.blank()
		}
	case it.Function != nil:
		f := it.Function
		p.preamble(f.Docs, f.Stability)
		name := it.Key.Name
		if name == "" {
			name = f.Name
		}
		if f.Resource != nil {
			// A resource function whose resource is not a type of this
			// world cannot be written in WIT; keep it visible.
			p.line("// ", dir, " ", name, ": ", funcSig(f, false, 0))
			return
		}
		p.funcLine(dir+" "+Escape(name), f, false, 0)
	}
}

// WIT prints the package as a standalone WIT file: the `package` header,
// then its interfaces and worlds.
func (pkg *Package) WIT() string {
	p := printer{pkg: pkg}
	p.docs(pkg.Docs)
	p.line("package ", packageNameString(pkg.Name), ";")
	p.packageItems(pkg)
	return p.b.String()
}

func (p *printer) packageItems(pkg *Package) {
	for _, i := range pkg.Interfaces {
		p.blank()
		p.preamble(i.Docs, i.Stability)
		p.block("interface "+Escape(i.Name), interfaceEmpty(i), func() { p.interfaceBody(i) })
	}
	for _, w := range pkg.Worlds {
		p.blank()
		p.world(w)
	}
}

// WIT prints the whole resolve as one WIT file that the parser reads back
// into an equivalent Resolve: main (or, when main is nil, the last package)
// at the top level, followed by every other package as a nested
// `package ns:name@ver { ... }` block, in topological order.
func (r *Resolve) WIT(main *Package) string {
	if main == nil && len(r.Packages) > 0 {
		main = r.Packages[len(r.Packages)-1]
	}
	var p printer
	p.b.Grow(r.jsonSizeHint() / 2)
	if main != nil {
		p.pkg = main
		p.docs(main.Docs)
		p.line("package ", packageNameString(main.Name), ";")
		p.packageItems(main)
	}
	for _, pkg := range r.Packages {
		if pkg == main {
			continue
		}
		p.blank()
		p.pkg = pkg
		p.docs(pkg.Docs)
		p.block("package "+packageNameString(pkg.Name), len(pkg.Interfaces)+len(pkg.Worlds) == 0, func() { p.packageItems(pkg) })
	}
	return p.b.String()
}

// PrintPackage prints package pkg of r as a standalone WIT file (the same as
// pkg.WIT()); references to other packages use qualified names.
func (r *Resolve) PrintPackage(pkg *Package) string { return pkg.WIT() }
