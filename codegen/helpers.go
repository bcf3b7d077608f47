package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// helperOp is one of the lift/lower operations generated per Go type.
type helperOp uint8

const (
	// opLoad: func (in *I) dec_K(b []byte) (v T, err error) decodes a value
	// from a view of guest memory that holds at least its size in bytes.
	// Lifting never calls into the guest, so such a view cannot go stale.
	opLoad helperOp = iota
	// opStore: func (in *I) store_K(ctx context.Context, ptr uint32, v T) error
	opStore
	// opLift: func (in *I) lift_K(vals []uint64) (v T, err error)
	opLift
	// opLower: func (in *I) lower_K(ctx context.Context, v T, vals []uint64) error
	opLower
	// opLiftList: func (in *I) liftlist_K(p, n uint32) (v []T, err error)
	opLiftList
	// opLowerList: func (in *I) lowerlist_K(ctx context.Context, v []T) (p, n uint32, err error)
	opLowerList
	// opCheck: func (in *I) check_K(v T) error
	opCheck
	// opLoadPtr: func (in *I) load_K(ptr uint32) (v T, err error) reads the
	// value's bytes once and decodes them.
	opLoadPtr
)

var opNames = [...]string{"dec", "store", "lift", "lower", "liftlist", "lowerlist", "check", "load"}

type helperReq struct {
	op   helperOp
	t    wit.Type // for list ops: the element type
	name string
}

// helper returns the name of the helper method doing op on t and queues
// its generation.
func (g *generator) helper(op helperOp, t wit.Type) string {
	name := opNames[op] + "_" + g.key(t)
	if _, ok := g.helpers[name]; !ok {
		g.helpers[name] = nil
		g.helperTodo = append(g.helperTodo, helperReq{op: op, t: t, name: name})
	}
	return name
}

// emitHelpers generates every queued helper (helpers queue more helpers)
// and emits them sorted by name.
func (g *generator) emitHelpers(f *jen.File) {
	for len(g.helperTodo) > 0 {
		req := g.helperTodo[0]
		g.helperTodo = g.helperTodo[1:]
		g.helpers[req.name] = g.genHelper(req)
	}
	for _, n := range sortedKeys(g.helpers) {
		f.Add(g.helpers[n])
	}
}

func (g *generator) genHelper(req helperReq) jen.Code {
	T := g.goType(req.t)
	var params, results []jen.Code
	switch req.op {
	case opLoad:
		params = []jen.Code{jen.Id("b").Index().Byte()}
		results = []jen.Code{jen.Id("v").Add(T), jen.Err().Error()}
	case opLoadPtr:
		params = []jen.Code{jen.Id("ptr").Uint32()}
		results = []jen.Code{jen.Id("v").Add(T), jen.Err().Error()}
	case opStore:
		params = []jen.Code{jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("ptr").Uint32(), jen.Id("v").Add(T)}
		results = []jen.Code{jen.Error()}
	case opLift:
		params = []jen.Code{jen.Id("vals").Index().Uint64()}
		results = []jen.Code{jen.Id("v").Add(T), jen.Err().Error()}
	case opLower:
		params = []jen.Code{jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("v").Add(T), jen.Id("vals").Index().Uint64()}
		results = []jen.Code{jen.Error()}
	case opLiftList:
		params = []jen.Code{jen.List(jen.Id("p"), jen.Id("n")).Uint32()}
		results = []jen.Code{jen.Id("v").Index().Add(T), jen.Err().Error()}
	case opLowerList:
		params = []jen.Code{jen.Id("ctx").Qual(contextPkg, "Context"), jen.Id("v").Index().Add(T)}
		results = []jen.Code{jen.List(jen.Id("p"), jen.Id("n")).Uint32(), jen.Err().Error()}
	case opCheck:
		params = []jen.Code{jen.Id("v").Add(T)}
		results = []jen.Code{jen.Error()}
	}
	var body []jen.Code
	if req.op == opLoadPtr {
		size := int(wit.Size(req.t))
		body = []jen.Code{
			jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("in").Dot("mem").Dot("Read").Call(jen.Id("ptr"), jen.Lit(size)),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Id("v"), ra("OutOfBounds").Call(jen.Lit("load "+witType(req.t)), jen.Id("ptr"), jen.Lit(size)))),
			jen.Return(jen.Id("in").Dot(g.helper(opLoad, req.t)).Call(jen.Id("b"))),
		}
	} else if req.op == opCheck {
		body = g.checkBody(req.t)
	} else if req.op == opLiftList || req.op == opLowerList {
		body = g.listBody(req.op, req.t)
	} else {
		body = g.helperBody(req.op, g.rootOf(req.t))
	}
	return jen.Func().Params(jen.Id("in").Op("*").Id(g.instName)).Id(req.name).
		Params(params...).Params(results...).Block(body...).Line()
}

// helperBody dispatches on the kind of t: one emitter per WIT kind.
func (g *generator) helperBody(op helperOp, t wit.Type) []jen.Code {
	switch t := t.(type) {
	case wit.Primitive:
		return g.primitiveBody(op, t)
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record, *wit.Tuple:
			return g.recordBody(op, g.structFields(t))
		case *wit.Variant:
			return g.variantBody(op, t, k)
		case *wit.Enum:
			return g.enumBody(op, t, k)
		case *wit.Flags:
			return g.flagsBody(op, t, k)
		case *wit.Option:
			return g.optionBody(op, k)
		case *wit.Result:
			return g.resultBody(op, k)
		case *wit.List:
			return g.listValueBody(op, k)
		case *wit.FixedLengthList:
			return g.arrayBody(op, k)
		case *wit.Own:
			return g.handleBody(op, k.Type.Root(), true)
		case *wit.Borrow:
			return g.handleBody(op, k.Type.Root(), false)
		case *wit.Resource:
			return g.handleBody(op, t, true)
		case *wit.Map:
			return g.mapBody(op, k)
		case *wit.Alias, *wit.Future, *wit.Stream:
			panic(fmt.Sprintf("BUG: %s reached helperBody", k.KindName()))
		default:
			panic(fmt.Sprintf("BUG: unknown wit.TypeDefKind %T", k))
		}
	}
	panic(fmt.Sprintf("BUG: unknown wit.Type %T", t))
}

// Snippets shared by the emitters.

// ptrPlus is `ptr + off` (or `ptr`).
func ptrPlus(base string, off uint32) *jen.Statement {
	if off == 0 {
		return jen.Id(base)
	}
	return jen.Id(base).Op("+").Lit(int(off))
}

// valsRange is `vals[a:b]`.
func valsRange(a, b int) *jen.Statement {
	return jen.Id("vals").Index(jen.Lit(a).Op(":").Lit(b))
}

// retErr returns `return v, err` or `return err` depending on op.
func retErr(op helperOp, err jen.Code) jen.Code {
	switch op {
	case opLoad, opLift, opLiftList, opLoadPtr:
		return jen.Return(jen.Id("v"), err)
	case opLowerList:
		return jen.Return(jen.Lit(0), jen.Lit(0), err)
	}
	return jen.Return(err)
}

// checkErr is `if err != nil { return ... }`.
func checkErr(op helperOp) jen.Code {
	return jen.If(jen.Err().Op("!=").Nil()).Block(retErr(op, jen.Err()))
}

// readInt decodes an unsigned little-endian integer of size bytes at
// offset off of the view b into a new variable dst.
func readInt(op helperOp, dst string, size uint32, off uint32, what string) []jen.Code {
	if op != opLoad {
		panic(fmt.Sprintf("BUG: readInt outside a decoder (%s)", what))
	}
	if size == 1 {
		return []jen.Code{jen.Id(dst).Op(":=").Id("b").Index(jen.Lit(int(off)))}
	}
	fn := map[uint32]string{2: "Uint16", 4: "Uint32", 8: "Uint64"}[size]
	return []jen.Code{jen.Id(dst).Op(":=").Qual(binaryPkg, "LittleEndian").Dot(fn).Call(bAt(off))}
}

// bAt is the view b from offset off: `b[off:]` (or `b`).
func bAt(off uint32) *jen.Statement {
	if off == 0 {
		return jen.Id("b")
	}
	return jen.Id("b").Index(jen.Lit(int(off)).Op(":"))
}

// writeInt writes value (converted to the unsigned type of size bytes) at
// ptr.
func writeInt(op helperOp, size uint32, ptr, value jen.Code, what string) jen.Code {
	fn := map[uint32]string{1: "WriteU8", 2: "WriteU16", 4: "WriteU32", 8: "WriteU64"}[size]
	conv := map[uint32]string{1: "uint8", 2: "uint16", 4: "uint32", 8: "uint64"}[size]
	return jen.If(jen.Op("!").Id("in").Dot("mem").Dot(fn).Call(ptr, jen.Id(conv).Call(value))).
		Block(retErr(op, ra("OutOfBounds").Call(jen.Lit("store "+what), ptr, jen.Lit(int(size)))))
}

// callInto emits `dst, err = in.<op>_K(args)` + error check, for load and
// lift (dst is an lvalue expression).
func (g *generator) callInto(outer helperOp, dst jen.Code, op helperOp, t wit.Type, args ...jen.Code) jen.Code {
	return jen.If(jen.List(dst, jen.Err()).Op("=").Id("in").Dot(g.helper(op, t)).Call(args...), jen.Err().Op("!=").Nil()).
		Block(retErr(outer, jen.Err()))
}

// callErr emits `if err := in.<op>_K(args); err != nil { return ... }` for
// store and lower.
func (g *generator) callErr(outer helperOp, op helperOp, t wit.Type, args ...jen.Code) jen.Code {
	return jen.If(jen.Err().Op(":=").Id("in").Dot(g.helper(op, t)).Call(args...), jen.Err().Op("!=").Nil()).
		Block(retErr(outer, jen.Err()))
}

// flatLen is the number of flat slots of t.
func flatLen(t wit.Type) int {
	if t == nil {
		return 0
	}
	return len(wit.Flat(t))
}
