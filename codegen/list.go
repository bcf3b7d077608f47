package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// listValueBody emits the helpers of list<T> itself: a (ptr, len) pair in
// memory or in two flat slots, handed to the liftlist/lowerlist helpers of
// the element type.
func (g *generator) listValueBody(op helperOp, k *wit.List) []jen.Code {
	switch op {
	case opLoad:
		body := readInt(op, "p", 4, 0, "list pointer")
		body = append(body, readInt(op, "n", 4, 4, "list length")...)
		return append(body, jen.Return(jen.Id("in").Dot(g.helper(opLiftList, k.Type)).Call(jen.Id("p"), jen.Id("n"))))
	case opLift:
		return []jen.Code{jen.Return(jen.Id("in").Dot(g.helper(opLiftList, k.Type)).Call(
			jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(0))), jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(1)))))}
	case opStore:
		return []jen.Code{
			jen.List(jen.Id("p"), jen.Id("n"), jen.Err()).Op(":=").Id("in").Dot(g.helper(opLowerList, k.Type)).Call(jen.Id("ctx"), jen.Id("v")),
			checkErr(op),
			writeInt(op, 4, jen.Id("ptr"), jen.Id("p"), "list pointer"),
			writeInt(op, 4, ptrPlus("ptr", 4), jen.Id("n"), "list length"),
			jen.Return(jen.Nil()),
		}
	case opLower:
		return []jen.Code{
			jen.List(jen.Id("p"), jen.Id("n"), jen.Err()).Op(":=").Id("in").Dot(g.helper(opLowerList, k.Type)).Call(jen.Id("ctx"), jen.Id("v")),
			checkErr(op),
			jen.List(jen.Id("vals").Index(jen.Lit(0)), jen.Id("vals").Index(jen.Lit(1))).Op("=").
				List(jen.Uint64().Call(jen.Id("p")), jen.Uint64().Call(jen.Id("n"))),
			jen.Return(jen.Nil()),
		}
	}
	panic("BUG: list op")
}

// isBulkScalar reports whether list<t> is copied in bulk by
// runtimeadapters.LiftScalarList / LowerScalarList.
func isBulkScalar(t wit.Type) bool {
	switch t {
	case wit.U8, wit.S8, wit.U16, wit.S16, wit.U32, wit.S32, wit.U64, wit.S64, wit.F32, wit.F64:
		return true
	}
	return false
}

// listBody emits liftlist_E / lowerlist_E: the elements of a list (ptr, n)
// checked for alignment and bounds, copied element by element
// (CanonicalABI.md load_list_from_range / store_list_into_range); lists of
// integers and floats are copied in bulk, list<u8> as []byte.
func (g *generator) listBody(op helperOp, elem wit.Type) []jen.Code {
	elem = g.rootOf(elem)
	size, align := wit.Size(elem), wit.Align(elem)
	mem := jen.Id("in").Dot("mem")
	if p, ok := elem.(wit.Primitive); ok && isBulkScalar(p) {
		if op == opLiftList {
			if p == wit.U8 {
				return []jen.Code{jen.Return(ra("LiftBytes").Call(mem, jen.Id("p"), jen.Id("n")))}
			}
			return []jen.Code{jen.Return(ra("LiftScalarList").Types(jen.Id(primitiveGo(p))).Call(mem, jen.Id("p"), jen.Id("n")))}
		}
		fn := "LowerScalarList"
		if p == wit.U8 {
			fn = "LowerBytes"
		}
		return []jen.Code{jen.Return(ra(fn).Call(jen.Id("ctx"), mem, jen.Id("in").Dot("realloc"),
			jen.Id("in").Dot("rstack").Index(jen.Op(":")), jen.Id("v")))}
	}
	if fs, ok := g.flatRecordFields(elem); ok {
		if op == opLiftList {
			return g.liftRecordList(elem, fs, size, align)
		}
		return g.lowerRecordList(fs, size, align)
	}
	elemAt := func(base string) jen.Code {
		if size == 0 {
			return jen.Id(base)
		}
		return jen.Id(base).Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(size))
	}
	if op == opLiftList && size == 0 {
		// Zero-size elements carry no data: no loop over a guest-chosen
		// length.
		return []jen.Code{jen.Return(jen.Make(jen.Index().Add(g.goType(elem)), jen.Id("n")), jen.Nil())}
	}
	if op == opLiftList {
		return []jen.Code{
			jen.If(jen.Err().Op("=").Add(ra("CheckList")).Call(mem, jen.Id("p"), jen.Id("n"), jen.Lit(int(size)), jen.Lit(int(align))), jen.Err().Op("!=").Nil()).
				Block(jen.Return(jen.Nil(), jen.Err())),
			// One view of the whole list: lifting never calls the guest.
			jen.List(jen.Id("b"), jen.Id("_")).Op(":=").Id("in").Dot("mem").Dot("Read").Call(jen.Id("p"), jen.Id("n").Op("*").Lit(int(size))),
			jen.Id("v").Op("=").Make(jen.Index().Add(g.goType(elem)), jen.Id("n")),
			jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(
				g.callInto(op, jen.Id("v").Index(jen.Id("i")), opLoad, elem, jen.Id("b").Index(jen.Id("i").Op("*").Lit(int(size)).Op(":"))),
			),
			jen.Return(jen.Id("v"), jen.Nil()),
		}
	}
	return []jen.Code{
		jen.List(jen.Id("p"), jen.Err()).Op("=").Add(ra("AllocList")).Call(jen.Id("ctx"), mem, jen.Id("in").Dot("realloc"),
			jen.Id("in").Dot("rstack").Index(jen.Op(":")), jen.Len(jen.Id("v")), jen.Lit(int(size)), jen.Lit(int(align))),
		checkErr(op),
		jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(
			g.callErr(op, opStore, elem, jen.Id("ctx"), elemAt("p"), jen.Id("v").Index(jen.Id("i"))),
		),
		jen.Return(jen.Id("p"), jen.Uint32().Call(jen.Len(jen.Id("v"))), jen.Nil()),
	}
}
