package codegen

import (
	"fmt"
	"strings"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// coreGo is the Go type of a core value in a //go:wasmimport or
// //go:wasmexport signature.
func coreGo(ft wit.FlatType) string {
	switch ft {
	case wit.FlatI32:
		return "uint32"
	case wit.FlatI64:
		return "uint64"
	case wit.FlatF32:
		return "float32"
	case wit.FlatF64:
		return "float64"
	}
	panic(fmt.Sprintf("BUG: flat type %v", ft))
}

// toSlot converts a core value to the uint64 slot encoding the helpers use
// (floats as their bits, i32 zero-extended), in which every join of
// CanonicalABI.md flatten_variant is a plain truncation.
func toSlot(ft wit.FlatType, e string) string {
	switch ft {
	case wit.FlatI32:
		return "uint64(" + e + ")"
	case wit.FlatI64:
		return e
	case wit.FlatF32:
		return "uint64(math.Float32bits(" + e + "))"
	case wit.FlatF64:
		return "math.Float64bits(" + e + ")"
	}
	panic(fmt.Sprintf("BUG: flat type %v", ft))
}

// fromSlot converts a slot back to a core value.
func fromSlot(ft wit.FlatType, s string) string {
	switch ft {
	case wit.FlatI32:
		return "uint32(" + s + ")"
	case wit.FlatI64:
		return s
	case wit.FlatF32:
		return "math.Float32frombits(uint32(" + s + "))"
	case wit.FlatF64:
		return "math.Float64frombits(" + s + ")"
	}
	panic(fmt.Sprintf("BUG: flat type %v", ft))
}

// coreParams spells a core parameter list w_p0 T0, w_p1 T1, ...
func coreParams(fts []wit.FlatType) string {
	var parts []string
	for i, ft := range fts {
		parts = append(parts, fmt.Sprintf("w_p%d %s", i, coreGo(ft)))
	}
	return strings.Join(parts, ", ")
}

func coreResult(fts []wit.FlatType) string {
	if len(fts) == 0 {
		return ""
	}
	return coreGo(fts[0])
}

// emitImportsGuest emits, per imported interface with functions, a type
// with one method per function and a package variable of it, plus the
// methods of imported resources; each method lowers its arguments, calls
// the //go:wasmimport function and lifts the result.
func (gg *guestGen) emitImportsGuest(b *strings.Builder) {
	seenMethods := map[*wit.Function]bool{}
	for _, ii := range gg.imports {
		tn, ok := gg.importsType[ii]
		if !ok {
			continue
		}
		what := "the functions the world imports at its top level"
		if ii.iface != nil {
			what = fmt.Sprintf("the functions of WIT interface `%s`, imported from the host", ii.module)
		}
		b.WriteString(comment(fmt.Sprintf("%s holds %s.", tn, what)))
		fmt.Fprintf(b, "type %s struct{}\n\n", tn)
		b.WriteString(comment(fmt.Sprintf("%s calls %s.", ii.goName, what)))
		fmt.Fprintf(b, "var %s %s\n\n", ii.goName, tn)
		for _, f := range ii.funcs {
			if isMethod(f) {
				// An interface imported under several names (`import a:
				// store; import b: store;`) shares its resource types:
				// their methods call the first import's instance.
				if seenMethods[f] {
					continue
				}
				seenMethods[f] = true
			}
			gg.importFunc(b, ii, f, tn)
		}
	}
}

func (gg *guestGen) importFunc(b *strings.Builder, ii *ifaceInfo, f *wit.Function, tn string) {
	gg.nImports++
	core := fmt.Sprintf("witImport%d", gg.nImports)
	abi := f.ABI(wit.Lower)
	fmt.Fprintf(b, "//go:wasmimport %s %s\nfunc %s(%s) %s\n\n", ii.module, f.Name, core, coreParams(abi.Params), coreResult(abi.Results))
	params, names := gg.guestParams(f, true)
	var recv, mname string
	if isMethod(f) {
		recv = "self " + gg.typeName[f.Resource.Root()]
		mname = gg.resMethods[f]
	} else {
		recv = tn
		mname = ii.methods[f]
	}
	b.WriteString(comment(fmt.Sprintf("%s calls `%s` (imported from %s).", mname, witSignature(f), ii.module)))
	fmt.Fprintf(b, "func (%s) %s(%s) %s {\n", recv, mname, params, gg.resultGo(f))
	// A frame holds the buffers lowered for the host until the call
	// returned and its results were lifted.
	fr := "nil"
	needFrame := abi.ParamsIndirect || abi.ResultsIndirect
	for _, p := range f.Params {
		needFrame = needFrame || gg.holdsMemory(p.Type)
	}
	if needFrame {
		fr = "w_fr"
		b.WriteString("w_fr := witGetFrame()\n")
	}
	var args []string
	if abi.ParamsIndirect {
		types := f.ParamTypes()
		size, align := tupleSizeAlign(types)
		offs := wit.FieldOffsets(types)
		fmt.Fprintf(b, "w_pp := w_fr.alloc(%d, %d)\n", size, align)
		for i, p := range f.Params {
			b.WriteString(gg.storeStmt(p.Type, names[i], fr, fmt.Sprintf("w_pp+%d", offs[i])))
		}
		args = append(args, "w_pp")
	} else if n := len(abi.FlatParams); n > 0 {
		fmt.Fprintf(b, "var w_v [%d]uint64\n", n)
		pos := 0
		for i, p := range f.Params {
			b.WriteString(gg.lowerStmt(p.Type, names[i], fr, "w_v", pos))
			pos += flatLen(p.Type)
		}
		for i, ft := range abi.FlatParams {
			args = append(args, fromSlot(ft, fmt.Sprintf("w_v[%d]", i)))
		}
	}
	if abi.ResultsIndirect {
		size, align := wit.Size(f.Result), wit.Align(f.Result)
		fmt.Fprintf(b, "w_ret := w_fr.alloc(%d, %d)\n", size, align)
		args = append(args, "w_ret")
	}
	call := core + "(" + strings.Join(args, ", ") + ")"
	switch {
	case f.Result == nil:
		b.WriteString(call + "\n")
	case abi.ResultsIndirect:
		b.WriteString(call + "\n")
		fmt.Fprintf(b, "w_r := %s\n", gg.loadExpr(f.Result, "w_ret"))
	default:
		fmt.Fprintf(b, "w_rv := [1]uint64{%s}\n", toSlot(abi.Results[0], call))
		fmt.Fprintf(b, "w_r := %s\n", gg.liftExpr(f.Result, "w_rv[:]", 0))
	}
	if needFrame {
		b.WriteString("w_fr.release()\n")
	}
	b.WriteString("witMaybeYield()\n")
	for i, p := range f.Params {
		if gg.holdsMemory(p.Type) {
			fmt.Fprintf(b, "runtime.KeepAlive(%s)\n", names[i])
		}
	}
	if f.Result != nil {
		b.WriteString("return w_r\n")
	}
	b.WriteString("}\n\n")
}

// holdsMemory reports whether a value of t can point into guest memory
// (strings, lists, maps), so it must stay reachable while the host reads it.
func (gg *guestGen) holdsMemory(t wit.Type) bool {
	return gg.holdsMem(t, map[*wit.TypeDef]bool{})
}

func (gg *guestGen) holdsMem(t wit.Type, seen map[*wit.TypeDef]bool) bool {
	switch t := t.(type) {
	case nil:
		return false
	case wit.Primitive:
		return t == wit.String
	case *wit.TypeDef:
		if seen[t] {
			return false
		}
		seen[t] = true
		switch k := t.Kind.(type) {
		case *wit.List, *wit.Map:
			return true
		case *wit.Alias:
			return gg.holdsMem(k.Type, seen)
		case *wit.Record:
			for _, f := range k.Fields {
				if gg.holdsMem(f.Type, seen) {
					return true
				}
			}
		case *wit.Tuple:
			for _, e := range k.Types {
				if gg.holdsMem(e, seen) {
					return true
				}
			}
		case *wit.Variant:
			for _, c := range k.Cases {
				if gg.holdsMem(c.Type, seen) {
					return true
				}
			}
		case *wit.Option:
			return gg.holdsMem(k.Type, seen)
		case *wit.Result:
			return gg.holdsMem(k.OK, seen) || gg.holdsMem(k.Err, seen)
		case *wit.FixedLengthList:
			return gg.holdsMem(k.Type, seen)
		}
	}
	return false
}

// emitExportsGuest emits the Go interfaces the guest implements, the
// Exports struct and SetExports, and one //go:wasmexport wrapper (plus
// cabi_post_* when the result is returned in memory) per exported
// function.
func (gg *guestGen) emitExportsGuest(b *strings.Builder) {
	for _, ei := range gg.exports {
		tn := gg.exportsType[ei]
		what := "the functions the world exports at its top level"
		if ei.iface != nil {
			what = fmt.Sprintf("the functions of WIT interface `%s`", ei.module)
			if d := strings.TrimSpace(ei.iface.Docs.Contents); d != "" {
				b.WriteString(comment(d + "\n"))
			}
		}
		b.WriteString(comment(fmt.Sprintf("%s is implemented by the guest: %s, which it exports.", tn, what)))
		fmt.Fprintf(b, "type %s interface {\n", tn)
		for _, f := range ei.funcs {
			if isMethod(f) {
				continue
			}
			params, _ := gg.guestParams(f, false)
			b.WriteString(comment(fmt.Sprintf("%s implements `%s`.", ei.methods[f], witSignature(f))))
			fmt.Fprintf(b, "%s(%s) %s\n", ei.methods[f], params, gg.resultGo(f))
		}
		b.WriteString("}\n\n")
	}
	b.WriteString(comment(fmt.Sprintf("%s holds the guest's implementations of the world's exports; register them with %s\n(from main or an init function). Calling an export whose implementation is nil traps.", gg.exportsName, gg.setExports)))
	fmt.Fprintf(b, "type %s struct {\n", gg.exportsName)
	for _, ei := range gg.exports {
		fmt.Fprintf(b, "%s %s\n", gg.exportsField[ei], gg.exportsType[ei])
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(b, "var witExports %s\n\n", gg.exportsName)
	b.WriteString(comment(fmt.Sprintf("%s registers the implementations of the world's exports.", gg.setExports)))
	fmt.Fprintf(b, "func %s(e %s) { witExports = e }\n\n", gg.setExports, gg.exportsName)
	for _, ei := range gg.exports {
		for _, f := range ei.funcs {
			gg.exportFunc(b, ei, f)
		}
	}
}

func (gg *guestGen) exportFunc(b *strings.Builder, ei *ifaceInfo, f *wit.Function) {
	gg.nExports++
	core := f.Name
	if ei.iface != nil {
		core = ei.module + "#" + f.Name
	}
	abi := f.ABI(wit.Lift)
	fn := fmt.Sprintf("witExport%d", gg.nExports)
	fmt.Fprintf(b, "//go:wasmexport %s\nfunc %s(%s) %s {\n", core, fn, coreParams(abi.Params), coreResult(abi.Results))
	_, names := gg.guestParams(f, true)
	b.WriteString("witMaybeYield()\nw_mark := len(witBorrows)\n")
	if abi.ParamsIndirect {
		offs := wit.FieldOffsets(f.ParamTypes())
		for i, p := range f.Params {
			fmt.Fprintf(b, "%s := %s\n", names[i], gg.loadExpr(p.Type, fmt.Sprintf("w_p0+%d", offs[i])))
		}
		b.WriteString("witFree(w_p0)\n")
	} else if len(abi.Params) > 0 {
		var slots []string
		for i, ft := range abi.Params {
			slots = append(slots, toSlot(ft, fmt.Sprintf("w_p%d", i)))
		}
		fmt.Fprintf(b, "w_v := [%d]uint64{%s}\n", len(slots), strings.Join(slots, ", "))
		pos := 0
		for i, p := range f.Params {
			fmt.Fprintf(b, "%s := %s\n", names[i], gg.liftExpr(p.Type, "w_v", pos))
			pos += flatLen(p.Type)
		}
	}
	var call string
	args := names
	if isMethod(f) {
		call = "self." + gg.resMethods[f]
		args = names[1:]
	} else {
		fmt.Fprintf(b, "w_impl := witExports.%s\nif w_impl == nil {\npanic(%q)\n}\n", gg.exportsField[ei],
			fmt.Sprintf("%s: no implementation registered (call %s with %s.%s set)", core, gg.setExports, gg.exportsName, gg.exportsField[ei]))
		call = "w_impl." + ei.methods[f]
	}
	call += "(" + strings.Join(args, ", ") + ")"
	if f.Result == nil {
		b.WriteString(call + "\n")
	} else {
		b.WriteString("w_r := " + call + "\n")
	}
	b.WriteString("witDropBorrows(w_mark)\n")
	switch {
	case f.Result == nil:
	case abi.ResultsIndirect:
		fmt.Fprintf(b, "w_fr := witGetFrame()\nw_ret := w_fr.alloc(%d, %d)\n", wit.Size(f.Result), wit.Align(f.Result))
		b.WriteString(gg.storeStmt(f.Result, "w_r", "w_fr", "w_ret"))
		b.WriteString("w_fr.ret = w_ret\nwitPending = append(witPending, w_fr)\nreturn w_ret\n")
	default:
		b.WriteString("var w_rv [1]uint64\n")
		b.WriteString(gg.lowerStmt(f.Result, "w_r", "nil", "w_rv[:]", 0))
		fmt.Fprintf(b, "return %s\n", fromSlot(abi.Results[0], "w_rv[0]"))
	}
	b.WriteString("}\n\n")
	if abi.ResultsIndirect {
		fmt.Fprintf(b, "//go:wasmexport cabi_post_%s\nfunc witPost%d(w_ret uint32) { witPostReturn(w_ret) }\n\n", core, gg.nExports)
	}
}

// emitResourceSupport emits, per resource, the intrinsics and tables: for
// an imported resource `[resource-drop]` and Drop; for an exported one
// `[resource-new]`, `[resource-rep]`, `[resource-drop]`, the rep table and
// the `#[dtor]` export.
func (gg *guestGen) emitResourceSupport(b *strings.Builder) {
	seen := map[*wit.TypeDef]bool{}
	for _, ii := range gg.imports {
		for _, r := range ii.resources {
			if seen[r] {
				continue // see emitImportsGuest
			}
			seen[r] = true
			n := gg.typeName[r]
			fmt.Fprintf(b, "//go:wasmimport %s [resource-drop]%s\nfunc witResourceDrop_%s(h uint32)\n\n", ii.module, r.Name, n)
			fmt.Fprintf(b, "func witDrop_%s(h uint32) { witResourceDrop_%s(h) }\n\n", n, n)
			b.WriteString(comment(fmt.Sprintf("Drop drops the handle (`[resource-drop]%s`); the host's Drop runs when the guest owned it.", r.Name)))
			fmt.Fprintf(b, "func (self %s) Drop() { witResourceDrop_%s(self.handle) }\n\n", n, n)
		}
	}
	for _, ei := range gg.exports {
		for _, r := range ei.resources {
			n := gg.typeName[r]
			m := "[export]" + ei.module
			fmt.Fprintf(b, "//go:wasmimport %s [resource-new]%s\nfunc witResourceNew_%s(rep uint32) uint32\n\n", m, r.Name, n)
			fmt.Fprintf(b, "//go:wasmimport %s [resource-rep]%s\nfunc witResourceRep_%s(h uint32) uint32\n\n", m, r.Name, n)
			fmt.Fprintf(b, "//go:wasmimport %s [resource-drop]%s\nfunc witResourceDrop_%s(h uint32)\n\n", m, r.Name, n)
			fmt.Fprintf(b, `// witReps_%[1]s maps the reps handed to the host to the guest's values.
var witReps_%[1]s = map[uint32]%[1]s{}

var witNextRep_%[1]s uint32

// witNewOwn_%[1]s hands x to the host as a new own handle.
func witNewOwn_%[1]s(x %[1]s) uint32 {
	if x == nil {
		panic("lower %[2]s: nil value")
	}
	for {
		witNextRep_%[1]s++
		if _, used := witReps_%[1]s[witNextRep_%[1]s]; !used && witNextRep_%[1]s != 0 {
			break
		}
	}
	witReps_%[1]s[witNextRep_%[1]s] = x
	return witResourceNew_%[1]s(witNextRep_%[1]s)
}

// witTakeOwn_%[1]s takes back an own handle: the value leaves the table
// and the handle is dropped (the destructor does not run).
func witTakeOwn_%[1]s(h uint32) %[1]s {
	rep := witResourceRep_%[1]s(h)
	x, ok := witReps_%[1]s[rep]
	if !ok {
		panic("lift %[2]s: unknown rep")
	}
	delete(witReps_%[1]s, rep)
	witResourceDrop_%[1]s(h)
	return x
}

// witBorrowRep_%[1]s returns the value of a borrowed rep.
func witBorrowRep_%[1]s(rep uint32) %[1]s {
	x, ok := witReps_%[1]s[rep]
	if !ok {
		panic("lift borrow<%[2]s>: unknown rep")
	}
	return x
}

//go:wasmexport %[3]s#[dtor]%[2]s
func witDtor_%[1]s(rep uint32) {
	x, ok := witReps_%[1]s[rep]
	if !ok {
		return
	}
	delete(witReps_%[1]s, rep)
	if d, ok := x.(interface{ Drop() }); ok {
		d.Drop()
	}
}

`, n, r.Name, ei.module)
		}
	}
}
