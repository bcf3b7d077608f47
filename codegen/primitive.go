package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// primitiveBody emits the lift/lower helpers of bool, the integers, the
// floats, char and string (CanonicalABI.md load_int, store_int,
// convert_int_to_bool, lift_flat_signed, i32_to_char, load_string,
// store_string).
func (g *generator) primitiveBody(op helperOp, p wit.Primitive) []jen.Code {
	goT := primitiveGo(p)
	what := p.String()
	if p == wit.String {
		return g.stringBody(op)
	}
	size := wit.Size(p)
	val := jen.Id("vals").Index(jen.Lit(0))
	switch op {
	case opLoad:
		body := readInt(op, "x", size, 0, what)
		return append(body, liftScalar(p, jen.Id("x"))...)
	case opLift:
		var raw jen.Code
		switch size {
		case 8:
			raw = val
		default:
			raw = jen.Uint32().Call(val)
		}
		return liftScalar(p, raw)
	case opStore:
		bits, pre := lowerScalar(op, p, jen.Id("v"))
		return append(pre, writeInt(op, size, jen.Id("ptr"), bits, what), jen.Return(jen.Nil()))
	case opLower:
		bits, pre := lowerScalar(op, p, jen.Id("v"))
		return append(pre, jen.Id("vals").Index(jen.Lit(0)).Op("=").Uint64().Call(bits), jen.Return(jen.Nil()))
	}
	panic(fmt.Sprintf("BUG: primitive op %d on %s (%s)", op, p, goT))
}

// liftScalar converts raw (an unsigned integer of the primitive's width,
// or the uint64 flat slot) to the Go value and returns it.
func liftScalar(p wit.Primitive, raw jen.Code) []jen.Code {
	switch p {
	case wit.Bool:
		return []jen.Code{jen.Return(jen.Add(raw).Op("!=").Lit(0), jen.Nil())}
	case wit.U8, wit.U16, wit.U32, wit.U64, wit.S8, wit.S16, wit.S32, wit.S64:
		return []jen.Code{jen.Return(jen.Id(primitiveGo(p)).Call(raw), jen.Nil())}
	case wit.F32:
		return []jen.Code{jen.Return(jen.Qual(mathPkg, "Float32frombits").Call(jen.Uint32().Call(raw)), jen.Nil())}
	case wit.F64:
		return []jen.Code{jen.Return(jen.Qual(mathPkg, "Float64frombits").Call(jen.Uint64().Call(raw)), jen.Nil())}
	case wit.Char:
		return []jen.Code{jen.Return(ra("LiftChar").Call(jen.Uint32().Call(raw)))}
	}
	panic(fmt.Sprintf("BUG: liftScalar(%s)", p))
}

// lowerScalar returns the unsigned bits of Go value v (as an expression
// that converts cleanly to the storage width) and any statements needed
// first.
func lowerScalar(op helperOp, p wit.Primitive, v jen.Code) (jen.Code, []jen.Code) {
	switch p {
	case wit.Bool:
		return ra("LowerBool").Call(v), nil
	case wit.U8, wit.U16, wit.U32, wit.U64:
		return v, nil
	case wit.S8, wit.S16, wit.S32:
		// Sign-extend to i32 (lower_flat_signed), then zero-extend.
		return jen.Uint32().Call(jen.Int32().Call(v)), nil
	case wit.S64:
		return jen.Uint64().Call(v), nil
	case wit.F32:
		return jen.Qual(mathPkg, "Float32bits").Call(v), nil
	case wit.F64:
		return jen.Qual(mathPkg, "Float64bits").Call(v), nil
	case wit.Char:
		return jen.Id("c"), []jen.Code{
			jen.List(jen.Id("c"), jen.Err()).Op(":=").Add(ra("LowerChar")).Call(v),
			checkErr(op),
		}
	}
	panic(fmt.Sprintf("BUG: lowerScalar(%s)", p))
}

// stringBody emits the string helpers: a (ptr, len) pair copied with
// runtimeadapters.LiftString / LowerString (UTF-8 validated both ways).
func (g *generator) stringBody(op helperOp) []jen.Code {
	lower := ra("LowerString").Call(jen.Id("ctx"), jen.Id("in").Dot("mem"), jen.Id("in").Dot("realloc"),
		jen.Id("in").Dot("rstack").Index(jen.Op(":")), jen.Id("v"))
	switch op {
	case opLoad:
		body := readInt(op, "p", 4, 0, "string pointer")
		body = append(body, readInt(op, "n", 4, 4, "string length")...)
		return append(body, jen.Return(ra("LiftString").Call(jen.Id("in").Dot("mem"), jen.Id("p"), jen.Id("n"))))
	case opLift:
		return []jen.Code{jen.Return(ra("LiftString").Call(jen.Id("in").Dot("mem"),
			jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(0))), jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(1)))))}
	case opStore:
		return []jen.Code{
			jen.List(jen.Id("p"), jen.Id("n"), jen.Err()).Op(":=").Add(lower),
			checkErr(op),
			writeInt(op, 4, jen.Id("ptr"), jen.Id("p"), "string pointer"),
			writeInt(op, 4, ptrPlus("ptr", 4), jen.Id("n"), "string length"),
			jen.Return(jen.Nil()),
		}
	case opLower:
		return []jen.Code{
			jen.List(jen.Id("p"), jen.Id("n"), jen.Err()).Op(":=").Add(lower),
			checkErr(op),
			jen.List(jen.Id("vals").Index(jen.Lit(0)), jen.Id("vals").Index(jen.Lit(1))).Op("=").
				List(jen.Uint64().Call(jen.Id("p")), jen.Uint64().Call(jen.Id("n"))),
			jen.Return(jen.Nil()),
		}
	}
	panic("BUG: string op")
}
