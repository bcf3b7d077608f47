package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// declareVariant declares a variant as a sealed interface with one struct
// type per case; a case with a payload has a Value field.
func (g *generator) declareVariant(f *jen.File, t *wit.TypeDef, k *wit.Variant, name string) {
	marker := "is" + name
	var cases string
	for i := range k.Cases {
		if i > 0 {
			cases += ", "
		}
		cases += g.cases[t][i]
	}
	f.Add(doc(typeDoc(name, t, fmt.Sprintf("WIT variant `%s`: exactly one of %s (a nil %s is invalid)", t.Name, cases, name))).
		Type().Id(name).Interface(jen.Id(marker).Params()))
	for i, c := range k.Cases {
		cn := g.cases[t][i]
		d := memberDoc(c.Docs, fmt.Sprintf("%s is case `%s` of %s.", cn, c.Name, name))
		var fields []jen.Code
		if c.Type != nil {
			fields = append(fields, jen.Id("Value").Add(g.goType(c.Type)))
		}
		f.Add(doc(d).Type().Id(cn).Struct(fields...))
		f.Func().Params(jen.Id(cn)).Id(marker).Params().Block()
	}
}

// variantCase describes one case of a variant-like type for the shared
// emitter: its payload type (nil for none) and how to build the Go value.
type variantCase struct {
	t         wit.Type
	construct func(payload jen.Code) jen.Code
}

// variantLiftBody emits load/lift of a variant-like type: a checked
// discriminant, then the payload at the payload offset (load_variant) or
// in the slots after the discriminant (lift_flat_variant; every join in
// the uint64 slot encoding is a plain truncation, so a case reads its own
// flat types from the joined slots).
func (g *generator) variantLiftBody(op helperOp, witName string, k wit.TypeDefKind, cases []variantCase) []jen.Code {
	n := len(cases)
	var body []jen.Code
	var disc jen.Code
	if op == opLoad {
		body = append(body, readInt(op, "d", wit.DiscriminantSize(n), 0, witName+" discriminant")...)
		disc = jen.Id("d")
	} else {
		body = append(body, jen.Id("d").Op(":=").Uint32().Call(jen.Id("vals").Index(jen.Lit(0))))
		disc = jen.Id("d")
	}
	off := wit.VariantPayloadOffset(k)
	var sw []jen.Code
	for i, c := range cases {
		var stmts []jen.Code
		if c.t == nil {
			stmts = append(stmts, jen.Return(c.construct(nil), jen.Nil()))
		} else {
			stmts = append(stmts, jen.Var().Id("p").Add(g.goType(c.t)))
			if op == opLoad {
				stmts = append(stmts, g.callInto(op, jen.Id("p"), opLoad, c.t, bAt(off)))
			} else {
				stmts = append(stmts, g.callInto(op, jen.Id("p"), opLift, c.t, valsRange(1, 1+flatLen(c.t))))
			}
			stmts = append(stmts, jen.Return(c.construct(jen.Id("p")), jen.Nil()))
		}
		sw = append(sw, jen.Case(jen.Lit(i)).Block(stmts...))
	}
	body = append(body, jen.Switch(disc).Block(sw...))
	body = append(body,
		jen.List(jen.Id("_"), jen.Err()).Op("=").Add(ra("LiftDiscriminant")).Call(jen.Lit(witName), jen.Uint32().Call(disc), jen.Lit(n)),
		jen.Return(jen.Id("v"), jen.Err()))
	return body
}

// variantLowerCase emits the store/lower of case i with payload expression
// p (nil when the case has none).
func (g *generator) variantLowerCase(op helperOp, witName string, k wit.TypeDefKind, n, i int, t wit.Type, p jen.Code) []jen.Code {
	var stmts []jen.Code
	if op == opStore {
		stmts = append(stmts, writeInt(op, wit.DiscriminantSize(n), jen.Id("ptr"), jen.Lit(i), witName+" discriminant"))
		if t != nil {
			stmts = append(stmts, g.callErr(op, opStore, t, jen.Id("ctx"), ptrPlus("ptr", wit.VariantPayloadOffset(k)), p))
		}
	} else {
		stmts = append(stmts, jen.Id("vals").Index(jen.Lit(0)).Op("=").Lit(i))
		if t != nil {
			stmts = append(stmts, g.callErr(op, opLower, t, jen.Id("ctx"), p, valsRange(1, 1+flatLen(t))))
		}
	}
	return append(stmts, jen.Return(jen.Nil()))
}

// lowerPrologue clears the flat slots of a variant before lowering, so
// unused payload slots are zero.
func lowerPrologue(op helperOp) []jen.Code {
	if op == opLower {
		return []jen.Code{jen.Id("clear").Call(jen.Id("vals"))}
	}
	return nil
}

func (g *generator) variantBody(op helperOp, t *wit.TypeDef, k *wit.Variant) []jen.Code {
	var cases []variantCase
	for i, c := range k.Cases {
		cn := g.cases[t][i]
		cases = append(cases, variantCase{t: c.Type, construct: func(p jen.Code) jen.Code {
			if p == nil {
				return jen.Id(cn).Values()
			}
			return jen.Id(cn).Values(jen.Dict{jen.Id("Value"): p})
		}})
	}
	if op == opLoad || op == opLift {
		return g.variantLiftBody(op, t.Name, k, cases)
	}
	anyPayload := false
	var sw []jen.Code
	for i, c := range k.Cases {
		var p jen.Code
		if c.Type != nil {
			anyPayload = true
			p = jen.Id("x").Dot("Value")
		}
		sw = append(sw, jen.Case(jen.Id(g.cases[t][i])).Block(g.variantLowerCase(op, t.Name, k, len(k.Cases), i, c.Type, p)...))
	}
	subject := jen.Id("v").Assert(jen.Type())
	if anyPayload {
		subject = jen.Id("x").Op(":=").Id("v").Assert(jen.Type())
	}
	body := lowerPrologue(op)
	body = append(body, jen.Switch(subject).Block(sw...),
		jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+t.Name), jen.Lit("nil or unknown case of "+g.typeName[t]))))
	return body
}
