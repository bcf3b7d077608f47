package codegen

import (
	"fmt"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are kept upper-case (or in their canonical mixed case) when
// a WIT name segment matches them, ignoring case.
var initialisms = map[string]string{
	"id": "ID", "url": "URL", "http": "HTTP", "ip": "IP", "ipv4": "IPv4",
	"ipv6": "IPv6", "json": "JSON", "utf8": "UTF8", "tcp": "TCP", "udp": "UDP",
	"api": "API", "uri": "URI", "tls": "TLS",
}

// goKeywords and goPredeclared are the identifiers a generated name must
// not be spelled as.
var goKeywords = setOf("break", "case", "chan", "const", "continue", "default",
	"defer", "else", "fallthrough", "for", "func", "go", "goto", "if", "import",
	"interface", "map", "package", "range", "return", "select", "struct",
	"switch", "type", "var")

var goPredeclared = setOf("any", "bool", "byte", "comparable", "complex64",
	"complex128", "error", "float32", "float64", "int", "int8", "int16",
	"int32", "int64", "rune", "string", "uint", "uint8", "uint16", "uint32",
	"uint64", "uintptr", "true", "false", "iota", "nil", "append", "cap",
	"clear", "close", "complex", "copy", "delete", "imag", "len", "make", "max",
	"min", "new", "panic", "print", "println", "real", "recover")

// reservedLocals are names the generated code uses for its own locals, plus
// the package names of the generated imports.
var reservedLocals = setOf("ctx", "err", "mod", "stack", "mem", "in", "ptr",
	"res", "caller", "host", "self", "context", "errors", "runtimeadapters",
	"math", "fmt", "strings", "ex", "errv", "retp", "werr", "isErr", "result")

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// segments splits a WIT identifier into its kebab-case words, dropping a
// leading `%` and any empty segment.
func segments(name string) []string {
	name = strings.TrimPrefix(name, "%")
	var segs []string
	for _, s := range strings.Split(name, "-") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return segs
}

// titleSegment capitalises one segment, honouring initialisms. An
// all-upper-case segment (WIT allows `XML`) is kept as written.
func titleSegment(s string) string {
	if v, ok := initialisms[strings.ToLower(s)]; ok {
		return v
	}
	if strings.ToUpper(s) == s {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// GoName converts a WIT identifier to an exported Go identifier:
// `%` stripped, kebab-case words title-cased, initialisms kept upper-case.
// `is-XML` becomes IsXML, `ipv4-address` IPv4Address, `a0` A0.
func GoName(name string) string {
	var b strings.Builder
	for _, s := range segments(name) {
		b.WriteString(titleSegment(s))
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if r, _ := utf8.DecodeRuneInString(out); !unicode.IsLetter(r) {
		out = "X" + out
	}
	return out
}

// goLowerCamel converts a WIT identifier to lowerCamel without clash
// handling: `url-path` becomes urlPath, `IPv4` ipv4.
func goLowerCamel(name string) string {
	segs := segments(name)
	if len(segs) == 0 {
		return "x"
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(segs[0]))
	for _, s := range segs[1:] {
		b.WriteString(titleSegment(s))
	}
	out := b.String()
	if r, _ := utf8.DecodeRuneInString(out); !unicode.IsLetter(r) {
		out = "x" + out
	}
	return out
}

// GoLocal converts a WIT identifier to an unexported Go identifier for a
// parameter or local. A name that clashes with a Go keyword, a predeclared
// identifier or a name reserved by the generator gets `_` appended.
func GoLocal(name string) string {
	n := goLowerCamel(name)
	if goKeywords[n] || goPredeclared[n] || reservedLocals[n] {
		n += "_"
	}
	return n
}

// scope hands out distinct identifiers. Names are declared in a fixed
// order, so the result never depends on map iteration.
type scope struct {
	used     map[string]bool
	reserved map[string]bool
}

// newScope returns a scope in which the reserved names (the generator's
// own members, such as Close or Drop) are taken.
func newScope(reserved ...string) *scope {
	s := &scope{used: map[string]bool{}, reserved: map[string]bool{}}
	for _, r := range reserved {
		s.used[r] = true
		s.reserved[r] = true
	}
	return s
}

// declare returns the first candidate that is still free and marks it
// used. Candidates that clash with Go keywords, predeclared identifiers or
// the scope's reserved names get `_` appended first. When every candidate
// is taken (by another WIT name), the first one gets the smallest numeric
// suffix (2, 3, ...) that makes it free.
func (s *scope) declare(cands ...string) string {
	for i, c := range cands {
		for goKeywords[c] || goPredeclared[c] || s.reserved[c] {
			c += "_"
		}
		cands[i] = c
	}
	for _, c := range cands {
		if !s.used[c] {
			s.used[c] = true
			return c
		}
	}
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s%d", cands[0], n)
		if !s.used[c] {
			s.used[c] = true
			return c
		}
	}
}

// has reports whether name is taken.
func (s *scope) has(name string) bool { return s.used[name] }

// nameAll is the naming pass: it declares every package-level Go name of
// the generated package, and the member names of every type, function and
// interface, in one fixed order over the whole world (generator names,
// then types in world order, then imported interfaces, then exported
// ones). Emitters only read the result.
func (g *generator) nameAll() {
	g.pkg = newScope()
	g.worldName = g.pkg.declare(GoName(g.w.Name))
	g.newName = g.pkg.declare("New" + g.worldName)
	g.instName = g.pkg.declare(g.worldName + "Instance")
	g.importsName = g.pkg.declare("Imports", g.worldName+"Imports")

	for _, t := range g.worldTypes() {
		g.nameType(t)
	}
	for _, ii := range g.imports {
		g.nameImport(ii)
	}
	g.instMethods = newScope("Close", "Instance")
	for _, ei := range g.exports {
		g.nameExport(ei)
	}
}

// ownerPrefixes returns the Go spellings of a type's owner used to
// disambiguate clashing type names: the interface, then package+interface.
func (g *generator) ownerPrefixes(t *wit.TypeDef) []string {
	switch o := t.Owner.(type) {
	case *wit.Interface:
		var ps []string
		if o.Name != "" {
			ps = append(ps, GoName(o.Name))
			if o.Package != nil {
				ps = append(ps, GoName(o.Package.Name.Namespace)+GoName(o.Package.Name.Name)+GoName(o.Name))
			}
		}
		return ps
	case *wit.World:
		return []string{GoName(o.Name)}
	}
	return nil
}

func (g *generator) nameType(t *wit.TypeDef) {
	if t.Name == "" {
		return
	}
	base := GoName(t.Name)
	cands := []string{base}
	for _, p := range g.ownerPrefixes(t) {
		cands = append(cands, p+base)
	}
	if g.exportSide[t] && !isAlias(t) {
		// The export-side copy of a type that the import side also
		// declares.
		for i, c := range cands {
			cands[i] = "Exported" + c
		}
	}
	if _, ok := t.Kind.(*wit.Alias); ok {
		// `use` and `type a = b` become Go aliases only when the plain
		// name is free; otherwise uses refer to the original type.
		if g.pkg.has(cands[0]) || goKeywords[cands[0]] || goPredeclared[cands[0]] {
			return
		}
		cands = cands[:1]
	}
	name := g.pkg.declare(cands...)
	g.typeName[t] = name
	g.declared = append(g.declared, t)
	member := func(n string) string { return g.pkg.declare(name+GoName(n), name+"_"+GoName(n)) }
	switch k := t.Kind.(type) {
	case *wit.Enum:
		for _, c := range k.Cases {
			g.cases[t] = append(g.cases[t], member(c.Name))
		}
	case *wit.Flags:
		for _, f := range k.Flags {
			g.cases[t] = append(g.cases[t], member(f.Name))
		}
	case *wit.Variant:
		for _, c := range k.Cases {
			g.cases[t] = append(g.cases[t], member(c.Name))
		}
	case *wit.Record:
		fs := newScope()
		for _, f := range k.Fields {
			g.fields[t] = append(g.fields[t], fs.declare(GoName(f.Name)))
		}
	case *wit.Resource:
		if g.resDir[t] == imported {
			g.resUnimpl[t] = g.pkg.declare("Unimplemented"+name, "Unimplemented"+name+"_")
		}
	}
}

// funcGoName returns the preferred Go method name of a function: the base
// name for freestanding functions and methods, New<R> for constructors and
// <R><Name> for static functions.
func (g *generator) funcGoName(f *wit.Function) string {
	switch f.Kind {
	case wit.Constructor:
		return "New" + g.typeName[f.Resource.Root()]
	case wit.Static, wit.AsyncStatic:
		return g.typeName[f.Resource.Root()] + GoName(f.BaseName())
	}
	return GoName(f.BaseName())
}

func isMethod(f *wit.Function) bool {
	return f.Kind == wit.Method || f.Kind == wit.AsyncMethod
}

func (g *generator) nameImport(ii *ifaceInfo) {
	ii.methods = map[*wit.Function]string{}
	if ii.iface != nil {
		base := GoName(ii.iface.Name)
		if ii.iface.Name == "" {
			base = GoName(ii.module)
		}
		ii.goName = g.pkg.declare(base, base+"Host", GoName(ii.iface.Package.Name.Namespace)+GoName(ii.iface.Package.Name.Name)+base)
	} else {
		ii.goName = g.pkg.declare("Host", g.worldName+"Host")
	}
	g.pkg.declare("Unimplemented"+ii.goName, "Unimplemented"+ii.goName+"_")
	ii.field = ii.goName
	ms := newScope()
	resScopes := map[*wit.TypeDef]*scope{}
	for _, f := range ii.funcs {
		if isMethod(f) {
			r := f.Resource.Root()
			s := resScopes[r]
			if s == nil {
				s = newScope("Drop")
				resScopes[r] = s
			}
			g.resMethods[f] = s.declare(GoName(f.BaseName()))
			continue
		}
		ii.methods[f] = ms.declare(g.funcGoName(f))
	}
}

func (g *generator) nameExport(ei *ifaceInfo) {
	ei.methods = map[*wit.Function]string{}
	var ms *scope
	if ei.iface != nil {
		base := GoName(ei.iface.Name)
		if ei.iface.Name == "" {
			base = GoName(ei.module)
		}
		ei.goName = g.pkg.declare(base+"Exports", "Exports"+base)
		ei.field = g.instMethods.declare(base, base+"Exports")
		ms = newScope()
	} else {
		ms = g.instMethods
	}
	resScopes := map[*wit.TypeDef]*scope{}
	for _, f := range ei.funcs {
		if isMethod(f) {
			r := f.Resource.Root()
			s := resScopes[r]
			if s == nil {
				s = newScope("Drop", "Rep")
				resScopes[r] = s
			}
			g.resMethods[f] = s.declare(GoName(f.BaseName()))
			continue
		}
		ei.methods[f] = ms.declare(g.funcGoName(f))
	}
}

func isAlias(t *wit.TypeDef) bool {
	_, ok := t.Kind.(*wit.Alias)
	return ok
}
