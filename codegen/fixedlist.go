package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// arrayBody emits the helpers of a fixed-length list<T, N>: N elements in
// place, or N times T's flat slots.
func (g *generator) arrayBody(op helperOp, k *wit.FixedLengthList) []jen.Code {
	size := wit.Size(k.Type)
	n := flatLen(k.Type)
	at := func() jen.Code {
		return jen.Id("ptr").Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(size))
	}
	slots := func() jen.Code {
		return jen.Id("vals").Index(jen.Id("i").Op("*").Lit(n).Op(":").Parens(jen.Id("i").Op("+").Lit(1)).Op("*").Lit(n))
	}
	var stmt jen.Code
	switch op {
	case opLoad:
		stmt = g.callInto(op, jen.Id("v").Index(jen.Id("i")), opLoad, k.Type,
			jen.Id("b").Index(jen.Id("i").Op("*").Lit(int(size)).Op(":")))
	case opLift:
		stmt = g.callInto(op, jen.Id("v").Index(jen.Id("i")), opLift, k.Type, slots())
	case opStore:
		stmt = g.callErr(op, opStore, k.Type, jen.Id("ctx"), at(), jen.Id("v").Index(jen.Id("i")))
	case opLower:
		stmt = g.callErr(op, opLower, k.Type, jen.Id("ctx"), jen.Id("v").Index(jen.Id("i")), slots())
	default:
		panic(fmt.Sprintf("BUG: array op %d", op))
	}
	body := []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(stmt)}
	if op == opLoad || op == opLift {
		return append(body, jen.Return(jen.Id("v"), jen.Nil()))
	}
	return append(body, jen.Return(jen.Nil()))
}
