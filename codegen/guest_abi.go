package codegen

import (
	"fmt"
	"strings"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// Guest lifting and lowering. Values travel in uint64 slots (see toSlot);
// memory is the guest's own linear memory, read and written through
// unsafe pointers (wasm is little-endian and allows unaligned access).
//
// Ownership (CanonicalABI.md): everything the guest lifts — export
// arguments and import results — was allocated by the host through
// cabi_realloc and now belongs to the guest, so lifting a string or list
// releases its cabi_realloc block (strings and scalar lists are not
// copied: the lifted Go value keeps the block reachable). Everything the
// guest lowers for the host points either into the Go values being lowered
// (kept reachable until the host is done: runtime.KeepAlive after an import
// call, the post-return frame after an export) or into buffers of a
// witFrame released at the same moment.

// Helper operations.
const (
	gLift  = "Lift"
	gLower = "Lower"
	gLoad  = "Load"
	gStore = "Store"
	gRead  = "Read"  // list/map from (ptr, len)
	gWrite = "Write" // list/map to (ptr, len)
)

func (gg *guestGen) helperName(op string, t wit.Type) string {
	return "wit" + op + "_" + gg.key(t)
}

// helper requests helper op for t and returns its name.
func (gg *guestGen) helper(op string, t wit.Type) string {
	name := gg.helperName(op, t)
	if _, ok := gg.helpers[name]; !ok {
		gg.helpers[name] = ""
		gg.pending = append(gg.pending, guestHelperReq{op, t})
	}
	return name
}

// bulkScalar reports whether a list of t has the same layout in Go and in
// the canonical ABI, so it can be passed without copying.
func bulkScalar(t wit.Type) bool {
	switch t {
	case wit.U8, wit.S8, wit.U16, wit.S16, wit.U32, wit.S32, wit.U64, wit.S64, wit.F32, wit.F64:
		return true
	}
	return false
}

// liftExpr is the Go expression lifting t from slots vs[a:].
func (gg *guestGen) liftExpr(t wit.Type, vs string, a int) string {
	s := fmt.Sprintf("%s[%d]", vs, a)
	if p, ok := gg.rootOf(t).(wit.Primitive); ok {
		switch p {
		case wit.Bool:
			return "(uint32(" + s + ") != 0)"
		case wit.U8, wit.S8, wit.U16, wit.S16, wit.U32, wit.S32, wit.S64:
			return primitiveGo(p) + "(" + s + ")"
		case wit.U64:
			return s
		case wit.F32:
			return "math.Float32frombits(uint32(" + s + "))"
		case wit.F64:
			return "math.Float64frombits(" + s + ")"
		case wit.Char:
			return "witChar(uint32(" + s + "))"
		case wit.String:
			return fmt.Sprintf("witLiftString(uint32(%s[%d]), uint32(%s[%d]))", vs, a, vs, a+1)
		}
		panic(fmt.Sprintf("BUG: primitive %v", p))
	}
	return fmt.Sprintf("%s(%s[%d:%d])", gg.helper(gLift, t), vs, a, a+flatLen(t))
}

// lowerStmt lowers x of type t into slots vs[a:].
func (gg *guestGen) lowerStmt(t wit.Type, x, fr, vs string, a int) string {
	s := fmt.Sprintf("%s[%d]", vs, a)
	if p, ok := gg.rootOf(t).(wit.Primitive); ok {
		switch p {
		case wit.Bool:
			return s + " = witBool(" + x + ")\n"
		case wit.U8, wit.U16, wit.U32:
			return s + " = uint64(" + x + ")\n"
		case wit.S8, wit.S16, wit.S32:
			return s + " = uint64(uint32(int32(" + x + ")))\n"
		case wit.U64:
			return s + " = " + x + "\n"
		case wit.S64:
			return s + " = uint64(" + x + ")\n"
		case wit.F32:
			return s + " = uint64(math.Float32bits(" + x + "))\n"
		case wit.F64:
			return s + " = math.Float64bits(" + x + ")\n"
		case wit.Char:
			return s + " = uint64(witCheckChar(" + x + "))\n"
		case wit.String:
			return fmt.Sprintf("%s, %s[%d] = uint64(witStringAddr(%s)), uint64(len(%s))\n", s, vs, a+1, x, x)
		}
		panic(fmt.Sprintf("BUG: primitive %v", p))
	}
	return fmt.Sprintf("%s(%s, %s, %s[%d:%d])\n", gg.helper(gLower, t), fr, x, vs, a, a+flatLen(t))
}

// loadExpr is the Go expression loading t from address expression p.
func (gg *guestGen) loadExpr(t wit.Type, p string) string {
	if pr, ok := gg.rootOf(t).(wit.Primitive); ok {
		switch pr {
		case wit.Bool:
			return "(witLoad8(" + p + ") != 0)"
		case wit.U8:
			return "witLoad8(" + p + ")"
		case wit.S8:
			return "int8(witLoad8(" + p + "))"
		case wit.U16:
			return "witLoad16(" + p + ")"
		case wit.S16:
			return "int16(witLoad16(" + p + "))"
		case wit.U32:
			return "witLoad32(" + p + ")"
		case wit.S32:
			return "int32(witLoad32(" + p + "))"
		case wit.U64:
			return "witLoad64(" + p + ")"
		case wit.S64:
			return "int64(witLoad64(" + p + "))"
		case wit.F32:
			return "math.Float32frombits(witLoad32(" + p + "))"
		case wit.F64:
			return "math.Float64frombits(witLoad64(" + p + "))"
		case wit.Char:
			return "witChar(witLoad32(" + p + "))"
		case wit.String:
			return "witLoadString(" + p + ")"
		}
		panic(fmt.Sprintf("BUG: primitive %v", pr))
	}
	return gg.helper(gLoad, t) + "(" + p + ")"
}

// storeStmt stores x of type t at address expression p.
func (gg *guestGen) storeStmt(t wit.Type, x, fr, p string) string {
	if pr, ok := gg.rootOf(t).(wit.Primitive); ok {
		switch pr {
		case wit.Bool:
			return "witStore8(" + p + ", uint8(witBool(" + x + ")))\n"
		case wit.U8:
			return "witStore8(" + p + ", " + x + ")\n"
		case wit.S8:
			return "witStore8(" + p + ", uint8(" + x + "))\n"
		case wit.U16, wit.S16:
			return "witStore16(" + p + ", uint16(" + x + "))\n"
		case wit.U32, wit.S32:
			return "witStore32(" + p + ", uint32(" + x + "))\n"
		case wit.U64, wit.S64:
			return "witStore64(" + p + ", uint64(" + x + "))\n"
		case wit.F32:
			return "witStore32(" + p + ", math.Float32bits(" + x + "))\n"
		case wit.F64:
			return "witStore64(" + p + ", math.Float64bits(" + x + "))\n"
		case wit.Char:
			return "witStore32(" + p + ", witCheckChar(" + x + "))\n"
		case wit.String:
			return "witStoreString(" + fr + ", " + p + ", " + x + ")\n"
		}
		panic(fmt.Sprintf("BUG: primitive %v", pr))
	}
	return fmt.Sprintf("%s(%s, %s, %s)\n", gg.helper(gStore, t), fr, x, p)
}

// discLoad and discStore read and write a discriminant of the given size.
func discLoad(size uint32, p string) string {
	switch size {
	case 1:
		return "uint32(witLoad8(" + p + "))"
	case 2:
		return "uint32(witLoad16(" + p + "))"
	}
	return "witLoad32(" + p + ")"
}

func discStore(size uint32, p string, v string) string {
	switch size {
	case 1:
		return "witStore8(" + p + ", uint8(" + v + "))\n"
	case 2:
		return "witStore16(" + p + ", uint16(" + v + "))\n"
	}
	return "witStore32(" + p + ", uint32(" + v + "))\n"
}

// gcase is one case of a variant-like type.
type gcase struct {
	t         wit.Type
	construct func(payload string) string // Go value of the case
	match     string                      // type-switch case (variants)
}

// genHelper writes the helper function name for op on t.
func (gg *guestGen) genHelper(op string, t wit.Type, name string) string {
	T := gg.gType(t)
	var b strings.Builder
	switch op {
	case gLift:
		fmt.Fprintf(&b, "func %s(v []uint64) (x %s) {\n", name, T)
	case gLower:
		fmt.Fprintf(&b, "func %s(fr *witFrame, x %s, v []uint64) {\n", name, T)
	case gLoad:
		fmt.Fprintf(&b, "func %s(p uint32) (x %s) {\n", name, T)
	case gStore:
		fmt.Fprintf(&b, "func %s(fr *witFrame, x %s, p uint32) {\n", name, T)
	case gRead:
		fmt.Fprintf(&b, "func %s(p, n uint32) (x %s) {\n", name, T)
	case gWrite:
		fmt.Fprintf(&b, "func %s(fr *witFrame, x %s) (uint32, uint32) {\n", name, T)
	}
	td, ok := gg.rootOf(t).(*wit.TypeDef)
	if !ok {
		panic(fmt.Sprintf("BUG: guest helper for %v", t))
	}
	b.WriteString(gg.helperBodyGuest(op, td))
	b.WriteString("}\n")
	return b.String()
}

func (gg *guestGen) helperBodyGuest(op string, td *wit.TypeDef) string {
	switch k := td.Kind.(type) {
	case *wit.Record, *wit.Tuple:
		return gg.recordGuest(op, gg.structFields(td))
	case *wit.Variant:
		var cs []gcase
		for i, c := range k.Cases {
			cn := gg.cases[td][i]
			cs = append(cs, gcase{t: c.Type, match: cn, construct: func(p string) string {
				if p == "" {
					return cn + "{}"
				}
				return cn + "{Value: " + p + "}"
			}})
		}
		return gg.variantGuest(op, td.Name, k, cs)
	case *wit.Option:
		T := gg.gType(k.Type)
		cs := []gcase{
			{nil, func(string) string { return "wittypes.None[" + T + "]()" }, ""},
			{k.Type, func(p string) string { return "wittypes.Some[" + T + "](" + p + ")" }, ""},
		}
		return gg.variantGuest(op, "option", k, cs)
	case *wit.Result:
		T, E := gg.gType(k.OK), gg.gType(k.Err)
		unit := func(t wit.Type, p string) string {
			if t == nil {
				return "struct{}{}"
			}
			return p
		}
		cs := []gcase{
			{k.OK, func(p string) string { return "wittypes.OK[" + T + ", " + E + "](" + unit(k.OK, p) + ")" }, ""},
			{k.Err, func(p string) string { return "wittypes.Err[" + T + ", " + E + "](" + unit(k.Err, p) + ")" }, ""},
		}
		return gg.variantGuest(op, "result", k, cs)
	case *wit.Enum:
		n := len(k.Cases)
		size := wit.DiscriminantSize(n)
		name := gg.typeName[td]
		bad := fmt.Sprintf("panic(%q)\n", "lift "+td.Name+": enum discriminant out of range")
		switch op {
		case gLift:
			return fmt.Sprintf("d := uint32(v[0])\nif d >= %d {\n%s}\nreturn %s(d)\n", n, bad, name)
		case gLoad:
			return fmt.Sprintf("d := %s\nif d >= %d {\n%s}\nreturn %s(d)\n", discLoad(size, "p"), n, bad, name)
		case gLower:
			return fmt.Sprintf("if uint32(x) >= %d {\npanic(%q)\n}\nv[0] = uint64(x)\n", n, "lower "+td.Name+": enum value out of range")
		case gStore:
			return fmt.Sprintf("if uint32(x) >= %d {\npanic(%q)\n}\n%s", n, "lower "+td.Name+": enum value out of range", discStore(size, "p", "x"))
		}
	case *wit.Flags:
		n := len(k.Flags)
		size := wit.FlagsSize(n)
		name := gg.typeName[td]
		mask := fmt.Sprintf("%#x", uint64(1)<<n-1)
		switch op {
		case gLift:
			return fmt.Sprintf("return %s(uint32(v[0]) & %s)\n", name, mask)
		case gLoad:
			return fmt.Sprintf("return %s(%s & %s)\n", name, discLoad(size, "p"), mask)
		case gLower:
			return fmt.Sprintf("v[0] = uint64(uint32(x) & %s)\n", mask)
		case gStore:
			return discStore(size, "p", "uint32(x) & "+mask)
		}
	case *wit.List:
		return gg.listGuest(op, td, k.Type)
	case *wit.Map:
		return gg.listGuest(op, td, nil)
	case *wit.FixedLengthList:
		e := k.Type
		n := int(k.Length)
		fl := flatLen(e)
		size := wit.Size(e)
		switch op {
		case gLift:
			return fmt.Sprintf("for i := 0; i < %d; i++ {\nx[i] = %s\n}\nreturn x\n", n, gg.liftExpr(e, fmt.Sprintf("v[i*%d:]", fl), 0))
		case gLower:
			return fmt.Sprintf("for i := 0; i < %d; i++ {\n%s}\n", n, gg.lowerStmt(e, "x[i]", "fr", fmt.Sprintf("v[i*%d:]", fl), 0))
		case gLoad:
			return fmt.Sprintf("for i := uint32(0); i < %d; i++ {\nx[i] = %s\n}\nreturn x\n", n, gg.loadExpr(e, fmt.Sprintf("p+i*%d", size)))
		case gStore:
			return fmt.Sprintf("for i := uint32(0); i < %d; i++ {\n%s}\n", n, gg.storeStmt(e, "x[i]", "fr", fmt.Sprintf("p+i*%d", size)))
		}
	case *wit.Own, *wit.Borrow, *wit.Resource:
		var r *wit.TypeDef
		borrow := false
		switch k := k.(type) {
		case *wit.Own:
			r = k.Type.Root()
		case *wit.Borrow:
			r, borrow = k.Type.Root(), true
		default:
			r = td
		}
		n := gg.typeName[r]
		var lift func(h string) string
		var lower func(x string) string
		switch {
		case gg.resDir[r] == exported && borrow:
			lift = func(h string) string { return "witBorrowRep_" + n + "(" + h + ")" }
			lower = func(x string) string {
				return fmt.Sprintf("func() uint32 { panic(%q) }()", "lower borrow<"+r.Name+">: not supported")
			}
		case gg.resDir[r] == exported:
			lift = func(h string) string { return "witTakeOwn_" + n + "(" + h + ")" }
			lower = func(x string) string { return "witNewOwn_" + n + "(" + x + ")" }
		case borrow:
			lift = func(h string) string { return n + "{handle: witBorrowImport(" + h + ", witDrop_" + n + ")}" }
			lower = func(x string) string { return x + ".handle" }
		default:
			lift = func(h string) string { return n + "{handle: " + h + "}" }
			lower = func(x string) string { return x + ".handle" }
		}
		switch op {
		case gLift:
			return "return " + lift("uint32(v[0])") + "\n"
		case gLoad:
			return "return " + lift("witLoad32(p)") + "\n"
		case gLower:
			return "v[0] = uint64(" + lower("x") + ")\n"
		case gStore:
			return "witStore32(p, " + lower("x") + ")\n"
		}
	case *wit.Alias:
		// Only reached through rootOf for aliases of nominal types.
		return gg.helperBodyGuest(op, k.Type.(*wit.TypeDef))
	}
	panic(fmt.Sprintf("BUG: guest helper %s for %T", op, td.Kind))
}

func (gg *guestGen) recordGuest(op string, fs []field) string {
	var b strings.Builder
	types := make([]wit.Type, len(fs))
	for i, f := range fs {
		types[i] = f.t
	}
	offs := wit.FieldOffsets(types)
	pos := 0
	for i, f := range fs {
		sel := "x." + f.name
		switch op {
		case gLift:
			fmt.Fprintf(&b, "%s = %s\n", sel, gg.liftExpr(f.t, "v", pos))
		case gLower:
			b.WriteString(gg.lowerStmt(f.t, sel, "fr", "v", pos))
		case gLoad:
			fmt.Fprintf(&b, "%s = %s\n", sel, gg.loadExpr(f.t, fmt.Sprintf("p+%d", offs[i])))
		case gStore:
			b.WriteString(gg.storeStmt(f.t, sel, "fr", fmt.Sprintf("p+%d", offs[i])))
		}
		pos += flatLen(f.t)
	}
	if op == gLift || op == gLoad {
		b.WriteString("return x\n")
	}
	return b.String()
}

// variantGuest emits the helpers of variant-like kinds (variant, option,
// result): CanonicalABI.md lift_flat_variant / load_variant and their
// lowering counterparts.
func (gg *guestGen) variantGuest(op, witName string, k wit.TypeDefKind, cs []gcase) string {
	var b strings.Builder
	n := len(cs)
	dsize := wit.DiscriminantSize(n)
	off := wit.VariantPayloadOffset(k)
	bad := fmt.Sprintf("panic(%q)\n", "lift "+witName+": discriminant out of range")
	switch op {
	case gLift, gLoad:
		if op == gLift {
			b.WriteString("switch uint32(v[0]) {\n")
		} else {
			b.WriteString("switch " + discLoad(dsize, "p") + " {\n")
		}
		for i, c := range cs {
			fmt.Fprintf(&b, "case %d:\n", i)
			if c.t == nil {
				fmt.Fprintf(&b, "return %s\n", c.construct(""))
				continue
			}
			if op == gLift {
				fmt.Fprintf(&b, "return %s\n", c.construct(gg.liftExpr(c.t, "v", 1)))
			} else {
				fmt.Fprintf(&b, "return %s\n", c.construct(gg.loadExpr(c.t, fmt.Sprintf("p+%d", off))))
			}
		}
		b.WriteString("}\n" + bad)
		return b.String()
	}
	// Lowering.
	lowerCase := func(i int, t wit.Type, x string) string {
		var s string
		if op == gLower {
			s = fmt.Sprintf("v[0] = %d\n", i)
			if t != nil {
				s += gg.lowerStmt(t, x, "fr", "v", 1)
			}
		} else {
			s = discStore(dsize, "p", fmt.Sprint(i))
			if t != nil {
				s += gg.storeStmt(t, x, "fr", fmt.Sprintf("p+%d", off))
			}
		}
		return s
	}
	if op == gLower {
		b.WriteString("clear(v)\n")
	}
	switch k.(type) {
	case *wit.Option:
		fmt.Fprintf(&b, "if y, ok := x.Get(); ok {\n%s} else {\n%s}\n", lowerCase(1, cs[1].t, "y"), lowerCase(0, nil, ""))
	case *wit.Result:
		e, y := "e", "y"
		if cs[1].t == nil {
			e = "_"
		}
		if cs[0].t == nil {
			y = "_"
		}
		fmt.Fprintf(&b, "if %s, isErr := x.Err(); isErr {\n%s} else {\n", e, lowerCase(1, cs[1].t, "e"))
		if cs[0].t != nil {
			fmt.Fprintf(&b, "%s, _ := x.OK()\n", y)
		}
		fmt.Fprintf(&b, "%s}\n", lowerCase(0, cs[0].t, "y"))
	default:
		any := false
		for _, c := range cs {
			if c.t != nil {
				any = true
			}
		}
		if any {
			b.WriteString("switch y := x.(type) {\n")
		} else {
			b.WriteString("switch x.(type) {\n")
		}
		for i, c := range cs {
			fmt.Fprintf(&b, "case %s:\n%s", c.match, lowerCase(i, c.t, "y.Value"))
		}
		fmt.Fprintf(&b, "default:\npanic(%q)\n}\n", "lower "+witName+": nil or unknown case")
	}
	return b.String()
}

// listGuest emits the helpers of list<elem> (and of map<K, V> when elem is
// nil): (ptr, len) slots or fields around Read/Write helpers.
func (gg *guestGen) listGuest(op string, td *wit.TypeDef, elem wit.Type) string {
	switch op {
	case gLift:
		return fmt.Sprintf("return %s(uint32(v[0]), uint32(v[1]))\n", gg.helper(gRead, td))
	case gLoad:
		return fmt.Sprintf("return %s(witLoad32(p), witLoad32(p+4))\n", gg.helper(gRead, td))
	case gLower:
		return fmt.Sprintf("a, n := %s(fr, x)\nv[0], v[1] = uint64(a), uint64(n)\n", gg.helper(gWrite, td))
	case gStore:
		return fmt.Sprintf("a, n := %s(fr, x)\nwitStore32(p, a)\nwitStore32(p+4, n)\n", gg.helper(gWrite, td))
	}
	if elem == nil {
		m := td.Kind.(*wit.Map)
		entry := mapEntry(m)
		size, align := wit.Size(entry), wit.Align(entry)
		offs := wit.FieldOffsets([]wit.Type{m.Key, m.Value})
		if op == gRead {
			return fmt.Sprintf("x = make(%s, n)\nfor i := uint32(0); i < n; i++ {\ne := p + i*%d\nk := %s\nx[k] = %s\n}\nwitFree(p)\nreturn x\n",
				gg.gType(td), size, gg.loadExpr(m.Key, "e"), gg.loadExpr(m.Value, fmt.Sprintf("e+%d", offs[1])))
		}
		return fmt.Sprintf("n := uint32(len(x))\nif n == 0 {\nreturn 0, 0\n}\np := fr.alloc(n*%d, %d)\ni := uint32(0)\nfor k, val := range x {\ne := p + i*%d\n%s%si++\n}\nreturn p, n\n",
			size, align, size, gg.storeStmt(m.Key, "k", "fr", "e"), gg.storeStmt(m.Value, "val", "fr", fmt.Sprintf("e+%d", offs[1])))
	}
	E := gg.gType(elem)
	size, align := wit.Size(elem), wit.Align(elem)
	if bulkScalar(gg.rootOf(elem)) {
		if op == gRead {
			return fmt.Sprintf("if n == 0 {\nwitFree(p)\nreturn %s{}\n}\nx = unsafe.Slice((*%s)(witPtr(p)), n)\nwitFree(p)\nreturn x\n", gg.gType(td), E)
		}
		return "if len(x) == 0 {\nreturn 0, 0\n}\np := unsafe.Pointer(unsafe.SliceData(x))\nfr.pin(p)\nreturn witAddr(p), uint32(len(x))\n"
	}
	if op == gRead {
		return fmt.Sprintf("x = make(%s, n)\nfor i := range x {\nx[i] = %s\n}\nwitFree(p)\nreturn x\n", gg.gType(td), gg.loadExpr(elem, fmt.Sprintf("p+uint32(i)*%d", size)))
	}
	return fmt.Sprintf("n := uint32(len(x))\nif n == 0 {\nreturn 0, 0\n}\np := fr.alloc(n*%d, %d)\nfor i := range x {\n%s}\nreturn p, n\n",
		size, align, gg.storeStmt(elem, "x[i]", "fr", fmt.Sprintf("p+uint32(i)*%d", size)))
}
