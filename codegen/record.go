package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// field is one field of a record or tuple: its Go name and WIT type.
type field struct {
	name string
	t    wit.Type
}

// structFields returns the Go struct fields of a record (by their Go names)
// or a tuple (F0, F1, ...), in order.
func (g *generator) structFields(t *wit.TypeDef) []field {
	var fs []field
	switch k := t.Kind.(type) {
	case *wit.Record:
		for i, f := range k.Fields {
			fs = append(fs, field{g.fields[t][i], f.Type})
		}
	case *wit.Tuple:
		for i, e := range k.Types {
			fs = append(fs, field{fmt.Sprintf("F%d", i), e})
		}
	default:
		panic(fmt.Sprintf("BUG: %s has no struct fields", t.Kind.KindName()))
	}
	return fs
}

// declareRecord declares a record as a Go struct.
func (g *generator) declareRecord(f *jen.File, t *wit.TypeDef, k *wit.Record, name string) {
	var fields []jen.Code
	for i, fl := range k.Fields {
		if d := fl.Docs.Contents; d != "" {
			fields = append(fields, doc(d))
		}
		fields = append(fields, jen.Id(g.fields[t][i]).Add(g.goType(fl.Type)))
	}
	f.Add(doc(typeDoc(name, t, fmt.Sprintf("WIT record `%s`", t.Name))).Type().Id(name).Struct(fields...))
}

// recordBody emits the helpers of a record or tuple: fields at their
// offsets (CanonicalABI.md load_record / store_record), flat fields one
// after another (lift_flat_record / lower_flat_record).
func (g *generator) recordBody(op helperOp, fs []field) []jen.Code {
	types := make([]wit.Type, len(fs))
	for i, f := range fs {
		types[i] = f.t
	}
	offs := wit.FieldOffsets(types)
	var body []jen.Code
	pos := 0
	for i, f := range fs {
		n := flatLen(f.t)
		sel := jen.Id("v").Dot(f.name)
		switch op {
		case opLoad:
			body = append(body, g.callInto(op, sel, opLoad, f.t, bAt(offs[i])))
		case opLift:
			body = append(body, g.callInto(op, sel, opLift, f.t, valsRange(pos, pos+n)))
		case opStore:
			body = append(body, g.callErr(op, opStore, f.t, jen.Id("ctx"), ptrPlus("ptr", offs[i]), sel))
		case opLower:
			body = append(body, g.callErr(op, opLower, f.t, jen.Id("ctx"), sel, valsRange(pos, pos+n)))
		}
		pos += n
	}
	switch op {
	case opLoad, opLift:
		body = append(body, jen.Return(jen.Id("v"), jen.Nil()))
	default:
		body = append(body, jen.Return(jen.Nil()))
	}
	return body
}
