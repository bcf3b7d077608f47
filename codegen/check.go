package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// Host values are validated before anything is lowered into the guest: a
// string must be UTF-8, a rune a Unicode scalar value, a variant non-nil,
// an enum in range, a resource handle live. Checking first means a
// rejected call never allocates guest memory (nothing leaks) and never
// leaves the guest half-called.

// needsCheck reports whether values of t can be invalid host values.
func (g *generator) needsCheck(t wit.Type) bool {
	return g.containsType(t, func(t wit.Type) bool {
		switch t := g.rootOf(t).(type) {
		case wit.Primitive:
			return t == wit.String || t == wit.Char
		case *wit.TypeDef:
			switch t.Kind.(type) {
			case *wit.Variant, *wit.Enum, *wit.Own, *wit.Borrow, *wit.Resource:
				return true
			}
		}
		return false
	})
}

// checkCall emits `if err := in.check_K(v); err != nil { fail(err) }`, or
// nothing when values of t cannot be invalid.
func (g *generator) checkCall(t wit.Type, v jen.Code, fail func(jen.Code) jen.Code) []jen.Code {
	if !g.needsCheck(t) {
		return nil
	}
	return []jen.Code{jen.If(jen.Err().Op(":=").Id("in").Dot(g.helper(opCheck, t)).Call(v), jen.Err().Op("!=").Nil()).Block(fail(jen.Err()))}
}

// checkBody emits check_K: the validation of one host value of type t.
func (g *generator) checkBody(t wit.Type) []jen.Code {
	ret := func(e jen.Code) jen.Code { return jen.Return(e) }
	ok := jen.Return(jen.Nil())
	switch t := g.rootOf(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.String:
			return []jen.Code{jen.Return(ra("CheckString").Call(jen.Id("v")))}
		case wit.Char:
			return []jen.Code{jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(ra("LowerChar")).Call(jen.Id("v")), jen.Return(jen.Err())}
		}
		return []jen.Code{ok}
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			var body []jen.Code
			for i, f := range k.Fields {
				body = append(body, g.checkCall(f.Type, jen.Id("v").Dot(g.fields[t][i]), ret)...)
			}
			return append(body, ok)
		case *wit.Tuple:
			var body []jen.Code
			for i, e := range k.Types {
				body = append(body, g.checkCall(e, jen.Id("v").Dot(fmt.Sprintf("F%d", i)), ret)...)
			}
			return append(body, ok)
		case *wit.Variant:
			var cases []jen.Code
			anyPayload := false
			for i, c := range k.Cases {
				var stmts []jen.Code
				if c.Type != nil {
					stmts = g.checkCall(c.Type, jen.Id("x").Dot("Value"), ret)
					anyPayload = anyPayload || len(stmts) > 0
				}
				cases = append(cases, jen.Case(jen.Id(g.cases[t][i])).Block(append(stmts, ok)...))
			}
			subject := jen.Id("v").Assert(jen.Type())
			if anyPayload {
				subject = jen.Id("x").Op(":=").Id("v").Assert(jen.Type())
			}
			return []jen.Code{jen.Switch(subject).Block(cases...),
				jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+t.Name), jen.Lit("nil or unknown case of "+g.typeName[t])))}
		case *wit.Enum:
			return []jen.Code{
				jen.If(jen.Uint32().Call(jen.Id("v")).Op(">=").Lit(len(k.Cases))).Block(
					jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+t.Name), jen.Lit("enum value out of range")))),
				ok}
		case *wit.Option:
			return []jen.Code{
				jen.If(jen.List(jen.Id("x"), jen.Id("some")).Op(":=").Id("v").Dot("Get").Call(), jen.Id("some")).Block(
					append(g.checkCall(k.Type, jen.Id("x"), ret), ok)...),
				ok}
		case *wit.Result:
			var body []jen.Code
			if k.Err != nil && g.needsCheck(k.Err) {
				body = append(body, jen.If(jen.List(jen.Id("e"), jen.Id("isErr")).Op(":=").Id("v").Dot("Err").Call(), jen.Id("isErr")).Block(
					append(g.checkCall(k.Err, jen.Id("e"), ret), ok)...))
			}
			if k.OK != nil && g.needsCheck(k.OK) {
				body = append(body, jen.If(jen.List(jen.Id("x"), jen.Id("isOK")).Op(":=").Id("v").Dot("OK").Call(), jen.Id("isOK")).Block(
					append(g.checkCall(k.OK, jen.Id("x"), ret), ok)...))
			}
			return append(body, ok)
		case *wit.List:
			if fs, ok := g.recordElemFields(k.Type); ok {
				// A list of records: check the fields in place, with no
				// copy of each record and no call per element.
				loop := []jen.Code{jen.Id("x").Op(":=").Op("&").Id("v").Index(jen.Id("i"))}
				for _, f := range fs {
					loop = append(loop, g.checkCall(f.t, jen.Id("x").Dot(f.name), ret)...)
				}
				return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(loop...), jen.Return(jen.Nil())}
			}
			return []jen.Code{jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("v")).Block(g.checkCall(k.Type, jen.Id("x"), ret)...), ok}
		case *wit.FixedLengthList:
			return []jen.Code{jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("v")).Block(g.checkCall(k.Type, jen.Id("x"), ret)...), ok}
		case *wit.Map:
			kn, xn := "k", "x"
			if !g.needsCheck(k.Key) {
				kn = "_"
			}
			if !g.needsCheck(k.Value) {
				xn = "_"
			}
			return []jen.Code{jen.For(jen.List(jen.Id(kn), jen.Id(xn)).Op(":=").Range().Id("v")).Block(
				append(g.checkCall(k.Key, jen.Id("k"), ret), g.checkCall(k.Value, jen.Id("x"), ret)...)...), ok}
		case *wit.Own, *wit.Borrow, *wit.Resource:
			var r *wit.TypeDef
			switch k := k.(type) {
			case *wit.Own:
				r = k.Type.Root()
			case *wit.Borrow:
				r = k.Type.Root()
			default:
				r = t
			}
			name := g.typeName[r]
			if g.resDir[r] == imported {
				return []jen.Code{jen.If(jen.Id("v").Op("==").Nil()).Block(
					jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+r.Name), jen.Lit("nil "+name)))), ok}
			}
			return []jen.Code{jen.If(jen.Id("v").Op("==").Nil().Op("||").Id("v").Dot("in").Op("!=").Id("in").Op("||").Id("v").Dot("dropped")).Block(
				jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+r.Name), jen.Lit("nil, dropped or foreign "+name+" handle")))), ok}
		case *wit.Flags:
			return []jen.Code{ok}
		case *wit.Alias, *wit.Future, *wit.Stream:
			panic(fmt.Sprintf("BUG: %s reached checkBody", k.KindName()))
		default:
			panic(fmt.Sprintf("BUG: unknown wit.TypeDefKind %T", k))
		}
	}
	panic(fmt.Sprintf("BUG: unknown wit.Type %T", t))
}

// recordElemFields returns the struct fields of t when it is (an alias of)
// a record or tuple.
func (g *generator) recordElemFields(t wit.Type) ([]field, bool) {
	td, ok := g.rootOf(t).(*wit.TypeDef)
	if !ok {
		return nil, false
	}
	switch td.Kind.(type) {
	case *wit.Record, *wit.Tuple:
		return g.structFields(td), true
	}
	return nil, false
}
