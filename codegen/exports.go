package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// exportFn is one guest export the instance calls.
type exportFn struct {
	ei    *ifaceInfo
	f     *wit.Function
	core  string // core export name
	field string // instance field of the cached function
	post  string // instance field of cabi_post_<core>
	abi   wit.FuncABI
}

// exportFns lists every exported function in world order.
func (g *generator) exportFns() []*exportFn {
	var out []*exportFn
	for _, ei := range g.exports {
		for _, f := range ei.funcs {
			core := f.Name
			if ei.iface != nil {
				core = ei.module + "#" + f.Name
			}
			i := len(out)
			out = append(out, &exportFn{ei: ei, f: f, core: core,
				field: fmt.Sprintf("x%d", i), post: fmt.Sprintf("post%d", i), abi: f.ABI(wit.Lift)})
		}
	}
	return out
}

// emitExports emits the export groups (one type per exported interface),
// the wrappers of every exported function, and the methods of exported
// resources.
func (g *generator) emitExports(f *jen.File) {
	for _, ei := range g.exports {
		if ei.iface == nil {
			continue
		}
		text := fmt.Sprintf("%s calls the functions of WIT interface `%s` exported by the guest.", ei.goName, ei.module)
		if ei.iface.Docs.Contents != "" {
			text = ei.iface.Docs.Contents + "\n\n" + text
		}
		f.Add(doc(text).Type().Id(ei.goName).Struct(jen.Id("in").Op("*").Id(g.instName)))
		f.Add(doc(fmt.Sprintf("%s returns the functions of the exported interface `%s`.", ei.field, ei.module)).
			Func().Params(jen.Id("in").Op("*").Id(g.instName)).Id(ei.field).Params().Id(ei.goName).Block(
			jen.Return(jen.Id(ei.goName).Values(jen.Id("in")))))
	}
	for _, x := range g.exportFns() {
		f.Add(g.exportWrapper(x))
	}
}

// exportWrapper emits the Go method calling one guest export: it refuses
// re-entrance, lowers the arguments (flat, or spilled into memory from
// cabi_realloc), calls the export, checks lowered borrows were dropped,
// lifts the result (flat, or from the returned pointer, checked), and
// calls cabi_post_<name>.
func (g *generator) exportWrapper(x *exportFn) jen.Code {
	fn := x.f
	s := g.sigOf(fn, true)
	var recv jen.Code
	var name string
	var inExpr jen.Code
	switch {
	case s.self != nil:
		recv = jen.Id("self").Op("*").Id(g.typeName[fn.Resource.Root()])
		name = g.resMethods[fn]
		inExpr = jen.Id("self").Dot("in")
	case x.ei.iface != nil:
		recv = jen.Id("ex").Id(x.ei.goName)
		name = x.ei.methods[fn]
		inExpr = jen.Id("ex").Dot("in")
	default:
		recv = jen.Id("in").Op("*").Id(g.instName)
		name = x.ei.methods[fn]
	}
	r := s.resultName
	ret := func(err jen.Code) jen.Code {
		if s.result != nil {
			return jen.Return(jen.Id(r), err)
		}
		return jen.Return(err)
	}
	var body []jen.Code
	if s.self != nil {
		body = append(body, jen.If(jen.Id("self").Op("==").Nil().Op("||").Id("self").Dot("in").Op("==").Nil()).Block(
			ret(ra("InvalidValue").Call(jen.Lit(x.core), jen.Lit("nil "+g.typeName[fn.Resource.Root()])))))
	}
	if inExpr != nil {
		body = append(body, jen.Id("in").Op(":=").Add(inExpr))
	}
	// Borrows of host resources lowered into the call must be dropped by
	// the guest before it returns.
	borrows := false
	for _, p := range fn.Params {
		borrows = borrows || g.hasHostBorrow(p.Type, map[*wit.TypeDef]bool{})
	}
	endBorrows := func() []jen.Code {
		if !borrows {
			return nil
		}
		return []jen.Code{jen.Id("in").Dot("borrows").Dot("End").Call()}
	}
	body = append(body,
		jen.If(jen.Id("in").Dot("dead").Op("!=").Nil()).Block(ret(ra("Dead").Call(jen.Lit(x.core), jen.Id("in").Dot("dead")))),
		jen.If(jen.Id("in").Dot("busy")).Block(ret(ra("Reentered").Call(jen.Lit(x.core)))),
		jen.Id("in").Dot("busy").Op("=").True(),
		jen.Defer().Func().Params().Block(jen.Id("in").Dot("busy").Op("=").False()).Call(),
	)
	// Validate the arguments before anything reaches the guest.
	for _, p := range all0(s) {
		body = append(body, g.checkCall(p.t, jen.Id(p.name), func(e jen.Code) jen.Code {
			return ret(ra("WithFunc").Call(jen.Lit(x.core), e))
		})...)
	}
	nstack := max(len(x.abi.Params), len(x.abi.Results), 1)
	g.stackSize = max(g.stackSize, nstack)
	body = append(body, jen.Id("stack").Op(":=").Id("in").Dot("stack").Index(jen.Op(":").Lit(nstack)))
	all := append([]sigParam(nil), s.params...)
	if s.self != nil {
		all = append([]sigParam{*s.self}, all...)
	}
	if x.abi.ParamsIndirect {
		ts := paramTypes(fn)
		size, align := tupleSizeAlign(ts)
		offs := wit.FieldOffsets(ts)
		body = append(body,
			jen.List(jen.Id("ptr"), jen.Err()).Op(":=").Add(ra("Realloc")).Call(jen.Id("ctx"), jen.Id("in").Dot("mem"), jen.Id("in").Dot("realloc"),
				jen.Id("in").Dot("rstack").Index(jen.Op(":")), jen.Lit(0), jen.Lit(0), jen.Lit(int(align)), jen.Lit(int(size))),
			jen.If(jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("fault").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err())))))
		for _, p := range all {
			body = append(body, jen.If(jen.Err().Op("=").Id("in").Dot(g.helper(opStore, p.t)).Call(jen.Id("ctx"), ptrPlus("ptr", offs[p.idx]), jen.Id(p.name)), jen.Err().Op("!=").Nil()).
				Block(append(endBorrows(), ret(jen.Id("in").Dot("fault").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err()))))...))
		}
		body = append(body, jen.Id("stack").Index(jen.Lit(0)).Op("=").Uint64().Call(jen.Id("ptr")))
	} else {
		pos := 0
		for _, p := range all {
			n := flatLen(p.t)
			body = append(body, jen.If(jen.Err().Op("=").Id("in").Dot(g.helper(opLower, p.t)).Call(jen.Id("ctx"), jen.Id(p.name), jen.Id("stack").Index(jen.Lit(pos).Op(":").Lit(pos+n))), jen.Err().Op("!=").Nil()).
				Block(append(endBorrows(), ret(jen.Id("in").Dot("fault").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err()))))...))
			pos += n
		}
	}
	body = append(body,
		jen.If(jen.Err().Op("=").Id("in").Dot(x.field).Dot("Call").Call(jen.Id("ctx"), jen.Id("stack")), jen.Err().Op("!=").Nil()).
			Block(append(endBorrows(), ret(jen.Id("in").Dot("trap").Call(jen.Err())))...))
	if borrows {
		body = append(body,
			jen.If(jen.Err().Op("=").Id("in").Dot("borrows").Dot("End").Call(), jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("trap").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err())))))
	}
	if fn.Result != nil {
		T := g.goType(fn.Result)
		body = append(body, jen.Var().Id("res").Add(T))
		if x.abi.ResultsIndirect {
			size, align := wit.Size(fn.Result), wit.Align(fn.Result)
			body = append(body,
				jen.Id("retp").Op(":=").Uint32().Call(jen.Id("stack").Index(jen.Lit(0))),
				jen.If(jen.Err().Op("=").Add(ra("CheckAlign")).Call(jen.Id("retp"), jen.Lit(int(align))), jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("trap").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err())))),
				jen.If(jen.Err().Op("=").Add(ra("CheckBounds")).Call(jen.Id("in").Dot("mem"), jen.Id("retp"), jen.Lit(int(size))), jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("trap").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err())))),
				jen.If(jen.List(jen.Id("res"), jen.Err()).Op("=").Id("in").Dot(g.helper(opLoadPtr, fn.Result)).Call(jen.Id("retp")), jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("trap").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err())))))
		} else {
			n := len(x.abi.Results)
			body = append(body,
				jen.If(jen.List(jen.Id("res"), jen.Err()).Op("=").Id("in").Dot(g.helper(opLift, fn.Result)).Call(jen.Id("stack").Index(jen.Lit(0).Op(":").Lit(n))), jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("trap").Call(ra("WithFunc").Call(jen.Lit(x.core), jen.Err())))))
		}
	}
	body = append(body,
		jen.If(jen.Id("in").Dot(x.post).Op("!=").Nil()).Block(
			jen.Id("in").Dot("noLeave").Op("=").True(),
			jen.Err().Op("=").Id("in").Dot(x.post).Dot("Call").Call(jen.Id("ctx"), jen.Id("stack")),
			jen.Id("in").Dot("noLeave").Op("=").False(),
			jen.If(jen.Err().Op("!=").Nil()).Block(ret(jen.Id("in").Dot("trap").Call(jen.Err())))))
	switch {
	case s.split:
		E := g.errType(s)
		body = append(body, jen.If(jen.List(jen.Id("errv"), jen.Id("isErr")).Op(":=").Id("res").Dot("Err").Call(), jen.Id("isErr")).Block(
			ret(jen.Op("&").Add(ra("WITError").Types(E)).Values(jen.Dict{jen.Id("Value"): jen.Id("errv")}))))
		if s.result != nil {
			body = append(body, jen.List(jen.Id(r), jen.Id("_")).Op("=").Id("res").Dot("OK").Call())
		}
		body = append(body, ret(jen.Nil()))
	case s.result != nil:
		body = append(body, jen.Return(jen.Id("res"), jen.Nil()))
	default:
		body = append(body, jen.Return(jen.Nil()))
	}
	return doc(g.funcDoc(name, s, false)).Func().Params(recv).Id(name).Params(g.goParams(s)...).Params(g.goResults(s, true)...).Block(body...).Line()
}

// hasHostBorrow reports whether a value of type t can hold a borrow of a
// host-implemented resource (which the guest must drop before returning).
func (g *generator) hasHostBorrow(t wit.Type, seen map[*wit.TypeDef]bool) bool {
	td, ok := t.(*wit.TypeDef)
	if !ok || seen[td] {
		return false
	}
	seen[td] = true
	if b, ok := td.Kind.(*wit.Borrow); ok {
		return g.resDir[b.Type.Root()] == imported
	}
	for _, x := range elemTypes(td.Kind) {
		if g.hasHostBorrow(x, seen) {
			return true
		}
	}
	return false
}

// containsType reports whether t is, or (transitively) holds, a type for
// which pred is true.
func (g *generator) containsType(t wit.Type, pred func(wit.Type) bool) bool {
	if t == nil {
		return false
	}
	if pred(t) {
		return true
	}
	td, ok := t.(*wit.TypeDef)
	if !ok {
		return false
	}
	for _, x := range elemTypes(td.Kind) {
		if g.containsType(x, pred) {
			return true
		}
	}
	return false
}

// isAllocated reports whether values of t live in guest memory allocated
// with cabi_realloc (strings, lists, maps).
func (g *generator) isAllocated(t wit.Type) bool {
	if t == wit.String {
		return true
	}
	if td, ok := t.(*wit.TypeDef); ok {
		switch td.Kind.(type) {
		case *wit.List, *wit.Map:
			return true
		}
	}
	return false
}

// needs reports whether the world's calls need the guest's memory and its
// cabi_realloc, so that bind can refuse a guest without them up front.
func (g *generator) needs() (memory, realloc bool) {
	alloc := func(t wit.Type) bool { return g.containsType(t, g.isAllocated) }
	for _, ii := range g.imports {
		for _, f := range ii.funcs {
			a := f.ABI(wit.Lower)
			for _, p := range f.Params {
				memory = memory || alloc(p.Type)
			}
			if f.Result != nil && alloc(f.Result) {
				memory, realloc = true, true
			}
			memory = memory || a.ParamsIndirect || a.ResultsIndirect
		}
	}
	for _, x := range g.exportFns() {
		for _, p := range x.f.Params {
			if alloc(p.Type) {
				memory, realloc = true, true
			}
		}
		if x.abi.ParamsIndirect {
			memory, realloc = true, true
		}
		memory = memory || x.abi.ResultsIndirect || (x.f.Result != nil && alloc(x.f.Result))
	}
	return memory, realloc
}

// all0 returns the parameters of s including self.
func all0(s *sig) []sigParam {
	all := append([]sigParam(nil), s.params...)
	if s.self != nil {
		all = append([]sigParam{*s.self}, all...)
	}
	return all
}
