package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// optionBody emits the helpers of option<T> (a variant none | some(T)).
func (g *generator) optionBody(op helperOp, k *wit.Option) []jen.Code {
	T := g.goType(k.Type)
	what := "option"
	if op == opLoad || op == opLift {
		return g.variantLiftBody(op, what, k, []variantCase{
			{nil, func(jen.Code) jen.Code { return ra("None").Types(T.Clone()).Call() }},
			{k.Type, func(p jen.Code) jen.Code { return ra("Some").Call(p) }},
		})
	}
	body := lowerPrologue(op)
	body = append(body,
		jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("v").Dot("Get").Call(), jen.Id("ok")).
			Block(g.variantLowerCase(op, what, k, 2, 1, k.Type, jen.Id("x"))...))
	return append(body, g.variantLowerCase(op, what, k, 2, 0, nil, nil)...)
}
