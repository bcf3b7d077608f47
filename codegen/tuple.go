package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// tupleGoType is the Go type of a tuple: an unnamed struct with fields F0,
// F1, ... (identical wherever the same tuple is used).
func tupleGoType(g *generator, k *wit.Tuple) *jen.Statement {
	var fields []jen.Code
	for i, e := range k.Types {
		fields = append(fields, jen.Id(fmt.Sprintf("F%d", i)).Add(g.goType(e)))
	}
	return jen.Struct(fields...)
}
