package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// hostFuncs are the functions of an imported interface that appear on its
// host interface (everything but resource methods).
func hostFuncs(ii *ifaceInfo) []*wit.Function {
	var fs []*wit.Function
	for _, f := range ii.funcs {
		if !isMethod(f) {
			fs = append(fs, f)
		}
	}
	return fs
}

// hasHost reports whether the imported interface has a host interface.
func hasHost(ii *ifaceInfo) bool { return len(hostFuncs(ii)) > 0 }

// emitImports declares one Go interface per imported WIT interface (and one
// for world-level imported functions), with an Unimplemented type to embed.
func (g *generator) emitImports(f *jen.File) {
	for _, ii := range g.imports {
		if !hasHost(ii) {
			continue
		}
		var methods []jen.Code
		unimpl := "Unimplemented" + ii.goName
		var stubs []jen.Code
		for _, fn := range hostFuncs(ii) {
			s := g.sigOf(fn, false)
			name := ii.methods[fn]
			methods = append(methods, doc(g.funcDoc(name, s, true)).Id(name).Params(g.goParams(s)...).Params(g.goResults(s, false)...))
			stubs = append(stubs, jen.Func().Params(jen.Id(unimpl)).Id(name).Params(g.goParams(s)...).Params(g.goResults(s, true)...).Block(
				jen.Return(g.zeroResults(s, ra("NotImplemented").Call(jen.Lit(g.coreImportName(ii, fn))))...)).Line())
		}
		what := "the functions the world imports directly"
		if ii.iface != nil {
			what = fmt.Sprintf("WIT interface `%s`", ii.module)
		}
		text := ii.goName + " is implemented by the host: " + what + "."
		if ii.iface != nil && ii.iface.Docs.Contents != "" {
			text = ii.iface.Docs.Contents + "\n\n" + text
		}
		text += "\nEvery method gets the context of the export call that led to it; a returned error traps the guest unless documented otherwise.\nEmbed " + unimpl + " to keep compiling when the world grows."
		f.Add(doc(text).Type().Id(ii.goName).Interface(methods...))
		f.Add(doc(unimpl + " implements " + ii.goName + " with methods that fail with runtimeadapters.ErrNotImplemented (trapping the guest).").
			Type().Id(unimpl).Struct())
		f.Var().Id("_").Id(ii.goName).Op("=").Id(unimpl).Values()
		for _, s := range stubs {
			f.Add(s)
		}
	}
}

// zeroResults is `return result, err`-style values for a named-result
// stub: the named result (zero) and err.
func (g *generator) zeroResults(s *sig, err jen.Code) []jen.Code {
	if s.result != nil {
		return []jen.Code{jen.Id(s.resultName), err}
	}
	return []jen.Code{err}
}

// coreImportName is "module#name" for messages.
func (g *generator) coreImportName(ii *ifaceInfo, f *wit.Function) string {
	return ii.module + "#" + f.Name
}

// hostModuleDefs emits the statements of New<World> that define the host
// modules: one per imported interface (its functions and [resource-drop]
// intrinsics), plus one "[export]<iface>" module with the
// [resource-new]/[resource-rep]/[resource-drop] intrinsics of each exported
// interface that defines resources.
func (g *generator) hostModuleDefs() []jen.Code {
	var stmts []jen.Code
	define := func(module string, defs []jen.Code) {
		if len(defs) == 0 {
			return
		}
		stmts = append(stmts, jen.If(jen.Err().Op(":=").Id("rt").Dot("DefineHostModule").Call(jen.Id("ctx"), jen.Lit(module),
			jen.Index().Add(ra("HostFuncDef")).Values(defs...)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())))
	}
	// Group by module: world-level functions and resources share "$root".
	for _, ii := range g.imports {
		var defs []jen.Code
		for _, fn := range ii.funcs {
			defs = append(defs, g.importFuncDef(ii, fn))
		}
		for _, r := range ii.resources {
			defs = append(defs, g.dropDef(r))
		}
		define(ii.module, defs)
	}
	for _, ei := range g.exports {
		if len(ei.resources) == 0 {
			continue
		}
		var defs []jen.Code
		for _, r := range ei.resources {
			defs = append(defs, g.exportedResourceDefs(r)...)
		}
		define("[export]"+ei.module, defs)
	}
	return stmts
}

// hostFuncDef builds one runtimeadapters.HostFuncDef literal.
func hostFuncDef(name string, params, results []wit.FlatType, body []jen.Code) jen.Code {
	return jen.Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true},
		jen.Id("Name").Op(":").Lit(name),
		jen.Id("Params").Op(":").Add(valueTypes(params)),
		jen.Id("Results").Op(":").Add(valueTypes(results)),
		jen.Id("Func").Op(":").Func().Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("caller").Add(ra("Instance")), jen.Id("stack").Index().Uint64()).Error().
			Block(body...),
	)
}

// instFromCaller is `in := instanceOf(caller)`.
func (g *generator) instFromCaller() jen.Code {
	return jen.List(jen.Id("in"), jen.Err()).Op(":=").Id("instanceOf").Call(jen.Id("caller")).Line().
		If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err()))
}

// dropDef is the [resource-drop]r intrinsic of an imported resource: the
// handle is removed; dropping an own calls the host's Drop method.
func (g *generator) dropDef(r *wit.TypeDef) jen.Code {
	return hostFuncDef("[resource-drop]"+r.Name, []wit.FlatType{wit.FlatI32}, nil, []jen.Code{
		g.instFromCaller(),
		jen.Return(jen.Id("in").Dot(g.tableField(r)).Dot("Drop").Call(jen.Id("ctx"), jen.Uint32().Call(jen.Id("stack").Index(jen.Lit(0))))),
	})
}

// exportedResourceDefs are the [resource-new], [resource-rep] and
// [resource-drop] intrinsics of a guest-implemented resource.
func (g *generator) exportedResourceDefs(r *wit.TypeDef) []jen.Code {
	tbl := func() *jen.Statement { return jen.Id("in").Dot(g.tableField(r)) }
	arg := jen.Uint32().Call(jen.Id("stack").Index(jen.Lit(0)))
	i32 := []wit.FlatType{wit.FlatI32}
	ret := []jen.Code{
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("stack").Index(jen.Lit(0)).Op("=").Uint64().Call(jen.Id("h")),
		jen.Return(jen.Nil()),
	}
	return []jen.Code{
		hostFuncDef("[resource-new]"+r.Name, i32, i32, append([]jen.Code{
			g.instFromCaller(),
			jen.List(jen.Id("h"), jen.Err()).Op(":=").Add(tbl().Dot("Own").Call(arg)),
		}, ret...)),
		hostFuncDef("[resource-rep]"+r.Name, i32, i32, append([]jen.Code{
			g.instFromCaller(),
			jen.List(jen.Id("h"), jen.Err()).Op(":=").Add(tbl().Dot("Rep").Call(arg)),
		}, ret...)),
		hostFuncDef("[resource-drop]"+r.Name, i32, nil, []jen.Code{
			g.instFromCaller(),
			jen.Return(tbl().Dot("Drop").Call(jen.Id("ctx"), arg)),
		}),
	}
}

// importFuncDef is the HostFuncDef of an imported function: lift the
// parameters (flat, or from the spilled tuple), call the host, lower the
// result (flat, or to the caller's return pointer). A returned
// *WITError[E] of a function returning result<T, E> becomes err(E).
func (g *generator) importFuncDef(ii *ifaceInfo, fn *wit.Function) jen.Code {
	abi := fn.ABI(wit.Lower)
	s := g.sigOf(fn, true)
	core := g.coreImportName(ii, fn)
	wrap := func() jen.Code {
		return jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err())))
	}
	body := []jen.Code{g.instFromCaller()}
	all := append([]sigParam(nil), s.params...)
	if s.self != nil {
		all = append([]sigParam{*s.self}, all...)
	}
	if abi.ParamsIndirect {
		ts := paramTypes(fn)
		size, align := tupleSizeAlign(ts)
		offs := wit.FieldOffsets(ts)
		body = append(body,
			jen.Id("ptr").Op(":=").Uint32().Call(jen.Id("stack").Index(jen.Lit(0))),
			jen.If(jen.Err().Op(":=").Add(ra("CheckAlign")).Call(jen.Id("ptr"), jen.Lit(int(align))), jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err()))),
			jen.If(jen.Err().Op(":=").Add(ra("CheckBounds")).Call(jen.Id("in").Dot("mem"), jen.Id("ptr"), jen.Lit(int(size))), jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err()))))
		for _, p := range all {
			body = append(body,
				jen.List(jen.Id(p.name), jen.Err()).Op(":=").Id("in").Dot(g.helper(opLoadPtr, p.t)).Call(ptrPlus("ptr", offs[p.idx])),
				wrap())
		}
	} else {
		pos := 0
		for _, p := range all {
			n := flatLen(p.t)
			body = append(body,
				jen.List(jen.Id(p.name), jen.Err()).Op(":=").Id("in").Dot(g.helper(opLift, p.t)).Call(jen.Id("stack").Index(jen.Lit(pos).Op(":").Lit(pos+n))),
				wrap())
			pos += n
		}
	}
	// The call.
	var target jen.Code
	if s.self != nil {
		target = jen.Id("self").Dot(g.resMethods[fn])
	} else {
		target = jen.Id("in").Dot("imports").Dot(ii.field).Dot(ii.methods[fn])
	}
	args := []jen.Code{jen.Id("ctx")}
	for _, p := range s.params {
		args = append(args, jen.Id(p.name))
	}
	r := s.resultName
	if s.result != nil {
		body = append(body, jen.List(jen.Id(r), jen.Err()).Op(":=").Add(target).Call(args...))
	} else {
		body = append(body, jen.Err().Op("=").Add(target).Call(args...))
	}
	var lowerVal jen.Code
	if s.split {
		T, E := g.goType(s.res.OK), g.errType(s)
		ok := jen.Struct().Values()
		if s.result != nil {
			ok = jen.Id(r)
		}
		body = append(body,
			jen.Var().Id("res").Add(ra("Result").Types(T.Clone(), E.Clone())),
			jen.If(jen.Err().Op("!=").Nil()).Block(
				jen.Var().Id("werr").Op("*").Add(ra("WITError").Types(E.Clone())),
				jen.If(jen.Op("!").Qual(errorsPkg, "As").Call(jen.Err(), jen.Op("&").Id("werr"))).Block(jen.Return(jen.Err())),
				jen.Id("res").Op("=").Add(ra("Err").Types(T.Clone(), E.Clone())).Call(jen.Id("werr").Dot("Value")),
			).Else().Block(
				jen.Id("res").Op("=").Add(ra("OK").Types(T.Clone(), E.Clone())).Call(ok),
			))
		lowerVal = jen.Id("res")
	} else {
		body = append(body, jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
		if s.result != nil {
			lowerVal = jen.Id(r)
		}
	}
	if fn.Result != nil {
		body = append(body, g.checkCall(fn.Result, lowerVal, func(e jen.Code) jen.Code {
			return jen.Return(ra("WithFunc").Call(jen.Lit(core), e))
		})...)
		if abi.ResultsIndirect {
			size, align := wit.Size(fn.Result), wit.Align(fn.Result)
			body = append(body,
				jen.Id("retp").Op(":=").Uint32().Call(jen.Id("stack").Index(jen.Lit(len(abi.Params)-1))),
				jen.If(jen.Err().Op(":=").Add(ra("CheckAlign")).Call(jen.Id("retp"), jen.Lit(int(align))), jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err()))),
				jen.If(jen.Err().Op(":=").Add(ra("CheckBounds")).Call(jen.Id("in").Dot("mem"), jen.Id("retp"), jen.Lit(int(size))), jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err()))),
				jen.If(jen.Err().Op(":=").Id("in").Dot(g.helper(opStore, fn.Result)).Call(jen.Id("ctx"), jen.Id("retp"), lowerVal), jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err()))))
		} else {
			n := len(abi.Results)
			body = append(body,
				jen.If(jen.Err().Op(":=").Id("in").Dot(g.helper(opLower, fn.Result)).Call(jen.Id("ctx"), lowerVal, jen.Id("stack").Index(jen.Lit(0).Op(":").Lit(n))), jen.Err().Op("!=").Nil()).Block(jen.Return(ra("WithFunc").Call(jen.Lit(core), jen.Err()))))
		}
	}
	body = append(body, jen.Return(jen.Nil()))
	return hostFuncDef(fn.Name, abi.Params, abi.Results, body)
}
