package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// resultBody emits the helpers of result<T, E> (a variant ok(T) | err(E)).
func (g *generator) resultBody(op helperOp, k *wit.Result) []jen.Code {
	T, E := g.goType(k.OK), g.goType(k.Err)
	what := "result"
	unit := func(t wit.Type, p jen.Code) jen.Code {
		if t == nil {
			return jen.Struct().Values()
		}
		return p
	}
	if op == opLoad || op == opLift {
		return g.variantLiftBody(op, what, k, []variantCase{
			{k.OK, func(p jen.Code) jen.Code { return ra("OK").Types(T.Clone(), E.Clone()).Call(unit(k.OK, p)) }},
			{k.Err, func(p jen.Code) jen.Code { return ra("Err").Types(T.Clone(), E.Clone()).Call(unit(k.Err, p)) }},
		})
	}
	name := func(t wit.Type, n string) jen.Code {
		if t == nil {
			return jen.Id("_")
		}
		return jen.Id(n)
	}
	body := lowerPrologue(op)
	body = append(body,
		jen.If(jen.List(name(k.Err, "e"), jen.Id("isErr")).Op(":=").Id("v").Dot("Err").Call(), jen.Id("isErr")).
			Block(g.variantLowerCase(op, what, k, 2, 1, k.Err, jen.Id("e"))...))
	if k.OK != nil {
		body = append(body, jen.List(jen.Id("x"), jen.Id("_")).Op(":=").Id("v").Dot("OK").Call())
	}
	return append(body, g.variantLowerCase(op, what, k, 2, 0, k.OK, jen.Id("x"))...)
}
