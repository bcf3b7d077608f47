package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// resources lists the world's resources in a fixed order: imported, then
// exported.
func (g *generator) resources() []*wit.TypeDef {
	var out []*wit.TypeDef
	seen := map[*wit.TypeDef]bool{}
	add := func(rs []*wit.TypeDef) {
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	// An interface imported under several names shares one table per
	// resource.
	for _, ii := range g.imports {
		add(ii.resources)
	}
	for _, ei := range g.exports {
		add(ei.resources)
	}
	return out
}

// emitWorld emits the world factory (New<World>), the Imports struct, the
// instance type and its instantiation.
func (g *generator) emitWorld(f *jen.File) {
	W, I := g.worldName, g.instName
	f.Add(doc(fmt.Sprintf("%s is WIT world `%s` bound to a runtime and a compiled guest module.\nCreate it once per runtime with %s, then call Instantiate for each instance.", W, g.worldID(), g.newName)).
		Type().Id(W).Struct(jen.Id("rt").Add(ra("Runtime")), jen.Id("module").Add(ra("CompiledModule"))))

	body := g.hostModuleDefs()
	body = append(body, jen.Return(jen.Op("&").Id(W).Values(jen.Dict{jen.Id("rt"): jen.Id("rt"), jen.Id("module"): jen.Id("module")}), jen.Nil()))
	f.Add(doc(fmt.Sprintf("%s defines the host modules of world `%s` in rt (once per runtime: defining them twice is an error) and returns a factory for instances of module.\nThe caller owns rt and module; closing them is up to the caller.", g.newName, g.worldID())).
		Func().Id(g.newName).Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("rt").Add(ra("Runtime")), jen.Id("module").Add(ra("CompiledModule"))).
		Params(jen.Op("*").Id(W), jen.Error()).Block(body...))

	// Imports.
	var fields []jen.Code
	var nilChecks []jen.Code
	for _, ii := range g.imports {
		if !hasHost(ii) {
			continue
		}
		what := "the world's own imported functions"
		if ii.iface != nil {
			what = "interface `" + ii.module + "`"
		}
		fields = append(fields, doc(fmt.Sprintf("%s implements %s.", ii.field, what)).Id(ii.field).Id(ii.goName))
		nilChecks = append(nilChecks, jen.If(jen.Id("imports").Dot(ii.field).Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(errorsPkg, "New").Call(jen.Lit(g.packageName()+": Imports."+ii.field+" is nil")))))
	}
	f.Add(doc(fmt.Sprintf("%s holds the host's implementations of the world's imports, one per imported interface.", g.importsName)).
		Type().Id(g.importsName).Struct(fields...))

	// Instance struct.
	ifields := []jen.Code{
		jen.Id("inst").Add(ra("Instance")),
		jen.Id("mem").Add(ra("Memory")),
		jen.Id("realloc").Add(ra("Function")),
		jen.Id("imports").Id(g.importsName),
		jen.Id("busy").Bool(),
		// dead is the first trap; the instance refuses calls after it.
		jen.Id("dead").Error(),
		// noLeave is set while cabi_realloc and cabi_post_* run: they may
		// not call imports.
		jen.Id("noLeave").Bool(),
		jen.Id("guestRealloc").Add(ra("Function")),
		jen.Id("handles").Op("*").Add(ra("HandleSpace")),
		jen.Id("borrows").Add(ra("BorrowScope")),
		jen.Id("rstack").Index(jen.Lit(4)).Uint64(),
		jen.Id("dstack").Index(jen.Lit(1)).Uint64(),
	}
	var tables, binds, closes []jen.Code
	for _, r := range g.resources() {
		name := g.typeName[r]
		if g.resDir[r] == imported {
			ifields = append(ifields, jen.Id(g.tableField(r)).Op("*").Add(ra("HandleTable")).Types(jen.Id(name)))
			tables = append(tables, jen.Id("in").Dot(g.tableField(r)).Op("=").Add(ra("NewHandleTable")).Types(jen.Id(name)).Call(
				jen.Lit(r.Name), jen.Id("in").Dot("handles"),
				jen.Func().Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("v").Id(name)).Error().Block(jen.Return(jen.Id("v").Dot("Drop").Call(jen.Id("ctx"))))))
		} else {
			ifields = append(ifields, jen.Id(g.tableField(r)).Op("*").Add(ra("HandleTable")).Types(jen.Uint32()),
				jen.Id("dtorfn_"+name).Add(ra("Function")))
			tables = append(tables, jen.Id("in").Dot(g.tableField(r)).Op("=").Add(ra("NewHandleTable")).Types(jen.Uint32()).Call(
				jen.Lit(r.Name), jen.Id("in").Dot("handles"), jen.Id("in").Dot("dtor_"+name)))
			var module string
			for _, ei := range g.exports {
				for _, x := range ei.resources {
					if x == r {
						module = ei.module
					}
				}
			}
			binds = append(binds, jen.If(jen.List(jen.Id("in").Dot("dtorfn_"+name), jen.Err()).Op("=").Add(ra("OptionalFunction")).Call(
				jen.Id("in").Dot("inst"), jen.Lit(module+"#[dtor]"+r.Name), valueTypes([]wit.FlatType{wit.FlatI32}), jen.Nil()), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
			f.Add(doc(fmt.Sprintf("dtor_%s calls the guest's destructor of %s, if it exports one.", name, r.Name)).
				Func().Params(jen.Id("in").Op("*").Id(I)).Id("dtor_"+name).Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("rep").Uint32()).Error().Block(
				jen.If(jen.Id("in").Dot("dtorfn_"+name).Op("==").Nil()).Block(jen.Return(jen.Nil())),
				jen.Id("in").Dot("dstack").Index(jen.Lit(0)).Op("=").Uint64().Call(jen.Id("rep")),
				jen.Return(jen.Id("in").Dot("dtorfn_"+name).Dot("Call").Call(jen.Id("ctx"), jen.Id("in").Dot("dstack").Index(jen.Op(":")))),
			))
		}
		closes = append(closes, jen.Id("errs").Op("=").Append(jen.Id("errs"), jen.Id("in").Dot(g.tableField(r)).Dot("DropAll").Call(jen.Id("ctx"))))
	}
	xs := g.exportFns()
	for _, x := range xs {
		ifields = append(ifields, jen.Comment(x.core), jen.Id(x.field).Add(ra("Function")), jen.Id(x.post).Add(ra("Function")))
		binds = append(binds,
			jen.If(jen.List(jen.Id("in").Dot(x.field), jen.Err()).Op("=").Add(ra("RequireFunction")).Call(jen.Id("in").Dot("inst"), jen.Lit(x.core), valueTypes(x.abi.Params), valueTypes(x.abi.Results)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.If(jen.List(jen.Id("in").Dot(x.post), jen.Err()).Op("=").Add(ra("OptionalFunction")).Call(jen.Id("in").Dot("inst"), jen.Lit("cabi_post_"+x.core), valueTypes(x.abi.Results), jen.Nil()), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		)
		g.stackSize = max(g.stackSize, len(x.abi.Params), len(x.abi.Results))
	}
	ifields = append(ifields, jen.Id("stack").Index(jen.Lit(max(g.stackSize, 1))).Uint64())
	f.Add(doc(fmt.Sprintf("%s is one instance of the guest. Its methods call the guest's exports; it is not safe for concurrent use, and a call into it while it runs guest code (from inside an import) is refused.", I)).
		Type().Id(I).Struct(ifields...))

	f.Add(doc("instanceOf returns the instance state of the guest calling a host function.").
		Func().Id("instanceOf").Params(jen.Id("caller").Add(ra("Instance"))).Params(jen.Op("*").Id(I), jen.Error()).Block(
		jen.List(jen.Id("in"), jen.Id("ok")).Op(":=").Id("caller").Dot("Data").Call().Assert(jen.Op("*").Id(I)),
		jen.If(jen.Op("!").Id("ok").Op("||").Id("in").Op("==").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual(errorsPkg, "New").Call(jen.Lit(g.packageName()+": host function called by an instance not created by "+W+".Instantiate")))),
		jen.If(jen.Id("in").Dot("noLeave")).Block(jen.Return(jen.Nil(), ra("LeaveRefused").Call())),
		jen.If(jen.Id("in").Dot("mem").Op("==").Nil()).Block(
			jen.Comment("Called during instantiation (start functions)."),
			jen.Id("in").Dot("mem").Op("=").Id("memoryOf").Call(jen.Id("caller")),
			jen.Id("in").Dot("realloc").Op("=").Id("caller").Dot("Function").Call(jen.Lit("cabi_realloc")),
		),
		jen.Return(jen.Id("in"), jen.Nil()),
	))

	f.Add(doc("memoryOf returns the guest's memory, or an empty one (every access fails with an ABI error) when it exports none.").
		Func().Id("memoryOf").Params(jen.Id("inst").Add(ra("Instance"))).Add(ra("Memory")).Block(
		jen.If(jen.Id("m").Op(":=").Id("inst").Dot("Memory").Call(), jen.Id("m").Op("!=").Nil()).Block(jen.Return(jen.Id("m"))),
		jen.Return(jen.Op("&").Add(ra("SliceMemory")).Values()),
	))

	inst := []jen.Code{}
	inst = append(inst, nilChecks...)
	inst = append(inst, jen.Id("in").Op(":=").Op("&").Id(I).Values(jen.Dict{jen.Id("imports"): jen.Id("imports"), jen.Id("handles"): ra("NewHandleSpace").Call()}))
	inst = append(inst, tables...)
	inst = append(inst,
		jen.List(jen.Id("inst"), jen.Err()).Op(":=").Id("w").Dot("rt").Dot("Instantiate").Call(jen.Id("ctx"), jen.Id("w").Dot("module"),
			ra("InstanceConfig").Values(jen.Dict{jen.Id("Data"): jen.Id("in"), jen.Id("StartFunctions"): jen.Index().String().Values(jen.Lit("_initialize"))})),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("in").Dot("inst"), jen.Id("in").Dot("mem")).Op("=").List(jen.Id("inst"), jen.Id("memoryOf").Call(jen.Id("inst"))),
		jen.If(jen.Err().Op(":=").Id("in").Dot("bind").Call(), jen.Err().Op("!=").Nil()).Block(
			jen.Id("_").Op("=").Id("inst").Dot("Close").Call(jen.Id("ctx")),
			jen.Return(jen.Nil(), jen.Err())),
		jen.Return(jen.Id("in"), jen.Nil()),
	)
	f.Add(doc("Instantiate creates an instance of the guest whose imports are served by imports. It runs the guest's _initialize (if exported) and resolves every export once.").
		Func().Params(jen.Id("w").Op("*").Id(W)).Id("Instantiate").Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("imports").Id(g.importsName)).
		Params(jen.Op("*").Id(I), jen.Error()).Block(inst...))

	bind := []jen.Code{jen.Var().Err().Error()}
	bind = append(bind, jen.If(jen.List(jen.Id("in").Dot("guestRealloc"), jen.Err()).Op("=").Add(ra("OptionalFunction")).Call(jen.Id("in").Dot("inst"), jen.Lit("cabi_realloc"),
		valueTypes([]wit.FlatType{wit.FlatI32, wit.FlatI32, wit.FlatI32, wit.FlatI32}), valueTypes([]wit.FlatType{wit.FlatI32})), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Id("in").Dot("realloc").Op("=").Nil(),
		jen.If(jen.Id("in").Dot("guestRealloc").Op("!=").Nil()).Block(
			jen.Id("in").Dot("realloc").Op("=").Id("reallocGuard").Values(jen.Id("in"))))
	needMem, needRealloc := g.needs()
	if needMem {
		bind = append(bind, jen.If(jen.Id("in").Dot("inst").Dot("Memory").Call().Op("==").Nil()).Block(
			jen.Return(ra("MissingExport").Call(jen.Lit("memory"), jen.Lit("world "+g.worldID()+" passes values in memory")))))
	}
	if needRealloc {
		bind = append(bind, jen.If(jen.Id("in").Dot("guestRealloc").Op("==").Nil()).Block(
			jen.Return(ra("MissingExport").Call(jen.Lit("cabi_realloc"), jen.Lit("world "+g.worldID()+" allocates strings or lists in guest memory")))))
	}
	bind = append(bind, binds...)
	bind = append(bind, jen.Return(jen.Nil()))
	f.Add(doc("bind resolves the guest's exports once.").Func().Params(jen.Id("in").Op("*").Id(I)).Id("bind").Params().Error().Block(bind...))

	f.Add(doc("trap records err as the instance's first trap (the instance then refuses calls) and returns it.").
		Func().Params(jen.Id("in").Op("*").Id(I)).Id("trap").Params(jen.Err().Error()).Error().Block(
		jen.If(jen.Id("in").Dot("dead").Op("==").Nil()).Block(jen.Id("in").Dot("dead").Op("=").Err()),
		jen.Return(jen.Err())))

	f.Add(doc("fault records a lowering error as a trap unless the host caused it (runtimeadapters.IsHostFault), and returns it.").
		Func().Params(jen.Id("in").Op("*").Id(I)).Id("fault").Params(jen.Err().Error()).Error().Block(
		jen.If(jen.Op("!").Add(ra("IsHostFault")).Call(jen.Err())).Block(jen.Return(jen.Id("in").Dot("trap").Call(jen.Err()))),
		jen.Return(jen.Err())))

	// The realloc guard.
	f.Add(doc("reallocGuard calls the guest's cabi_realloc with imports refused (may_leave is false while it runs).").
		Type().Id("reallocGuard").Struct(jen.Id("in").Op("*").Id(I)))
	f.Func().Params(jen.Id("r").Id("reallocGuard")).Id("Call").Params(jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("stack").Index().Uint64()).Error().Block(
		jen.Id("r").Dot("in").Dot("noLeave").Op("=").True(),
		jen.Err().Op(":=").Id("r").Dot("in").Dot("guestRealloc").Dot("Call").Call(jen.Id("ctx"), jen.Id("stack")),
		jen.Id("r").Dot("in").Dot("noLeave").Op("=").False(),
		jen.Return(jen.Err()),
	)
	f.Func().Params(jen.Id("r").Id("reallocGuard")).Id("Name").Params().String().Block(jen.Return(jen.Id("r").Dot("in").Dot("guestRealloc").Dot("Name").Call()))
	f.Func().Params(jen.Id("r").Id("reallocGuard")).Id("Params").Params().Index().Add(ra("ValueType")).Block(jen.Return(jen.Id("r").Dot("in").Dot("guestRealloc").Dot("Params").Call()))
	f.Func().Params(jen.Id("r").Id("reallocGuard")).Id("Results").Params().Index().Add(ra("ValueType")).Block(jen.Return(jen.Id("r").Dot("in").Dot("guestRealloc").Dot("Results").Call()))

	f.Add(doc("Instance returns the underlying runtime instance.").
		Func().Params(jen.Id("in").Op("*").Id(I)).Id("Instance").Params().Add(ra("Instance")).Block(jen.Return(jen.Id("in").Dot("inst"))))
	closeBody := []jen.Code{jen.Var().Id("errs").Index().Error()}
	closeBody = append(closeBody, closes...)
	closeBody = append(closeBody,
		jen.Id("errs").Op("=").Append(jen.Id("errs"), jen.Id("in").Dot("inst").Dot("Close").Call(jen.Id("ctx"))),
		jen.Return(jen.Qual(errorsPkg, "Join").Call(jen.Id("errs").Op("..."))))
	f.Add(doc("Close drops every live resource handle (running destructors) and closes the instance.").
		Func().Params(jen.Id("in").Op("*").Id(I)).Id("Close").Params(jen.Id("ctx").Qual(contextPkg, "Context")).Error().Block(closeBody...))
}
