package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// sig is the Go view of a WIT function.
type sig struct {
	f      *wit.Function
	locals *scope
	// params excludes self for methods when the receiver stands for it.
	params []sigParam
	self   *sigParam
	// result is the Go-visible result type (nil: none). When split, the
	// WIT result is result<T, E>: result is T and E travels as
	// *runtimeadapters.WITError[E].
	result wit.Type
	split  bool
	res    *wit.Result
	// resultName is the named result variable of wrappers.
	resultName string
}

type sigParam struct {
	name string
	t    wit.Type
	idx  int // index in f.Params
}

func (g *generator) sigOf(f *wit.Function, receiverSelf bool) *sig {
	s := &sig{f: f, locals: newScope()}
	for n := range reservedLocals {
		s.locals.used[n] = true
	}
	for i, p := range f.Params {
		sp := sigParam{t: p.Type, idx: i}
		if i == 0 && receiverSelf && isMethod(f) {
			sp.name = "self"
			s.self = &sp
			continue
		}
		sp.name = s.locals.declare(GoLocal(p.Name))
		s.params = append(s.params, sp)
	}
	if f.Result != nil {
		if td, ok := g.rootOf(f.Result).(*wit.TypeDef); ok {
			if r, ok := td.Kind.(*wit.Result); ok {
				s.split, s.res = true, r
				s.result = r.OK
			}
		}
		if !s.split {
			s.result = f.Result
		}
	}
	// "result" is reserved, so no parameter is spelled that way.
	s.resultName = "result"
	return s
}

// errType is the Go type carried by WITError for a split result.
func (g *generator) errType(s *sig) *jen.Statement { return g.goType(s.res.Err) }

// goParams are ctx followed by the parameters.
func (g *generator) goParams(s *sig) []jen.Code {
	ps := []jen.Code{jen.Id("ctx").Qual(contextPkg, "Context")}
	for _, p := range s.params {
		ps = append(ps, jen.Id(p.name).Add(g.goType(p.t)))
	}
	return ps
}

// goResults are (T, error) or (error); named when named is true.
func (g *generator) goResults(s *sig, named bool) []jen.Code {
	var rs []jen.Code
	if s.result != nil {
		if named {
			rs = append(rs, jen.Id(s.resultName).Add(g.goType(s.result)))
		} else {
			rs = append(rs, g.goType(s.result))
		}
	}
	if named {
		return append(rs, jen.Err().Error())
	}
	return append(rs, jen.Error())
}

// funcDoc is the doc comment of a Go method for WIT function f: its WIT
// docs, its WIT signature, and for split results how errors map.
func (g *generator) funcDoc(goName string, s *sig, host bool) string {
	var b strings.Builder
	if d := strings.TrimSpace(s.f.Docs.Contents); d != "" {
		b.WriteString(d)
		b.WriteString("\n\n")
	} else {
		b.WriteString(goName + " implements WIT function `" + s.f.Name + "`.\n\n")
	}
	b.WriteString("WIT: `" + witSignature(s.f) + "`")
	b.WriteString(stabilityNote(s.f.Stability))
	if s.split {
		e := "struct{}"
		if s.res.Err != nil {
			e = witType(s.res.Err)
		}
		if host {
			b.WriteString("\n\nReturn a *runtimeadapters.WITError[" + goTypeString(g, s.res.Err) + "] to make the guest receive err(" + e + "); any other error traps the guest.")
		} else {
			b.WriteString("\n\nThe guest's err(" + e + ") is returned as a *runtimeadapters.WITError[" + goTypeString(g, s.res.Err) + "]; other errors are traps.")
		}
	}
	return b.String()
}

// goTypeString renders a Go type for documentation.
func goTypeString(g *generator, t wit.Type) string {
	return strings.ReplaceAll(jen.Add(g.goType(t)).GoString(), raPkg, "runtimeadapters")
}

// valueTypes renders core types as a []runtimeadapters.ValueType literal.
func valueTypes(fs []wit.FlatType) jen.Code {
	if len(fs) == 0 {
		return jen.Nil()
	}
	var vs []jen.Code
	for _, f := range fs {
		switch f {
		case wit.FlatI32:
			vs = append(vs, ra("ValueTypeI32"))
		case wit.FlatI64:
			vs = append(vs, ra("ValueTypeI64"))
		case wit.FlatF32:
			vs = append(vs, ra("ValueTypeF32"))
		case wit.FlatF64:
			vs = append(vs, ra("ValueTypeF64"))
		}
	}
	return jen.Index().Add(ra("ValueType")).Values(vs...)
}

// paramTypes returns the WIT types of f's parameters.
func paramTypes(f *wit.Function) []wit.Type {
	ts := make([]wit.Type, len(f.Params))
	for i, p := range f.Params {
		ts[i] = p.Type
	}
	return ts
}

// tupleSizeAlign returns the size and alignment of f's parameters laid out
// as a tuple (the spilled-parameter area).
func tupleSizeAlign(ts []wit.Type) (uint32, uint32) {
	td := &wit.TypeDef{Kind: &wit.Tuple{Types: ts}}
	return wit.Size(td), wit.Align(td)
}

// stabilityNote renders a WIT gate as godoc: `@deprecated` becomes a
// Deprecated paragraph, `@unstable` names its feature.
func stabilityNote(st wit.Stability) string {
	var b strings.Builder
	switch st := st.(type) {
	case *wit.Unstable:
		b.WriteString("\n\nUnstable: behind WIT feature `" + st.Feature + "`.")
	}
	if st != nil && st.DeprecatedIn() != "" {
		b.WriteString("\n\nDeprecated: deprecated in WIT version " + st.DeprecatedIn() + ".")
	}
	return b.String()
}
