package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// This file is the guest side of the generator: GenerateGuest emits a Go
// package for a guest built with GOOS=wasip1 GOARCH=wasm go build
// -buildmode=c-shared. It reuses the host generator's collect, check and
// naming passes and its enum and flags declarations, so both sides use the
// same Go types for the same WIT (resources aside: on the guest side an
// imported resource is a handle struct and an exported one an interface
// the guest implements).
//
// The function bodies are written as Go text (gofmt'ed at the end): the
// glue is small and regular, and every identifier it introduces starts with
// `wit` (package level, unexported) or `w_` (locals), which WIT-derived Go
// names never do.

// wtPkg is the package of the value types generated guest code uses
// (Option, Result). Guests import it instead of runtimeadapters, the
// host-side package, whose fmt, reflect and os would be linked into every
// guest (0.75 MB of the demo's 2.7 MB http-server guest).
const wtPkg = "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"

// guestGen holds the state of one GenerateGuest run.
type guestGen struct {
	*generator
	// helpers are the generated lift/lower/load/store functions by name.
	helpers map[string]string
	// pending are helper requests not generated yet.
	pending []guestHelperReq
	// importsName is the Go type of the var of each imported interface.
	importsType map[*ifaceInfo]string
	// exportsType is the Go interface of each exported interface.
	exportsType  map[*ifaceInfo]string
	exportsField map[*ifaceInfo]string
	exportsName  string // the Exports struct
	setExports   string // SetExports
	liveBuffers  string // LiveBuffers
	nImports     int
	nExports     int
}

type guestHelperReq struct {
	op string
	t  wit.Type
}

// GenerateGuest generates Go guest bindings for world w of r: a package for
// a guest program built with `GOOS=wasip1 GOARCH=wasm go build
// -buildmode=c-shared`. Imported functions become methods of one package
// variable per imported interface (lowered through //go:wasmimport with the
// component model's core names); exported interfaces become Go interfaces
// the program implements and registers with SetExports, wired to
// //go:wasmexport functions with the core names, plus cabi_realloc and the
// cabi_post_* functions. Every generated file carries a `//go:build wasip1`
// constraint. Unsupported input is refused with a *Diagnostic.
func GenerateGuest(r *wit.Resolve, w *wit.World, opts Options) (files []File, err error) {
	if r == nil || w == nil {
		return nil, &Diagnostic{Msg: "no world to generate"}
	}
	g, err := newGenerator(r, w, opts)
	if err != nil {
		return nil, err
	}
	gg := &guestGen{generator: g, helpers: map[string]string{},
		importsType: map[*ifaceInfo]string{}, exportsType: map[*ifaceInfo]string{}, exportsField: map[*ifaceInfo]string{}}
	if err := gg.checkGuest(); err != nil {
		return nil, err
	}
	g.nameAll()
	gg.nameGuest()
	src, err := gg.render()
	if err != nil {
		return nil, err
	}
	name := opts.FileName
	if name == "" {
		name = strings.ToLower(strings.ReplaceAll(w.Name, "-", "_")) + "_guest.wit.go"
	}
	return []File{{Name: name, Content: src}}, nil
}

// checkGuest refuses what only the guest side cannot express.
func (gg *guestGen) checkGuest() error {
	for _, ii := range gg.imports {
		for _, f := range ii.funcs {
			for _, p := range f.Params {
				if r := gg.exportedBorrow(p.Type, map[*wit.TypeDef]bool{}); r != nil {
					return &Diagnostic{Pos: f.Pos, Item: fmt.Sprintf("function %s in interface %s", f.Name, ii.module),
						Msg: fmt.Sprintf("borrow<%s> of a resource the guest exports cannot be passed to an import by the guest bindings", r.Name)}
				}
			}
		}
	}
	return nil
}

// exportedBorrow returns the resource of a borrow of a guest-exported
// resource within t, or nil.
func (gg *guestGen) exportedBorrow(t wit.Type, seen map[*wit.TypeDef]bool) *wit.TypeDef {
	td, ok := t.(*wit.TypeDef)
	if !ok || seen[td] {
		return nil
	}
	seen[td] = true
	if b, ok := td.Kind.(*wit.Borrow); ok {
		if r := b.Type.Root(); gg.resDir[r] == exported {
			return r
		}
		return nil
	}
	for _, s := range elemTypes(td.Kind) {
		if r := gg.exportedBorrow(s, seen); r != nil {
			return r
		}
	}
	return nil
}

// nameGuest declares the guest-only package-level names after the shared
// naming pass.
func (gg *guestGen) nameGuest() {
	for _, ii := range gg.imports {
		if len(ii.funcs) > 0 {
			gg.importsType[ii] = gg.pkg.declare(ii.goName+"Imports", ii.goName+"Imports_")
		}
	}
	fields := newScope()
	for _, ei := range gg.exports {
		if ei.iface != nil {
			gg.exportsType[ei] = ei.goName
			gg.exportsField[ei] = fields.declare(ei.field)
		} else {
			gg.exportsType[ei] = gg.pkg.declare(gg.worldName+"Exports", "WorldExports")
			gg.exportsField[ei] = fields.declare(gg.worldName, "World")
		}
	}
	gg.exportsName = gg.pkg.declare("Exports", gg.worldName+"AllExports")
	gg.setExports = gg.pkg.declare("SetExports", "Set"+gg.worldName+"Exports")
	gg.liveBuffers = gg.pkg.declare("LiveBuffers", "WITLiveBuffers")
}

// comment renders text as // lines.
func comment(text string) string {
	text = strings.TrimRight(text, "\n ")
	if text == "" {
		return ""
	}
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			b.WriteString("//\n")
			continue
		}
		b.WriteString("// " + l + "\n")
	}
	return b.String()
}

func (gg *guestGen) render() ([]byte, error) {
	var b strings.Builder
	b.WriteString("// Code generated by wit-bindgen-go-host. DO NOT EDIT.\n")
	fmt.Fprintf(&b, "// Source: %s, world %s (guest bindings).\n\n", gg.sourceName(), gg.worldID())
	b.WriteString("//go:build wasip1\n\n")
	pkg := gg.packageName()
	doc := fmt.Sprintf("Package %s holds Go guest bindings for the WIT world %s, for a guest built with\n`GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared`.", pkg, gg.worldID())
	if d := strings.TrimSpace(gg.w.Docs.Contents); d != "" {
		doc += "\n\n" + d
	}
	b.WriteString(comment(doc))
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	fmt.Fprintf(&b, "import (\n\t\"math\"\n\t\"runtime\"\n\t\"unsafe\"\n\n\t\"%s\"\n)\n\n", wtPkg)
	b.WriteString("const _ = wittypes.SupportsVersion1\n\n")
	decls, err := gg.typeDecls()
	if err != nil {
		return nil, err
	}
	b.WriteString(decls)
	gg.emitImportsGuest(&b)
	gg.emitExportsGuest(&b)
	gg.emitResourceSupport(&b)
	// Helpers, generated on demand (a helper may request more).
	for len(gg.pending) > 0 {
		req := gg.pending[0]
		gg.pending = gg.pending[1:]
		name := gg.helperName(req.op, req.t)
		if _, done := gg.helpers[name]; done && gg.helpers[name] != "" {
			continue
		}
		gg.helpers[name] = gg.genHelper(req.op, req.t, name)
	}
	names := make([]string, 0, len(gg.helpers))
	for n := range gg.helpers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(gg.helpers[n])
		b.WriteString("\n")
	}
	b.WriteString(strings.ReplaceAll(guestSupport, "LiveBuffers", gg.liveBuffers))
	out, err := format.Source([]byte(b.String()))
	if err != nil {
		return nil, fmt.Errorf("BUG: generated guest code does not format: %w\n%s", err, numbered(b.String()))
	}
	return out, nil
}

// numbered prefixes lines with numbers, for BUG reports.
func numbered(s string) string {
	var b strings.Builder
	for i, l := range strings.Split(s, "\n") {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, l)
	}
	return b.String()
}

// typeDecls declares every named WIT type with the guest's spelling of
// resources. Enums and flags are rendered by the host generator's
// emitters (through jennifer), so both sides declare them identically.
// Records, variants and aliases are written here instead: the guest's
// output differs from the host's in more than the spelling of resources
// (one-line `interface{ isV() }` and `struct{ Value T }` declarations,
// `struct {\n}` for an empty record, one-line tuple structs, and no
// Unstable/Deprecated notes), so routing them through declareRecord,
// declareVariant or tupleGoType would change the generated guest code.
func (gg *guestGen) typeDecls() (string, error) {
	var b strings.Builder
	for _, t := range gg.declared {
		name := gg.typeName[t]
		switch k := t.Kind.(type) {
		case *wit.Record:
			b.WriteString(comment(docText(name, t.Docs, fmt.Sprintf("WIT record `%s`", t.Name))))
			fmt.Fprintf(&b, "type %s struct {\n", name)
			for i, fl := range k.Fields {
				b.WriteString(comment(fl.Docs.Contents))
				fmt.Fprintf(&b, "\t%s %s\n", gg.fields[t][i], gg.gType(fl.Type))
			}
			b.WriteString("}\n\n")
		case *wit.Variant:
			marker := "is" + name
			b.WriteString(comment(docText(name, t.Docs, fmt.Sprintf("WIT variant `%s`: exactly one of %s (a nil %s is invalid)", t.Name, strings.Join(gg.cases[t], ", "), name))))
			fmt.Fprintf(&b, "type %s interface{ %s() }\n\n", name, marker)
			for i, c := range k.Cases {
				cn := gg.cases[t][i]
				b.WriteString(comment(memberDoc(c.Docs, fmt.Sprintf("%s is case `%s` of %s.", cn, c.Name, name))))
				if c.Type != nil {
					fmt.Fprintf(&b, "type %s struct{ Value %s }\n\n", cn, gg.gType(c.Type))
				} else {
					fmt.Fprintf(&b, "type %s struct{}\n\n", cn)
				}
				fmt.Fprintf(&b, "func (%s) %s() {}\n\n", cn, marker)
			}
		case *wit.Enum, *wit.Flags:
			f := jen.NewFile("p")
			if e, ok := k.(*wit.Enum); ok {
				gg.declareEnum(f, t, e, name)
			} else {
				gg.declareFlags(f, t, k.(*wit.Flags), name)
			}
			var buf bytes.Buffer
			if err := f.Render(&buf); err != nil {
				return "", fmt.Errorf("BUG: %v", err)
			}
			s := buf.String()
			s = s[strings.Index(s, "\n")+1:]
			b.WriteString(strings.TrimLeft(s, "\n"))
			b.WriteString("\n")
		case *wit.Resource:
			gg.declareResourceGuest(&b, t, name)
		case *wit.Alias, *wit.List, *wit.FixedLengthList, *wit.Option, *wit.Result,
			*wit.Tuple, *wit.Own, *wit.Borrow, *wit.Map:
			b.WriteString(comment(docText(name, t.Docs, fmt.Sprintf("WIT type `%s` (%s)", t.Name, witTypeDef(t)))))
			fmt.Fprintf(&b, "type %s = %s\n\n", name, gg.gTypeKind(t))
		default:
			return "", &Diagnostic{Pos: t.Pos, Item: "type " + t.Name, Msg: fmt.Sprintf("%s types are not supported by the guest bindings", k.KindName())}
		}
	}
	return b.String(), nil
}

// gType spells the guest's Go type of a WIT type use. It matches the host
// generator's goType except for resources: an imported resource is the
// handle struct R and an exported one the interface R.
func (gg *guestGen) gType(t wit.Type) string {
	switch t := t.(type) {
	case nil:
		return "struct{}"
	case wit.Primitive:
		return primitiveGo(t)
	case *wit.TypeDef:
		if n, ok := gg.typeName[t]; ok {
			return n
		}
		return gg.gTypeKind(t)
	}
	panic(fmt.Sprintf("BUG: unknown wit.Type %T", t))
}

func (gg *guestGen) gTypeKind(t *wit.TypeDef) string {
	switch k := t.Kind.(type) {
	case *wit.Alias:
		return gg.gType(k.Type)
	case *wit.List:
		if k.Type == wit.U8 {
			return "[]byte"
		}
		return "[]" + gg.gType(k.Type)
	case *wit.FixedLengthList:
		return fmt.Sprintf("[%d]%s", k.Length, gg.gType(k.Type))
	case *wit.Option:
		return "wittypes.Option[" + gg.gType(k.Type) + "]"
	case *wit.Result:
		return "wittypes.Result[" + gg.gType(k.OK) + ", " + gg.gType(k.Err) + "]"
	case *wit.Tuple:
		var parts []string
		for i, e := range k.Types {
			parts = append(parts, fmt.Sprintf("F%d %s", i, gg.gType(e)))
		}
		return "struct{ " + strings.Join(parts, "; ") + " }"
	case *wit.Own:
		return gg.typeName[k.Type.Root()]
	case *wit.Borrow:
		return gg.typeName[k.Type.Root()]
	case *wit.Resource:
		return gg.typeName[t]
	case *wit.Map:
		return "map[" + gg.gType(k.Key) + "]" + gg.gType(k.Value)
	}
	panic(fmt.Sprintf("BUG: kind %T reached the guest emitter", t.Kind))
}

// declareResourceGuest declares a resource: an imported one as a handle
// struct whose methods call the host, an exported one as the interface the
// guest implements.
func (gg *guestGen) declareResourceGuest(b *strings.Builder, t *wit.TypeDef, name string) {
	if gg.resDir[t] == exported {
		b.WriteString(comment(docText(name, t.Docs, fmt.Sprintf("WIT resource `%s`, implemented by this guest", t.Name)) +
			"\nThe bindings keep every value handed to the host in a table until the host drops its handle;" +
			"\nif the value has a method Drop(), it is called then (the resource's destructor)."))
		fmt.Fprintf(b, "type %s interface {\n", name)
		for _, ei := range gg.exports {
			for _, f := range ei.funcs {
				if !isMethod(f) || f.Resource.Root() != t {
					continue
				}
				params, _ := gg.guestParams(f, true)
				b.WriteString(comment(fmt.Sprintf("%s implements `%s`.", gg.resMethods[f], witSignature(f))))
				fmt.Fprintf(b, "\t%s(%s) %s\n", gg.resMethods[f], params, gg.resultGo(f))
			}
		}
		b.WriteString("}\n\n")
		return
	}
	b.WriteString(comment(docText(name, t.Docs, fmt.Sprintf("a handle to WIT resource `%s`, implemented by the host", t.Name)) +
		"\nA handle the guest owns must be dropped with Drop or given away (passed as an own)."))
	fmt.Fprintf(b, "type %s struct{ handle uint32 }\n\n", name)
}

// guestParams spells a function's Go parameter list (without self for
// methods when receiverSelf) and returns the parameter names.
func (gg *guestGen) guestParams(f *wit.Function, receiverSelf bool) (string, []string) {
	s := newScope("unsafe", "runtime", "math", "wittypes", "self")
	var parts, names []string
	for i, p := range f.Params {
		if i == 0 && receiverSelf && isMethod(f) {
			names = append(names, "self")
			continue
		}
		n := s.declare(GoLocal(p.Name))
		names = append(names, n)
		parts = append(parts, n+" "+gg.gType(p.Type))
	}
	return strings.Join(parts, ", "), names
}

func (gg *guestGen) resultGo(f *wit.Function) string {
	if f.Result == nil {
		return ""
	}
	return gg.gType(f.Result)
}
