package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// declareResource declares a resource: for an imported (host-implemented)
// resource, a Go interface with its methods and Drop plus an
// Unimplemented<R> to embed; for an exported (guest-implemented) resource,
// a handle type whose methods call the guest.
func (g *generator) declareResource(f *jen.File, t *wit.TypeDef, name string) {
	if g.resDir[t] == exported {
		text := typeDoc(name, t, fmt.Sprintf("a handle to an instance of WIT resource `%s`, implemented by the guest", t.Name)) +
			"\nA *" + name + " returned by the guest is owned by the host: call Drop when done (passing it to the guest as an own transfers it)."
		f.Add(doc(text).Type().Id(name).Struct(
			jen.Id("in").Op("*").Id(g.instName),
			jen.Id("rep").Uint32(),
			jen.Id("borrowed").Bool(),
			jen.Id("dropped").Bool(),
		))
		f.Add(doc("Drop drops the handle: the guest's destructor runs (CanonicalABI.md canon resource.drop). Dropping twice, or a handle given away, is an error.").
			Func().Params(jen.Id("self").Op("*").Id(name)).Id("Drop").Params(jen.Id("ctx").Qual(contextPkg, "Context")).Error().Block(
			jen.If(jen.Id("self").Op("==").Nil().Op("||").Id("self").Dot("dropped").Op("||").Id("self").Dot("borrowed")).Block(
				jen.Return(ra("InvalidValue").Call(jen.Lit("drop "+t.Name), jen.Lit("nil, borrowed or already dropped handle")))),
			jen.Id("in").Op(":=").Id("self").Dot("in"),
			jen.If(jen.Id("in").Dot("dead").Op("!=").Nil()).Block(jen.Return(ra("Dead").Call(jen.Lit("[dtor]"+t.Name), jen.Id("in").Dot("dead")))),
			jen.If(jen.Id("in").Dot("busy")).Block(jen.Return(ra("Reentered").Call(jen.Lit("[dtor]"+t.Name)))),
			jen.Id("self").Dot("dropped").Op("=").True(),
			jen.If(jen.Err().Op(":=").Id("in").Dot("dtor_"+name).Call(jen.Id("ctx"), jen.Id("self").Dot("rep")), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("in").Dot("trap").Call(jen.Err()))),
			jen.Return(jen.Nil()),
		))
		return
	}
	var methods, stubs []jen.Code
	unimpl := g.resUnimpl[t]
	seen := map[*wit.Function]bool{}
	for _, ii := range g.imports {
		for _, fn := range ii.funcs {
			if !isMethod(fn) || fn.Resource.Root() != t || seen[fn] {
				continue
			}
			seen[fn] = true
			s := g.sigOf(fn, true)
			mn := g.resMethods[fn]
			methods = append(methods, doc(g.funcDoc(mn, s, true)).Id(mn).Params(g.goParams(s)...).Params(g.goResults(s, false)...))
			stubs = append(stubs, jen.Func().Params(jen.Id(unimpl)).Id(mn).Params(g.goParams(s)...).Params(g.goResults(s, true)...).Block(
				jen.Return(g.zeroResults(s, ra("NotImplemented").Call(jen.Lit(ii.module+"#"+fn.Name)))...)).Line())
		}
	}
	methods = append(methods, doc("Drop is called when the guest drops its own handle (`[resource-drop]"+t.Name+"`); an error traps the guest.").
		Id("Drop").Params(jen.Id("ctx").Qual(contextPkg, "Context")).Error())
	text := typeDoc(name, t, fmt.Sprintf("WIT resource `%s`, implemented by the host", t.Name)) +
		"\nThe guest holds handles to values of this interface in a per-instance table; borrows last for one call." +
		"\nEmbed " + unimpl + " to keep compiling when the resource gains methods."
	f.Add(doc(text).Type().Id(name).Interface(methods...))
	f.Add(doc(unimpl + " implements the methods of " + name + " by failing with runtimeadapters.ErrNotImplemented; its Drop does nothing.").
		Type().Id(unimpl).Struct())
	f.Var().Id("_").Id(name).Op("=").Id(unimpl).Values()
	for _, s := range stubs {
		f.Add(s)
	}
	f.Add(doc("Drop does nothing.").Func().Params(jen.Id(unimpl)).Id("Drop").Params(jen.Qual(contextPkg, "Context")).Error().Block(jen.Return(jen.Nil())))
}
