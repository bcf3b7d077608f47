package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// ra returns a qualified reference to the runtimeadapters package.
func ra(name string) *jen.Statement { return jen.Qual(raPkg, name) }

// doc renders text as a block of line comments, ready to be followed by a
// declaration.
func doc(text string) *jen.Statement {
	s := jen.Null()
	text = strings.TrimRight(text, "\n ")
	if text == "" {
		return s
	}
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			s.Comment("").Line()
			continue
		}
		s.Comment(l).Line()
	}
	return s
}

// docText joins a WIT doc comment with a generated summary line.
func docText(goName string, docs wit.Docs, summary string) string {
	d := strings.TrimSpace(docs.Contents)
	if d == "" {
		return goName + " is " + summary + "."
	}
	return d + "\n\n" + goName + " is " + summary + "."
}

// memberDoc is the doc comment of an enum or variant case or a flag: its
// WIT docs as written (untrimmed, unlike docText), then summary.
func memberDoc(docs wit.Docs, summary string) string {
	if docs.Contents == "" {
		return summary
	}
	return docs.Contents + "\n\n" + summary
}

// typeDoc is the doc comment of a declared type.
func typeDoc(goName string, t *wit.TypeDef, summary string) string {
	return docText(goName, t.Docs, summary) + stabilityNote(t.Stability)
}

// rootOf follows aliases that have no Go declaration of their own.
func (g *generator) rootOf(t wit.Type) wit.Type {
	for {
		td, ok := t.(*wit.TypeDef)
		if !ok {
			return t
		}
		a, ok := td.Kind.(*wit.Alias)
		if !ok {
			return td
		}
		t = a.Type
	}
}

// isNominal reports whether kind k is declared as a distinct Go type (as
// opposed to a Go alias of a structural type).
func isNominal(k wit.TypeDefKind) bool {
	switch k.(type) {
	case *wit.Record, *wit.Variant, *wit.Enum, *wit.Flags, *wit.Resource:
		return true
	}
	return false
}

// primitiveGo returns the Go spelling of a primitive.
func primitiveGo(p wit.Primitive) string {
	switch p {
	case wit.Bool:
		return "bool"
	case wit.U8:
		return "uint8"
	case wit.U16:
		return "uint16"
	case wit.U32:
		return "uint32"
	case wit.U64:
		return "uint64"
	case wit.S8:
		return "int8"
	case wit.S16:
		return "int16"
	case wit.S32:
		return "int32"
	case wit.S64:
		return "int64"
	case wit.F32:
		return "float32"
	case wit.F64:
		return "float64"
	case wit.Char:
		return "rune"
	case wit.String:
		return "string"
	}
	panic(fmt.Sprintf("BUG: primitive %v has no Go type", p))
}

// elemTypes returns the type uses a value of kind k directly holds, in
// declaration order, without the absent payloads (nil) of variant cases and
// results: wit.TypeRefs without the resources of handles, and without the
// elements of futures and streams, which check refuses. These are the edges
// that traversals looking into a value's type follow.
func elemTypes(k wit.TypeDefKind) []wit.Type {
	switch k.(type) {
	case *wit.Own, *wit.Borrow, *wit.Future, *wit.Stream:
		return nil
	}
	return wit.TypeRefs(k)
}

// goType returns the Go type of a WIT type use; nil means "no type" and
// becomes struct{}.
func (g *generator) goType(t wit.Type) *jen.Statement {
	if t == nil {
		return jen.Struct()
	}
	switch t := t.(type) {
	case wit.Primitive:
		return jen.Id(primitiveGo(t))
	case *wit.TypeDef:
		if n, ok := g.typeName[t]; ok {
			if _, ok := t.Kind.(*wit.Resource); ok {
				return g.resourceGoType(t)
			}
			return jen.Id(n)
		}
		return g.kindGoType(t)
	}
	panic(fmt.Sprintf("BUG: unknown wit.Type %T", t))
}

// kindGoType returns the structural Go type of an undeclared type
// definition (or the target of an undeclared alias).
func (g *generator) kindGoType(t *wit.TypeDef) *jen.Statement {
	switch k := t.Kind.(type) {
	case *wit.Alias:
		return g.goType(k.Type)
	case *wit.List:
		if k.Type == wit.U8 {
			return jen.Index().Byte()
		}
		return jen.Index().Add(g.goType(k.Type))
	case *wit.FixedLengthList:
		return jen.Index(jen.Lit(int(k.Length))).Add(g.goType(k.Type))
	case *wit.Option:
		return ra("Option").Types(g.goType(k.Type))
	case *wit.Result:
		return ra("Result").Types(g.goType(k.OK), g.goType(k.Err))
	case *wit.Tuple:
		return tupleGoType(g, k)
	case *wit.Own:
		return g.resourceGoType(k.Type.Root())
	case *wit.Borrow:
		return g.resourceGoType(k.Type.Root())
	case *wit.Resource:
		return g.resourceGoType(t)
	case *wit.Record, *wit.Variant, *wit.Enum, *wit.Flags:
		panic(fmt.Sprintf("BUG: %s type %q has no Go name", k.KindName(), t.Name))
	case *wit.Map:
		return jen.Map(g.goType(k.Key)).Add(g.goType(k.Value))
	case *wit.Future, *wit.Stream:
		panic(fmt.Sprintf("BUG: %s reached the emitter (check should refuse it)", k.KindName()))
	}
	panic(fmt.Sprintf("BUG: unknown wit.TypeDefKind %T", t.Kind))
}

// key returns a string that identifies the Go type of t, used to name the
// lift and lower helpers. Nominal types use their Go name (upper-case);
// structural types a prefix spelling of their structure (lower-case), so
// structurally equal anonymous types share helpers.
func (g *generator) key(t wit.Type) string {
	if t == nil {
		return "unit"
	}
	t = g.rootOf(t)
	switch t := t.(type) {
	case wit.Primitive:
		return strings.ReplaceAll(t.String(), "-", "")
	case *wit.TypeDef:
		if isNominal(t.Kind) {
			return g.typeName[t]
		}
		switch k := t.Kind.(type) {
		case *wit.List:
			return "list_" + g.key(k.Type)
		case *wit.FixedLengthList:
			return fmt.Sprintf("array%d_%s", k.Length, g.key(k.Type))
		case *wit.Option:
			return "option_" + g.key(k.Type)
		case *wit.Result:
			return "result_" + g.key(k.OK) + "_" + g.key(k.Err)
		case *wit.Tuple:
			s := fmt.Sprintf("tuple%d", len(k.Types))
			for _, e := range k.Types {
				s += "_" + g.key(e)
			}
			return s
		case *wit.Map:
			return "map_" + g.key(k.Key) + "_" + g.key(k.Value)
		case *wit.Own:
			return "own_" + g.typeName[k.Type.Root()]
		case *wit.Borrow:
			return "borrow_" + g.typeName[k.Type.Root()]
		}
		panic(fmt.Sprintf("BUG: no key for kind %T", t.Kind))
	}
	panic(fmt.Sprintf("BUG: unknown wit.Type %T", t))
}

// witType spells a type use in WIT syntax, for doc comments.
func witType(t wit.Type) string {
	switch t := t.(type) {
	case nil:
		return "_"
	case wit.Primitive:
		return t.String()
	case *wit.TypeDef:
		if t.Name != "" {
			return t.Name
		}
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return witType(k.Type)
		case *wit.List:
			return "list<" + witType(k.Type) + ">"
		case *wit.FixedLengthList:
			return fmt.Sprintf("list<%s, %d>", witType(k.Type), k.Length)
		case *wit.Map:
			return "map<" + witType(k.Key) + ", " + witType(k.Value) + ">"
		case *wit.Option:
			return "option<" + witType(k.Type) + ">"
		case *wit.Result:
			switch {
			case k.OK == nil && k.Err == nil:
				return "result"
			case k.Err == nil:
				return "result<" + witType(k.OK) + ">"
			}
			return "result<" + witType(k.OK) + ", " + witType(k.Err) + ">"
		case *wit.Tuple:
			parts := make([]string, len(k.Types))
			for i, e := range k.Types {
				parts[i] = witType(e)
			}
			return "tuple<" + strings.Join(parts, ", ") + ">"
		case *wit.Own:
			return k.Type.Name
		case *wit.Borrow:
			return "borrow<" + k.Type.Name + ">"
		case *wit.Future:
			if k.Type == nil {
				return "future"
			}
			return "future<" + witType(k.Type) + ">"
		case *wit.Stream:
			if k.Type == nil {
				return "stream"
			}
			return "stream<" + witType(k.Type) + ">"
		}
		return t.Kind.KindName()
	}
	return "?"
}

// witSignature spells a function's WIT signature.
func witSignature(f *wit.Function) string {
	var b strings.Builder
	b.WriteString(f.Name)
	b.WriteString(": func(")
	for i, p := range f.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name + ": " + witType(p.Type))
	}
	b.WriteString(")")
	if f.Result != nil {
		b.WriteString(" -> " + witType(f.Result))
	}
	return b.String()
}

// emitTypes declares every named WIT type, in naming order.
func (g *generator) emitTypes(f *jen.File) {
	for _, t := range g.declared {
		name := g.typeName[t]
		switch k := t.Kind.(type) {
		case *wit.Record:
			g.declareRecord(f, t, k, name)
		case *wit.Variant:
			g.declareVariant(f, t, k, name)
		case *wit.Enum:
			g.declareEnum(f, t, k, name)
		case *wit.Flags:
			g.declareFlags(f, t, k, name)
		case *wit.Resource:
			g.declareResource(f, t, name)
		case *wit.Alias, *wit.List, *wit.FixedLengthList, *wit.Option, *wit.Result,
			*wit.Tuple, *wit.Own, *wit.Borrow, *wit.Map:
			f.Add(doc(typeDoc(name, t, fmt.Sprintf("WIT type `%s` (%s)", t.Name, witTypeDef(t)))).
				Type().Id(name).Op("=").Add(g.kindGoType(t)))
		case *wit.Future, *wit.Stream:
			panic(fmt.Sprintf("BUG: %s reached the emitter", k.KindName()))
		default:
			panic(fmt.Sprintf("BUG: unknown wit.TypeDefKind %T", k))
		}
	}
}

// witTypeDef spells the right-hand side of a named structural type.
func witTypeDef(t *wit.TypeDef) string {
	if a, ok := t.Kind.(*wit.Alias); ok {
		return "= " + witType(a.Type)
	}
	c := *t
	c.Name = ""
	return witType(&c)
}
